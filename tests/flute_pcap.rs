//! FLUTE sessions and IP fragments in packet captures, built by this test (never hand-edited
//! bytes): the capture vectors under vectors/pcap/ (written by `write_flute_vectors`, checked
//! here to be what the helpers build), a FLUTE capture judged like the equivalent session
//! trace, fragmented datagrams judged like whole ones, and tshark's ALC/LCT dissector as an
//! oracle for the per-packet fields (TOI, FDT instance ID, SBN and ESI).

use mikeyconf::internals::engine::Engine;
use mikeyconf::internals::finding::{CheckResult, Verdict};
use mikeyconf::internals::rules::RuleSet;
use mikeyconf::internals::settings::Settings;
use std::collections::BTreeMap;
use std::path::Path;

#[path = "common/capture_files.rs"]
mod capture_files;
use capture_files::{pcap, session_messages};

const BMSC: [u8; 4] = [203, 0, 113, 5];
const UE: [u8; 4] = [10, 0, 0, 7];
/// The FLUTE session's multicast group and ports.
const GROUP: [u8; 4] = [239, 255, 1, 1];
const FLUTE_SRC_PORT: u16 = 4000;
const FLUTE_PORT: u16 = 4001;
const TSI: u32 = 1;
const VECTORS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/vectors/pcap");

fn engine() -> Engine {
    let settings = Settings::load(None, &[]).unwrap();
    let rules = RuleSet::builtin(&settings).unwrap();
    Engine::new(settings, rules, false).unwrap()
}

fn yaml(path: &str) -> serde_yaml::Value {
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).unwrap();
    serde_yaml::from_str(&text).unwrap()
}

/// The MTK object (TOI 2) of a trace vector's first FLUTE event.
fn trace_mtk(path: &str) -> Vec<u8> {
    let v = yaml(path);
    let e = v["events"]
        .as_sequence()
        .unwrap()
        .iter()
        .find(|e| e.get("flute").is_some())
        .unwrap();
    hex::decode(e["flute"]["objects"][2]["hex"].as_str().unwrap()).unwrap()
}

fn good_mtk() -> Vec<u8> {
    trace_mtk("vectors/trace/mtk-flute-verified.trace.yaml")
}

fn v_flag_mtk() -> Vec<u8> {
    trace_mtk("vectors/trace/mtk-flute-v-flag.trace.yaml")
}

/// An RFC 6726 FDT (FLUTE version 2): a video file (TOI 1) and the MTK (TOI 2).
fn fdt_v2(mtk_len: usize) -> Vec<u8> {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<FDT-Instance xmlns=\"urn:ietf:params:xml:ns:fdt\" Expires=\"3600000000\">\n  <File TOI=\"1\" Content-Location=\"http://example.com/show.3gp\" Content-Type=\"video/3gpp\"/>\n  <File TOI=\"2\" Content-Location=\"http://example.com/show.mtk\" Content-Type=\"application/mikey\" Content-Length=\"{mtk_len}\"/>\n</FDT-Instance>\n"
    )
    .into_bytes()
}

/// The TS 26.346 7.2.10 FDT of vectors/xml/fdt (FLUTE version 1), with the MTK's length.
fn fdt_v1(mtk_len: usize) -> Vec<u8> {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("vectors/xml/fdt/fdt-3gpp-2005-mtk-mikey.valid.xml"),
    )
    .unwrap();
    text.replace(
        "Content-Length=\"84\"",
        &format!("Content-Length=\"{mtk_len}\""),
    )
    .into_bytes()
}

// ---------------------------------------------------------------------------------------
// ALC packets (RFC 5775 4.1, RFC 5651 5.1)

/// EXT_FDT (HET 192): FLUTE version and FDT instance ID.
fn ext_fdt(version: u8, instance: u32) -> Vec<u8> {
    ((192u32 << 24) | (u32::from(version) << 20) | instance)
        .to_be_bytes()
        .to_vec()
}

/// EXT_FTI (HET 64, HEL 4) for Compact No-Code (RFC 5445 3.2.2).
fn fti_cnc(length: u64, symbol: u16, max_block: u32) -> Vec<u8> {
    let mut e = vec![64, 4];
    e.extend_from_slice(&length.to_be_bytes()[2..]);
    e.extend_from_slice(&[0, 0]);
    e.extend_from_slice(&symbol.to_be_bytes());
    e.extend_from_slice(&max_block.to_be_bytes());
    e
}

/// EXT_FTI (HET 64, HEL 4) for Raptor (RFC 5053 3.2.2, 3.2.3), padded.
fn fti_raptor(length: u64, symbol: u16, z: u16, n: u8, al: u8) -> Vec<u8> {
    let mut e = vec![64, 4];
    e.extend_from_slice(&length.to_be_bytes()[3..]);
    e.push(0);
    e.extend_from_slice(&symbol.to_be_bytes());
    e.extend_from_slice(&z.to_be_bytes());
    e.extend_from_slice(&[n, al, 0, 0]);
    e
}

/// An ALC packet: LCT header (V 1, C 0, S 1, O 1, H 0), the extensions, the FEC Payload ID
/// (SBN 16 + ESI 16, or `payload_id` as given) and the symbols. The codepoint is the FEC
/// Encoding ID.
fn alc(toi: u32, fec_id: u8, exts: &[Vec<u8>], payload_id: &[u8], symbols: &[u8]) -> Vec<u8> {
    let ext_len: usize = exts.iter().map(Vec::len).sum();
    let words = 4 + ext_len / 4;
    let mut p = vec![0x10, 0xa0, words as u8, fec_id];
    p.extend_from_slice(&[0; 4]); // CCI
    p.extend_from_slice(&TSI.to_be_bytes());
    p.extend_from_slice(&toi.to_be_bytes());
    for e in exts {
        p.extend_from_slice(e);
    }
    p.extend_from_slice(payload_id);
    p.extend_from_slice(symbols);
    p
}

fn id16(sbn: u16, esi: u16) -> Vec<u8> {
    let mut v = sbn.to_be_bytes().to_vec();
    v.extend_from_slice(&esi.to_be_bytes());
    v
}

/// The FDT instance as one Compact No-Code packet.
fn fdt_packet(version: u8, instance: u32, fdt: &[u8]) -> Vec<u8> {
    let exts = [
        ext_fdt(version, instance),
        fti_cnc(fdt.len() as u64, 1400, 64),
    ];
    alc(0, 0, &exts, &id16(0, 0), fdt)
}

/// Ethernet / IPv4 / UDP from the BM-SC to the session's multicast group.
fn flute_frame(payload: &[u8]) -> Vec<u8> {
    let b = etherparse::PacketBuilder::ethernet2([2, 0, 0, 0, 0, 1], [1, 0, 0x5e, 0x7f, 1, 1])
        .ipv4(BMSC, GROUP, 16)
        .udp(FLUTE_SRC_PORT, FLUTE_PORT);
    let mut out = Vec::with_capacity(b.size(payload.len()));
    b.write(&mut out, payload).unwrap();
    out
}

fn capture(packets: &[Vec<u8>]) -> Vec<u8> {
    let frames: Vec<Vec<u8>> = packets.iter().map(|p| flute_frame(p)).collect();
    pcap(&frames, 1_795_000_000)
}

// ---------------------------------------------------------------------------------------
// The vectors

/// FLUTE version 2, Compact No-Code: the FDT, then the MTK object in one packet.
fn flute_cnc(mtk: &[u8]) -> Vec<u8> {
    let fdt = fdt_v2(mtk.len());
    let object = alc(
        2,
        0,
        &[fti_cnc(mtk.len() as u64, 1400, 64)],
        &id16(0, 0),
        mtk,
    );
    capture(&[fdt_packet(2, 1, &fdt), object])
}

/// FLUTE version 1 (TS 26.346 FDT), the MTK object in Raptor: symbols of 16 octets, two to a
/// packet, then a repair symbol (ESI 6, not decoded).
fn flute_raptor() -> Vec<u8> {
    let mtk = good_mtk();
    let fdt = fdt_v1(mtk.len());
    let fti = fti_raptor(mtk.len() as u64, 16, 1, 1, 4);
    let mut padded = mtk.clone();
    padded.resize(mtk.len().div_ceil(16) * 16, 0);
    let mut packets = vec![fdt_packet(1, 7, &fdt)];
    for (i, pair) in padded.chunks(32).enumerate() {
        let esi = (2 * i) as u16;
        packets.push(alc(2, 1, std::slice::from_ref(&fti), &id16(0, esi), pair));
    }
    let k = padded.len() / 16;
    packets.push(alc(2, 1, &[fti], &id16(0, k as u16), &[0x5a; 16]));
    capture(&packets)
}

/// FLUTE version 2, Compact No-Code in symbols of 16 octets and source blocks of 2: the FDT
/// in two packets and the MTK object in several, out of order, one twice, the FTI only in the
/// last one sent.
fn flute_out_of_order() -> Vec<u8> {
    let mtk = good_mtk();
    let fdt = fdt_v2(mtk.len());
    let fdt_fti = fti_cnc(fdt.len() as u64, 128, 64);
    let (fdt_a, fdt_b) = fdt.split_at(128);
    let fdt_second = alc(0, 0, &[ext_fdt(2, 3), fdt_fti.clone()], &id16(0, 1), fdt_b);
    let fdt_first = alc(0, 0, &[ext_fdt(2, 3), fdt_fti], &id16(0, 0), fdt_a);
    let symbols: Vec<&[u8]> = mtk.chunks(16).collect();
    let packet = |i: usize, fti: bool| {
        let exts = if fti {
            vec![fti_cnc(mtk.len() as u64, 16, 2)]
        } else {
            vec![]
        };
        alc(
            2,
            0,
            &exts,
            &id16((i / 2) as u16, (i % 2) as u16),
            symbols[i],
        )
    };
    let n = symbols.len();
    let mut packets = vec![fdt_second, fdt_first];
    let mut order: Vec<usize> = (0..n).rev().collect();
    order.insert(2, n - 1); // a repeat
    let last = order.pop().unwrap();
    for i in order {
        packets.push(packet(i, false));
    }
    packets.push(packet(last, true));
    capture(&packets)
}

/// The MTK object typed application/octet-stream in the FDT (read as an MTK by its MTK ID).
fn flute_wrong_type() -> Vec<u8> {
    let mtk = good_mtk();
    let fdt = String::from_utf8(fdt_v2(mtk.len()))
        .unwrap()
        .replace("application/mikey", "application/octet-stream");
    let object = alc(
        2,
        0,
        &[fti_cnc(mtk.len() as u64, 1400, 64)],
        &id16(0, 0),
        &mtk,
    );
    capture(&[fdt_packet(2, 1, fdt.as_bytes()), object])
}

/// The MTK object sent as TOI 5, which no FDT instance of the session describes.
fn flute_not_in_fdt() -> Vec<u8> {
    let mtk = good_mtk();
    let fdt = fdt_v2(mtk.len());
    let object = alc(
        5,
        0,
        &[fti_cnc(mtk.len() as u64, 1400, 64)],
        &id16(0, 0),
        &mtk,
    );
    capture(&[fdt_packet(2, 1, &fdt), object])
}

/// An MTK object in RaptorQ (FEC Encoding ID 6), which is not read: SBN 8 + ESI 24.
fn flute_unsupported_fec() -> Vec<u8> {
    let mtk = good_mtk();
    let fdt = fdt_v2(mtk.len());
    let object = alc(2, 6, &[], &[0, 0, 0, 0], &mtk);
    capture(&[fdt_packet(2, 1, &fdt), object])
}

fn ethernet(ether_type: u16, ip: &[u8]) -> Vec<u8> {
    let mut f = vec![2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1];
    f.extend_from_slice(&ether_type.to_be_bytes());
    f.extend_from_slice(ip);
    f
}

/// A UDP datagram (header and data) between the ends of a MIKEY push, port 2269.
fn udp_bytes(payload: &[u8]) -> Vec<u8> {
    let mut u = Vec::new();
    u.extend_from_slice(&2269u16.to_be_bytes());
    u.extend_from_slice(&2269u16.to_be_bytes());
    u.extend_from_slice(&((payload.len() + 8) as u16).to_be_bytes());
    u.extend_from_slice(&[0, 0]); // no checksum (RFC 768: zero means none, IPv4)
    u.extend_from_slice(payload);
    u
}

/// IPv4 fragments of a UDP datagram, `size` octets of it each (a multiple of 8).
fn ipv4_fragments(src: [u8; 4], dst: [u8; 4], udp: &[u8], size: usize) -> Vec<Vec<u8>> {
    udp.chunks(size)
        .enumerate()
        .map(|(i, part)| {
            let mut h = etherparse::Ipv4Header::new(
                part.len() as u16,
                64,
                etherparse::IpNumber::UDP,
                src,
                dst,
            )
            .unwrap();
            h.identification = 0x4242;
            h.more_fragments = (i + 1) * size < udp.len();
            h.fragment_offset = etherparse::IpFragOffset::try_new((i * size / 8) as u16).unwrap();
            h.header_checksum = h.calc_header_checksum();
            let mut ip = h.to_bytes().to_vec();
            ip.extend_from_slice(part);
            ethernet(0x0800, &ip)
        })
        .collect()
}

/// The two UDP messages of vectors/pcap/whole.pcap, the first (the BSM's LTKM push) in three
/// IPv4 fragments sent last first.
fn fragmented_push() -> Vec<u8> {
    let messages = session_messages();
    let (from_bsm, ltkm) = &messages[0];
    assert!(*from_bsm);
    let mut fragments = ipv4_fragments(BMSC, UE, &udp_bytes(ltkm), 48);
    fragments.rotate_right(1);
    let (_, verification) = &messages[1];
    let b = etherparse::PacketBuilder::ethernet2([2, 0, 0, 0, 0, 1], [2, 0, 0, 0, 0, 2])
        .ipv4(UE, BMSC, 64)
        .udp(2269, 2269);
    let mut v = Vec::new();
    b.write(&mut v, verification).unwrap();
    fragments.push(v);
    pcap(&fragments, 1_700_000_000)
}

/// Every capture vector this file writes: (file name, bytes, FLUTE?).
fn vectors() -> Vec<(&'static str, Vec<u8>, bool)> {
    vec![
        ("flute-cnc.pcap", flute_cnc(&good_mtk()), true),
        ("flute-raptor.pcap", flute_raptor(), true),
        ("flute-out-of-order.pcap", flute_out_of_order(), true),
        ("flute-mtk-v-flag.pcap", flute_cnc(&v_flag_mtk()), true),
        ("flute-unsupported-fec.pcap", flute_unsupported_fec(), true),
        ("flute-mtk-wrong-type.pcap", flute_wrong_type(), true),
        ("flute-mtk-not-in-fdt.pcap", flute_not_in_fdt(), true),
        ("fragmented-push.pcap", fragmented_push(), false),
    ]
}

/// Writes the vectors (run with --ignored after changing a helper).
#[test]
#[ignore]
fn write_flute_vectors() {
    for (name, bytes, _) in vectors() {
        std::fs::write(format!("{VECTORS}/{name}"), bytes).unwrap();
    }
}

#[test]
fn the_flute_and_fragment_vectors_are_what_the_helpers_build() {
    for (name, bytes, _) in vectors() {
        assert!(
            std::fs::read(format!("{VECTORS}/{name}")).ok() == Some(bytes),
            "{name}: run cargo test --test flute_pcap -- --ignored write_flute_vectors"
        );
    }
}

// ---------------------------------------------------------------------------------------
// Judged like the equivalent trace, and like the whole datagram

fn check(bytes: &[u8]) -> CheckResult {
    engine().check_pcap("capture.pcap", bytes)
}

/// (rule, verdict) of every outcome whose rule is one of `rules`.
fn outcomes_of(r: &CheckResult, rules: &[&str]) -> BTreeMap<String, String> {
    r.rules
        .iter()
        .filter(|o| rules.contains(&o.rule.as_str()))
        .map(|o| (o.rule.clone(), o.outcome.as_str().to_string()))
        .collect()
}

/// The rules a FLUTE event is judged by: the FDT's, the MTK message's and the FLUTE session
/// rules.
const FLUTE_RULES: &[&str] = &[
    "FDT-XSD-01",
    "FDT-XSD-02",
    "MBMS-MTK-04M",
    "MBMS-MTK-01",
    "MBMS-MTK-03",
    "MBMS-MTK-04",
    "MBMS-MTK-05",
];

/// The FLUTE session of a capture written as a trace by hand: one `flute` event.
fn trace_of(fdt: &[u8], mtk: &[u8]) -> String {
    let fdt = String::from_utf8(fdt.to_vec()).unwrap();
    let mut t = String::from("trace: 1\nevents:\n- flute:\n    session: s\n    fdt: |\n");
    for line in fdt.lines() {
        t.push_str(&format!("      {line}\n"));
    }
    t.push_str(&format!(
        "    objects:\n      2:\n        hex: {}\n",
        hex::encode(mtk)
    ));
    t
}

fn check_trace(text: &str) -> CheckResult {
    engine().check_trace("s.trace.yaml", text.as_bytes(), &std::env::temp_dir())
}

#[test]
fn a_flute_capture_is_judged_like_the_equivalent_trace() {
    for (mtk, fdt, pcap) in [
        (good_mtk(), fdt_v2(good_mtk().len()), flute_cnc(&good_mtk())),
        (
            v_flag_mtk(),
            fdt_v2(v_flag_mtk().len()),
            flute_cnc(&v_flag_mtk()),
        ),
        (good_mtk(), fdt_v1(good_mtk().len()), flute_raptor()),
        (good_mtk(), fdt_v2(good_mtk().len()), flute_out_of_order()),
    ] {
        let from_capture = check(&pcap);
        let from_trace = check_trace(&trace_of(&fdt, &mtk));
        assert_eq!(
            outcomes_of(&from_capture, FLUTE_RULES),
            outcomes_of(&from_trace, FLUTE_RULES),
            "capture notes: {:?}\ntrace notes: {:?}",
            from_capture.notes,
            from_trace.notes
        );
        let rules = |r: &CheckResult| -> Vec<String> {
            let mut v: Vec<String> = r
                .findings
                .iter()
                .filter(|f| FLUTE_RULES.contains(&f.rule.as_str()))
                .map(|f| f.rule.clone())
                .collect();
            v.sort();
            v
        };
        assert_eq!(rules(&from_capture), rules(&from_trace));
    }
}

#[test]
fn an_object_in_an_unread_fec_scheme_makes_the_capture_incomplete() {
    let r = check(&flute_unsupported_fec());
    assert_eq!(r.verdict, Verdict::Incomplete, "{:#?}", r.notes);
    assert!(
        r.notes
            .iter()
            .any(|n| n.contains("FEC Encoding ID 6 (RaptorQ (RFC 6330)) is not read")),
        "{:#?}",
        r.notes
    );
}

#[test]
fn a_fragmented_push_is_judged_like_the_whole_one() {
    let whole = std::fs::read(format!("{VECTORS}/whole.pcap")).unwrap();
    let (a, b) = (check(&whole), check(&fragmented_push()));
    assert_eq!(a.verdict, b.verdict);
    let all = |r: &CheckResult| {
        r.rules
            .iter()
            .map(|o| (o.rule.clone(), o.outcome.as_str().to_string()))
            .collect::<Vec<_>>()
    };
    assert_eq!(all(&a), all(&b));
    assert_eq!(a.findings.len(), b.findings.len());
    let datagrams = mikeyconf::internals::pcap::read_udp(&fragmented_push(), &[2269]).unwrap();
    assert_eq!(datagrams.len(), 2);
    assert_eq!(datagrams[0].frame, 3, "the fragment that completed it");
    assert_eq!(datagrams[0].payload, session_messages()[0].1);
}

#[test]
fn ipv6_fragments_are_put_together_and_unfinished_ones_counted() {
    let message = &session_messages()[0].1;
    let udp = udp_bytes(message);
    let mut src = [0u8; 16];
    src[..4].copy_from_slice(&[0x20, 0x01, 0x0d, 0xb8]);
    src[15] = 5;
    let mut dst = src;
    dst[15] = 7;
    let frames: Vec<Vec<u8>> = udp
        .chunks(64)
        .enumerate()
        .map(|(i, part)| {
            let mut ip = vec![0x60, 0, 0, 0];
            ip.extend_from_slice(&((part.len() + 8) as u16).to_be_bytes());
            ip.extend_from_slice(&[44, 64]);
            ip.extend_from_slice(&src);
            ip.extend_from_slice(&dst);
            let more = u16::from((i + 1) * 64 < udp.len());
            ip.extend_from_slice(&[17, 0]);
            ip.extend_from_slice(&(((i * 64 / 8) as u16) << 3 | more).to_be_bytes());
            ip.extend_from_slice(&0x0102_0304u32.to_be_bytes());
            ip.extend_from_slice(part);
            ethernet(0x86dd, &ip)
        })
        .collect();
    let d = mikeyconf::internals::pcap::read_udp(&pcap(&frames, 1), &[2269]).unwrap();
    assert_eq!(d.len(), 1);
    assert_eq!(&d[0].payload, message);
    assert_eq!(d[0].src, "[2001:db8::5]:2269");
    // Without its last fragment: nothing, and the tally says why.
    let c =
        mikeyconf::internals::pcap::read(&pcap(&frames[..frames.len() - 1], 1), &[2269]).unwrap();
    assert!(c.datagrams.is_empty());
    assert_eq!(c.fragments.unfinished, 1);
    assert!(
        c.others()
            .contains("IP fragments of datagrams unfinished at the end (1)"),
        "{}",
        c.others()
    );
}

// ---------------------------------------------------------------------------------------
// tshark's ALC/LCT dissector as an oracle

/// Per packet: (TSI and TOI, FDT instance ID, SBN, ESI), as text ("" when absent).
type Fields = (String, String, String, String);

/// Our reader's fields of one Ethernet frame of a FLUTE vector.
fn fields_of(frame: &[u8]) -> Fields {
    let sliced = etherparse::SlicedPacket::from_ethernet(frame).unwrap();
    let Some(etherparse::TransportSlice::Udp(udp)) = sliced.transport else {
        panic!("not UDP")
    };
    let a = mikeyconf::internals::flute::lct::read_alc(udp.payload()).unwrap();
    let fdt = a.lct.ext_fdt().map(|f| f.instance_id.to_string());
    let (sbn, esi) = a
        .payload_id
        .map(|id| (id.sbn.to_string(), id.esi.to_string()))
        .unwrap_or_default();
    let ids = format!("{}/{}", a.lct.tsi, a.lct.toi);
    (ids, fdt.unwrap_or_default(), sbn, esi)
}

/// Our reader's fields of each frame of a classic pcap (as `capture_files::pcap` writes it:
/// little-endian records after a 24-octet header).
fn ours(bytes: &[u8]) -> Vec<Fields> {
    let mut out = Vec::new();
    let mut at = 24;
    while at + 16 <= bytes.len() {
        let len = u32::from_le_bytes(bytes[at + 8..at + 12].try_into().unwrap()) as usize;
        out.push(fields_of(&bytes[at + 16..at + 16 + len]));
        at += 16 + len;
    }
    out
}

fn tshark(path: &Path) -> Option<Vec<Fields>> {
    let out = std::process::Command::new("tshark")
        .args(["-r"])
        .arg(path)
        .args(["-d", &format!("udp.port=={FLUTE_PORT},alc"), "-T", "fields"])
        .args(["-E", "separator=/t", "-E", "occurrence=f"])
        .args(["-e", "rmt-lct.tsi", "-e", "rmt-lct.toi"])
        .args(["-e", "rmt-lct.fdt_instance_id"])
        .args(["-e", "rmt-fec.sbn", "-e", "rmt-fec.esi"])
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    Some(
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .map(|l| {
                let f: Vec<&str> = l.split('\t').collect();
                let at = |i: usize| f.get(i).copied().unwrap_or("").to_string();
                // tshark writes ESI in hex (0x...); ours in decimal.
                let esi = at(4);
                let esi = esi
                    .strip_prefix("0x")
                    .and_then(|h| u64::from_str_radix(h, 16).ok())
                    .map_or(esi.clone(), |n| n.to_string());
                (format!("{}/{}", at(0), at(1)), at(2), at(3), esi)
            })
            .collect(),
    )
}

#[test]
fn tshark_reads_the_same_alc_fields_from_every_flute_vector() {
    let have_tshark = std::process::Command::new("tshark")
        .arg("-v")
        .output()
        .is_ok_and(|o| o.status.success());
    if !have_tshark {
        // Required where this repository's CI says so (.ci/run), not wherever CI=true: a
        // user's CI sets CI=true and may have no tshark.
        assert!(
            std::env::var_os("MIKEYCONF_REQUIRE_ALL").is_none(),
            "tshark is needed for this test under MIKEYCONF_REQUIRE_ALL"
        );
        eprintln!("tshark not found: skipped");
        return;
    }
    for (name, bytes, flute) in vectors() {
        if !flute {
            continue;
        }
        let path = Path::new(VECTORS).join(name);
        let theirs = tshark(&path).expect("tshark ran");
        let mine = ours(&bytes);
        assert_eq!(theirs.len(), mine.len(), "{name}");
        for (i, (t, m)) in theirs.iter().zip(&mine).enumerate() {
            // The Payload ID of a FEC scheme our reader does not read (RaptorQ, FEC Encoding
            // ID 6) is not compared: we report the object as not readable instead.
            let t = if m.2.is_empty() && m.3.is_empty() {
                (t.0.clone(), t.1.clone(), String::new(), String::new())
            } else {
                t.clone()
            };
            assert_eq!(&t, m, "{name} frame {}", i + 1);
        }
    }
}

#[test]
fn a_unicast_flute_session_is_read_on_the_configured_ports_only() {
    let mtk = good_mtk();
    let fdt = fdt_v2(mtk.len());
    let object = alc(
        2,
        0,
        &[fti_cnc(mtk.len() as u64, 1400, 64)],
        &id16(0, 0),
        &mtk,
    );
    let frames: Vec<Vec<u8>> = [fdt_packet(2, 1, &fdt), object]
        .iter()
        .map(|p| {
            let b = etherparse::PacketBuilder::ethernet2([2, 0, 0, 0, 0, 1], [2, 0, 0, 0, 0, 2])
                .ipv4(BMSC, UE, 64)
                .udp(FLUTE_SRC_PORT, FLUTE_PORT);
            let mut out = Vec::new();
            b.write(&mut out, p).unwrap();
            out
        })
        .collect();
    let bytes = pcap(&frames, 1_795_000_000);
    let unset = check(&bytes);
    assert_eq!(unset.verdict, Verdict::Error, "{:#?}", unset.notes);
    let settings = Settings::load(None, &[format!("flute.ports=[{FLUTE_PORT}]")]).unwrap();
    let rules = RuleSet::builtin(&settings).unwrap();
    let r = Engine::new(settings, rules, false)
        .unwrap()
        .check_pcap("unicast.pcap", &bytes);
    assert_eq!(r.verdict, Verdict::Conformant, "{:#?}", r.notes);
    assert!(
        r.notes
            .iter()
            .any(|n| n.contains("1 FDT instance and 1 MTK object judged")),
        "{:#?}",
        r.notes
    );
}

#[test]
fn a_fragmented_flute_packet_is_read_whole() {
    let mtk = good_mtk();
    let fdt = fdt_v2(mtk.len());
    let packet = fdt_packet(2, 1, &fdt);
    let mut udp = Vec::new();
    udp.extend_from_slice(&FLUTE_SRC_PORT.to_be_bytes());
    udp.extend_from_slice(&FLUTE_PORT.to_be_bytes());
    udp.extend_from_slice(&((packet.len() + 8) as u16).to_be_bytes());
    udp.extend_from_slice(&[0, 0]);
    udp.extend_from_slice(&packet);
    let mut frames = ipv4_fragments(BMSC, GROUP, &udp, 128);
    assert!(frames.len() > 1);
    let object = alc(
        2,
        0,
        &[fti_cnc(mtk.len() as u64, 1400, 64)],
        &id16(0, 0),
        &mtk,
    );
    frames.push(flute_frame(&object));
    let r = check(&pcap(&frames, 1_795_000_000));
    assert_eq!(r.verdict, Verdict::Conformant, "{:#?}", r.notes);
    assert!(
        r.notes
            .iter()
            .any(|n| n.contains("1 FDT instance and 1 MTK object judged")),
        "{:#?}",
        r.notes
    );
}

#[test]
fn decode_lists_the_mtk_objects_of_flute_sessions() {
    let settings = Settings::load(None, &[]).unwrap();
    let found = mikeyconf::internals::format::discover::find_messages(
        &settings,
        &flute_out_of_order(),
        None,
    )
    .unwrap();
    assert_eq!(found.messages.len(), 1);
    let m = &found.messages[0];
    assert_eq!(
        m.place,
        "frame 8 (203.0.113.5:4000 -> 239.255.1.1:4001), FLUTE object TOI 2"
    );
    assert_eq!(m.message.as_deref(), Ok(good_mtk().as_slice()));
}

// ---------------------------------------------------------------------------------------
// MBMS-MTK-02 across terminals: an MTK object sent to a multicast group is received by each
// terminal joined to it, so a terminal's verification answering it is MBMS-MTK-02's, though
// the capture keys the group's events apart from the terminal's.

/// The UDP MIKEY messages of the trace vector mtk-flute-verified, by role: the LTKM, its
/// verification, and the verification that answers the FLUTE MTK.
fn mtk_flute_verified_udp() -> (Vec<u8>, Vec<u8>, Vec<u8>) {
    let v = yaml("vectors/trace/mtk-flute-verified.trace.yaml");
    let udp: Vec<Vec<u8>> = v["events"]
        .as_sequence()
        .unwrap()
        .iter()
        .filter_map(|e| e.get("udp"))
        .map(|u| hex::decode(u["hex"].as_str().unwrap()).unwrap())
        .collect();
    (udp[0].clone(), udp[1].clone(), udp[2].clone())
}

/// Ethernet / IPv4 / UDP between the BM-SC and the terminal, port 2269.
fn push_frame(src: [u8; 4], dst: [u8; 4], payload: &[u8]) -> Vec<u8> {
    let b = etherparse::PacketBuilder::ethernet2([2, 0, 0, 0, 0, 1], [2, 0, 0, 0, 0, 2])
        .ipv4(src, dst, 64)
        .udp(2269, 2269);
    let mut out = Vec::new();
    b.write(&mut out, payload).unwrap();
    out
}

/// The LTKM push and its verification, the FLUTE session's FDT and MTK object, then
/// `after` from the terminal.
fn flute_with_verification(after: &[u8]) -> Vec<u8> {
    let (ltkm, verifies_ltkm, _) = mtk_flute_verified_udp();
    let mtk = good_mtk();
    let object = alc(
        2,
        0,
        &[fti_cnc(mtk.len() as u64, 1400, 64)],
        &id16(0, 0),
        &mtk,
    );
    let frames = vec![
        push_frame(BMSC, UE, &ltkm),
        push_frame(UE, BMSC, &verifies_ltkm),
        flute_frame(&fdt_packet(2, 1, &fdt_v2(mtk.len()))),
        flute_frame(&object),
        push_frame(UE, BMSC, after),
    ];
    pcap(&frames, 1_795_000_000)
}

#[test]
fn a_verification_of_a_flute_mtk_fails_mbms_mtk_02_in_a_capture() {
    let (_, _, verifies_mtk) = mtk_flute_verified_udp();
    let r = check(&flute_with_verification(&verifies_mtk));
    assert_eq!(
        outcomes_of(&r, &["MBMS-MTK-02"]),
        BTreeMap::from([("MBMS-MTK-02".to_string(), "fail".to_string())]),
        "{:#?}",
        r.findings
    );
    let f: Vec<_> = r
        .findings
        .iter()
        .filter(|f| f.rule == "MBMS-MTK-02")
        .collect();
    assert_eq!(f.len(), 1, "{f:#?}");
    assert_eq!(
        f[0].message,
        "a verification message answers the MTK message of frame 4"
    );
    assert_eq!(
        f[0].location.context.as_deref(),
        Some("frame 5 (10.0.0.7:2269 -> 203.0.113.5:2269)")
    );
    // The same session written as a trace by hand fails the same rule.
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("vectors/trace");
    let text = std::fs::read(dir.join("mtk-flute-verified.trace.yaml")).unwrap();
    let trace = engine().check_trace("mtk-flute-verified.trace.yaml", &text, &dir);
    assert!(trace.findings.iter().any(|f| f.rule == "MBMS-MTK-02"));
}

#[test]
fn a_verification_of_the_ltkm_only_passes_mbms_mtk_02_in_a_capture() {
    // The terminal answers the LTKM again (a repeat), never the MTK.
    let (_, verifies_ltkm, _) = mtk_flute_verified_udp();
    let r = check(&flute_with_verification(&verifies_ltkm));
    assert_eq!(
        outcomes_of(&r, &["MBMS-MTK-02"]),
        BTreeMap::from([("MBMS-MTK-02".to_string(), "pass".to_string())]),
        "{:#?}",
        r.findings
    );
}

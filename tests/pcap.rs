//! Packet captures built by this test (etherparse, never hand-edited bytes): reading pcap and
//! pcapng over IPv4 and IPv6, judging datagrams with findings on frame numbers, and the
//! HAR + pcap → trace converter end to end.

use mikeyconf::internals::engine::Engine;
use mikeyconf::internals::finding::{FindingVerdict, Outcome, Verdict};
use mikeyconf::internals::rules::RuleSet;
use mikeyconf::internals::settings::Settings;
use std::path::Path;

#[path = "common/capture_files.rs"]
mod capture_files;
use capture_files::{pcap, pcapng, session_messages};

const UE: [u8; 4] = [10, 0, 0, 7];
const BSM: [u8; 4] = [203, 0, 113, 5];

fn engine() -> Engine {
    let settings = Settings::load(None, &[]).unwrap();
    let rules = RuleSet::builtin(&settings).unwrap();
    Engine::new(settings, rules, false).unwrap()
}

fn ipv4_frame(from_bsm: bool, port: u16, payload: &[u8]) -> Vec<u8> {
    let (src, dst) = if from_bsm { (BSM, UE) } else { (UE, BSM) };
    let b = etherparse::PacketBuilder::ethernet2([2, 0, 0, 0, 0, 1], [2, 0, 0, 0, 0, 2])
        .ipv4(src, dst, 64)
        .udp(port, port);
    let mut out = Vec::with_capacity(b.size(payload.len()));
    b.write(&mut out, payload).unwrap();
    out
}

fn ipv6_frame(payload: &[u8]) -> Vec<u8> {
    let mut src = [0u8; 16];
    src[..4].copy_from_slice(&[0x20, 0x01, 0x0d, 0xb8]);
    src[15] = 5;
    let mut dst = src;
    dst[15] = 7;
    let b = etherparse::PacketBuilder::ethernet2([2, 0, 0, 0, 0, 1], [2, 0, 0, 0, 0, 2])
        .ipv6(src, dst, 64)
        .udp(2269, 2269);
    let mut out = Vec::with_capacity(b.size(payload.len()));
    b.write(&mut out, payload).unwrap();
    out
}

/// A HAR of the session's HTTP exchanges, with times before and after the pushes.
fn session_har() -> Vec<u8> {
    let http = Path::new(env!("CARGO_MANIFEST_DIR")).join("vectors/trace/http");
    let mut entries = Vec::new();
    for (name, at) in [
        ("register", "2023-11-14T22:13:10Z"),
        ("ltkm-request", "2023-11-14T22:13:15Z"),
        ("deregister", "2023-11-14T22:20:00Z"),
    ] {
        let ex = &mikeyconf::internals::exchange::read(
            &std::fs::read(http.join(format!("{name}.http"))).unwrap(),
        )
        .unwrap()[0];
        let target = match &ex.request.start {
            mikeyconf::internals::exchange::StartLine::Request { target, .. } => target.clone(),
            _ => unreachable!(),
        };
        entries.push(serde_json::json!({
            "startedDateTime": at,
            "request": {"method": "POST", "url": format!("http://bsm.operator.com{target}"), "headers": [{"name": "Content-Type", "value": ex.request.header("content-type").unwrap()}],
                        "postData": {"mimeType": ex.request.header("content-type").unwrap(), "text": String::from_utf8_lossy(&ex.request.body)}},
            "response": {"status": 200, "statusText": "OK", "headers": [], "content": {"mimeType": ex.response.header("content-type").unwrap(), "text": String::from_utf8_lossy(&ex.response.body)}},
        }));
    }
    let har = serde_json::json!({"log": {"version": "1.2", "creator": {"name": "test", "version": "1"}, "entries": entries}});
    let mut out = serde_json::to_vec_pretty(&har).unwrap();
    out.push(b'\n');
    out
}

/// The session's UDP pushes and verification as a pcap (2023-11-14T22:13:20Z onwards).
fn session_pcap() -> Vec<u8> {
    let frames: Vec<Vec<u8>> = session_messages()
        .iter()
        .map(|(b, m)| ipv4_frame(*b, 2269, m))
        .collect();
    pcap(&frames, 1_700_000_000)
}

const EXAMPLES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/session");

/// Writes examples/session/ (run with --ignored after changing the session vector).
#[test]
#[ignore]
fn write_examples() {
    std::fs::create_dir_all(EXAMPLES).unwrap();
    std::fs::write(format!("{EXAMPLES}/capture.har"), session_har()).unwrap();
    std::fs::write(format!("{EXAMPLES}/pushes.pcap"), session_pcap()).unwrap();
    let (whole, cut) = cut_vectors();
    std::fs::write(format!("{VECTORS}/whole.pcap"), whole).unwrap();
    std::fs::write(format!("{VECTORS}/cut-in-second-frame.pcap"), cut).unwrap();
}

const VECTORS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/vectors/pcap");

/// vectors/pcap/: the session's first two pushes whole (examples/session/pushes.pcap), and
/// cut 10 octets short, inside the second packet record.
fn cut_vectors() -> (Vec<u8>, Vec<u8>) {
    let whole = session_pcap();
    let cut = whole[..whole.len() - 10].to_vec();
    (whole, cut)
}

#[test]
fn the_pcap_vectors_are_what_the_helpers_build() {
    let (whole, cut) = cut_vectors();
    assert_eq!(
        std::fs::read(format!("{VECTORS}/whole.pcap")).unwrap(),
        whole
    );
    assert_eq!(
        std::fs::read(format!("{VECTORS}/cut-in-second-frame.pcap")).unwrap(),
        cut,
        "run: cargo test --test pcap -- --ignored write_examples"
    );
}

/// The offsets at which each record (pcap) or block (pcapng) of `frames` ends, the headers'
/// first.
fn record_ends(frames: &[Vec<u8>], ng: bool) -> Vec<usize> {
    let mut at = if ng { 28 + 20 } else { 24 };
    let mut ends = vec![at];
    for f in frames {
        at += if ng {
            12 + 20 + f.len() + (4 - f.len() % 4) % 4
        } else {
            16 + f.len()
        };
        ends.push(at);
    }
    ends
}

/// What tshark reads of a capture: its frame numbers, and whether it warns of a cut.
fn tshark_reads(bytes: &[u8], name: &str) -> Option<(usize, bool)> {
    let ok = std::process::Command::new("tshark")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        return None;
    }
    let path = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    std::fs::write(&path, bytes).unwrap();
    let out = std::process::Command::new("tshark")
        .args([
            "-r",
            path.to_str().unwrap(),
            "-T",
            "fields",
            "-e",
            "frame.number",
        ])
        .output()
        .unwrap();
    let _ = std::fs::remove_file(&path);
    let frames = String::from_utf8_lossy(&out.stdout).lines().count();
    let warned = String::from_utf8_lossy(&out.stderr).contains("cut short");
    Some((frames, warned))
}

/// A capture cut off inside a record or block (issue 19: it was "could not check", its
/// frames lost): every frame before the cut is read and judged, and the cut is one
/// PCAP-FILE-01 warning at the last frame read whole, as tshark shows those frames and
/// warns that the file "appears to have been cut short". At every offset of both formats
/// in-process; against tshark (where installed) in the middle of each record.
#[test]
fn a_cut_capture_is_read_up_to_the_cut_as_tshark_reads_it() {
    let frames: Vec<Vec<u8>> = session_messages()
        .iter()
        .map(|(b, m)| ipv4_frame(*b, 2269, m))
        .collect();
    let e = engine();
    for (ng, whole) in [
        (false, pcap(&frames, 1_700_000_000)),
        (true, pcapng(&frames)),
    ] {
        let ends = record_ends(&frames, ng);
        assert_eq!(*ends.last().unwrap(), whole.len());
        for len in ends[0]..=whole.len() {
            let read =
                mikeyconf::internals::pcap::stream(&whole[..len], &[2269], &mut |_| {}).unwrap();
            let complete = ends.iter().filter(|&&end| end <= len).count() - 1;
            assert_eq!(read.frames, complete, "ng {ng}, {len} octets");
            match &read.cut {
                None => assert!(ends.contains(&len), "ng {ng}, {len} octets"),
                Some(cut) => {
                    assert_eq!(cut.after_frame, complete);
                    assert_eq!(cut.at as usize, ends[complete]);
                    assert_eq!(cut.at as usize + cut.octets, len);
                }
            }
        }
        // The engine: the frames before the cut judged, one warning for the cut.
        for (i, end) in ends.iter().enumerate().skip(1) {
            let len = end - 7;
            let r = e.check("cut.pcap", &whole[..len], None);
            let cut: Vec<_> = r
                .findings
                .iter()
                .filter(|f| f.rule == "PCAP-FILE-01")
                .collect();
            if i == 1 {
                // Cut inside the first frame: nothing was read whole.
                assert_eq!(r.verdict, Verdict::Error, "{:?}", r.findings);
                assert!(r
                    .error
                    .as_deref()
                    .unwrap()
                    .contains("cut off after frame 0"));
                continue;
            }
            assert_ne!(r.verdict, Verdict::Error, "{:?}", r.error);
            assert_eq!(cut.len(), 1, "{:#?}", r.findings);
            assert_eq!(cut[0].verdict.as_str(), "warn");
            // What followed the cut was not read: a rule that found nothing before it is
            // incomplete, never a pass, and so is the capture unless something failed.
            assert!(
                r.rules.iter().all(|o| o.outcome != Outcome::Pass),
                "{:#?}",
                r.rules
            );
            assert!(r.rules.iter().any(|o| matches!(
                &o.outcome,
                Outcome::Incomplete(why) if why.contains(&format!("up to frame {}", i - 1))
            )));
            let failed = r.findings.iter().any(|f| f.verdict == FindingVerdict::Fail);
            let verdict = if failed {
                Verdict::NonConformant
            } else {
                Verdict::Incomplete
            };
            assert_eq!(r.verdict, verdict, "{:#?}", r.findings);
            assert_eq!(
                cut[0].location.context.as_deref(),
                Some(format!("frame {}", i - 1).as_str())
            );
            let name = format!("cut-{ng}-{len}.pcap");
            if let Some((frames, warned)) = tshark_reads(&whole[..len], &name) {
                assert_eq!((frames, warned), (i - 1, true), "tshark on {name}");
            }
        }
        // Whole: PCAP-FILE-01 passes.
        let r = e.check("whole.pcap", &whole, None);
        let o = r.rules.iter().find(|o| o.rule == "PCAP-FILE-01").unwrap();
        assert_eq!(o.outcome.as_str(), "pass");
        if let Some(read) = tshark_reads(&whole, &format!("whole-{ng}.pcap")) {
            assert_eq!(read, (frames.len(), false));
        }
    }
}

#[test]
fn the_example_trace_is_what_the_converter_builds() {
    let datagrams = mikeyconf::internals::pcap::read_udp(&session_pcap(), &[2269, 4359]).unwrap();
    let hars = [mikeyconf::internals::trace::build::HarInput {
        path: "capture.har".into(),
        bytes: session_har(),
    }];
    let resolve = [("bsm.operator.com".to_string(), "203.0.113.5".to_string())]
        .into_iter()
        .collect();
    let built = mikeyconf::internals::trace::build::build(
        &hars,
        &datagrams,
        Some("10.0.0.7:40000"),
        resolve,
    )
    .unwrap();
    assert_eq!(
        std::fs::read_to_string(format!("{EXAMPLES}/session.trace.yaml")).unwrap(),
        built,
        "rebuild it with the README's mikeyconf trace command"
    );
}

#[test]
fn the_example_captures_are_what_the_helpers_build() {
    assert_eq!(
        std::fs::read(format!("{EXAMPLES}/capture.har")).unwrap(),
        session_har(),
        "run: cargo test --test pcap -- --ignored write_examples"
    );
    assert_eq!(
        std::fs::read(format!("{EXAMPLES}/pushes.pcap")).unwrap(),
        session_pcap(),
        "run: cargo test --test pcap -- --ignored write_examples"
    );
}

#[test]
fn reads_ipv4_and_ipv6_datagrams_on_the_mikey_ports_with_frame_numbers() {
    let msgs = session_messages();
    let frames = vec![
        ipv4_frame(true, 2269, &msgs[0].1),
        ipv4_frame(true, 5060, b"not mikey"),
        ipv6_frame(&msgs[1].1),
        ipv4_frame(false, 4359, &msgs[1].1),
    ];
    for bytes in [pcap(&frames, 1_700_000_000), pcapng(&frames)] {
        let d = mikeyconf::internals::pcap::read_udp(&bytes, &[2269, 4359]).unwrap();
        assert_eq!(d.iter().map(|x| x.frame).collect::<Vec<_>>(), vec![1, 3, 4]);
        assert_eq!(d[0].src, "203.0.113.5:2269");
        assert_eq!(d[1].dst, "[2001:db8::7]:2269");
        assert_eq!(d[2].payload, msgs[1].1);
    }
}

#[test]
fn truncated_or_garbage_captures_are_clear_errors() {
    let msgs = session_messages();
    let whole = pcap(&[ipv4_frame(true, 2269, &msgs[0].1)], 1_700_000_000);
    for cut in [10, 30, whole.len() - 5] {
        let e = mikeyconf::internals::pcap::read_udp(&whole[..cut], &[2269]);
        assert!(e.is_err(), "cut at {cut} must not read");
    }
    assert!(mikeyconf::internals::pcap::read_udp(b"GIF89a not a capture", &[2269]).is_err());
    let r = engine().check("garbage.pcap", &[0xd4, 0xc3, 0xb2, 0xa1, 0, 0], None);
    assert_eq!(r.verdict, Verdict::Error);
}

#[test]
fn a_capture_of_the_session_pushes_is_conformant_and_a_verified_mtk_is_named_by_frame() {
    let msgs = session_messages();
    let frames: Vec<Vec<u8>> = msgs.iter().map(|(b, m)| ipv4_frame(*b, 2269, m)).collect();
    let r = engine().check("session.pcap", &pcap(&frames, 1_700_000_000), None);
    assert_eq!(r.verdict, Verdict::Conformant, "{:#?}", r.findings);
    assert_eq!(r.kind, "pcap");

    // An MTK message over UDP (the session's first FLUTE MTK), answered by a verification
    // that carries its CSB ID and timestamp (RFC 3830: what pairs it with the MTK).
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("vectors/trace/complete-session.trace.yaml"),
    )
    .unwrap();
    let v: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
    let mtk_hex = v["events"]
        .as_sequence()
        .unwrap()
        .iter()
        .find_map(|e| {
            e["flute"]["objects"].as_mapping()?.values().next()?["hex"]
                .as_str()
                .map(str::to_string)
        })
        .unwrap();
    let mtk = hex::decode(mtk_hex).unwrap();
    assert!(mikeyconf::internals::mikey::decode(&mtk).is_clean());
    let verification = {
        let mut v = msgs[1].1.clone();
        v[4..8].copy_from_slice(&mtk[4..8]);
        // HDR (10 octets), then T: next payload, TS type, COUNTER. In the MTK message the T
        // payload follows the Key ID extension.
        let ext_len = u16::from_be_bytes([mtk[12], mtk[13]]) as usize;
        let t = 10 + 4 + ext_len;
        assert_eq!((v[11], mtk[t + 1]), (2, 2), "both T payloads are COUNTERs");
        v[12..16].copy_from_slice(&mtk[t + 2..t + 6]);
        v
    };
    let mut frames2 = frames.clone();
    frames2.push(ipv4_frame(true, 2269, &mtk));
    frames2.push(ipv4_frame(false, 2269, &verification));
    let r = engine().check("mtk-verified.pcap", &pcap(&frames2, 1_700_000_000), None);
    let f: Vec<_> = r
        .findings
        .iter()
        .filter(|f| f.rule == "MBMS-MTK-02")
        .collect();
    assert_eq!(f.len(), 1, "{:#?}", r.findings);
    assert_eq!(
        f[0].location.context.as_deref(),
        Some("frame 4 (10.0.0.7:2269 -> 203.0.113.5:2269)")
    );
}

#[test]
fn har_and_pcap_become_a_trace_that_is_judged_whole() {
    let dir = std::env::temp_dir().join(format!("mikeyconf-trace-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("session.har"), session_har()).unwrap();
    let msgs = session_messages();
    let build = |frames: &[Vec<u8>]| {
        let datagrams =
            mikeyconf::internals::pcap::read_udp(&pcap(frames, 1_700_000_000), &[2269]).unwrap(); // 2023-11-14T22:13:20Z
        let hars = [mikeyconf::internals::trace::build::HarInput {
            path: "session.har".into(),
            bytes: std::fs::read(dir.join("session.har")).unwrap(),
        }];
        let resolve = [("bsm.operator.com".to_string(), "203.0.113.5".to_string())]
            .into_iter()
            .collect();
        mikeyconf::internals::trace::build::build(
            &hars,
            &datagrams,
            Some("10.0.0.7:40000"),
            resolve,
        )
        .unwrap()
    };
    let all: Vec<Vec<u8>> = msgs.iter().map(|(b, m)| ipv4_frame(*b, 2269, m)).collect();
    let text = build(&all);
    std::fs::write(dir.join("session.trace.yaml"), &text).unwrap();
    let input = dir.join("session.trace.yaml").display().to_string();
    let r = engine().check(&input, text.as_bytes(), None);
    assert_eq!(r.kind, "session-trace");
    assert_eq!(r.verdict, Verdict::Conformant, "{text}\n{:#?}", r.findings);
    // Without the verification frame, BCAST-DLV-12 fails on the push's event.
    let text = build(&all[..1]);
    let r = engine().check(&input, text.as_bytes(), None);
    assert!(
        r.findings.iter().any(|f| f.rule == "BCAST-DLV-12"),
        "{text}\n{:#?}",
        r.findings
    );
    std::fs::remove_dir_all(&dir).ok();
}

/// An Ethernet / IPv4 / UDP frame between the terminal and the BSM, with its own ports.
fn udp_frame(sport: u16, dport: u16, payload: &[u8]) -> Vec<u8> {
    let b = etherparse::PacketBuilder::ethernet2([2, 0, 0, 0, 0, 1], [2, 0, 0, 0, 0, 2])
        .ipv4(UE, BSM, 64)
        .udp(sport, dport);
    let mut out = Vec::with_capacity(b.size(payload.len()));
    b.write(&mut out, payload).unwrap();
    out
}

fn tcp_frame(sport: u16, dport: u16, payload: &[u8]) -> Vec<u8> {
    let b = etherparse::PacketBuilder::ethernet2([2, 0, 0, 0, 0, 1], [2, 0, 0, 0, 0, 2])
        .ipv4(UE, BSM, 64)
        .tcp(sport, dport, 1, 65535);
    let mut out = Vec::with_capacity(b.size(payload.len()));
    b.write(&mut out, payload).unwrap();
    out
}

/// DNS queries and answers and SIP: 12 frames, not one on a MIKEY port.
fn dns_and_sip() -> Vec<Vec<u8>> {
    let mut frames = Vec::new();
    for i in 0..4 {
        frames.push(udp_frame(53000 + i, 53, b"query"));
        frames.push(udp_frame(53, 53000 + i, b"answer"));
    }
    for _ in 0..4 {
        frames.push(udp_frame(5070, 5070, b"INVITE sip:bob@example.com SIP/2.0"));
    }
    frames
}

#[test]
fn a_capture_without_mikey_datagrams_could_not_be_checked_and_says_what_it_held() {
    let frames = dns_and_sip();
    for bytes in [pcap(&frames, 1_700_000_000), pcapng(&frames)] {
        let r = engine().check("dns.pcap", &bytes, None);
        assert_eq!(r.verdict, Verdict::Error, "{r:#?}");
        assert_eq!(
            r.error.as_deref(),
            Some(
                "nothing in it could be checked: 12 frames: UDP 53 (8), UDP 5070 (4); no UDP \
                 datagram on the MIKEY ports 2269, 4359 (setting pcap_ports), no SIP on ports \
                 [5060] (setting sip.ports), no HTTP on TCP ports [80, 8080] (setting http.ports), no FLUTE MTK object or FDT instance"
            )
        );
    }
    // An empty capture, and one of TCP only, are no better.
    let r = engine().check("empty.pcap", &pcap(&[], 1_700_000_000), None);
    assert_eq!(
        r.error.as_deref(),
        Some("nothing in it could be checked: 0 frames; no UDP datagram on the MIKEY ports 2269, 4359 (setting pcap_ports), no SIP on ports [5060] (setting sip.ports), no HTTP on TCP ports [80, 8080] (setting http.ports), no FLUTE MTK object or FDT instance")
    );
    let r = engine().check(
        "tcp.pcap",
        &pcap(&[tcp_frame(40000, 80, b"GET /")], 1),
        None,
    );
    assert!(
        r.error
            .as_deref()
            .unwrap()
            .contains(": 1 frame: TCP 80 (1);"),
        "{r:#?}"
    );
    // A request cut short on an HTTP port is not read, and the error says so.
    assert!(
        r.error.as_deref().unwrap().contains(
            "(TCP 10.0.0.7:40000 -> 203.0.113.5:80 (by frame 1): the connection ends inside an HTTP request (5 octets), which was not judged)"
        ),
        "{r:#?}"
    );
    // The capture kind named with --as is held to the same.
    let r = engine().check("dns.cap", &pcap(&frames, 1), Some("pcap"));
    assert_eq!(r.verdict, Verdict::Error);
}

#[test]
fn datagrams_on_a_mikey_port_that_are_no_mikey_message_are_not_judged_and_say_so() {
    let msgs = session_messages();
    let junk = udp_frame(40000, 2269, b"hello");
    let r = engine().check("junk.pcap", &pcap(std::slice::from_ref(&junk), 1), None);
    assert_eq!(r.verdict, Verdict::Error, "{r:#?}");
    let e = r.error.unwrap();
    assert!(
        e.starts_with(
            "nothing in it could be checked: frame 1 (10.0.0.7:40000 -> 203.0.113.5:2269): not a MIKEY message"
        ),
        "{e}"
    );
    // Beside a judged datagram: judged, with a note naming the frame that was not.
    let mut frames = dns_and_sip();
    frames.push(ipv4_frame(true, 2269, &msgs[0].1));
    frames.push(junk);
    let r = engine().check("some.pcap", &pcap(&frames, 1_700_000_000), None);
    assert_ne!(r.verdict, Verdict::Error, "{r:#?}");
    assert_eq!(
        r.notes[0],
        "2 MIKEY datagrams on UDP ports 2269, 4359, of 14 frames; not read: UDP 53 (8), UDP 5070 (4)"
    );
    assert!(
        r.notes[1].starts_with("1 datagram was not judged: frame 14 (10.0.0.7:40000 -> 203.0.113.5:2269): not a MIKEY message"),
        "{:#?}",
        r.notes
    );
    // The MIKEY and session rules did not judge frame 14: finding nothing in frame 13 is no
    // pass (issue 20). The file itself was read whole.
    let outcome = |id: &str| &r.rules.iter().find(|o| o.rule == id).unwrap().outcome;
    assert!(
        matches!(outcome("MIKEY-HDR-01"), Outcome::Incomplete(why) if why.contains("frame 14")),
        "{:#?}",
        r.rules
    );
    assert_eq!(outcome("PCAP-FILE-01"), &Outcome::Pass);
    let failed = r.findings.iter().any(|f| f.verdict == FindingVerdict::Fail);
    assert_eq!(r.verdict == Verdict::Incomplete, !failed, "{r:#?}");
}

/// A capture read as a stream keeps the session state of at most `limits.session_terminals`
/// terminals at once: past it the one idle longest is released, and a terminal seen again
/// after its release gets the session rules resting on its earlier state reported as
/// incomplete, naming it, never as passed; the capture's verdict is `incomplete`.
#[test]
fn a_terminal_released_over_the_bound_and_seen_again_is_incomplete_rather_than_passed() {
    let msg = hex::decode(
        std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("vectors/mikey/real/dbc-mbms-msk-vendor-a.hex"),
        )
        .unwrap()
        .split_whitespace()
        .collect::<String>(),
    )
    .unwrap();
    let push_to = |terminal: [u8; 4]| {
        let b = etherparse::PacketBuilder::ethernet2([2, 0, 0, 0, 0, 1], [2, 0, 0, 0, 0, 2])
            .ipv4(BSM, terminal, 64)
            .udp(2269, 2269);
        let mut out = Vec::with_capacity(b.size(msg.len()));
        b.write(&mut out, &msg).unwrap();
        out
    };
    // The same MSK message to 10.0.0.7, to 10.0.0.8, and to 10.0.0.7 again: a replayed
    // counter (MBMS-KEY-01) at frame 3.
    let frames = vec![push_to(UE), push_to([10, 0, 0, 8]), push_to(UE)];
    let capture = pcap(&frames, 1_700_000_000);
    let session_rules = |e: &Engine| -> Vec<String> {
        e.rules
            .rules
            .iter()
            .filter(|r| r.check.domain() == mikeyconf::internals::rules::Domain::Trace)
            .filter(|r| r.applies_to.iter().any(|k| k == "pcap"))
            // Judged from the file as it is read (PCAP-FILE-01), not from the sessions; and
            // the FLUTE object rules (MBMS-MTK-03..05), which keep no terminal's state.
            .filter(|r| !matches!(r.check.name(), "capture_complete" | "trace_flute_mtk"))
            .map(|r| r.id.clone())
            .collect()
    };
    let full = engine();
    let judged = full.check("replay.pcap", &capture, None);
    let rules = session_rules(&full);
    let key01: Vec<_> = judged
        .findings
        .iter()
        .filter(|f| f.rule == "MBMS-KEY-01")
        .collect();
    assert_eq!(key01.len(), 1, "{judged:#?}");
    assert_eq!(
        key01[0].location.context.as_deref(),
        Some("frame 3 (203.0.113.5:2269 -> 10.0.0.7:2269)")
    );
    let settings = Settings::load(None, &["limits.session_terminals=1".to_string()]).unwrap();
    let rules_set = RuleSet::builtin(&settings).unwrap();
    let small = Engine::new(settings, rules_set, false).unwrap();
    let r = small.check("replay.pcap", &capture, None);
    assert!(
        !r.findings.iter().any(|f| rules.contains(&f.rule)),
        "{r:#?}"
    );
    for id in &rules {
        let o = r.rules.iter().find(|o| &o.rule == id).unwrap();
        assert_eq!(o.outcome.as_str(), "incomplete", "{id}: {o:?}");
        let reason = o.outcome.reason().unwrap();
        assert!(
            reason.contains("session_terminals") && reason.contains("10.0.0.7 ("),
            "{o:?}"
        );
    }
    assert_eq!(r.verdict, Verdict::Incomplete, "{r:#?}");
    assert!(
        r.notes
            .iter()
            .any(|n| n.contains("limits.session_terminals = 1")),
        "{:#?}",
        r.notes
    );
    // Released and never seen again: nothing was lost, the capture is judged in full.
    let once = pcap(&[push_to(UE), push_to([10, 0, 0, 8])], 1_700_000_000);
    let r = small.check("once.pcap", &once, None);
    assert_eq!(r.verdict, Verdict::Conformant, "{r:#?}");
}

/// At most `limits.max_findings` findings are listed; the rest are counted in a note, and
/// the verdict does not change.
#[test]
fn findings_past_the_limit_are_counted_not_listed() {
    let frames: Vec<Vec<u8>> = (0..5)
        .map(|_| ipv4_frame(true, 2269, &[1, 0, 0, 0, 0, 0, 0, 0, 0]))
        .collect();
    let settings = Settings::load(None, &["limits.max_findings=2".to_string()]).unwrap();
    let rules = RuleSet::builtin(&settings).unwrap();
    let e = Engine::new(settings, rules, false).unwrap();
    let r = e.check("short.pcap", &pcap(&frames, 1), None);
    assert_eq!(r.findings.len(), 2, "{r:#?}");
    assert_eq!(r.verdict, Verdict::NonConformant);
    assert!(
        r.notes
            .iter()
            .any(|n| n.contains("only the first 2 findings are listed")),
        "{:#?}",
        r.notes
    );
}

//! SIP in packet captures: the complete MCVideo exchange of vectors/sip/ sent over UDP (one
//! datagram per message) and over TCP (messages cut into segments, one segment sent twice and
//! one out of order) is judged as the text file is; TLS and over-long TCP flows are reported.

use mikeyconf::internals::engine::Engine;
use mikeyconf::internals::finding::{Outcome, Verdict};
use mikeyconf::internals::rules::RuleSet;
use mikeyconf::internals::settings::Settings;
use std::path::Path;

#[path = "common/capture_files.rs"]
mod capture_files;

const A: [u8; 4] = [192, 0, 2, 10];
const B: [u8; 4] = [192, 0, 2, 20];

fn engine(assignments: &[String]) -> Engine {
    let settings = Settings::load(None, assignments).unwrap();
    let rules = RuleSet::builtin(&settings).unwrap();
    Engine::new(settings, rules, false).unwrap()
}

/// The messages of the complete exchange, as separate byte strings.
fn exchange() -> Vec<Vec<u8>> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("vectors/sip/complete-exchange.sip");
    let bytes = std::fs::read(path).unwrap();
    let file = mikeyconf::internals::sip::read(&bytes, &Default::default());
    file.messages
        .iter()
        .map(|m| bytes[m.span.clone()].to_vec())
        .collect()
}

/// Requests go from A to B, responses back.
fn ends(m: &[u8]) -> ([u8; 4], [u8; 4]) {
    if m.starts_with(b"SIP/2.0") {
        (B, A)
    } else {
        (A, B)
    }
}

fn udp(m: &[u8], port: u16) -> Vec<u8> {
    let (s, d) = ends(m);
    let b = etherparse::PacketBuilder::ethernet2([2, 0, 0, 0, 0, 1], [2, 0, 0, 0, 0, 2])
        .ipv4(s, d, 64)
        .udp(port, port);
    let mut out = Vec::new();
    b.write(&mut out, m).unwrap();
    out
}

fn tcp(src: [u8; 4], dst: [u8; 4], port: u16, seq: u32, payload: &[u8]) -> Vec<u8> {
    let (sp, dp) = if src == A {
        (40000, port)
    } else {
        (port, 40000)
    };
    let b = etherparse::PacketBuilder::ethernet2([2, 0, 0, 0, 0, 1], [2, 0, 0, 0, 0, 2])
        .ipv4(src, dst, 64)
        .tcp(sp, dp, seq, 65535);
    let mut out = Vec::new();
    b.write(&mut out, payload).unwrap();
    out
}

/// Each message in segments of at most 300 octets; in the first message the third segment
/// comes before the second, and the second is sent twice.
fn tcp_frames(port: u16) -> Vec<Vec<u8>> {
    let mut seq = [1000u32, 5000u32];
    let mut frames = Vec::new();
    for (i, m) in exchange().iter().enumerate() {
        let (s, d) = ends(m);
        let k = usize::from(s != A);
        let mut segs: Vec<Vec<u8>> = m
            .chunks(300)
            .map(|c| {
                let f = tcp(s, d, port, seq[k], c);
                seq[k] = seq[k].wrapping_add(c.len() as u32);
                f
            })
            .collect();
        if i == 0 && segs.len() >= 3 {
            // The third segment before the second (out of order), then the second again.
            segs.swap(1, 2);
            let again = segs[2].clone();
            segs.insert(3, again);
        }
        frames.extend(segs);
    }
    frames
}

/// A classic pcap (microseconds, Ethernet) of the frames, one second apart.
fn pcap(frames: &[Vec<u8>]) -> Vec<u8> {
    capture_files::pcap(frames, 1_700_000_000)
}

/// The exchange over UDP and over TCP; the captures are kept in examples/sip/ for the
/// README's walk-through.
#[test]
fn the_exchange_over_udp_and_tcp_is_judged_as_the_text_is() {
    let e = engine(&[]);
    let text = e.check(
        "x.sip",
        &std::fs::read(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("vectors/sip/complete-exchange.sip"),
        )
        .unwrap(),
        None,
    );
    assert_eq!(text.verdict, Verdict::Conformant);
    let udp_frames: Vec<Vec<u8>> = exchange().iter().map(|m| udp(m, 5060)).collect();
    for (name, frames) in [("udp", udp_frames), ("tcp", tcp_frames(5060))] {
        let bytes = pcap(&frames);
        let r = e.check(&format!("mcvideo-{name}.pcap"), &bytes, None);
        assert_eq!(r.verdict, Verdict::Conformant, "{name}: {r:#?}");
        assert!(
            r.notes.iter().any(|n| n == "8 SIP messages"),
            "{name}: {:#?}",
            r.notes
        );
        let applied = |r: &mikeyconf::internals::finding::CheckResult| {
            r.rules
                .iter()
                .filter(|o| o.outcome.as_str() == "pass")
                .map(|o| o.rule.clone())
                .collect::<Vec<_>>()
        };
        // The capture adds its own rule (PCAP-FILE-01, the file ends with a whole block)
        // and nothing else.
        let mut in_capture = applied(&r);
        assert_eq!(in_capture.pop().as_deref(), Some("PCAP-FILE-01"), "{name}");
        assert_eq!(in_capture, applied(&text), "{name}");
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/sip");
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(format!("mcvideo-exchange-{name}.pcap"));
        // The committed examples are what this helper builds (written when missing).
        match std::fs::read(&path) {
            Ok(old) => assert!(
                old == bytes,
                "{} differs from what the helper builds",
                path.display()
            ),
            Err(_) => std::fs::write(&path, &bytes).unwrap(),
        }
    }
}

#[test]
fn a_finding_in_a_captured_message_names_its_frame() {
    let mut frames: Vec<Vec<u8>> = exchange().iter().map(|m| udp(m, 5060)).collect();
    let bad = String::from_utf8_lossy(&exchange()[6]).replace(
        "urn:urn-7:3gpp-service.ims.icsi.mcvideo\r\n",
        "urn:urn-7:3gpp-service.ims.icsi.mcptt\r\n",
    );
    frames[6] = udp(bad.as_bytes(), 5060);
    let r = engine(&[]).check("bad.pcap", &pcap(&frames), None);
    assert_eq!(r.verdict, Verdict::NonConformant);
    let f = r
        .findings
        .iter()
        .find(|f| f.rule == "MCV-SND-03")
        .expect("MCV-SND-03");
    assert!(
        f.location
            .context
            .as_deref()
            .unwrap()
            .starts_with("frame 7 (UDP 192.0.2.10:5060 -> 192.0.2.20:5060)"),
        "{f:#?}"
    );
    assert!(f.location.line > 1 && f.location.line < 15, "{f:#?}");
}

/// A capture of SIP only, cut off inside its last record: the SIP rules that found nothing in
/// the messages before the cut are incomplete, never passes, and so is the capture (it was
/// conformant, the cut a warning only).
#[test]
fn a_sip_capture_cut_short_is_incomplete() {
    let frames: Vec<Vec<u8>> = exchange().iter().map(|m| udp(m, 5060)).collect();
    let whole = pcap(&frames);
    let r = engine(&[]).check("cut.pcap", &whole[..whole.len() - 7], None);
    assert_eq!(r.verdict, Verdict::Incomplete, "{r:#?}");
    let of = |id: &str| r.rules.iter().find(|o| o.rule == id).map(|o| &o.outcome);
    assert_eq!(of("PCAP-FILE-01"), Some(&Outcome::Warn));
    assert!(r.rules.iter().all(|o| o.outcome != Outcome::Pass), "{r:#?}");
    let incomplete = r
        .rules
        .iter()
        .filter(|o| matches!(&o.outcome, Outcome::Incomplete(why) if why.contains("up to frame 7")))
        .count();
    assert!(incomplete > 5, "{r:#?}");
}

#[test]
fn tls_and_over_long_tcp_flows_are_reported_not_read() {
    let r = engine(&[]).check("tls.pcap", &pcap(&tcp_frames(5061)), None);
    assert_eq!(r.verdict, Verdict::Error);
    assert!(
        r.error
            .as_deref()
            .unwrap()
            .contains("TCP segments on port 5061 (SIP over TLS) cannot be read"),
        "{r:#?}"
    );
    let e = engine(&["sip.max_tcp_buffer=200".to_string()]);
    let r = e.check("small.pcap", &pcap(&tcp_frames(5060)), None);
    assert!(
        r.notes
            .iter()
            .any(|n| n.contains("more than 200 octets of SIP waited")
                && n.contains("sip.max_tcp_buffer")),
        "{:#?}",
        r.notes
    );
    // The rest of the flow was not read: the SIP rules that found nothing in what was are
    // incomplete, never passes (issue 20), and the capture is incomplete unless one failed.
    // The file itself ends with a whole block (PCAP-FILE-01 passes).
    assert!(
        r.rules
            .iter()
            .all(|o| o.outcome != Outcome::Pass || o.rule == "PCAP-FILE-01"),
        "{r:#?}"
    );
    assert!(
        r.rules.iter().any(|o| matches!(
            &o.outcome,
            Outcome::Incomplete(why) if why.contains("the rest of the flow was not read")
        )),
        "{r:#?}"
    );
    let failed = r.findings.iter().any(|f| f.verdict.as_str() == "fail");
    assert_eq!(r.verdict == Verdict::Incomplete, !failed, "{r:#?}");
}

/// RFC 3261 18.3: over UDP, octets after the Content-Length body are discarded, so a
/// datagram with trailing junk is as conformant as one without (and the discarding is noted).
#[test]
fn udp_octets_after_the_content_length_body_are_discarded() {
    let frames: Vec<Vec<u8>> = exchange()
        .iter()
        .map(|m| {
            let mut m = m.clone();
            m.extend_from_slice(b"\r\nINVITE junk after the body SIP/2.0\r\n\x00\x01");
            udp(&m, 5060)
        })
        .collect();
    let r = engine(&[]).check("trailing.pcap", &pcap(&frames), None);
    assert_eq!(r.verdict, Verdict::Conformant, "{:#?}", r.findings);
    assert!(
        r.notes
            .iter()
            .any(|n| n.contains("discarded (RFC 3261 18.3)")),
        "{:#?}",
        r.notes
    );
}

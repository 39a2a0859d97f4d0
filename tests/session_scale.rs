//! The session engine at scale (issue 21 part 5): captures written here of many MSK pushes
//! (the DBC MSK message of vectors/mikey/real, its counter set per push), to one terminal or
//! spread over many, with one stale counter: MBMS-KEY-01 fails at that frame, in one run with
//! default settings, and nothing is reported incomplete. The counts are small enough for a
//! debug build; the full counts of the issue (200 000 pushes; 1 000 000 terminals) are
//! measured in release by `tools/bench.sh --sessions`.

use mikeyconf::internals::engine::Engine;
use mikeyconf::internals::finding::Verdict;
use mikeyconf::internals::rules::RuleSet;
use mikeyconf::internals::settings::Settings;
use std::path::Path;

fn engine(overrides: &[&str]) -> Engine {
    let o: Vec<String> = overrides.iter().map(|s| s.to_string()).collect();
    let settings = Settings::load(None, &o).unwrap();
    let rules = RuleSet::builtin(&settings).unwrap();
    Engine::new(settings, rules, false).unwrap()
}

/// The DBC MSK message (no V flag, a COUNTER T payload).
fn msk_message() -> Vec<u8> {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("vectors/mikey/real/dbc-mbms-msk-vendor-a.hex"),
    )
    .unwrap();
    hex::decode(text.split_whitespace().collect::<String>()).unwrap()
}

/// Where the T payload's 4-octet counter is in [`msk_message`].
const COUNTER: usize = 27;

/// A classic pcap of `count` pushes from 203.0.113.5:2269 to `terminals` terminals
/// (10.x.y.z:2269) round robin, each terminal's counters 1, 2, 3, ... except at push
/// `stale` (1-based), whose counter repeats its terminal's previous one.
fn pushes(count: usize, terminals: usize, stale: Option<usize>) -> Vec<u8> {
    let mut msg = msk_message();
    assert_eq!(
        mikeyconf::internals::trace::facts::MikeyFacts::of(&msg).counter,
        Some(u32::from_be_bytes(
            msg[COUNTER..COUNTER + 4].try_into().unwrap()
        ))
    );
    let mut out = Vec::with_capacity(24 + count * (16 + 42 + msg.len()));
    for v in [
        0xa1b2c3d4u32.to_le_bytes().as_slice(),
        &2u16.to_le_bytes(),
        &4u16.to_le_bytes(),
    ] {
        out.extend_from_slice(v);
    }
    for v in [0u32, 0, 65535, 1] {
        out.extend_from_slice(&v.to_le_bytes());
    }
    for i in 0..count {
        let (t, mut n) = (i % terminals, (i / terminals + 1) as u32);
        if stale == Some(i + 1) {
            n -= 1;
        }
        msg[COUNTER..COUNTER + 4].copy_from_slice(&n.to_be_bytes());
        let dst = [10, (t >> 16) as u8, (t >> 8) as u8, t as u8];
        let b = etherparse::PacketBuilder::ethernet2([2, 0, 0, 0, 0, 1], [2, 0, 0, 0, 0, 2])
            .ipv4([203, 0, 113, 5], dst, 64)
            .udp(2269, 2269);
        let mut frame = Vec::with_capacity(b.size(msg.len()));
        b.write(&mut frame, &msg).unwrap();
        for v in [1_700_000_000 + (i / 1000) as u32, (i % 1000) as u32 * 1000] {
            out.extend_from_slice(&v.to_le_bytes());
        }
        out.extend_from_slice(&(frame.len() as u32).to_le_bytes());
        out.extend_from_slice(&(frame.len() as u32).to_le_bytes());
        out.extend_from_slice(&frame);
    }
    out
}

/// The capture is judged in full: its one finding is MBMS-KEY-01 at frame `stale`, and no
/// rule is incomplete.
fn fails_key_01_at(e: &Engine, capture: &[u8], stale: usize, terminal: &str) {
    let r = e.check("pushes.pcap", capture, None);
    assert_eq!(r.verdict, Verdict::NonConformant, "{:?}", r.notes);
    assert_eq!(r.findings.len(), 1, "{:#?}", r.findings);
    let f = &r.findings[0];
    assert_eq!(f.rule, "MBMS-KEY-01");
    assert_eq!(
        f.location.context.as_deref(),
        Some(format!("frame {stale} (203.0.113.5:2269 -> {terminal}:2269)").as_str())
    );
    assert!(
        f.message.contains("is not greater than the previous"),
        "{}",
        f.message
    );
    assert!(
        r.rules.iter().all(|o| o.outcome.as_str() != "incomplete"),
        "{:?}",
        r.rules
            .iter()
            .filter(|o| o.outcome.as_str() == "incomplete")
            .collect::<Vec<_>>()
    );
}

/// The 200 000 pushes with the stale counter at push 150 001, at a tenth of the
/// scale: far more than the old 50 000-datagram budget held per terminal relative to it, and
/// the same code path whatever the count (the state per terminal does not grow with it).
#[test]
fn a_stale_counter_late_in_many_pushes_to_one_terminal_fails_key_01_at_its_frame() {
    let (count, stale) = (20_000, 15_001);
    fails_key_01_at(
        &engine(&[]),
        &pushes(count, 1, Some(stale)),
        stale,
        "10.0.0.0",
    );
}

#[test]
fn a_stale_counter_in_pushes_spread_over_50_terminals_fails_key_01_at_its_frame() {
    let (count, stale) = (20_000, 15_001);
    // Push 15 001 goes to terminal 15 000 % 50 = 0.
    fails_key_01_at(
        &engine(&[]),
        &pushes(count, 50, Some(stale)),
        stale,
        "10.0.0.0",
    );
}

/// Under a window far smaller than the pushes, the per-terminal state stays what it is: the
/// last counter is all KEY-01 keeps, so the stale one is still found.
#[test]
fn the_window_does_not_bound_how_many_pushes_a_terminal_gets() {
    let (count, stale) = (3_000, 2_001);
    let e = engine(&["limits.session_window=4"]);
    fails_key_01_at(&e, &pushes(count, 1, Some(stale)), stale, "10.0.0.0");
}

/// One push to each of many terminals, with room for a tenth of them at once: each is
/// released in turn, none is seen again, so nothing is lost and the capture is conformant,
/// with a note saying how many were released.
#[test]
fn terminals_released_and_never_seen_again_leave_the_capture_judged_in_full() {
    let e = engine(&["limits.session_terminals=300"]);
    let r = e.check("many.pcap", &pushes(3_000, 3_000, None), None);
    assert_eq!(r.verdict, Verdict::Conformant, "{:#?}", r.notes);
    assert!(
        r.notes
            .iter()
            .any(|n| n.contains("2700 terminals was released") || n.contains("2700 terminals")),
        "{:#?}",
        r.notes
    );
    // Two rounds: every terminal is seen again after its release, and is named incomplete.
    let r = e.check("twice.pcap", &pushes(6_000, 3_000, Some(4_500)), None);
    assert_eq!(r.verdict, Verdict::Incomplete, "{:#?}", r.findings);
    let o = r.rules.iter().find(|o| o.rule == "MBMS-KEY-01").unwrap();
    assert_eq!(o.outcome.as_str(), "incomplete");
    assert!(
        o.outcome
            .reason()
            .unwrap()
            .starts_with("not judged in full for 3000 terminals: 10.0.0.0 (its state was released"),
        "{o:?}"
    );
}

/// A trace of UDP pushes (role, hex) from the BSM, and verifications from the terminal.
fn udp_trace(events: &[(&str, &str)]) -> Vec<u8> {
    let mut t = String::from("trace: 1\nevents:\n");
    for (role, hex) in events {
        let (from, to) = if *role == "verification" {
            ("10.0.0.7:2269", "203.0.113.5:2269")
        } else {
            ("203.0.113.5:2269", "10.0.0.7:2269")
        };
        t.push_str(&format!(
            "- from: {from}\n  to: {to}\n  role: {role}\n  udp:\n    hex: {hex}\n"
        ));
    }
    t.into_bytes()
}

/// vectors/trace/mtk-verified.trace.yaml's LTKM (V flag, CSB ID 0x3000), MTK message (CSB ID
/// 0x6000, counter 1) and the verification of that MTK message.
const LTKM: &str = "010015800000300000010505000201000b02000000030610000102030405060708090a0b0c0d0e0f0100001062736d2e6f70657261746f722e636f6d000200108254c329a92850f6d539dd376f4816ee0162c66a7a5dd70c3146618063c344e531e6d4b59e";
const MTK: &str = "010015000000600000010503000f0003b8709d010468c9000002020001010200000001000200108254c329a92850f6d539dd376f4816ee0162c66a7a5dd70c3146618063c344e531e6d4b59e";
const MTK_VERIFIED: &str =
    "0101050000006000000109020000000100014c94485e0c21ae6c41ce1dfe7b6bfaceea5ab68e";

/// A verification of an MTK message that left the window of delivered messages is not paired
/// (it may answer something older): MBMS-MTK-02 is incomplete for the terminal, naming it and
/// the event, not passed and not failed. Within the window, it fails.
#[test]
fn a_verification_of_a_message_past_the_window_is_incomplete_not_judged() {
    let trace = udp_trace(&[
        ("mtk", MTK),
        ("msk", LTKM),
        ("msk", LTKM),
        ("verification", MTK_VERIFIED),
    ]);
    let r = engine(&[]).check("t.trace.yaml", &trace, None);
    assert!(
        r.findings.iter().any(|f| f.rule == "MBMS-MTK-02"),
        "{:#?}",
        r.findings
    );
    let r = engine(&["limits.session_window=2"]).check("t.trace.yaml", &trace, None);
    assert!(
        !r.findings.iter().any(|f| f.rule == "MBMS-MTK-02"),
        "{:#?}",
        r.findings
    );
    let o = r.rules.iter().find(|o| o.rule == "MBMS-MTK-02").unwrap();
    assert_eq!(o.outcome.as_str(), "incomplete", "{o:?}");
    let reason = o.outcome.reason().unwrap();
    assert!(
        reason.contains("the session (the verification message of event 4 may answer")
            && reason.contains("limits.session_window = 2"),
        "{reason}"
    );
}

/// Past the window of messages awaiting a verification, the oldest is not reported as
/// unverified (a verification may come later than any window): BCAST-DLV-12 still fails on
/// the LTKMs within the window, and a note names what it did not judge.
#[test]
fn ltkms_awaiting_past_the_window_are_named_not_judged() {
    let trace = udp_trace(&[("ltkm", LTKM), ("ltkm", LTKM), ("ltkm", LTKM)]);
    let dlv12 = |e: &Engine| {
        let r = e.check("t.trace.yaml", &trace, None);
        let n = r
            .findings
            .iter()
            .filter(|f| f.rule == "BCAST-DLV-12")
            .count();
        (n, r)
    };
    assert_eq!(dlv12(&engine(&[])).0, 3);
    let (n, r) = dlv12(&engine(&["limits.session_window=2"]));
    assert_eq!(n, 2, "{:#?}", r.findings);
    assert!(
        !r.findings
            .iter()
            .any(|f| f.rule == "BCAST-DLV-12" && f.location.context.as_deref() == Some("event 1")),
        "{:#?}",
        r.findings
    );
    assert!(
        r.notes
            .iter()
            .any(|n| n.contains("BCAST-DLV-12")
                && n.contains("the message of event 1 left the window")),
        "{:#?}",
        r.notes
    );
}

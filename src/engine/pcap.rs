//! Judging a packet capture: each UDP MIKEY datagram by the MIKEY rules, then the session
//! rules that need no HTTP (verification messages, MTK verification, key freshness) over the
//! datagrams in order. Findings name the frame.

use super::Engine;
use crate::finding::CheckResult;
use crate::pcap::{self, Datagram};
use crate::trace::{Event, EventBody, Trace};
use std::collections::BTreeMap;

/// The magic numbers of pcap (both byte orders, micro- and nanosecond) and pcapng.
pub(super) fn looks_like_pcap(bytes: &[u8]) -> bool {
    matches!(
        bytes.get(..4),
        Some([0xd4, 0xc3, 0xb2, 0xa1])
            | Some([0xa1, 0xb2, 0xc3, 0xd4])
            | Some([0x4d, 0x3c, 0xb2, 0xa1])
            | Some([0xa1, 0xb2, 0x3c, 0x4d])
            | Some([0x0a, 0x0d, 0x0d, 0x0a])
    )
}

/// The datagrams of a capture as trace events (UDP, in capture order).
pub fn events_of(datagrams: &[Datagram]) -> Vec<Event> {
    datagrams
        .iter()
        .enumerate()
        .map(|(i, d)| Event {
            number: i + 1,
            at: Some(pcap::timestamp(d)),
            from: Some(d.src.clone()),
            to: Some(d.dst.clone()),
            role: None,
            body: EventBody::Udp {
                message: d.payload.clone(),
            },
        })
        .collect()
}

impl Engine {
    pub fn check_pcap(&self, input: &str, bytes: &[u8]) -> CheckResult {
        let capture = match pcap::read(bytes, &self.settings.pcap_ports) {
            Ok(c) => c,
            Err(e) => {
                return CheckResult::error(input, "pcap", format!("cannot read the capture: {e}"))
            }
        };
        let ports = self
            .settings
            .pcap_ports
            .iter()
            .map(u16::to_string)
            .collect::<Vec<_>>()
            .join(", ");
        if capture.datagrams.is_empty() {
            // Nothing to judge is not conformance: say what the capture held instead.
            return CheckResult::error(
                input,
                "pcap",
                format!(
                    "nothing in it could be checked: {}; no UDP datagram on the MIKEY ports {ports} (setting pcap_ports)",
                    capture.describe()
                ),
            );
        }
        let frames = crate::render::counted(capture.frames, "frame", "frames");
        let others = capture.others();
        let datagrams = capture.datagrams;
        let trace = Trace {
            resolve: BTreeMap::new(),
            events: events_of(&datagrams),
        };
        let mut r = self.judge_trace(input, &trace, "pcap");
        // Name frames, not event numbers.
        for f in &mut r.findings {
            if let Some(c) = &f.location.context {
                f.location.context = Some(name_frames(c, &datagrams));
            }
        }
        for n in &mut r.notes {
            *n = name_frames(n, &datagrams);
        }
        if let Some(e) = &r.error {
            r.error = Some(name_frames(e, &datagrams));
        }
        if r.verdict != crate::finding::Verdict::Error {
            let read = crate::render::counted(datagrams.len(), "MIKEY datagram", "MIKEY datagrams");
            let rest = if others.is_empty() {
                String::new()
            } else {
                format!("; not read: {others}")
            };
            r.notes
                .insert(0, format!("{read} on UDP ports {ports}, of {frames}{rest}"));
        }
        r
    }
}

/// `event N` (the Nth datagram read) replaced by `frame F (src -> dst)` wherever it occurs.
fn name_frames(text: &str, datagrams: &[Datagram]) -> String {
    const EVENT: &str = "event ";
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(EVENT) {
        let after = &rest[at + EVENT.len()..];
        let digits = after.len() - after.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        let datagram = after[..digits]
            .parse::<usize>()
            .ok()
            .and_then(|n| n.checked_sub(1))
            .and_then(|i| datagrams.get(i));
        out.push_str(&rest[..at]);
        match datagram {
            Some(d) => out.push_str(&format!("frame {} ({} -> {})", d.frame, d.src, d.dst)),
            None => out.push_str(&rest[at..at + EVENT.len() + digits]),
        }
        rest = &after[digits..];
    }
    out.push_str(rest);
    out
}

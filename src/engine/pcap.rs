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
        let datagrams = match pcap::read_udp(bytes, &self.settings.pcap_ports) {
            Ok(d) => d,
            Err(e) => {
                return CheckResult::error(input, "pcap", format!("cannot read the capture: {e}"))
            }
        };
        let trace = Trace {
            resolve: BTreeMap::new(),
            events: events_of(&datagrams),
        };
        let mut r = self.judge_trace(input, &trace, "pcap");
        // Name frames, not event numbers.
        for f in &mut r.findings {
            if let Some(c) = &f.location.context {
                if let Some(n) = c
                    .strip_prefix("event ")
                    .and_then(|n| n.split(|ch: char| !ch.is_ascii_digit()).next())
                    .and_then(|n| n.parse::<usize>().ok())
                {
                    if let Some(d) = datagrams.get(n - 1) {
                        f.location.context =
                            Some(format!("frame {} ({} -> {})", d.frame, d.src, d.dst));
                    }
                }
            }
        }
        r.notes = vec![format!(
            "{} MIKEY datagram(s) on UDP ports {:?}",
            datagrams.len(),
            self.settings.pcap_ports
        )];
        r
    }
}

//! Check kind `trace_key_freshness`.

use super::*;
use crate::checks::kind::Needs;
use crate::trace::facts::{plain_greater, serial_greater};

/// Key freshness (MBMS-KEY-01), one part per rule (`which`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeyFreshness {
    pub which: Which,
}

/// The part of MBMS-KEY-01 a rule judges.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Which {
    /// The counter of MSK-delivery messages (MSK and LTKM pushes) increases in RFC 1982
    /// serial arithmetic; an MTK ID is not greater than the previous one under its MSK,
    /// read either as a plain number or in RFC 1982 serial arithmetic.
    Confirmed,
    /// The counter of MTK messages increases per MSK (RFC 1982).
    MtkCounterPerMsk,
    /// An MTK ID is greater than the previous one under its MSK in RFC 1982 serial
    /// arithmetic, the width being the Key ID's on the wire.
    MtkIdSerial,
}

impl CheckKind for KeyFreshness {
    crate::check_kind_judge!(Trace);
    fn needs(&self) -> Needs {
        let reading = match self.which {
            Which::Confirmed => None,
            Which::MtkCounterPerMsk => Some(
                "MTK messages count per MSK: TS 31.102 EF_MSK keeps a Time Stamp Counter per MSK ID",
            ),
            Which::MtkIdSerial => {
                Some("MTK IDs compare in RFC 1982 serial arithmetic, as wide as on the wire")
            }
        };
        Needs {
            setting: None,
            delivery: None,
            provisional_reading: reading,
        }
    }
}

impl TraceCheck for KeyFreshness {
    fn trace(&self, ctx: &TraceCtx) -> Vec<TraceHit> {
        key_freshness(ctx.trace, ctx.settings, self.which)
    }
}

/// An MSK: (Key Domain ID, MSK ID), as the Key ID extension gives them.
type Msk = (Option<Vec<u8>>, Option<Vec<u8>>);

/// MBMS-KEY-01 over the MIKEY messages of the trace in delivery order (UDP pushes, and the
/// MTK objects of FLUTE sessions).
fn key_freshness(trace: &Trace, settings: &Settings, which: Which) -> Vec<TraceHit> {
    let bits = settings.freshness.counter_bits;
    let mut last_mtk: BTreeMap<Msk, Vec<u8>> = BTreeMap::new();
    // By stream: None for MSK-delivery messages, the MSK for MTK messages.
    let mut last_counter: BTreeMap<Option<Msk>, u32> = BTreeMap::new();
    let mut hits = Vec::new();
    let mut messages: Vec<(&Event, &[u8], bool)> = Vec::new();
    for e in &trace.events {
        match &e.body {
            EventBody::Udp { message } => messages.push((e, message, false)),
            EventBody::Flute { objects, .. } => {
                messages.extend(objects.values().map(|m| (e, m.as_slice(), true)))
            }
            _ => {}
        }
    }
    for (e, message, in_flute) in messages {
        let f = e.facts_of(message);
        if is_verification(e, &f) {
            continue;
        }
        let mtk = in_flute || is_mtk(e, &f);
        if let (true, Some(m), Some(t)) = (mtk, &f.msk_id, &f.mtk_id) {
            let key = (f.key_domain.clone(), Some(m.clone()));
            if let Some(prev) = last_mtk.get(&key) {
                let (plain, serial) = (plain_greater(prev, t), serial_greater(prev, t));
                let judged = match which {
                    // Not greater under either reading.
                    Which::Confirmed => !plain && !serial,
                    // Not greater in serial arithmetic only (else the confirmed part fails).
                    Which::MtkIdSerial => plain && !serial,
                    Which::MtkCounterPerMsk => false,
                };
                if judged {
                    hits.push(hit(
                        e.number,
                        vec![(
                            "detail",
                            format!(
                                "MTK ID {} is not greater than the previous {} under MSK {}{}",
                                hex::encode(t),
                                hex::encode(prev),
                                hex::encode(m),
                                if plain {
                                    format!(
                                        " in {}-bit RFC 1982 serial arithmetic",
                                        8 * t.len().max(prev.len())
                                    )
                                } else {
                                    String::new()
                                }
                            ),
                        )],
                    ));
                }
            }
            last_mtk.insert(key, t.clone());
        }
        // The counter stream: one for MSK-delivery messages; one per MSK for MTK messages.
        let (stream, judged) = match (mtk, which) {
            (false, Which::Confirmed) => (None, true),
            (true, Which::MtkCounterPerMsk) => {
                (Some((f.key_domain.clone(), f.msk_id.clone())), true)
            }
            _ => (None, false),
        };
        let (Some(c), true) = (f.counter, judged) else {
            continue;
        };
        let name = match &stream {
            None => "MSK-delivery message".to_string(),
            Some((_, m)) => format!(
                "MTK message under MSK {}",
                m.as_deref().map(hex::encode).unwrap_or_default()
            ),
        };
        if let Some(prev) = last_counter.get(&stream) {
            match serial_lt(*prev as u64, c as u64, bits) {
                Some(true) => {}
                Some(false) => hits.push(hit(e.number, vec![("detail", format!("{name}: counter {c} is not greater than the previous {prev} (RFC 1982)"))])),
                None => hits.push(hit(e.number, vec![("detail", format!("{name}: counter {c} and the previous {prev} are half the space apart: the order is undefined (RFC 1982), so the message is treated as replayed"))])),
            }
        }
        last_counter.insert(stream, c);
    }
    hits
}

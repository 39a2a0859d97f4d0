//! Check kind `trace_key_freshness`.

use super::fold::CounterStream;
use super::*;
use crate::checks::kind::Needs;

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

/// MBMS-KEY-01 over the MIKEY messages of the session in delivery order (UDP pushes, and the
/// MTK objects of FLUTE sessions): the fold gives each counter and MTK ID after an earlier one
/// of the same stream ([`Step::Counter`], [`Step::MtkId`]), and each part judges its own.
impl TraceCheck for KeyFreshness {
    fn rests_on(&self) -> Option<State> {
        Some(State::Freshness)
    }

    fn step(&self, step: &Step, _ctx: &StepCtx, out: &mut Vec<TraceHit>) {
        match *step {
            Step::MtkId {
                event,
                prev,
                new,
                msk,
                plain,
                serial,
            } => {
                let judged = match self.which {
                    // Not greater under either reading.
                    Which::Confirmed => !plain && !serial,
                    // Not greater in serial arithmetic only (else the confirmed part fails).
                    Which::MtkIdSerial => plain && !serial,
                    Which::MtkCounterPerMsk => false,
                };
                if judged {
                    let serial_note = if plain {
                        format!(
                            " in {}-bit RFC 1982 serial arithmetic",
                            8 * new.len().max(prev.len())
                        )
                    } else {
                        String::new()
                    };
                    let detail = format!(
                        "MTK ID {} is not greater than the previous {} under MSK {}{serial_note}",
                        hex::encode(new),
                        hex::encode(prev),
                        hex::encode(msk),
                    );
                    out.push(hit(event, vec![("detail", detail)]));
                }
            }
            Step::Counter {
                event,
                stream,
                prev,
                new,
                less,
            } => {
                // The stream's name is written only for a hit: every push is a step.
                let name = || match stream {
                    CounterStream::MskDelivery => "MSK-delivery message".to_string(),
                    CounterStream::Mtk(m) => format!(
                        "MTK message under MSK {}",
                        m.map(hex::encode).unwrap_or_default()
                    ),
                };
                match (stream, self.which) {
                    (CounterStream::MskDelivery, Which::Confirmed)
                    | (CounterStream::Mtk(_), Which::MtkCounterPerMsk) => {}
                    _ => return,
                }
                let detail = match less {
                    Some(true) => return,
                    Some(false) => format!(
                        "{}: counter {new} is not greater than the previous {prev} (RFC 1982)",
                        name()
                    ),
                    None => format!(
                        "{}: counter {new} and the previous {prev} are half the space apart: the order is undefined (RFC 1982), so the message is treated as replayed",
                        name()
                    ),
                };
                out.push(hit(event, vec![("detail", detail)]));
            }
            _ => {}
        }
    }
}

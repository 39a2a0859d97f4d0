//! Check kind `trace_verification`: verification messages paired with what they answer
//! ([`verifications`]), judged four ways (`which`): BCAST-DLV-12 on the confirmed pairings;
//! a pairing by CSB ID alone, a provisional reading; the T of a message so paired; a
//! verification message that answers nothing in the trace.

use super::*;
use crate::checks::kind::Needs;
use crate::value::ip::{same_dns_name, same_host, why_not_same_host};

/// One verification message per processed LTKM with the V flag, in order, to IDi's address;
/// or, with `which`, one of the other judgements of the pairing.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Verification {
    #[serde(default)]
    pub which: Which,
}

/// Which judgement of the pairing a rule makes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Which {
    /// BCAST-DLV-12: paired by CSB ID and T; the LTKMs left unanswered.
    #[default]
    Pairing,
    /// A verification message paired by CSB ID alone (its T is another): read as answering it.
    CsbIdOnly,
    /// The T of a verification message paired by CSB ID alone is not that message's T.
    Timestamp,
    /// A verification message with the CSB ID of no message delivered in the trace.
    AnswersNothing,
}

impl CheckKind for Verification {
    crate::check_kind_judge!(Trace);
    fn needs(&self) -> Needs {
        let reading = (self.which == Which::CsbIdOnly).then_some(
            "a verification message with the CSB ID of a message delivered before it, but not its T, answers that message",
        );
        Needs {
            provisional_reading: reading,
            ..Needs::default()
        }
    }
}

impl TraceCheck for Verification {
    fn reads_request_bodies(&self) -> bool {
        true // registrations are known by their request body
    }

    fn trace(&self, ctx: &TraceCtx) -> Vec<TraceHit> {
        match self.which {
            Which::Pairing => verification_per_v_ltkm(ctx.trace),
            Which::CsbIdOnly => csb_id_only(ctx.trace),
            Which::Timestamp => timestamp_not_answered(ctx.trace),
            Which::AnswersNothing => answers_nothing(ctx.trace),
        }
    }
}

/// What a delivered message is, for messages.
fn sort_name(d: &Delivered) -> &'static str {
    match d.sort {
        Sort::Ltkm => "LTKM",
        Sort::Msk => "MSK message",
        Sort::Mtk => "MTK message",
    }
}

/// A T payload as findings print it.
fn t_text(t: Option<(u8, u64)>) -> String {
    match t {
        Some((2, v)) => format!("counter {v}"),
        Some((ty, v)) => format!("{v:#x} (TS type {ty})"),
        None => "none".into(),
    }
}

/// The pairings by CSB ID alone, with the message each is read as answering.
fn by_csb_id_only(v: &Verifications) -> impl Iterator<Item = (&Pairing, &Delivered)> {
    v.pairings.iter().filter_map(|p| match p.by {
        PairedBy::CsbIdOnly(i) => v.delivered.get(i).map(|d| (p, d)),
        _ => None,
    })
}

/// The provisional reading: each verification message paired by CSB ID alone, and what it is
/// read as answering (for an MTK message, a verification MBMS-MTK-02 says is not sent).
fn csb_id_only(trace: &Trace) -> Vec<TraceHit> {
    let v = verifications(trace);
    by_csb_id_only(&v)
        .map(|(p, d)| {
            let mtk = if d.sort == Sort::Mtk {
                "; so read, the terminal verified an MTK message, which TS 33.246 6.3.3.2 does not use (MBMS-MTK-02)"
            } else {
                ""
            };
            let detail = format!(
                "this verification message carries the CSB ID {:#010x} of the {} of event {} but not its T: read as its verification message by the CSB ID alone{mtk}",
                p.facts.csb_id.unwrap_or(0),
                sort_name(d),
                d.event
            );
            hit(p.event, vec![("detail", detail)])
        })
        .collect()
}

/// A verification message paired by CSB ID alone carries a T that is not the T of the message
/// it answers (RFC 3830 3.1: the verification message is computed over the Initiator's
/// timestamp).
fn timestamp_not_answered(trace: &Trace) -> Vec<TraceHit> {
    let v = verifications(trace);
    by_csb_id_only(&v)
        .map(|(p, d)| {
            let detail = format!(
                "its T is {}, but the {} of event {} it answers (CSB ID {:#010x}) has T {}",
                t_text(p.facts.timestamp),
                sort_name(d),
                d.event,
                p.facts.csb_id.unwrap_or(0),
                t_text(d.facts.timestamp)
            );
            hit(p.event, vec![("detail", detail)])
        })
        .collect()
}

/// A verification message with the CSB ID of no message delivered before it. One whose
/// message is delivered later is not counted here: BCAST-DLV-12 reports that message as left
/// without a verification (sent before it is not an answer to it).
fn answers_nothing(trace: &Trace) -> Vec<TraceHit> {
    let v = verifications(trace);
    v.pairings
        .iter()
        .filter(|p| p.by == PairedBy::Nothing)
        .filter(|p| {
            !v.delivered.iter().any(|d| {
                d.event > p.event && d.facts.csb_id.is_some() && d.facts.csb_id == p.facts.csb_id
            })
        })
        .map(|p| {
            let detail = match p.facts.csb_id {
                Some(csb) => {
                    format!("no message with its CSB ID {csb:#010x} is delivered in the trace")
                }
                None => "it does not decode, so it names no CSB ID to answer".into(),
            };
            hit(p.event, vec![("detail", detail)])
        })
        .collect()
}

/// BCAST-DLV-12: one verification message over UDP per processed LTKM with the V flag, to the
/// address the NAF FQDN in IDi resolves to; the LTKMs of one payload verified in the order
/// they are processed. A verification message is paired with the message it answers by its CSB
/// ID and timestamp ([`verifications`]). An LTKM delivered by a mechanism the registration did
/// not agree may be ignored (5.1.6.10.4), so it needs no verification message.
fn verification_per_v_ltkm(trace: &Trace) -> Vec<TraceHit> {
    let v = verifications(trace);
    let mut hits = Vec::new();
    // A pairing by CSB ID alone is judged by the provisional rule, not here.
    for p in v.pairings.iter().filter(|p| p.by == PairedBy::CsbIdAndT) {
        let Some(l) = p.answers.map(|i| &v.delivered[i]) else {
            continue;
        };
        if l.sort != Sort::Ltkm {
            continue;
        }
        let before = p
            .earlier
            .iter()
            .any(|j| v.delivered[*j].sort == Sort::Ltkm && v.delivered[*j].event == l.event);
        if before {
            hits.push(hit(p.event, vec![("detail", format!("verification for an LTKM of event {} sent before those of LTKMs processed before it in the same payload (processing order)", l.event))]));
        }
        let Some(name) = &l.facts.idi else { continue };
        // The resolve section names hosts as the tester wrote them: DNS names compare
        // case-insensitively; addresses compare as addresses ([`same_host`]).
        let resolved = trace
            .resolve
            .iter()
            .find(|(n, _)| same_dns_name(n, name))
            .map(|(_, a)| a);
        if let (Some(want), Some(got)) = (resolved, &p.to) {
            if !same_host(want, got) {
                hits.push(hit(
                    p.event,
                    vec![(
                        "detail",
                        format!(
                            "verification sent to {got}, but IDi {name} resolves to {want}{}",
                            why_not_same_host(got, want)
                                .map(|why| format!(" ({why})"))
                                .unwrap_or_default()
                        ),
                    )],
                ));
            }
        }
    }
    for l in v.unanswered.iter().map(|i| &v.delivered[*i]) {
        if l.sort == Sort::Ltkm && !l.may_be_ignored {
            hits.push(hit(
                l.event,
                vec![(
                    "detail",
                    format!(
                        "no verification message (same CSB ID {:#010x} and timestamp) for an LTKM with the V flag set",
                        l.facts.csb_id.unwrap_or(0)
                    ),
                )],
            ));
        }
    }
    hits
}

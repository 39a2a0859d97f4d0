//! Check kind `trace_verification`: verification messages paired with what they answer
//! (by the session fold, [`super::fold`]), judged four ways (`which`): BCAST-DLV-12 on the confirmed pairings;
//! a pairing by CSB ID alone, a provisional reading; the T of a message so paired; a
//! verification message that answers nothing in the trace.

use super::fold::{Awaiting, Delivered, Pairing, Unpaired};
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

    fn rests_on(&self) -> Option<State> {
        Some(State::Verification)
    }

    fn step(&self, step: &Step, ctx: &StepCtx, out: &mut Vec<TraceHit>) {
        match (self.which, step) {
            (Which::Pairing, Step::Paired(p)) => verification_per_v_ltkm(p, ctx.resolve, out),
            (Which::Pairing, Step::Unanswered(a)) => unanswered(a, out),
            (Which::CsbIdOnly, Step::Paired(p)) => csb_id_only(p, out),
            (Which::Timestamp, Step::Paired(p)) => timestamp_not_answered(p, out),
            (Which::AnswersNothing, Step::AnswersNothing(u)) => answers_nothing(u, out),
            _ => {}
        }
    }
}

/// What a delivered message is, for messages.
fn sort_name(sort: Sort) -> &'static str {
    match sort {
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

/// A pairing by CSB ID alone, with the message it is read as answering.
fn by_csb_id_only<'p>(p: &'p Pairing) -> Option<&'p Delivered> {
    match p.by {
        PairedBy::CsbIdOnly => p.read_as.as_ref(),
        PairedBy::CsbIdAndT => None,
    }
}

/// The provisional reading: a verification message paired by CSB ID alone, and what it is
/// read as answering (for an MTK message, a verification MBMS-MTK-02 says is not sent).
fn csb_id_only(p: &Pairing, out: &mut Vec<TraceHit>) {
    let Some(d) = by_csb_id_only(p) else { return };
    let mtk = if d.sort() == Sort::Mtk {
        "; so read, the terminal verified an MTK message, which TS 33.246 6.3.3.2 does not use (MBMS-MTK-02)"
    } else {
        ""
    };
    let detail = format!(
        "this verification message carries the CSB ID {:#010x} of the {} of event {} but not its T: read as its verification message by the CSB ID alone{mtk}",
        p.csb_id.unwrap_or(0),
        sort_name(d.sort()),
        d.event()
    );
    out.push(hit(p.event, vec![("detail", detail)]));
}

/// A verification message paired by CSB ID alone carries a T that is not the T of the message
/// it answers (RFC 3830 3.1: the verification message is computed over the Initiator's
/// timestamp).
fn timestamp_not_answered(p: &Pairing, out: &mut Vec<TraceHit>) {
    let Some(d) = by_csb_id_only(p) else { return };
    let detail = format!(
        "its T is {}, but the {} of event {} it answers (CSB ID {:#010x}) has T {}",
        t_text(p.timestamp),
        sort_name(d.sort()),
        d.event(),
        p.csb_id.unwrap_or(0),
        t_text(d.timestamp())
    );
    out.push(hit(p.event, vec![("detail", detail)]));
}

/// A verification message with the CSB ID of no message delivered before it. One whose
/// message is delivered later is not counted here (the fold lets that message cancel it):
/// BCAST-DLV-12 reports that message as left without a verification (sent before it is not an
/// answer to it).
fn answers_nothing(u: &Unpaired, out: &mut Vec<TraceHit>) {
    let detail = match u.csb_id {
        Some(csb) => format!("no message with its CSB ID {csb:#010x} is delivered in the trace"),
        None => "it does not decode, so it names no CSB ID to answer".into(),
    };
    out.push(hit(u.event, vec![("detail", detail)]));
}

/// BCAST-DLV-12: one verification message over UDP per processed LTKM with the V flag, to the
/// address the NAF FQDN in IDi resolves to; the LTKMs of one payload verified in the order
/// they are processed. A verification message is paired with the message it answers by its CSB
/// ID and timestamp ([`fold::Pairing`]); a pairing by CSB ID alone is judged by the
/// provisional rule, not here.
fn verification_per_v_ltkm(
    p: &Pairing,
    resolve: &BTreeMap<String, String>,
    out: &mut Vec<TraceHit>,
) {
    if p.by != PairedBy::CsbIdAndT {
        return;
    }
    let Some(l) = p.answers else { return };
    if l.message.sort() != Sort::Ltkm {
        return;
    }
    if p.earlier_in_payload {
        out.push(hit(p.event, vec![("detail", format!("verification for an LTKM of event {} sent before those of LTKMs processed before it in the same payload (processing order)", l.message.event()))]));
    }
    let Some(name) = &l.idi else { return };
    // The resolve section names hosts as the tester wrote them: DNS names compare
    // case-insensitively; addresses compare as addresses ([`same_host`]).
    let resolved = resolve
        .iter()
        .find(|(n, _)| same_dns_name(n, name))
        .map(|(_, a)| a);
    if let (Some(want), Some(got)) = (resolved, p.to) {
        if !same_host(want, got) {
            let why = why_not_same_host(got, want)
                .map(|why| format!(" ({why})"))
                .unwrap_or_default();
            out.push(hit(
                p.event,
                vec![(
                    "detail",
                    format!("verification sent to {got}, but IDi {name} resolves to {want}{why}"),
                )],
            ));
        }
    }
}

/// An LTKM with the V flag left without a verification at the end of the session. An LTKM
/// delivered by a mechanism the registration did not agree may be ignored (5.1.6.10.4), so it
/// needs no verification message.
fn unanswered(l: &Awaiting, out: &mut Vec<TraceHit>) {
    if l.message.sort() == Sort::Ltkm && !l.may_be_ignored {
        out.push(hit(
            l.message.event(),
            vec![(
                "detail",
                format!(
                    "no verification message (same CSB ID {:#010x} and timestamp) for an LTKM with the V flag set",
                    l.message.csb_id().unwrap_or(0)
                ),
            )],
        ));
    }
}

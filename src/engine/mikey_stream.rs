//! Judging the MIKEY datagrams of a capture one after another, at the speed of the stream.
//!
//! A capture of a soak test holds hundreds of thousands of pushes that are judged by the
//! same few rule plans. Judged one by one as standalone inputs, each would build its plan
//! (a reason string for every rule that does not apply), its list of outcomes and notes,
//! and decode the message once per question asked of it. Here the plans are built once per
//! profile, each message is decoded once, and outcomes are tallied per rule in place: the
//! verdicts are the same as judging each datagram alone and merging the outcomes (the
//! worst verdict wins; a rule applied anywhere is not "not applicable").

use super::merge::Tally;
use super::Engine;
use crate::checks::kind::{Delivery, Domain};
use crate::checks::mikey::MikeyCtx;
use crate::finding::{Finding, Location, Outcome};
use crate::mikey;
use crate::rules::Rule;
use crate::trace::facts::MikeyFacts;

/// A MIKEY plan built once per profile: the rules applied, by position.
struct CachedPlan {
    kind: &'static str,
    applied: Vec<usize>,
}

/// Plans by profile, for UDP pushes: a handful (one per MIKEY profile), found by a scan
/// that compares the kind names' addresses first (they are the same `&'static str`s).
#[derive(Default)]
pub(super) struct Plans {
    by_kind: Vec<CachedPlan>,
}

/// What judging one datagram gave: its findings, or why it could not be judged.
pub(super) enum Judged {
    Findings(Vec<Finding>),
    Unjudged(String),
}

impl Engine {
    fn position(&self, rule: &Rule) -> usize {
        self.rule_position[&rule.id]
    }

    /// The plan of a profile, built on its first message. The rules it does not apply are
    /// tallied as not applicable then, once: a later "not applicable" never changes a
    /// rule's merged outcome.
    fn udp_plan<'p>(
        &self,
        plans: &'p mut Plans,
        kind: &'static str,
        tally: &mut Tally,
    ) -> &'p CachedPlan {
        let found = plans
            .by_kind
            .iter()
            .position(|p| std::ptr::eq(p.kind, kind) || p.kind == kind);
        let at = match found {
            Some(at) => at,
            None => {
                let plan = self.plan(Domain::Mikey, &[kind.to_string()], Some(Delivery::Udp));
                for (r, why) in &plan.skipped {
                    tally.record_not_applicable(self.position(r), why);
                }
                plans.by_kind.push(CachedPlan {
                    kind,
                    applied: plan.applied.iter().map(|r| self.position(r)).collect(),
                });
                plans.by_kind.len() - 1
            }
        };
        &plans.by_kind[at]
    }

    /// Judges a MIKEY message pushed over UDP with no role given (a capture's datagram), as
    /// `judge_pushed` does, tallying the outcomes into `tally`. Also gives the facts of the
    /// payload as sent, for the session rules.
    pub(super) fn judge_datagram(
        &self,
        payload: &[u8],
        plans: &mut Plans,
        tally: &mut Tally,
    ) -> (Judged, MikeyFacts) {
        // As a standalone input named as MIKEY: raw bytes, or the text forms `load` reads.
        // Raw bytes (the common case) are what `load` would copy: read in place.
        let loaded;
        let msg: &[u8] = if !payload.is_empty() && !mikey::input::all_printable(payload) {
            payload
        } else {
            match mikey::input::load(payload) {
                Ok((msg, _)) => {
                    loaded = msg;
                    &loaded
                }
                Err(e) => {
                    let why = format!("not a MIKEY message: {e}");
                    return (Judged::Unjudged(why), MikeyFacts::of(payload));
                }
            }
        };
        let decoded = mikey::decode(msg);
        let facts = if std::ptr::eq(msg, payload) || msg == payload {
            MikeyFacts::of_decoded(&decoded)
        } else {
            MikeyFacts::of(payload)
        };
        let judged = self.judge_decoded(&decoded, &facts, plans, tally);
        (judged, facts)
    }

    fn judge_decoded(
        &self,
        decoded: &mikey::Decoded,
        facts: &MikeyFacts,
        plans: &mut Plans,
        tally: &mut Tally,
    ) -> Judged {
        // The profile: an MTK ID names an MTK message (the facts are of the payload as
        // sent); otherwise what the message shows.
        let kind = if facts.is_mtk() {
            "mtk"
        } else {
            super::infer::Inferred::of(decoded).name()
        };
        let cached = self.udp_plan(plans, kind, tally);
        // The cached plan's rules run in place, as `run_mikey` runs a plan's: no plan is
        // built per datagram.
        let ctx = MikeyCtx {
            decoded,
            delivery: Some(Delivery::Udp),
            settings: &self.settings,
            sakke: Default::default(),
        };
        let served = self.served(Some(kind));
        let at = Location::default();
        let rules = &self.rules.rules;
        let mut findings = Vec::new();
        // Each rule's outcome is the worst verdict among its own findings, which are those
        // it adds: recorded as it runs (the sort and dedup below change neither).
        for &i in &cached.applied {
            let rule = &rules[i];
            let before = findings.len();
            match self.run_mikey_rule(rule, &ctx, served, &at, None, &mut findings) {
                Ok(()) => tally.record(i, Outcome::of_findings(&rule.id, &findings[before..])),
                Err(why) => tally.record_not_applicable_owned(i, why),
            }
        }
        findings.sort_by(|a, b| {
            (a.location.byte_offset, &a.rule).cmp(&(b.location.byte_offset, &b.rule))
        });
        findings.dedup();
        Judged::Findings(findings)
    }
}

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
use super::{Engine, Plan};
use crate::checks::kind::{Delivery, Domain};
use crate::finding::{Finding, Location, Outcome};
use crate::mikey;
use crate::rules::Rule;
use crate::trace::facts::MikeyFacts;
use std::collections::HashMap;

/// A MIKEY plan built once per profile: the rules applied, by position.
struct CachedPlan {
    applied: Vec<usize>,
}

/// Plans by profile, for UDP pushes.
#[derive(Default)]
pub(super) struct Plans {
    by_kind: HashMap<&'static str, CachedPlan>,
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
        plans.by_kind.entry(kind).or_insert_with(|| {
            let plan = self.plan(Domain::Mikey, &[kind.to_string()], Some(Delivery::Udp));
            for (r, why) in &plan.skipped {
                tally.record_not_applicable(self.position(r), why);
            }
            CachedPlan {
                applied: plan.applied.iter().map(|r| self.position(r)).collect(),
            }
        })
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
        let rules = &self.rules.rules;
        let mut plan = Plan {
            kinds: vec![kind.to_string()],
            applied: cached.applied.iter().map(|&i| &rules[i]).collect(),
            skipped: Vec::new(),
            cached: None,
        };
        let mut findings = self.run_mikey(
            &mut plan,
            decoded,
            Some(Delivery::Udp),
            Location::default(),
            None,
        );
        findings.sort_by(|a, b| {
            (a.location.byte_offset, &a.rule).cmp(&(b.location.byte_offset, &b.rule))
        });
        findings.dedup();
        // `run_mikey` keeps the applied rules in plan order; the positions are the plan's.
        let mut positions = cached.applied.iter();
        for rule in &plan.applied {
            let at = loop {
                match positions.next() {
                    Some(&i) if std::ptr::eq(&rules[i], *rule) => break i,
                    Some(_) => continue,
                    None => break self.position(rule),
                }
            };
            tally.record(at, Outcome::of_findings(&rule.id, &findings));
        }
        for (rule, why) in &plan.skipped {
            tally.record_not_applicable(self.position(rule), why);
        }
        Judged::Findings(findings)
    }
}

//! Merging rule outcomes: of several judgements of one input (embedded messages, bodies,
//! events; [`merge_outcomes`]) and of a stream of many (the datagrams of a capture,
//! tallied in place; [`Tally`]). The worst verdict wins, and a rule applied anywhere is no
//! longer not applicable. Its own module, so that every part of the engine that merges
//! imports it and none imports another's judging code for it.

use crate::finding::{RuleOutcome, NOT_APPLICABLE};
use crate::rules::Rule;
use std::sync::Arc;

/// Outcomes of several judgements (embedded messages, bodies, events) merged into one: the
/// worst verdict wins, and a rule applied anywhere is no longer not applicable.
pub(super) fn merge_outcomes(into: &mut Vec<RuleOutcome>, more: Vec<RuleOutcome>) {
    let rank = RuleOutcome::rank;
    for o in more {
        match into.iter_mut().find(|x| x.rule == o.rule) {
            Some(x) if rank(o.verdict) < rank(x.verdict) => *x = o,
            Some(_) => {}
            None => into.push(o),
        }
    }
}

/// One rule's merged outcome so far.
#[derive(Clone)]
struct Slot {
    verdict: &'static str,
    reason: Option<Arc<str>>,
}

/// The outcomes of many judgements, merged per rule (by position in the tables) as
/// `merge_outcomes` merges them: the worst verdict wins; at equal rank the first stays.
pub(super) struct Tally {
    slots: Vec<Option<Slot>>,
}

fn rank(verdict: &str) -> u8 {
    RuleOutcome::rank(verdict)
}

impl Tally {
    pub(super) fn new(rules: usize) -> Self {
        Tally {
            slots: vec![None; rules],
        }
    }

    /// Records an outcome; the reason is built only when it is kept.
    pub(super) fn record(
        &mut self,
        at: usize,
        verdict: &'static str,
        reason: impl FnOnce() -> Arc<str>,
    ) {
        let keep = match &self.slots[at] {
            None => true,
            Some(s) => rank(verdict) < rank(s.verdict),
        };
        if keep {
            let reason = (verdict == NOT_APPLICABLE).then(reason);
            self.slots[at] = Some(Slot { verdict, reason });
        }
    }

    /// The merged outcomes, in rule-table order.
    pub(super) fn into_outcomes(self, rules: &[Rule]) -> Vec<RuleOutcome> {
        self.slots
            .into_iter()
            .zip(rules)
            .filter_map(|(s, r)| {
                s.map(|s| RuleOutcome {
                    rule: r.id.clone(),
                    verdict: s.verdict,
                    reason: s.reason,
                })
            })
            .collect()
    }
}

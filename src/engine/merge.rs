//! Merging rule outcomes: of several judgements of one input (embedded messages, bodies,
//! events; [`merge_outcomes`]) and of a stream of many (the datagrams of a capture,
//! tallied in place; [`Tally`]). The worst outcome wins (`Outcome::is_worse_than`), and a rule
//! applied anywhere is no longer not applicable. Its own module, so that every part of the
//! engine that merges imports it and none imports another's judging code for it.

use crate::finding::{Outcome, RuleOutcome};
use crate::rules::Rule;
use std::sync::Arc;

/// Outcomes of several judgements (embedded messages, bodies, events) merged into one: the
/// worst verdict wins, and a rule applied anywhere is no longer not applicable.
pub(super) fn merge_outcomes(into: &mut Vec<RuleOutcome>, more: Vec<RuleOutcome>) {
    for o in more {
        match into.iter_mut().find(|x| x.rule == o.rule) {
            Some(x) if o.outcome.is_worse_than(&x.outcome) => *x = o,
            Some(_) => {}
            None => into.push(o),
        }
    }
}

/// The outcomes of many judgements, merged per rule (by position in the tables) as
/// `merge_outcomes` merges them: the worst verdict wins; at equal rank the first stays.
pub(super) struct Tally {
    slots: Vec<Option<Outcome>>,
}

impl Tally {
    pub(super) fn new(rules: usize) -> Self {
        Tally {
            slots: vec![None; rules],
        }
    }

    /// Records an outcome (as `merge_outcomes` would).
    pub(super) fn record(&mut self, at: usize, outcome: Outcome) {
        let keep = match &self.slots[at] {
            None => true,
            Some(s) => outcome.is_worse_than(s),
        };
        if keep {
            self.slots[at] = Some(outcome);
        }
    }

    /// Records a rule that did not apply; its shared reason is cloned only when it is kept.
    pub(super) fn record_not_applicable(&mut self, at: usize, why: &Arc<str>) {
        if self.slots[at].is_none() {
            self.slots[at] = Some(Outcome::NotApplicable(why.clone()));
        }
    }

    /// As `record_not_applicable`, for a reason made for this input alone: it becomes a
    /// shared one only when it is kept.
    pub(super) fn record_not_applicable_owned(&mut self, at: usize, why: String) {
        if self.slots[at].is_none() {
            self.slots[at] = Some(Outcome::NotApplicable(why.into()));
        }
    }

    /// The merged outcomes, in rule-table order.
    pub(super) fn into_outcomes(self, rules: &[Rule]) -> Vec<RuleOutcome> {
        self.slots
            .into_iter()
            .zip(rules)
            .filter_map(|(s, r)| s.map(|s| RuleOutcome::new(r.id.clone(), s)))
            .collect()
    }
}

//! Rule plans, listed once per report instead of once per input. Every input of one kind
//! gets the same outcomes for the rules that do not apply to it (~70 of ~110 for an XML
//! input, each with its reason) and `pass` for most of those that do: a corpus of ten
//! thousand files repeated them ten thousand times. A plan is what an input's outcomes are
//! when its rules find nothing: `pass` for every rule that ran, the not-applicable outcome
//! (with its reason) for every rule that did not. An input then names its plan and lists
//! only the outcomes that differ from it (fail, warn, info, incomplete).
//!
//! The table is built as the results arrive (the report is streamed), so it holds the plans,
//! not the inputs; a run whose inputs keep giving new plans (a reason naming each input's
//! own parts) stops at [`MAX_PLANS`] and lists the outcomes of further new ones in full.

use crate::finding::{CheckResult, Outcome, RuleOutcome};
use rustc_hash::{FxHashMap, FxHashSet, FxHasher};
use serde::Serialize;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

/// The most plans one report lists: past it, an input with a plan not yet seen has none and
/// its outcomes are listed in full. Bounds the table's memory (each plan is one input's list
/// of outcomes) whatever the run.
pub const MAX_PLANS: usize = 1024;

/// How many lists of outcomes, beside the one a plan was made from, it is known by at once
/// (see [`Plan::known_as`]).
const ALIASES: usize = 4;

/// One rule plan: its id, the kind of the inputs it is of, and the outcomes it was made from
/// (of which only the rule ids, whether each ran, and the not-applicable outcomes count).
pub struct Plan {
    pub id: String,
    kind: String,
    outcomes: Arc<Vec<RuleOutcome>>,
    /// Lists of outcomes known to give this plan, kept alive so that their address stays
    /// theirs: the engine shares one list among the clean inputs of a kind, and an input
    /// carrying that very list needs no comparison.
    known_as: Vec<Arc<Vec<RuleOutcome>>>,
}

/// A rule's entry in a plan: `pass` for a rule that ran, else its not-applicable outcome.
#[derive(Serialize)]
#[serde(untagged)]
pub enum PlanOutcome<'a> {
    Ran {
        rule: &'a str,
        verdict: &'static str,
    },
    NotRun(&'a RuleOutcome),
}

impl Plan {
    /// The outcomes of the rules the plan does not apply.
    pub fn not_applied(&self) -> impl Iterator<Item = &RuleOutcome> {
        self.outcomes.iter().filter(|o| !o.applied())
    }

    /// The plan's outcomes, as a report lists them.
    pub fn outcomes(&self) -> impl Iterator<Item = PlanOutcome<'_>> {
        self.outcomes.iter().map(|o| {
            if o.applied() {
                PlanOutcome::Ran {
                    rule: &o.rule,
                    verdict: PASS,
                }
            } else {
                PlanOutcome::NotRun(o)
            }
        })
    }
}

/// The outcome a plan gives every rule that ran.
const PASS: &str = "pass";

/// Whether `o` says what its plan says of it: not applicable, or passed with nothing more to
/// say (a pass can carry a reason: the parts of a capture a rule could not judge). With
/// [`PASS`], the one place that reads a verdict's representation.
fn as_planned(o: &RuleOutcome) -> bool {
    !o.applied() || o.outcome == Outcome::Pass
}

/// The outcomes of `r` its plan does not give: of the rules that ran, those that did not pass
/// or passed with a reason.
pub fn unplanned(r: &CheckResult) -> impl Iterator<Item = &RuleOutcome> {
    r.rules.iter().filter(|o| !as_planned(o))
}

/// Whether two outcomes give the same plan entry: one rule, both run, or both not run for
/// the same reason.
fn same_entry(a: &RuleOutcome, b: &RuleOutcome) -> bool {
    a.rule == b.rule && a.applied() == b.applied() && (a.applied() || a == b)
}

fn plan_hash(kind: &str, outcomes: &[RuleOutcome]) -> u64 {
    let mut h = FxHasher::default();
    kind.hash(&mut h);
    for o in outcomes {
        o.rule.hash(&mut h);
        o.applied().hash(&mut h);
        if !o.applied() {
            o.outcome.reason().map(|why| &**why).hash(&mut h);
        }
    }
    h.finish()
}

/// The plans of one report, in the order they were first seen.
#[derive(Default)]
pub struct PlanTable {
    plans: Vec<Plan>,
    by_hash: FxHashMap<u64, Vec<usize>>,
    /// The address of every list in some plan's `known_as`, and that plan.
    by_address: FxHashMap<usize, usize>,
    ids: FxHashSet<String>,
}

impl PlanTable {
    /// The plans, in the order they were first seen.
    pub fn plans(&self) -> &[Plan] {
        &self.plans
    }

    /// The plan of `r`, made if it is new: `None` when `r` has no outcomes, or when its plan
    /// is new and the table is full ([`MAX_PLANS`]).
    pub fn plan_of(&mut self, r: &CheckResult) -> Option<&Plan> {
        if r.rules.is_empty() {
            return None;
        }
        let address = Arc::as_ptr(&r.rules) as usize;
        if let Some(&i) = self.by_address.get(&address) {
            if self.plans[i].kind == r.kind {
                return Some(&self.plans[i]);
            }
        }
        let hash = plan_hash(&r.kind, &r.rules);
        let found = self.by_hash.get(&hash).and_then(|list| {
            list.iter().copied().find(|&i| {
                let p = &self.plans[i];
                p.kind == r.kind
                    && p.outcomes.len() == r.rules.len()
                    && p.outcomes
                        .iter()
                        .zip(r.rules.iter())
                        .all(|(a, b)| same_entry(a, b))
            })
        });
        let i = match found {
            Some(i) => {
                // A list other inputs share (the engine's for clean inputs) is worth knowing
                // by its address; an input's own list is not.
                if Arc::strong_count(&r.rules) > 1 && self.plans[i].known_as.len() < ALIASES {
                    self.plans[i].known_as.push(Arc::clone(&r.rules));
                    self.by_address.entry(address).or_insert(i);
                }
                i
            }
            None if self.plans.len() >= MAX_PLANS => return None,
            None => self.add(r, hash),
        };
        Some(&self.plans[i])
    }

    fn add(&mut self, r: &CheckResult, hash: u64) -> usize {
        let base = if r.kind.is_empty() { "plan" } else { &r.kind };
        let id = (1..)
            .map(|n| match n {
                1 => base.to_string(),
                n => format!("{base}#{n}"),
            })
            .find(|id| !self.ids.contains(id))
            .unwrap_or_default();
        self.ids.insert(id.clone());
        let i = self.plans.len();
        self.by_address
            .entry(Arc::as_ptr(&r.rules) as usize)
            .or_insert(i);
        self.plans.push(Plan {
            id,
            kind: r.kind.clone(),
            outcomes: Arc::clone(&r.rules),
            known_as: vec![Arc::clone(&r.rules)],
        });
        self.by_hash.entry(hash).or_default().push(i);
        i
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    const INCOMPLETE: &str = "incomplete";
    const NOT_APPLICABLE: &str = "not-applicable";

    use crate::finding::tests_support::outcome_of;

    fn outcome(rule: &str, verdict: &'static str, reason: Option<&str>) -> RuleOutcome {
        RuleOutcome::new(rule, outcome_of(verdict, reason))
    }

    fn result(kind: &str, outcomes: Vec<RuleOutcome>) -> CheckResult {
        let mut r = CheckResult::error("in.xml", kind, String::new());
        r.rules = Arc::new(outcomes);
        r
    }

    fn plan_id(t: &mut PlanTable, r: &CheckResult) -> Option<String> {
        t.plan_of(r).map(|p| p.id.clone())
    }

    #[test]
    fn inputs_whose_rules_ran_alike_share_a_plan_whatever_their_outcomes() {
        let na = |rule| outcome(rule, NOT_APPLICABLE, Some("applies to msk"));
        let clean = result("k", vec![outcome("A", "pass", None), na("B")]);
        let failed = result("k", vec![outcome("A", "fail", None), na("B")]);
        let mut t = PlanTable::default();
        assert_eq!(plan_id(&mut t, &clean).as_deref(), Some("k"));
        assert_eq!(plan_id(&mut t, &failed).as_deref(), Some("k"));
        assert_eq!(unplanned(&clean).count(), 0);
        assert_eq!(
            unplanned(&failed).map(|o| &o.rule).collect::<Vec<_>>(),
            ["A"]
        );
        // Another reason, another rule run, another kind, another order: other plans.
        let other_reason = result(
            "k",
            vec![
                outcome("A", "pass", None),
                outcome("B", NOT_APPLICABLE, Some("x")),
            ],
        );
        let b_ran = result(
            "k",
            vec![outcome("A", "pass", None), outcome("B", "pass", None)],
        );
        let other_kind = result("j", clean.rules.as_ref().clone());
        let reordered = result("k", vec![na("B"), outcome("A", "pass", None)]);
        let ids: Vec<_> = [&other_reason, &b_ran, &other_kind, &reordered]
            .iter()
            .map(|r| plan_id(&mut t, r).unwrap())
            .collect();
        assert_eq!(ids, ["k#2", "k#3", "j", "k#4"]);
        assert_eq!(t.plans().len(), 5);
    }

    #[test]
    fn a_list_shared_with_another_kind_is_not_taken_for_its_plan() {
        // The address of a list names a plan only for inputs of the plan's kind.
        let shared = result("k", vec![outcome("A", "pass", None)]);
        let mut other = result("j", Vec::new());
        other.rules = Arc::clone(&shared.rules);
        let mut t = PlanTable::default();
        assert_eq!(plan_id(&mut t, &shared).as_deref(), Some("k"));
        assert_eq!(plan_id(&mut t, &other).as_deref(), Some("j"));
        assert_eq!(plan_id(&mut t, &shared).as_deref(), Some("k"));
    }

    #[test]
    fn an_incomplete_outcome_and_findings_are_listed_with_the_input() {
        let r = result(
            "k",
            vec![
                outcome("A", "pass", None),
                outcome("B", INCOMPLETE, Some("terminal dropped")),
                outcome("C", "warn", None),
                outcome("D", "info", None),
                outcome("E", "pass", None),
            ],
        );
        let listed: Vec<_> = unplanned(&r).map(|o| o.rule.as_str()).collect();
        assert_eq!(listed, ["B", "C", "D"]);
        let mut t = PlanTable::default();
        let plan = t.plan_of(&r).unwrap();
        let entries = serde_json::to_value(plan.outcomes().collect::<Vec<_>>()).unwrap();
        assert!(entries
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["verdict"] == "pass" && e.get("reason").is_none()));
    }

    #[test]
    fn past_the_most_plans_a_new_plan_is_not_made_and_known_ones_still_are_found() {
        let mut t = PlanTable::default();
        let of = |n: usize| {
            result(
                "k",
                vec![outcome("A", NOT_APPLICABLE, Some(&format!("why {n}")))],
            )
        };
        for n in 0..MAX_PLANS {
            assert!(t.plan_of(&of(n)).is_some());
        }
        assert!(t.plan_of(&of(MAX_PLANS)).is_none());
        assert_eq!(plan_id(&mut t, &of(7)).as_deref(), Some("k#8"));
        assert_eq!(t.plans().len(), MAX_PLANS);
        assert!(
            t.plan_of(&result("k", Vec::new())).is_none(),
            "no outcomes, no plan"
        );
    }
}

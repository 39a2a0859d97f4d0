//! The shape every domain's judging gives: findings, the rules' outcomes, and notes on how the
//! input was read; and the one place a check's hits become findings and its rule's outcome.

use super::Plan;
use crate::checks::found::Found;
use crate::finding::{Finding, Outcome, RuleOutcome};
use crate::rules::Rule;

/// What judging (part of) an input gave.
#[derive(Debug, Default)]
pub(crate) struct Judgement {
    pub findings: Vec<Finding>,
    pub outcomes: Vec<RuleOutcome>,
    pub notes: Vec<String>,
}

impl Judgement {
    /// A rule's result: each hit made a finding by `finding` (the domain says where a hit
    /// is), and the outcome its worst finding's or pass; not applicable, with the reason,
    /// when the check found nothing to judge.
    pub fn rule<H>(&mut self, rule: &Rule, found: Found<H>, finding: impl FnMut(H) -> Finding) {
        let hits = match found {
            Found::NotApplicable(why) => {
                let outcome = RuleOutcome::not_applicable(rule.id.clone(), why.into());
                self.outcomes.push(outcome);
                return;
            }
            Found::Judged(hits) => hits,
        };
        let own: Vec<Finding> = hits.into_iter().map(finding).collect();
        let worst = own.iter().map(|f| f.verdict).min();
        self.outcomes
            .push(RuleOutcome::new(rule.id.clone(), Outcome::of_worst(worst)));
        self.findings.extend(own);
    }

    /// The rules the plan left out: not applicable, with the plan's reasons.
    pub fn skipped(&mut self, plan: &Plan) {
        let skipped = plan
            .skipped
            .iter()
            .map(|(r, why)| RuleOutcome::not_applicable(r.id.clone(), why.clone()));
        self.outcomes.extend(skipped);
    }
}

//! The shape every domain's judging gives: findings, the rules' outcomes, and notes on how the
//! input was read; and the one place a check's hits become findings and its rule's outcome:
//! [`Judgement::rule`] for the hits of a check run once, [`Streamed`] for those of a check fed
//! one event at a time (the session rules), which `rule` is made of.

use super::Plan;
use crate::checks::found::Found;
use crate::finding::{Finding, FindingVerdict, Outcome, RuleOutcome};
use crate::rules::Rule;

/// What judging (part of) an input gave.
#[derive(Debug, Default)]
pub struct Judgement {
    pub findings: Vec<Finding>,
    pub outcomes: Vec<RuleOutcome>,
    pub notes: Vec<String>,
}

impl Judgement {
    /// A rule's result: each hit made a finding by `finding` (the domain says where a hit
    /// is), and the outcome its worst finding's or pass; not applicable, with the reason,
    /// when the check found nothing to judge.
    pub(crate) fn rule<H>(
        &mut self,
        rule: &Rule,
        found: Found<H>,
        finding: impl FnMut(H) -> Finding,
    ) {
        let hits = match found {
            Found::NotApplicable(why) => {
                let outcome = RuleOutcome::not_applicable(rule.id.clone(), why.into());
                self.outcomes.push(outcome);
                return;
            }
            Found::Judged(hits) => hits,
        };
        let mut streamed = Streamed::default();
        let mut finding = finding;
        self.findings
            .extend(hits.into_iter().map(|h| streamed.finding(h, &mut finding)));
        self.outcomes
            .push(RuleOutcome::new(rule.id.clone(), streamed.outcome()));
    }

    /// What another judgement of (part of) the same input gave, taken in: its findings and
    /// notes added, its outcomes merged (`merge::merge_outcomes`: the worst wins).
    pub(crate) fn take(&mut self, other: Judgement) {
        self.findings.extend(other.findings);
        super::merge::merge_outcomes(&mut self.outcomes, other.outcomes);
        self.notes.extend(other.notes);
    }

    /// The rules the plan left out: not applicable, with the plan's reasons.
    pub(crate) fn skipped(&mut self, plan: &Plan) {
        let skipped = plan
            .skipped
            .iter()
            .map(|(r, why)| RuleOutcome::not_applicable(r.id.clone(), why.clone()));
        self.outcomes.extend(skipped);
    }
}

/// One rule judged over a stream: each hit made a finding as it comes, the outcome its worst
/// finding's so far, or pass.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct Streamed {
    worst: Option<FindingVerdict>,
}

impl Streamed {
    /// A hit's finding, made by `finding` (the domain says where a hit is), counted.
    pub(crate) fn finding<H>(&mut self, hit: H, finding: impl FnOnce(H) -> Finding) -> Finding {
        let f = finding(hit);
        self.worst = Some(self.worst.map_or(f.verdict, |w| w.min(f.verdict)));
        f
    }

    /// The rule's outcome on what it judged: its worst finding's, or pass.
    pub(crate) fn outcome(&self) -> Outcome {
        Outcome::of_worst(self.worst)
    }
}

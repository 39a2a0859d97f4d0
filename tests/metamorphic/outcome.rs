//! What a check said about an input, with every position left out: per rule its outcome
//! (fail, warn, info, pass, not-applicable) and its findings counted by verdict. Two inputs
//! that mean the same must give equal outcomes; positions, messages and notes may differ.

use mikeyconf::internals::finding::CheckResult;
use std::collections::{BTreeMap, BTreeSet};

/// One rule's outcome, position-free.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RuleView {
    /// `fail`, `warn`, `info`, `pass` or `not-applicable` (a rule the result does not name).
    pub verdict: String,
    /// The rule's findings: verdict → count.
    pub findings: BTreeMap<String, usize>,
}

impl std::fmt::Display for RuleView {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.verdict)?;
        if !self.findings.is_empty() {
            let list: Vec<String> = self
                .findings
                .iter()
                .map(|(v, n)| format!("{n} {v}"))
                .collect();
            write!(f, " ({})", list.join(", "))?;
        }
        Ok(())
    }
}

/// A check result, position-free.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    /// Why the input could not be checked, if it could not.
    pub error: Option<String>,
    pub rules: BTreeMap<String, RuleView>,
}

/// One rule whose outcome differs between two inputs.
#[derive(Debug, Clone)]
pub struct RuleDiff {
    pub rule: String,
    pub want: String,
    pub got: String,
}

pub const NOT_APPLICABLE: &str = "not-applicable";

impl Outcome {
    pub fn of(result: &CheckResult) -> Outcome {
        let mut rules: BTreeMap<String, RuleView> = result
            .rules
            .iter()
            .map(|o| {
                let view = RuleView {
                    verdict: o.outcome.as_str().to_string(),
                    findings: BTreeMap::new(),
                };
                (o.rule.clone(), view)
            })
            .collect();
        for f in &result.findings {
            let view = rules.entry(f.rule.clone()).or_insert_with(|| RuleView {
                verdict: f.verdict.as_str().to_string(),
                findings: BTreeMap::new(),
            });
            *view
                .findings
                .entry(f.verdict.as_str().to_string())
                .or_default() += 1;
        }
        Outcome {
            error: result.error.clone(),
            rules,
        }
    }

    /// A rule's outcome; a rule the result does not name did not apply.
    pub fn rule(&self, id: &str) -> RuleView {
        self.rules.get(id).cloned().unwrap_or_else(|| RuleView {
            verdict: NOT_APPLICABLE.into(),
            findings: BTreeMap::new(),
        })
    }

    /// The rules that failed (a finding with verdict fail).
    pub fn failing(&self) -> BTreeSet<String> {
        self.rules
            .iter()
            .filter(|(_, v)| v.verdict == "fail")
            .map(|(r, _)| r.clone())
            .collect()
    }
}

/// The rules among `rules` (every rule either names, when `None`) whose outcomes differ.
pub fn compare(want: &Outcome, got: &Outcome, rules: Option<&BTreeSet<String>>) -> Vec<RuleDiff> {
    let all: BTreeSet<String> = match rules {
        Some(r) => r.clone(),
        None => want.rules.keys().chain(got.rules.keys()).cloned().collect(),
    };
    let mut diffs: Vec<RuleDiff> = all
        .into_iter()
        .filter_map(|id| {
            let (w, g) = (want.rule(&id), got.rule(&id));
            (w != g).then(|| RuleDiff {
                rule: id,
                want: w.to_string(),
                got: g.to_string(),
            })
        })
        .collect();
    // Checked against not checked: said once, with the reason, beside the rules it changed.
    if want.error.is_some() != got.error.is_some() && (rules.is_none() || !diffs.is_empty()) {
        let say = |o: &Outcome| match &o.error {
            Some(e) => format!("could not check: {e}"),
            None => "checked".to_string(),
        };
        diffs.push(RuleDiff {
            rule: "(input)".into(),
            want: say(want),
            got: say(got),
        });
    }
    diffs
}

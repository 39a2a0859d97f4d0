//! Judging an OMA CPNS group-key trace (CR 004): read it (YAML or JSON Lines), work out the
//! key life once, run the CPNS rules. Each finding names the event's line and column and its
//! `seq`; a rule the trace gives nothing to judge is not applicable, with the reason.

use super::judgement::Judgement;
use super::{judged, Engine};
use crate::checks::cpns::{CpnsCtx, CpnsHit};
use crate::checks::kind::{Domain, Judge};
use crate::cpns::{self, life::Life};
use crate::finding::{CheckResult, Location};

pub(crate) use crate::cpns::read::looks_like_cpns;

/// The kind a CPNS trace is read as (rules/settings.yaml `capture_kinds`).
pub const KIND: &str = "cpns-trace";

impl Engine {
    /// Judges a CPNS trace; an unreadable one is "could not check", naming line, column and
    /// field.
    pub fn check_cpns(&self, input: &str, bytes: &[u8]) -> CheckResult {
        let Ok(text) = std::str::from_utf8(bytes) else {
            return CheckResult::error(input, KIND, "a CPNS trace is UTF-8 text".into());
        };
        let trace = match cpns::read::read(text) {
            Ok(t) => t,
            Err(e) => {
                return CheckResult::error(input, KIND, format!("cannot read the CPNS trace: {e}"))
            }
        };
        if trace.events.is_empty() {
            return CheckResult::error(
                input,
                KIND,
                "nothing in it could be checked: the CPNS trace has no events".into(),
            );
        }
        let life = Life::of(&trace);
        let ctx = CpnsCtx {
            trace: &trace,
            life: &life,
            settings: &self.settings,
        };
        let plan = self.plan(Domain::Cpns, &[KIND.to_string()], None);
        let mut j = Judgement::default();
        for rule in &plan.applied {
            let Judge::Cpns(check) = rule.check.kind().judge() else {
                continue;
            };
            j.rule(rule, check.cpns(&ctx), |h: CpnsHit| {
                let e = &trace.events[h.event];
                let location = Location {
                    line: e.line,
                    column: e.column,
                    context: Some(format!("seq {}", e.seq)),
                    ..Location::default()
                };
                self.make_finding(rule, h.vars, location)
            });
        }
        j.skipped(&plan);
        let Judgement {
            mut findings,
            outcomes,
            mut notes,
        } = j;
        findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        let sgs: std::collections::BTreeSet<&str> = trace
            .events
            .iter()
            .filter_map(|e| e.sg_id.as_deref())
            .collect();
        notes.push(format!(
            "{}, {}",
            crate::plural::counted(trace.events.len(), "event", "events"),
            crate::plural::counted(sgs.len(), "service group", "service groups")
        ));
        // No source text for snippets: the text renderer looks each finding's line up from
        // the start of the text, which a trace of 100 000 lines with thousands of findings
        // would make quadratic (findings name line, column and seq instead).
        let mut result = judged(input, KIND.into(), findings, outcomes, notes, None);
        // The verdict is the whole list's, though only the first findings are listed.
        result.list_at_most(self.settings.limits.max_findings);
        self.complete_outcomes(&mut result, &[Domain::Cpns]);
        result
    }
}

//! Machine-readable results: `{"tool", "version", "format", "results": [{"input", "kind",
//! "verdict", "findings": [...], "rules": {"plan", "except"}}], "plans": {ID: [...]}}`, then
//! `"skipped":[{"path","reason"}]` when files of a folder were left out, documented in the
//! README. Each rule plan is listed once (see [`super::plans`]): an input names its plan and
//! lists the outcomes that differ from it. Stable key order, no timestamps: identical run to
//! run. Written one result at a time, as `serde_json`'s pretty printer lays out the whole
//! report; the plans, which are known only once every input is, come after the results.

use super::emitter::{emit_to_string, pretty_at, Emitter, JsonArray};
use super::plans::{unplanned, PlanOutcome, PlanTable};
use super::RunInfo;
use crate::finding::{CheckResult, Finding, RuleOutcome, Skipped, Verdict};
use serde::Serialize;
use std::io::{self, Write};

/// The shape of the report (`"format"`): 2 since the rule plans are listed once (the reports
/// before had no such field, and each input listed every rule's outcome).
pub const FORMAT: u32 = 2;

pub fn render(results: &[CheckResult]) -> String {
    render_run(results, &[], &RunInfo::default())
}

/// The report with the run's profile and config file (`"profile"`, `"config"`, last).
pub fn render_run(results: &[CheckResult], skipped: &[Skipped], run: &RunInfo) -> String {
    emit_to_string(JsonEmitter::new(skipped, run), results)
}

/// The JSON report, streamed: `tool`, `version`, `format`, `results` (one at a time),
/// `plans`, `skipped` (when some were), then the run's `profile` and `config` (when there
/// were some).
pub struct JsonEmitter<'a> {
    skipped: &'a [Skipped],
    run: &'a RunInfo,
    results: JsonArray,
    plans: PlanTable,
}

impl<'a> JsonEmitter<'a> {
    pub fn new(skipped: &'a [Skipped], run: &'a RunInfo) -> Self {
        JsonEmitter {
            skipped,
            run,
            results: JsonArray::new("    "),
            plans: PlanTable::default(),
        }
    }
}

/// One input's entry: the fields of [`CheckResult`] in its order, with `rules` as its plan
/// and the outcomes that differ from it.
#[derive(Serialize)]
pub(super) struct Entry<'a> {
    input: &'a str,
    kind: &'a str,
    verdict: Verdict,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    notes: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<&'a str>,
    findings: &'a [Finding],
    rules: Rules<'a>,
}

/// `"rules"`: the input's plan (absent when it has none: no outcomes, or more plans than a
/// report lists) and the outcomes that differ from it (all of them when it has none).
#[derive(Serialize)]
struct Rules<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    plan: Option<&'a str>,
    except: Vec<&'a RuleOutcome>,
}

impl<'a> Entry<'a> {
    /// `r`'s entry, with `plan` for its plan.
    pub(super) fn of(r: &'a CheckResult, plan: Option<&'a str>) -> Self {
        let except = match plan {
            Some(_) => unplanned(r).collect(),
            None => r.rules.iter().collect(),
        };
        Entry {
            input: &r.input,
            kind: &r.kind,
            verdict: r.verdict,
            notes: &r.notes,
            error: r.error.as_deref(),
            findings: &r.findings,
            rules: Rules { plan, except },
        }
    }
}

impl Emitter for JsonEmitter<'_> {
    fn start(&mut self, out: &mut dyn Write) -> io::Result<()> {
        let version = serde_json::to_string(env!("CARGO_PKG_VERSION")).map_err(io::Error::other)?;
        write!(
            out,
            "{{\n  \"tool\": \"mikeyconf\",\n  \"version\": {version},\n  \"format\": {FORMAT},\n  \"results\": ["
        )
    }

    fn result(&mut self, out: &mut dyn Write, r: &CheckResult) -> io::Result<()> {
        let plan = self.plans.plan_of(r).map(|p| p.id.as_str());
        self.results.push(out, &Entry::of(r, plan))
    }

    fn finish(&mut self, out: &mut dyn Write) -> io::Result<()> {
        self.results.close(out)?;
        write!(out, ",\n  \"plans\": {{")?;
        for (n, plan) in self.plans.plans().iter().enumerate() {
            let sep = if n == 0 { "" } else { "," };
            let id = serde_json::to_string(&plan.id).map_err(io::Error::other)?;
            let outcomes: Vec<PlanOutcome> = plan.outcomes().collect();
            write!(out, "{sep}\n    {id}: {}", pretty_at(&outcomes, "    ")?)?;
        }
        match self.plans.plans().is_empty() {
            true => write!(out, "}}")?,
            false => write!(out, "\n  }}")?,
        }
        if !self.skipped.is_empty() {
            write!(out, ",\n  \"skipped\": {}", pretty_at(&self.skipped, "  ")?)?;
        }
        if let Some(p) = &self.run.profile {
            write!(out, ",\n  \"profile\": {}", pretty_at(p, "  ")?)?;
        }
        if let Some(c) = &self.run.config {
            write!(out, ",\n  \"config\": {}", pretty_at(c, "  ")?)?;
        }
        writeln!(out, "\n}}")
    }
}

/// The outcomes of the rules for one input of a report, as the report before plans listed
/// them: its plan's, each replaced by the input's own where it lists one. For consumers in
/// Rust (the tests, `run`'s reports), and the reference for the README's recipe.
pub fn outcomes_of(
    report: &serde_json::Value,
    result: &serde_json::Value,
) -> Vec<serde_json::Value> {
    let rules = &result["rules"];
    let except = rules["except"].as_array().cloned().unwrap_or_default();
    let Some(plan) = rules["plan"].as_str() else {
        return except;
    };
    let planned = report["plans"][plan]
        .as_array()
        .cloned()
        .unwrap_or_default();
    planned
        .into_iter()
        .map(|o| {
            except
                .iter()
                .find(|e| e["rule"] == o["rule"])
                .cloned()
                .unwrap_or(o)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Location;
    use std::sync::Arc;

    const NOT_APPLICABLE: &str = "not-applicable";

    use crate::finding::tests_support::outcome_of;

    fn outcome(rule: &str, verdict: &'static str) -> RuleOutcome {
        let why = format!("why {rule}");
        RuleOutcome::new(rule, outcome_of(verdict, Some(&why)))
    }

    /// Every optional field of a result filled, so that none is left out of [`Entry`].
    fn full_result() -> CheckResult {
        let mut r = CheckResult::error("a.xml", "msk-response", "cannot".into());
        r.notes.push("a note".into());
        r.findings.push(Finding {
            rule: "R-1".into(),
            requirement: vec!["R-1".into()],
            clause: "TS 33.246 6.3".into(),
            level: crate::finding::Level::Shall,
            severity: crate::finding::Severity::Error,
            status: crate::finding::Status::Confirmed,
            verdict: crate::finding::FindingVerdict::Fail,
            message: "m".into(),
            location: Location::default(),
            party: Some("bsm".into()),
        });
        r.rules = Arc::new(vec![outcome("R-1", "fail"), outcome("R-2", NOT_APPLICABLE)]);
        r
    }

    #[test]
    fn an_entry_is_its_result_as_serde_writes_it_up_to_the_rules() {
        // A field added to CheckResult must reach the report: the entry is the result's own
        // serialisation, but for `rules` (its last field).
        let r = full_result();
        let entry = serde_json::to_string(&Entry::of(&r, None)).unwrap();
        let whole = serde_json::to_string(&r).unwrap();
        let before_rules = |s: &str| s[..s.find(",\"rules\":").unwrap()].to_string();
        assert_eq!(before_rules(&entry), before_rules(&whole));
        assert!(
            whole.ends_with("]}"),
            "rules is the last field of a result: {whole}"
        );
    }
}

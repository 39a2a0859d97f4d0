//! SARIF 2.1.0: one run, the applied rules as reportingDescriptors (with clause, requirement
//! and status), one result per finding. Inputs that could not be checked become
//! tool-execution notifications, so a code-scanning upload shows them rather than passing.
//! The rules not applied to an input are in the run's property bag, each rule plan's once
//! (see [`super::plans`]), each input naming its plan.
//! Streamed: memory holds one input's findings at a time (see [`SarifEmitter`]).

use super::emitter::{emit_to_string, pretty_at, Emitter, JsonArray, Spool};
use super::plans::PlanTable;
use crate::finding::{CheckResult, Finding, FindingVerdict, Skipped, Status, Verdict};
use crate::rules::RuleSet;
use serde_json::{json, Value};
use std::collections::HashSet;
use std::io::{self, Write};

fn level(v: FindingVerdict) -> &'static str {
    match v {
        FindingVerdict::Fail => "error",
        FindingVerdict::Warn => "warning",
        FindingVerdict::Info => "note",
    }
}

fn location(r: &CheckResult, f: &Finding) -> Value {
    let mut region = serde_json::Map::new();
    if f.location.line > 0 {
        region.insert("startLine".into(), json!(f.location.line));
        region.insert("startColumn".into(), json!(f.location.column));
    } else if let Some(b) = f.location.byte_offset {
        region.insert("byteOffset".into(), json!(b));
    }
    let mut physical = json!({"artifactLocation": {"uri": r.input}});
    if !region.is_empty() {
        physical["region"] = Value::Object(region);
    }
    match &f.location.context {
        Some(c) => {
            json!({"physicalLocation": physical, "logicalLocations": [{"fullyQualifiedName": c}]})
        }
        None => json!({"physicalLocation": physical}),
    }
}

pub fn render(results: &[CheckResult], rules: &RuleSet) -> String {
    render_run(results, rules, &[], &super::RunInfo::default())
}

/// The report, the run's profile and config file in the run's property bag (`profile`,
/// `config`) when there were some.
pub fn render_run(
    results: &[CheckResult],
    rules: &RuleSet,
    skipped: &[Skipped],
    run: &super::RunInfo,
) -> String {
    emit_to_string(SarifEmitter::new(rules, skipped, run), results)
}

/// The SARIF report. Its keys are in `serde_json`'s (sorted) order, so the invocation (whose
/// success depends on every input) and the rules not applied come before the results: each
/// input's results, notifications and rules not applied are spooled as it arrives, and the
/// report written around them at the end. Memory holds the rules used, not the findings.
pub struct SarifEmitter<'a> {
    rules: &'a RuleSet,
    skipped: &'a [Skipped],
    run: &'a super::RunInfo,
    /// The rules applied to some input: the report's descriptors.
    used: HashSet<String>,
    execution_successful: bool,
    notifications: (JsonArray, Spool),
    not_applicable: (JsonArray, Spool),
    plans: PlanTable,
    results: (JsonArray, Spool),
}

impl<'a> SarifEmitter<'a> {
    pub fn new(rules: &'a RuleSet, skipped: &'a [Skipped], run: &'a super::RunInfo) -> Self {
        SarifEmitter {
            rules,
            skipped,
            run,
            used: HashSet::new(),
            execution_successful: true,
            notifications: (JsonArray::new(&" ".repeat(12)), Spool::default()),
            not_applicable: (JsonArray::new(&" ".repeat(10)), Spool::default()),
            plans: PlanTable::default(),
            results: (JsonArray::new(&" ".repeat(8)), Spool::default()),
        }
    }
}

impl Emitter for SarifEmitter<'_> {
    fn start(&mut self, _out: &mut dyn Write) -> io::Result<()> {
        Ok(())
    }

    fn result(&mut self, _out: &mut dyn Write, r: &CheckResult) -> io::Result<()> {
        if r.verdict == Verdict::Error {
            self.execution_successful = false;
            let text = format!(
                "could not check {}: {}",
                r.input,
                r.error.as_deref().unwrap_or("")
            );
            let (list, spool) = &mut self.notifications;
            list.push(spool, &notification("error", &text, &r.input))?;
        }
        for f in &r.findings {
            let (list, spool) = &mut self.results;
            list.push(spool, &sarif_result(r, f))?;
        }
        let known = self.plans.plans().len();
        let plan = self.plans.plan_of(r).map(|p| p.id.clone());
        // The rules a plan applies are those of the input it was made from: an input of a
        // plan seen before applies none not yet used.
        if plan.is_none() || self.plans.plans().len() > known {
            for o in r.rules.iter().filter(|o| o.applied()) {
                if !self.used.contains(&o.rule) {
                    self.used.insert(o.rule.clone());
                }
            }
        }
        if r.rules.iter().all(|o| o.applied()) {
            return Ok(());
        }
        // The rules not applied: the input's plan, which lists them with their reasons, or
        // (past the plans a report lists) the rules themselves.
        let entry = match plan {
            Some(id) => json!({"input": r.input, "plan": id}),
            None => json!({"input": r.input, "rules": not_applied(r.rules.iter())}),
        };
        let (list, spool) = &mut self.not_applicable;
        list.push(spool, &entry)
    }

    fn finish(&mut self, out: &mut dyn Write) -> io::Result<()> {
        write!(
            out,
            "{{\n  \"$schema\": \"https://json.schemastore.org/sarif-2.1.0.json\",\n  \"runs\": [\n    {{\n"
        )?;
        self.invocations(out)?;
        self.properties(out)?;
        write!(out, ",\n      \"results\": [")?;
        let (list, spool) = &mut self.results;
        spool.drain_into(out)?;
        list.close(out)?;
        self.tool(out)?;
        writeln!(out, "\n    }}\n  ],\n  \"version\": \"2.1.0\"\n}}")
    }
}

impl SarifEmitter<'_> {
    /// `"invocations"`: whether every input could be checked, and the notifications: inputs
    /// that could not be, then files skipped.
    fn invocations(&mut self, out: &mut dyn Write) -> io::Result<()> {
        write!(
            out,
            "      \"invocations\": [\n        {{\n          \"executionSuccessful\": {},\n          \"toolExecutionNotifications\": [",
            self.execution_successful
        )?;
        let (list, spool) = &mut self.notifications;
        spool.drain_into(out)?;
        for s in self.skipped {
            let text = format!("skipped {}: {}", s.path, s.reason);
            list.push(out, &notification("note", &text, &s.path))?;
        }
        list.close(out)?;
        write!(out, "\n        }}\n      ]")
    }

    /// `"properties"`: the run's config file, the rules that did not run on an input (in the
    /// run's property bag, not as results, so that code scanning shows them as neither
    /// alerts nor passes): `notApplicable` names each input's plan, `plans` lists each plan's
    /// rules not applied with the reason; and the run's profile.
    fn properties(&mut self, out: &mut dyn Write) -> io::Result<()> {
        write!(out, ",\n      \"properties\": {{\n")?;
        let inner = " ".repeat(8);
        if let Some(c) = &self.run.config {
            writeln!(out, "{inner}\"config\": {},", pretty_at(&json!(c), &inner)?)?;
        }
        write!(out, "{inner}\"notApplicable\": [")?;
        let (list, spool) = &mut self.not_applicable;
        spool.drain_into(out)?;
        list.close(out)?;
        write!(out, ",\n{inner}\"plans\": {{")?;
        let mut listed = 0;
        // In key order, as the rest of the report.
        let mut plans: Vec<_> = self.plans.plans().iter().collect();
        plans.sort_by(|a, b| a.id.cmp(&b.id));
        for plan in plans {
            let rules = not_applied(plan.not_applied());
            if rules.is_empty() {
                continue;
            }
            let sep = if listed == 0 { "" } else { "," };
            listed += 1;
            let id = serde_json::to_string(&plan.id).map_err(io::Error::other)?;
            let text = pretty_at(&rules, &format!("{inner}  "))?;
            write!(out, "{sep}\n{inner}  {id}: {text}")?;
        }
        match listed {
            0 => write!(out, "}}")?,
            _ => write!(out, "\n{inner}}}")?,
        }
        if let Some(p) = &self.run.profile {
            write!(
                out,
                ",\n{inner}\"profile\": {}",
                pretty_at(&json!(p), &inner)?
            )?;
        }
        write!(out, "\n      }}")
    }

    /// `"tool"`: the driver, with a descriptor for each rule applied to some input.
    fn tool(&self, out: &mut dyn Write) -> io::Result<()> {
        let version = serde_json::to_string(env!("CARGO_PKG_VERSION")).map_err(io::Error::other)?;
        write!(
            out,
            ",\n      \"tool\": {{\n        \"driver\": {{\n          \"name\": \"mikeyconf\",\n          \"rules\": ["
        )?;
        let mut list = JsonArray::new(&" ".repeat(12));
        for rule in self
            .rules
            .rules
            .iter()
            .filter(|r| self.used.contains(&r.id))
        {
            list.push(out, &descriptor(rule))?;
        }
        list.close(out)?;
        write!(
            out,
            ",\n          \"version\": {version}\n        }}\n      }}"
        )
    }
}

/// Rules not applied, as the property bag lists them: `{"reason", "rule"}` each.
fn not_applied<'r>(outcomes: impl Iterator<Item = &'r crate::finding::RuleOutcome>) -> Vec<Value> {
    outcomes
        .filter(|o| !o.applied())
        .map(|o| json!({"rule": o.rule, "reason": o.outcome.reason().map_or("", |why| why)}))
        .collect()
}

/// A tool-execution notification about one file.
fn notification(level: &str, text: &str, uri: &str) -> Value {
    json!({
        "level": level,
        "message": {"text": text},
        "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri}}}],
    })
}

/// One finding as a SARIF result.
fn sarif_result(r: &CheckResult, f: &Finding) -> Value {
    json!({
        "ruleId": f.rule,
        "level": level(f.verdict),
        "message": {"text": f.message},
        "locations": [location(r, f)],
        "properties": finding_properties(f, &r.kind),
    })
}

/// A rule's reportingDescriptor, with its clause, requirement, level and status.
fn descriptor(rule: &crate::rules::Rule) -> Value {
    json!({
        "id": rule.id,
        "name": rule.title,
        "shortDescription": {"text": rule.title},
        "fullDescription": {"text": format!("{} ({}): {}", rule.clause, rule.level, rule.clause_text.trim())},
        "defaultConfiguration": {"level": match (rule.severity, rule.status) {
            (crate::finding::Severity::Error, Status::Confirmed) => "error",
            (crate::finding::Severity::Info, _) => "note",
            _ => "warning",
        }},
        "properties": {
            "clause": rule.clause.to_string(),
            "requirement": rule.requirement,
            "level": rule.level.to_string(),
            "status": match rule.status { Status::Confirmed => "confirmed", Status::Provisional => "provisional" },
        },
    })
}

/// A result's properties: clause, requirement, the input's kind and, for a rule that binds a
/// party, the party the finding blames.
fn finding_properties(f: &crate::finding::Finding, kind: &str) -> serde_json::Value {
    let mut p = json!({"clause": f.clause, "requirement": f.requirement, "kind": kind});
    if let Some(party) = &f.party {
        p["party"] = json!(party);
    }
    p
}

//! SARIF 2.1.0: one run, the applied rules as reportingDescriptors (with clause, requirement
//! and status), one result per finding. Inputs that could not be checked become
//! tool-execution notifications, so a code-scanning upload shows them rather than passing.

use crate::finding::{CheckResult, Finding, FindingVerdict, Skipped, Status, Verdict};
use crate::rules::RuleSet;
use serde_json::{json, Value};

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
    let used: Vec<&crate::rules::Rule> = rules
        .rules
        .iter()
        .filter(|rule| {
            results
                .iter()
                .any(|r| r.rules.iter().any(|o| o.rule == rule.id && o.applied()))
        })
        .collect();
    let descriptors: Vec<Value> = used
        .iter()
        .map(|rule| {
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
        })
        .collect();
    let findings: Vec<Value> = results
        .iter()
        .flat_map(|r| {
            r.findings.iter().map(move |f| {
                json!({
                    "ruleId": f.rule,
                    "level": level(f.verdict),
                    "message": {"text": f.message},
                    "locations": [location(r, f)],
                    "properties": finding_properties(f, &r.kind),
                })
            })
        })
        .collect();
    let notifications: Vec<Value> = results
        .iter()
        .filter(|r| r.verdict == Verdict::Error)
        .map(|r| {
            json!({
                "level": "error",
                "message": {"text": format!("could not check {}: {}", r.input, r.error.as_deref().unwrap_or(""))},
                "locations": [{"physicalLocation": {"artifactLocation": {"uri": r.input}}}],
            })
        })
        .collect();
    let execution_successful = notifications.is_empty();
    let mut notifications = notifications;
    notifications.extend(skipped.iter().map(|s| {
        json!({
            "level": "note",
            "message": {"text": format!("skipped {}: {}", s.path, s.reason)},
            "locations": [{"physicalLocation": {"artifactLocation": {"uri": s.path}}}],
        })
    }));
    // Rules that did not run on an input, with the reason: in the run's property bag, not as
    // results, so that code scanning shows them as neither alerts nor passes.
    let not_applicable: Vec<Value> = results
        .iter()
        .flat_map(|r| {
            r.rules.iter().filter(|o| !o.applied()).map(move |o| {
                json!({"input": r.input, "rule": o.rule, "reason": o.reason.as_deref().unwrap_or("")})
            })
        })
        .collect();
    let mut properties = json!({"notApplicable": not_applicable});
    if let Some(p) = &run.profile {
        properties["profile"] = json!(p);
    }
    if let Some(c) = &run.config {
        properties["config"] = json!(c);
    }
    let report = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "mikeyconf", "version": env!("CARGO_PKG_VERSION"), "rules": descriptors}},
            "invocations": [{"executionSuccessful": execution_successful, "toolExecutionNotifications": notifications}],
            "results": findings,
            "properties": properties,
        }],
    });
    let mut s = serde_json::to_string_pretty(&report).unwrap_or_default();
    s.push('\n');
    s
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

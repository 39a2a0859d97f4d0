//! The spec-editor rule table (rules/spec/spec-editor.yaml), built into the binary, and the
//! findings its rules make. A document check names its rule by id; the table gives the
//! citation, level and severity, so a rule's wording is data, not code.

use crate::finding::{Finding, FindingVerdict, Level, Location, Severity, Status};
use crate::rules::Clause;
use serde::Deserialize;
use std::sync::OnceLock;

/// The table's text, embedded so a built binary needs no file beside it.
pub const TABLE: &str = include_str!("../../rules/spec/spec-editor.yaml");

/// One spec-editor rule: a payload rule's fields without the payload check.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SpecRule {
    pub id: String,
    pub title: String,
    pub clause: Clause,
    pub clause_text: String,
    pub level: Level,
    pub severity: Severity,
    pub status: Status,
    /// Where facts beyond the clause came from.
    #[serde(default)]
    pub source: Option<String>,
    /// The source file that implements the check (for readers of the table).
    pub checked_by: String,
    /// The finding's message; `{detail}` is filled by the check.
    pub message: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Table {
    rules: Vec<SpecRule>,
}

/// The built-in spec-editor rules, in table order.
pub fn all() -> &'static [SpecRule] {
    static RULES: OnceLock<Vec<SpecRule>> = OnceLock::new();
    RULES.get_or_init(|| {
        serde_yaml::from_str::<Table>(TABLE)
            .map(|t| t.rules)
            .expect("rules/spec/spec-editor.yaml is a valid table (tested)")
    })
}

/// A rule by id; the ids the checks use are all in the table (tested).
pub fn get(id: &str) -> &'static SpecRule {
    all()
        .iter()
        .find(|r| r.id == id)
        .unwrap_or_else(|| panic!("spec rule {id} is not in rules/spec/spec-editor.yaml"))
}

impl SpecRule {
    /// The rule as a SARIF report describes it (a SARIF report knows every rule).
    pub fn meta(&self) -> crate::render::sarif::RuleMeta {
        crate::render::sarif::RuleMeta {
            id: self.id.clone(),
            title: self.title.clone(),
            clause: self.clause.to_string(),
            clause_text: self.clause_text.clone(),
            level: self.level,
            severity: self.severity,
            status: self.status,
            requirement: Vec::new(),
        }
    }
}

/// A finding of rule `id` at `location`, its message the rule's with `{detail}` filled.
pub fn finding(id: &str, detail: &str, location: Location, strict: bool) -> Finding {
    let rule = get(id);
    Finding {
        rule: rule.id.clone(),
        requirement: Vec::new(),
        clause: rule.clause.to_string(),
        level: rule.level,
        severity: rule.severity,
        status: rule.status,
        verdict: FindingVerdict::of(rule.severity, rule.status, strict),
        message: rule.message.replace("{detail}", detail),
        location,
        party: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_loads_and_every_rule_names_an_existing_check_file() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        assert!(all().len() >= 9);
        for r in all() {
            assert!(r.id.starts_with("SPEC-"), "{}", r.id);
            assert!(
                root.join(&r.checked_by).is_file(),
                "{}: {}",
                r.id,
                r.checked_by
            );
        }
    }
}

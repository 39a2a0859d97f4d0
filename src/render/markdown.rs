//! The suite's Markdown summary: each rule against the vectors that pass and fail it, and
//! each requirement of the catalogue against the rules that cover it.

use crate::finding::Outcome;
use crate::requirements::Coverage;
use crate::rules::RuleSet;
use crate::vector_outcome::VectorOutcome;

pub fn render(
    outcomes: &[VectorOutcome],
    rules: &RuleSet,
    gaps: &[String],
    requirements: &[Coverage],
) -> String {
    let passed = outcomes.iter().filter(|o| o.matched).count();
    let mut s = String::from("# mikeyconf bundled suite\n\n");
    s.push_str(&format!(
        "{passed} of {} vectors gave exactly their expected findings.\n\n",
        outcomes.len()
    ));
    let mismatched: Vec<_> = outcomes.iter().filter(|o| !o.matched).collect();
    if !mismatched.is_empty() {
        s.push_str("## Mismatches\n\n");
        for o in mismatched {
            s.push_str(&format!("- `{}`\n", super::escape_controls(&o.name)));
        }
        s.push('\n');
    }
    s.push_str("## Rules × vectors\n\n| rule | status | clause | vectors passing it | not applicable in | vectors failing it |\n|---|---|---|---|---|---|\n");
    for rule in &rules.rules {
        let list = |pred: &dyn Fn(&str) -> bool| -> String {
            let names: Vec<String> = outcomes
                .iter()
                .filter(|o| {
                    o.result
                        .rules
                        .iter()
                        .any(|r| r.rule == rule.id && pred(r.outcome.as_str()))
                })
                .map(|o| format!("`{}`", super::escape_controls(&o.name)))
                .collect();
            if names.is_empty() {
                "—".into()
            } else {
                names.join(", ")
            }
        };
        let status = match rule.status {
            crate::finding::Status::Confirmed => "confirmed",
            crate::finding::Status::Provisional => "provisional",
        };
        let passing = outcomes
            .iter()
            .filter(|o| {
                o.result
                    .rules
                    .iter()
                    .any(|r| r.rule == rule.id && r.outcome == Outcome::Pass)
            })
            .count();
        let not_applicable = outcomes
            .iter()
            .filter(|o| {
                o.result
                    .rules
                    .iter()
                    .any(|r| r.rule == rule.id && !r.applied())
            })
            .count();
        s.push_str(&format!(
            "| {} | {} | {} | {passing} | {not_applicable} | {} |\n",
            rule.id,
            status,
            rule.clause,
            list(&|v| matches!(v, "fail" | "warn" | "info"))
        ));
    }
    s.push_str(&requirements_table(requirements));
    if !gaps.is_empty() {
        s.push_str("\n## Coverage gaps\n\n");
        for g in gaps {
            s.push_str(&format!("- {}\n", super::escape_controls(g)));
        }
    }
    s
}

/// Requirements × rules: every requirement of the catalogue, the rules that cover it, or why
/// it is not (yet) checked.
fn requirements_table(requirements: &[Coverage]) -> String {
    let covered = requirements.iter().filter(|c| !c.rules.is_empty()).count();
    let mut s = format!(
        "\n## Requirements × rules\n\n{covered} of {} requirements are checked by at least one rule; the others say why not.\n\n| requirement | clause | level | checked by | not checked because |\n|---|---|---|---|---|\n",
        requirements.len()
    );
    for c in requirements {
        let r = c.requirement;
        let by = if c.rules.is_empty() {
            "—".to_string()
        } else {
            c.rules.join(", ")
        };
        let why = match (&r.not_checked, c.problem()) {
            (_, Some(p)) => format!("**gap**: {p}"),
            (Some(w), None) => w.replace('|', "\\|"),
            (None, None) => String::new(),
        };
        s.push_str(&format!(
            "| {} | {} {} | {} | {by} | {why} |\n",
            r.id, r.source, r.clause, r.level
        ));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hostile_vector_name_and_gap_are_escaped() {
        let name = "a\u{1b}]0;t\u{7}\n- forged\u{202e}.xml";
        let outcome = VectorOutcome {
            name: name.into(),
            matched: false,
            diff: String::new(),
            result: crate::finding::CheckResult::error(name, "unknown", "x".into()),
        };
        let rules = RuleSet { rules: Vec::new() };
        let md = render(&[outcome], &rules, &["gap\u{7}\nforged".into()], &[]);
        assert!(
            md.contains("- `a\\x1b]0;t\\x07\\n- forged\\u{202e}.xml`"),
            "{md}"
        );
        assert!(md.contains("- gap\\x07\\nforged"), "{md}");
        assert!(!md.chars().any(|c| c.is_control() && c != '\n'), "{md}");
        assert!(!md.lines().any(|l| l.starts_with("- forged")), "{md}");
    }
}

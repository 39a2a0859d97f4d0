//! The suite's Markdown summary: each rule against the vectors that pass and fail it.

use crate::rules::RuleSet;
use crate::suite::VectorOutcome;

pub fn render(outcomes: &[VectorOutcome], rules: &RuleSet, gaps: &[String]) -> String {
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
            s.push_str(&format!("- `{}`\n", o.name));
        }
        s.push('\n');
    }
    s.push_str("## Rules × vectors\n\n| rule | status | clause | vectors passing it | vectors failing it |\n|---|---|---|---|---|\n");
    for rule in &rules.rules {
        let list = |pred: &dyn Fn(&str) -> bool| -> String {
            let names: Vec<String> = outcomes
                .iter()
                .filter(|o| {
                    o.result
                        .rules
                        .iter()
                        .any(|r| r.rule == rule.id && pred(r.verdict))
                })
                .map(|o| format!("`{}`", o.name))
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
                    .any(|r| r.rule == rule.id && r.verdict == "pass")
            })
            .count();
        s.push_str(&format!(
            "| {} | {} | {} | {passing} | {} |\n",
            rule.id,
            status,
            rule.clause,
            list(&|v| matches!(v, "fail" | "warn" | "info"))
        ));
    }
    if !gaps.is_empty() {
        s.push_str("\n## Coverage gaps\n\n");
        for g in gaps {
            s.push_str(&format!("- {g}\n"));
        }
    }
    s
}

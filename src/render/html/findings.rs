//! Each input with its findings (the finding's source snippet, masked and windowed as the
//! text renderer shows it, and its clause text), and the rules the report names.

use super::{counted, escape, input_classes};
use crate::finding::{CheckResult, Finding, FindingVerdict, Status, Verdict};
use crate::render::snippet::source_window;
use crate::rules::{Rule, RuleSet};
use std::collections::BTreeSet;

/// One input's section: its verdict, counts, notes and findings.
pub(super) fn input(i: usize, r: &CheckResult, rules: &RuleSet) -> String {
    let verdict = r.verdict.as_str();
    let mut s = format!(
        "<article class=\"{}\" id=\"in-{i}\">\n<h3><code>{}</code> <span class=\"badge v-{verdict}\">{verdict}</span> <small>as {}</small></h3>\n",
        input_classes(r),
        escape(&r.input),
        escape(&r.kind)
    );
    if r.verdict == Verdict::Error {
        s.push_str(&format!(
            "<p class=\"error\">Could not check: {}</p>\n",
            escape(r.error.as_deref().unwrap_or("unknown error"))
        ));
    } else {
        s.push_str(&format!("<p class=\"counts\">{}</p>\n", counts(r)));
    }
    if !r.notes.is_empty() {
        s.push_str("<ul class=\"notes\">\n");
        for n in &r.notes {
            s.push_str(&format!("<li>note: {}</li>\n", escape(n)));
        }
        s.push_str("</ul>\n");
    }
    // Every finding's line is shown in turn: the line index is built once (`line_index`).
    let _pin = r.source.as_deref().map(crate::line_index::pin);
    for (j, f) in r.findings.iter().enumerate() {
        s.push_str(&finding(&format!("in-{i}-f-{j}"), r, f, rules));
    }
    s.push_str("</article>\n");
    s
}

fn counts(r: &CheckResult) -> String {
    let n = |v: FindingVerdict| r.findings.iter().filter(|f| f.verdict == v).count();
    let applied = r.rules.iter().filter(|o| o.applied()).count();
    format!(
        "{} failed, {}, {}; {} applied, {} not applicable",
        n(FindingVerdict::Fail),
        counted(n(FindingVerdict::Warn), "warning", "warnings"),
        counted(n(FindingVerdict::Info), "note", "notes"),
        counted(applied, "rule", "rules"),
        r.rules.len() - applied
    )
}

/// Where a finding is, in words: a line and column, or a byte of a standalone message, and
/// within which message or body of a capture.
fn place(f: &Finding) -> String {
    let mut p = match (f.location.line, f.location.byte_offset) {
        (0, Some(b)) => format!("byte {b}"),
        (0, None) => String::new(),
        (l, _) => format!("line {l}, column {}", f.location.column),
    };
    if let Some(c) = &f.location.context {
        p = if p.is_empty() {
            format!("in {c}")
        } else {
            format!("{p} in {c}")
        };
    }
    p
}

fn finding(id: &str, r: &CheckResult, f: &Finding, rules: &RuleSet) -> String {
    let v = f.verdict.as_str();
    let provisional = match f.status {
        Status::Provisional => " <span class=\"tag\">provisional</span>",
        Status::Confirmed => "",
    };
    let mut s = format!(
        "<div class=\"finding fv-{v}\" id=\"{id}\">\n<p class=\"head\"><span class=\"badge fv-{v}\">{v}</span> <a class=\"rule-id\" href=\"#rule-{rule}\">{rule}</a>{provisional} <span class=\"place\">{place}</span></p>\n<p class=\"message\">{message}</p>\n",
        rule = escape(&f.rule),
        place = escape(&place(f)),
        message = escape(&f.message),
    );
    if let Some(snippet) = r.source.as_deref().and_then(|src| snippet(src, f)) {
        s.push_str(&snippet);
    }
    if let (Some(o), true) = (f.location.byte_offset, f.location.line > 0) {
        s.push_str(&format!(
            "<p class=\"offset\">byte offset {o} inside the embedded MIKEY message</p>\n"
        ));
    }
    let text = rules
        .get(&f.rule)
        .map(|rule| format!(": “{}”", escape(rule.clause_text.trim())))
        .unwrap_or_default();
    let party = f
        .party
        .as_ref()
        .map(|p| format!("<p class=\"party\">blames: the {}</p>\n", escape(p)))
        .unwrap_or_default();
    s.push_str(&format!(
        "<blockquote class=\"clause\"><cite>{}</cite> ({}){text}</blockquote>\n<p class=\"req\">requirement: {}</p>\n{party}</div>\n",
        escape(&f.clause),
        f.level,
        escape(&f.requirement.join(", "))
    ));
    s
}

/// The finding's source line (windowed, base64 masked) with its line number, the caret's
/// characters marked, and a caret line under them for readers without colour.
fn snippet(source: &str, f: &Finding) -> Option<String> {
    let (text, range) = source_window(source, f)?;
    let (before, rest) = text.split_at(range.start);
    let (marked, after) = rest.split_at(range.end - range.start);
    let number = f.location.line.to_string();
    let gutter = " ".repeat(number.len());
    let carets = "^".repeat(marked.chars().count().max(1));
    let indent = " ".repeat(before.chars().count());
    Some(format!(
        "<pre class=\"snippet\"><span class=\"ln\">{number} │</span> {}<mark>{}</mark>{}\n<span class=\"ln\">{gutter} │</span> <span class=\"caret\">{indent}{carets}</span></pre>\n",
        escape(before),
        escape(marked),
        escape(after)
    ))
}

/// The rules named by any result, in the rule tables' order, with their clause text.
pub(super) fn rules_section(named: &BTreeSet<String>, rules: &RuleSet) -> String {
    let mut s = String::from("<section id=\"rules\">\n<h2>Rules</h2>\n");
    for rule in rules.rules.iter().filter(|r| named.contains(&r.id)) {
        s.push_str(&rule_entry(rule));
    }
    s.push_str("</section>\n");
    s
}

fn rule_entry(rule: &Rule) -> String {
    let status = match rule.status {
        Status::Confirmed => "confirmed",
        Status::Provisional => "provisional",
    };
    let mut s = format!(
        "<div class=\"rule\" id=\"rule-{id}\">\n<h3>{id} <small>{title}</small></h3>\n<p><cite>{clause}</cite> ({level}), {severity}, {status}; requirement: {req}; applies to: {applies}</p>\n<blockquote class=\"clause\">“{text}”</blockquote>\n",
        id = escape(&rule.id),
        title = escape(&rule.title),
        clause = escape(&rule.clause.to_string()),
        level = rule.level,
        severity = rule.severity,
        req = escape(&rule.requirement.join(", ")),
        applies = escape(&rule.applies_to.join(", ")),
        text = escape(rule.clause_text.trim()),
    );
    if let Some(a) = &rule.assumes {
        s.push_str(&format!(
            "<p class=\"assumes\">assumes: {}</p>\n",
            escape(a.trim())
        ));
    }
    s.push_str("</div>\n");
    s
}

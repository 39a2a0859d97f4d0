//! The rules × inputs matrix: one table per input kind (rows the inputs of that kind, columns
//! the rules applied to at least one of them), each cell the rule's outcome on the input,
//! colour-coded and spelled out in a tooltip (with the reason where it did not apply). A rule
//! that applied to no input of the kind gets no column: it is listed under the table with the
//! reasons, once, since a column of identical cells says nothing more.

use super::{escape, Row};
use crate::finding::{RuleOutcome, Verdict};
use crate::rules::RuleSet;
use std::collections::{BTreeMap, BTreeSet};

pub(super) fn render(results: &[Row], rules: &RuleSet, matched: Option<&[bool]>) -> String {
    let mut groups: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, r) in results.iter().enumerate() {
        if r.verdict != Verdict::Error {
            groups.entry(r.kind.as_str()).or_default().push(i);
        }
    }
    let mut s = String::from("<section id=\"matrix\">\n<h2>Rules × inputs</h2>\n");
    s.push_str(&legend());
    for (kind, members) in &groups {
        s.push_str(&group(kind, members, results, rules, matched));
    }
    s.push_str(&unchecked(results));
    s.push_str("</section>\n");
    s
}

fn legend() -> String {
    let mut s = String::from("<p class=\"legend\">");
    for (class, sign, meaning) in CELLS {
        s.push_str(&format!(
            "<span class=\"c {class}\">{sign}</span> {meaning} "
        ));
    }
    s.push_str(
        "<span class=\"c none\"></span> no outcome recorded. Hover a cell for the rule, its \
         outcome and, where it did not apply, why; a cell whose rule has a finding links to it.</p>\n",
    );
    s
}

/// Each outcome's CSS class, the sign shown in its cell, and its meaning.
const CELLS: [(&str, &str, &str); 6] = [
    ("pass", "✓", "pass"),
    ("incomplete", "◐", "ran on part of the input only"),
    ("fail", "✗", "fail"),
    ("warn", "!", "warning"),
    ("info", "i", "note"),
    ("na", "–", "not applicable"),
];

/// The class and sign of an outcome's cell; anything but the four applied outcomes is not
/// applicable.
fn cell_style(verdict: &str) -> (&'static str, &'static str) {
    CELLS
        .iter()
        .find(|(class, _, _)| *class == verdict)
        .map_or(("na", "–"), |(class, sign, _)| (class, sign))
}

/// The rules with a column in a group, in the rule tables' order (rules the tables do not
/// hold, which a result may still name, after them by id), and those without, each with the
/// distinct reasons it did not apply.
fn columns<'a>(
    members: &[usize],
    results: &'a [Row],
    rules: &RuleSet,
) -> (Vec<&'a str>, BTreeMap<&'a str, BTreeSet<&'a str>>) {
    let mut seen: BTreeMap<&str, bool> = BTreeMap::new();
    let mut reasons: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for o in members.iter().flat_map(|&i| results[i].rules.iter()) {
        *seen.entry(o.rule.as_str()).or_default() |= o.applied();
        if !o.applied() {
            let why = o.outcome.reason().map_or("no reason given", |r| r);
            reasons.entry(o.rule.as_str()).or_default().insert(why);
        }
    }
    let order = |id: &str| rules.rules.iter().position(|r| r.id == id);
    let mut applied: Vec<&str> = seen
        .iter()
        .filter(|(_, a)| **a)
        .map(|(id, _)| *id)
        .collect();
    applied.sort_by_key(|id| (order(id).unwrap_or(usize::MAX), *id));
    reasons.retain(|id, _| !seen[id]);
    (applied, reasons)
}

fn group(
    kind: &str,
    members: &[usize],
    results: &[Row],
    rules: &RuleSet,
    matched: Option<&[bool]>,
) -> String {
    let (cols, never) = columns(members, results, rules);
    let mut s = format!(
        "<div class=\"group\">\n<h3 id=\"kind-{}\">{} <small>({})</small></h3>\n<div class=\"scroll\"><table class=\"matrix\">\n<thead><tr><th class=\"corner\">input</th><th>verdict</th>",
        escape(kind),
        escape(kind),
        super::counted(members.len(), "input", "inputs")
    );
    if matched.is_some() {
        s.push_str("<th>as expected</th>");
    }
    for id in &cols {
        let title = rules
            .get(id)
            .map(|r| format!("{id}: {} ({})", r.title, r.clause))
            .unwrap_or_else(|| id.to_string());
        s.push_str(&format!(
            "<th class=\"rule\" title=\"{}\"><a href=\"#rule-{}\"><span>{}</span></a></th>",
            escape(&title),
            escape(id),
            escape(id)
        ));
    }
    s.push_str("</tr></thead>\n<tbody>\n");
    for &i in members {
        s.push_str(&row(i, &results[i], &cols, matched.map(|m| m[i])));
    }
    s.push_str("</tbody>\n</table></div>\n");
    if !never.is_empty() {
        s.push_str(&format!(
            "<details class=\"never\"><summary>{} applied to no {} input</summary>\n<ul>\n",
            super::counted(never.len(), "rule", "rules"),
            escape(kind)
        ));
        for (id, why) in never {
            let why: Vec<String> = why.iter().map(|w| escape(w)).collect();
            s.push_str(&format!(
                "<li><a href=\"#rule-{0}\">{0}</a>: {1}</li>\n",
                escape(id),
                why.join("; ")
            ));
        }
        s.push_str("</ul>\n</details>\n");
    }
    s.push_str("</div>\n");
    s
}

fn row(i: usize, r: &Row, cols: &[&str], matched: Option<bool>) -> String {
    let mut s = format!(
        "<tr class=\"{}\"><th><a href=\"#in-{i}\">{}</a></th><td class=\"iv v-{}\">{}</td>",
        r.classes,
        escape(&r.input),
        r.verdict.as_str(),
        r.verdict.as_str()
    );
    match matched {
        Some(true) => s.push_str("<td class=\"c pass\" title=\"the expected findings\">✓</td>"),
        Some(false) => s.push_str(
            "<td class=\"c fail\" title=\"other findings than expected (see the summary)\">✗</td>",
        ),
        None => {}
    }
    let outcomes: BTreeMap<&str, &RuleOutcome> =
        r.rules.iter().rev().map(|o| (o.rule.as_str(), o)).collect();
    for id in cols {
        s.push_str(&cell(i, r, id, outcomes.get(id).copied()));
    }
    s.push_str("</tr>\n");
    s
}

fn cell(i: usize, r: &Row, id: &str, outcome: Option<&RuleOutcome>) -> String {
    let Some(o) = outcome else {
        let title = format!("{id}: no outcome recorded");
        return format!("<td class=\"c none\" title=\"{}\"></td>", escape(&title));
    };
    let (class, sign) = cell_style(o.outcome.as_str());
    let mut title = format!("{id}: {}", o.outcome.as_str());
    if let Some(why) = o.outcome.reason() {
        title.push_str(&format!(": {why}"));
    }
    let (first, count) = match r.findings.get(id) {
        Some(&(first, count)) => (Some(first), count),
        None => (None, 0),
    };
    if count > 0 {
        title.push_str(&format!(
            ", {}",
            super::counted(count, "finding", "findings")
        ));
    }
    let content = match first {
        Some(j) => format!("<a href=\"#in-{i}-f-{j}\">{sign}</a>"),
        None => sign.to_string(),
    };
    format!(
        "<td class=\"c {class}\" title=\"{}\">{content}</td>",
        escape(&title)
    )
}

/// The inputs that could not be checked, with the reason: they have no row in any table.
fn unchecked(results: &[Row]) -> String {
    let errors: Vec<(usize, &Row)> = results
        .iter()
        .enumerate()
        .filter(|(_, r)| r.verdict == Verdict::Error)
        .collect();
    if errors.is_empty() {
        return String::new();
    }
    let mut s = String::from(
        "<div class=\"group\">\n<h3 id=\"kind-unchecked\">Could not be checked</h3>\n<table class=\"unchecked\">\n<thead><tr><th>input</th><th>kind</th><th>why</th></tr></thead>\n<tbody>\n",
    );
    for (i, r) in errors {
        s.push_str(&format!(
            "<tr class=\"{}\"><th><a href=\"#in-{i}\">{}</a></th><td>{}</td><td>{}</td></tr>\n",
            r.classes,
            escape(&r.input),
            escape(&r.kind),
            escape(r.error.as_deref().unwrap_or("unknown error"))
        ));
    }
    s.push_str("</tbody>\n</table>\n</div>\n");
    s
}

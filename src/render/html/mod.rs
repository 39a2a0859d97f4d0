//! One self-contained HTML page: a summary, the rules × inputs matrix (in the manner of
//! Autobahn's test-suite report), every finding with its source snippet and clause text, and
//! the rules that appear. No network, no external assets and no script: the style is inline,
//! the verdict filter is pure CSS (radio buttons and `:checked ~` selectors), and a
//! Content-Security-Policy forbids scripts and fetches. Everything from an input (its name, its
//! content, messages quoting it) is escaped. Nothing varies run to run (no timestamps).

mod findings;
mod matrix;
mod stream;

pub use stream::HtmlEmitter;
use stream::{Collected, Counts, Row};

use super::counted;
use super::emitter::emit_to_string;
use crate::finding::{CheckResult, FindingVerdict, Skipped};
use crate::rules::RuleSet;
use crate::vector_outcome::VectorOutcome;
use std::io::{self, Write};

const STYLE: &str = include_str!("style.css");

/// The filters, as (id suffix, label). Each hides the inputs, matrix rows and findings that do
/// not match; `style.css` holds the selectors.
const FILTERS: &[(&str, &str)] = &[
    ("all", "everything"),
    ("fail", "non-conformant inputs, failures"),
    ("warn", "inputs with warnings, warnings"),
    ("ok", "conformant inputs"),
    ("error", "could not check"),
];

/// The report of `check --format html`.
pub fn render(results: &[CheckResult], rules: &RuleSet) -> String {
    render_run(results, rules, &[], &super::RunInfo::default())
}

/// The report of `check --format html`, naming the profile and config file the run used.
pub fn render_run(
    results: &[CheckResult],
    rules: &RuleSet,
    skipped: &[Skipped],
    run: &super::RunInfo,
) -> String {
    emit_to_string(HtmlEmitter::new(rules, skipped, run), results)
}

/// The summary of `check`'s report: the run's profile and config file, the counts, the exit
/// code and the files skipped.
fn run_summary(counts: &Counts, skipped: &[Skipped], run: &super::RunInfo) -> String {
    let mut summary = String::new();
    if let Some(p) = &run.profile {
        summary.push_str(&format!(
            "<p class=\"run\">profile: {}</p>\n",
            escape(&p.describe())
        ));
    }
    if let Some(c) = &run.config {
        summary.push_str(&format!("<p class=\"run\">config: {}</p>\n", escape(c)));
    }
    summary.push_str("<div class=\"facts\">\n");
    summary.push_str(&verdict_summary(counts));
    summary.push_str(&exit_code_table(
        counts.inputs.exit_code(),
        &CHECK_EXIT_CODES,
    ));
    summary.push_str("</div>\n");
    summary.push_str(&skipped_list(skipped));
    summary
}

/// The report of `mikeyconf run` (`reports/index.html`): the bundled suite's vectors, whether
/// each gave exactly its expected findings, and the coverage gaps.
pub fn render_suite(outcomes: &[VectorOutcome], rules: &RuleSet, gaps: &[String]) -> String {
    let mut seen = Collected::default();
    for o in outcomes {
        // Into memory: a write to a spool fails only where the spool's file does.
        if let Err(e) = seen.add(&o.result, rules) {
            return format!("<!-- {e} -->");
        }
    }
    let matched: Vec<bool> = outcomes.iter().map(|o| o.matched).collect();
    let n_matched = matched.iter().filter(|m| **m).count();
    let mut summary = format!(
        "<p class=\"headline\">{n_matched} of {} gave exactly their expected findings; {}, {}.</p>\n",
        counted(outcomes.len(), "vector", "vectors"),
        counted(rules.rules.len(), "rule", "rules"),
        counted(gaps.len(), "coverage gap", "coverage gaps"),
    );
    summary.push_str("<div class=\"facts\">\n");
    summary.push_str(&verdict_summary(&seen.counts));
    let code = if n_matched == outcomes.len() && gaps.is_empty() {
        0
    } else {
        1
    };
    summary.push_str(&exit_code_table(code, &RUN_EXIT_CODES));
    summary.push_str("</div>\n");
    summary.push_str(&mismatches(outcomes));
    if !gaps.is_empty() {
        summary.push_str("<h3>Coverage gaps</h3>\n<ul class=\"gaps\">\n");
        for g in gaps {
            summary.push_str(&format!("<li>{}</li>\n", escape(g)));
        }
        summary.push_str("</ul>\n");
    }
    let title = "mikeyconf bundled suite";
    let mut out = Vec::new();
    let written = page(&mut out, title, &summary, &mut seen, rules, Some(&matched));
    let mut page = String::from_utf8_lossy(&out).into_owned();
    if let Err(e) = written {
        page.push_str(&format!("<!-- {e} -->"));
    }
    page
}

/// Text made safe for HTML content and for attribute values in double or single quotes.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    // Controls are shown escaped as in every report; whitespace is harmless in HTML.
    let shown = super::escape_controls_but(text, |c| matches!(c, '\n' | '\r' | '\t'));
    for c in shown.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The whole page around a summary: filters, matrix, inputs with their findings, rules.
fn page(
    out: &mut dyn Write,
    title: &str,
    summary: &str,
    seen: &mut Collected,
    rules: &RuleSet,
    matched: Option<&[bool]>,
) -> io::Result<()> {
    let mut s =
        String::from("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    s.push_str("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n");
    s.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    s.push_str(&format!("<title>{}</title>\n", escape(title)));
    s.push_str(&format!("<style>\n{STYLE}</style>\n</head>\n<body>\n"));
    // The radio buttons come before <main>, as its siblings, for the `:checked ~ main` rules.
    for (i, (id, _)) in FILTERS.iter().enumerate() {
        let checked = if i == 0 { " checked" } else { "" };
        s.push_str(&format!(
            "<input type=\"radio\" name=\"filter\" class=\"filter\" id=\"filter-{id}\"{checked}>\n"
        ));
    }
    s.push_str(&format!(
        "<main>\n<header><h1>{}</h1><p class=\"tool\">mikeyconf {}</p></header>\n",
        escape(title),
        env!("CARGO_PKG_VERSION")
    ));
    s.push_str(&format!(
        "<section id=\"summary\">\n<h2>Summary</h2>\n{summary}</section>\n"
    ));
    s.push_str(&filter_bar());
    s.push_str(&matrix::render(&seen.rows, rules, matched));
    s.push_str("<section id=\"inputs\">\n<h2>Inputs and findings</h2>\n");
    out.write_all(s.as_bytes())?;
    seen.inputs.drain_into(out)?;
    out.write_all(b"</section>\n")?;
    out.write_all(findings::rules_section(&seen.named, rules).as_bytes())?;
    out.write_all(b"</main>\n</body>\n</html>\n")
}

fn filter_bar() -> String {
    let mut s = String::from("<nav class=\"filters\" aria-label=\"filter by verdict\">Show: ");
    for (id, label) in FILTERS {
        s.push_str(&format!("<label for=\"filter-{id}\">{label}</label> "));
    }
    s.push_str("</nav>\n");
    s
}

/// Inputs by verdict, findings by verdict, rules applied.
fn verdict_summary(c: &Counts) -> String {
    format!(
        "<table class=\"counts\">\n\
         <tr><th>inputs</th><td>{}</td></tr>\n\
         <tr><th>conformant</th><td class=\"v-conformant\">{}</td></tr>\n\
         <tr><th>non-conformant</th><td class=\"v-non-conformant\">{}</td></tr>\n\
         <tr><th>could not be checked</th><td class=\"v-error\">{}</td></tr>\n\
         <tr><th>findings</th><td>{} failed, {}, {}</td></tr>\n\
         <tr><th>rule outcomes</th><td>{} applied, {} not applicable</td></tr>\n\
         </table>\n",
        c.inputs.inputs,
        c.inputs.conformant,
        c.inputs.non_conformant,
        c.inputs.error,
        c.fail,
        counted(c.warn, "warning", "warnings"),
        counted(c.info, "note", "notes"),
        c.applied,
        c.not_applicable,
    )
}

const CHECK_EXIT_CODES: [&str; 3] = [
    "every input is conformant",
    "some input is non-conformant",
    "some input could not be checked",
];

const RUN_EXIT_CODES: [&str; 3] = [
    "every vector gave exactly its expected findings; no coverage gap",
    "a vector gave other findings than expected, or a coverage gap",
    "the suite could not be run",
];

/// The exit codes and what each means, the one of this run marked.
fn exit_code_table(code: i32, meanings: &[&str; 3]) -> String {
    let mut s = format!(
        "<table class=\"exit-codes\">\n<caption>Exit code: <strong>{code}</strong></caption>\n"
    );
    for (i, meaning) in meanings.iter().enumerate() {
        let this = if i as i32 == code {
            " class=\"this\""
        } else {
            ""
        };
        s.push_str(&format!("<tr{this}><th>{i}</th><td>{meaning}</td></tr>\n"));
    }
    s.push_str("</table>\n");
    s
}

fn skipped_list(skipped: &[Skipped]) -> String {
    if skipped.is_empty() {
        return String::new();
    }
    let mut s = format!(
        "<details class=\"skipped\"><summary>{} not checked</summary>\n<ul>\n",
        counted(skipped.len(), "file", "files")
    );
    for k in skipped {
        s.push_str(&format!(
            "<li><code>{}</code>: {}</li>\n",
            escape(&k.path),
            escape(&k.reason)
        ));
    }
    s.push_str("</ul>\n</details>\n");
    s
}

/// The vectors whose findings were not the expected ones, with the difference.
fn mismatches(outcomes: &[VectorOutcome]) -> String {
    let bad: Vec<&VectorOutcome> = outcomes.iter().filter(|o| !o.matched).collect();
    if bad.is_empty() {
        return String::new();
    }
    let mut s = String::from("<h3>Vectors with other findings than expected</h3>\n");
    for o in bad {
        s.push_str(&format!(
            "<details class=\"mismatch\"><summary><code>{}</code></summary>\n<pre>{}</pre>\n</details>\n",
            escape(&o.name),
            escape(&o.diff)
        ));
    }
    s
}

/// The CSS classes an input's row and section carry, for the filters.
fn input_classes(r: &CheckResult) -> String {
    let mut c = format!("input v-{}", r.verdict.as_str());
    if r.findings.iter().any(|f| f.verdict == FindingVerdict::Warn) {
        c.push_str(" has-warn");
    }
    c
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_both_quotes() {
        assert_eq!(
            escape(r#"<script>alert("x" & 'y')</script>"#),
            "&lt;script&gt;alert(&quot;x&quot; &amp; &#39;y&#39;)&lt;/script&gt;"
        );
    }

    #[test]
    fn a_hostile_input_name_and_error_are_escaped() {
        let r = CheckResult::error(
            "<script>alert(1)</script>.xml",
            "unknown",
            "<b>bad</b>".into(),
        );
        let rules = RuleSet { rules: Vec::new() };
        let html = render(&[r], &rules);
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<b>bad"), "{html}");
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;.xml"));
    }
}

//! Human-readable findings: `file:line:col`, the source line with a caret, the rule, the
//! clause and the requirement. Long lines are windowed so key material never fills a report.

use super::counted;
use super::snippet::source_window;
use crate::finding::{CheckResult, Finding, FindingVerdict, Verdict};
use crate::rules::RuleSet;
use annotate_snippets::{Level, Renderer, Snippet};

pub fn render(results: &[CheckResult], rules: &RuleSet) -> String {
    let renderer = Renderer::plain();
    let mut out = String::new();
    for r in results {
        for f in &r.findings {
            out.push_str(&finding(&renderer, r, f, rules));
            out.push_str("\n\n");
        }
        out.push_str(&summary_line(r));
        out.push('\n');
    }
    out
}

fn level_of(f: &Finding) -> Level {
    match f.verdict {
        FindingVerdict::Fail => Level::Error,
        FindingVerdict::Warn => Level::Warning,
        FindingVerdict::Info => Level::Info,
    }
}

fn finding(renderer: &Renderer, r: &CheckResult, f: &Finding, rules: &RuleSet) -> String {
    let level = level_of(f);
    // file:line:col for XML; file@byte N for a standalone MIKEY message.
    let place = match (f.location.line, f.location.byte_offset) {
        (0, Some(b)) => format!("@byte {b}"),
        (0, None) => String::new(),
        (l, _) => format!(":{l}:{}", f.location.column),
    };
    // In a capture, line and column are within the named message or body.
    let within = f
        .location
        .context
        .as_ref()
        .map(|c| format!(" [{c}]"))
        .unwrap_or_default();
    let header = format!(
        "{}{within}{place}: {} [{}]",
        r.input,
        f.verdict.as_str(),
        f.rule
    );
    let clause = match rules.get(&f.rule) {
        Some(rule) => format!(
            "clause: {} ({}): \"{}\"",
            f.clause,
            f.level,
            rule.clause_text.trim()
        ),
        None => format!("clause: {} ({})", f.clause, f.level),
    };
    let requirement = format!("requirement: {}", f.requirement.join(", "));
    let offset = f
        .location
        .byte_offset
        .map(|o| format!("byte offset {o} inside the embedded MIKEY message"));
    let mut message = level.title(&f.message).id(&f.rule);
    let window = r.source.as_deref().and_then(|s| source_window(s, f));
    if let Some((text, range)) = &window {
        message = message.snippet(
            Snippet::source(text)
                .line_start(f.location.line as usize)
                .annotation(
                    level
                        .span(range.clone())
                        .label(offset.as_deref().unwrap_or("")),
                ),
        );
    }
    message = message
        .footer(Level::Note.title(&clause))
        .footer(Level::Note.title(&requirement));
    format!("{header}\n{}", renderer.render(message))
}

fn summary_line(r: &CheckResult) -> String {
    let count = |v: FindingVerdict| r.findings.iter().filter(|f| f.verdict == v).count();
    let mut line = match r.verdict {
        Verdict::Error => format!(
            "{}: could not check: {}",
            r.input,
            r.error.as_deref().unwrap_or("unknown error")
        ),
        v => format!(
            "{}: {} as {} ({} failed, {}, {}; {} applied, {} not applicable)",
            r.input,
            v.as_str(),
            r.kind,
            count(FindingVerdict::Fail),
            counted(count(FindingVerdict::Warn), "warning", "warnings"),
            counted(count(FindingVerdict::Info), "note", "notes"),
            counted(
                r.rules.iter().filter(|o| o.applied()).count(),
                "rule",
                "rules"
            ),
            r.rules.iter().filter(|o| !o.applied()).count()
        ),
    };
    for note in &r.notes {
        line.push_str(&format!("\n  note: {note}"));
    }
    line
}

/// The closing line of a run over several inputs:
/// `3 inputs: 1 conformant, 1 non-conformant, 1 could not be checked (2 skipped)`.
pub fn run_summary(results: &[CheckResult], skipped: usize) -> String {
    let n = |v: Verdict| results.iter().filter(|r| r.verdict == v).count();
    let mut line = format!(
        "{}: {} conformant, {} non-conformant, {} could not be checked",
        counted(results.len(), "input", "inputs"),
        n(Verdict::Conformant),
        n(Verdict::NonConformant),
        n(Verdict::Error)
    );
    if skipped > 0 {
        line.push_str(&format!(" ({skipped} skipped)"));
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn counts_agree_with_their_nouns() {
        let r = CheckResult {
            input: "a.xml".into(),
            kind: "msk-response".into(),
            verdict: Verdict::Conformant,
            notes: Vec::new(),
            error: None,
            findings: Vec::new(),
            rules: vec![crate::finding::RuleOutcome {
                rule: "X-01".into(),
                verdict: "pass",
                reason: None,
            }],
            source: None,
        };
        assert_eq!(
            summary_line(&r),
            "a.xml: conformant as msk-response (0 failed, 0 warnings, 0 notes; 1 rule applied, 0 not applicable)"
        );
        let e = CheckResult::error("b.xml", "unknown", "why".into());
        assert_eq!(
            run_summary(&[r, e], 2),
            "2 inputs: 1 conformant, 0 non-conformant, 1 could not be checked (2 skipped)"
        );
    }
}

//! Human-readable findings: `file:line:col`, the source line with a caret, the rule, the
//! clause and the requirement. Long lines are windowed so key material never fills a report.

use super::counted;
use crate::finding::{CheckResult, Finding, FindingVerdict, Verdict};
use crate::rules::RuleSet;
use annotate_snippets::{Level, Renderer, Snippet};

const WINDOW: usize = 100;

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

/// Characters base64 uses; runs of them are masked (key material in XML payloads is base64).
fn is_b64(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '+' || c == '/' || c == '='
}

/// The source line of a finding, windowed to at most WINDOW characters around the column,
/// with the caret's byte range inside it. Runs of 24 or more base64 characters are replaced
/// by `[base64, N chars]`, N counting the whole run in the source, even where the window cuts
/// it. A run that reaches into the caret is not masked, so the caret never points at a mask.
fn source_window(source: &str, f: &Finding) -> Option<(String, std::ops::Range<usize>)> {
    const MIN_RUN: usize = 24;
    let line = source
        .lines()
        .nth(f.location.line.checked_sub(1)? as usize)?;
    let chars: Vec<char> = line.chars().collect();
    let col = (f.location.column as usize)
        .saturating_sub(1)
        .min(chars.len());
    let span_chars = f.location.span.map_or(1, |(a, b)| {
        source.get(a..b).map_or(1, |s| s.chars().count().max(1))
    });
    let start = col.saturating_sub(WINDOW / 4);
    let end = (start + WINDOW).min(chars.len());
    // The caret, in characters of the line.
    let caret = col..(col + span_chars).min(end);
    let mut text = String::with_capacity(WINDOW * 2);
    if start > 0 {
        text.push('…');
    }
    let (mut caret_start, mut caret_end) = (None, None);
    let mut mark = |at: usize, text: &String| {
        if at == caret.start {
            caret_start = Some(text.len());
        }
        if at == caret.end {
            caret_end = Some(text.len());
        }
    };
    let mut i = start;
    while i < end {
        if !is_b64(chars[i]) {
            mark(i, &text);
            text.push(chars[i]);
            i += 1;
            continue;
        }
        // The whole run in the line, which may begin before the window and end after it.
        let mut run_start = i;
        while run_start > 0 && is_b64(chars[run_start - 1]) {
            run_start -= 1;
        }
        let mut run_end = i;
        while run_end < chars.len() && is_b64(chars[run_end]) {
            run_end += 1;
        }
        let shown_end = run_end.min(end);
        let run = &chars[run_start..run_end];
        // Long element names are runs too; base64 data almost always has a digit or + / =.
        let looks_encoded = run.iter().any(|c| c.is_ascii_digit() || "+/=".contains(*c));
        let clear_of_caret = shown_end <= caret.start || i >= caret.end;
        if run.len() >= MIN_RUN && looks_encoded && clear_of_caret {
            text.push_str(&format!("[base64, {} chars]", run.len()));
        } else {
            for (k, c) in chars.iter().enumerate().take(shown_end).skip(i) {
                mark(k, &text);
                text.push(*c);
            }
        }
        i = shown_end;
    }
    mark(end, &text);
    let shown_len = text.len();
    if end < chars.len() {
        text.push('…');
    }
    let caret_start = caret_start.unwrap_or(shown_len);
    let caret_end = caret_end
        .unwrap_or(shown_len)
        .max(caret_start + 1)
        .min(text.len());
    Some((text, caret_start..caret_end))
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
    message = message.footer(Level::Note.title(&clause));
    // A spec-editor finding (`mikeyconf spec`) lints a document and cites no requirement.
    if !f.requirement.is_empty() {
        message = message.footer(Level::Note.title(&requirement));
    }
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
    use crate::finding::{Level as ClauseLevel, Location, Severity, Status};

    fn at(line: u32, column: u32) -> Finding {
        Finding {
            rule: "X-01".into(),
            requirement: Vec::new(),
            clause: String::new(),
            level: ClauseLevel::Shall,
            severity: Severity::Error,
            status: Status::Confirmed,
            verdict: FindingVerdict::Fail,
            message: String::new(),
            location: Location {
                line,
                column,
                ..Location::default()
            },
        }
    }

    /// 220 base64 characters (with digits, so they read as encoded).
    fn key() -> String {
        "AbC0+/".repeat(37)[..220].to_string()
    }

    #[test]
    fn a_masked_run_cut_by_the_window_start_counts_every_character() {
        let source = format!("<a>{}</a><b>x</b>", key());
        let col = source.find("<b>").unwrap() as u32 + 1;
        let (text, caret) = source_window(&source, &at(1, col)).unwrap();
        assert_eq!(text, "…[base64, 220 chars]</a><b>x</b>");
        assert_eq!(&text[caret], "<");
    }

    #[test]
    fn a_masked_run_cut_by_the_window_end_counts_every_character() {
        let source = format!("<b>x</b><a>{}</a>", key());
        let (text, caret) = source_window(&source, &at(1, 1)).unwrap();
        assert_eq!(text, "<b>x</b><a>[base64, 220 chars]…");
        assert_eq!(&text[caret], "<");
    }

    #[test]
    fn a_run_under_the_caret_is_shown_and_short_runs_are_kept() {
        let source = format!("<a>{}</a> <c>ABCD1234</c>", key());
        let (text, caret) = source_window(&source, &at(1, 4)).unwrap();
        assert!(text.starts_with("<a>AbC0+/"), "{text}");
        assert!(text.ends_with('…'));
        assert_eq!(caret, 3..4);
        let source = "<c>ABCD1234</c>";
        assert_eq!(source_window(source, &at(1, 1)).unwrap().0, source);
    }

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

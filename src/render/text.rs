//! Human-readable findings: `file:line:col`, the source line with a caret, the rule, the
//! clause and the requirement. Long lines are windowed so key material never fills a report.

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

/// The source line of a finding, windowed to at most WINDOW characters around the column,
/// with the caret's byte range inside it.
fn source_window(source: &str, f: &Finding) -> Option<(String, std::ops::Range<usize>)> {
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
    let mut text: String = chars[start..end].iter().collect();
    let mut caret_start: usize = chars[start..col].iter().map(|c| c.len_utf8()).sum();
    if start > 0 {
        text.insert(0, '…');
        caret_start += "…".len();
    }
    if end < chars.len() {
        text.push('…');
    }
    let caret_end = (caret_start
        + chars[col..(col + span_chars).min(end)]
            .iter()
            .map(|c| c.len_utf8())
            .sum::<usize>())
    .max(caret_start + 1)
    .min(text.len());
    Some(redact(&text, caret_start..caret_end))
}

/// Replaces runs of 24 or more base64 characters (key material in XML payloads is base64)
/// with `[base64, N chars]`, moving the caret range with the text.
fn redact(text: &str, caret: std::ops::Range<usize>) -> (String, std::ops::Range<usize>) {
    const MIN_RUN: usize = 24;
    let is_b64 = |c: char| c.is_ascii_alphanumeric() || c == '+' || c == '/' || c == '=';
    let mut out = String::with_capacity(text.len());
    let (mut start, mut end) = (caret.start, caret.end);
    let mut i = 0;
    let bytes: Vec<(usize, char)> = text.char_indices().collect();
    while i < bytes.len() {
        let (at, c) = bytes[i];
        if is_b64(c) {
            let mut j = i;
            while j < bytes.len() && is_b64(bytes[j].1) {
                j += 1;
            }
            let run_end = bytes.get(j).map_or(text.len(), |b| b.0);
            let run = &text[at..run_end];
            // Only runs that do not overlap the caret, so the caret never points at a mask.
            // Long element names are runs too; base64 data almost always has a digit or + / =.
            let looks_encoded = run.chars().any(|c| c.is_ascii_digit() || "+/=".contains(c));
            if run.len() >= MIN_RUN && looks_encoded && (run_end <= caret.start || at >= caret.end)
            {
                let mask = format!("[base64, {} chars]", run.len());
                let delta = mask.len() as isize - run.len() as isize;
                if run_end <= caret.start {
                    start = (start as isize + delta) as usize;
                    end = (end as isize + delta) as usize;
                }
                out.push_str(&mask);
            } else {
                out.push_str(run);
            }
            i = j;
        } else {
            out.push(c);
            i += 1;
        }
    }
    (out, start..end)
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

/// "1 rule", "2 rules".
fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
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
            "{}: {} as {} ({} failed, {} warnings, {} notes; {} applied, {} not applicable)",
            r.input,
            v.as_str(),
            r.kind,
            count(FindingVerdict::Fail),
            count(FindingVerdict::Warn),
            count(FindingVerdict::Info),
            plural(r.rules.iter().filter(|o| o.applied()).count(), "rule"),
            r.rules.iter().filter(|o| !o.applied()).count()
        ),
    };
    for note in &r.notes {
        line.push_str(&format!("\n  note: {note}"));
    }
    line
}

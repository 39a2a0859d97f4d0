//! Human-readable findings: `file:line:col`, the source line with a caret, the rule, the
//! clause and the requirement. Long lines are windowed so key material never fills a report.

use super::counted;
use super::emitter::{emit_to_string, Emitter, Tally};
use super::snippet::source_window;
use crate::finding::{CheckResult, Finding, FindingVerdict, Verdict};
use crate::rules::RuleSet;
use annotate_snippets::{Level, Renderer, Snippet};
use anstyle::{AnsiColor, Style};
use std::io::{self, Write};

pub fn render(results: &[CheckResult], rules: &RuleSet) -> String {
    let run = super::RunInfo::default();
    let opts = TextOptions::default();
    emit_to_string(
        TextEmitter::new(rules, opts, &run, 0, RunSummary::Never),
        results,
    )
}

/// How the text report is written.
#[derive(Debug, Clone, Copy, Default)]
pub struct TextOptions {
    /// ANSI colours on verdict words, rule ids and carets (for a terminal).
    pub colour: bool,
    /// Only the failing and warning findings, then one summary line: no notes, no per-input
    /// lines (but those of inputs that could not be checked), no profile header.
    pub quiet: bool,
}

/// When the text report closes with the run's summary line (`quiet` always has it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunSummary {
    Never,
    /// When several inputs (or files skipped) make one useful: `check`.
    Several,
    /// `spec`.
    Always,
}

/// The whole text report of `check`: the profile and config file used (when there were
/// some), each input's findings and summary, and the run's summary line when several inputs
/// (or files skipped) make one useful, or always under `quiet`.
pub fn render_run(
    results: &[CheckResult],
    rules: &RuleSet,
    skipped: usize,
    opts: &TextOptions,
    run: &super::RunInfo,
) -> String {
    let text = TextEmitter::new(rules, *opts, run, skipped, RunSummary::Several);
    emit_to_string(text, results)
}

/// The text report, each input's findings written as its result arrives.
pub struct TextEmitter<'a> {
    rules: &'a RuleSet,
    opts: TextOptions,
    run: &'a super::RunInfo,
    skipped: usize,
    summary: RunSummary,
    tally: Tally,
}

impl<'a> TextEmitter<'a> {
    pub fn new(
        rules: &'a RuleSet,
        opts: TextOptions,
        run: &'a super::RunInfo,
        skipped: usize,
        summary: RunSummary,
    ) -> Self {
        TextEmitter {
            rules,
            opts,
            run,
            skipped,
            summary,
            tally: Tally::default(),
        }
    }
}

impl Emitter for TextEmitter<'_> {
    fn start(&mut self, out: &mut dyn Write) -> io::Result<()> {
        if !self.opts.quiet {
            for line in run_header(self.run) {
                writeln!(out, "{line}")?;
            }
        }
        Ok(())
    }

    fn result(&mut self, out: &mut dyn Write, r: &CheckResult) -> io::Result<()> {
        self.tally.add(r);
        let r = super::escaped_result(r);
        out.write_all(input_report(&r, self.rules, &self.opts).as_bytes())
    }

    fn finish(&mut self, out: &mut dyn Write) -> io::Result<()> {
        let mut line = summary_of(&self.tally, self.skipped);
        if self.opts.quiet {
            for about in run_header(self.run) {
                line.push_str(&format!("; {about}"));
            }
            return writeln!(out, "{line}");
        }
        let several = self.tally.inputs + self.skipped > 1;
        match self.summary {
            RunSummary::Always => writeln!(out, "{line}"),
            RunSummary::Several if several => writeln!(out, "{line}"),
            _ => Ok(()),
        }
    }
}

/// `profile: …` and `config: …` lines, for the runs that had them.
fn run_header(run: &super::RunInfo) -> Vec<String> {
    let mut lines = Vec::new();
    if let Some(p) = &run.profile {
        lines.push(format!(
            "profile: {}",
            super::escape_controls(&p.describe())
        ));
    }
    if let Some(c) = &run.config {
        lines.push(format!("config: {}", super::escape_controls(c)));
    }
    lines
}

/// One input's findings and summary line.
fn input_report(r: &CheckResult, rules: &RuleSet, opts: &TextOptions) -> String {
    let renderer = if opts.colour {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let mut out = String::new();
    // Every finding's line is shown in turn: the line index is built once (`line_index`).
    let _pin = r.source.as_deref().map(crate::line_index::pin);
    for f in &r.findings {
        if opts.quiet && f.verdict == FindingVerdict::Info {
            continue;
        }
        out.push_str(&finding(&renderer, r, f, rules, opts.colour));
        out.push_str("\n\n");
    }
    if !opts.quiet || r.verdict == Verdict::Error {
        out.push_str(&summary_line(r, opts.colour && !opts.quiet));
        out.push('\n');
    }
    out
}

/// The styles of the verdict words and rule ids (anstyle: the crate clap colours its own
/// help with, rather than hand-made escape sequences).
const RED: Style = AnsiColor::Red.on_default().bold();
const YELLOW: Style = AnsiColor::Yellow.on_default().bold();
const CYAN: Style = AnsiColor::Cyan.on_default().bold();
const GREEN: Style = AnsiColor::Green.on_default().bold();
const BOLD: Style = Style::new().bold();

/// `text` in `style` when colouring, else as it is.
fn paint(text: &str, style: Style, on: bool) -> String {
    if on {
        format!("{style}{text}{style:#}")
    } else {
        text.to_string()
    }
}

fn verdict_style(v: FindingVerdict) -> Style {
    match v {
        FindingVerdict::Fail => RED,
        FindingVerdict::Warn => YELLOW,
        FindingVerdict::Info => CYAN,
    }
}

fn level_of(f: &Finding) -> Level {
    match f.verdict {
        FindingVerdict::Fail => Level::Error,
        FindingVerdict::Warn => Level::Warning,
        FindingVerdict::Info => Level::Info,
    }
}

fn finding(
    renderer: &Renderer,
    r: &CheckResult,
    f: &Finding,
    rules: &RuleSet,
    colour: bool,
) -> String {
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
        paint(f.verdict.as_str(), verdict_style(f.verdict), colour),
        paint(&f.rule, BOLD, colour)
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
    let party = f.party.as_ref().map(|p| format!("blames: the {p}"));
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
    if let Some(party) = &party {
        message = message.footer(Level::Note.title(party));
    }
    format!("{header}\n{}", renderer.render(message))
}

fn summary_line(r: &CheckResult, colour: bool) -> String {
    let count = |v: FindingVerdict| r.findings.iter().filter(|f| f.verdict == v).count();
    let mut line = match r.verdict {
        Verdict::Error => format!(
            "{}: {}: {}",
            r.input,
            paint("could not check", RED, colour),
            r.error.as_deref().unwrap_or("unknown error")
        ),
        v => format!(
            "{}: {} as {} ({} failed, {}, {}; {} applied, {} not applicable)",
            r.input,
            paint(
                v.as_str(),
                match v {
                    Verdict::Conformant => GREEN,
                    Verdict::Incomplete => YELLOW,
                    _ => RED,
                },
                colour
            ),
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
    summary_of(&Tally::of(results), skipped)
}

fn summary_of(t: &Tally, skipped: usize) -> String {
    let mut line = format!(
        "{}: {} conformant, {} non-conformant, {} could not be checked",
        counted(t.inputs, "input", "inputs"),
        t.conformant,
        t.non_conformant,
        t.error
    );
    if t.incomplete > 0 {
        line.push_str(&format!(", {} incomplete", t.incomplete));
    }
    if skipped > 0 {
        line.push_str(&format!(" ({skipped} skipped)"));
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fuzzer's input, and a caret inside leading spaces, on lines longer than the
    /// terminal: the text renderer drew them by underflowing (a panic in a debug build;
    /// `snippet::visible_leading_space_under_caret`).
    #[test]
    fn long_lines_with_the_caret_in_or_after_leading_white_space_render() {
        for (source, column) in [
            (format!("{}spons{}", "\t".repeat(20), "\0".repeat(200)), 21),
            (format!("{}x{}", " ".repeat(60), "y".repeat(200)), 5),
            (format!("{}x{}", "\u{a0}".repeat(60), "y".repeat(200)), 5),
        ] {
            let finding = crate::finding::Finding {
                rule: "X-01".into(),
                requirement: Vec::new(),
                clause: String::new(),
                level: crate::finding::Level::Shall,
                severity: crate::finding::Severity::Error,
                status: crate::finding::Status::Confirmed,
                verdict: FindingVerdict::Fail,
                message: String::new(),
                location: crate::finding::Location {
                    line: 1,
                    column,
                    ..Default::default()
                },
                party: None,
            };
            let mut result = crate::finding::CheckResult::error("in", "xml", "x".into());
            result.verdict = crate::finding::Verdict::NonConformant;
            result.error = None;
            result.source = Some(source);
            result.findings = vec![finding];
            let settings = crate::settings::Settings::load(None, &[]).unwrap();
            let rules = crate::rules::RuleSet::builtin(&settings);
            let text = render(&[result], &rules.unwrap());
            assert!(text.contains('^'), "{text}");
        }
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
            rules: vec![crate::finding::RuleOutcome::new(
                "X-01",
                crate::finding::Outcome::Pass,
            )]
            .into(),
            source: None,
        };
        assert_eq!(
            summary_line(&r, false),
            "a.xml: conformant as msk-response (0 failed, 0 warnings, 0 notes; 1 rule applied, 0 not applicable)"
        );
        let e = CheckResult::error("b.xml", "unknown", "why".into());
        assert_eq!(
            run_summary(&[r, e], 2),
            "2 inputs: 1 conformant, 0 non-conformant, 1 could not be checked (2 skipped)"
        );
    }
}

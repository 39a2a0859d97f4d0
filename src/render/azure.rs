//! Azure Pipelines logging commands (`--format azure`): one `##vso[task.logissue ...]` line per
//! failure or warning, so findings show as the run's errors and warnings, on the file and
//! line, in the pipeline's summary and the pull request (as ruff's and other linters'
//! `azure` output). `task.logissue` has two types, `error` and `warning`; a note (an `info`
//! finding) has none and is written as a plain log line, shown in the step's log only.
//!
//! The syntax is `##vso[task.logissue type=T;sourcepath=P;linenumber=L;columnnumber=C;code=R]M`
//! (learn.microsoft.com, "Logging commands", LogIssue). A property value escapes `%`, CR, LF,
//! `;` and `]`, and the message `%`, CR and LF, as the agent decodes them (`%AZP25`, `%0D`,
//! `%0A`, `%3B`, `%5D`: azure-pipelines-agent, `CommandStringConvertor`), so a message can
//! never end the command early or forge another. A finding inside embedded content (a
//! capture's frame or entry, a trace event, a MIKEY message's octets) is logged on the file
//! with its place in the message, never at a line of the file it does not have. An input that
//! could not be checked is an error. The run's exit code, not the issues, fails the step.

use super::emitter::{emit_to_string, Emitter};
use crate::finding::{CheckResult, Finding, FindingVerdict, Verdict};
use std::io::{self, Write};

/// A message, escaped as the agent decodes it; other controls are shown escaped
/// (`super::escape_controls_but`), as a report never passes them on raw.
fn data(s: &str) -> String {
    super::escape_controls_but(s, |c| c == '\n' || c == '\r')
        .replace('%', "%AZP25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A property value: also `;` (which ends a property) and `]` (which ends the properties).
fn property(s: &str) -> String {
    data(s).replace(';', "%3B").replace(']', "%5D")
}

/// A plain log line's text: controls shown escaped, and no `##` left, since the agent reads a
/// `##vso[` or `##[` anywhere in a line as a command.
fn plain(s: &str) -> String {
    super::escape_controls(s).replace("##", "#\\x23")
}

/// The logging commands of `results` (for tests and the suite).
pub fn render(results: &[CheckResult]) -> String {
    emit_to_string(AzureEmitter, results)
}

/// The logging commands, one line per finding as each input's result arrives.
pub struct AzureEmitter;

impl Emitter for AzureEmitter {
    fn start(&mut self, _out: &mut dyn Write) -> io::Result<()> {
        Ok(())
    }

    fn result(&mut self, out: &mut dyn Write, r: &CheckResult) -> io::Result<()> {
        if r.verdict == Verdict::Error {
            let why = r.error.as_deref().unwrap_or("");
            writeln!(
                out,
                "##vso[task.logissue type=error;sourcepath={}]could not check: {}",
                property(&r.input),
                data(why)
            )?;
        }
        for f in &r.findings {
            issue(out, r, f)?;
        }
        Ok(())
    }

    fn finish(&mut self, _out: &mut dyn Write) -> io::Result<()> {
        Ok(())
    }
}

/// One finding's logging command (or, for a note, its log line).
fn issue(out: &mut dyn Write, r: &CheckResult, f: &Finding) -> io::Result<()> {
    let l = &f.location;
    let file_line = l.has_file_line() && l.paragraph.is_none();
    // The place a line of the file cannot give: the embedded content, its own line, a byte.
    let embedded_line = if !file_line && l.line > 0 {
        format!(", line {} column {}", l.line, l.column)
    } else {
        String::new()
    };
    let byte = match (l.byte_offset, file_line) {
        (Some(b), true) => format!(", byte {b} of the embedded message"),
        (Some(b), false) => format!(", byte {b}"),
        (None, _) => String::new(),
    };
    let within = match &l.context {
        Some(place) => format!(" (in {place}{embedded_line}{byte})"),
        None if byte.is_empty() && embedded_line.is_empty() => String::new(),
        None => format!(
            " ({})",
            format!("{embedded_line}{byte}").trim_start_matches(", ")
        ),
    };
    let message = format!("{} ({}){within}: {}", f.rule, f.clause, f.message);
    let kind = match f.verdict {
        FindingVerdict::Fail => "error",
        FindingVerdict::Warn => "warning",
        FindingVerdict::Info => {
            let at = if file_line {
                format!(":{}:{}", l.line, l.column)
            } else {
                String::new()
            };
            return writeln!(
                out,
                "note: {}",
                plain(&format!("{}{at}: {message}", r.input))
            );
        }
    };
    let place = if file_line {
        format!(";linenumber={};columnnumber={}", l.line, l.column)
    } else {
        String::new()
    };
    writeln!(
        out,
        "##vso[task.logissue type={kind};sourcepath={}{place};code={}]{}",
        property(&r.input),
        property(&f.rule),
        data(&message)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_cannot_end_the_command_or_forge_another() {
        assert_eq!(property("a;b]c%d\r\ne"), "a%3Bb%5Dc%AZP25d%0D%0Ae");
        assert_eq!(
            data("x]y;z\n##vso[task.complete]"),
            "x]y;z%0A##vso[task.complete]"
        );
        // Other controls are shown, never passed on raw.
        assert_eq!(data("\u{1b}[31m"), "\\x1b[31m");
        // A note is a plain line: no command may start anywhere in it.
        assert_eq!(
            plain("a ##vso[task.complete] ##[error]\n"),
            "a #\\x23vso[task.complete] #\\x23[error]\\n"
        );
    }
}

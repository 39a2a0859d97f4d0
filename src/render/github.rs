//! GitHub Actions workflow commands: one `::error` / `::warning` / `::notice` line per finding,
//! so findings show as annotations on the file and line in a pull request. A finding inside
//! embedded content (a capture's frame or entry, a trace event) is annotated on the file,
//! its place named in the title, with no line of the file made up for it.

use super::emitter::{emit_to_string, Emitter};
use crate::finding::{CheckResult, Finding, FindingVerdict, Verdict};
use std::io::{self, Write};

/// Escapes a message (`%`, CR, LF) as the workflow-command syntax requires; other controls
/// are shown escaped (`super::escape_controls`), as a report never passes them on raw.
fn data(s: &str) -> String {
    super::escape_controls_but(s, |c| c == '\n' || c == '\r')
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value (also `:` and `,`).
fn property(s: &str) -> String {
    data(s).replace(':', "%3A").replace(',', "%2C")
}

pub fn render(results: &[CheckResult]) -> String {
    render_run(results, &super::RunInfo::default())
}

/// The annotations, after a `::notice` naming the run's profile and config file when there
/// were some.
pub fn render_run(results: &[CheckResult], run: &super::RunInfo) -> String {
    emit_to_string(GithubEmitter { run }, results)
}

/// The workflow commands, one line per finding as each input's result arrives.
pub struct GithubEmitter<'a> {
    pub run: &'a super::RunInfo,
}

impl Emitter for GithubEmitter<'_> {
    fn start(&mut self, out: &mut dyn Write) -> io::Result<()> {
        if let Some(p) = &self.run.profile {
            let title = property("mikeyconf profile");
            writeln!(out, "::notice title={title}::{}", data(&p.describe()))?;
        }
        if let Some(c) = &self.run.config {
            let title = property("mikeyconf config");
            writeln!(out, "::notice title={title}::{}", data(c))?;
        }
        Ok(())
    }

    fn result(&mut self, out: &mut dyn Write, r: &CheckResult) -> io::Result<()> {
        let r = &*super::escaped_result(r);
        if r.verdict == Verdict::Error {
            writeln!(
                out,
                "::error file={},title={}::{}",
                property(&r.input),
                property("could not check"),
                data(r.error.as_deref().unwrap_or(""))
            )?;
        }
        for f in &r.findings {
            annotation(out, r, f)?;
        }
        Ok(())
    }

    fn finish(&mut self, _out: &mut dyn Write) -> io::Result<()> {
        Ok(())
    }
}

/// One finding's workflow command.
fn annotation(out: &mut dyn Write, r: &CheckResult, f: &Finding) -> io::Result<()> {
    let command = match f.verdict {
        FindingVerdict::Fail => "error",
        FindingVerdict::Warn => "warning",
        FindingVerdict::Info => "notice",
    };
    // Only a line of the file itself: a line inside a HAR entry's body, a trace event's FDT
    // or a .docx paragraph's text is none of the file's (the title names the place instead).
    let place = if f.location.has_file_line() && f.location.paragraph.is_none() {
        format!(",line={},col={}", f.location.line, f.location.column)
    } else {
        String::new()
    };
    let within = f
        .location
        .context
        .as_ref()
        .map(|c| format!(" in {c}"))
        .unwrap_or_default();
    let title = format!("{} ({}){within}", f.rule, f.clause);
    writeln!(
        out,
        "::{command} file={}{place},title={}::{}",
        property(&r.input),
        property(&title),
        data(&f.message)
    )
}

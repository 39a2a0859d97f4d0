//! GitHub Actions workflow commands: one `::error` / `::warning` / `::notice` line per finding,
//! so findings show as annotations on the file and line in a pull request.

use crate::finding::{CheckResult, FindingVerdict, Verdict};

/// Escapes a message (`%`, CR, LF) as the workflow-command syntax requires.
fn data(s: &str) -> String {
    s.replace('%', "%25")
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
    let mut out = String::new();
    if let Some(p) = &run.profile {
        out.push_str(&format!(
            "::notice title={}::{}\n",
            property("mikeyconf profile"),
            data(&p.describe())
        ));
    }
    if let Some(c) = &run.config {
        out.push_str(&format!(
            "::notice title={}::{}\n",
            property("mikeyconf config"),
            data(c)
        ));
    }
    for r in results {
        if r.verdict == Verdict::Error {
            out.push_str(&format!(
                "::error file={},title={}::{}\n",
                property(&r.input),
                property("could not check"),
                data(r.error.as_deref().unwrap_or(""))
            ));
        }
        for f in &r.findings {
            let command = match f.verdict {
                FindingVerdict::Fail => "error",
                FindingVerdict::Warn => "warning",
                FindingVerdict::Info => "notice",
            };
            let place = if f.location.line > 0 {
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
            out.push_str(&format!(
                "::{command} file={}{place},title={}::{}\n",
                property(&r.input),
                property(&title),
                data(&f.message)
            ));
        }
    }
    out
}

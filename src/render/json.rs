//! Machine-readable results: `{"results":[{"input","kind","verdict","findings":[...]}]}`,
//! then `"skipped":[{"path","reason"}]` when files of a folder were left out,
//! documented in the README. Stable key order, no timestamps: identical run to run.

use super::RunInfo;
use crate::finding::{CheckResult, Skipped};
use serde::Serialize;

#[derive(Serialize)]
struct Report<'a> {
    tool: &'static str,
    version: &'static str,
    results: &'a [CheckResult],
    /// Files of the folders given that were not checked (only when there are some).
    #[serde(skip_serializing_if = "<[Skipped]>::is_empty")]
    skipped: &'a [Skipped],
    /// The profile (`--profile`) and config file of the run, when there were some.
    #[serde(flatten)]
    run: &'a RunInfo,
}

pub fn render(results: &[CheckResult]) -> String {
    render_run(results, &[], &RunInfo::default())
}

/// The report with the run's profile and config file (`"profile"`, `"config"`, last).
pub fn render_run(results: &[CheckResult], skipped: &[Skipped], run: &RunInfo) -> String {
    let report = Report {
        run,
        tool: "mikeyconf",
        version: env!("CARGO_PKG_VERSION"),
        results,
        skipped,
    };
    let mut s =
        serde_json::to_string_pretty(&report).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"));
    s.push('\n');
    s
}

//! Machine-readable results: `{"results":[{"input","kind","verdict","findings":[...]}]}`,
//! documented in the README. Stable key order, no timestamps: identical run to run.

use crate::finding::CheckResult;
use serde::Serialize;

#[derive(Serialize)]
struct Report<'a> {
    tool: &'static str,
    version: &'static str,
    results: &'a [CheckResult],
}

pub fn render(results: &[CheckResult]) -> String {
    let report = Report {
        tool: "mikeyconf",
        version: env!("CARGO_PKG_VERSION"),
        results,
    };
    let mut s =
        serde_json::to_string_pretty(&report).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"));
    s.push('\n');
    s
}

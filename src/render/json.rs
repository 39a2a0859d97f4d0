//! Machine-readable results: `{"results":[{"input","kind","verdict","findings":[...]}]}`,
//! then `"skipped":[{"path","reason"}]` when files of a folder were left out,
//! documented in the README. Stable key order, no timestamps: identical run to run. Written
//! one result at a time, as `serde_json`'s pretty printer lays out the whole report.

use super::emitter::{emit_to_string, pretty_at, Emitter, JsonArray};
use super::RunInfo;
use crate::finding::{CheckResult, Skipped};
use std::io::{self, Write};

pub fn render(results: &[CheckResult]) -> String {
    render_run(results, &[], &RunInfo::default())
}

/// The report with the run's profile and config file (`"profile"`, `"config"`, last).
pub fn render_run(results: &[CheckResult], skipped: &[Skipped], run: &RunInfo) -> String {
    emit_to_string(JsonEmitter::new(skipped, run), results)
}

/// The JSON report, streamed: `tool`, `version`, `results` (one at a time), `skipped` (when
/// some were), then the run's `profile` and `config` (when there were some).
pub struct JsonEmitter<'a> {
    skipped: &'a [Skipped],
    run: &'a RunInfo,
    results: JsonArray,
}

impl<'a> JsonEmitter<'a> {
    pub fn new(skipped: &'a [Skipped], run: &'a RunInfo) -> Self {
        JsonEmitter {
            skipped,
            run,
            results: JsonArray::new("    "),
        }
    }
}

impl Emitter for JsonEmitter<'_> {
    fn start(&mut self, out: &mut dyn Write) -> io::Result<()> {
        let version = serde_json::to_string(env!("CARGO_PKG_VERSION")).map_err(io::Error::other)?;
        write!(
            out,
            "{{\n  \"tool\": \"mikeyconf\",\n  \"version\": {version},\n  \"results\": ["
        )
    }

    fn result(&mut self, out: &mut dyn Write, r: &CheckResult) -> io::Result<()> {
        self.results.push(out, r)
    }

    fn finish(&mut self, out: &mut dyn Write) -> io::Result<()> {
        self.results.close(out)?;
        if !self.skipped.is_empty() {
            write!(out, ",\n  \"skipped\": {}", pretty_at(&self.skipped, "  ")?)?;
        }
        if let Some(p) = &self.run.profile {
            write!(out, ",\n  \"profile\": {}", pretty_at(p, "  ")?)?;
        }
        if let Some(c) = &self.run.config {
            write!(out, ",\n  \"config\": {}", pretty_at(c, "  ")?)?;
        }
        writeln!(out, "\n}}")
    }
}

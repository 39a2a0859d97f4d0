//! `--format jsonl`: JSON Lines, one object per input on one line, written and flushed as
//! each result arrives, so a consumer (`jq -c`, a log shipper, a dashboard) reads a long run
//! while it goes on. Each object has the fields of an entry of the JSON report (`input`,
//! `kind`, `verdict`, `notes`, `error`, `findings`, `rules`), with every rule's outcome
//! listed under `rules.except`, as the JSON report lists them for an input without a plan:
//! a stream has no table of plans to name. No header, no summary line: every line is a
//! result.

use super::emitter::{emit_to_string, Emitter};
use super::json::Entry;
use crate::finding::CheckResult;
use std::io::{self, Write};

pub fn render(results: &[CheckResult]) -> String {
    emit_to_string(JsonlEmitter, results)
}

/// One line per result, flushed at once.
#[derive(Debug, Default, Clone, Copy)]
pub struct JsonlEmitter;

impl Emitter for JsonlEmitter {
    fn start(&mut self, _out: &mut dyn Write) -> io::Result<()> {
        Ok(())
    }

    fn result(&mut self, out: &mut dyn Write, r: &CheckResult) -> io::Result<()> {
        // serde_json escapes every control character in a string: one line per result.
        let line = serde_json::to_string(&Entry::of(r, None)).map_err(io::Error::other)?;
        writeln!(out, "{line}")?;
        out.flush()
    }

    fn finish(&mut self, _out: &mut dyn Write) -> io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_result_is_one_line_of_the_json_reports_fields() {
        let mut error = CheckResult::error("a\nb.xml", "xml", "line\nbreak".into());
        error.notes.push("a note".into());
        let conformant = CheckResult {
            verdict: crate::finding::Verdict::Conformant,
            error: None,
            ..CheckResult::error("c.xml", "xml", String::new())
        };
        let text = render(&[error, conformant]);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 2, "{text}");
        let first: serde_json::Value = serde_json::from_str(lines[0]).unwrap();
        assert_eq!(first["input"], "a\nb.xml");
        assert_eq!(first["verdict"], "error");
        assert_eq!(first["error"], "line\nbreak");
        assert_eq!(first["notes"][0], "a note");
        let second: serde_json::Value = serde_json::from_str(lines[1]).unwrap();
        assert_eq!(second["verdict"], "conformant");
        assert!(second["findings"].as_array().unwrap().is_empty());
        assert!(second["rules"]["except"].is_array());
    }
}

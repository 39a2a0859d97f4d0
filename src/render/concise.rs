//! `--format concise`: one line per finding, as ruff's concise output
//! (`path:line:col: RULE message`), for editors' error lists (`%f:%l:%c: %m`), `grep` and
//! eyes scanning a CI log. A finding that is not a failure carries its verdict after the rule
//! (`RULE [warn]`), as ruff marks a fixable one (`F401 [*]`). A finding with no place in the
//! file itself (a MIKEY message's byte offset, a message or body inside a capture) is placed at
//! the file alone (`path: RULE …`) and says where inside it after the message: a line of the
//! file is never made up for it. An input that could not be checked is one line
//! (`path: error: why`); the run ends with one summary line.

use super::emitter::{emit_to_string, Emitter, Tally};
use crate::finding::{CheckResult, Finding, FindingVerdict, Verdict};
use crate::plural::counted;
use std::io::{self, Write};

pub fn render(results: &[CheckResult]) -> String {
    emit_to_string(ConciseEmitter::default(), results)
}

/// The lines, one per finding as each input's result arrives, and the summary at the end.
#[derive(Debug, Default)]
pub struct ConciseEmitter {
    tally: Tally,
    findings: [usize; 3],
}

impl Emitter for ConciseEmitter {
    fn start(&mut self, _out: &mut dyn Write) -> io::Result<()> {
        Ok(())
    }

    fn result(&mut self, out: &mut dyn Write, r: &CheckResult) -> io::Result<()> {
        self.tally.add(r);
        // Input names, messages and places are the input's: escaped, so that one finding is
        // one line whatever a file name or a message holds.
        let r = &*super::escaped_result(r);
        if r.verdict == Verdict::Error {
            writeln!(
                out,
                "{}: error: {}",
                r.input,
                r.error.as_deref().unwrap_or("")
            )?;
        }
        for f in &r.findings {
            self.findings[f.verdict as usize] += 1;
            writeln!(out, "{}", line(&r.input, f))?;
        }
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write) -> io::Result<()> {
        let t = &self.tally;
        let [fail, warn, info] = self.findings;
        let total = fail + warn + info;
        let unchecked = match t.error {
            0 => String::new(),
            n => format!("; {} could not be checked", counted(n, "input", "inputs")),
        };
        if total == 0 {
            return writeln!(
                out,
                "No findings in {}{unchecked}.",
                counted(t.inputs, "input", "inputs")
            );
        }
        writeln!(
            out,
            "Found {} ({fail} failed, {warn} {}, {info} {}) in {}{unchecked}.",
            counted(total, "finding", "findings"),
            if warn == 1 { "warning" } else { "warnings" },
            if info == 1 { "note" } else { "notes" },
            counted(t.inputs, "input", "inputs"),
        )
    }
}

/// One finding's line.
fn line(input: &str, f: &Finding) -> String {
    let marker = match f.verdict {
        FindingVerdict::Fail => "",
        FindingVerdict::Warn => " [warn]",
        FindingVerdict::Info => " [info]",
    };
    let loc = &f.location;
    let byte = byte_of(loc.byte_offset);
    let (place, inside) = match (&loc.context, loc.line) {
        // Inside a capture: the line and column are the embedded message's, not the file's.
        (Some(c), 0) => (String::new(), format!(" (in {c}{byte})")),
        (Some(c), l) => (
            String::new(),
            format!(" (in {c}, line {l} column {}{byte})", loc.column),
        ),
        (None, 0) => match loc.byte_offset {
            // A standalone message: the offset is the file's own.
            Some(b) => (String::new(), format!(" (at byte {b})")),
            None => (String::new(), String::new()),
        },
        (None, l) => match loc.byte_offset {
            Some(b) => (
                format!(":{l}:{}", loc.column),
                format!(" (byte {b} of the embedded message)"),
            ),
            None => (format!(":{l}:{}", loc.column), String::new()),
        },
    };
    format!("{input}{place}: {}{marker} {}{inside}", f.rule, f.message)
}

/// `, byte N` when there is an offset.
fn byte_of(offset: Option<usize>) -> String {
    offset.map(|b| format!(", byte {b}")).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::{Level, Location, Severity, Status};

    fn finding(verdict: FindingVerdict, location: Location) -> Finding {
        Finding {
            rule: "XML-WF-01".into(),
            requirement: Vec::new(),
            clause: "c".into(),
            level: Level::Shall,
            severity: Severity::Error,
            status: Status::Confirmed,
            verdict,
            message: "broken".into(),
            location,
            party: None,
        }
    }

    #[test]
    fn each_place_reads_as_the_file_or_inside_it() {
        let at = |line, column, byte_offset: Option<usize>, context: Option<&str>| Location {
            line,
            column,
            byte_offset,
            context: context.map(String::from),
            ..Location::default()
        };
        let cases = [
            (at(3, 7, None, None), "a.xml:3:7: XML-WF-01 broken"),
            (
                at(3, 7, Some(12), None),
                "a.xml:3:7: XML-WF-01 broken (byte 12 of the embedded message)",
            ),
            (
                at(0, 0, Some(12), None),
                "a.xml: XML-WF-01 broken (at byte 12)",
            ),
            (at(0, 0, None, None), "a.xml: XML-WF-01 broken"),
            (
                at(2, 5, None, Some("frame 4")),
                "a.xml: XML-WF-01 broken (in frame 4, line 2 column 5)",
            ),
            (
                at(0, 0, Some(9), Some("frame 4")),
                "a.xml: XML-WF-01 broken (in frame 4, byte 9)",
            ),
        ];
        for (loc, want) in cases {
            assert_eq!(line("a.xml", &finding(FindingVerdict::Fail, loc)), want);
        }
        let warn = finding(FindingVerdict::Warn, at(1, 1, None, None));
        assert_eq!(line("a.xml", &warn), "a.xml:1:1: XML-WF-01 [warn] broken");
    }
}

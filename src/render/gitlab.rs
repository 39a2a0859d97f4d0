//! GitLab Code Quality (`--format gitlab`): a JSON array of issues, one per finding, each
//! with `description`, `check_name` (the rule), `fingerprint` (the baseline's key, see
//! [`crate::baseline`]), `severity` and `location` (`path` relative to the working folder,
//! `lines.begin`). GitLab needs a line: a finding with no line of the file itself (inside a
//! capture's frame or entry, a trace event, a MIKEY message's octets) is given line 1, the
//! file as a whole, and its place is named in the description. An input that could not be
//! checked is a `blocker` issue, so that the merge request shows it rather than passing.
//! Streamed: each input's issues are written as it arrives.

use super::emitter::{emit_to_string, Emitter, JsonArray};
use crate::baseline::{keys_of, relative_path};
use crate::finding::{CheckResult, Finding, FindingVerdict, Verdict};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use std::io::{self, Write};
use std::path::PathBuf;

/// The report of `results`, paths relative to the working folder (for tests and the suite).
pub fn render(results: &[CheckResult]) -> String {
    emit_to_string(GitlabEmitter::new(), results)
}

/// The Code Quality report, written as the results arrive.
pub struct GitlabEmitter {
    root: PathBuf,
    issues: JsonArray,
}

impl GitlabEmitter {
    /// Paths relative to the working folder (the repository's root in a GitLab job).
    pub fn new() -> Self {
        GitlabEmitter {
            root: std::env::current_dir().unwrap_or_default(),
            issues: JsonArray::new("  "),
        }
    }
}

impl Default for GitlabEmitter {
    fn default() -> Self {
        Self::new()
    }
}

/// Code Quality's severities: a failure is `major`, a warning `minor`, advice `info`.
fn severity(v: FindingVerdict) -> &'static str {
    match v {
        FindingVerdict::Fail => "major",
        FindingVerdict::Warn => "minor",
        FindingVerdict::Info => "info",
    }
}

/// One finding as a Code Quality issue.
fn issue(f: &Finding, path: &str, fingerprint: String) -> Value {
    let l = &f.location;
    let file_line = l.has_file_line() && l.paragraph.is_none();
    let begin = if file_line { l.line } else { 1 };
    let description = match &l.context {
        Some(place) if !file_line => format!("{} ({}), {place}: {}", f.rule, f.clause, f.message),
        _ => format!("{} ({}): {}", f.rule, f.clause, f.message),
    };
    json!({
        "description": description,
        "check_name": f.rule,
        "fingerprint": fingerprint,
        "severity": severity(f.verdict),
        "location": {"path": path, "lines": {"begin": begin}},
    })
}

impl Emitter for GitlabEmitter {
    fn start(&mut self, out: &mut dyn Write) -> io::Result<()> {
        write!(out, "[")
    }

    fn result(&mut self, out: &mut dyn Write, r: &CheckResult) -> io::Result<()> {
        let path = relative_path(&r.input, &self.root);
        if r.verdict == Verdict::Error {
            let why = r.error.as_deref().unwrap_or("");
            let mut h = Sha256::new();
            h.update(b"could not check\0");
            h.update(path.as_bytes());
            let entry = json!({
                "description": format!("could not check {}: {why}", r.input),
                "check_name": "could-not-check",
                "fingerprint": hex::encode(&h.finalize()[..16]),
                "severity": "blocker",
                "location": {"path": path, "lines": {"begin": 1}},
            });
            self.issues.push(out, &entry)?;
        }
        let keys = keys_of(&r.findings, &path);
        for (f, key) in r.findings.iter().zip(keys) {
            self.issues.push(out, &issue(f, &path, key.fingerprint()))?;
        }
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write) -> io::Result<()> {
        self.issues.close(out)?;
        writeln!(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::{Level, Location, Severity, Status};

    fn finding(line: u32, context: Option<&str>, embedded: bool) -> Finding {
        Finding {
            rule: "XML-WF-01".into(),
            requirement: vec![],
            clause: "TS 26.346 L.2".into(),
            level: Level::Shall,
            severity: Severity::Error,
            status: Status::Confirmed,
            verdict: FindingVerdict::Fail,
            message: "not well-formed at 3:4".into(),
            location: Location {
                line,
                column: 4,
                context: context.map(String::from),
                lines_in_embedded: embedded,
                ..Location::default()
            },
            party: None,
        }
    }

    #[test]
    fn each_finding_is_an_issue_on_its_line_or_on_the_file() {
        let r = CheckResult {
            input: "sp ace/a.har".into(),
            kind: "http-exchange".into(),
            verdict: Verdict::NonConformant,
            notes: vec![],
            error: None,
            findings: vec![
                finding(3, None, false),
                finding(6, Some("$.log.entries[1].response body"), true),
            ],
            rules: Default::default(),
            source: None,
        };
        let broken = CheckResult::error("b.xml", "xml", "unreadable".into());
        let report: Value = serde_json::from_str(&render(&[r, broken])).unwrap();
        let issues = report.as_array().unwrap();
        assert_eq!(issues.len(), 3);
        assert_eq!(issues[0]["location"]["path"], "sp ace/a.har");
        assert_eq!(issues[0]["location"]["lines"]["begin"], 3);
        assert_eq!(issues[0]["severity"], "major");
        assert_eq!(issues[0]["check_name"], "XML-WF-01");
        // Inside the HAR's body: the file, not line 6 of the HAR.
        assert_eq!(issues[1]["location"]["lines"]["begin"], 1);
        assert!(issues[1]["description"]
            .as_str()
            .unwrap()
            .contains("$.log.entries[1].response body"));
        assert_ne!(issues[0]["fingerprint"], issues[1]["fingerprint"]);
        assert_eq!(issues[2]["severity"], "blocker");
        assert_eq!(issues[2]["location"]["path"], "b.xml");
        assert_eq!(render(&[]), "[]\n");
    }
}

//! A vector made ready for the relations: its sidecar, the engine its sidecar asks for, what
//! its content is (a MIKEY message, an XML payload, SIP text, a trace), and how an input is
//! judged, by the library or by the binary reading standard input.

use crate::outcome::Outcome;
use mikeyconf::internals::engine::Engine;
use mikeyconf::internals::finding::CheckResult;
use mikeyconf::internals::rules::Domain;
use mikeyconf::internals::suite::{self, Sidecar, Vector};
use std::collections::BTreeSet;
use std::path::Path;

/// What a vector holds, for choosing its carriers and spellings.
#[derive(Debug, Clone)]
pub enum Content {
    /// A MIKEY message (the octets, whatever text form the file has).
    Mikey(Vec<u8>),
    /// An XML payload: its text and the kind the tool detects.
    Xml {
        kind: String,
    },
    Sip,
    Trace,
    /// Raw HTTP text (one or more exchanges).
    Http,
    /// Anything else (HTTP exchanges, CPNS traces, change requests): no relation yet.
    Other,
}

pub struct Subject {
    pub vector: Vector,
    pub side: Sidecar,
    pub engine: Engine,
    /// The input file's bytes, as `mikeyconf run` reads them (a .msg.yaml encoded).
    pub bytes: Vec<u8>,
    pub content: Content,
}

const MIKEY_FILES: &[&str] = &[".hex", ".b64", ".base64", ".bin", ".msg.yaml", ".psk.yaml"];

/// Inputs whose only carrier here is standard input: the binary must read them from there
/// as the library reads the file.
const STDIN_ONLY: &[&str] = &[".har", ".cpns.yaml", ".cpns.jsonl", ".txt"];

/// The relations a vector's input can take part in, by its file name: every relation for
/// MIKEY messages, XML payloads, SIP files, traces and raw HTTP exchanges; standard input
/// alone for HAR archives, CPNS traces and text. (A change request checked by `spec`, a .md
/// or .docx, has none.)
pub fn relations(input: &Path) -> &'static [&'static str] {
    let path = input.to_string_lossy();
    let respelled = [".xml", ".sip", ".trace.yaml", ".http"];
    if MIKEY_FILES
        .iter()
        .chain(&respelled)
        .any(|x| path.ends_with(x))
    {
        &["carrier", "spelling", "mutation"]
    } else if STDIN_ONLY.iter().any(|x| path.ends_with(x)) {
        &["carrier"]
    } else {
        &[]
    }
}

impl Subject {
    pub fn load(
        vector: Vector,
        base: &mikeyconf::internals::settings::Settings,
        tables: &[(String, String)],
    ) -> Result<Subject, String> {
        let side = suite::read_sidecar(&vector)?;
        let engine = suite::vector_engine(&vector, &side, base, tables)?;
        let bytes = suite::input_bytes(&vector.input)?;
        let path = vector.input.to_string_lossy().to_string();
        let content = if side.spec {
            Content::Other
        } else if MIKEY_FILES.iter().any(|x| path.ends_with(x)) {
            let octets = match mikeyconf::internals::mikey::input::load(&bytes) {
                Ok((m, _)) => m,
                // A text file of no octets (`empty.hex`) holds none.
                Err(_) if bytes.trim_ascii().is_empty() => Vec::new(),
                Err(_) => bytes.clone(),
            };
            Content::Mikey(octets)
        } else if path.ends_with(".xml") {
            let r = engine.check(&path, &bytes, None);
            Content::Xml { kind: r.kind }
        } else if path.ends_with(".sip") {
            Content::Sip
        } else if path.ends_with(".trace.yaml") {
            Content::Trace
        } else if path.ends_with(".http") {
            Content::Http
        } else {
            Content::Other
        };
        Ok(Subject {
            vector,
            side,
            engine,
            bytes,
            content,
        })
    }

    pub fn name(&self) -> &str {
        &self.vector.name
    }

    /// The vector as its sidecar checks it.
    pub fn own(&self) -> CheckResult {
        self.check(&self.bytes, self.side.as_kind.as_deref())
    }

    /// Judges `bytes` as an input named like the vector (trace files resolve beside it).
    pub fn check(&self, bytes: &[u8], as_kind: Option<&str>) -> CheckResult {
        let shown = self.vector.input.display().to_string();
        self.engine.check(&shown, bytes, as_kind)
    }

    /// The rules whose outcome depends on the content alone, for the carrier relation: of a
    /// MIKEY message, the MIKEY rules that need no way of delivery; of an XML payload, the XML
    /// rules and its LTKMs' rules (judged as carried in an HTTP response wherever it goes).
    /// The carrier's own rules and payloads (a SIP message, the XML an LTKM travels in) are
    /// not the content's.
    pub fn content_rules(&self) -> BTreeSet<String> {
        let xml = matches!(self.content, Content::Xml { .. });
        self.engine
            .rules
            .rules
            .iter()
            .filter(|r| match r.check.domain() {
                Domain::Xml => xml,
                Domain::Mikey => xml || r.check.kind().needs().delivery.is_none(),
                _ => false,
            })
            .map(|r| r.id.clone())
            .collect()
    }

    /// Judges `bytes` read from standard input by the binary, with the sidecar's options.
    pub fn check_stdin(&self, bytes: &[u8], as_kind: Option<&str>) -> Result<Outcome, String> {
        use std::io::Write;
        use std::process::{Command, Stdio};
        let dir = self.vector.sidecar.parent().unwrap_or(Path::new("."));
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_mikeyconf"));
        cmd.args([
            "check",
            "--no-config",
            "--format",
            "json",
            "--color",
            "never",
        ]);
        if let Some(k) = as_kind {
            cmd.args(["--as", k]);
        }
        if self.side.strict {
            cmd.arg("--strict");
        }
        if let Some(k) = &self.side.keys {
            cmd.arg("--keys").arg(dir.join(k));
        }
        if let Some(p) = &self.side.profile {
            cmd.arg("--profile").arg(dir.join(p));
        }
        for s in &self.side.select {
            cmd.args(["--select", s]);
        }
        for s in &self.side.ignore {
            cmd.args(["--ignore", s]);
        }
        let settings_file = match &self.side.settings {
            Some(patch) => {
                let path = std::env::temp_dir().join(format!(
                    "mikeyconf-metamorphic-{}-{}.yaml",
                    std::process::id(),
                    self.name().replace("::", "-")
                ));
                let text = serde_yaml::to_string(patch).map_err(|e| e.to_string())?;
                std::fs::write(&path, text).map_err(|e| e.to_string())?;
                cmd.arg("--settings").arg(&path);
                Some(path)
            }
            None => None,
        };
        cmd.arg("-")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = cmd.spawn().map_err(|e| e.to_string())?;
        let mut stdin = child.stdin.take().ok_or("no stdin")?;
        let input = bytes.to_vec();
        let writer = std::thread::spawn(move || {
            let _ = stdin.write_all(&input);
        });
        let out = child.wait_with_output().map_err(|e| e.to_string())?;
        let _ = writer.join();
        if let Some(p) = settings_file {
            let _ = std::fs::remove_file(p);
        }
        outcome_of_json(&out.stdout).map_err(|e| {
            format!(
                "{e}; stderr: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            )
        })
    }
}

/// The outcome of the binary's `--format json` report of one input.
fn outcome_of_json(stdout: &[u8]) -> Result<Outcome, String> {
    let v: serde_json::Value =
        serde_json::from_slice(stdout).map_err(|e| format!("not a JSON report: {e}"))?;
    let r = &v["results"][0];
    let mut o = Outcome {
        error: r["error"].as_str().map(str::to_string),
        ..Outcome::default()
    };
    for rule in &mikeyconf::internals::render::json::outcomes_of(&v, r) {
        let (Some(id), Some(verdict)) = (rule["rule"].as_str(), rule["verdict"].as_str()) else {
            continue;
        };
        o.rules.entry(id.to_string()).or_default().verdict = verdict.to_string();
    }
    for f in r["findings"].as_array().into_iter().flatten() {
        let (Some(id), Some(verdict)) = (f["rule"].as_str(), f["verdict"].as_str()) else {
            continue;
        };
        let view = o.rules.entry(id.to_string()).or_default();
        if view.verdict.is_empty() {
            view.verdict = verdict.to_string();
        }
        *view.findings.entry(verdict.to_string()).or_default() += 1;
    }
    Ok(o)
}

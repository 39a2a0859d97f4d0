//! A vendor's test rig, embedding mikeyconf as a library: after each test step, the rig
//! checks what its server returned (a byte buffer, read off the wire) and what the server
//! wrote to disk (a path), prints each verdict with its findings, and fails the step on any
//! input that is not conformant.
//!
//! ```sh
//! cargo run --example embed                       # a bundled vector of each
//! cargo run --example embed -- answer.xml dump.pcap
//! ```
//!
//! Only the stable facade is used (`mikeyconf::{Engine, Kind, Report, Verdict}`): see the
//! README, "Using mikeyconf as a library".

use mikeyconf::{Engine, Kind, Report, Verdict};
use std::process::ExitCode;

/// What the rig's server answered to an MSK request, as its HTTP client received it. The
/// MSK ID is 3 octets where the schema asks for 4: a finding, at line 5.
const SERVER_ANSWER: &[u8] = br#"<?xml version="1.0" encoding="UTF-8"?>
<mbmsMSKRequest xmlns="urn:3GPP:metadata:2005:MBMS:mskRequest">
  <MSK>
    <keyDomainID>uHCd</keyDomainID>
    <MSKID>aMkA</MSKID>
  </MSK>
</mbmsMSKRequest>
"#;

/// A file the server wrote, when none is named: a bundled conformant vector.
const BUNDLED_PATH: &str = "vectors/xml/msk-request/valid-two-keys.xml";

fn main() -> ExitCode {
    let engine = match Engine::builder().strict(false).build() {
        Ok(engine) => engine,
        Err(e) => {
            eprintln!("embed: cannot build the engine: {e}");
            return ExitCode::from(2);
        }
    };
    let paths: Vec<String> = std::env::args().skip(1).collect();
    let mut reports = Vec::new();
    // The buffer: the rig knows what it asked for, so it names the kind.
    reports.push(engine.check_bytes("server answer", SERVER_ANSWER, Some(&Kind::MskRequest)));
    // The files: the kind is told from the content.
    if paths.is_empty() {
        // The bundled vector, found from the crate's folder whatever the current one.
        let bundled = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(BUNDLED_PATH);
        reports.push(engine.check_path(bundled));
    }
    reports.extend(paths.iter().map(|p| engine.check_path(p)));
    for report in &reports {
        print(report);
    }
    let worst = reports.iter().map(Report::exit_code).max().unwrap_or(0);
    ExitCode::from(worst as u8)
}

/// One input's verdict, its kind and findings, as a rig's log would show them.
fn print(report: &Report) {
    let kind = report.kind().map_or("?".to_string(), |k| k.to_string());
    let shown = std::path::Path::new(report.input())
        .strip_prefix(env!("CARGO_MANIFEST_DIR"))
        .map_or(report.input().to_string(), |p| p.display().to_string());
    println!("{shown} ({kind}): {}", report.verdict().as_str());
    if let Some(why) = report.error() {
        println!("  could not check: {why}");
    }
    for f in report.findings() {
        let at = &f.location;
        println!(
            "  {}:{} {} {} [{}]: {}",
            at.line,
            at.column,
            f.verdict.as_str(),
            f.rule,
            f.clause,
            f.message
        );
    }
    if report.verdict() == Verdict::Conformant {
        let applied = report
            .rule_outcomes()
            .iter()
            .filter(|o| o.applied())
            .count();
        println!("  {applied} rules applied, none failed");
    }
}

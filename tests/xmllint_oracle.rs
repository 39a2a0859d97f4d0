//! Differential test against libxml2: `xmllint --noout --schema` with the project's schema
//! files judges every schema-level vector, and must agree with our schema and
//! well-formedness verdict, except for the disagreements listed (with their reasons) in
//! `tests/xmllint-known-disagreements.yaml`. A listed vector that agrees fails too, so the
//! list cannot go stale. With `CI=true`, a missing xmllint fails instead of skipping.

use libtest_mimic::{Arguments, Trial};
use mikeyconf::engine::Engine;
use mikeyconf::finding::Verdict;
use mikeyconf::rules::RuleSet;
use mikeyconf::settings::Settings;
use mikeyconf::suite::{self, Sidecar};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

#[derive(Deserialize)]
struct Known {
    /// Vector name → reason.
    disagreements: BTreeMap<String, String>,
    /// Vector groups not compared, with the reason.
    skipped_groups: BTreeMap<String, String>,
}

fn xmllint_available() -> bool {
    Command::new("xmllint")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success() || !o.stderr.is_empty())
}

fn main() {
    let args = Arguments::from_args();
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let known: Known = serde_yaml::from_str(
        &std::fs::read_to_string(manifest.join("tests/xmllint-known-disagreements.yaml"))
            .expect("known disagreements file"),
    )
    .expect("known disagreements parse");
    let known = Arc::new(known);
    let settings = Settings::load(None, &[]).expect("settings");
    let rules = RuleSet::builtin(&settings).expect("rules");
    let engine = Arc::new(Engine::new(settings, rules, false).expect("engine"));
    let available = xmllint_available();
    let in_ci = std::env::var("CI").as_deref() == Ok("true");
    let mut trials = Vec::new();
    for v in suite::discover(&manifest.join("vectors")) {
        if known
            .skipped_groups
            .keys()
            .any(|g| v.name.starts_with(g.as_str()))
        {
            continue;
        }
        let side: Sidecar =
            serde_yaml::from_str(&std::fs::read_to_string(&v.sidecar).expect("sidecar"))
                .expect("sidecar parse");
        if side.settings.is_some() {
            continue; // the schemas change with the settings; xmllint sees only the defaults
        }
        let (engine, known, name) = (engine.clone(), known.clone(), v.name.clone());
        let trial = Trial::test(format!("oracle::{}", v.name), move || {
            if !available {
                return Err("xmllint is not installed (apt-get install libxml2-utils); CI=true makes this a failure".into());
            }
            compare(
                &engine,
                &v.input,
                side.as_kind.as_deref(),
                known.disagreements.get(&name),
            )
        });
        trials.push(trial.with_ignored_flag(!available && !in_ci));
    }
    libtest_mimic::run(&args, trials).exit();
}

fn compare(
    engine: &Engine,
    input: &Path,
    as_kind: Option<&str>,
    known: Option<&String>,
) -> Result<(), libtest_mimic::Failed> {
    let bytes = std::fs::read(input).map_err(|e| e.to_string())?;
    let result = engine.check_xml(&input.display().to_string(), &bytes, as_kind);
    if result.verdict == Verdict::Error {
        return Ok(()); // refused inputs are not comparable
    }
    let schema_rules: Vec<&str> = engine
        .rules
        .rules
        .iter()
        .filter(|r| matches!(r.check.name(), "schema" | "well_formed"))
        .map(|r| r.id.as_str())
        .collect();
    let ours_valid = !result
        .findings
        .iter()
        .any(|f| schema_rules.contains(&f.rule.as_str()));
    let kind = result.kind.split('|').next().unwrap_or("").to_string();
    // A malformed document has no kind; any driver does, as xmllint stops at the syntax error.
    let kind = if kind == "unknown" {
        "registration-request".to_string()
    } else {
        kind
    };
    let driver =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("schemas/drivers/{kind}.xsd"));
    let out = Command::new("xmllint")
        .args(["--noout", "--nonet", "--schema"])
        .arg(&driver)
        .arg(input)
        .output()
        .map_err(|e| format!("running xmllint: {e}"))?;
    let theirs_valid = out.status.success();
    let theirs = String::from_utf8_lossy(&out.stderr).to_string();
    let ours: Vec<String> = result
        .findings
        .iter()
        .map(|f| {
            format!(
                "{}:{} {} {}",
                f.location.line, f.location.column, f.rule, f.message
            )
        })
        .collect();
    match (ours_valid == theirs_valid, known) {
        (true, None) => Ok(()),
        (false, Some(_)) => Ok(()),
        (true, Some(reason)) => Err(format!("listed as a known disagreement ({reason}) but both now say valid={ours_valid}: remove it from the list").into()),
        (false, None) => Err(format!(
            "mikeyconf says schema-valid={ours_valid}, xmllint says {theirs_valid}\nxmllint: {theirs}\nmikeyconf:\n  {}",
            ours.join("\n  ")
        )
        .into()),
    }
}

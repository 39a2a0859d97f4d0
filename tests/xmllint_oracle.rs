//! Differential test against libxml2: `xmllint --noout --schema` with the project's schema
//! files judges every schema-level vector, and must agree with our schema, namespace and
//! well-formedness verdict, except for the disagreements listed (with their reasons) in
//! `tests/xmllint-known-disagreements.yaml`. A listed vector that agrees fails too, so the
//! list cannot go stale. With `MIKEYCONF_REQUIRE_ALL=1`, a missing xmllint fails instead of skipping.
//!
//! A disagreement where mikeyconf is the more lenient side (it accepts what libxml2 rejects)
//! is accepted only with a `cite:` of the spec text that says libxml2 is wrong, or, for a
//! verdict that rests on a provisional rule (`provisional: true`), only if mikeyconf agrees
//! with libxml2 under `--strict`.

use libtest_mimic::{Arguments, Trial};
use mikeyconf::internals::engine::Engine;
use mikeyconf::internals::finding::{FindingVerdict, Verdict};
use mikeyconf::internals::rules::RuleSet;
use mikeyconf::internals::settings::Settings;
use mikeyconf::internals::suite::{self, Sidecar};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Disagreement {
    reason: String,
    /// The spec text that says libxml2 is wrong.
    #[serde(default)]
    cite: Option<String>,
    /// mikeyconf accepts only because the rule that would reject is provisional: it must
    /// agree with libxml2 under --strict.
    #[serde(default)]
    provisional: bool,
}

#[derive(Deserialize)]
struct Known {
    /// Vector name → why the two disagree.
    disagreements: BTreeMap<String, Disagreement>,
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
    let engine = Arc::new(Engine::new(settings.clone(), rules.clone(), false).expect("engine"));
    let strict = Arc::new(Engine::new(settings, rules, true).expect("engine"));
    let available = xmllint_available();
    let in_ci = std::env::var_os("MIKEYCONF_REQUIRE_ALL").is_some();
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
        let (engine, strict, known, name) = (
            engine.clone(),
            strict.clone(),
            known.clone(),
            v.name.clone(),
        );
        let trial = Trial::test(format!("oracle::{}", v.name), move || {
            if !available {
                return Err("xmllint is not installed (apt-get install libxml2-utils); MIKEYCONF_REQUIRE_ALL makes this a failure".into());
            }
            compare(
                [&engine, &strict],
                &v.input,
                side.as_kind.as_deref(),
                known.disagreements.get(&name),
            )
        });
        trials.push(trial.with_ignored_flag(!available && !in_ci));
    }
    libtest_mimic::run(&args, trials).exit();
}

/// mikeyconf's verdict on what xmllint judges: is the document well-formed, schema-valid
/// and its BCAST elements (and the poc-settings extension's) in a namespace the schemas
/// allow? None for refused inputs.
fn judge(
    engine: &Engine,
    input: &Path,
    as_kind: Option<&str>,
) -> Option<(bool, String, Vec<String>)> {
    let bytes = std::fs::read(input).ok()?;
    let result = engine.check_xml(&input.display().to_string(), &bytes, as_kind);
    if result.verdict == Verdict::Error {
        return None; // refused inputs are not comparable
    }
    let schema_level: Vec<&str> = engine
        .rules
        .rules
        .iter()
        .filter(|r| {
            matches!(
                r.check.name(),
                "schema"
                    | "well_formed"
                    | "child_namespace"
                    | "container_namespace"
                    | "extension_namespace"
            )
        })
        .map(|r| r.id.as_str())
        .collect();
    let valid = !result
        .findings
        .iter()
        .any(|f| schema_level.contains(&f.rule.as_str()) && f.verdict == FindingVerdict::Fail);
    let kind = result.kind.split('|').next().unwrap_or("").to_string();
    let lines = result
        .findings
        .iter()
        .map(|f| {
            format!(
                "{}:{} {} {} {}",
                f.location.line,
                f.location.column,
                f.rule,
                f.verdict.as_str(),
                f.message
            )
        })
        .collect();
    Some((valid, kind, lines))
}

fn compare(
    [engine, strict]: [&Engine; 2],
    input: &Path,
    as_kind: Option<&str>,
    known: Option<&Disagreement>,
) -> Result<(), libtest_mimic::Failed> {
    let Some((ours_valid, kind, ours)) = judge(engine, input, as_kind) else {
        return Ok(());
    };
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
    let lenient = ours_valid && !theirs_valid;
    match (ours_valid == theirs_valid, known) {
        (true, None) => Ok(()),
        (true, Some(d)) => Err(format!("listed as a known disagreement ({}) but both now say valid={ours_valid}: remove it from the list", d.reason).into()),
        (false, Some(d)) if lenient && d.provisional => {
            let strict_valid = judge(strict, input, as_kind).is_some_and(|o| o.0);
            if strict_valid {
                Err(format!("mikeyconf accepts what xmllint rejects even under --strict, so the disagreement does not rest on a provisional rule ({})\nxmllint: {theirs}", d.reason).into())
            } else {
                Ok(())
            }
        }
        (false, Some(d)) if lenient && d.cite.is_none() => Err(format!(
            "mikeyconf is more lenient than xmllint here; a listed reason ({}) is not enough without a `cite:` of the spec text that says xmllint is wrong\nxmllint: {theirs}",
            d.reason
        )
        .into()),
        (false, Some(_)) => Ok(()),
        (false, None) => Err(format!(
            "mikeyconf says valid={ours_valid}, xmllint says {theirs_valid}{}\nxmllint: {theirs}\nmikeyconf:\n  {}",
            if lenient { " (mikeyconf is the more lenient side: a bug unless a cited spec text says xmllint is wrong)" } else { "" },
            ours.join("\n  ")
        )
        .into()),
    }
}

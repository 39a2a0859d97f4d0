//! One test per vector (`xml::registration_request::extension_twice`, …), comparing the full
//! finding set with the sidecar and printing a diff on mismatch; plus coverage tests: every
//! rule has a vector it passes and one it fails, and every checkable requirement of the
//! checklist is cited by a rule (or listed below as not yet, with the reason).

use libtest_mimic::{Arguments, Failed, Trial};
use mikeyconf::rules::RuleSet;
use mikeyconf::settings::Settings;
use mikeyconf::suite;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Requirements of the checklist that no rule cites yet, and why. The coverage test fails if
/// one of these becomes cited (remove it here) or a new uncited one appears.
const NOT_YET_CITED: &[(&str, &str)] = &[
    ("MBMS-GEN-05", "needs the Service Announcement's back-off parameters (TS 33.246 6.3.2.2.1), which no trace input carries yet"),
];

fn main() {
    let args = Arguments::from_args();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("vectors");
    let settings = Arc::new(Settings::load(None, &[]).expect("default settings load"));
    let tables = Arc::new(suite::builtin_tables());
    let mut trials = Vec::new();
    for v in suite::discover(&root) {
        let (settings, tables) = (settings.clone(), tables.clone());
        trials.push(Trial::test(v.name.clone(), move || {
            let o = suite::run_vector(&v, &settings, &tables)?;
            if o.matched {
                Ok(())
            } else {
                Err(format!(
                    "{}: findings differ from {}\n{}",
                    v.input.display(),
                    v.sidecar.display(),
                    o.diff
                )
                .into())
            }
        }));
    }
    {
        let (settings, tables, root) = (settings.clone(), tables.clone(), root.clone());
        trials.push(Trial::test(
            "coverage::every_rule_has_a_passing_and_a_failing_vector",
            move || {
                let rules = RuleSet::load(&tables, &settings).map_err(|e| e.to_string())?;
                let mut outcomes = Vec::new();
                for v in suite::discover(&root) {
                    outcomes.push(suite::run_vector(&v, &settings, &tables)?);
                }
                let gaps = suite::coverage_gaps(&outcomes, &rules);
                if gaps.is_empty() {
                    Ok(())
                } else {
                    Err(gaps.join("\n").into())
                }
            },
        ));
    }
    trials.push(Trial::test(
        "coverage::every_checkable_requirement_is_cited_by_a_rule",
        move || requirements_cited(&settings, &tables),
    ));
    libtest_mimic::run(&args, trials).exit();
}

fn requirements_file() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/reference/requirements.md")
}

/// IDs of the checklist rows that are not n/a.
fn checkable_ids(text: &str) -> Vec<String> {
    text.lines()
        .filter(|l| l.starts_with("| ") && !l.contains("| n/a |"))
        .filter_map(|l| l.split('|').nth(1).map(|c| c.trim().to_string()))
        .filter(|id| {
            let parts: Vec<&str> = id.split('-').collect();
            parts.len() == 3
                && parts[2].chars().all(|c| c.is_ascii_digit())
                && parts[0].chars().all(|c| c.is_ascii_uppercase())
        })
        .filter(|id| id.starts_with("MBMS-") || id.starts_with("BCAST-"))
        .collect()
}

fn requirements_cited(settings: &Settings, tables: &[(String, String)]) -> Result<(), Failed> {
    let path = requirements_file();
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if std::env::var("CI").as_deref() != Ok("true") => {
            eprintln!(
                "skipping: {} not readable ({e}); CI fails here",
                path.display()
            );
            return Ok(());
        }
        Err(e) => return Err(format!("{}: {e}", path.display()).into()),
    };
    let rules = RuleSet::load(tables, settings).map_err(|e| e.to_string())?;
    let cited = |id: &str| {
        rules
            .rules
            .iter()
            .any(|r| r.requirement.iter().any(|x| x == id))
    };
    let mut problems = Vec::new();
    for id in checkable_ids(&text) {
        let listed = NOT_YET_CITED.iter().any(|(x, _)| *x == id);
        match (cited(&id), listed) {
            (false, false) => problems.push(format!("{id}: no rule cites it")),
            (true, true) => problems.push(format!("{id}: now cited; remove it from NOT_YET_CITED")),
            _ => {}
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n").into())
    }
}

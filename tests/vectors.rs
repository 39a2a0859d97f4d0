//! One test per vector (`xml::registration_request::extension_twice`, …), comparing the full
//! finding set with the sidecar and printing a diff on mismatch; plus coverage tests: every
//! rule has a vector it passes and one it fails, and every checkable requirement of the
//! checklist is cited by a rule (or listed below as not yet, with the reason).

use libtest_mimic::{Arguments, Failed, Trial};
use mikeyconf::internals::requirements;
use mikeyconf::internals::rules::RuleSet;
use mikeyconf::internals::settings::Settings;
use mikeyconf::internals::suite;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Requirements of the checklist that no rule cites yet, and why. The coverage test fails if
/// one of these becomes cited (remove it here) or a new uncited one appears.
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
    let (s2, t2) = (settings.clone(), tables.clone());
    trials.push(Trial::test(
        "coverage::every_requirement_is_covered_or_explained",
        move || requirements_covered(&s2, &t2),
    ));
    trials.push(Trial::test(
        "coverage::the_catalogue_matches_the_shared_checklist",
        catalogue_matches_checklist,
    ));
    libtest_mimic::run(&args, trials).exit();
}

fn requirements_file() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/reference/requirements.md")
}

/// Every requirement of the product's catalogue is cited by a rule or says why not, and no
/// rule cites a requirement the catalogue lacks.
fn requirements_covered(settings: &Settings, tables: &[(String, String)]) -> Result<(), Failed> {
    let rules = RuleSet::load(tables, settings).map_err(|e| e.to_string())?;
    let catalogue = requirements::builtin();
    let (table, unknown) = requirements::coverage(&catalogue, &rules);
    let mut problems: Vec<String> = table.iter().filter_map(|c| c.problem()).collect();
    problems.extend(
        unknown
            .iter()
            .map(|u| format!("{u}: not in rules/requirements.yaml")),
    );
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n").into())
    }
}

/// The rows (ID, clause, level) of the shared checklist, when it is beside the checkout.
fn checklist_rows(text: &str) -> Vec<(String, String, String)> {
    text.lines()
        .filter(|l| l.starts_with("| "))
        .filter_map(|l| {
            let cells: Vec<&str> = l.split('|').map(str::trim).collect();
            let (id, clause, level) = (cells.get(1)?, cells.get(2)?, cells.get(3)?);
            let parts: Vec<&str> = id.split('-').collect();
            let is_id = parts.len() == 3
                && parts[2].chars().all(|c| c.is_ascii_digit())
                && parts[0].chars().all(|c| c.is_ascii_uppercase());
            is_id.then(|| (id.to_string(), clause.to_string(), level.to_string()))
        })
        .collect()
}

/// The catalogue keeps in step with `../shared/reference/requirements.md`: the same IDs with
/// the same clauses and levels. Without that file (a clone on its own) there is nothing to
/// compare; CI has it, and fails if it cannot be read.
fn catalogue_matches_checklist() -> Result<(), Failed> {
    let path = requirements_file();
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if std::env::var_os("MIKEYCONF_REQUIRE_ALL").is_none() => {
            eprintln!(
                "skipping: {} not readable ({e}); MIKEYCONF_REQUIRE_ALL=1 (.ci/run) fails here",
                path.display()
            );
            return Ok(());
        }
        Err(e) => return Err(format!("{}: {e}", path.display()).into()),
    };
    // Entries added beyond the checklist say why (`beyond_checklist`).
    let ours: Vec<(String, String, String)> = requirements::builtin()
        .into_iter()
        .filter(|r| r.beyond_checklist.is_none())
        .map(|r| (r.id, r.clause, r.level))
        .collect();
    let theirs = checklist_rows(&text);
    let mut problems = Vec::new();
    for t in &theirs {
        if !ours.contains(t) {
            problems.push(format!(
                "checklist row {t:?} is not in rules/requirements.yaml as it stands"
            ));
        }
    }
    for o in &ours {
        if !theirs.contains(o) {
            problems.push(format!(
                "rules/requirements.yaml has {o:?}, which the checklist does not"
            ));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n").into())
    }
}

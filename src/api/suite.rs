//! [`Suite`]: the bundled conformance suite (`mikeyconf run`): every vector of a folder
//! judged with the built-in rules and compared, finding by finding, with the findings its
//! sidecar expects; the rules' and requirements' coverage; and the reports written
//! (`suite.json`, `results.json`, `junit.xml`, `summary.md`, `index.html`).

use super::Error;
use crate::finding::CheckResult;
use crate::render;
use std::path::{Path, PathBuf};

/// One run of the suite: how many vectors gave exactly their expected findings, the
/// mismatches, and the coverage gaps (a rule without a passing and a failing vector, a
/// requirement no rule checks).
///
/// # Examples
///
/// ```no_run
/// let suite = mikeyconf::Suite::run(&mikeyconf::Suite::default_vectors(), "reports".as_ref())?;
/// assert_eq!(suite.matched, suite.vectors);
/// assert!(suite.gaps.is_empty());
/// # Ok::<(), mikeyconf::Error>(())
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Suite {
    /// The vectors run.
    pub vectors: usize,
    /// Those whose findings were exactly the expected ones.
    pub matched: usize,
    /// The rules of the built-in tables.
    pub rules: usize,
    /// Each vector that missed its expectation: its name and the difference, as a diff.
    pub mismatches: Vec<(String, String)>,
    /// What the vectors leave uncovered, one line each.
    pub gaps: Vec<String>,
}

impl Suite {
    /// The vectors folder: `vectors/` of the working folder, else the one this crate was
    /// built with.
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(mikeyconf::Suite::default_vectors().ends_with("vectors"));
    /// ```
    pub fn default_vectors() -> PathBuf {
        crate::suite::default_vectors_dir()
    }

    /// Runs every vector under `vectors` and writes the reports into `reports` (created when
    /// missing). An error when no vector is found, one cannot be read, or a report cannot be
    /// written.
    ///
    /// # Examples
    ///
    /// ```
    /// let empty = std::env::temp_dir().join(format!("mikeyconf-suite-doc-{}", std::process::id()));
    /// std::fs::create_dir_all(&empty)?;
    /// assert!(mikeyconf::Suite::run(&empty, &empty.join("reports")).is_err());
    /// # std::fs::remove_dir_all(&empty)?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn run(vectors: &Path, reports: &Path) -> Result<Suite, Error> {
        run(vectors, reports).map_err(Error::Suite)
    }

    /// The run's exit code: 0 when every vector matched and nothing is uncovered, else 1.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// let suite = mikeyconf::Suite::run("vectors".as_ref(), "reports".as_ref())?;
    /// std::process::exit(suite.exit_code());
    /// # Ok::<(), mikeyconf::Error>(())
    /// ```
    pub fn exit_code(&self) -> i32 {
        i32::from(self.matched != self.vectors || !self.gaps.is_empty())
    }
}

fn run(dir: &Path, reports: &Path) -> Result<Suite, String> {
    use crate::rules::RuleSet;
    use crate::settings::Settings;
    use crate::suite;
    let settings = Settings::load(None, &[]).map_err(|e| e.to_string())?;
    let tables = suite::builtin_tables();
    let rules = RuleSet::load(&tables, &settings).map_err(|e| e.to_string())?;
    let vectors = suite::discover(dir);
    if vectors.is_empty() {
        return Err(format!("no vectors under {}", dir.display()));
    }
    let mut outcomes = Vec::new();
    for v in &vectors {
        let o = suite::run_vector(v, &settings, &tables)
            .map_err(|e| format!("vector {}: {e}", v.name))?;
        outcomes.push(o);
    }
    let mut gaps = suite::coverage_gaps(&outcomes, &rules);
    let catalogue = crate::requirements::builtin();
    let (requirements, unknown) = crate::requirements::coverage(&catalogue, &rules);
    gaps.extend(requirements.iter().filter_map(|c| c.problem()));
    gaps.extend(
        unknown
            .iter()
            .map(|u| format!("{u}: not in the requirements catalogue")),
    );
    std::fs::create_dir_all(reports).map_err(|e| format!("{}: {e}", reports.display()))?;
    let results: Vec<CheckResult> = outcomes.iter().map(|o| o.result.clone()).collect();
    let write = |name: &str, text: String| {
        let p = reports.join(name);
        std::fs::write(&p, text).map_err(|e| format!("{}: {e}", p.display()))
    };
    write(
        "suite.json",
        serde_json::to_string_pretty(&outcomes).map_err(|e| e.to_string())? + "\n",
    )?;
    write("results.json", render::json::render(&results))?;
    // One case per vector, failing only when the vector missed its expectation: a CI's JUnit
    // publisher must go red exactly when this run's exit code does.
    let cases: Vec<render::junit_suite::VectorCase> = (outcomes.iter())
        .map(|o| render::junit_suite::VectorCase {
            name: &o.name,
            matched: o.matched,
            diff: &o.diff,
            verdict: o.result.verdict.as_str(),
            findings: o.result.findings.len(),
        })
        .collect();
    write("junit.xml", render::junit_suite::render(&cases))?;
    write(
        "summary.md",
        render::markdown::render(&outcomes, &rules, &gaps, &requirements),
    )?;
    write(
        "index.html",
        render::html::render_suite(&outcomes, &rules, &gaps),
    )?;
    Ok(Suite {
        vectors: outcomes.len(),
        matched: outcomes.iter().filter(|o| o.matched).count(),
        rules: rules.rules.len(),
        mismatches: (outcomes.iter())
            .filter(|o| !o.matched)
            .map(|o| (o.name.clone(), o.diff.clone()))
            .collect(),
        gaps,
    })
}

//! The bundled suite: vectors (input files) with sidecars of their expected findings.
//! The runner is thin: check the input, compare every finding, show a diff on mismatch.

use crate::engine::Engine;
use crate::finding::{CheckResult, Outcome, Verdict};
use crate::rules::RuleSet;
use crate::settings::Settings;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// A vector's sidecar (`NAME.yaml` beside `NAME.xml`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sidecar {
    /// What the vector shows and why it exists.
    pub description: String,
    /// The clause(s) it exercises.
    pub clause: String,
    /// Check as this kind instead of detecting it.
    #[serde(default, rename = "as")]
    pub as_kind: Option<String>,
    #[serde(default)]
    pub strict: bool,
    /// Settings overrides (same shape as rules/settings.yaml).
    #[serde(default)]
    pub settings: Option<serde_yaml::Value>,
    /// A keyring file (`--keys`), relative to the sidecar.
    #[serde(default)]
    pub keys: Option<String>,
    /// An implementation profile (`--profile`), relative to the sidecar.
    #[serde(default)]
    pub profile: Option<String>,
    /// Rule ids or prefixes to check only (`--select`).
    #[serde(default)]
    pub select: Vec<String>,
    /// Rule ids or prefixes to leave out (`--ignore`).
    #[serde(default)]
    pub ignore: Vec<String>,
    /// The input is a change request checked by `mikeyconf spec` (its results, one per
    /// example, fragment and the prose, are compared as one).
    #[serde(default)]
    pub spec: bool,
    pub expect: Expect,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expect {
    pub verdict: String,
    #[serde(default)]
    pub kind: Option<String>,
    /// For `verdict: error`: a part of the reason.
    #[serde(default)]
    pub error_contains: Option<String>,
    #[serde(default)]
    pub findings: Vec<ExpectedFinding>,
    /// Rule outcomes to compare besides the findings, rule ID → `pass`, `not-applicable`, …;
    /// `not-applicable: REASON` compares the reason too. A rule that applies but finds nothing
    /// and one that does not apply give the same findings; only this tells them apart.
    #[serde(default)]
    pub outcomes: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq, PartialOrd, Ord)]
#[serde(deny_unknown_fields)]
pub struct ExpectedFinding {
    #[serde(default)]
    pub line: u32,
    #[serde(default)]
    pub column: u32,
    /// For findings inside a MIKEY message: the byte offset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub byte: Option<usize>,
    /// For findings in a .docx (`spec`): the paragraph, compared where the sidecar gives one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paragraph: Option<u32>,
    pub rule: String,
    pub verdict: String,
    /// The finding's message, compared when given: what a rule says beyond where and how
    /// severe (which mechanisms a request listed, a diagnosis the check adds).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

/// A vector on disk.
#[derive(Debug, Clone)]
pub struct Vector {
    /// Test name: `xml::GROUP::NAME`.
    pub name: String,
    pub input: PathBuf,
    pub sidecar: PathBuf,
}

pub use crate::vector_outcome::VectorOutcome;

/// The bytes a vector stands for (a `.msg.yaml` or `.psk.yaml` description is encoded):
/// [`crate::format::read_file`].
pub fn input_bytes(path: &Path) -> Result<Vec<u8>, String> {
    let limit = crate::bounded::Limit::max_bytes(crate::xml::Limits::default().max_bytes);
    crate::format::read_file(path, limit)
}

/// Finds every vector under `root` (files with a `.yaml` sidecar), sorted by name.
pub fn discover(root: &Path) -> Vec<Vector> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "yaml")
                && path
                    .file_name()
                    .and_then(|n| crate::format::by_name(&n.to_string_lossy()))
                    .is_none()
            {
                // `NAME.yaml` → `NAME.<ext>` for an ending of an input format (the table's
                // order), by name: NAME itself may contain dots.
                let stem = path.with_extension("");
                let input = crate::format::FORMATS
                    .iter()
                    .flat_map(|f| f.extensions)
                    .map(|e| {
                        let mut name = stem.clone().into_os_string();
                        name.push(format!(".{e}"));
                        PathBuf::from(name)
                    })
                    .find(|p| p.exists());
                if let Some(input) = input {
                    let rel = stem.strip_prefix(root).unwrap_or(&stem);
                    let name = rel
                        .components()
                        .map(|c| c.as_os_str().to_string_lossy().replace(['-', '.'], "_"))
                        .collect::<Vec<_>>()
                        .join("::");
                    out.push(Vector {
                        name,
                        input,
                        sidecar: path,
                    });
                }
            }
        }
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    out
}

/// The canonical text of a finding list, for comparing and diffing.
fn listing(verdict: &str, kind: Option<&str>, findings: &[ExpectedFinding]) -> String {
    let mut s = format!("verdict: {verdict}\n");
    if let Some(k) = kind {
        s.push_str(&format!("kind: {k}\n"));
    }
    for f in findings {
        let mut byte = f.byte.map_or(String::new(), |b| format!(" @byte {b}"));
        if let Some(p) = f.paragraph {
            byte.push_str(&format!(" @paragraph {p}"));
        }
        s.push_str(&format!(
            "{}:{}{byte} {} {}\n",
            f.line, f.column, f.rule, f.verdict
        ));
        if let Some(m) = &f.message {
            s.push_str(&format!("  message: {m}\n"));
        }
    }
    s
}

/// The canonical text of the rule outcomes a sidecar names: `outcome RULE VERDICT` lines,
/// each verdict given by `verdict(rule, expected)`.
fn outcome_listing(
    outcomes: &BTreeMap<String, String>,
    verdict: impl Fn(&str, &str) -> String,
) -> String {
    outcomes
        .iter()
        .map(|(rule, want)| format!("outcome {rule} {}\n", verdict(rule, want)))
        .collect()
}

/// The rules a sidecar's `profile`, `select` and `ignore` leave out, as the command line's
/// would (the profile named as the sidecar writes it), and that profile.
fn sidecar_exclusions(
    side: &Sidecar,
    sidecar: &Path,
    rules: &RuleSet,
) -> Result<(BTreeMap<String, String>, Option<crate::profile::Profile>), String> {
    use crate::selection::{patterns, Selection};
    let profile = match &side.profile {
        Some(p) => {
            let path = sidecar.parent().unwrap_or(Path::new(".")).join(p);
            Some(crate::profile::Profile::load(&path, p)?)
        }
        None => None,
    };
    let resolved = crate::config::Resolved {
        profile,
        selection: Selection {
            select: patterns(&side.select, "--select"),
            ignore: patterns(&side.ignore, "--ignore"),
        },
        ..Default::default()
    };
    let excluded = resolved
        .exclusions(rules)
        .map_err(|e| format!("{}: {e}", sidecar.display()))?;
    Ok((excluded, resolved.profile))
}

/// A vector's sidecar, read.
pub fn read_sidecar(v: &Vector) -> Result<Sidecar, String> {
    let side_text = crate::bounded::read_text(
        &v.sidecar,
        &v.sidecar.display().to_string(),
        crate::bounded::CONFIG_FILE,
    )?;
    crate::yaml::guard(&side_text).map_err(|e| format!("{}: {e}", v.sidecar.display()))?;
    serde_yaml::from_str(&side_text).map_err(|e| format!("{}: {e}", v.sidecar.display()))
}

/// The engine a vector is checked with: the sidecar's settings, keyring, strictness and rule
/// selection over the given base settings and rule tables.
pub fn vector_engine(
    v: &Vector,
    side: &Sidecar,
    base: &Settings,
    tables: &[(String, String)],
) -> Result<Engine, String> {
    let settings = match &side.settings {
        None => base.clone(),
        Some(patch) => {
            let text = serde_yaml::to_string(patch).map_err(|e| e.to_string())?;
            Settings::load(Some((&v.sidecar.display().to_string(), &text)), &[])
                .map_err(|e| e.to_string())?
        }
    };
    let mut settings = settings;
    if let Some(keys) = &side.keys {
        let path = v.sidecar.parent().unwrap_or(Path::new(".")).join(keys);
        let ring = crate::keyring::load(&path).map_err(|e| e.to_string())?;
        settings.keys = Some(std::sync::Arc::new(ring));
    }
    let rules = RuleSet::load(tables, &settings).map_err(|e| e.to_string())?;
    let mut engine = Engine::new(settings, rules, side.strict).map_err(|e| e.to_string())?;
    let (excluded, profile) = sidecar_exclusions(side, &v.sidecar, &engine.rules)?;
    engine.exclude(excluded);
    engine.judge_for(profile);
    Ok(engine)
}

/// Runs one vector with the given base settings and rule tables.
pub fn run_vector(
    v: &Vector,
    base: &Settings,
    tables: &[(String, String)],
) -> Result<VectorOutcome, String> {
    let side = read_sidecar(v)?;
    let engine = vector_engine(v, &side, base, tables)?;
    let bytes = input_bytes(&v.input)?;
    let shown = v.input.display().to_string();
    let result = if side.spec {
        spec_result(&engine, &shown, &bytes)
    } else {
        engine.check(&shown, &bytes, side.as_kind.as_deref())
    };
    let mut actual: Vec<(ExpectedFinding, &str)> = result
        .findings
        .iter()
        .map(|f| {
            let found = ExpectedFinding {
                line: f.location.line,
                column: f.location.column,
                byte: f.location.byte_offset,
                paragraph: f.location.paragraph,
                rule: f.rule.clone(),
                verdict: f.verdict.as_str().to_string(),
                message: None,
            };
            (found, f.message.as_str())
        })
        .collect();
    actual.sort();
    let mut expected = side.expect.findings.clone();
    expected.sort();
    // A message (and a byte offset) is compared where the sidecar gives one (findings in the
    // same order).
    let actual: Vec<ExpectedFinding> = actual
        .into_iter()
        .enumerate()
        .map(|(i, (mut found, message))| {
            if expected.get(i).is_some_and(|e| e.message.is_some()) {
                found.message = Some(message.to_string());
            }
            // A byte offset is compared where the sidecar gives one, like a message.
            if expected.get(i).is_some_and(|e| e.byte.is_none()) {
                found.byte = None;
            }
            if expected.get(i).is_some_and(|e| e.paragraph.is_none()) {
                found.paragraph = None;
            }
            found
        })
        .collect();
    let kind_expected = side.expect.kind.as_deref();
    let want = listing(&side.expect.verdict, kind_expected, &expected);
    let got = listing(
        result.verdict.as_str(),
        kind_expected.map(|_| result.kind.as_str()),
        &actual,
    );
    let (want, got) = (
        want + &outcome_listing(&side.expect.outcomes, |_, w| w.to_string()),
        got + &outcome_listing(&side.expect.outcomes, |rule, w| {
            match result.rules.iter().find(|o| o.rule == rule) {
                None => "absent".to_string(),
                Some(o) => match (o.outcome.reason(), w.contains(": ")) {
                    (Some(reason), true) => format!("{}: {reason}", o.outcome.as_str()),
                    _ => o.outcome.as_str().to_string(),
                },
            }
        }),
    );
    let mut matched = want == got;
    let mut diff = String::new();
    if let (Some(part), Verdict::Error) = (&side.expect.error_contains, result.verdict) {
        if !result
            .error
            .as_deref()
            .unwrap_or("")
            .contains(part.as_str())
        {
            matched = false;
            diff.push_str(&format!(
                "error '{}' does not contain '{part}'\n",
                result.error.as_deref().unwrap_or("")
            ));
        }
    }
    if want != got {
        diff.push_str(
            &similar::TextDiff::from_lines(&want, &got)
                .unified_diff()
                .header("expected", "actual")
                .to_string(),
        );
        if let Some(e) = &result.error {
            diff.push_str(&format!("(could not check: {e})\n"));
        }
    }
    Ok(VectorOutcome {
        name: v.name.clone(),
        matched,
        diff,
        result,
    })
}

/// A change request's `spec` results as one: every finding, every rule outcome, the worst
/// verdict, the first error.
pub fn spec_result(engine: &Engine, input: &str, bytes: &[u8]) -> CheckResult {
    let results = crate::spec::check_document(engine, input, bytes);
    let mut merged = CheckResult {
        input: input.to_string(),
        kind: "spec-document".into(),
        verdict: Verdict::Conformant,
        notes: Vec::new(),
        error: None,
        findings: Vec::new(),
        rules: Default::default(),
        source: None,
    };
    for r in results {
        merged.verdict = merged.verdict.merge(r.verdict);
        merged.error = merged.error.or(r.error);
        merged.notes.extend(r.notes);
        merged.findings.extend(r.findings);
        std::sync::Arc::make_mut(&mut merged.rules)
            .extend(std::sync::Arc::unwrap_or_clone(r.rules));
    }
    merged
}

/// Rules that no vector passes or no vector fails (each needs both).
pub fn coverage_gaps(outcomes: &[VectorOutcome], rules: &RuleSet) -> Vec<String> {
    let mut seen: BTreeMap<&str, (bool, bool)> = rules
        .rules
        .iter()
        .map(|r| (r.id.as_str(), (false, false)))
        .collect();
    for o in outcomes {
        for r in o.result.rules.iter() {
            if let Some(entry) = seen.get_mut(r.rule.as_str()) {
                match r.outcome {
                    Outcome::Pass => entry.0 = true,
                    Outcome::Fail | Outcome::Warn | Outcome::Info => entry.1 = true,
                    // Not applied, or applied to part of the input only: neither.
                    Outcome::Incomplete(_) | Outcome::NotApplicable(_) => {}
                }
            }
        }
    }
    seen.into_iter()
        .filter_map(|(id, (pass, fail))| match (pass, fail) {
            (true, true) => None,
            (false, false) => Some(format!("{id}: no vector passes it and none fails it")),
            (false, true) => Some(format!("{id}: no vector passes it")),
            (true, false) => Some(format!("{id}: no vector fails it")),
        })
        .collect()
}

/// The built-in rule tables as (name, text) pairs.
pub fn builtin_tables() -> Vec<(String, String)> {
    crate::rules::BUILTIN_TABLES
        .iter()
        .map(|(n, t)| (n.to_string(), t.to_string()))
        .collect()
}

/// Where the bundled vectors are: `./vectors` when run from a checkout, else the source tree's.
pub fn default_vectors_dir() -> PathBuf {
    let here = PathBuf::from("vectors");
    if here.is_dir() {
        here
    } else {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("vectors")
    }
}

//! `[per-file-ignores]` of `mikeyconf.toml`, as ruff's: a glob of input paths to the rule
//! ids or id prefixes left out for the inputs it matches.
//!
//! ```toml
//! [per-file-ignores]
//! "vectors/legacy/*.xml" = ["XML-NS-", "MBMS-MSK-03"]
//! "*.pcap" = ["SESSION-"]
//! ```
//!
//! A glob is matched against the input's path relative to the config file's folder (with
//! `/` between its parts), and against its file name alone, so `"*.pcap"` names every
//! capture wherever it lies; `*` crosses folders, as in ruff. A rule left out for an input is
//! reported there as not applicable with the reason, its findings dropped, never as passed.

use crate::baseline::relative_path;
use crate::finding::{CheckResult, Outcome, Verdict};
use crate::rules::RuleSet;
use crate::selection::{patterns, Selection};
use globset::{Glob, GlobMatcher};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The table, read: each glob with the rules it leaves out.
#[derive(Debug, Clone, Default)]
pub struct PerFileIgnores {
    /// The folder the globs' paths are relative to: the config file's.
    base: PathBuf,
    entries: Vec<Entry>,
}

#[derive(Debug, Clone)]
struct Entry {
    matcher: GlobMatcher,
    rules: Selection,
}

impl PerFileIgnores {
    /// The table of the config file `shown`, whose paths are relative to `base`.
    pub fn new(
        base: &Path,
        table: &BTreeMap<String, Vec<String>>,
        shown: &str,
    ) -> Result<Self, String> {
        let mut entries = Vec::new();
        for (glob, ids) in table {
            let matcher = Glob::new(glob)
                .map_err(|e| format!("{shown} [per-file-ignores]: {e}"))?
                .compile_matcher();
            let source = format!("{shown} per-file-ignores {}", serde_json::json!(glob));
            entries.push(Entry {
                matcher,
                rules: Selection {
                    select: Vec::new(),
                    ignore: patterns(ids, &source),
                },
            });
        }
        Ok(PerFileIgnores {
            base: base.to_path_buf(),
            entries,
        })
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The ids and prefixes that name no rule, as `source PATTERN`.
    pub fn unknown(&self, rules: &RuleSet) -> Vec<String> {
        self.entries
            .iter()
            .flat_map(|e| e.rules.unknown(rules))
            .collect()
    }

    /// Why the rule is left out for the input at `path` (relative to the base), if it is.
    fn why_not(&self, path: &str, rule: &str) -> Option<String> {
        let name = path.rsplit('/').next().unwrap_or(path);
        self.entries
            .iter()
            .filter(|e| e.matcher.is_match(path) || e.matcher.is_match(name))
            .find_map(|e| e.rules.why_not(rule))
            .map(|why| why.replacen("not selected", "ignored for this file", 1))
    }

    /// The result with the rules its path leaves out not applicable (with the reason), their
    /// findings dropped and its verdict taken again. An input that could not be checked
    /// stays so.
    pub fn apply(&self, mut r: CheckResult) -> CheckResult {
        if self.entries.is_empty() || r.verdict == Verdict::Error {
            return r;
        }
        let path = relative_path(&r.input, &self.base);
        if !self
            .entries
            .iter()
            .any(|e| e.matcher.is_match(&path) || e.matcher.is_match(file_name(&path)))
        {
            return r;
        }
        r.findings
            .retain(|f| self.why_not(&path, &f.rule).is_none());
        let outcomes = Arc::make_mut(&mut r.rules);
        for o in outcomes.iter_mut() {
            if let Some(why) = self.why_not(&path, &o.rule) {
                o.outcome = Outcome::NotApplicable(why.into());
            }
        }
        // The outcomes left stand for the findings past `limits.max_findings` too.
        let failed = r.rules.iter().any(|o| o.outcome == Outcome::Fail);
        r.verdict = match Verdict::of(&r.findings, &r.rules) {
            Verdict::Conformant | Verdict::Incomplete if failed => Verdict::NonConformant,
            v => v,
        };
        r
    }
}

fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::{Finding, FindingVerdict, Level, RuleOutcome, Severity, Status};

    fn finding(rule: &str) -> Finding {
        Finding {
            rule: rule.into(),
            requirement: vec![],
            clause: String::new(),
            level: Level::Shall,
            severity: Severity::Error,
            status: Status::Confirmed,
            verdict: FindingVerdict::Fail,
            message: "m".into(),
            location: Default::default(),
            party: None,
        }
    }

    #[test]
    fn a_glob_leaves_its_rules_out_of_the_inputs_it_matches_only() {
        let table = BTreeMap::from([("legacy/*.xml".to_string(), vec!["XML-NS-".to_string()])]);
        let ignores = PerFileIgnores::new(Path::new("."), &table, "mikeyconf.toml").unwrap();
        let result = |input: &str| CheckResult {
            input: input.into(),
            kind: "xml".into(),
            verdict: Verdict::NonConformant,
            notes: vec![],
            error: None,
            findings: vec![finding("XML-NS-01")],
            rules: Arc::new(vec![RuleOutcome::new("XML-NS-01", Outcome::Fail)]),
            source: None,
        };
        let kept = ignores.apply(result("legacy/a.xml"));
        assert!(kept.findings.is_empty());
        assert_eq!(kept.verdict, Verdict::Conformant);
        let why = kept.rules[0].outcome.reason().unwrap().to_string();
        assert!(why.starts_with("ignored for this file"), "{why}");
        assert!(why.contains("legacy/*.xml"), "{why}");
        let other = ignores.apply(result("current/a.xml"));
        assert_eq!(other.findings.len(), 1);
        assert_eq!(other.verdict, Verdict::NonConformant);
    }
}

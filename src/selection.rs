//! Rule selection, as ruff does it: `select` and `ignore` lists of rule ids or id prefixes
//! (`MCV-`, `CRYPTO-PSK-01`), from the command line or `mikeyconf.toml`. A rule left out is
//! reported as not applicable with the reason, never as passed.

use crate::rules::RuleSet;

/// One id or prefix, and where it was given (`--ignore`, `mikeyconf.toml ignore`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pattern {
    pub text: String,
    pub source: String,
}

impl Pattern {
    /// Whether the pattern names the rule: its id, or a prefix of it (ASCII case ignored).
    fn matches(&self, id: &str) -> bool {
        id.len() >= self.text.len()
            && id.as_bytes()[..self.text.len()].eq_ignore_ascii_case(self.text.as_bytes())
    }
}

/// The selection in force: every rule when `select` is empty, less those `ignore` names.
/// When a rule is named by both, the longer (more specific) pattern wins, as in ruff; on a tie
/// the ignore wins.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    pub select: Vec<Pattern>,
    pub ignore: Vec<Pattern>,
}

/// Splits `--select A,B --select C` values into patterns.
pub fn patterns(values: &[String], source: &str) -> Vec<Pattern> {
    values
        .iter()
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(|t| Pattern {
            text: t.to_string(),
            source: source.to_string(),
        })
        .collect()
}

impl Selection {
    pub fn is_empty(&self) -> bool {
        self.select.is_empty() && self.ignore.is_empty()
    }

    /// The patterns that name no rule, as `source PATTERN`: an error, since a misspelt id
    /// would otherwise select or ignore nothing without a word.
    pub fn unknown(&self, rules: &RuleSet) -> Vec<String> {
        self.unknown_among(
            &rules
                .rules
                .iter()
                .map(|r| r.id.as_str())
                .collect::<Vec<_>>(),
        )
    }

    /// The patterns that name none of `ids` (every rule a run knows: the payload tables'
    /// and the spec editor's), as [`Selection::unknown`] gives them.
    pub fn unknown_among(&self, ids: &[&str]) -> Vec<String> {
        self.select
            .iter()
            .chain(&self.ignore)
            .filter(|p| !ids.iter().any(|id| p.matches(id)))
            .map(|p| format!("{} {}", p.source, p.text))
            .collect()
    }

    /// Why the rule is left out, or None when it is selected.
    pub fn why_not(&self, id: &str) -> Option<String> {
        let selected = longest_match(&self.select, id);
        if let Some(ignored) = longest_match(&self.ignore, id) {
            if selected.is_none_or(|s| s.text.len() <= ignored.text.len()) {
                return Some(format!(
                    "not selected ({} {})",
                    ignored.source, ignored.text
                ));
            }
        }
        if !self.select.is_empty() && selected.is_none() {
            let mut sources: Vec<&str> = self.select.iter().map(|p| p.source.as_str()).collect();
            sources.dedup();
            let listed: Vec<&str> = self.select.iter().map(|p| p.text.as_str()).collect();
            return Some(format!(
                "not selected ({} {}: matches none)",
                sources.join(", "),
                listed.join(", ")
            ));
        }
        None
    }
}

/// The longest pattern of a list that names the rule.
fn longest_match<'p>(list: &'p [Pattern], id: &str) -> Option<&'p Pattern> {
    list.iter()
        .filter(|p| p.matches(id))
        .max_by_key(|p| p.text.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sel(select: &[&str], ignore: &[&str]) -> Selection {
        let owned = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        Selection {
            select: patterns(&owned(select), "--select"),
            ignore: patterns(&owned(ignore), "--ignore"),
        }
    }

    #[test]
    fn the_more_specific_pattern_wins() {
        let s = sel(&["MCV-CSK-10"], &["MCV-"]);
        assert_eq!(s.why_not("MCV-CSK-10"), None);
        assert_eq!(
            s.why_not("MCV-CSK-01").as_deref(),
            Some("not selected (--ignore MCV-)")
        );
        assert_eq!(
            s.why_not("XML-WF-01").as_deref(),
            Some("not selected (--select MCV-CSK-10: matches none)")
        );
        let s = sel(&["mcv-"], &["MCV-"]);
        assert!(s.why_not("MCV-CSK-01").is_some(), "a tie goes to ignore");
        let s = sel(&[], &["crypto-psk-01,  XML-"]);
        assert!(s.why_not("CRYPTO-PSK-01").is_some());
        assert!(s.why_not("XML-WF-01").is_some());
        assert_eq!(s.why_not("CRYPTO-PSK-02"), None);
    }
}

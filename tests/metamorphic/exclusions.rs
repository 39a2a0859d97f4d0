//! The reviewed list of relations a rule cannot keep (`tests/metamorphic-exclusions.yaml`):
//! each entry excuses the differences of some rules, on some vectors, under some variants of
//! one relation, and says why. An entry that excuses nothing in a full run is stale and fails
//! the test, so the list shrinks as the engine is fixed.

use serde::Deserialize;
use std::sync::atomic::{AtomicBool, Ordering};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    exclusions: Vec<Entry>,
}

/// One excused difference.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// `carrier`, `spelling` or `mutation`.
    pub relation: String,
    /// Variant names (carriers or spellings); empty: every variant.
    #[serde(default)]
    pub variants: Vec<String>,
    /// Vector name prefixes (`xml::fdt::`); empty: every vector.
    #[serde(default)]
    pub vectors: Vec<String>,
    /// Rule ids whose outcome may differ; empty: every rule.
    #[serde(default)]
    pub rules: Vec<String>,
    pub reason: String,
    #[serde(skip)]
    used: AtomicBool,
}

pub struct Exclusions {
    entries: Vec<Entry>,
}

const RELATIONS: &[&str] = &["carrier", "spelling", "mutation"];

impl Exclusions {
    pub fn load(path: &std::path::Path) -> Result<Exclusions, String> {
        let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        Exclusions::parse(&text).map_err(|e| format!("{}: {e}", path.display()))
    }

    pub fn parse(text: &str) -> Result<Exclusions, String> {
        let file: File = serde_yaml::from_str(text).map_err(|e| e.to_string())?;
        for e in &file.exclusions {
            if !RELATIONS.contains(&e.relation.as_str()) {
                return Err(format!("unknown relation '{}'", e.relation));
            }
            if e.reason.trim().is_empty() {
                return Err("an exclusion without a reason".into());
            }
        }
        Ok(Exclusions {
            entries: file.exclusions,
        })
    }

    /// The entry that excuses `rule` differing on `vector` under `variant`, marked used.
    pub fn excuse(
        &self,
        relation: &str,
        variant: &str,
        vector: &str,
        rule: &str,
    ) -> Option<&Entry> {
        let hit = self.entries.iter().find(|e| {
            e.relation == relation
                && (e.variants.is_empty() || e.variants.iter().any(|v| v == variant))
                && (e.vectors.is_empty() || e.vectors.iter().any(|p| vector.starts_with(p)))
                && (e.rules.is_empty() || e.rules.iter().any(|r| r == rule))
        })?;
        hit.used.store(true, Ordering::Relaxed);
        Some(hit)
    }

    /// Entries that excused nothing.
    pub fn stale(&self) -> Vec<&Entry> {
        self.entries
            .iter()
            .filter(|e| !e.used.load(Ordering::Relaxed))
            .collect()
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }
}

impl std::fmt::Display for Entry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let or_all = |l: &[String]| {
            if l.is_empty() {
                "*".to_string()
            } else {
                l.join(",")
            }
        };
        write!(
            f,
            "{} variants={} vectors={} rules={} ({})",
            self.relation,
            or_all(&self.variants),
            or_all(&self.vectors),
            or_all(&self.rules),
            self.reason
        )
    }
}

//! Rule tables: the spec's requirements as data (`rules/*.yaml`). A malformed table, an
//! unknown check or a bad reference is a startup error naming the file and line.

use crate::finding::{Level, Severity, Status};
use crate::settings::Settings;
use serde::Deserialize;
use std::collections::BTreeSet;
use std::fmt;

pub use crate::checks::selector::Selector;

/// The spec and clause a rule comes from.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Clause {
    pub spec: String,
    pub section: String,
}

impl fmt::Display for Clause {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.spec, self.section)
    }
}

pub use crate::checks::kind::{Check, Domain};

/// One rule: a requirement of a clause, made checkable.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    pub id: String,
    pub title: String,
    pub requirement: Vec<String>,
    pub clause: Clause,
    /// The clause's own words (short quotation), shown by `explain` and in text output.
    pub clause_text: String,
    pub level: Level,
    pub severity: Severity,
    pub status: Status,
    /// Payload kinds the rule applies to.
    pub applies_to: Vec<String>,
    /// Written as a one-key map: `check: {placement: {...}}`.
    pub check: Check,
    /// The finding's message; `{name}` placeholders are filled by the check.
    pub message: String,
    /// For provisional rules: what the rule assumes that no source confirms yet.
    #[serde(default)]
    pub assumes: Option<String>,
    /// Where facts beyond the clause came from.
    #[serde(default)]
    pub source: Option<String>,
    /// The role or optional features the rule concerns (`--profile`, src/profile.rs): under a
    /// profile that does not declare them the rule is not applicable.
    #[serde(default)]
    pub requires: Option<crate::profile::Requires>,
}

impl Rule {
    /// The party a finding of this rule blames: the roles it `requires`, joined with "or".
    pub fn party(&self) -> Option<String> {
        self.requires
            .as_ref()
            .filter(|r| !r.roles.is_empty())
            .map(|r| r.roles.join(" or "))
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFile {
    rules: Vec<Rule>,
}

/// A rule table that could not be used.
#[derive(Debug, thiserror::Error)]
#[error("{file}:{line}:{column}: {message}")]
pub struct RuleError {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

/// A check's errors are raised once its whole map is read, so the YAML parser places them at
/// the rule's start; this finds the `check:` line after `from_line` instead (1-based line and
/// column), so the error names the line to fix.
fn check_position(text: &str, message: &str, from_line: usize) -> Option<(usize, usize)> {
    let is_check_error = message.contains("unknown variant `")
        || crate::checks::kind::REGISTRY
            .iter()
            .any(|(n, _)| message.contains(&format!("{n}: ")));
    if !is_check_error {
        return None;
    }
    text.lines()
        .enumerate()
        .skip(from_line.saturating_sub(1))
        .find_map(|(i, l)| l.find("check:").map(|c| (i + 1, c + 1)))
}

/// Lists the built-in tables once: their YAML text (`BUILTIN_TABLES`) and the JSON form
/// build.rs made of each (`BUILTIN_COMPACT`), by the same names.
macro_rules! builtin_tables {
    ($($name:literal),* $(,)?) => {
        /// The rule tables built into the binary.
        pub const BUILTIN_TABLES: &[(&str, &str)] = &[
            $((concat!("rules/", $name, ".yaml"), include_str!(concat!("../rules/", $name, ".yaml")))),*
        ];
        /// The built-in tables as build.rs parsed them (JSON), by name.
        const BUILTIN_COMPACT: &[(&str, &str)] = &[
            $((concat!("rules/", $name, ".yaml"), include_str!(concat!(env!("OUT_DIR"), "/", $name, ".json")))),*
        ];
    };
}

builtin_tables!(
    "xml-structure",
    "bcast-xml",
    "mbms-xml",
    "mikey-structure",
    "mikey-profiles",
    "exchange",
    "trace",
    "fdt",
    "crypto",
    "mcx-xml",
    "sip-structure",
    "mcvideo-sip",
    "cpns",
    "capture",
);

/// The build-time JSON form of a table, when `text` is exactly a built-in table's: it reads
/// several times faster than the YAML. Any other text (`--rules DIR`) is read as YAML, with
/// line and column in its errors.
fn compact_form(file: &str, text: &str) -> Option<&'static str> {
    let builtin = BUILTIN_TABLES.iter().any(|(n, t)| *n == file && *t == text);
    if !builtin {
        return None;
    }
    BUILTIN_COMPACT
        .iter()
        .find(|(n, _)| *n == file)
        .map(|(_, j)| *j)
}

/// A table to load: its name, its text, and its build-time JSON form when it is built in.
struct Table<'t> {
    file: &'t str,
    text: &'t str,
    compact: Option<&'static str>,
}

impl Table<'_> {
    fn parse(&self) -> Result<RuleFile, RuleError> {
        let (file, text) = (self.file, self.text);
        if let Some(json) = self.compact {
            return serde_json::from_str(json).map_err(|e| RuleError {
                file: file.to_string(),
                line: 0,
                column: 0,
                message: format!("(built-in form) {e}"),
            });
        }
        crate::yaml::guard(text).map_err(|e| RuleError {
            file: file.to_string(),
            line: e.line.unwrap_or(0),
            column: e.column.unwrap_or(0),
            message: e.message,
        })?;
        serde_yaml::from_str(text).map_err(|e| {
            let (line, column) = e.location().map_or((0, 0), |l| (l.line(), l.column()));
            let (line, column) =
                check_position(text, &e.to_string(), line).unwrap_or((line, column));
            RuleError {
                file: file.to_string(),
                line,
                column,
                message: e.to_string(),
            }
        })
    }
}

/// All rules, in table order.
#[derive(Debug, Clone)]
pub struct RuleSet {
    pub rules: Vec<Rule>,
}

impl RuleSet {
    /// Loads tables given as (name, text), checking them against the settings.
    pub fn load(tables: &[(String, String)], settings: &Settings) -> Result<RuleSet, RuleError> {
        let tables: Vec<Table> = tables
            .iter()
            .map(|(file, text)| Table {
                file,
                text,
                compact: compact_form(file, text),
            })
            .collect();
        Self::load_tables(&tables, settings)
    }

    fn load_tables(tables: &[Table], settings: &Settings) -> Result<RuleSet, RuleError> {
        // The tables are independent: one thread reads the second half while this one
        // reads the first (reading is most of the start-up of a one-file check), then they
        // are checked in order.
        let size = |t: &Table| t.compact.unwrap_or(t.text).len();
        let half = tables.iter().map(size).sum::<usize>() / 2;
        let mut read = 0;
        let at = tables
            .iter()
            .position(|t| {
                read += size(t);
                read >= half
            })
            .map_or(tables.len(), |i| i + 1);
        let (first, second) = tables.split_at(at);
        let parsed: Vec<Result<RuleFile, RuleError>> = std::thread::scope(|scope| {
            let helper = scope.spawn(|| second.iter().map(Table::parse).collect::<Vec<_>>());
            let mut parsed: Vec<_> = first.iter().map(Table::parse).collect();
            match helper.join() {
                Ok(rest) => parsed.extend(rest),
                // A panic reading a table (a bug): read them here instead, to report it.
                Err(_) => parsed.extend(second.iter().map(Table::parse)),
            }
            parsed
        });
        let mut rules: Vec<Rule> = Vec::new();
        let mut seen = BTreeSet::new();
        for (table, parsed) in tables.iter().zip(parsed) {
            let (file, text) = (table.file, table.text);
            let parsed = parsed?;
            for rule in parsed.rules {
                let at = |message: String| {
                    let line = text
                        .lines()
                        .position(|l| {
                            l.trim_start()
                                .trim_start_matches("- ")
                                .starts_with(&format!("id: {}", rule.id))
                        })
                        .map_or(0, |i| i + 1);
                    RuleError {
                        file: file.to_string(),
                        line,
                        column: 1,
                        message: format!("rule {}: {message}", rule.id),
                    }
                };
                if !seen.insert(rule.id.clone()) {
                    return Err(at("duplicate rule id".into()));
                }
                for kind in &rule.applies_to {
                    if kind != "any"
                        && settings.kind(kind).is_none()
                        && !settings.is_mikey_kind(kind)
                        && !settings.is_capture_kind(kind)
                    {
                        return Err(at(format!("applies_to names unknown kind '{kind}'")));
                    }
                }
                if let Err(e) = rule.check.kind().validate(settings) {
                    return Err(at(e));
                }
                if let Some(reading) = rule.check.kind().needs().provisional_reading {
                    if rule.status == Status::Confirmed {
                        return Err(at(format!(
                            "check {} rests on a provisional reading ({reading}); the rule must be status: provisional",
                            rule.check.name()
                        )));
                    }
                }
                for sel in rule.check.kind().selectors() {
                    if sel.prefix != "*" && !settings.prefixes.contains_key(&sel.prefix) {
                        return Err(at(format!("selector '{sel}' uses prefix '{}', which settings.prefixes does not define", sel.prefix)));
                    }
                }
                if rule.status == Status::Provisional && rule.assumes.is_none() {
                    return Err(at(
                        "a provisional rule must say what it assumes (assumes:)".into()
                    ));
                }
                if let Some(Err(e)) = rule.requires.as_ref().map(|r| r.validate()) {
                    return Err(at(e));
                }
                if rule.requirement.is_empty() {
                    return Err(at("a rule must cite at least one requirement".into()));
                }
                rules.push(rule);
            }
        }
        Ok(RuleSet { rules })
    }

    /// The built-in tables.
    pub fn builtin(settings: &Settings) -> Result<RuleSet, RuleError> {
        let tables: Vec<Table> = BUILTIN_TABLES
            .iter()
            .map(|(file, text)| Table {
                file,
                text,
                compact: BUILTIN_COMPACT
                    .iter()
                    .find(|(n, _)| n == file)
                    .map(|(_, j)| *j),
            })
            .collect();
        Self::load_tables(&tables, settings)
    }

    pub fn get(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.id == id)
    }
}

impl Rule {
    /// Whether the rule applies to an input read as all of `kinds` (one kind, or the two
    /// kinds an ambiguous response could be: then only rules for both apply).
    pub fn applies(&self, kinds: &[String]) -> bool {
        self.applies_to.iter().any(|k| k == "any")
            || kinds.iter().all(|k| self.applies_to.contains(k))
    }
}

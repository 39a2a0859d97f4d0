//! The configuration a run starts from: `mikeyconf.toml` (found the way ruff finds
//! `ruff.toml`), the profile and the rule selection, with the command line winning over the file.
//!
//! Discovery: without `--config FILE` or `--no-config`, the current folder and then each of its
//! parents, up to the filesystem root, is searched for a file named `mikeyconf.toml`; the first
//! found is used, and none found means no configuration. Paths inside the file (`profile`) are
//! relative to the file's folder.

use crate::profile::Profile;
use crate::rules::RuleSet;
use crate::selection::{patterns, Selection};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The file name searched for.
pub const FILE_NAME: &str = "mikeyconf.toml";

/// Where a [`Config`](crate::Config) comes from, and what overrides the file's own choices.
///
/// # Examples
///
/// ```
/// let mut options = mikeyconf::ConfigOptions::default();
/// options.no_file = true;
/// options.ignore = vec!["MBMS-KEY-03".into()];
/// let config = mikeyconf::Config::load(&options)?;
/// assert_eq!(config.file(), None);
/// # Ok::<(), mikeyconf::Error>(())
/// ```
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct ConfigOptions {
    /// This file instead of the `mikeyconf.toml` found from the working folder upwards.
    pub file: Option<PathBuf>,
    /// No file at all (any `mikeyconf.toml` is ignored).
    pub no_file: bool,
    /// An implementation profile (docs/profiles.md), instead of the file's `profile`.
    pub profile: Option<PathBuf>,
    /// Rule ids or id prefixes to check, comma-separated or one per entry: they replace the
    /// file's `select`.
    pub select: Vec<String>,
    /// Rule ids or id prefixes to leave out: added to the file's `ignore`.
    pub ignore: Vec<String>,
}

/// `mikeyconf.toml` as written. Unknown keys are an error naming their line.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigFile {
    /// Settings, merged over the defaults like a `--settings` file.
    settings: Option<toml::Table>,
    /// A profile file, relative to the config file.
    profile: Option<String>,
    select: Option<Vec<String>>,
    ignore: Option<Vec<String>>,
    /// The output format of `check` (text, json, junit, sarif, github, …).
    format: Option<String>,
    strict: Option<bool>,
    /// Rules left out for the inputs a glob matches (src/per_file_ignores.rs).
    #[serde(rename = "per-file-ignores")]
    per_file_ignores: Option<BTreeMap<String, Vec<String>>>,
}

/// The configuration of a run, file and command line merged.
#[derive(Debug, Clone, Default)]
pub struct Resolved {
    /// The config file used, as shown in reports (`mikeyconf.toml`, `../mikeyconf.toml`).
    pub config: Option<String>,
    /// The file's `[settings]`, as (name, YAML text): the layer under `--settings`.
    pub settings_layer: Option<(String, String)>,
    pub profile: Option<Profile>,
    pub selection: Selection,
    /// The file's `format`, for when the command line names none.
    pub format: Option<String>,
    /// The file's `strict`.
    pub strict: bool,
    /// The file's `[per-file-ignores]`.
    pub per_file_ignores: crate::per_file_ignores::PerFileIgnores,
}

/// Finds the config file, reads it and merges the command line over it.
pub fn resolve(args: &ConfigOptions) -> Result<Resolved, String> {
    let found = match (&args.file, args.no_file) {
        (Some(p), _) => Some((p.clone(), p.display().to_string())),
        (None, true) => None,
        (None, false) => {
            let cwd = std::env::current_dir().map_err(|e| format!("current folder: {e}"))?;
            discover(&cwd)
        }
    };
    let mut resolved = Resolved::default();
    let mut file = ConfigFile::default();
    let mut profile_path = None;
    if let Some((path, shown)) = &found {
        let text = crate::bounded::read_text(path, shown, crate::bounded::CONFIG_FILE)?;
        file = toml::from_str(&text).map_err(|e| toml_error(shown, &text, &e))?;
        if let Some(table) = file.settings.take() {
            let json = serde_json::to_string(&table).map_err(|e| format!("{shown}: {e}"))?;
            resolved.settings_layer = Some((format!("{shown} [settings]"), json));
        }
        if let Some(p) = &file.profile {
            let dir = path.parent().unwrap_or(Path::new(""));
            let shown_dir = Path::new(shown).parent().unwrap_or(Path::new(""));
            profile_path = Some((dir.join(p), shown_dir.join(p).display().to_string()));
        }
        if let Some(table) = &file.per_file_ignores {
            let base = match path.parent() {
                Some(p) if !p.as_os_str().is_empty() => p,
                _ => Path::new("."),
            };
            resolved.per_file_ignores =
                crate::per_file_ignores::PerFileIgnores::new(base, table, shown)?;
        }
        resolved.config = Some(shown.clone());
    }
    if let Some(p) = &args.profile {
        profile_path = Some((p.clone(), p.display().to_string()));
    }
    if let Some((path, shown)) = profile_path {
        resolved.profile = Some(Profile::load(&path, &shown)?);
    }
    let in_file = |key: &str| match &resolved.config {
        Some(c) => format!("{c} {key}"),
        None => key.to_string(),
    };
    resolved.selection = Selection {
        select: if args.select.is_empty() {
            patterns(&file.select.unwrap_or_default(), &in_file("select"))
        } else {
            patterns(&args.select, "--select")
        },
        ignore: patterns(&file.ignore.unwrap_or_default(), &in_file("ignore"))
            .into_iter()
            .chain(patterns(&args.ignore, "--ignore"))
            .collect(),
    };
    resolved.format = file.format;
    resolved.strict = file.strict.unwrap_or(false);
    Ok(resolved)
}

/// The nearest `mikeyconf.toml` from `start` upwards, with the path to show for it
/// (relative to `start`: `mikeyconf.toml`, `../mikeyconf.toml`, …).
pub fn discover(start: &Path) -> Option<(PathBuf, String)> {
    let mut up = String::new();
    for dir in start.ancestors() {
        let candidate = dir.join(FILE_NAME);
        if candidate.is_file() {
            return Some((candidate, format!("{up}{FILE_NAME}")));
        }
        up.push_str("../");
    }
    None
}

/// A TOML error as `file:line:column: message`.
fn toml_error(shown: &str, text: &str, e: &toml::de::Error) -> String {
    let (line, column) = e.span().map_or((0, 0), |s| line_column(text, s.start));
    // Never the value (a config file named by mistake may hold a key): the message only.
    let message = crate::yaml::redact(e.message().trim_end());
    format!("{shown}:{line}:{column}: {message}")
}

/// 1-based line and column (in characters) of a byte offset.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

impl Resolved {
    /// The rules this run leaves out, with the reason each is not applicable: not selected,
    /// or not concerning the profile's role and options. The spec editor's rules
    /// (`mikeyconf spec`) are selected like the payload rules, so one selection means the
    /// same to `check` and `spec`. Unknown ids in the selection are an error naming them.
    pub fn exclusions(&self, rules: &RuleSet) -> Result<BTreeMap<String, String>, String> {
        let spec_rules = crate::spec::rules::all();
        let known: Vec<&str> = rules
            .rules
            .iter()
            .map(|r| r.id.as_str())
            .chain(spec_rules.iter().map(|r| r.id.as_str()))
            .collect();
        let mut unknown = self.selection.unknown_among(&known);
        unknown.extend(self.per_file_ignores.unknown(rules));
        if !unknown.is_empty() {
            return Err(format!(
                "no rule has the id or id prefix {} (see `mikeyconf rules`)",
                unknown
                    .iter()
                    .map(|u| match u.rsplit_once(' ') {
                        // "--select ID": the id only when it looks like one, never a key.
                        Some((from, id)) =>
                            format!("{from} {}", crate::yaml::shown_name(id, ' ').trim()),
                        None => crate::yaml::shown_name(u, ' ').trim().to_string(),
                    })
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        let mut out = BTreeMap::new();
        for r in &rules.rules {
            let why = self.selection.why_not(&r.id).or_else(|| {
                let (p, req) = (self.profile.as_ref()?, r.requires.as_ref()?);
                p.why_not(req)
            });
            if let Some(why) = why {
                out.insert(r.id.clone(), why);
            }
        }
        for r in spec_rules {
            if let Some(why) = self.selection.why_not(&r.id) {
                out.insert(r.id.clone(), why);
            }
        }
        Ok(out)
    }

    /// What reports say of the run's configuration.
    pub fn run_info(&self) -> crate::render::RunInfo {
        crate::render::RunInfo {
            profile: self.profile.clone(),
            config: self.config.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toml_errors_name_the_line() {
        let text = "select = [\"XML-\"]\ncolour = true\n";
        let e = toml::from_str::<ConfigFile>(text).unwrap_err();
        let shown = toml_error("mikeyconf.toml", text, &e);
        assert!(
            shown.starts_with("mikeyconf.toml:2:1: unknown field `colour`"),
            "{shown}"
        );
    }
}

//! [`EngineBuilder`]: an engine from settings, rule tables, a profile, a keyring and a
//! selection of rules, each given as a file or as text. The internal types they become
//! (`Settings`, `RuleSet`, `Profile`, `Keyring`, `Selection`) stay out of the stable API.

use super::{Engine, Error};
use crate::bounded;
use crate::rules::RuleSet;
use crate::settings::Settings;
use std::path::{Path, PathBuf};

/// A file, or text with the name errors call it by.
#[derive(Debug, Clone)]
enum Source {
    File(PathBuf),
    Text { name: String, text: String },
}

impl Source {
    /// The text and its name; a file is read within the configuration files' size limit.
    fn read(&self, error: fn(String) -> Error) -> Result<(String, String), Error> {
        match self {
            Source::File(path) => {
                let shown = path.display().to_string();
                let text = bounded::read_text(path, &shown, bounded::CONFIG_FILE).map_err(error)?;
                Ok((shown, text))
            }
            Source::Text { name, text } => Ok((name.clone(), text.clone())),
        }
    }
}

/// Builds an [`Engine`]: the built-in settings and rule tables unless told otherwise.
///
/// # Examples
///
/// ```
/// use mikeyconf::Engine;
///
/// let engine = Engine::builder()
///     .settings_yaml("my settings", "limits:\n  max_findings: 20\n")
///     .set("bcast_children_form", "unqualified")
///     .profile_yaml("terminal.yaml", "role: terminal\n")
///     .ignore("MBMS-KEY-03")
///     .strict(true)
///     .build()?;
/// let report = engine.check_bytes("r.xml", b"<mbmsMSKRequest/>", None);
/// assert!(report.rule_outcomes().iter().any(|o| o.rule == "MBMS-KEY-03" && !o.applied()));
/// # Ok::<(), mikeyconf::Error>(())
/// ```
#[derive(Debug, Clone, Default)]
#[must_use = "a builder does nothing until `build` is called"]
pub struct EngineBuilder {
    settings: Vec<Source>,
    assignments: Vec<String>,
    rules_dir: Option<PathBuf>,
    profile: Option<Source>,
    keyring: Option<Source>,
    select: Vec<String>,
    ignore: Vec<String>,
    strict: bool,
    trace_root: Option<PathBuf>,
    config: Option<super::Config>,
    digest_credentials: Vec<(String, String)>,
    leave_trees_to_exit: bool,
}

impl EngineBuilder {
    /// A builder of the built-in engine.
    ///
    /// # Examples
    ///
    /// ```
    /// let engine = mikeyconf::EngineBuilder::new().build()?;
    /// # Ok::<(), mikeyconf::Error>(())
    /// ```
    pub fn new() -> EngineBuilder {
        EngineBuilder::default()
    }

    /// A YAML settings file, merged over the defaults (`rules/settings.yaml`) and any earlier
    /// settings file; a later one wins.
    ///
    /// # Examples
    ///
    /// ```
    /// let err = mikeyconf::Engine::builder().settings_file("no/such.yaml").build().unwrap_err();
    /// assert!(matches!(err, mikeyconf::Error::Settings(_)));
    /// ```
    pub fn settings_file(mut self, path: impl AsRef<Path>) -> Self {
        self.settings
            .push(Source::File(path.as_ref().to_path_buf()));
        self
    }

    /// Settings as YAML text, as [`EngineBuilder::settings_file`]; `name` names it in errors.
    ///
    /// # Examples
    ///
    /// ```
    /// let engine = mikeyconf::Engine::builder()
    ///     .settings_yaml("inline", "limits:\n  max_findings: 5\n")
    ///     .build()?;
    /// # Ok::<(), mikeyconf::Error>(())
    /// ```
    pub fn settings_yaml(mut self, name: impl Into<String>, yaml: impl Into<String>) -> Self {
        let (name, text) = (name.into(), yaml.into());
        self.settings.push(Source::Text { name, text });
        self
    }

    /// One setting, as `mikeyconf --set KEY=VALUE`: applied after every settings file.
    ///
    /// # Examples
    ///
    /// ```
    /// let engine = mikeyconf::Engine::builder().set("limits.max_findings", "5").build()?;
    /// # Ok::<(), mikeyconf::Error>(())
    /// ```
    pub fn set(mut self, key: &str, value: &str) -> Self {
        self.assignments.push(format!("{key}={value}"));
        self
    }

    /// One setting written `KEY=VALUE`, as `mikeyconf --set` takes it; one without `=` is
    /// an error when the engine is built.
    ///
    /// # Examples
    ///
    /// ```
    /// let engine = mikeyconf::Engine::builder().assignment("limits.max_findings=5").build()?;
    /// let err = mikeyconf::Engine::builder().assignment("limits.max_findings").build();
    /// assert!(matches!(err, Err(mikeyconf::Error::Settings(_))));
    /// # Ok::<(), mikeyconf::Error>(())
    /// ```
    pub fn assignment(mut self, key_equals_value: &str) -> Self {
        self.assignments.push(key_equals_value.to_string());
        self
    }

    /// The rule tables of a folder (every `*.yaml` but `settings.yaml`,
    /// `requirements.yaml` and `profile-options.yaml`) instead of the built-in ones.
    ///
    /// # Examples
    ///
    /// ```
    /// let engine = mikeyconf::Engine::builder().rules_dir("rules").build()?;
    /// # Ok::<(), mikeyconf::Error>(())
    /// ```
    pub fn rules_dir(mut self, dir: impl AsRef<Path>) -> Self {
        self.rules_dir = Some(dir.as_ref().to_path_buf());
        self
    }

    /// The implementation profile (`docs/profiles.md`): the role and options of the
    /// implementation under test. Rules that do not concern it are not applicable.
    ///
    /// # Examples
    ///
    /// ```
    /// let engine = mikeyconf::Engine::builder()
    ///     .profile_file("examples/profiles/bsm.yaml")
    ///     .build()?;
    /// # Ok::<(), mikeyconf::Error>(())
    /// ```
    pub fn profile_file(mut self, path: impl AsRef<Path>) -> Self {
        self.profile = Some(Source::File(path.as_ref().to_path_buf()));
        self
    }

    /// The implementation profile as YAML text; `name` names it in errors and reports.
    ///
    /// # Examples
    ///
    /// ```
    /// let err = mikeyconf::Engine::builder().profile_yaml("p.yaml", "role: nobody\n").build();
    /// assert!(matches!(err, Err(mikeyconf::Error::Profile(_))));
    /// ```
    pub fn profile_yaml(mut self, name: impl Into<String>, yaml: impl Into<String>) -> Self {
        let (name, text) = (name.into(), yaml.into());
        self.profile = Some(Source::Text { name, text });
        self
    }

    /// A keyring of the tester's keys (`docs/keyring.md`), for the cryptographic checks.
    /// Reports show keys' fingerprints only.
    ///
    /// # Examples
    ///
    /// ```
    /// let err = mikeyconf::Engine::builder().keyring_file("no/such/keys.yaml").build();
    /// assert!(matches!(err, Err(mikeyconf::Error::Keyring(_))));
    /// ```
    pub fn keyring_file(mut self, path: impl AsRef<Path>) -> Self {
        self.keyring = Some(Source::File(path.as_ref().to_path_buf()));
        self
    }

    /// A keyring as YAML text; `name` names it in errors.
    ///
    /// # Examples
    ///
    /// ```
    /// let err = mikeyconf::Engine::builder().keyring_yaml("keys", "psk: [").build();
    /// assert!(matches!(err, Err(mikeyconf::Error::Keyring(_))));
    /// ```
    pub fn keyring_yaml(mut self, name: impl Into<String>, yaml: impl Into<String>) -> Self {
        let (name, text) = (name.into(), yaml.into());
        self.keyring = Some(Source::Text { name, text });
        self
    }

    /// Runs only the rules with this id or id prefix (`--select`); may be given again.
    ///
    /// # Examples
    ///
    /// ```
    /// let engine = mikeyconf::Engine::builder().select("MBMS-KEY").build()?;
    /// # Ok::<(), mikeyconf::Error>(())
    /// ```
    pub fn select(mut self, id_or_prefix: &str) -> Self {
        self.select.push(id_or_prefix.to_string());
        self
    }

    /// Leaves out the rules with this id or id prefix (`--ignore`); may be given again.
    ///
    /// # Examples
    ///
    /// ```
    /// let err = mikeyconf::Engine::builder().ignore("NO-SUCH-RULE").build();
    /// assert!(matches!(err, Err(mikeyconf::Error::Selection(_))));
    /// ```
    pub fn ignore(mut self, id_or_prefix: &str) -> Self {
        self.ignore.push(id_or_prefix.to_string());
        self
    }

    /// Provisional rules fail instead of warn (`--strict`).
    ///
    /// # Examples
    ///
    /// ```
    /// let engine = mikeyconf::Engine::builder().strict(true).build()?;
    /// # Ok::<(), mikeyconf::Error>(())
    /// ```
    pub fn strict(mut self, strict: bool) -> Self {
        self.strict = strict;
        self
    }

    /// The folder the files a session trace names may lie in, when wider than the trace's
    /// own (`--trace-root`).
    ///
    /// # Examples
    ///
    /// ```
    /// let engine = mikeyconf::Engine::builder().trace_root("vectors").build()?;
    /// # Ok::<(), mikeyconf::Error>(())
    /// ```
    pub fn trace_root(mut self, dir: impl AsRef<Path>) -> Self {
        self.trace_root = Some(dir.as_ref().to_path_buf());
        self
    }

    /// Digest credentials (a B-TID and its password, the base64 MRK) the HTTP rules verify
    /// responses with, added to the `digest_credentials` setting unless it has some for
    /// that username already (the setting wins).
    ///
    /// # Examples
    ///
    /// ```
    /// let engine = mikeyconf::Engine::builder().digest_credential("tid@bsm", "bXJr").build()?;
    /// # Ok::<(), mikeyconf::Error>(())
    /// ```
    pub fn digest_credential(mut self, username: &str, password: &str) -> Self {
        (self.digest_credentials).push((username.to_string(), password.to_string()));
        self
    }

    /// For a process that exits after one check: a large document's tree is not freed but
    /// left to the exit, which takes the memory back at once (as clang's driver does with
    /// `-disable-free`). Never for an engine that checks many inputs, whose memory must stay
    /// flat.
    ///
    /// # Examples
    ///
    /// ```
    /// let engine = mikeyconf::Engine::builder().leave_trees_to_exit().build()?;
    /// # Ok::<(), mikeyconf::Error>(())
    /// ```
    pub fn leave_trees_to_exit(mut self) -> Self {
        self.leave_trees_to_exit = true;
        self
    }

    /// A run's configuration ([`Config`](super::Config), a `mikeyconf.toml`): its settings
    /// lie under every settings file given here; its profile holds unless one is given here;
    /// its selection holds, [`EngineBuilder::select`] replacing its `select` and
    /// [`EngineBuilder::ignore`] adding to its `ignore`; its `strict` holds when set; its
    /// profile and file name are in every report, and its per-file ignores apply to every
    /// input the engine checks.
    ///
    /// # Examples
    ///
    /// ```
    /// use mikeyconf::{Config, ConfigOptions, Engine};
    /// let mut options = ConfigOptions::default();
    /// options.no_file = true;
    /// options.select = vec!["MBMS-KEY-03".into()];
    /// let config = Config::load(&options)?;
    /// let engine = Engine::builder().config(&config).build()?;
    /// let applied = engine.rules().into_iter().filter(|r| r.left_out.is_none()).count();
    /// assert_eq!(applied, 1);
    /// # Ok::<(), mikeyconf::Error>(())
    /// ```
    pub fn config(mut self, config: &super::Config) -> Self {
        self.config = Some(config.clone());
        self
    }

    /// The engine: settings, keyring, rules, profile and selection read and checked, the
    /// schemas compiled.
    ///
    /// # Examples
    ///
    /// ```
    /// let engine = mikeyconf::Engine::builder().build()?;
    /// # Ok::<(), mikeyconf::Error>(())
    /// ```
    pub fn build(self) -> Result<Engine, Error> {
        let config = self.config.clone().unwrap_or_default().resolved;
        let mut layers = Vec::new();
        layers.extend(config.settings_layer.clone());
        for s in &self.settings {
            layers.push(s.read(Error::Settings)?);
        }
        let layers: Vec<(&str, &str)> = (layers.iter())
            .map(|(n, t)| (n.as_str(), t.as_str()))
            .collect();
        let mut settings = Settings::load_layers(&layers, &self.assignments)
            .map_err(|e| Error::Settings(e.to_string()))?;
        for (username, password) in &self.digest_credentials {
            let creds = &mut settings.digest_credentials;
            if !creds.iter().any(|c| &c.username == username) {
                creds.push(crate::settings::DigestCredential {
                    username: username.clone(),
                    password: password.clone(),
                });
            }
        }
        if let Some(source) = &self.keyring {
            let ring = match source {
                Source::File(path) => crate::keyring::load(path),
                Source::Text { name, text } => crate::keyring::parse(text, name),
            };
            let ring = ring.map_err(|e| Error::Keyring(e.to_string()))?;
            settings.keys = Some(std::sync::Arc::new(ring));
        }
        let rules = match &self.rules_dir {
            Some(dir) => rules_from_dir(dir, &settings).map_err(Error::Rules)?,
            None => RuleSet::builtin(&settings).map_err(|e| Error::Rules(e.to_string()))?,
        };
        let profile = match &self.profile {
            Some(source) => {
                let (name, text) = source.read(Error::Profile)?;
                Some(crate::profile::Profile::parse(&name, &text).map_err(Error::Profile)?)
            }
            None => config.profile.clone(),
        };
        let patterns = crate::selection::patterns;
        let mut selection = config.selection.clone();
        if !self.select.is_empty() {
            selection.select = patterns(&self.select, "select");
        }
        selection.ignore.extend(patterns(&self.ignore, "ignore"));
        let resolved = crate::config::Resolved {
            profile,
            selection,
            ..config
        };
        let excluded = resolved.exclusions(&rules).map_err(Error::Selection)?;
        let strict = self.strict || resolved.strict;
        let mut engine = crate::engine::Engine::new(settings, rules, strict)
            .map_err(|e| Error::Schemas(e.to_string()))?;
        engine.exclude(excluded);
        let run = resolved.run_info();
        engine.judge_for(resolved.profile);
        if let Some(root) = self.trace_root {
            engine.widen_trace_root(root);
        }
        if self.leave_trees_to_exit {
            engine.leave_trees_to_exit();
        }
        let mut engine = Engine::from_internal(engine);
        engine.run = run;
        engine.per_file_ignores = resolved.per_file_ignores;
        Ok(engine)
    }
}

/// The rule tables of a folder: every `*.yaml` in it but the settings, the requirements
/// catalogue and the profile options, in name order (`mikeyconf --rules DIR`). Not part of
/// the stable API: the command line's `--rules` reads through it.
#[doc(hidden)]
pub fn rules_from_dir(dir: &Path, settings: &Settings) -> Result<RuleSet, String> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.extension().is_some_and(|x| x == "yaml")
                && p.file_name().is_some_and(|n| {
                    n != "settings.yaml" && n != "requirements.yaml" && n != "profile-options.yaml"
                })
        })
        .collect();
    files.sort();
    let mut tables = Vec::new();
    for f in files {
        let text = bounded::read_text(&f, &f.display().to_string(), bounded::CONFIG_FILE)?;
        tables.push((f.display().to_string(), text));
    }
    if tables.is_empty() {
        return Err(format!("{}: no rule tables (*.yaml) there", dir.display()));
    }
    RuleSet::load(&tables, settings).map_err(|e| e.to_string())
}

/// Registers work for a large document's prescan thread to do once the prescan is done,
/// while the tree parser still runs on the other core; the flag it is given stays true until
/// the parser is done. The command line registers one that faults in the parser's node
/// memory (its `prefault.rs`). The first registration holds.
///
/// # Examples
///
/// ```
/// use std::sync::atomic::{AtomicBool, Ordering};
/// fn wait_for_the_parser(parsing: &AtomicBool) {
///     while parsing.load(Ordering::Relaxed) {
///         std::thread::yield_now();
///     }
/// }
/// mikeyconf::set_after_prescan(wait_for_the_parser);
/// ```
pub fn set_after_prescan(work: fn(&std::sync::atomic::AtomicBool)) {
    crate::xml::set_after_prescan(work);
}

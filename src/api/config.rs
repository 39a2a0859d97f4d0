//! [`Config`]: a run's configuration as the command line takes it: `mikeyconf.toml` (found
//! from the working folder upwards, as ruff finds `ruff.toml`), with a profile and a rule
//! selection given beside it winning over the file's. An [`EngineBuilder`](crate::EngineBuilder)
//! takes it with [`EngineBuilder::config`](crate::EngineBuilder::config).

use super::Error;
pub use crate::config::ConfigOptions;

/// A run's configuration: the config file's settings layer, profile, selection, output
/// format, `strict` and per-file ignores, the options of [`ConfigOptions`] over it.
///
/// # Examples
///
/// ```
/// use mikeyconf::{Config, ConfigOptions, Engine};
/// let dir = std::env::temp_dir().join(format!("mikeyconf-config-doc-{}", std::process::id()));
/// std::fs::create_dir_all(&dir)?;
/// let file = dir.join("mikeyconf.toml");
/// std::fs::write(&file, "format = \"sarif\"\nstrict = true\nignore = [\"MBMS-KEY-03\"]\n")?;
/// let mut options = ConfigOptions::default();
/// options.file = Some(file);
/// let config = Config::load(&options)?;
/// assert_eq!((config.format(), config.strict()), (Some("sarif"), true));
/// let engine = Engine::builder().config(&config).build()?;
/// let rule = engine.rules().into_iter().find(|r| r.id == "MBMS-KEY-03").unwrap();
/// assert!(rule.left_out.is_some());
/// # std::fs::remove_dir_all(&dir)?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct Config {
    pub(crate) resolved: crate::config::Resolved,
}

impl Config {
    /// Finds and reads the config file as `options` say, and merges the options over it.
    /// Errors name the file, the line and the key (never a value).
    ///
    /// # Examples
    ///
    /// ```
    /// use mikeyconf::{Config, ConfigOptions};
    /// let mut options = ConfigOptions::default();
    /// options.file = Some("no/such/mikeyconf.toml".into());
    /// assert!(matches!(Config::load(&options), Err(mikeyconf::Error::Config(_))));
    /// ```
    pub fn load(options: &ConfigOptions) -> Result<Config, Error> {
        let resolved = crate::config::resolve(options).map_err(Error::Config)?;
        Ok(Config { resolved })
    }

    /// The config file used, as reports show it (`mikeyconf.toml`, `../mikeyconf.toml`).
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(mikeyconf::Config::default().file(), None);
    /// ```
    pub fn file(&self) -> Option<&str> {
        self.resolved.config.as_deref()
    }

    /// The file's output format (`format = "sarif"`), for when the command line names none.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(mikeyconf::Config::default().format(), None);
    /// ```
    pub fn format(&self) -> Option<&str> {
        self.resolved.format.as_deref()
    }

    /// The file's `strict`: provisional rules fail instead of warning.
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(!mikeyconf::Config::default().strict());
    /// ```
    pub fn strict(&self) -> bool {
        self.resolved.strict
    }

    /// The role of the implementation profile, when there is one (`bsm`, `terminal`, …).
    ///
    /// # Examples
    ///
    /// ```
    /// let mut config = mikeyconf::Config::default();
    /// assert_eq!(config.profile_role(), None);
    /// config.set_profile_yaml("bsm.yaml", "role: bsm\n")?;
    /// assert_eq!(config.profile_role(), Some("bsm"));
    /// # Ok::<(), mikeyconf::Error>(())
    /// ```
    pub fn profile_role(&self) -> Option<&str> {
        self.resolved.profile.as_ref().map(|p| p.role.as_str())
    }

    /// Puts the profile `yaml` (named `name` in errors and reports) in place of the one the
    /// file or the options gave.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut config = mikeyconf::Config::default();
    /// assert!(config.set_profile_yaml("p.yaml", "role: nobody\n").is_err());
    /// ```
    pub fn set_profile_yaml(&mut self, name: &str, yaml: &str) -> Result<(), Error> {
        let profile = crate::profile::Profile::parse(name, yaml).map_err(Error::Profile)?;
        self.resolved.profile = Some(profile);
        Ok(())
    }

    /// The output format: `given` (the command line's), else the file's `format`, else text.
    /// An error names the file and lists the formats when the file's is none of them.
    ///
    /// # Examples
    ///
    /// ```
    /// let config = mikeyconf::Config::default();
    /// assert_eq!(config.output_format(Some("sarif"))?.name(), "sarif");
    /// assert_eq!(config.output_format(None)?.name(), "text");
    /// assert!(config.output_format(Some("pdf")).is_err());
    /// # Ok::<(), mikeyconf::Error>(())
    /// ```
    pub fn output_format(&self, given: Option<&str>) -> Result<super::Format, Error> {
        let Some(name) = given.or(self.format()) else {
            return Ok(super::Format::default());
        };
        super::Format::named(name).ok_or_else(|| {
            Error::Config(format!(
                "{}: format = {} is not one of {}",
                self.file().unwrap_or("config"),
                crate::yaml::shown_name(name, '"'),
                crate::render::formats::names()
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
        })
    }

    /// Whether the file or the options select or ignore any rule.
    ///
    /// # Examples
    ///
    /// ```
    /// use mikeyconf::{Config, ConfigOptions};
    /// let mut options = ConfigOptions::default();
    /// options.no_file = true;
    /// options.select = vec!["MCV-".into()];
    /// assert!(Config::load(&options)?.has_selection());
    /// assert!(!Config::default().has_selection());
    /// # Ok::<(), mikeyconf::Error>(())
    /// ```
    pub fn has_selection(&self) -> bool {
        !self.resolved.selection.is_empty()
    }
}

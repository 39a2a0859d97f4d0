//! The command line's own options: the configuration (`--config`, `--no-config`,
//! `--profile`, `--select`, `--ignore`), which become the library's
//! [`mikeyconf::ConfigOptions`], and the text report's colour and quietness.

/// The options every command takes for its configuration.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct ConfigArgs {
    /// Read the configuration from this file instead of looking for `mikeyconf.toml` in the
    /// current folder and its parents.
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    pub config: Option<std::path::PathBuf>,
    /// Use no configuration file (ignore any `mikeyconf.toml`).
    #[arg(long, alias = "isolated")]
    pub no_config: bool,
    /// An implementation profile (YAML: role and supported options, see docs/profiles.md):
    /// rules it does not concern are not applicable. Overrides the config file's `profile`.
    #[arg(long, value_name = "FILE")]
    pub profile: Option<std::path::PathBuf>,
    /// Check only these rules: ids or id prefixes, comma-separated or repeated (`MCV-,XML-WF-01`).
    /// Replaces the config file's `select`.
    #[arg(long, value_name = "RULES")]
    pub select: Vec<String>,
    /// Leave these rules out: ids or id prefixes, comma-separated or repeated. Added to the
    /// config file's `ignore`.
    #[arg(long, value_name = "RULES")]
    pub ignore: Vec<String>,
}

impl ConfigArgs {
    /// The library's options of a configuration.
    pub fn options(&self) -> mikeyconf::ConfigOptions {
        let mut options = mikeyconf::ConfigOptions::default();
        options.file = self.config.clone();
        options.no_file = self.no_config;
        options.profile = self.profile.clone();
        options.select = self.select.clone();
        options.ignore = self.ignore.clone();
        options
    }
}

/// When the text report is coloured.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorChoice {
    /// On a terminal, unless NO_COLOR is set (not empty) or CLICOLOR=0; also off a terminal
    /// when CLICOLOR_FORCE is set (not empty), as anstream decides.
    #[default]
    Auto,
    Always,
    Never,
}

/// Output options of `check`.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct OutputArgs {
    /// Colour the text report: auto (on a terminal, unless NO_COLOR is set; CLICOLOR_FORCE
    /// forces it), always, never.
    #[arg(long, value_enum, value_name = "WHEN", default_value = "auto")]
    pub color: ColorChoice,
    /// Print only the failing and warning findings and one summary line; nothing on stderr
    /// but errors (README, "Configuration").
    #[arg(long, short)]
    pub quiet: bool,
}

impl OutputArgs {
    /// Whether the text report is coloured: `--color always` wins over NO_COLOR (a
    /// per-run argument overrides the environment, as no-color.org asks); `auto` is
    /// anstream's choice for standard output (NO_COLOR, then CLICOLOR_FORCE, CLICOLOR, and
    /// whether it is a terminal that takes colour).
    pub fn colour(&self) -> bool {
        match self.color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                anstream::AutoStream::choice(&std::io::stdout()) != anstream::ColorChoice::Never
            }
        }
    }
}

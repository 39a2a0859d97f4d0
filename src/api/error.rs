//! The facade's one error type: what can go wrong building an engine or decoding an input.
//! A checked input that cannot be judged is no error but a [`crate::Report`] whose verdict
//! is [`crate::Verdict::Error`]: a run of many inputs goes on past it.

use std::path::PathBuf;

/// Why an [`Engine`](crate::Engine) could not be built, or an input not decoded.
///
/// Each variant says which part was at fault; its message names the file, line and field
/// where one is known, and never a key's value.
///
/// # Examples
///
/// ```
/// use mikeyconf::{Engine, Error};
///
/// let err = Engine::builder().set("no_such_setting", "1").build().unwrap_err();
/// assert!(matches!(err, Error::Settings(_)));
/// // A std::error::Error: `?` turns it into a Box<dyn Error> or an anyhow::Error.
/// let _: Box<dyn std::error::Error> = Box::new(err);
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The configuration file (`mikeyconf.toml`) could not be found, read or makes no sense.
    #[error("{0}")]
    Config(String),
    /// The settings (a settings file, or an assignment) could not be read or make no sense.
    #[error("{0}")]
    Settings(String),
    /// The rule tables could not be read or make no sense.
    #[error("{0}")]
    Rules(String),
    /// The built-in schemas could not be compiled under these settings.
    #[error("the schemas: {0}")]
    Schemas(String),
    /// The keyring could not be read or holds a malformed key.
    #[error("{0}")]
    Keyring(String),
    /// The implementation profile could not be read or names unknown roles or options.
    #[error("{0}")]
    Profile(String),
    /// A selected or ignored rule id matches no rule.
    #[error("{0}")]
    Selection(String),
    /// A file could not be read.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// What the system said.
        #[source]
        source: std::io::Error,
    },
    /// A baseline file could not be read or written, or is not one.
    #[error("{0}")]
    Baseline(String),
    /// The probe could not run against the BSM (no case left, no URL, a port or CA file).
    #[error("{0}")]
    Probe(String),
    /// The reference BSM could not start (its configuration, keyring or ports).
    #[error("{0}")]
    Serve(String),
    /// A session trace could not be built from the captures given.
    #[error("{0}")]
    Trace(String),
    /// The bundled suite could not be run, or its reports not written.
    #[error("{0}")]
    Suite(String),
    /// A kind the engine does not read was named.
    #[error("{0}")]
    Kind(String),
    /// No MIKEY message could be looked for in the input (its kind holds none, it is over
    /// the size limit, it is empty).
    #[error("{0}")]
    Decode(String),
}

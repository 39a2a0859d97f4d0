//! The library's stable face: [`Engine`] (built by [`EngineBuilder`]) judges bytes, a path or
//! a stream and hands back a [`Report`]; [`Engine::decode`] lists the MIKEY messages in an
//! input. Inputs are named by [`Kind`], failures by [`Error`]. Everything else in the crate is
//! internal (`#[doc(hidden)]`, see ARCHITECTURE.md): its paths may change in any release.
//!
//! The facade wraps the internal judge (`engine::Engine`) and adds nothing to a verdict: the
//! command line checks a path through [`Engine::check_path`] too.

mod active;
mod baseline;
mod builder;
mod config;
mod documents;
mod error;
mod inputs;
mod kind;
mod output;
mod read;
mod report;
mod rules;
mod suite;
mod text;
mod trace;

pub use active::{ProbeCase, ProbeOptions, ProbeRun, ReferenceBsm, ServeOptions};
pub use baseline::Baseline;
pub use builder::{rules_from_dir, set_after_prescan, EngineBuilder};
pub use config::{Config, ConfigOptions};
pub use error::Error;
pub use inputs::Inputs;
pub use kind::Kind;
pub use output::{Format, ReportOptions, ReportWriter, SummaryLine};
pub use report::{Decoded, DecodedMessage, Report};
pub use rules::RuleInfo;
pub use suite::Suite;
pub use text::{escape_controls, escape_controls_but};
pub use trace::TraceSources;

use std::io::Read;
use std::path::Path;

/// Judges inputs: the settings, the rule tables and the compiled schemas of one run. Build
/// one, then check any number of inputs with it, from any number of threads (`Engine` is
/// `Send` and `Sync`).
///
/// # Examples
///
/// A vendor's test rig, checking what its server answered:
///
/// ```
/// use mikeyconf::{Engine, Kind, Verdict};
///
/// let engine = Engine::builtin()?;
/// let answer = br#"<mbmsMSKRequest xmlns="urn:3GPP:metadata:2005:MBMS:mskRequest">
///   <MSK><keyDomainID>uHCd</keyDomainID><MSKID>aMkAAA==</MSKID></MSK>
/// </mbmsMSKRequest>"#;
/// let report = engine.check_bytes("answer.xml", answer, Some(&Kind::MskRequest));
/// assert_eq!(report.verdict(), Verdict::Conformant, "{report}");
/// # Ok::<(), mikeyconf::Error>(())
/// ```
pub struct Engine {
    inner: crate::engine::Engine,
    /// What reports say of the run: its profile and config file.
    run: crate::render::RunInfo,
    /// The config file's per-file ignores, applied to every input checked.
    per_file_ignores: crate::per_file_ignores::PerFileIgnores,
    /// The spec editor's rules, which a report describing every rule describes too: made
    /// on the first report, not for an engine that writes none.
    spec_rule_metas: std::sync::OnceLock<Vec<crate::render::sarif::RuleMeta>>,
}

/// The rule count and whether provisional rules fail: the rest is compiled state.
impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine")
            .field("rules", &self.inner.rules.rules.len())
            .field("strict", &self.inner.strict)
            .finish_non_exhaustive()
    }
}

impl Engine {
    /// The engine of the built-in settings, rule tables and schemas.
    ///
    /// # Examples
    ///
    /// ```
    /// let engine = mikeyconf::Engine::builtin()?;
    /// # Ok::<(), mikeyconf::Error>(())
    /// ```
    pub fn builtin() -> Result<Engine, Error> {
        EngineBuilder::new().build()
    }

    /// A builder: settings, rule tables, profile, keyring, selection.
    ///
    /// # Examples
    ///
    /// ```
    /// let engine = mikeyconf::Engine::builder().strict(true).build()?;
    /// # Ok::<(), mikeyconf::Error>(())
    /// ```
    pub fn builder() -> EngineBuilder {
        EngineBuilder::new()
    }

    /// Judges an input held in memory, named `name` in the report (a session trace's
    /// name is also the path the files it names are found from). `kind` says what it is;
    /// `None` tells it from the content. Bounded by the setting `limits.max_bytes` (a
    /// capture excepted); never panics.
    ///
    /// # Examples
    ///
    /// ```
    /// use mikeyconf::{Kind, Verdict};
    /// let engine = mikeyconf::Engine::builtin()?;
    /// let report = engine.check_bytes("body", b"<notAnything/>", Some(&Kind::MskResponse));
    /// assert_eq!(report.verdict(), Verdict::NonConformant);
    /// # Ok::<(), mikeyconf::Error>(())
    /// ```
    pub fn check_bytes(&self, name: &str, bytes: &[u8], kind: Option<&Kind>) -> Report {
        self.report(self.inner.check(name, bytes, kind.map(Kind::name)))
    }

    /// Judges the file at `path` (`-` is standard input), as `mikeyconf check` does: read
    /// within the size limit, a capture streamed whatever its size, a readable MIKEY message
    /// description (`.msg.yaml`, `.psk.yaml`) encoded first. A file that cannot be read is
    /// a report with the verdict [`Verdict::Error`](crate::Verdict::Error).
    ///
    /// # Examples
    ///
    /// ```
    /// use mikeyconf::Verdict;
    /// let engine = mikeyconf::Engine::builtin()?;
    /// let report = engine.check_path("vectors/xml/msk-request/valid-two-keys.xml");
    /// assert_eq!(report.verdict(), Verdict::Conformant);
    /// # Ok::<(), mikeyconf::Error>(())
    /// ```
    pub fn check_path(&self, path: impl AsRef<Path>) -> Report {
        self.report(read::check_path(&self.inner, path.as_ref(), None))
    }

    /// [`Engine::check_path`], the input read as `kind`.
    ///
    /// # Examples
    ///
    /// ```
    /// use mikeyconf::{Kind, Verdict};
    /// let engine = mikeyconf::Engine::builtin()?;
    /// let path = "vectors/xml/msk-request/valid-two-keys.xml";
    /// let report = engine.check_path_as(path, &Kind::MskResponse);
    /// assert_ne!(report.verdict(), Verdict::Conformant);
    /// # Ok::<(), mikeyconf::Error>(())
    /// ```
    pub fn check_path_as(&self, path: impl AsRef<Path>, kind: &Kind) -> Report {
        self.report(read::check_path(
            &self.inner,
            path.as_ref(),
            Some(kind.name()),
        ))
    }

    /// Judges what `reader` yields (a socket, a decompressor), named `name`: a capture is
    /// read as a stream whatever its size, anything else whole within the size limit.
    ///
    /// # Examples
    ///
    /// ```
    /// use mikeyconf::Verdict;
    /// let engine = mikeyconf::Engine::builtin()?;
    /// let file = std::fs::File::open("vectors/xml/msk-request/mskid-3-octets.xml")?;
    /// let report = engine.check_reader("from-the-server", file, None);
    /// assert_eq!(report.verdict(), Verdict::NonConformant);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn check_reader(
        &self,
        name: &str,
        reader: impl Read + Send,
        kind: Option<&Kind>,
    ) -> Report {
        let kind = kind.map(Kind::name);
        self.report(read::check_stream(&self.inner, name, reader, None, kind))
    }

    /// The MIKEY messages in an input, each decoded field by field (`mikeyconf decode`):
    /// the input itself when it is one (raw, hex, base64, an SDP `key-mgmt` value), or those
    /// a capture, an HTTP exchange, a SIP file or an XML payload holds. `kind` says what the
    /// input is; `None` tells it from the content.
    ///
    /// # Examples
    ///
    /// ```
    /// let engine = mikeyconf::Engine::builtin()?;
    /// let decoded = engine.decode(b"01 00 07 00", None)?;
    /// assert!(decoded.messages()[0].to_text().starts_with("MIKEY message"));
    /// assert!(matches!(engine.decode(b"", None), Err(mikeyconf::Error::Decode(_))));
    /// # Ok::<(), mikeyconf::Error>(())
    /// ```
    pub fn decode(&self, bytes: &[u8], kind: Option<&Kind>) -> Result<Decoded, Error> {
        let settings = &self.inner.settings;
        let found = crate::format::discover::find_messages(settings, bytes, kind.map(Kind::name))
            .map_err(Error::Decode)?;
        let messages = (found.messages.iter())
            .map(|m| {
                let (clean, keyring) = match &m.message {
                    Ok(bytes) => {
                        let d = crate::mikey::decode(bytes);
                        let keyring = match &settings.keys {
                            Some(_) => crate::checks::mikey::keyed::describe(&d, settings),
                            None => Vec::new(),
                        };
                        (d.is_clean(), keyring)
                    }
                    Err(_) => (false, Vec::new()),
                };
                DecodedMessage {
                    place: m.place.clone(),
                    line: m.line,
                    column: m.column,
                    location: serde_json::to_value(m).unwrap_or_default(),
                    bytes: m.message.clone(),
                    clean,
                    keyring,
                }
            })
            .collect();
        Ok(Decoded::new(found.container, messages, found.notes))
    }

    /// [`Engine::decode`] of the file at `path` (`-` is standard input), read within the
    /// size limit; a readable MIKEY message description (`.msg.yaml`, `.psk.yaml`) is
    /// encoded first. Errors name the file.
    ///
    /// # Examples
    ///
    /// ```
    /// let engine = mikeyconf::Engine::builtin()?;
    /// let decoded = engine.decode_path("vectors/mikey/crypto/alea-csk-keyed.b64", None)?;
    /// assert_eq!(decoded.container(), "mikey");
    /// let err = engine.decode_path("no/such.bin", None).unwrap_err();
    /// assert!(err.to_string().starts_with("no/such.bin: "));
    /// # Ok::<(), mikeyconf::Error>(())
    /// ```
    pub fn decode_path(
        &self,
        path: impl AsRef<Path>,
        kind: Option<&Kind>,
    ) -> Result<Decoded, Error> {
        let path = path.as_ref();
        let limit = crate::bounded::Limit::max_bytes(self.inner.settings.limits.max_bytes);
        let bytes = if path.as_os_str() == "-" {
            crate::bounded::read_stdin(limit).map_err(|e| Error::Decode(format!("-: {e}")))?
        } else {
            crate::format::read_file(path, limit).map_err(Error::Decode)?
        };
        self.decode(&bytes, kind)
            .map_err(|e| Error::Decode(format!("{}: {e}", path.display())))
    }

    /// The kind named `name`, when this engine reads one of that name (as `check --as`
    /// takes it); else an error naming the nearest and listing them all.
    ///
    /// # Examples
    ///
    /// ```
    /// use mikeyconf::{Error, Kind};
    /// let engine = mikeyconf::Engine::builtin()?;
    /// assert_eq!(engine.kind("ltkm")?, Kind::Ltkm);
    /// let Err(Error::Kind(why)) = engine.kind("ltmk") else { panic!() };
    /// assert!(why.contains("did you mean 'ltkm'?"), "{why}");
    /// # Ok::<(), mikeyconf::Error>(())
    /// ```
    pub fn kind(&self, name: &str) -> Result<Kind, Error> {
        crate::format::known_kind(name, &self.inner.settings).map_err(Error::Kind)?;
        Ok(Kind::named(name))
    }

    /// Each kind this engine reads with what it is, in a line: an XML kind's root element
    /// and where it is defined, a MIKEY or capture kind's description (for a command line's
    /// help).
    ///
    /// # Examples
    ///
    /// ```
    /// use mikeyconf::Kind;
    /// let engine = mikeyconf::Engine::builtin()?;
    /// let described = engine.kinds_described();
    /// let (_, what) = described.iter().find(|(k, _)| *k == Kind::MskRequest).unwrap();
    /// assert!(what.starts_with("XML, root mbmsMSKRequest"), "{what}");
    /// # Ok::<(), mikeyconf::Error>(())
    /// ```
    pub fn kinds_described(&self) -> Vec<(Kind, String)> {
        let s = &self.inner.settings;
        let xml = (s.kinds.iter()).map(|k| {
            (
                Kind::named(&k.name),
                format!("XML, root {} ({})", k.root, k.defined_in),
            )
        });
        let others = (s.mikey_kinds.iter().chain(&s.capture_kinds))
            .map(|k| (Kind::named(&k.name), k.description.clone()));
        xml.chain(others).collect()
    }

    /// The kinds this engine reads: the built-in ones and any its settings add.
    ///
    /// # Examples
    ///
    /// ```
    /// use mikeyconf::Kind;
    /// let engine = mikeyconf::Engine::builtin()?;
    /// assert_eq!(engine.kinds(), Kind::BUILTIN);
    /// # Ok::<(), mikeyconf::Error>(())
    /// ```
    pub fn kinds(&self) -> Vec<Kind> {
        let s = &self.inner.settings;
        (s.kinds.iter().map(|k| &k.name))
            .chain(s.mikey_kinds.iter().map(|k| &k.name))
            .chain(s.capture_kinds.iter().map(|k| &k.name))
            .map(|name| Kind::named(name))
            .collect()
    }

    /// The report of a result: the config file's per-file ignores applied.
    fn report(&self, result: crate::finding::CheckResult) -> Report {
        Report::new(self.per_file_ignores.apply(result))
    }

    /// The spec editor's rules, as a report describing every rule lists them.
    fn spec_rule_metas(&self) -> &[crate::render::sarif::RuleMeta] {
        self.spec_rule_metas.get_or_init(|| {
            (crate::spec::rules::all().iter())
                .map(|r| r.meta())
                .collect()
        })
    }

    /// The facade over an engine built by hand (the benches' and the tests'): not part of
    /// the stable API.
    #[doc(hidden)]
    pub fn from_internal(inner: crate::engine::Engine) -> Engine {
        Engine {
            inner,
            run: crate::render::RunInfo::default(),
            per_file_ignores: Default::default(),
            spec_rule_metas: std::sync::OnceLock::new(),
        }
    }

    /// The internal engine: not part of the stable API.
    #[doc(hidden)]
    pub fn internal(&self) -> &crate::engine::Engine {
        &self.inner
    }
}

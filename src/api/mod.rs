//! The library's stable face: [`Engine`] (built by [`EngineBuilder`]) judges bytes, a path or
//! a stream and hands back a [`Report`]; [`Engine::decode`] lists the MIKEY messages in an
//! input. Inputs are named by [`Kind`], failures by [`Error`]. Everything else in the crate is
//! internal (`#[doc(hidden)]`, see ARCHITECTURE.md): its paths may change in any release.
//!
//! The facade wraps the internal judge (`engine::Engine`) and adds nothing to a verdict: the
//! command line checks a path through [`Engine::check_path`] too.

mod builder;
mod error;
mod kind;
mod read;
mod report;
mod rules;

pub use builder::{rules_from_dir, EngineBuilder};
pub use error::Error;
pub use kind::Kind;
pub use report::{Decoded, DecodedMessage, Report};
pub use rules::RuleInfo;

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
        Report::new(self.inner.check(name, bytes, kind.map(Kind::name)))
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
        Report::new(read::check_path(&self.inner, path.as_ref(), None))
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
        Report::new(read::check_path(
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
        Report::new(read::check_stream(&self.inner, name, reader, None, kind))
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
                let (text, json, clean) = match &m.message {
                    Ok(bytes) => {
                        let d = crate::mikey::decode(bytes);
                        let json = crate::mikey::render::to_json(&d).to_string();
                        (
                            Ok(crate::mikey::render::to_text_tree(&d)),
                            json,
                            d.is_clean(),
                        )
                    }
                    Err(why) => (Err(why.clone()), "null".to_string(), false),
                };
                DecodedMessage {
                    place: m.place.clone(),
                    line: m.line,
                    text,
                    json,
                    clean,
                }
            })
            .collect();
        Ok(Decoded::new(found.container, messages, found.notes))
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

    /// The facade over an engine built by hand (the command line's, from its config file):
    /// not part of the stable API.
    #[doc(hidden)]
    pub fn from_internal(inner: crate::engine::Engine) -> Engine {
        Engine { inner }
    }

    /// The internal engine: not part of the stable API.
    #[doc(hidden)]
    pub fn internal(&self) -> &crate::engine::Engine {
        &self.inner
    }

    /// [`Engine::check_path`] with the kind by name, as the command line's `--as` gives it,
    /// returning the internal result its emitters read: not part of the stable API.
    #[doc(hidden)]
    pub fn check_path_named(&self, path: &Path, kind: Option<&str>) -> crate::finding::CheckResult {
        read::check_path(&self.inner, path, kind)
    }
}

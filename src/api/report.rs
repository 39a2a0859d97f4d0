//! What the facade hands back: [`Report`], the judgement of one input, and [`Decoded`], the
//! MIKEY messages found in one. Both wrap the internal models (`finding::CheckResult`,
//! `format::discover::FoundMessages`) behind accessors, so those may change shape without
//! breaking a library user.

use super::Kind;
use crate::finding::{CheckResult, Finding, RuleOutcome, Verdict};
use std::fmt;

/// The judgement of one input: its verdict, every finding, and each rule's outcome.
///
/// # Examples
///
/// ```
/// use mikeyconf::{Engine, Kind, Verdict};
///
/// let engine = Engine::builtin()?;
/// let request = br#"<mbmsMSKRequest xmlns="urn:3GPP:metadata:2005:MBMS:mskRequest">
///   <MSK><keyDomainID>uHCd</keyDomainID><MSKID>aMkA</MSKID></MSK>
/// </mbmsMSKRequest>"#;
/// let report = engine.check_bytes("request.xml", request, None);
/// assert_eq!(report.verdict(), Verdict::NonConformant);
/// assert_eq!(report.kind(), Some(Kind::MskRequest));
/// let finding = &report.findings()[0];
/// assert_eq!((finding.rule.as_str(), finding.location.line), ("MBMS-KEY-03", 2));
/// assert_eq!(report.exit_code(), 1);
/// # Ok::<(), mikeyconf::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Report {
    result: CheckResult,
}

impl Report {
    pub(crate) fn new(result: CheckResult) -> Report {
        Report { result }
    }

    /// The input's name, as given to `check_*` (a path for `check_path`).
    ///
    /// # Examples
    ///
    /// ```
    /// let engine = mikeyconf::Engine::builtin()?;
    /// assert_eq!(engine.check_bytes("reply", b"", None).input(), "reply");
    /// # Ok::<(), mikeyconf::Error>(())
    /// ```
    pub fn input(&self) -> &str {
        &self.result.input
    }

    /// What the input was read as; `None` when that could not be told (an empty input, one
    /// of no kind the engine knows).
    ///
    /// # Examples
    ///
    /// ```
    /// use mikeyconf::Kind;
    /// let engine = mikeyconf::Engine::builtin()?;
    /// assert_eq!(engine.check_bytes("empty", b"", None).kind(), None);
    /// let hex = b"01 00 07 00";
    /// assert_eq!(engine.check_bytes("m.hex", hex, Some(&Kind::Mikey)).kind(), Some(Kind::Mikey));
    /// # Ok::<(), mikeyconf::Error>(())
    /// ```
    pub fn kind(&self) -> Option<Kind> {
        match self.result.kind.as_str() {
            "" | "unknown" => None,
            name => Some(Kind::named(name)),
        }
    }

    /// The verdict: conformant, incomplete (some rule ran on part of the input only),
    /// non-conformant, or error (the input could not be checked; see [`Report::error`]).
    ///
    /// # Examples
    ///
    /// ```
    /// use mikeyconf::Verdict;
    /// let engine = mikeyconf::Engine::builtin()?;
    /// assert_eq!(engine.check_bytes("empty", b"  ", None).verdict(), Verdict::Error);
    /// # Ok::<(), mikeyconf::Error>(())
    /// ```
    pub fn verdict(&self) -> Verdict {
        self.result.verdict
    }

    /// The findings, ordered by place then rule. At most the setting `limits.max_findings`
    /// are listed; a note ([`Report::notes`]) counts the rest, and the verdict is the whole
    /// list's.
    ///
    /// # Examples
    ///
    /// ```
    /// let engine = mikeyconf::Engine::builtin()?;
    /// let report = engine.check_bytes("x.xml", b"<mbmsMSKRequest/>", None);
    /// for f in report.findings() {
    ///     println!("{}:{} {} {}", f.location.line, f.location.column, f.rule, f.message);
    /// }
    /// # Ok::<(), mikeyconf::Error>(())
    /// ```
    pub fn findings(&self) -> &[Finding] {
        &self.result.findings
    }

    /// Each rule's outcome on the input, in the rule tables' order: pass, fail, warn, info,
    /// incomplete or not applicable with the reason. A rule not applied is never passed.
    ///
    /// # Examples
    ///
    /// ```
    /// let engine = mikeyconf::Engine::builtin()?;
    /// let report = engine.check_bytes("x.xml", b"<mbmsMSKRequest/>", None);
    /// let applied = report.rule_outcomes().iter().filter(|o| o.applied()).count();
    /// assert!(applied > 0);
    /// # Ok::<(), mikeyconf::Error>(())
    /// ```
    pub fn rule_outcomes(&self) -> &[RuleOutcome] {
        &self.result.rules
    }

    /// Notes on how the input was read (an ambiguous kind, a setting applied, findings not
    /// listed).
    ///
    /// # Examples
    ///
    /// ```
    /// let engine = mikeyconf::Engine::builtin()?;
    /// let report = engine.check_bytes("x.xml", b"<mbmsMSKRequest/>", None);
    /// report.notes().iter().for_each(|n| println!("note: {n}"));
    /// # Ok::<(), mikeyconf::Error>(())
    /// ```
    pub fn notes(&self) -> &[String] {
        &self.result.notes
    }

    /// Why the input could not be checked, when the verdict is [`Verdict::Error`].
    ///
    /// # Examples
    ///
    /// ```
    /// let engine = mikeyconf::Engine::builtin()?;
    /// let report = engine.check_path("no/such/file.xml");
    /// assert!(report.error().unwrap().starts_with("cannot read"));
    /// # Ok::<(), mikeyconf::Error>(())
    /// ```
    pub fn error(&self) -> Option<&str> {
        self.result.error.as_deref()
    }

    /// The exit code `mikeyconf check` gives this verdict: 0 conformant, 1 non-conformant,
    /// 2 could not check (wholly or in part).
    ///
    /// # Examples
    ///
    /// ```
    /// let engine = mikeyconf::Engine::builtin()?;
    /// assert_eq!(engine.check_bytes("empty", b"", None).exit_code(), 2);
    /// # Ok::<(), mikeyconf::Error>(())
    /// ```
    pub fn exit_code(&self) -> i32 {
        self.result.verdict.exit_code()
    }

    /// The report as one JSON object: the shape of one entry of `mikeyconf check --format
    /// json`'s `results` (docs/outcomes.md). Never holds a key.
    ///
    /// # Examples
    ///
    /// ```
    /// let engine = mikeyconf::Engine::builtin()?;
    /// let json = engine.check_bytes("empty", b"", None).to_json();
    /// assert!(json.contains(r#""verdict": "error""#));
    /// # Ok::<(), mikeyconf::Error>(())
    /// ```
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(&self.result).unwrap_or_default()
    }

    /// The internal result the emitters read.
    pub(crate) fn into_check_result(self) -> CheckResult {
        self.result
    }

    /// The internal result, borrowed.
    pub(crate) fn check_result(&self) -> &CheckResult {
        &self.result
    }
}

/// One line for the input (`name: verdict`, with the reason of an error), then one per
/// finding (`line:column verdict rule: message`).
impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let r = &self.result;
        write!(f, "{}: {}", r.input, r.verdict.as_str())?;
        if let Some(why) = &r.error {
            write!(f, " ({why})")?;
        }
        for x in &r.findings {
            let at = &x.location;
            let (rule, verdict) = (&x.rule, x.verdict.as_str());
            write!(
                f,
                "\n  {}:{} {verdict} {rule}: {}",
                at.line, at.column, x.message
            )?;
        }
        Ok(())
    }
}

/// The MIKEY messages found in one input, each decoded field by field (`mikeyconf decode`).
///
/// # Examples
///
/// ```
/// let engine = mikeyconf::Engine::builtin()?;
/// let decoded = engine.decode(b"01 00 07 00", None)?;
/// assert_eq!(decoded.container(), "mikey");
/// assert_eq!(decoded.messages().len(), 1);
/// # Ok::<(), mikeyconf::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Decoded {
    container: &'static str,
    messages: Vec<DecodedMessage>,
    notes: Vec<String>,
}

impl Decoded {
    pub(crate) fn new(
        container: &'static str,
        messages: Vec<DecodedMessage>,
        notes: Vec<String>,
    ) -> Decoded {
        Decoded {
            container,
            messages,
            notes,
        }
    }

    /// What held the messages: `mikey` (the input is one message), `pcap`, `http-exchange`,
    /// `sip` or `xml`.
    ///
    /// # Examples
    ///
    /// ```
    /// let engine = mikeyconf::Engine::builtin()?;
    /// assert_eq!(engine.decode(b"01 00 07 00", None)?.container(), "mikey");
    /// # Ok::<(), mikeyconf::Error>(())
    /// ```
    pub fn container(&self) -> &str {
        self.container
    }

    /// The messages, in the order of the input.
    ///
    /// # Examples
    ///
    /// ```
    /// let engine = mikeyconf::Engine::builtin()?;
    /// for m in engine.decode(b"01 00 07 00", None)?.messages() {
    ///     println!("{}", m.to_text());
    /// }
    /// # Ok::<(), mikeyconf::Error>(())
    /// ```
    pub fn messages(&self) -> &[DecodedMessage] {
        &self.messages
    }

    /// What a reader of the list should know (a capture cut off).
    ///
    /// # Examples
    ///
    /// ```
    /// let engine = mikeyconf::Engine::builtin()?;
    /// assert!(engine.decode(b"01 00 07 00", None)?.notes().is_empty());
    /// # Ok::<(), mikeyconf::Error>(())
    /// ```
    pub fn notes(&self) -> &[String] {
        &self.notes
    }
}

/// One MIKEY message of a [`Decoded`] input: where it was, and its fields.
///
/// # Examples
///
/// ```
/// let engine = mikeyconf::Engine::builtin()?;
/// let decoded = engine.decode(b"01 00 07 00", None)?;
/// let message = &decoded.messages()[0];
/// assert_eq!(message.place(), "");
/// assert!(!message.is_clean()); // a header alone: the payloads it announces are missing
/// # Ok::<(), mikeyconf::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct DecodedMessage {
    pub(crate) place: String,
    pub(crate) line: Option<u32>,
    pub(crate) column: Option<u32>,
    /// Where it is, as JSON: `place`, and `frame`, `src`, `dst`, `line`, `column` when known.
    pub(crate) location: serde_json::Value,
    /// The message, or why what was found is none.
    pub(crate) bytes: Result<Vec<u8>, String>,
    pub(crate) clean: bool,
    /// What the engine's keyring reveals of it, step by step (empty without a keyring).
    pub(crate) keyring: Vec<(String, String)>,
}

impl DecodedMessage {
    /// Where the message is, for people: `frame 4 (10.0.0.7:2269 -> 203.0.113.5:2269)`,
    /// `LTKM #2`; empty for an input that is the message.
    ///
    /// # Examples
    ///
    /// ```
    /// let engine = mikeyconf::Engine::builtin()?;
    /// assert_eq!(engine.decode(b"01 00 07 00", None)?.messages()[0].place(), "");
    /// # Ok::<(), mikeyconf::Error>(())
    /// ```
    pub fn place(&self) -> &str {
        &self.place
    }

    /// The line of the XML element that held it, for a message inside a document.
    ///
    /// # Examples
    ///
    /// ```
    /// let engine = mikeyconf::Engine::builtin()?;
    /// assert_eq!(engine.decode(b"01 00 07 00", None)?.messages()[0].line(), None);
    /// # Ok::<(), mikeyconf::Error>(())
    /// ```
    pub fn line(&self) -> Option<u32> {
        self.line
    }

    /// The column of the XML element that held it, for a message inside a document.
    ///
    /// # Examples
    ///
    /// ```
    /// let engine = mikeyconf::Engine::builtin()?;
    /// let ltkm = std::fs::read("vectors/xml/msk-response/ltkm-encr-data-len-0.xml")?;
    /// let decoded = engine.decode(&ltkm, None)?;
    /// assert!(decoded.messages()[0].column().is_some());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn column(&self) -> Option<u32> {
        self.column
    }

    /// Where the message is, as a JSON object: `place`, and `frame`, `src`, `dst`, `line`
    /// and `column` where known (`mikeyconf decode --format json`).
    ///
    /// # Examples
    ///
    /// ```
    /// let engine = mikeyconf::Engine::builtin()?;
    /// let decoded = engine.decode(b"01 00 07 00", None)?;
    /// assert_eq!(decoded.messages()[0].location()["place"], "");
    /// # Ok::<(), mikeyconf::Error>(())
    /// ```
    pub fn location(&self) -> &serde_json::Value {
        &self.location
    }

    /// Why what was found is no MIKEY message (bad base64), if it is none.
    ///
    /// # Examples
    ///
    /// ```
    /// let engine = mikeyconf::Engine::builtin()?;
    /// assert_eq!(engine.decode(b"01 00 07 00", None)?.messages()[0].error(), None);
    /// # Ok::<(), mikeyconf::Error>(())
    /// ```
    pub fn error(&self) -> Option<&str> {
        self.bytes.as_ref().err().map(String::as_str)
    }

    /// Whether it decoded with no issue (every payload read, nothing left over); false too
    /// when what was found is no MIKEY message at all (bad base64).
    ///
    /// # Examples
    ///
    /// ```
    /// let engine = mikeyconf::Engine::builtin()?;
    /// assert!(!engine.decode(b"01 00 07 00", None)?.messages()[0].is_clean());
    /// # Ok::<(), mikeyconf::Error>(())
    /// ```
    pub fn is_clean(&self) -> bool {
        self.clean
    }

    /// The field tree with offsets, like `tshark -V`; or why what was found is no MIKEY
    /// message.
    ///
    /// # Examples
    ///
    /// ```
    /// let engine = mikeyconf::Engine::builtin()?;
    /// let text = engine.decode(b"01 00 07 00", None)?.messages()[0].to_text();
    /// assert!(text.starts_with("MIKEY message"));
    /// # Ok::<(), mikeyconf::Error>(())
    /// ```
    pub fn to_text(&self) -> String {
        match &self.bytes {
            Ok(bytes) => crate::mikey::render::to_text_tree(&crate::mikey::decode(bytes)),
            Err(why) => format!("not a MIKEY message: {why}\n"),
        }
    }

    /// The field tree as JSON (`mikeyconf decode --format json`); `null` for what is no
    /// MIKEY message.
    ///
    /// # Examples
    ///
    /// ```
    /// let engine = mikeyconf::Engine::builtin()?;
    /// let json = engine.decode(b"01 00 07 00", None)?.messages()[0].to_json();
    /// assert!(json.is_object());
    /// # Ok::<(), mikeyconf::Error>(())
    /// ```
    pub fn to_json(&self) -> serde_json::Value {
        match &self.bytes {
            Ok(bytes) => crate::mikey::render::to_json(&crate::mikey::decode(bytes)),
            Err(_) => serde_json::Value::Null,
        }
    }

    /// What the engine's keyring reveals of the message, step by step (the keys it finds,
    /// whether the MAC verifies, what decrypts), keys shown by fingerprint only; empty when
    /// the engine has no keyring.
    ///
    /// # Examples
    ///
    /// ```
    /// let engine = mikeyconf::Engine::builtin()?;
    /// assert!(engine.decode(b"01 00 07 00", None)?.messages()[0].keyring_steps().is_empty());
    /// # Ok::<(), mikeyconf::Error>(())
    /// ```
    pub fn keyring_steps(&self) -> &[(String, String)] {
        &self.keyring
    }

    /// The message as an editable YAML description (`.msg.yaml`, `decode --format spec`),
    /// which `check` and the suite encode back to the same bytes. It HOLDS KEY MATERIAL: for
    /// writing test vectors, never for reports. An error when what was found is no MIKEY
    /// message, or its header could not be decoded.
    ///
    /// # Examples
    ///
    /// ```
    /// let engine = mikeyconf::Engine::builtin()?;
    /// let bytes = std::fs::read("vectors/mikey/crypto/alea-csk-keyed.b64")?;
    /// let yaml = engine.decode(&bytes, None)?.messages()[0].to_spec_yaml()?;
    /// assert!(yaml.contains("data_type"), "{yaml}");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn to_spec_yaml(&self) -> Result<String, super::Error> {
        let bytes = self
            .bytes
            .as_ref()
            .map_err(|why| super::Error::Decode(format!("not a MIKEY message: {why}")))?;
        let decoded = crate::mikey::decode(bytes);
        let msg = decoded
            .message
            .as_ref()
            .ok_or_else(|| super::Error::Decode("the header could not be decoded".to_string()))?;
        serde_yaml::to_string(&crate::mikey::MessageSpec::from(msg))
            .map_err(|e| super::Error::Decode(e.to_string()))
    }
}

//! A session trace: the ordered events between one terminal and one BSM / BM-SC, in a
//! documented YAML (or JSON) format that a vendor can convert their logs into
//! (`docs/trace-format.md`). Bodies are inline or files named relative to the trace.

pub mod build;
pub mod facts;

use crate::exchange::{self, Exchange};
pub use crate::value::ip::addr;
use base64::Engine;
use facts::MikeyFacts;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;

/// A trace file: YAML or JSON whose first key is `trace`.
pub fn looks_like_trace(bytes: &[u8]) -> bool {
    if bytes.trim_ascii_start().starts_with(b"<") {
        return false; // markup (XML): its first line is no trace key
    }
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(2048)]);
    head.lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with('#') && l != &"---")
        .is_some_and(|l| {
            l.starts_with("trace:") || l.starts_with("{\"trace\"") || l.starts_with("{ \"trace\"")
        })
}

/// A MIKEY message given inline or by file (hex, base64 or raw bytes).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MikeySource {
    #[serde(default)]
    pub hex: Option<String>,
    #[serde(default)]
    pub base64: Option<String>,
    #[serde(default)]
    pub file: Option<String>,
}

/// An HTTP exchange given inline (raw HTTP text) or by file (raw HTTP text or a HAR entry).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HttpSource {
    #[serde(default)]
    pub raw: Option<String>,
    #[serde(default)]
    pub file: Option<String>,
    /// With a file of several exchanges (a HAR, a curl transcript): the exchange's index,
    /// required then.
    #[serde(default)]
    pub entry: Option<usize>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEvent {
    #[serde(default)]
    at: Option<String>,
    #[serde(default)]
    from: Option<String>,
    #[serde(default)]
    to: Option<String>,
    #[serde(default)]
    http: Option<HttpSource>,
    #[serde(default)]
    udp: Option<MikeySource>,
    #[serde(default)]
    sms: Option<MikeySource>,
    #[serde(default)]
    flute: Option<RawFlute>,
    /// SIP messages (MCVideo signalling), judged by the SIP rules.
    #[serde(default)]
    sip: Option<SipSource>,
    /// What the MIKEY message is, when the sender knows: ltkm, msk, mtk, verification.
    #[serde(default)]
    role: Option<String>,
}

/// SIP text inline (`raw`, LF line ends turned into CRLF) or in a file (read as it is).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SipSource {
    #[serde(default)]
    pub raw: Option<String>,
    #[serde(default)]
    pub file: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFlute {
    session: String,
    #[serde(default)]
    fdt: Option<String>,
    #[serde(default)]
    fdt_file: Option<String>,
    /// Objects delivered in the session: TOI → MIKEY message (for MTK objects).
    #[serde(default)]
    objects: BTreeMap<u64, MikeySource>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTrace {
    /// Format version: 1.
    trace: u32,
    /// Name → address map for the NAF FQDN in IDi (BCAST-DLV-12).
    #[serde(default)]
    resolve: BTreeMap<String, String>,
    events: Vec<RawEvent>,
}

/// What happened.
#[derive(Debug, Clone)]
pub enum EventBody {
    Http(Box<Exchange>),
    Udp {
        message: Vec<u8>,
    },
    Sms {
        message: Vec<u8>,
    },
    Flute {
        session: String,
        fdt: String,
        objects: BTreeMap<u64, Vec<u8>>,
    },
    /// One or more SIP messages, judged by the SIP rules with every SIP event of the trace.
    Sip {
        text: Vec<u8>,
    },
}

/// One event of the trace.
#[derive(Debug, Clone)]
pub struct Event {
    /// 1-based position in the trace.
    pub number: usize,
    pub at: Option<String>,
    /// `address:port` (or address) of the sender and receiver.
    pub from: Option<String>,
    pub to: Option<String>,
    pub role: Option<String>,
    pub body: EventBody,
    /// The facts of the event's own MIKEY message (UDP or SMS), read once: the session
    /// rules each look at every message, and decoding it once per rule was most of a
    /// large capture's time.
    pub facts: std::sync::OnceLock<MikeyFacts>,
}

impl Event {
    /// The facts of the event's own MIKEY message (a UDP or SMS push), decoded on first use.
    pub fn message_facts(&self) -> Option<&MikeyFacts> {
        match &self.body {
            EventBody::Udp { message } | EventBody::Sms { message } => {
                Some(self.facts.get_or_init(|| MikeyFacts::of(message)))
            }
            _ => None,
        }
    }

    /// The facts of `message`, one of this event's messages: the event's own (read once),
    /// or a FLUTE object's (read now).
    pub fn facts_of(&self, message: &[u8]) -> std::borrow::Cow<'_, MikeyFacts> {
        match (&self.body, self.message_facts()) {
            (EventBody::Udp { message: own } | EventBody::Sms { message: own }, Some(f))
                if std::ptr::eq(own.as_slice(), message) =>
            {
                std::borrow::Cow::Borrowed(f)
            }
            _ => std::borrow::Cow::Owned(MikeyFacts::of(message)),
        }
    }
    /// The address part of `from` (without the port).
    pub fn from_addr(&self) -> Option<&str> {
        self.from.as_deref().map(addr)
    }
    pub fn to_addr(&self) -> Option<&str> {
        self.to.as_deref().map(addr)
    }
}

#[derive(Debug, Clone)]
pub struct Trace {
    pub resolve: BTreeMap<String, String>,
    pub events: Vec<Event>,
}

/// A trace that could not be read.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{place}: {reason}")]
pub struct TraceError {
    pub place: String,
    pub reason: String,
}

fn terr(place: impl Into<String>, reason: impl Into<String>) -> TraceError {
    TraceError {
        place: place.into(),
        reason: reason.into(),
    }
}

/// The most a file named in a trace may hold: like every input, bounded.
const MAX_REFERENCED_FILE: crate::bounded::Limit = crate::bounded::Limit {
    bytes: 16 * 1024 * 1024,
    name: "the limit for a file a trace names",
};

/// Where the files a trace names are read from: names are relative to `base` (the trace's
/// folder) and must resolve inside `root` (the trace's folder, or `--trace-root`), so that a
/// trace received from someone else cannot make the tool read, and quote, any file.
pub struct Folder<'a> {
    pub base: &'a Path,
    pub root: &'a Path,
}

/// Reads a file a trace names: inside the root (after following every symbolic link), a
/// regular file, at most MAX_REFERENCED_FILE bytes (so a name such as /dev/zero cannot make
/// the read unbounded).
fn read_file(folder: &Folder, name: &str, place: &str) -> Result<Vec<u8>, TraceError> {
    let p = folder.base.join(name);
    let fail = |why: String| terr(place, format!("{}: {why}", p.display()));
    let real = std::fs::canonicalize(&p).map_err(|e| fail(e.to_string()))?;
    let root = std::fs::canonicalize(folder.root).map_err(|e| {
        terr(
            place,
            format!("the trace root {}: {e}", folder.root.display()),
        )
    })?;
    if !real.starts_with(&root) {
        return Err(fail(format!(
            "outside the trace root {} (the trace's folder unless --trace-root DIR widens it)",
            root.display()
        )));
    }
    let meta = std::fs::metadata(&real).map_err(|e| fail(e.to_string()))?;
    if !meta.is_file() {
        return Err(fail("not a regular file".into()));
    }
    crate::bounded::read_path(&real, MAX_REFERENCED_FILE).map_err(|e| fail(e.to_string()))
}

fn mikey(src: &MikeySource, base: &Folder, place: &str) -> Result<Vec<u8>, TraceError> {
    let raw = match (&src.hex, &src.base64, &src.file) {
        (Some(h), None, None) => {
            let clean: String = h.chars().filter(|c| !c.is_whitespace()).collect();
            return hex::decode(clean).map_err(|e| terr(place, format!("hex: {e}")));
        }
        (None, Some(b), None) => {
            let clean: String = b.chars().filter(|c| !c.is_whitespace()).collect();
            return base64::engine::general_purpose::STANDARD
                .decode(clean)
                .map_err(|e| terr(place, format!("base64: {e}")));
        }
        (None, None, Some(f)) => read_file(base, f, place)?,
        _ => return Err(terr(place, "give exactly one of hex, base64, file")),
    };
    crate::mikey::input::load(&raw)
        .map(|(m, _)| m)
        .map_err(|e| terr(place, format!("not a MIKEY message: {e}")))
}

fn http(src: &HttpSource, base: &Folder, place: &str) -> Result<Exchange, TraceError> {
    let bytes = match (&src.raw, &src.file) {
        (Some(r), None) => r.replace("\r\n", "\n").replace('\n', "\r\n").into_bytes(),
        (None, Some(f)) => read_file(base, f, place)?,
        _ => return Err(terr(place, "give exactly one of raw, file")),
    };
    let mut all = exchange::read(&bytes).map_err(|e| terr(place, e.to_string()))?;
    // A file of several exchanges (a HAR, a curl --digest or -L transcript) names the one
    // meant: taking the first would judge a 401 challenge in place of the registration.
    let i = match src.entry {
        Some(i) => i,
        None if all.len() > 1 => {
            return Err(terr(
                place,
                format!(
                    "the capture has {}: say which with `entry` (0 to {})",
                    crate::plural::counted(all.len(), "exchange", "exchanges"),
                    all.len() - 1
                ),
            ))
        }
        None => 0,
    };
    if i >= all.len() {
        return Err(terr(
            place,
            format!(
                "entry {i}: the capture has {}",
                crate::plural::counted(all.len(), "exchange", "exchanges")
            ),
        ));
    }
    Ok(all.swap_remove(i))
}

/// Reads a trace; `base` says where the files it names are read from.
pub fn read(text: &str, base: &Folder) -> Result<Trace, TraceError> {
    let raw: RawTrace = crate::yaml::from_str(text).map_err(|e| {
        let at = match (e.line, e.column) {
            (Some(l), Some(c)) => format!("line {l}, column {c}"),
            _ => String::new(),
        };
        terr(at, e.message)
    })?;
    if raw.trace != 1 {
        return Err(terr(
            "trace",
            format!("format version {} (this tool reads version 1)", raw.trace),
        ));
    }
    let mut events = Vec::new();
    for (i, e) in raw.events.into_iter().enumerate() {
        let number = i + 1;
        let place = format!("event {number}");
        let given = [
            e.http.is_some(),
            e.udp.is_some(),
            e.sms.is_some(),
            e.flute.is_some(),
            e.sip.is_some(),
        ];
        if given.iter().filter(|g| **g).count() != 1 {
            return Err(terr(
                &place,
                "give exactly one of http, udp, sms, flute, sip",
            ));
        }
        let body = if let Some(src) = &e.sip {
            let text = match (&src.raw, &src.file) {
                (Some(r), None) => r.replace("\r\n", "\n").replace('\n', "\r\n").into_bytes(),
                (None, Some(f)) => read_file(base, f, &place)?,
                _ => return Err(terr(&place, "sip: give exactly one of raw, file")),
            };
            EventBody::Sip { text }
        } else if let Some(h) = &e.http {
            let mut ex = http(h, base, &place)?;
            ex.label = place.clone();
            EventBody::Http(Box::new(ex))
        } else if let Some(u) = &e.udp {
            EventBody::Udp {
                message: mikey(u, base, &place)?,
            }
        } else if let Some(s) = &e.sms {
            EventBody::Sms {
                message: mikey(s, base, &place)?,
            }
        } else {
            let f = e.flute.as_ref().ok_or_else(|| terr(&place, "no event"))?;
            let fdt = match (&f.fdt, &f.fdt_file) {
                (Some(t), None) => t.clone(),
                (None, Some(file)) => {
                    String::from_utf8_lossy(&read_file(base, file, &place)?).to_string()
                }
                (None, None) => String::new(),
                _ => return Err(terr(&place, "give at most one of fdt, fdt_file")),
            };
            let mut objects = BTreeMap::new();
            for (toi, src) in &f.objects {
                objects.insert(
                    *toi,
                    mikey(src, base, &format!("{place}, object TOI {toi}"))?,
                );
            }
            EventBody::Flute {
                session: f.session.clone(),
                fdt,
                objects,
            }
        };
        events.push(Event {
            number,
            at: e.at,
            from: e.from,
            to: e.to,
            role: e.role,
            body,
            facts: Default::default(),
        });
    }
    Ok(Trace {
        resolve: raw.resolve,
        events,
    })
}

//! A session trace: the ordered events between one terminal and one BSM / BM-SC, in a
//! documented YAML (or JSON) format that a vendor can convert their logs into
//! (`docs/trace-format.md`). Bodies are inline or files named relative to the trace.

pub mod build;
pub mod facts;
mod split;

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
    // The bodies are boxed: an event has one, and a trace of 300 000 events keeps every
    // event's raw form until it is judged.
    #[serde(default)]
    http: Option<Box<HttpSource>>,
    #[serde(default)]
    udp: Option<Box<MikeySource>>,
    #[serde(default)]
    sms: Option<Box<MikeySource>>,
    #[serde(default)]
    flute: Option<Box<RawFlute>>,
    /// SIP messages (MCVideo signalling), judged by the SIP rules.
    #[serde(default)]
    sip: Option<Box<SipSource>>,
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

/// At most this many octets of the files a trace names are kept for the events after (the
/// files named last first): a trace naming one file for many events reads it once, and one
/// naming many files keeps no more of them than this.
const FILES_KEPT: usize = 2 * MAX_REFERENCED_FILE.bytes;

/// The files a trace named lately, by their real path, to be read once however many events
/// name them.
#[derive(Default)]
struct FileCache {
    files: Vec<(std::path::PathBuf, std::sync::Arc<[u8]>)>,
    bytes: usize,
}

impl FileCache {
    fn get(&mut self, real: &Path) -> Option<std::sync::Arc<[u8]>> {
        let i = self.files.iter().position(|(p, _)| p == real)?;
        let hit = self.files.remove(i);
        let bytes = hit.1.clone();
        self.files.push(hit);
        Some(bytes)
    }

    fn keep(&mut self, real: std::path::PathBuf, bytes: std::sync::Arc<[u8]>) {
        self.bytes += bytes.len();
        self.files.push((real, bytes));
        while self.bytes > FILES_KEPT && self.files.len() > 1 {
            let (_, gone) = self.files.remove(0);
            self.bytes -= gone.len();
        }
    }
}

/// Reads a file a trace names: inside the root (after following every symbolic link), a
/// regular file, at most MAX_REFERENCED_FILE bytes (so a name such as /dev/zero cannot make
/// the read unbounded); a file read for an earlier event is taken from `files`.
fn read_file(
    folder: &Folder,
    files: &mut FileCache,
    name: &str,
    place: &str,
) -> Result<std::sync::Arc<[u8]>, TraceError> {
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
    if let Some(bytes) = files.get(&real) {
        return Ok(bytes);
    }
    let meta = std::fs::metadata(&real).map_err(|e| fail(e.to_string()))?;
    if !meta.is_file() {
        return Err(fail("not a regular file".into()));
    }
    let bytes: std::sync::Arc<[u8]> = crate::bounded::read_path(&real, MAX_REFERENCED_FILE)
        .map_err(|e| fail(e.to_string()))?
        .into();
    files.keep(real, bytes.clone());
    Ok(bytes)
}

fn mikey(
    src: &MikeySource,
    base: &Folder,
    files: &mut FileCache,
    place: &str,
) -> Result<Vec<u8>, TraceError> {
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
        (None, None, Some(f)) => read_file(base, files, f, place)?,
        _ => return Err(terr(place, "give exactly one of hex, base64, file")),
    };
    crate::mikey::input::load(&raw)
        .map(|(m, _)| m)
        .map_err(|e| terr(place, format!("not a MIKEY message: {e}")))
}

fn http(
    src: &HttpSource,
    base: &Folder,
    files: &mut FileCache,
    place: &str,
) -> Result<Exchange, TraceError> {
    let bytes: std::sync::Arc<[u8]> = match (&src.raw, &src.file) {
        (Some(r), None) => r
            .replace("\r\n", "\n")
            .replace('\n', "\r\n")
            .into_bytes()
            .into(),
        (None, Some(f)) => read_file(base, files, f, place)?,
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

/// A trace opened to be read one event at a time, in order: judging a trace keeps one event
/// (with the bodies and files it names) in memory, not all of them.
pub struct Opened<'f> {
    /// Name → address map for the NAF FQDN in IDi (BCAST-DLV-12).
    pub resolve: BTreeMap<String, String>,
    events: RawEvents,
    len: usize,
    number: usize,
    folder: &'f Folder<'f>,
    files: FileCache,
}

/// The events not read yet: pieces of the text, each read when its turn comes, or (a small
/// document that only the whole-document reader reads) already read.
enum RawEvents {
    Pieces {
        text: String,
        pieces: std::vec::IntoIter<split::Piece>,
    },
    Read(std::vec::IntoIter<RawEvent>),
}

impl Opened<'_> {
    /// How many events the trace has.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether the trace has no events.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

impl Iterator for Opened<'_> {
    type Item = Result<Event, TraceError>;

    fn next(&mut self) -> Option<Self::Item> {
        let raw = match &mut self.events {
            RawEvents::Read(events) => Ok(events.next()?),
            RawEvents::Pieces { text, pieces } => {
                let piece = pieces.next()?;
                yaml_piece::<RawEvent>(text, piece)
            }
        };
        self.number += 1;
        Some(raw.and_then(|raw| event(raw, self.number, self.folder, &mut self.files)))
    }
}

/// Texts up to this size whose top level the piece reader does not take are read whole
/// (the whole-document reader words their errors); a larger one gets the piece reader's.
const READ_WHOLE_UP_TO: usize = 1024 * 1024;

/// Opens a trace: its format version and `resolve` map are read, its events are read as they
/// are taken (each from its own piece of the text: a trace's memory does not grow with its
/// events); `folder` says where the files they name are read from.
pub fn open<'f>(text: &str, folder: &'f Folder<'f>) -> Result<Opened<'f>, TraceError> {
    let opened = |resolve, events, len| Opened {
        resolve,
        events,
        len,
        number: 0,
        folder,
        files: FileCache::default(),
    };
    let yaml_error = |e: crate::yaml::YamlError| {
        let at = match (e.line, e.column) {
            (Some(l), Some(c)) => format!("line {l}, column {c}"),
            _ => String::new(),
        };
        terr(at, e.message)
    };
    crate::yaml::guard(text).map_err(yaml_error)?;
    let split = split::split(text).and_then(|spans| match spans.version {
        Some(Ok(v)) => Ok((v, spans)),
        Some(Err(e)) => Err(e),
        None => Err("no `trace` key".into()),
    });
    let (version, spans) = match split {
        Ok(found) => found,
        Err(why) if text.len() > READ_WHOLE_UP_TO => return Err(terr("trace", why)),
        Err(_) => {
            let raw: RawTrace = crate::yaml::from_str(text).map_err(yaml_error)?;
            check_version(raw.trace)?;
            let len = raw.events.len();
            return Ok(opened(
                raw.resolve,
                RawEvents::Read(raw.events.into_iter()),
                len,
            ));
        }
    };
    check_version(version)?;
    let resolve = match spans.resolve {
        Some(piece) => yaml_piece(text, piece)?,
        None => BTreeMap::new(),
    };
    let pieces = spans
        .events
        .ok_or_else(|| terr("trace", "missing field `events`"))?;
    let len = pieces.len();
    let events = RawEvents::Pieces {
        text: text.to_string(),
        pieces: pieces.into_iter(),
    };
    Ok(opened(resolve, events, len))
}

fn check_version(version: u32) -> Result<(), TraceError> {
    if version != 1 {
        return Err(terr(
            "trace",
            format!("format version {version} (this tool reads version 1)"),
        ));
    }
    Ok(())
}

/// A piece of the trace's text read alone, its errors placed in the whole text.
fn yaml_piece<T: serde::de::DeserializeOwned>(
    text: &str,
    piece: split::Piece,
) -> Result<T, TraceError> {
    crate::yaml::from_str(&piece.text(text)).map_err(|e| {
        let at = match (e.line, e.column) {
            (Some(l), Some(c)) => format!("line {}, column {c}", l + piece.line - 1),
            _ => String::new(),
        };
        terr(at, e.message)
    })
}

/// Reads a whole trace (every event in memory; [`open`] reads them one at a time).
pub fn read(text: &str, folder: &Folder) -> Result<Trace, TraceError> {
    let mut opened = open(text, folder)?;
    let resolve = std::mem::take(&mut opened.resolve);
    let events = opened.collect::<Result<Vec<_>, _>>()?;
    Ok(Trace { resolve, events })
}

/// One event of the trace, its bodies and the files it names read.
fn event(
    e: RawEvent,
    number: usize,
    base: &Folder,
    files: &mut FileCache,
) -> Result<Event, TraceError> {
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
            (None, Some(f)) => read_file(base, files, f, &place)?.to_vec(),
            _ => return Err(terr(&place, "sip: give exactly one of raw, file")),
        };
        EventBody::Sip { text }
    } else if let Some(h) = &e.http {
        let mut ex = http(h, base, files, &place)?;
        ex.label = place.clone();
        EventBody::Http(Box::new(ex))
    } else if let Some(u) = &e.udp {
        EventBody::Udp {
            message: mikey(u, base, files, &place)?,
        }
    } else if let Some(s) = &e.sms {
        EventBody::Sms {
            message: mikey(s, base, files, &place)?,
        }
    } else {
        let f = e.flute.as_ref().ok_or_else(|| terr(&place, "no event"))?;
        let fdt = match (&f.fdt, &f.fdt_file) {
            (Some(t), None) => t.clone(),
            (None, Some(file)) => {
                String::from_utf8_lossy(&read_file(base, files, file, &place)?).to_string()
            }
            (None, None) => String::new(),
            _ => return Err(terr(&place, "give at most one of fdt, fdt_file")),
        };
        let mut objects = BTreeMap::new();
        for (toi, src) in &f.objects {
            objects.insert(
                *toi,
                mikey(src, base, files, &format!("{place}, object TOI {toi}"))?,
            );
        }
        EventBody::Flute {
            session: f.session.clone(),
            fdt,
            objects,
        }
    };
    Ok(Event {
        number,
        at: e.at,
        from: e.from,
        to: e.to,
        role: e.role,
        body,
        facts: Default::default(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The piece reader ([`split`]) gives every trace the same events, the same `resolve` and
    /// version as the whole-document reader: over every trace of the repository.
    #[test]
    fn read_in_pieces_every_trace_reads_as_read_whole() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = Vec::new();
        for dir in ["vectors/trace", "examples/session", "tests/bsm"] {
            for entry in std::fs::read_dir(root.join(dir)).unwrap() {
                let path = entry.unwrap().path();
                let name = path.file_name().unwrap().to_string_lossy().to_string();
                if name.contains(".trace.") {
                    files.push(path);
                }
            }
        }
        let mut in_pieces = 0;
        for path in &files {
            let text = std::fs::read_to_string(path).unwrap();
            let Ok(whole) = crate::yaml::from_str::<RawTrace>(&text) else {
                continue;
            };
            let spans = split::split(&text).unwrap_or_else(|e| panic!("{path:?}: {e}"));
            assert_eq!(spans.version, Some(Ok(whole.trace)), "{path:?}");
            let resolve: BTreeMap<String, String> = match spans.resolve {
                Some(p) => yaml_piece(&text, p).unwrap(),
                None => BTreeMap::new(),
            };
            assert_eq!(resolve, whole.resolve, "{path:?}");
            let pieces = spans.events.unwrap();
            assert_eq!(pieces.len(), whole.events.len(), "{path:?}");
            for (piece, event) in pieces.into_iter().zip(&whole.events) {
                let read: RawEvent = yaml_piece(&text, piece).unwrap();
                assert_eq!(format!("{read:?}"), format!("{event:?}"), "{path:?}");
            }
            in_pieces += 1;
        }
        assert!(in_pieces >= 50, "{in_pieces} of {} traces", files.len());
    }

    /// An error in an event read alone is placed on its line of the whole trace.
    #[test]
    fn an_event_read_alone_is_placed_in_the_whole_trace() {
        let text = "trace: 1\nevents:\n- udp: {hex: '01'}\n- udp: {hex: '01'}\n  colour: blue\n";
        let folder = Folder {
            base: Path::new("."),
            root: Path::new("."),
        };
        let errors: Vec<String> = open(text, &folder)
            .unwrap()
            .filter_map(|e| e.err().map(|e| e.to_string()))
            .collect();
        assert_eq!(errors.len(), 1, "{errors:?}");
        // The whole-document reader places it alike: the key `colour`, line 5, column 3.
        assert!(errors[0].starts_with("line 5, column 3"), "{errors:?}");
        assert!(errors[0].contains("unknown field `colour`"), "{errors:?}");
    }
}

//! The input formats mikeyconf reads, in one table: for each, its name, the file-name
//! endings that make a folder's file an input, how its content is told (sniffed), which
//! reader judges it, and which MIKEY messages `decode` lists from it.
//!
//! Every place that tells inputs apart uses this table and nothing else: `Engine::check`
//! (which reader judges the bytes), `Engine::recognise` and `check`'s folder walk (which
//! files are inputs), `check`'s streaming of captures, `decode` ([`discover::find_messages`],
//! in this folder) and the suite's vector discovery (`suite::discover`). Before it, each
//! kept its own list, and they disagreed:
//!
//! * **Sniff order.** `check` tried SIP before session traces, `recognise` and `decode` the
//!   other way round. The order does not matter between those two (a trace's first line is
//!   `trace:` or `{"trace"`, which is no SIP start line, and a SIP file's first line is a
//!   start line: `tests` below checks every vector is sniffed as at most one format), so the
//!   table keeps `check`'s order, the one every vector's verdict was written against.
//!   Where sniffs may overlap the order is fixed and meaningful: a capture's magic number
//!   first (binary, never text), a CPNS trace's header before any other text (it is YAML or
//!   JSON Lines, as a session trace or a HAR archive may be), HTTP after SIP (an HTTP
//!   request line is no SIP start line, but a `curl -v` transcript may carry anything), XML
//!   last of the sniffed formats (a markup document opens with `<`, which no other does).
//! * **Extensions.** The folder walk took `.pcap`, `.pcapng` and `.trace.json` but the suite
//!   did not, so no capture could be a vector; the suite took `.md` and `.docx` (change
//!   requests, judged by `mikeyconf spec`, not `check`) which the walk rightly did not. The
//!   table lists them all, and marks the change-request documents as not taken by `check`.
//!
//! An ending says a file is an input; its content says how it is read. Two endings are
//! read by name alone: `.msg.yaml` and `.psk.yaml` are readable descriptions of a MIKEY
//! message, encoded into its octets before anything else sees them ([`read_file`]). A MIKEY
//! message written as text (hex, base64, an SDP value) cannot be told from other text by
//! content, so [`Format::sniff`] is `None` for it: a folder's file is taken as MIKEY by its
//! name, and `check` reads as MIKEY what no other format claims and is not markup.
//!
//! Input with nothing but white space in it is no format's: nothing in it can be judged, so
//! it is "could not check: empty input" ([`detect`]), whether a file or standard input.

mod described;
pub mod discover;

use crate::settings::Settings;
use std::path::Path;

/// Which reader judges an input (and which messages `decode` lists from it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reader {
    /// `Engine::check_pcap`: UDP MIKEY datagrams and SIP over UDP and TCP.
    Pcap,
    /// `Engine::check_cpns`: an OMA CPNS group-key trace.
    CpnsTrace,
    /// `Engine::check_sip`: a file of SIP messages.
    Sip,
    /// `Engine::check_sdp`: an SDP description's `a=key-mgmt` attributes.
    Sdp,
    /// `Engine::check_trace`: a session trace.
    SessionTrace,
    /// `Engine::check_capture`: HTTP exchanges (HAR, raw HTTP, `curl -v`).
    HttpExchange,
    /// `Engine::check_xml`: an XML payload.
    Xml,
    /// `Engine::check_mikey`: one MIKEY message (raw, hex, base64, SDP value).
    Mikey,
    /// `mikeyconf spec`: a change request (never `check`'s).
    SpecDocument,
}

/// The MIKEY messages a format holds, for `decode`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Holds {
    /// Messages, in words: which.
    Messages(&'static str),
    /// None, and why: `decode`'s answer for it.
    Nothing(&'static str),
}

/// One input format.
pub struct Format {
    /// The format's name: the kind `check` reports for it and `--as` names it by (XML
    /// payloads and MIKEY messages are named by their payload or profile kinds instead).
    pub name: &'static str,
    /// File-name endings (without the first dot, compared ignoring case) that make a
    /// folder's file an input of this format whatever its content.
    pub extensions: &'static [&'static str],
    /// Whether the first octets (at most [`SNIFF_BYTES`]) are this format's; `None` for a
    /// format that content cannot tell.
    pub sniff: Option<fn(&[u8], &Settings) -> bool>,
    /// Whether `--as KIND` names this format.
    pub named_by: fn(&str, &Settings) -> bool,
    pub reader: Reader,
    /// The MIKEY messages `decode` lists from it: the same messages `check` judges.
    pub holds: Holds,
    /// Whether `check` takes a folder's file of this format (change requests are `spec`'s).
    pub checked: bool,
}

/// How much of a file the sniffs need to see.
pub const SNIFF_BYTES: usize = 8192;

/// The formats, in the order their sniffs are tried (see the module doc for why).
pub static FORMATS: &[Format] = &[
    Format {
        name: "pcap",
        extensions: &["pcap", "pcapng"],
        sniff: Some(|b, _| crate::pcap::looks_like_pcap(b)),
        named_by: |k, _| k == "pcap",
        reader: Reader::Pcap,
        holds: Holds::Messages("each UDP datagram on the MIKEY ports (setting pcap_ports), each MTK object of a FLUTE session, each application/mikey body and LTKM of the SIP messages on the SIP ports (setting sip.ports), and each application/mikey body and LTKM of the HTTP exchanges on the HTTP ports (setting http.ports)"),
        checked: true,
    },
    Format {
        name: crate::engine::cpns::KIND,
        extensions: &["cpns.yaml", "cpns.jsonl"],
        sniff: Some(|b, _| crate::engine::cpns::looks_like_cpns(b)),
        named_by: |k, _| k == crate::engine::cpns::KIND,
        reader: Reader::CpnsTrace,
        holds: Holds::Nothing("a CPNS group-key trace: it names keys by ID and fingerprint and carries no MIKEY message"),
        checked: true,
    },
    Format {
        name: "sip",
        extensions: &["sip"],
        sniff: Some(|b, _| crate::sip::looks_like_sip(b)),
        named_by: |k, _| k == "sip",
        reader: Reader::Sip,
        holds: Holds::Messages("each application/mikey body and each LTKM of an XML body of its SIP messages (nested messages and multipart bodies too)"),
        checked: true,
    },
    Format {
        name: crate::engine::sdp::KIND,
        extensions: &["sdp"],
        sniff: Some(|b, _| crate::sdp::looks_like_sdp(b)),
        named_by: |k, _| k == crate::engine::sdp::KIND,
        reader: Reader::Sdp,
        holds: Holds::Messages("the MIKEY message of each a=key-mgmt:mikey attribute"),
        checked: true,
    },
    Format {
        name: "session-trace",
        extensions: &["trace.yaml", "trace.json"],
        sniff: Some(|b, _| crate::trace::looks_like_trace(b)),
        named_by: |k, _| k == "session-trace",
        reader: Reader::SessionTrace,
        holds: Holds::Nothing("a session trace: decode the captures and messages it names instead"),
        checked: true,
    },
    Format {
        name: "http-exchange",
        extensions: &["http", "har"],
        sniff: Some(|b, _| crate::exchange::looks_like_http_exchange(b)),
        // The capture kinds the formats above do not name (they come first).
        named_by: |k, s| s.is_capture_kind(k),
        reader: Reader::HttpExchange,
        holds: Holds::Messages("each application/mikey body and each LTKM of the XML bodies"),
        checked: true,
    },
    Format {
        name: "xml",
        extensions: &["xml"],
        sniff: Some(looks_like_payload),
        named_by: |k, s| s.kind(k).is_some(),
        reader: Reader::Xml,
        holds: Holds::Messages("each LTKM in a BCAST container (setting embedded_mikey)"),
        checked: true,
    },
    Format {
        name: "mikey",
        extensions: &["hex", "b64", "bin", "txt"],
        sniff: None,
        named_by: |k, s| s.is_mikey_kind(k),
        reader: Reader::Mikey,
        holds: Holds::Messages("the message itself"),
        checked: true,
    },
    Format {
        name: "mikey-description",
        extensions: &["msg.yaml", "psk.yaml"],
        sniff: None,
        named_by: |_, _| false,
        reader: Reader::Mikey,
        holds: Holds::Messages("the message it describes, encoded"),
        checked: true,
    },
    Format {
        name: "spec-document",
        extensions: &["md", "docx"],
        sniff: None,
        named_by: |_, _| false,
        reader: Reader::SpecDocument,
        holds: Holds::Nothing("a change request: check it with `mikeyconf spec`"),
        checked: false,
    },
];

/// The help of `check PATH`: a file, stdin or a folder, whose files are taken by every
/// ending of the formats `check` takes, or by a content one of them sniffs.
pub fn paths_help() -> String {
    let checked = || FORMATS.iter().filter(|f| f.checked);
    let endings: Vec<String> = (checked().flat_map(|f| f.extensions))
        .map(|e| format!("*.{e}"))
        .collect();
    let sniffed: Vec<&str> = (checked().filter(|f| f.sniff.is_some()))
        .map(|f| f.name)
        .collect();
    let (last, first) = endings
        .split_last()
        .map_or(("", &[][..]), |(l, f)| (l.as_str(), f));
    format!(
        "A file (checked whatever its name), `-` for stdin, or a folder: every file in it and in its subfolders named {} or {last} (any case), or whose content is one of these formats: {}. Other files are listed on stderr as skipped.",
        first.join(", "),
        sniffed.join(", ")
    )
}

/// The format of the given name.
pub fn named(name: &str) -> &'static Format {
    FORMATS
        .iter()
        .find(|f| f.name == name)
        .unwrap_or_else(|| unreachable!("no input format named {name}"))
}

/// The format a file name's ending says (ignoring case), if any: the longest ending wins
/// (`x.trace.yaml` is a trace, not a description).
pub fn by_name(file_name: &str) -> Option<&'static Format> {
    let lower = file_name.to_ascii_lowercase();
    FORMATS
        .iter()
        .flat_map(|f| f.extensions.iter().map(move |e| (f, *e)))
        .filter(|(_, e)| {
            lower.len() > e.len() + 1
                && lower.ends_with(e)
                && lower.as_bytes()[lower.len() - e.len() - 1] == b'.'
        })
        .max_by_key(|(_, e)| e.len())
        .map(|(f, _)| f)
}

/// The format the first octets show, by the sniffs in table order; `None` when no sniff
/// claims them (MIKEY text, other text, other binary data).
pub fn sniffed(head: &[u8], settings: &Settings) -> Option<&'static Format> {
    FORMATS
        .iter()
        .find(|f| f.sniff.is_some_and(|sniff| sniff(head, settings)))
}

/// Every kind `--as` takes: the fixed formats' names, then the capture, payload and MIKEY
/// kinds the settings define, each once, in that order.
pub fn kind_names(settings: &Settings) -> Vec<String> {
    let fixed = ["pcap", "sip", "session-trace", crate::engine::cpns::KIND];
    let mut names: Vec<String> = fixed.iter().map(|n| n.to_string()).collect();
    let defined = settings.capture_kinds.iter().map(|k| &k.name);
    let defined = defined.chain(settings.kinds.iter().map(|k| &k.name));
    for name in defined.chain(settings.mikey_kinds.iter().map(|k| &k.name)) {
        if !names.contains(name) {
            names.push(name.clone());
        }
    }
    names
}

/// `Ok` when `--as` names a kind some format reads; else the error a run stops with before
/// reading any input: the kinds it could have named, and the nearest one.
pub fn known_kind(kind: &str, settings: &Settings) -> Result<(), String> {
    if FORMATS.iter().any(|f| (f.named_by)(kind, settings)) {
        return Ok(());
    }
    let names = kind_names(settings);
    let nearest = names
        .iter()
        .map(|n| (strsim::damerau_levenshtein(kind, n), n))
        .filter(|(d, n)| *d <= 2.max(n.len() / 3))
        .min_by_key(|(d, _)| *d)
        .map(|(_, n)| format!(" (did you mean '{n}'?)"))
        .unwrap_or_default();
    Err(format!(
        "unknown kind {}{nearest}; the kinds are: {}",
        crate::yaml::shown_name(kind, '\''),
        names.join(", ")
    ))
}

/// The format `check` reads an input as: the one `--as` names, else the one its content
/// shows; what no sniff claims is read as XML when it opens with markup (`<`, or a UTF-16
/// byte order mark), and as a MIKEY message otherwise. `Err` for an input with nothing but
/// white space in it, and for a kind no format knows.
pub fn detect(
    bytes: &[u8],
    as_kind: Option<&str>,
    settings: &Settings,
) -> Result<&'static Format, String> {
    if is_empty(bytes) {
        return Err(empty_reason(bytes));
    }
    if let Some(k) = as_kind {
        return FORMATS
            .iter()
            .find(|f| (f.named_by)(k, settings))
            .ok_or_else(|| format!("unknown kind '{k}'"));
    }
    if let Some(f) = sniffed(bytes, settings) {
        return Ok(f);
    }
    Ok(named(if opens_with_markup(bytes) {
        "xml"
    } else {
        "mikey"
    }))
}

/// Whether an input has nothing in it but white space (after a UTF-8 byte order mark).
pub fn is_empty(bytes: &[u8]) -> bool {
    let b = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
    b.iter().all(u8::is_ascii_whitespace)
}

/// Why an empty input could not be checked.
pub fn empty_reason(bytes: &[u8]) -> String {
    if bytes.is_empty() {
        "empty input".to_string()
    } else {
        format!("empty input: {} octets of white space only", bytes.len())
    }
}

/// Whether the bytes open (after a UTF-8 byte order mark and blanks) with `<`, or with a
/// UTF-16 byte order mark (only XML is read that way), or with a `<` in UTF-16 of either
/// byte order without the mark (XML 1.0 Appendix F; the XML reader refuses it, the same way
/// for both).
pub fn opens_with_markup(bytes: &[u8]) -> bool {
    let b = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
    if b.starts_with(&[0xFF, 0xFE])
        || b.starts_with(&[0xFE, 0xFF])
        || crate::xml::utf16_without_bom(b).is_some()
    {
        return true;
    }
    b.iter().find(|c| !c.is_ascii_whitespace()) == Some(&b'<')
}

/// Whether the first octets are an XML payload's: an XML declaration, a UTF-16 byte order
/// mark (or UTF-16 markup without one), or a first element (after comments and processing instructions) whose local name
/// is the root of a payload kind. Other markup is read as XML only when no format claims it
/// (see [`detect`]); a folder's file is not taken for it.
fn looks_like_payload(head: &[u8], settings: &Settings) -> bool {
    let b = head.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(head);
    if b.starts_with(&[0xFF, 0xFE])
        || b.starts_with(&[0xFE, 0xFF])
        || crate::xml::utf16_without_bom(b).is_some()
    {
        return true;
    }
    let text = b.trim_ascii_start();
    if text.starts_with(b"<?xml") {
        return true;
    }
    if !text.starts_with(b"<") {
        return false;
    }
    let Some(first) = text
        .split(|&c| c == b'<')
        .skip(1)
        .find(|t| !t.starts_with(b"?") && !t.starts_with(b"!"))
    else {
        return false;
    };
    let name_end = first
        .iter()
        .position(|c| c.is_ascii_whitespace() || matches!(c, b'>' | b'/'))
        .unwrap_or(first.len());
    let name = &first[..name_end];
    let local = name.rsplit(|&c| c == b':').next().unwrap_or(name);
    settings.kinds.iter().any(|k| k.root.as_bytes() == local)
}

/// The octets a file stands for: its content, or for a MIKEY message description
/// (`.msg.yaml`, `.psk.yaml`) the message it describes, encoded.
pub fn read_file(path: &Path, limit: crate::bounded::Limit) -> Result<Vec<u8>, String> {
    let raw =
        crate::bounded::read_path(path, limit).map_err(|e| format!("{}: {e}", path.display()))?;
    let name = path.to_string_lossy().to_ascii_lowercase();
    let encoded = if name.ends_with(".psk.yaml") {
        described::sealed(&raw)
    } else if name.ends_with(".msg.yaml") {
        described::plain(&raw)
    } else {
        return Ok(raw);
    };
    encoded.map_err(|e| format!("{}: {e}", path.display()))
}

/// Whether a file is read by its name (a MIKEY message description) rather than as it is.
pub fn read_by_name(path: &Path) -> bool {
    let name = path.to_string_lossy().to_ascii_lowercase();
    name.ends_with(".msg.yaml") || name.ends_with(".psk.yaml")
}

#[cfg(test)]
mod tests;

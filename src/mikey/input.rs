//! Input format detection: raw binary, hex, base64, SDP `a=key-mgmt:mikey`
//! lines and bare `mikey <base64>` values.
//!
//! Two entry points:
//!
//! * [`recognise`] accepts an input only when it is positively MIKEY: raw octets, hex or
//!   base64 whose first octets are a plausible common header (version 1, a MIKEY data type,
//!   a payload type as next payload), or an SDP `a=key-mgmt:mikey` line or `mikey …` value,
//!   which name the protocol themselves. Anything else is [`InputError::NotRecognised`],
//!   with what the input looks like instead (a SIP request, JSON, text, binary data…).
//! * [`load`] reads any of those forms without judging the header: for an input the user
//!   has named MIKEY, whose wrong header the structure rules then report.

use base64::Engine;
use serde::Serialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum InputFormat {
    /// Raw MIKEY octets (first octet 0x01, not all printable).
    Binary,
    /// Hex digits, optionally with whitespace, colons and a `0x` prefix.
    Hex,
    /// Standard base64 with strict padding (whitespace ignored).
    Base64,
    /// An SDP `a=key-mgmt:mikey <base64>` attribute (alone or inside an SDP body).
    SdpKeyMgmt,
    /// A bare `mikey <base64>` key-mgmt value.
    MikeyValue,
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum InputError {
    #[error("empty input")]
    Empty,
    #[error("input is neither a raw MIKEY message (first octet 0x{first:02x}, expected 0x01) nor UTF-8 text")]
    NotText { first: u8 },
    #[error("invalid hex: {0}")]
    InvalidHex(String),
    #[error("invalid base64 in {format}: {detail}")]
    InvalidBase64 { format: InputFormat, detail: String },
    #[error("SDP key-mgmt attribute names protocol {0:?}, not \"mikey\"")]
    NotMikeyKeyMgmt(String),
    #[error("unrecognised input: not raw MIKEY, hex, base64 or an SDP key-mgmt value")]
    Unrecognised,
    /// Not positively MIKEY (see [`recognise`]). `looks_like` says what it seems to be
    /// instead; neither field quotes the input's content.
    #[error("not a recognised input ({looks_like}): {why}")]
    NotRecognised { looks_like: String, why: String },
}

/// Whether `b` could be text; a message with any other octet is raw bytes ([`load`]).
pub(crate) fn all_printable(b: &[u8]) -> bool {
    b.iter()
        .all(|c| (0x20..0x7f).contains(c) || matches!(c, b'\t' | b'\r' | b'\n'))
}

fn b64(s: &str, format: InputFormat) -> Result<Vec<u8>, InputError> {
    let clean: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    if clean.is_empty() {
        return Err(InputError::InvalidBase64 {
            format,
            detail: "no base64 data".into(),
        });
    }
    base64::engine::general_purpose::STANDARD
        .decode(clean.as_bytes())
        .map_err(|e| InputError::InvalidBase64 {
            format,
            detail: e.to_string(),
        })
}

/// Value after `mikey` in a key-mgmt value (`mikey <base64>`), if it is one.
fn mikey_value(s: &str) -> Option<&str> {
    let s = s.trim_start();
    let (proto, rest) = s.split_at(s.find(char::is_whitespace).unwrap_or(s.len()));
    proto.eq_ignore_ascii_case("mikey").then_some(rest)
}

/// Loads a MIKEY message from any supported input form.
pub fn load(bytes: &[u8]) -> Result<(Vec<u8>, InputFormat), InputError> {
    if bytes.is_empty() {
        return Err(InputError::Empty);
    }
    // Anything with a non-printable octet is raw bytes, whatever its first octet: a message
    // with a wrong version must still reach the rules that report it.
    if !all_printable(bytes) {
        return Ok((bytes.to_vec(), InputFormat::Binary));
    }
    let text = std::str::from_utf8(bytes).map_err(|_| InputError::NotText { first: bytes[0] })?;
    let t = text.trim();
    if t.is_empty() {
        return Err(InputError::Empty);
    }
    // SDP: the first a=key-mgmt line (possibly inside a whole SDP body).
    if let Some(line) = t
        .lines()
        .map(str::trim)
        .find(|l| l.to_ascii_lowercase().starts_with("a=key-mgmt:"))
    {
        let value = &line["a=key-mgmt:".len()..];
        return match mikey_value(value) {
            Some(rest) => Ok((b64(rest, InputFormat::SdpKeyMgmt)?, InputFormat::SdpKeyMgmt)),
            None => Err(InputError::NotMikeyKeyMgmt(
                value.split_whitespace().next().unwrap_or("").to_string(),
            )),
        };
    }
    if let Some(rest) = mikey_value(t) {
        return Ok((b64(rest, InputFormat::MikeyValue)?, InputFormat::MikeyValue));
    }
    // Hex: digits with optional whitespace/colons and 0x prefix.
    let h = t
        .strip_prefix("0x")
        .or_else(|| t.strip_prefix("0X"))
        .unwrap_or(t);
    let hex_clean: String = h
        .chars()
        .filter(|c| !c.is_whitespace() && *c != ':')
        .collect();
    if !hex_clean.is_empty() && hex_clean.chars().all(|c| c.is_ascii_hexdigit()) {
        if hex_clean.len() & 1 == 1 {
            return Err(InputError::InvalidHex(format!(
                "odd number of hex digits ({})",
                hex_clean.len()
            )));
        }
        return hex::decode(&hex_clean)
            .map(|v| (v, InputFormat::Hex))
            .map_err(|e| InputError::InvalidHex(e.to_string()));
    }
    let b64_like = t
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '=') || c.is_whitespace());
    if b64_like {
        return Ok((b64(t, InputFormat::Base64)?, InputFormat::Base64));
    }
    Err(InputError::Unrecognised)
}

/// The form in words a user knows (`raw binary`, `hex text`, …), for notes and errors.
impl std::fmt::Display for InputFormat {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            InputFormat::Binary => "raw binary",
            InputFormat::Hex => "hex text",
            InputFormat::Base64 => "base64 text",
            InputFormat::SdpKeyMgmt => "an SDP a=key-mgmt line",
            InputFormat::MikeyValue => "a mikey key-mgmt value",
        })
    }
}

/// What the MIKEY input forms are, for the reasons given when an input is none of them.
const FORMS: &str = "MIKEY is read from raw octets, hex or base64 starting with a MIKEY common header, an SDP a=key-mgmt:mikey line or a 'mikey ...' value";

/// Why `msg` cannot be the start of a MIKEY common header (RFC 3830 6.1), or `None` when it
/// can: octet 0 is the version (1), octet 1 a data type (one IANA assigns, 0-26, the 27 some
/// implementations send, or a private-use 241-255) and octet 2 a payload type as next payload.
pub fn header_problem(msg: &[u8]) -> Option<String> {
    use super::codes::{DataType, PayloadType};
    if msg.len() < 3 {
        return Some(format!(
            "{} octet(s), too short for a MIKEY common header",
            msg.len()
        ));
    }
    if msg[0] != 1 {
        return Some("its first octet is not 1, the MIKEY version".into());
    }
    let dt = DataType(msg[1]);
    if dt.name().is_none() && dt.0 != 27 && dt.0 < 241 {
        return Some(format!(
            "octet 1 (data type {}) is not a MIKEY data type",
            dt.0
        ));
    }
    let np = PayloadType(msg[2]);
    if np.name().is_none() {
        return Some(format!(
            "octet 2 (next payload {}) is not a MIKEY payload type",
            np.0
        ));
    }
    None
}

/// What an input that is not MIKEY looks like, from its shape only (no content is quoted).
pub fn looks_like(bytes: &[u8]) -> String {
    let magic: &[(&[u8], &str)] = &[
        (&[0x1f, 0x8b], "gzip-compressed data"),
        (b"PK\x03\x04", "a ZIP archive"),
        (b"%PDF-", "a PDF document"),
        (b"\x89PNG", "a PNG image"),
        (b"\x7fELF", "an ELF executable"),
    ];
    if let Some((_, what)) = magic.iter().find(|(m, _)| bytes.starts_with(m)) {
        return (*what).to_string();
    }
    let text = match std::str::from_utf8(bytes) {
        Ok(t)
            if !t
                .chars()
                .any(|c| c.is_control() && !matches!(c, '\t' | '\r' | '\n')) =>
        {
            t
        }
        _ => return "binary data".into(),
    };
    let t = text.trim_start_matches('\u{feff}').trim_start();
    let first = t.lines().next().unwrap_or("").trim_end();
    let words: Vec<&str> = first.split(' ').collect();
    let is_method = |w: &str| !w.is_empty() && w.bytes().all(|b| b.is_ascii_uppercase());
    if let [method, uri, version] = words[..] {
        if is_method(method) && version == "SIP/2.0" {
            let scheme = uri.split(':').next().unwrap_or("");
            if ["sip", "sips", "tel", "urn"].contains(&scheme.to_ascii_lowercase().as_str()) {
                return format!("a SIP {method} request");
            }
        }
        if is_method(method) && version.starts_with("HTTP/") {
            return format!("an HTTP {method} request");
        }
    }
    if first.starts_with("SIP/2.0 ") {
        return "a SIP response".into();
    }
    if first.starts_with("HTTP/") {
        return "an HTTP response".into();
    }
    if t.starts_with('{') || t.starts_with('[') {
        return "JSON text".into();
    }
    if t.starts_with("-----BEGIN ") {
        return "a PEM block".into();
    }
    if first == "v=0" {
        return "an SDP body with no a=key-mgmt line".into();
    }
    "text".into()
}

/// Loads a MIKEY message only when the input is positively one (see the module doc); any
/// other input is [`InputError::NotRecognised`], never a MIKEY decode.
pub fn recognise(bytes: &[u8]) -> Result<(Vec<u8>, InputFormat), InputError> {
    match load(bytes) {
        // The attribute and the value name the protocol: what follows is MIKEY by the
        // sender's word, and a wrong header is for the structure rules to report.
        Ok(x @ (_, InputFormat::SdpKeyMgmt | InputFormat::MikeyValue)) => Ok(x),
        Ok((msg, format)) => match header_problem(&msg) {
            None => Ok((msg, format)),
            Some(problem) => {
                let looks = match format {
                    InputFormat::Hex => format!("hex text, {} octets", msg.len()),
                    InputFormat::Base64 => format!("base64 text, {} octets", msg.len()),
                    _ => looks_like(bytes),
                };
                // Octets are judged by their header; text read as octets (it has non-ASCII
                // characters) is simply not one of the forms.
                let why = match format {
                    InputFormat::Binary if looks != "binary data" => FORMS.to_string(),
                    _ => format!("{problem}; {FORMS}"),
                };
                Err(InputError::NotRecognised {
                    looks_like: looks,
                    why,
                })
            }
        },
        Err(
            e @ (InputError::Empty
            | InputError::NotMikeyKeyMgmt(_)
            | InputError::InvalidBase64 {
                format: InputFormat::SdpKeyMgmt | InputFormat::MikeyValue,
                ..
            }),
        ) => Err(e),
        Err(_) => Err(InputError::NotRecognised {
            looks_like: looks_like(bytes),
            why: FORMS.into(),
        }),
    }
}

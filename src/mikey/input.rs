//! Input format detection: raw binary, hex, base64, SDP `a=key-mgmt:mikey`
//! lines and bare `mikey <base64>` values.

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
}

fn all_printable(b: &[u8]) -> bool {
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

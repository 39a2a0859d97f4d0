//! `Field<T>`: a decoded value with its absolute byte offset and length,
//! plus byte wrappers that control how data is shown in reports.

use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};
use std::borrow::Cow;
use std::fmt;

/// A decoded wire value with the absolute byte offset and length it came from.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Field<T> {
    pub value: T,
    pub offset: usize,
    pub len: usize,
}

impl<T> Field<T> {
    pub fn new(value: T, offset: usize, len: usize) -> Self {
        Field { value, offset, len }
    }
    /// Same span, different value (used for bit fields that share an octet).
    pub fn with<U>(&self, value: U) -> Field<U> {
        Field {
            value,
            offset: self.offset,
            len: self.len,
        }
    }
    /// Offset one past the last octet of this field.
    pub fn end(&self) -> usize {
        self.offset + self.len
    }
}

/// Key material (KEMAC key, salt, SAKKE encapsulated data, NULL-encrypted
/// KEMAC plaintext). Debug, JSON and text renders show only the length and
/// a 32-bit SHA-256 fingerprint, never the bytes.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Secret<'a>(pub &'a [u8]);

impl fmt::Debug for Secret<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&secret_summary(self.0))
    }
}

/// Ciphertext or other bulky opaque data: renders show the length, the first
/// 16 octets and a fingerprint.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Opaque<'a>(pub &'a [u8]);

/// Summary used for secrets: `<redacted: 16 octets, sha256:1a2b3c4d>`.
pub fn secret_summary(b: &[u8]) -> String {
    format!("<redacted: {} octets, sha256:{}>", b.len(), fingerprint(b))
}

/// Summary used for opaque data: hex of at most 16 octets, then an ellipsis.
pub fn opaque_summary(b: &[u8]) -> String {
    if b.len() <= 16 {
        hex::encode(b)
    } else {
        format!(
            "{}… ({} octets, sha256:{})",
            hex::encode(&b[..16]),
            b.len(),
            fingerprint(b)
        )
    }
}

/// How a field value is written into reports (JSON value plus a meaning).
pub trait FieldValue {
    fn json_value(&self) -> serde_json::Value;
    /// Human meaning of the value, e.g. the name of a code point.
    fn meaning(&self) -> Option<Cow<'static, str>> {
        None
    }
}

macro_rules! int_field_value {
    ($($t:ty),*) => {$(
        impl FieldValue for $t {
            fn json_value(&self) -> serde_json::Value {
                serde_json::Value::from(*self)
            }
        }
    )*};
}
int_field_value!(u8, u16, u32, u64, bool);

impl FieldValue for &[u8] {
    fn json_value(&self) -> serde_json::Value {
        serde_json::Value::String(hex::encode(self))
    }
    fn meaning(&self) -> Option<Cow<'static, str>> {
        printable(self).map(|s| Cow::Owned(format!("\"{s}\"")))
    }
}

impl FieldValue for Secret<'_> {
    fn json_value(&self) -> serde_json::Value {
        serde_json::Value::String(secret_summary(self.0))
    }
}

impl FieldValue for Opaque<'_> {
    fn json_value(&self) -> serde_json::Value {
        serde_json::Value::String(opaque_summary(self.0))
    }
}

/// The bytes as text when they are non-empty printable ASCII.
pub fn printable(b: &[u8]) -> Option<String> {
    if !b.is_empty() && b.iter().all(|c| (0x20..0x7f).contains(c)) {
        Some(String::from_utf8_lossy(b).into_owned())
    } else {
        None
    }
}

impl<T: FieldValue> Serialize for Field<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let meaning = self.value.meaning();
        let mut m = s.serialize_map(Some(if meaning.is_some() { 4 } else { 3 }))?;
        m.serialize_entry("value", &self.value.json_value())?;
        m.serialize_entry("offset", &self.offset)?;
        m.serialize_entry("len", &self.len)?;
        if let Some(me) = meaning {
            m.serialize_entry("meaning", &me)?;
        }
        m.end()
    }
}

/// First 4 octets of SHA-256 as hex: enough to tell two keys apart in a report without
/// revealing either.
pub fn fingerprint(data: &[u8]) -> String {
    use sha2::Digest;
    hex::encode(&sha2::Sha256::digest(data)[..4])
}

//! Values compared in their value space, not as the text that spells them.
//!
//! A conformance verdict must not depend on how a value is spelled: `TOI="02"` is TOI 2
//! (`xs:positiveInteger`), `2001:db8::7` is `2001:db8:0:0:0:0:0:7` (RFC 4291 2.2),
//! `sip:alice@EXAMPLE.COM` is `sip:alice@example.com` (RFC 3261 19.1.4). Every check that
//! compares such values goes through this module: [`ValueType`] names a type (a rule table
//! may name it with a check's `type:` parameter), [`ValueType::parse`] reads a lexical form
//! into a [`TypedValue`], and two values are equal when their typed values are. A spelling
//! that is not in the type's lexical space has no typed value; [`ValueType::key`] then falls
//! back to the text (collapsed as the type's whitespace facet says), so a malformed value is
//! still compared, only as written.
//!
//! The types:
//! - the XSD integer types of every width (XSD 1.1 Part 2, 3.4.13-3.4.26; whitespace
//!   `collapse`, leading zeros, an optional sign: `+` on every integer type, `-` only where
//!   the value space has negatives, or on zero);
//! - `xs:boolean` (`true`/`1`, `false`/`0`; XSD 1.1 Part 2, 3.3.2);
//! - `xs:base64Binary`, as the octets it encodes (whitespace ignored, 3.3.16);
//! - IP addresses ([`ip`]): `std::net`, so every IPv6 spelling of one address is equal;
//! - SIP, SIPS and tel URIs ([`uri`]): RFC 3261 19.1.4 and RFC 3966 §4;
//! - media types ([`MediaType`]): type and subtype, case-insensitive (RFC 2045 5.1, RFC 6838
//!   4.2), parameters ignored;
//! - header field names ([`header_name`]): case-insensitive, and SIP compact forms the long
//!   form's name (RFC 3261 7.3.1, 7.3.3; RFC 9110 5.1; RFC 2045), in the message heads only;
//! - MIKEY key IDs ([`key_id`]): Key Domain ID, MSK ID and MTK ID as unsigned integers of
//!   their wire width (TS 33.246 6.3.2.1, 6.3.3.1; RFC 4563 carries each with a length);
//! - `token` and `string`: text, collapsed or as written.

pub mod header_name;
pub mod ip;
pub mod key_id;
pub mod uri;

use crate::xsd::simple::{collapse, decode_base64, parse_integer};
use std::fmt;

pub use header_name::{HeaderName, NameForms};
pub use ip::IpAddress;
pub use key_id::KeyIdType;
pub use uri::Uri;

/// A type whose values are compared in their value space.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueType {
    /// Text as written (`xs:string`: whitespace preserved).
    String,
    /// Text with its whitespace collapsed (`xs:token` and the other collapsed string types).
    Token,
    /// An XSD integer type: its name and its value range.
    Integer(IntegerType),
    Boolean,
    Base64,
    IpAddress,
    /// A SIP, SIPS or tel URI.
    Uri,
    MediaType,
}

/// An XSD integer type: `xs:integer` or one derived from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IntegerType {
    pub name: &'static str,
    pub min: i128,
    pub max: i128,
}

/// The XSD integer types, with their value ranges (XSD 1.1 Part 2, 3.4).
const INTEGER_TYPES: &[IntegerType] = &[
    IntegerType {
        name: "integer",
        min: i128::MIN,
        max: i128::MAX,
    },
    IntegerType {
        name: "nonNegativeInteger",
        min: 0,
        max: i128::MAX,
    },
    IntegerType {
        name: "positiveInteger",
        min: 1,
        max: i128::MAX,
    },
    IntegerType {
        name: "nonPositiveInteger",
        min: i128::MIN,
        max: 0,
    },
    IntegerType {
        name: "negativeInteger",
        min: i128::MIN,
        max: -1,
    },
    IntegerType {
        name: "long",
        min: i64::MIN as i128,
        max: i64::MAX as i128,
    },
    IntegerType {
        name: "int",
        min: i32::MIN as i128,
        max: i32::MAX as i128,
    },
    IntegerType {
        name: "short",
        min: i16::MIN as i128,
        max: i16::MAX as i128,
    },
    IntegerType {
        name: "byte",
        min: i8::MIN as i128,
        max: i8::MAX as i128,
    },
    IntegerType {
        name: "unsignedLong",
        min: 0,
        max: u64::MAX as i128,
    },
    IntegerType {
        name: "unsignedInt",
        min: 0,
        max: u32::MAX as i128,
    },
    IntegerType {
        name: "unsignedShort",
        min: 0,
        max: u16::MAX as i128,
    },
    IntegerType {
        name: "unsignedByte",
        min: 0,
        max: u8::MAX as i128,
    },
];

impl IntegerType {
    /// The XSD integer type of a local name (`positiveInteger`, `unsignedByte`, ...).
    pub fn named(name: &str) -> Option<IntegerType> {
        let local = name.strip_prefix("xs:").unwrap_or(name);
        INTEGER_TYPES.iter().copied().find(|t| t.name == local)
    }

    /// The value of a lexical form: collapsed, an optional sign, decimal digits (leading
    /// zeros allowed), in range. XSD 1.1 Part 2 3.4.20: on a type without negatives "if the
    /// sign is present it must be '+' except for lexical forms denoting zero, which may be
    /// preceded by a positive ('+') or a negative ('-') sign" (likewise, a type without
    /// positives takes '+' only on zero).
    pub fn parse(self, raw: &str) -> Option<i128> {
        let v = collapse(raw);
        let n = parse_integer(&v)?;
        if n == 0 {
            return (self.min <= 0 && self.max >= 0).then_some(0);
        }
        let sign_fits = match v.as_bytes().first() {
            Some(b'-') => n < 0,
            Some(b'+') => n > 0,
            _ => true,
        };
        (sign_fits && n >= self.min && n <= self.max).then_some(n)
    }
}

/// A value read in its value space.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum TypedValue {
    Text(String),
    Integer(i128),
    Boolean(bool),
    Octets(Vec<u8>),
    Ip(IpAddress),
    Uri(Uri),
    MediaType(MediaType),
}

/// What a value is compared as: its typed value, or (outside the type's lexical space) its
/// text, collapsed where the type collapses whitespace.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Key {
    Typed(TypedValue),
    Unparsed(String),
}

/// A type name a rule table gave that this module does not know.
#[derive(Debug, Clone)]
pub struct UnknownType(pub String);

impl fmt::Display for UnknownType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown value type '{}' (an XSD integer type such as positiveInteger, or string, token, boolean, base64Binary, ip-address, uri, media-type)",
            self.0
        )
    }
}

impl std::str::FromStr for ValueType {
    type Err = UnknownType;

    /// A type by name: an XSD built-in (with or without `xs:`) or one of `ip-address`,
    /// `uri`, `media-type`.
    fn from_str(name: &str) -> Result<ValueType, UnknownType> {
        if let Some(t) = IntegerType::named(name) {
            return Ok(ValueType::Integer(t));
        }
        Ok(match name.strip_prefix("xs:").unwrap_or(name) {
            "string" => ValueType::String,
            "token" | "normalizedString" | "NCName" | "Name" | "anyURI" | "language" => {
                ValueType::Token
            }
            "boolean" => ValueType::Boolean,
            "base64Binary" => ValueType::Base64,
            "ip-address" => ValueType::IpAddress,
            "uri" => ValueType::Uri,
            "media-type" => ValueType::MediaType,
            _ => return Err(UnknownType(name.to_string())),
        })
    }
}

impl<'de> serde::Deserialize<'de> for ValueType {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let name = String::deserialize(d)?;
        name.parse().map_err(serde::de::Error::custom)
    }
}

impl ValueType {
    /// The typed value of a lexical form, or None when it is not in the type's lexical space.
    pub fn parse(self, raw: &str) -> Option<TypedValue> {
        Some(match self {
            ValueType::String => TypedValue::Text(raw.to_string()),
            ValueType::Token => TypedValue::Text(collapse(raw).into_owned()),
            ValueType::Integer(t) => TypedValue::Integer(t.parse(raw)?),
            ValueType::Boolean => TypedValue::Boolean(parse_boolean(raw)?),
            ValueType::Base64 => TypedValue::Octets(decode_base64(raw).ok()?),
            ValueType::IpAddress => TypedValue::Ip(IpAddress::parse(raw)?),
            ValueType::Uri => TypedValue::Uri(Uri::parse(raw)?),
            ValueType::MediaType => TypedValue::MediaType(MediaType::parse(raw)?),
        })
    }

    /// What a value is compared as: its typed value, else its text (collapsed, except for
    /// `xs:string`), so a malformed value still equals the same malformed spelling.
    pub fn key(self, raw: &str) -> Key {
        match self.parse(raw) {
            Some(v) => Key::Typed(v),
            None if self == ValueType::String => Key::Unparsed(raw.to_string()),
            None => Key::Unparsed(collapse(raw).into_owned()),
        }
    }

    /// Whether two lexical forms name the same value.
    pub fn same(self, a: &str, b: &str) -> bool {
        self.key(a) == self.key(b)
    }
}

/// `xs:boolean`: `true` and `1`, `false` and `0`, after whitespace collapse.
pub fn parse_boolean(raw: &str) -> Option<bool> {
    match &*collapse(raw) {
        "true" | "1" => Some(true),
        "false" | "0" => Some(false),
        _ => None,
    }
}

/// A media type without its parameters (RFC 2045 5.1: `type "/" subtype *(";" parameter)`),
/// lower-cased: type and subtype names are case-insensitive (RFC 6838 4.2; RFC 2045 5.1
/// "matching of media type and subtype is ALWAYS case-insensitive").
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct MediaType {
    essence: String,
}

impl MediaType {
    /// The media type of a Content-Type value: None when it has no `type/subtype`.
    pub fn parse(content_type: &str) -> Option<MediaType> {
        let essence = content_type.split(';').next()?.trim();
        let (ty, sub) = essence.split_once('/')?;
        let token = |s: &str| {
            !s.is_empty()
                && s.bytes()
                    .all(|b| b.is_ascii_graphic() && !b"()<>@,;:\\\"/[]?=".contains(&b))
        };
        (token(ty.trim()) && token(sub.trim())).then(|| MediaType {
            essence: format!("{}/{}", ty.trim(), sub.trim()).to_ascii_lowercase(),
        })
    }

    /// `type/subtype`, lower-cased.
    pub fn essence(&self) -> &str {
        &self.essence
    }

    /// Whether a Content-Type value names this media type (whatever its case and parameters).
    pub fn is(content_type: &str, essence: &str) -> bool {
        match (MediaType::parse(content_type), MediaType::parse(essence)) {
            (Some(a), Some(b)) => a == b,
            _ => false,
        }
    }
}

/// The media type of a Content-Type value, lower-cased and without parameters; a value with
/// no `type/subtype` is given back trimmed and lower-cased, so it can still be shown and
/// compared (it equals no media type).
pub fn media_type_essence(content_type: &str) -> String {
    match MediaType::parse(content_type) {
        Some(m) => m.essence,
        None => content_type
            .split(';')
            .next()
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase(),
    }
}

#[cfg(test)]
mod tests;

//! SIP, SIPS and tel URIs compared as RFC 3261 19.1.4 and RFC 3966 §4 say.
//!
//! RFC 3261 19.1.4 (URI Comparison), as applied here:
//! - "A SIP and SIPS URI are never equivalent."
//! - "Comparison of the userinfo of SIP and SIPS URIs is case-sensitive. [...] Comparison of
//!   all other components of the URI is case-insensitive unless explicitly defined otherwise."
//!   (The scheme is case-insensitive by RFC 3986 3.1.)
//! - "The ordering of parameters and header fields is not significant."
//! - "Characters other than those in the 'reserved' set (see RFC 2396) are equivalent to their
//!   '"%" HEX HEX' encoding." RFC 2396 2.2: reserved = `; / ? : @ & = + $ ,`. An escaped
//!   reserved character stays escaped (its hex digits compared in any case: they name one
//!   octet).
//! - "An IP address that is the result of a DNS lookup of a host name does not match that
//!   host name." An IP address host is compared as an address ([`super::IpAddress`]): the
//!   rule asks a case-insensitive comparison of the host, and an IPv6 reference written two
//!   ways is one address (RFC 4291 2.2).
//! - "For two URIs to be equal, the user, password, host, and port components must match. A
//!   URI omitting the user component will not match a URI that includes one. [...] A URI
//!   omitting any component with a default value will not match a URI explicitly containing
//!   that component with its default value [...] The same is true for the transport-parameter,
//!   ttl-parameter, user-parameter, and method components."
//! - uri-parameters: "Any uri-parameter appearing in both URIs must match. A user, ttl, or
//!   method uri-parameter appearing in only one URI never matches, even if it contains the
//!   default value. A URI that includes an maddr parameter will not match a URI that contains
//!   no maddr parameter. All other uri-parameters appearing in only one URI are ignored."
//!   (transport, by the rule above, is treated as user, ttl and method.)
//! - "URI header components are never ignored. Any present header component MUST be present
//!   in both URIs and match for the URIs to match." Header names compare case-insensitively,
//!   values as written (after unescaping); the per-header matching rules of RFC 3261 20 are
//!   not applied.
//!
//! Because parameters present in only one URI are ignored, this equality is not transitive;
//! [`SipUri`]'s hash covers only the components that must always match.
//!
//! RFC 3966 §4 (tel URIs): both global (`+`) or both local; the digits equal "after removing
//! all visual separators" (`-`, `.`, `(`, `)`); "Parameters are compared according to 'pname',
//! regardless of the order"; "If one URI has a parameter name not found in the other, the two
//! URIs are not equal"; a `phone-context` that is a number is compared without its visual
//! separators; "URI comparisons are case-insensitive".
//!
//! Source: RFC 3261 19.1.4 and RFC 3966 4, read as reproduced at
//! <https://bugtoolz.com/post/cs135696709> (RFC 3261 19.1.4, English text beside a translation).

use super::IpAddress;
use std::collections::BTreeMap;
use std::hash::{Hash, Hasher};

/// A SIP, SIPS or tel URI.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Uri {
    Sip(SipUri),
    Tel(TelUri),
}

impl Uri {
    /// A URI as written (surrounding whitespace and angle brackets ignored), or None when it
    /// is not a SIP, SIPS or tel URI of the RFC 3261 / RFC 3966 shape.
    pub fn parse(raw: &str) -> Option<Uri> {
        let s = raw.trim();
        let s = s
            .strip_prefix('<')
            .and_then(|x| x.strip_suffix('>'))
            .unwrap_or(s);
        let (scheme, rest) = s.split_once(':')?;
        match scheme.to_ascii_lowercase().as_str() {
            "sip" => SipUri::parse(false, rest).map(Uri::Sip),
            "sips" => SipUri::parse(true, rest).map(Uri::Sip),
            "tel" => TelUri::parse(rest).map(Uri::Tel),
            _ => None,
        }
    }
}

/// The host of a SIP URI: an IP address, or a host name (lower-cased).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Host {
    Ip(IpAddress),
    Name(String),
}

/// A SIP or SIPS URI in the form RFC 3261 19.1.4 compares.
#[derive(Debug, Clone)]
pub struct SipUri {
    pub secure: bool,
    /// The user, unescaped (but for reserved characters), case kept.
    pub user: Option<String>,
    pub password: Option<String>,
    pub host: Host,
    pub port: Option<u16>,
    /// Parameter name (lower-cased) → value (lower-cased), unescaped.
    pub params: BTreeMap<String, Option<String>>,
    /// Header name (lower-cased) and value (unescaped), sorted.
    pub headers: Vec<(String, String)>,
}

/// The parameters that, present in only one of two URIs, make them differ (19.1.4).
const PARAMS_IN_BOTH_OR_NEITHER: &[&str] = &["user", "ttl", "method", "maddr", "transport"];

impl SipUri {
    /// The part after `sip:` or `sips:`.
    fn parse(secure: bool, rest: &str) -> Option<SipUri> {
        // No unescaped '@' can follow the userinfo (RFC 3261 25: not in host, paramchar,
        // hnv-unreserved), so the first one ends it.
        let (userinfo, after) = match rest.split_once('@') {
            Some((u, a)) => (Some(u), a),
            None => (None, rest),
        };
        let (user, password) = match userinfo {
            Some(u) => {
                let (name, pw) = match u.split_once(':') {
                    Some((n, p)) => (n, Some(p)),
                    None => (u, None),
                };
                if name.is_empty() || !clean(name) || !pw.is_none_or(clean) {
                    return None;
                }
                (Some(unescape(name)?), unescape_opt(pw)?)
            }
            None => (None, None),
        };
        let (hostport, headers) = match after.split_once('?') {
            Some((h, q)) => (h, Some(q)),
            None => (after, None),
        };
        let mut parts = hostport.split(';');
        let (host, port) = host_port(parts.next()?)?;
        let mut params = BTreeMap::new();
        for p in parts {
            let (name, value) = parameter(p)?;
            params.entry(name).or_insert(value);
        }
        let mut hs = Vec::new();
        for h in headers.into_iter().flat_map(|q| q.split('&')) {
            let (name, value) = h.split_once('=')?;
            if name.is_empty() || !clean(name) || !clean(value) {
                return None;
            }
            hs.push((unescape(name)?.to_ascii_lowercase(), unescape(value)?));
        }
        hs.sort();
        Some(SipUri {
            secure,
            user,
            password,
            host,
            port,
            params,
            headers: hs,
        })
    }
}

impl PartialEq for SipUri {
    fn eq(&self, o: &SipUri) -> bool {
        let params_match = self.params.iter().all(|(n, v)| match o.params.get(n) {
            Some(w) => v == w,
            None => !PARAMS_IN_BOTH_OR_NEITHER.contains(&n.as_str()),
        }) && o.params.keys().all(|n| {
            self.params.contains_key(n) || !PARAMS_IN_BOTH_OR_NEITHER.contains(&n.as_str())
        });
        self.secure == o.secure
            && self.user == o.user
            && self.password == o.password
            && self.host == o.host
            && self.port == o.port
            && params_match
            && self.headers == o.headers
    }
}

impl Eq for SipUri {}

impl Hash for SipUri {
    fn hash<H: Hasher>(&self, h: &mut H) {
        // Only what must match in every pair of equal URIs (not the parameters).
        (
            self.secure,
            &self.user,
            &self.password,
            &self.host,
            self.port,
        )
            .hash(h);
    }
}

/// `host[:port]`: a host name, an IPv4 address or a bracketed IPv6 reference.
fn host_port(s: &str) -> Option<(Host, Option<u16>)> {
    let (host, port) = if let Some(inner) = s.strip_prefix('[') {
        let (v6, after) = inner.split_once(']')?;
        let port = match after {
            "" => None,
            p => Some(p.strip_prefix(':')?),
        };
        (Host::Ip(IpAddress::parse(&format!("[{v6}]"))?), port)
    } else {
        let (h, port) = match s.split_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (s, None),
        };
        let name_ok = !h.is_empty()
            && h.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.');
        if !name_ok {
            return None;
        }
        match IpAddress::parse(h) {
            Some(ip) => (Host::Ip(ip), port),
            None => (Host::Name(h.to_ascii_lowercase()), port),
        }
    };
    let port = match port {
        None => None,
        Some(p) if !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()) => Some(p.parse().ok()?),
        Some(_) => return None,
    };
    Some((host, port))
}

/// One `;name[=value]` parameter of a SIP or tel URI, unescaped and lower-cased (parameter
/// names and values compare case-insensitively: RFC 3261 19.1.4, RFC 3966 4); None when it
/// is empty or holds what a parameter may not.
fn parameter(p: &str) -> Option<(String, Option<String>)> {
    let (name, value) = match p.split_once('=') {
        Some((n, v)) => (n, Some(v)),
        None => (p, None),
    };
    if name.is_empty() || !clean(name) || !value.is_none_or(clean) {
        return None;
    }
    let name = unescape(name)?.to_ascii_lowercase();
    let value = unescape_opt(value)?.map(|v| v.to_ascii_lowercase());
    Some((name, value))
}

/// No character a URI component can never hold unescaped (RFC 3261 25: controls, space,
/// `"`, `<`, `>`, `\`, `^`, `` ` ``, `{`, `|`, `}`, `#`, `%` not followed by two hex digits
/// is caught by [`unescape`]).
fn clean(s: &str) -> bool {
    s.bytes()
        .all(|b| b.is_ascii_graphic() && !b"\"<>\\^`{|}#".contains(&b))
}

/// RFC 2396 2.2 reserved characters: an escaped one stays escaped.
const RESERVED: &[u8] = b";/?:@&=+$,";

/// Decodes `%HH` escapes but those of reserved characters (kept, hex upper-cased); None on a
/// `%` not followed by two hex digits.
fn unescape(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = b.get(i + 1..i + 3)?;
            if !hex.iter().all(u8::is_ascii_hexdigit) {
                return None;
            }
            let v = u8::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok()?;
            if RESERVED.contains(&v) {
                out.extend_from_slice(format!("%{v:02X}").as_bytes());
            } else {
                out.push(v);
            }
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    Some(String::from_utf8_lossy(&out).into_owned())
}

/// [`unescape`] of an optional component: Some(None) when there is none.
fn unescape_opt(s: Option<&str>) -> Option<Option<String>> {
    match s {
        None => Some(None),
        Some(s) => unescape(s).map(Some),
    }
}

/// A tel URI in the form RFC 3966 §4 compares: everything lower-cased, the number and a
/// numeric phone-context without visual separators, parameters by name.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TelUri {
    pub global: bool,
    pub digits: String,
    pub params: BTreeMap<String, Option<String>>,
}

fn without_separators(s: &str) -> String {
    s.chars()
        .filter(|c| !matches!(c, '-' | '.' | '(' | ')'))
        .collect()
}

impl TelUri {
    /// The part after `tel:`.
    fn parse(rest: &str) -> Option<TelUri> {
        let mut parts = rest.split(';');
        let number = parts.next()?;
        let global = number.starts_with('+');
        let digits = without_separators(number.strip_prefix('+').unwrap_or(number));
        let digit_ok = |c: char| c.is_ascii_hexdigit() || (!global && matches!(c, '*' | '#'));
        if digits.is_empty() || !digits.chars().all(digit_ok) {
            return None;
        }
        let mut params = BTreeMap::new();
        for p in parts {
            let (name, value) = parameter(p)?;
            let value = value.map(|v| {
                if name == "phone-context" && v.starts_with('+') {
                    without_separators(&v)
                } else {
                    v
                }
            });
            params.entry(name).or_insert(value);
        }
        // A local number names its context (RFC 3966 5.1.5).
        if !global && !params.contains_key("phone-context") {
            return None;
        }
        Some(TelUri {
            global,
            digits: digits.to_ascii_lowercase(),
            params,
        })
    }
}

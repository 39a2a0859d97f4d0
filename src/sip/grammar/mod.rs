//! The grammar of SIP messages: the start line and every header whose grammar RFC 3261 25.1
//! defines, and the headers MCVideo signalling uses from RFCs 3325, 3327, 3608, 3840, 3841,
//! 3903, 5626, 6050, 6665 and 7315, each judged up to its first offending octet.
//!
//! Hand-written recursive descent over the file's bytes rather than a crate: a conformance
//! verdict needs the place of the first octet that breaks the ABNF, and every crate looked at
//! accepts more than the ABNF or loses positions. `ezk-sip-types` 0.6 (the tests' oracle)
//! parses a prefix of a value with nom and ignores what follows, and types only ~30 headers;
//! `rsip` 0.4 and `sip-core` are lenient by design and return no positions. They serve as
//! oracles, not as the judge (tests/sip_oracle.rs).
//!
//! The MIME headers of a multipart body's parts are read by their own grammar (`mime`).
//!
//! Headers the scanner or another rule already judges are left to it: the header name
//! (SIP-SYNTAX-01), Content-Length (SIP-FRAME-01) and Warning (SIP-WARN-01). Any other
//! header is an `extension-header`, whose value is printable UTF-8 and folding whitespace.

mod auth;
mod cursor;
mod extensions;
mod features;
mod mime;
mod rfc3261;
mod start;
mod uri;

use super::message::SipMessage;
use super::start_line::StartLine;
use cursor::Cur;
use std::ops::Range;

/// The family of productions a fault breaks, as rule tables name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Family {
    /// Request-Line, Status-Line, Request-URI (RFC 3261 25.1, 7.1, 19.1.1).
    StartLine,
    /// The headers of RFC 3261 25.1.
    Rfc3261,
    /// A request's CSeq method is its method (RFC 3261 8.1.1.5).
    CseqMethod,
    Rfc3325,
    Rfc3327,
    Rfc3608,
    Rfc3840,
    Rfc3841,
    Rfc3903,
    Rfc5626,
    Rfc6050,
    Rfc6665,
    Rfc7315,
    /// The MIME headers of a multipart body's parts (RFC 2045, RFC 3261 20.11).
    Mime,
}

/// One place where a message breaks its grammar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fault {
    pub family: Family,
    /// The first offending octet (a one-octet span; empty at the end of a value).
    pub span: Range<usize>,
    /// The header as written (`CSeq`), or "start line".
    pub place: String,
    pub detail: String,
}

/// Headers judged elsewhere (see the module doc).
const JUDGED_ELSEWHERE: &[&str] = &["content-length", "warning"];

/// Headers whose value is a single value, not a comma-separated list: RFC 3261 7.3.1 allows
/// one row of each (the ABNF of RFC 3261 25.1 and of the extension RFCs).
const SINGLE: &[&str] = &[
    "call-id",
    "content-disposition",
    "content-length",
    "content-type",
    "cseq",
    "date",
    "expires",
    "from",
    "max-forwards",
    "mime-version",
    "min-expires",
    "organization",
    "priority",
    "reply-to",
    "retry-after",
    "server",
    "subject",
    "timestamp",
    "to",
    "user-agent",
    "event",
    "subscription-state",
    "sip-etag",
    "sip-if-match",
    "flow-timer",
    "p-charging-vector",
    "p-charging-function-addresses",
    "p-called-party-id",
];

pub(crate) type Production = fn(&mut Cur) -> cursor::R;

/// The production of a header by its long lower-case name, and its family.
fn production(name: &str) -> (Family, Production) {
    match name {
        "authorization" | "proxy-authorization" => (Family::Rfc3261, auth::credentials),
        "www-authenticate" | "proxy-authenticate" => (Family::Rfc3261, auth::challenge),
        "authentication-info" => (Family::Rfc3261, auth::authentication_info),
        "contact" => (Family::Rfc3261, features::contact),
        "accept-contact" | "reject-contact" => (Family::Rfc3841, features::caller_prefs),
        "request-disposition" => (Family::Rfc3841, features::request_disposition),
        _ => rfc3261::production(name)
            .map(|f| (Family::Rfc3261, f))
            .or_else(|| extensions::production(name))
            .unwrap_or((Family::Rfc3261, rfc3261::text)),
    }
}

fn fault(file: &[u8], m: cursor::Miss, place: String) -> Fault {
    let end = (m.at + 1).min(file.len());
    Fault {
        family: m.family,
        span: m.at..end.max(m.at),
        place,
        detail: m.what,
    }
}

/// Every fault of one message (its embedded messages aside): at most one per header and
/// one for the start line.
pub fn judge(file: &[u8], m: &SipMessage) -> Vec<Fault> {
    let mut out = Vec::new();
    let mut c = Cur::new(file, m.start_span.clone(), Family::StartLine);
    if let Err(e) = start::start_line(&mut c) {
        out.push(fault(file, e, "start line".into()));
    }
    let name_faulted = |h: &super::Header| {
        m.issues.iter().any(|i| {
            i.span.start <= h.name_span.start
                && h.name_span.start < i.span.end.max(i.span.start + 1)
        })
    };
    let mut seen: Vec<&str> = Vec::new();
    for h in &m.headers {
        if name_faulted(h) {
            continue;
        }
        let (family, f) = production(&h.name);
        if SINGLE.contains(&h.name.as_str()) {
            if seen.contains(&h.name.as_str()) {
                out.push(Fault {
                    family,
                    span: h.name_span.start..h.name_span.start + 1,
                    place: String::from_utf8_lossy(&file[h.name_span.clone()]).into_owned(),
                    detail: format!("a second {} header: RFC 3261 7.3.1 allows several rows of a header only when its value is a comma-separated list, and this one's is a single value", String::from_utf8_lossy(&file[h.name_span.clone()])),
                });
                continue;
            }
            seen.push(&h.name);
        }
        if JUDGED_ELSEWHERE.contains(&h.name.as_str()) {
            continue;
        }
        let mut c = Cur::new(file, h.value_span.clone(), family);
        let place = String::from_utf8_lossy(&file[h.name_span.clone()]).into_owned();
        // Every production admits octets over 0x7F only as UTF-8 (UTF8-NONASCII, UTF8-CONT).
        if let Err(e) = std::str::from_utf8(&file[h.value_span.clone()]) {
            let at = h.value_span.start + e.valid_up_to();
            out.push(fault(
                file,
                c.miss_at::<()>(
                    at,
                    "an octet that is not UTF-8 (RFC 3261 25.1 UTF8-NONASCII)",
                )
                .unwrap_err(),
                place,
            ));
            continue;
        }
        match f(&mut c) {
            Err(e) => out.push(fault(file, e, place)),
            Ok(()) if h.name == "cseq" => out.extend(cseq_method(file, m, h, place)),
            Ok(()) => {}
        }
    }
    out.extend(mime::part_faults(file, m));
    out
}

/// RFC 3261 8.1.1.5: "The method MUST match that of the request."
fn cseq_method(file: &[u8], m: &SipMessage, h: &super::Header, place: String) -> Option<Fault> {
    let StartLine::Request { method, .. } = &m.start else {
        return None;
    };
    let r = rfc3261::cseq_method(file, h.value_span.clone())?;
    if &file[r.clone()] == method.as_bytes() {
        return None;
    }
    Some(Fault {
        family: Family::CseqMethod,
        span: r.start..r.start + 1,
        place,
        detail: format!(
            "the CSeq method is {}, the request's method {method} (RFC 3261 8.1.1.5: the method MUST match that of the request; methods are case-sensitive)",
            String::from_utf8_lossy(&file[r])
        ),
    })
}

#[cfg(test)]
mod tests;

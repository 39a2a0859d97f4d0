//! Spellings of SIP messages that RFC 3261 makes equal: header names in any case (7.3.1),
//! compact forms (7.3.3, 20), header values folded onto continuation lines and LWS around
//! the colon (7.3.1, 25.1 HCOLON), URI hosts in any case (19.1.4), IPv6 references written
//! expanded (RFC 4291 2.2). Only the header sections of the file's top-level messages are
//! rewritten: their bodies, whose lengths Content-Length counts, stay as they are.

use super::Variant;
use mikeyconf::internals::sip::{self, ScanOptions};
use std::ops::Range;

/// RFC 3261 7.3.3 and the IANA SIP header registry: long form → compact form.
const COMPACT: &[(&str, &str)] = &[
    ("accept-contact", "a"),
    ("referred-by", "b"),
    ("content-type", "c"),
    ("request-disposition", "d"),
    ("content-encoding", "e"),
    ("from", "f"),
    ("call-id", "i"),
    ("reject-contact", "j"),
    ("supported", "k"),
    ("content-length", "l"),
    ("contact", "m"),
    ("event", "o"),
    ("refer-to", "r"),
    ("subject", "s"),
    ("to", "t"),
    ("allow-events", "u"),
    ("via", "v"),
];

/// A header as the scanner read it: the spans of its name and value in the file.
struct Field {
    name: Range<usize>,
    value: Range<usize>,
    long: String,
    compact: bool,
}

fn fields(bytes: &[u8]) -> (Vec<Field>, Vec<Range<usize>>) {
    let file = sip::read(bytes, &ScanOptions { lf_as_crlf: true });
    let mut out = Vec::new();
    let mut starts = Vec::new();
    for m in &file.messages {
        starts.push(m.start_span.clone());
        for h in &m.headers {
            out.push(Field {
                name: h.name_span.clone(),
                value: h.value_span.clone(),
                long: h.name.clone(),
                compact: h.compact,
            });
        }
    }
    (out, starts)
}

/// `bytes` with each range replaced (ranges do not overlap).
fn apply(bytes: &[u8], mut edits: Vec<(Range<usize>, Vec<u8>)>) -> Option<Vec<u8>> {
    if edits.is_empty() {
        return None;
    }
    edits.sort_by_key(|(r, _)| std::cmp::Reverse(r.start));
    let mut out = bytes.to_vec();
    for (r, new) in edits {
        out.splice(r, new);
    }
    (out != bytes).then_some(out)
}

fn line_end(bytes: &[u8]) -> &'static [u8] {
    if bytes.windows(2).any(|w| w == b"\r\n") {
        b"\r\n"
    } else {
        b"\n"
    }
}

pub fn variants(bytes: &[u8]) -> Vec<Variant> {
    let (fields, starts) = fields(bytes);
    if fields.is_empty() {
        return Vec::new();
    }
    let names = |f: &dyn Fn(&Field, &str) -> String| {
        let edits = fields
            .iter()
            .map(|h| {
                let written = String::from_utf8_lossy(&bytes[h.name.clone()]).to_string();
                (h.name.clone(), f(h, &written).into_bytes())
            })
            .collect();
        apply(bytes, edits)
    };
    let mut out = Vec::new();
    let mut push = |name: &'static str, v: Option<Vec<u8>>| {
        if let Some(b) = v {
            out.push(Variant::of(name, b));
        }
    };
    push(
        "sip-names-lower-case",
        names(&|_, w| w.to_ascii_lowercase()),
    );
    push(
        "sip-names-upper-case",
        names(&|_, w| w.to_ascii_uppercase()),
    );
    push(
        "sip-compact-forms",
        names(&|h, w| match COMPACT.iter().find(|(l, _)| *l == h.long) {
            Some((_, c)) if !h.compact => c.to_string(),
            _ => w.to_string(),
        }),
    );
    push(
        "sip-long-forms",
        names(&|h, w| {
            if h.compact {
                h.long.clone()
            } else {
                w.to_string()
            }
        }),
    );
    push("sip-lws-around-colon", lws_around_colon(bytes, &fields));
    push("sip-folded-values", folded(bytes, &fields));
    let header_text: Vec<Range<usize>> = starts
        .iter()
        .cloned()
        .chain(fields.iter().map(|f| f.value.clone()))
        .collect();
    push(
        "sip-uri-host-upper-case",
        rewrite_in(bytes, &header_text, uri_hosts_upper),
    );
    push(
        "ipv6-expanded",
        rewrite_in(bytes, &header_text, ipv6_expanded),
    );
    out
}

/// `Name: value` as `Name \t:  value`.
fn lws_around_colon(bytes: &[u8], fields: &[Field]) -> Option<Vec<u8>> {
    let edits = fields
        .iter()
        .filter(|h| h.name.end < h.value.start)
        .map(|h| (h.name.end..h.value.start, b" \t:  ".to_vec()))
        .collect();
    apply(bytes, edits)
}

/// Each value's first space after its first character, outside a quoted string and
/// outside `<…>`, folded onto a continuation line.
fn folded(bytes: &[u8], fields: &[Field]) -> Option<Vec<u8>> {
    let eol = line_end(bytes);
    let mut edits = Vec::new();
    for h in fields {
        let value = &bytes[h.value.clone()];
        let lead = value
            .iter()
            .take_while(|b| **b == b' ' || **b == b'\t')
            .count();
        let (mut quoted, mut angle) = (false, false);
        for (i, b) in value.iter().enumerate().skip(lead) {
            match b {
                b'"' => quoted = !quoted,
                b'<' if !quoted => angle = true,
                b'>' if !quoted => angle = false,
                b'\r' | b'\n' => break,
                b' ' if !quoted && !angle => {
                    let at = h.value.start + i;
                    let mut new = eol.to_vec();
                    new.push(b' ');
                    edits.push((at..at + 1, new));
                    break;
                }
                _ => {}
            }
        }
    }
    apply(bytes, edits)
}

fn rewrite_in(
    bytes: &[u8],
    ranges: &[Range<usize>],
    f: fn(&str) -> Option<String>,
) -> Option<Vec<u8>> {
    let edits = ranges
        .iter()
        .filter_map(|r| {
            let text = std::str::from_utf8(&bytes[r.clone()]).ok()?;
            Some((r.clone(), f(text)?.into_bytes()))
        })
        .collect();
    apply(bytes, edits)
}

/// The host of every `sip:` / `sips:` URI in upper case (the user part keeps its case).
fn uri_hosts_upper(text: &str) -> Option<String> {
    let mut out = String::new();
    let mut rest = text;
    let mut changed = false;
    while let Some(at) = rest.find("sip") {
        let after = &rest[at..];
        let scheme = if after.starts_with("sips:") {
            5
        } else if after.starts_with("sip:") {
            4
        } else {
            out.push_str(&rest[..at + 3]);
            rest = &rest[at + 3..];
            continue;
        };
        out.push_str(&rest[..at + scheme]);
        let uri = &rest[at + scheme..];
        let end = uri
            .find(['>', ';', '?', ' ', '"', ',', '\r', '\n'])
            .unwrap_or(uri.len());
        let (user, hostport) = match uri[..end].rfind('@') {
            Some(i) => (&uri[..=i], &uri[i + 1..end]),
            None => ("", &uri[..end]),
        };
        let upper = hostport.to_ascii_uppercase();
        changed |= upper != hostport;
        out.push_str(user);
        out.push_str(&upper);
        rest = &uri[end..];
    }
    out.push_str(rest);
    changed.then_some(out)
}

/// Every bracketed IPv6 reference written with all eight groups in full.
fn ipv6_expanded(text: &str) -> Option<String> {
    let mut out = String::new();
    let mut rest = text;
    let mut changed = false;
    while let Some(open) = rest.find('[') {
        let Some(close) = rest[open..].find(']') else {
            break;
        };
        let inner = &rest[open + 1..open + close];
        out.push_str(&rest[..=open]);
        match inner.parse::<std::net::Ipv6Addr>() {
            Ok(a) => {
                let full = a
                    .segments()
                    .iter()
                    .map(|s| format!("{s:04x}"))
                    .collect::<Vec<_>>()
                    .join(":");
                changed |= full != inner;
                out.push_str(&full);
            }
            Err(_) => out.push_str(inner),
        }
        rest = &rest[open + close..];
    }
    out.push_str(rest);
    changed.then_some(out)
}

//! Bodies by media type: multipart/mixed split on bytes (RFC 2046 5.1.1; binary parts stay
//! intact, only the line end that belongs to a delimiter is removed), message/sip read as a
//! message in its own right, application/mikey kept as bytes (a base64 text body decoded and
//! reported), anything else kept as bytes for the XML domain or left alone.

use crate::sip::header_field::{Header, Param};
use crate::sip::header_section;
use crate::sip::issue::{IssueClass, ScanIssue};
use crate::sip::message::{self, SipMessage};
use crate::sip::ScanOptions;
use base64::Engine as _;
use std::ops::Range;

/// Nesting deeper than this (multipart in message/sip in multipart …) is not read.
pub const MAX_DEPTH: usize = 8;

/// One body, or one part of a multipart body.
#[derive(Debug, Clone)]
pub struct BodyPart {
    /// The whole part (its MIME headers included); the content, for a message's own body.
    pub span: Range<usize>,
    /// The part's own MIME headers (none for a message's body: those are the message's).
    pub headers: Vec<Header>,
    /// `type/subtype`, lower-case, when a Content-Type says.
    pub media_type: Option<String>,
    /// The Content-Type header's parameters (`boundary`, `charset`, …).
    pub media_params: Vec<Param>,
    pub content: Range<usize>,
    pub inner: Inner,
    pub issues: Vec<ScanIssue>,
}

/// What a body holds beyond its bytes.
#[derive(Debug, Clone)]
pub enum Inner {
    Bytes,
    Parts(Vec<BodyPart>),
    Message(Box<SipMessage>),
    /// An application/mikey body; `decoded` holds the octets of a base64 text body.
    Mikey {
        decoded: Option<Vec<u8>>,
    },
}

impl BodyPart {
    pub fn essence(&self) -> Option<&str> {
        self.media_type.as_deref()
    }

    /// The parts that carry content: multipart bodies opened, recursively.
    pub fn leaves(&self) -> Vec<&BodyPart> {
        match &self.inner {
            Inner::Parts(parts) => parts.iter().flat_map(|p| p.leaves()).collect(),
            _ => vec![self],
        }
    }

    /// The octets of an application/mikey body (decoded when it was base64 text).
    pub fn mikey_octets<'f>(&'f self, file: &'f [u8]) -> &'f [u8] {
        match &self.inner {
            Inner::Mikey { decoded: Some(d) } => d,
            _ => &file[self.content.clone()],
        }
    }

    pub fn message(&self) -> Option<&SipMessage> {
        match &self.inner {
            Inner::Message(m) => Some(m),
            _ => None,
        }
    }

    pub fn all_issues(&self) -> Vec<&ScanIssue> {
        let mut all: Vec<&ScanIssue> = self.issues.iter().collect();
        match &self.inner {
            Inner::Parts(parts) => all.extend(parts.iter().flat_map(|p| p.all_issues())),
            Inner::Message(m) => all.extend(m.all_issues()),
            _ => {}
        }
        all
    }
}

/// What the header section over a body declares of it.
#[derive(Debug, Clone, Copy, Default)]
pub struct Declared<'h> {
    pub content_type: Option<&'h Header>,
    pub transfer_encoding: Option<&'h Header>,
}

impl<'h> Declared<'h> {
    /// The last Content-Type and Content-Transfer-Encoding of a header section.
    pub fn of(headers: &'h [Header]) -> Self {
        let last = |name: &str| headers.iter().rev().find(|h| h.name == name);
        Declared {
            content_type: last("content-type"),
            transfer_encoding: last("content-transfer-encoding"),
        }
    }
}

/// Reads a body at `content`, typed by what its headers declare.
pub fn parse(
    file: &[u8],
    declared: Declared,
    content: Range<usize>,
    headers: Vec<Header>,
    depth: usize,
    lf: bool,
    opts: &ScanOptions,
) -> BodyPart {
    let ct = declared.content_type;
    let value = ct.and_then(|h| h.values(file).into_iter().next());
    let media_type = value.as_ref().map(|v| {
        crate::sip::header_field::unfolded_text(file, v.main.clone())
            .trim()
            .to_ascii_lowercase()
    });
    let media_params = value.map(|v| v.params).unwrap_or_default();
    let mut part = BodyPart {
        span: content.clone(),
        headers,
        media_type,
        media_params,
        content: content.clone(),
        inner: Inner::Bytes,
        issues: Vec::new(),
    };
    if depth >= MAX_DEPTH {
        part.issues.push(ScanIssue::new(
            IssueClass::Multipart,
            content,
            format!("bodies nested more than {MAX_DEPTH} deep are not read"),
        ));
        return part;
    }
    match part.media_type.as_deref() {
        Some(t) if t.starts_with("multipart/") => {
            let boundary = part
                .media_params
                .iter()
                .find(|p| p.name == "boundary")
                .and_then(|p| p.value.clone());
            match boundary {
                Some(b) => {
                    let parts = split(
                        file,
                        content,
                        b.as_bytes(),
                        depth,
                        lf,
                        opts,
                        &mut part.issues,
                    );
                    part.inner = Inner::Parts(parts);
                }
                None => part.issues.push(ScanIssue::new(
                    IssueClass::Multipart,
                    ct.map_or(content, |h| h.span.clone()),
                    format!("{t} without a boundary parameter (RFC 2046 5.1.1)"),
                )),
            }
        }
        Some("message/sip") => {
            match message::scan(file, content.start, content.end, true, depth + 1, opts) {
                Some((m, _)) => part.inner = Inner::Message(Box::new(m)),
                None => part.issues.push(ScanIssue::new(
                    IssueClass::Syntax,
                    content.start
                        ..header_section::line(file, content.start, content.end)
                            .content
                            .end,
                    "a message/sip body that does not open with a SIP start line",
                )),
            }
        }
        Some("application/mikey") => {
            let encoding = declared
                .transfer_encoding
                .map(|h| h.text(file).to_ascii_lowercase());
            let (decoded, issue) = mikey_text(file, content, encoding.as_deref());
            part.inner = Inner::Mikey { decoded };
            part.issues.extend(issue);
        }
        _ => {}
    }
    part
}

/// An application/mikey body is binary (IANA: "binary, base64 encoded"; implementations
/// send binary). A body sent base64 encoded is decoded and reported: one whose part says so
/// (`Content-Transfer-Encoding: base64`), or, with no encoding declared, one that is all
/// base64 text (a binary MIKEY message is not: its first octet, the version, is no base64
/// character). What the decoded octets are is for the MIKEY rules to judge (a version-2
/// message is still the message sent), so it does not decide whether to decode.
fn mikey_text(
    file: &[u8],
    content: Range<usize>,
    encoding: Option<&str>,
) -> (Option<Vec<u8>>, Option<ScanIssue>) {
    let raw = &file[content.clone()];
    let text: Vec<u8> = raw
        .iter()
        .copied()
        .filter(|b| !b.is_ascii_whitespace())
        .collect();
    let is_b64 = !text.is_empty()
        && text
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'='));
    let base64 = match encoding {
        Some(e) => e == "base64",
        None => is_b64,
    };
    if !base64 {
        return (None, None);
    }
    match base64::engine::general_purpose::STANDARD.decode(&text) {
        Ok(d) if !d.is_empty() => {
            let issue = ScanIssue::new(
                IssueClass::MikeyBase64,
                content,
                format!("the application/mikey body is base64 text ({} octets decoding to a {}-octet MIKEY message), not the binary message implementations send", text.len(), d.len()),
            );
            (Some(d), Some(issue))
        }
        _ => (None, None),
    }
}

/// Where each delimiter line `--boundary` starts (at the region start or after a LF).
fn delimiters(file: &[u8], content: &Range<usize>, boundary: &[u8]) -> Vec<usize> {
    let mut delim = b"--".to_vec();
    delim.extend_from_slice(boundary);
    let mut found = Vec::new();
    let mut p = content.start;
    while p + delim.len() <= content.end {
        let at_line_start = p == content.start || file[p - 1] == b'\n';
        if at_line_start && file[p..p + delim.len()] == delim[..] {
            found.push(p);
            p += delim.len();
        } else {
            p += 1;
        }
    }
    found
}

/// Splits a multipart body on its delimiters (RFC 2046 5.1.1). A part ends before the line
/// end that precedes the next delimiter; everything else of it is kept, binary or not.
fn split(
    file: &[u8],
    content: Range<usize>,
    boundary: &[u8],
    depth: usize,
    lf: bool,
    opts: &ScanOptions,
    issues: &mut Vec<ScanIssue>,
) -> Vec<BodyPart> {
    let dl = boundary.len() + 2;
    let found = delimiters(file, &content, boundary);
    if found.is_empty() {
        issues.push(ScanIssue::new(
            IssueClass::Multipart,
            content,
            format!(
                "no delimiter line '--{}' in the multipart body (RFC 2046 5.1.1)",
                String::from_utf8_lossy(boundary)
            ),
        ));
        return Vec::new();
    }
    let mut parts = Vec::new();
    let mut closed = false;
    for (i, &d) in found.iter().enumerate() {
        if file[d + dl..content.end].starts_with(b"--") {
            closed = true;
            break;
        }
        // The rest of the delimiter line (transport padding) and its line end.
        let start = header_section::line(file, d + dl, content.end).next;
        let Some(&next) = found.get(i + 1) else {
            break;
        };
        let mut end = next;
        if end > start && file[end - 1] == b'\n' {
            end -= 1;
            if end > start && file[end - 1] == b'\r' {
                end -= 1;
            }
        }
        parts.push(part(file, start.min(end)..end, depth, lf, opts));
    }
    if !closed {
        let last = *found.last().unwrap_or(&content.start);
        issues.push(ScanIssue::new(
            IssueClass::Multipart,
            last..header_section::line(file, last, content.end).content.end,
            format!(
                "the multipart body has no close delimiter '--{}--' (RFC 2046 5.1.1)",
                String::from_utf8_lossy(boundary)
            ),
        ));
    }
    parts
}

/// One part: MIME headers up to an empty line, then its content.
fn part(file: &[u8], span: Range<usize>, depth: usize, lf: bool, opts: &ScanOptions) -> BodyPart {
    // A part's header section is RFC 2045's: `c` is no Content-Type there.
    let h = header_section::scan(
        file,
        span.start,
        span.end,
        header_section::LineEnds::default(),
        crate::value::NameForms::Mime,
    );
    let content = if h.terminated {
        h.body_start..span.end
    } else {
        span.end..span.end
    };
    let own = h.headers.clone();
    let mut p = parse(
        file,
        Declared::of(&own),
        content,
        h.headers,
        depth + 1,
        lf,
        opts,
    );
    p.span = span;
    if let Some(lf) = h.first_lf.filter(|_| h.line_ends.mixed()) {
        p.issues.push(header_section::lone_lf_issue(lf));
    }
    p.issues.extend(h.issues);
    p
}

//! One SIP message: start line, header section and body, each with its byte span in the
//! file, framed by its Content-Length (RFC 3261 18.3, 20.14).
//!
//! Framing of a message in a file of several: the Content-Length is trusted when the
//! declared body is followed by nothing but line ends and the next start line (or the end
//! of the file). When it is not, and the header section has LF-only line ends, the body is
//! measured counting each LF as CRLF (a log that converted line ends); when that fits, the
//! message is framed by it and the mismatch is reported at the Content-Length (unless the
//! `sip.lf_as_crlf` setting says to read LF as CRLF). Otherwise the body runs to the next
//! start line and the mismatch is reported at the Content-Length: never a misframed next
//! message.

/// A message's body; a message/sip body holds a message in its turn, so the two read each
/// other, and the body is the message's own submodule.
pub mod body;

use super::header_field::Header;
use super::header_section::{self, LineEnds};
use super::issue::{IssueClass, ScanIssue};
use super::start_line::{self, StartLine};
use super::ScanOptions;
use body::BodyPart;
use std::ops::Range;

/// One message as read.
#[derive(Debug, Clone)]
pub struct SipMessage {
    pub span: Range<usize>,
    pub start_span: Range<usize>,
    pub start: StartLine,
    pub headers: Vec<Header>,
    /// The body, when there is one (a message/sip body holds a message in turn).
    pub body: Option<BodyPart>,
    pub line_ends: LineEnds,
    /// Whether a Content-Length that fits only with LF counted as CRLF framed the body.
    pub framed_as_crlf: bool,
    pub issues: Vec<ScanIssue>,
}

/// Where a message's body ends, as decided by its framing.
struct Framing {
    body: Range<usize>,
    next: usize,
    as_crlf: bool,
}

impl SipMessage {
    pub fn header(&self, name: &str) -> Option<&Header> {
        self.headers.iter().find(|h| h.name == name)
    }

    pub fn headers_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Header> + 'a {
        self.headers.iter().filter(move |h| h.name == name)
    }

    pub fn method(&self) -> Option<&str> {
        match &self.start {
            StartLine::Request { method, .. } => Some(method),
            StartLine::Response { .. } => None,
        }
    }

    pub fn status(&self) -> Option<u16> {
        match &self.start {
            StartLine::Response { code, .. } => Some(*code),
            StartLine::Request { .. } => None,
        }
    }

    /// The body parts that carry content (multipart bodies opened, message/sip not).
    pub fn parts(&self) -> Vec<&BodyPart> {
        self.body.iter().flat_map(|b| b.leaves()).collect()
    }

    /// The parts of a media type (`application/mikey`).
    pub fn parts_of<'a>(&'a self, essence: &str) -> Vec<&'a BodyPart> {
        self.parts()
            .into_iter()
            .filter(|p| p.essence() == Some(essence))
            .collect()
    }

    /// Every problem the scanner found in it, its body and the messages nested in it.
    pub fn all_issues(&self) -> Vec<&ScanIssue> {
        let mut all: Vec<&ScanIssue> = self.issues.iter().collect();
        if let Some(b) = &self.body {
            all.extend(b.all_issues());
        }
        all
    }
}

/// Reads the message at `pos`, within `..end`. `nested`: the message fills the region (a
/// message/sip body), so its body runs to `end`. None when no start line is at `pos`.
pub fn scan(
    file: &[u8],
    pos: usize,
    end: usize,
    nested: bool,
    depth: usize,
    opts: &ScanOptions,
) -> Option<(SipMessage, usize)> {
    let first = header_section::line(file, pos, end);
    let start = start_line::parse(&file[first.content.clone()], first.content.start)?;
    let mut ends = LineEnds::default();
    match first.ending {
        header_section::Ending::Crlf => ends.crlf += 1,
        header_section::Ending::Lf => ends.lf += 1,
        header_section::Ending::None => {}
    }
    let h = header_section::scan(file, first.next, end, ends, crate::value::NameForms::Sip);
    let mut issues = h.issues;
    if h.line_ends.mixed() {
        let start_lf = (first.ending == header_section::Ending::Lf).then(|| first.next - 1);
        if let Some(lf) = start_lf.or(h.first_lf) {
            issues.insert(0, header_section::lone_lf_issue(lf));
        }
    }
    if !h.terminated {
        issues.push(ScanIssue::new(
            IssueClass::Syntax,
            first.content.clone(),
            "the header section has no empty line ending it (RFC 3261 7)",
        ));
    }
    let cl = content_length(file, &h.headers, &mut issues);
    let lf = h.line_ends.lf_only();
    let ct = h.headers.iter().rev().find(|x| x.name == "content-type");
    // A message/sip body opens with a start line of its own: the next message is searched
    // for only after the body's first octet.
    let embeds = ct.is_some_and(|c| c.text(file).to_ascii_lowercase().starts_with("message/sip"));
    let f = if nested {
        frame_region(file, h.body_start, end, cl, lf, opts, &mut issues)
    } else {
        let search_from = if embeds {
            h.body_start
        } else {
            h.body_start.saturating_sub(1)
        };
        frame_in_file(
            file,
            (h.body_start, search_from),
            end,
            cl,
            lf,
            opts,
            &mut issues,
        )
    };
    let body = (f.body.start < f.body.end).then(|| {
        body::parse(
            file,
            body::Declared::of(&h.headers),
            f.body.clone(),
            Vec::new(),
            depth,
            lf,
            opts,
        )
    });
    let msg = SipMessage {
        span: pos..f.body.end.max(h.body_start.min(end)),
        start_span: first.content,
        start,
        headers: h.headers,
        body,
        line_ends: h.line_ends,
        framed_as_crlf: f.as_crlf,
        issues,
    };
    Some((msg, f.next))
}

/// The Content-Length value and its header; a value that is not a number is a finding.
fn content_length<'h>(
    file: &[u8],
    headers: &'h [Header],
    issues: &mut Vec<ScanIssue>,
) -> Option<(usize, &'h Header)> {
    let h = headers.iter().rev().find(|h| h.name == "content-length")?;
    let text = h.text(file);
    match text.parse::<usize>() {
        Ok(n) if text.bytes().all(|b| b.is_ascii_digit()) => Some((n, h)),
        _ => {
            issues.push(ScanIssue::new(
                IssueClass::ContentLength,
                h.span.clone(),
                format!("Content-Length is '{text}', not a number of octets (RFC 3261 20.14)"),
            ));
            None
        }
    }
}

fn is_sep(b: u8) -> bool {
    matches!(b, b'\r' | b'\n' | b' ' | b'\t')
}

/// Whether only line ends lie between `pos` and the next start line or the end.
fn ends_message(file: &[u8], pos: usize, end: usize) -> bool {
    let mut p = pos;
    while p < end && is_sep(file[p]) {
        p += 1;
    }
    p == end || start_line::is_start_line(&file[p..header_section::line(file, p, end).content.end])
}

/// Where the next start line begins after `from` (at a line start), or `end`.
pub fn next_start_line(file: &[u8], from: usize, end: usize) -> usize {
    let mut p = from;
    while p < end {
        let Some(i) = file[p..end].iter().position(|&b| b == b'\n') else {
            return end;
        };
        p += i + 1;
        if p < end
            && start_line::is_start_line(&file[p..header_section::line(file, p, end).content.end])
        {
            return p;
        }
    }
    end
}

/// The end of a body of `declared` octets counting each LF not preceded by CR as two.
fn crlf_counted_end(file: &[u8], start: usize, end: usize, declared: usize) -> Option<usize> {
    let mut counted = 0;
    let mut p = start;
    while counted < declared && p < end {
        counted += if file[p] == b'\n' && (p == start || file[p - 1] != b'\r') {
            2
        } else {
            1
        };
        p += 1;
    }
    (counted == declared).then_some(p)
}

fn trim_line_ends(file: &[u8], start: usize, mut end: usize) -> usize {
    while end > start && matches!(file[end - 1], b'\r' | b'\n') {
        end -= 1;
    }
    end
}

fn frame_in_file(
    file: &[u8],
    (start, search_from): (usize, usize),
    end: usize,
    cl: Option<(usize, &Header)>,
    lf: bool,
    opts: &ScanOptions,
    issues: &mut Vec<ScanIssue>,
) -> Framing {
    let Some((n, header)) = cl else {
        let next = next_start_line(file, search_from, end);
        let body_end = trim_line_ends(file, start, next);
        if body_end > start {
            issues.push(ScanIssue::new(
                IssueClass::ContentLengthMissing,
                start..body_end,
                format!("a body of {} octets and no Content-Length header (RFC 3261 20.14: mandatory over TCP; the body was taken to run to the next start line)", body_end - start),
            ));
        }
        return Framing {
            body: start..body_end,
            next,
            as_crlf: false,
        };
    };
    // `n <= end - start`, not `start + n <= end`: a Content-Length near 2^64 must not wrap.
    if n <= end - start && ends_message(file, start + n, end) {
        return Framing {
            body: start..start + n,
            next: start + n,
            as_crlf: false,
        };
    }
    if lf {
        if let Some(p) =
            crlf_counted_end(file, start, end, n).filter(|&p| ends_message(file, p, end))
        {
            if !opts.lf_as_crlf {
                issues.push(ScanIssue::new(
                    IssueClass::ContentLength,
                    header.span.clone(),
                    format!("Content-Length: {n}, but the body as stored has {} octets: the message's line ends are LF only, and counted as CRLF the body has exactly {n} octets, so the capture most likely converted CRLF to LF (a logging artefact, not necessarily the sender's fault); set sip.lf_as_crlf=true to read LF as CRLF", p - start),
                ));
            }
            return Framing {
                body: start..p,
                next: p,
                as_crlf: true,
            };
        }
    }
    let next = next_start_line(file, search_from, end);
    let body_end = trim_line_ends(file, start, next);
    let whereto = if next == end {
        "the end of the file"
    } else {
        "the next message"
    };
    issues.push(ScanIssue::new(
        IssueClass::ContentLength,
        header.span.clone(),
        format!(
            "Content-Length: {n}, but the body runs {} octets to {whereto}{}",
            body_end - start,
            if lf {
                " (counting LF as CRLF does not match either)"
            } else {
                ""
            }
        ),
    ));
    Framing {
        body: start..body_end,
        next,
        as_crlf: false,
    }
}

/// Framing of a message that fills a region (a message/sip body): the body is the rest of
/// the region; a Content-Length that disagrees is reported.
fn frame_region(
    file: &[u8],
    start: usize,
    end: usize,
    cl: Option<(usize, &Header)>,
    lf: bool,
    opts: &ScanOptions,
    issues: &mut Vec<ScanIssue>,
) -> Framing {
    let whole = Framing {
        body: start..end,
        next: end,
        as_crlf: false,
    };
    let Some((n, header)) = cl else {
        return whole;
    };
    let only_line_ends = |p: usize| file[p..end].iter().all(|b| matches!(b, b'\r' | b'\n'));
    if n <= end - start && only_line_ends(start + n) {
        return Framing {
            body: start..start + n,
            next: end,
            as_crlf: false,
        };
    }
    if lf {
        if let Some(p) = crlf_counted_end(file, start, end, n).filter(|&p| only_line_ends(p)) {
            if !opts.lf_as_crlf {
                issues.push(ScanIssue::new(
                    IssueClass::ContentLength,
                    header.span.clone(),
                    format!("Content-Length: {n}, but the embedded body has {} octets: its line ends are LF only, and counted as CRLF it has exactly {n}; set sip.lf_as_crlf=true to read LF as CRLF", p - start),
                ));
            }
            return Framing {
                body: start..p,
                next: end,
                as_crlf: true,
            };
        }
    }
    issues.push(ScanIssue::new(
        IssueClass::ContentLength,
        header.span.clone(),
        format!(
            "Content-Length: {n}, but the embedded message's body has {} octets",
            end - start
        ),
    ));
    whole
}

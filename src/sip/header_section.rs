//! The header section of a message or of a MIME part: header lines up to the empty line,
//! continuation lines folded into the header before them, the line-end style counted.

use super::header_field::{trim, Header};
use super::issue::{IssueClass, ScanIssue};
use crate::value::header_name::{HeaderName, NameForms};
use std::ops::Range;

/// One line: its content (without the line end), where the next line starts, and how it
/// ended.
pub struct Line {
    pub content: Range<usize>,
    pub next: usize,
    pub ending: Ending,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ending {
    Crlf,
    Lf,
    /// The region ended before any line end.
    None,
}

/// The line starting at `pos`, within `..end`.
pub fn line(file: &[u8], pos: usize, end: usize) -> Line {
    match file[pos..end].iter().position(|&b| b == b'\n') {
        Some(i) => {
            let lf = pos + i;
            let crlf = lf > pos && file[lf - 1] == b'\r';
            Line {
                content: pos..if crlf { lf - 1 } else { lf },
                next: lf + 1,
                ending: if crlf { Ending::Crlf } else { Ending::Lf },
            }
        }
        None => Line {
            content: pos..end,
            next: end,
            ending: Ending::None,
        },
    }
}

/// How the lines of a header section ended.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LineEnds {
    pub crlf: usize,
    pub lf: usize,
}

impl LineEnds {
    /// LF only: no CRLF at all.
    pub fn lf_only(&self) -> bool {
        self.lf > 0 && self.crlf == 0
    }
    pub fn mixed(&self) -> bool {
        self.lf > 0 && self.crlf > 0
    }
    fn count(&mut self, e: Ending) {
        match e {
            Ending::Crlf => self.crlf += 1,
            Ending::Lf => self.lf += 1,
            Ending::None => {}
        }
    }
}

/// A header section as read.
pub struct Head {
    pub headers: Vec<Header>,
    /// Where the body starts (after the empty line), or the region end when the section
    /// never ended.
    pub body_start: usize,
    pub terminated: bool,
    pub line_ends: LineEnds,
    /// The first line end of the section that is a bare LF, when there is one.
    pub first_lf: Option<usize>,
    pub issues: Vec<ScanIssue>,
}

/// The finding for a bare LF among CRLF line ends, at that LF: one per header section, at
/// the first one, since a line end rewritten by a carrier would have rewritten them all.
pub fn lone_lf_issue(lf: usize) -> ScanIssue {
    ScanIssue::new(
        IssueClass::Syntax,
        lf..lf + 1,
        "a lone LF ends this line where the other lines end in CRLF: RFC 3261 7 and 25.1 end the start line and each header line with CRLF",
    )
}

fn is_token(name: &[u8]) -> bool {
    !name.is_empty()
        && name
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || b"-.!%*_+`'~".contains(b))
}

/// Reads header lines from `pos` up to the empty line (or `end`).
/// Names are read in `forms`: a SIP message's head has compact forms, a MIME part's not.
pub fn scan(file: &[u8], mut pos: usize, end: usize, mut ends: LineEnds, forms: NameForms) -> Head {
    let mut head = Head {
        headers: Vec::new(),
        body_start: end,
        terminated: false,
        line_ends: ends,
        first_lf: None,
        issues: Vec::new(),
    };
    // The LF of the line before, when it ended with a lone LF in a section whose lines end
    // in CRLF: a line after it that is no header is that LF's doing.
    let mut lone_lf: Option<usize> = None;
    while pos < end {
        let l = line(file, pos, end);
        let after_lone_lf = lone_lf.take();
        if l.ending == Ending::Lf {
            head.first_lf.get_or_insert(l.next - 1);
            if ends.crlf > 0 {
                lone_lf = Some(l.next - 1);
            }
        }
        ends.count(l.ending);
        pos = l.next;
        let c = l.content.clone();
        if c.is_empty() {
            head.body_start = l.next;
            head.terminated = l.ending != Ending::None;
            break;
        }
        if matches!(file[c.start], b' ' | b'\t') {
            match head.headers.last_mut() {
                Some(h) => {
                    h.span.end = c.end;
                    h.value_span.end = c.end;
                }
                None => head.issues.push(ScanIssue::new(
                    IssueClass::Syntax,
                    c,
                    "a continuation line (starting with whitespace) with no header before it",
                )),
            }
            continue;
        }
        let Some(colon) = file[c.clone()].iter().position(|&b| b == b':') else {
            if after_lone_lf.is_some() {
                // That LF ended a header early (RFC 3261 7.3.1): the caller reports the
                // section's lone LF (`lone_lf_issue`), one finding for the one defect.
                continue;
            }
            head.issues.push(ScanIssue::new(
                IssueClass::Syntax,
                c,
                "a header line without ':' (RFC 3261 7.3.1: field-name \":\" field-value)",
            ));
            continue;
        };
        let colon = c.start + colon;
        let name_span = trim(file, c.start..colon);
        if !is_token(&file[name_span.clone()]) {
            head.issues.push(ScanIssue::new(
                IssueClass::Syntax,
                name_span.clone(),
                format!(
                    "'{}' is not a header name (RFC 3261 25.1: a token)",
                    String::from_utf8_lossy(&file[name_span.clone()])
                ),
            ));
        }
        let (name, compact) = HeaderName::read(&file[name_span.clone()], forms);
        let name = name.as_str().to_string();
        head.headers.push(Header {
            span: c.clone(),
            name_span,
            value_span: colon + 1..c.end,
            name,
            compact,
        });
    }
    if !head.terminated {
        head.body_start = end;
    }
    head.line_ends = ends;
    head
}

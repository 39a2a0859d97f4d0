//! SIP input: a file of one or more SIP messages in order, as SIP logs and traces print
//! them (start line, header section, empty line, body framed by Content-Length).
//!
//! Written by hand rather than on a SIP crate: a conformance check needs the byte span of
//! the start line, of every header, parameter and body part, tolerance of broken input with
//! every problem reported, and binary MIME parts kept byte for byte; no crate offers that
//! (shared/reference/mcx-sip-and-cpns.md section 7). `ezk-sip-types` serves as the
//! differential oracle in the tests instead.

pub mod capture;
pub mod dialog;
pub mod grammar;
pub mod header_field;
pub mod header_section;
pub mod issue;
pub mod message;
pub mod select;
pub mod settings;
pub mod start_line;
pub mod warning;

pub use header_field::{Header, Param, Value};
pub use issue::{IssueClass, ScanIssue};
pub use message::body::{self, BodyPart, Inner};
pub use message::SipMessage;
pub use start_line::StartLine;
use std::ops::Range;

/// How to read the text (from the `sip` settings).
#[derive(Debug, Clone, Default)]
pub struct ScanOptions {
    /// Read LF-only line ends as CRLF when measuring bodies against Content-Length.
    pub lf_as_crlf: bool,
}

/// A file of SIP messages, in order.
#[derive(Debug, Clone, Default)]
pub struct SipFile {
    pub messages: Vec<SipMessage>,
    /// For each message, the request it answers (see [`dialog::pair`]).
    pub answers: Vec<Option<usize>>,
    /// Text between messages that is no SIP message (log lines), skipped.
    pub skipped: Vec<Range<usize>>,
    /// The grammar faults of every message and of the messages their bodies embed, read
    /// once for all the rules that judge them ([`SipFile::grammar_faults`]).
    pub grammar: std::sync::OnceLock<Vec<grammar::Fault>>,
    /// For each request, the messages that answer it, in order: indexed from `answers` on
    /// the first [`SipFile::responses_to`], which every rule asks per request (a search of
    /// every message per request took the square of the messages).
    pub responses: std::sync::OnceLock<Vec<Vec<usize>>>,
}

impl SipFile {
    /// The responses to the request at `i`, in order.
    pub fn responses_to(&self, i: usize) -> impl Iterator<Item = &SipMessage> + '_ {
        let by_request = self.responses.get_or_init(|| {
            let mut by_request = vec![Vec::new(); self.messages.len()];
            for (k, a) in self.answers.iter().enumerate() {
                if let Some(r) = a.and_then(|r| by_request.get_mut(r)) {
                    r.push(k);
                }
            }
            by_request
        });
        by_request
            .get(i)
            .into_iter()
            .flatten()
            .filter_map(|&k| self.messages.get(k))
    }

    /// The grammar faults of every message and of every message a body embeds (read on the
    /// first call; `file` is the text the messages were read from).
    pub fn grammar_faults(&self, file: &[u8]) -> &[grammar::Fault] {
        self.grammar.get_or_init(|| {
            let mut all = Vec::new();
            for m in &self.messages {
                with_embedded(m, &mut all);
            }
            all.into_iter()
                .flat_map(|m| grammar::judge(file, m))
                .collect()
        })
    }

    /// The final response (status 200 and above) to the request at `i`, if the file holds it.
    pub fn final_response_to(&self, i: usize) -> Option<&SipMessage> {
        self.responses_to(i)
            .find(|m| m.status().is_some_and(|s| s >= 200))
    }
}

/// The message and every message embedded in its body, depth first.
fn with_embedded<'m>(m: &'m SipMessage, out: &mut Vec<&'m SipMessage>) {
    fn part<'m>(p: &'m BodyPart, out: &mut Vec<&'m SipMessage>) {
        match &p.inner {
            Inner::Message(inner) => with_embedded(inner, out),
            Inner::Parts(parts) => parts.iter().for_each(|q| part(q, out)),
            _ => {}
        }
    }
    out.push(m);
    if let Some(b) = &m.body {
        part(b, out);
    }
}

/// Whether the first non-blank line is a SIP start line.
pub fn looks_like_sip(head: &[u8]) -> bool {
    let start = head
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(head.len());
    let line = header_section::line(head, start, head.len());
    line.ending != header_section::Ending::None && start_line::is_start_line(&head[line.content])
}

/// Reads every message of a file.
pub fn read(file: &[u8], opts: &ScanOptions) -> SipFile {
    let mut out = SipFile::default();
    let mut pos = 0;
    while pos < file.len() {
        while pos < file.len() && file[pos].is_ascii_whitespace() {
            pos += 1;
        }
        if pos >= file.len() {
            break;
        }
        match message::scan(file, pos, file.len(), false, 0, opts) {
            Some((m, next)) => {
                pos = next.max(pos + 1);
                out.messages.push(m);
            }
            None => {
                let next = message::next_start_line(file, pos, file.len());
                out.skipped.push(pos..next);
                pos = next;
            }
        }
    }
    out.answers = dialog::pair(file, &out.messages);
    out
}

#[cfg(test)]
mod tests;

//! What the scanner found wrong with the text itself (framing, grammar), with the byte span
//! in the file. The SIP rules (`sip_scan_issue`) turn these into findings; nothing here
//! decides a verdict.

use std::ops::Range;

/// The class of a scanner problem, as rule tables name it (`issues: [content_length]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IssueClass {
    /// A Content-Length that does not frame the body (RFC 3261 20.14, 18.3).
    ContentLength,
    /// A message with a body and no Content-Length (RFC 3261 20.14).
    ContentLengthMissing,
    /// A start line or header line that breaks the RFC 3261 25.1 grammar.
    Syntax,
    /// A multipart body that cannot be split as RFC 2046 5.1.1 says.
    Multipart,
    /// An application/mikey body sent as base64 text rather than binary.
    MikeyBase64,
}

/// One problem with the text, at a byte span of the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScanIssue {
    pub class: IssueClass,
    pub span: Range<usize>,
    pub detail: String,
}

impl ScanIssue {
    pub fn new(class: IssueClass, span: Range<usize>, detail: impl Into<String>) -> ScanIssue {
        ScanIssue {
            class,
            span,
            detail: detail.into(),
        }
    }
}

//! The start line: a request line (`METHOD SP Request-URI SP SIP/2.0`) or a status line
//! (`SIP/2.0 SP 3DIGIT SP Reason-Phrase`), RFC 3261 25.1.

use std::ops::Range;

/// A parsed start line, with the spans of its parts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StartLine {
    Request {
        method: String,
        uri: String,
        uri_span: Range<usize>,
    },
    Response {
        code: u16,
        reason: String,
    },
}

/// Reads `line` (without its line end), found at `at` in the file. None when it is no
/// start line at all.
pub fn parse(line: &[u8], at: usize) -> Option<StartLine> {
    let text = std::str::from_utf8(line).ok()?;
    if let Some(rest) = text.strip_prefix("SIP/2.0 ") {
        let (code, reason) = rest.split_once(' ').unwrap_or((rest, ""));
        if code.len() != 3 || !code.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        return Some(StartLine::Response {
            code: code.parse().ok()?,
            reason: reason.to_string(),
        });
    }
    let (method, rest) = text.split_once(' ')?;
    let (uri, version) = rest.rsplit_once(' ')?;
    let is_token = |s: &str| {
        !s.is_empty()
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-.!%*_+`'~".contains(&b))
    };
    if version != "SIP/2.0" || !is_token(method) || uri.is_empty() || uri.contains(' ') {
        return None;
    }
    let uri_start = at + method.len() + 1;
    Some(StartLine::Request {
        method: method.to_string(),
        uri: uri.to_string(),
        uri_span: uri_start..uri_start + uri.len(),
    })
}

/// Whether `line` is a start line (used to find where the next message begins).
pub fn is_start_line(line: &[u8]) -> bool {
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    parse(line, 0).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_and_status_lines() {
        let r = parse(b"MESSAGE sip:alice@example.com SIP/2.0", 10).unwrap();
        assert_eq!(
            r,
            StartLine::Request {
                method: "MESSAGE".into(),
                uri: "sip:alice@example.com".into(),
                uri_span: 18..39
            }
        );
        assert_eq!(
            parse(b"SIP/2.0 488 Not Acceptable Here", 0),
            Some(StartLine::Response {
                code: 488,
                reason: "Not Acceptable Here".into()
            })
        );
        assert!(parse(b"GET / HTTP/1.1", 0).is_none());
        assert!(parse(b"SIP/2.0 48 x", 0).is_none());
    }
}

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

/// `SIP/` 1*DIGIT "." 1*DIGIT.
fn is_version(s: &str) -> bool {
    let Some(v) = s.strip_prefix("SIP/") else {
        return false;
    };
    let digits = |d: &str| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit());
    v.split_once('.')
        .is_some_and(|(a, b)| digits(a) && digits(b))
}

/// Reads `line` (without its line end), found at `at` in the file. None when it is no
/// start line at all.
///
/// Recognition is looser than the grammar on purpose: a line that opens with a SIP version
/// and a numeric code, or with a token and ends with a SIP version, is read as a start line
/// (extra spaces, a Request-URI with spaces or `<>`, another version, a code of other than
/// three digits), so that the grammar check (`sip::grammar`) reports its first offending
/// octet instead of the message going unread.
pub fn parse(line: &[u8], at: usize) -> Option<StartLine> {
    let text = std::str::from_utf8(line).ok()?;
    if text.starts_with("SIP/") {
        let (version, rest) = text.split_once(' ')?;
        let rest = rest.trim_start_matches(' ');
        let (code, reason) = rest.split_once(' ').unwrap_or((rest, ""));
        if !is_version(version) || code.is_empty() || !code.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        // A code of other than three digits is reported by the grammar; read as 0 (no class).
        let code = if code.len() == 3 {
            code.parse().ok()?
        } else {
            0
        };
        return Some(StartLine::Response {
            code,
            reason: reason.to_string(),
        });
    }
    let (method, rest) = text.split_once(' ')?;
    let body = rest.trim_end_matches([' ', '\t']);
    let (uri, version) = body.rsplit_once(' ')?;
    let is_token = |s: &str| {
        !s.is_empty()
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-.!%*_+`'~".contains(&b))
    };
    let lead = uri.len() - uri.trim_start_matches(' ').len();
    let uri = uri.trim_matches(' ');
    // Every URI has a scheme: a line of prose that happens to end in "SIP/2.0" is no start
    // line.
    if !is_version(version) || !is_token(method) || !uri.contains(':') {
        return None;
    }
    let uri_start = at + method.len() + 1 + lead;
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
        // Read as a status line (code 0) so that the grammar reports the two-digit code.
        assert_eq!(
            parse(b"SIP/2.0 48 x", 0),
            Some(StartLine::Response {
                code: 0,
                reason: "x".into()
            })
        );
        assert!(parse(b"SIP/2.0 x", 0).is_none());
        assert!(parse(b"Please upgrade to SIP/2.0", 0).is_none());
        let r = parse(b"MESSAGE  <sip:a@b c> SIP/7.0 ", 0).unwrap();
        assert!(
            matches!(r, StartLine::Request { ref uri, ref uri_span, .. } if uri == "<sip:a@b c>" && *uri_span == (9..20))
        );
    }
}

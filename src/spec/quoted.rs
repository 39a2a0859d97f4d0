//! SPEC-TXT-01: a quoted protocol string with a space at either end inside its quotes. What
//! is between the quotes is what an implementation sends (a SIP warn-text is a
//! quoted-string, RFC 3261 20.43), so "140 unable to decrypt XML content " puts a space on
//! the wire. Judged only for strings that read as protocol strings: a status or warning
//! ("140 unable …", "403 Forbidden"), or one token (a media type, a header value). URNs are
//! SPEC-URN-01's.

use super::document::Document;
use super::rules;
use super::urns::quoted;
use crate::finding::Finding;

/// Whether a quoted string (without its edge spaces) reads as a protocol string.
fn is_protocol_string(s: &str) -> bool {
    let code =
        s.len() > 4 && s.as_bytes()[..3].iter().all(u8::is_ascii_digit) && s.as_bytes()[3] == b' ';
    let token = !s.is_empty()
        && !s.contains(char::is_whitespace)
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "!#$&^_.+-/:=;".contains(c));
    let lower = s.to_ascii_lowercase();
    let uri = lower.starts_with("urn:") || lower.starts_with("http");
    (code || token) && !uri
}

pub fn check(doc: &Document, lines: &[usize], strict: bool) -> Vec<Finding> {
    let mut out = Vec::new();
    for &i in lines {
        let line = &doc.lines[i].text;
        for q in quoted(line) {
            let trimmed = q.text.trim();
            if trimmed.len() == q.text.len() || !is_protocol_string(trimmed) {
                continue;
            }
            let (lead, trail) = (
                q.text.len() - q.text.trim_start().len(),
                q.text.len() - q.text.trim_end().len(),
            );
            let at = if lead > 0 {
                q.start
            } else {
                q.start + q.text.len() - trail
            };
            let edges = match (lead > 0, trail > 0) {
                (true, true) => "begins and ends",
                (true, false) => "begins",
                _ => "ends",
            };
            let detail = format!(
                "the quoted string \"{}\" {edges} with a space inside its quotes: the quotes delimit what is sent, so the space would be part of it (write \"{trimmed}\")",
                q.text
            );
            out.push(rules::finding(
                "SPEC-TXT-01",
                &detail,
                doc.location_at_byte(i, at),
                strict,
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn protocol_strings() {
        assert!(is_protocol_string("140 unable to decrypt XML content"));
        assert!(is_protocol_string("application/mbms-msk-response+xml"));
        assert!(is_protocol_string("supported"));
        assert!(!is_protocol_string("from now, UDP supported only"));
        assert!(!is_protocol_string("urn:3gpp:x"));
    }
}

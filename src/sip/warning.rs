//! The Warning header value, RFC 3261 20.43 and 25.1:
//! `warning-value = warn-code SP warn-agent SP warn-text`, `warn-code = 3DIGIT`,
//! `warn-agent = hostport / pseudonym`, `warn-text = quoted-string`. Exactly one SP between
//! the parts. A value that breaks the grammar is read as far as it goes and says where.

use super::header_field::{unescape, Unfolded};
use std::ops::Range;

/// One warning-value as read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WarningValue {
    pub span: Range<usize>,
    pub code: Option<u16>,
    pub agent: String,
    /// The warn-text without its quotes, escapes resolved.
    pub text: Option<String>,
    /// The first grammar breach: where, and what.
    pub error: Option<(Range<usize>, String)>,
}

impl WarningValue {
    /// The 3GPP MC form (TS 24.281 4.4, secondary sources): the MC code and text inside
    /// the quoted warn-text, `"136 authentication …"`. Returns (code, text after it).
    pub fn mc_code(&self) -> Option<(u16, &str)> {
        let t = self.text.as_deref()?;
        let (code, rest) = t.split_at_checked(3)?;
        let rest = rest.strip_prefix(' ')?;
        if !code.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        Some((code.parse().ok()?, rest))
    }
}

/// Reads one warning-value at `span` of `file` (already split from its neighbours). The
/// value is read unfolded (a fold is one SP, RFC 3261 7.3.1); the spans it reports are in
/// `file`. When the grammar breaks before the warn-text, a quoted string in the value is
/// still read as the text, so a rule on the text does not report the grammar breach a
/// second time.
pub fn parse(file: &[u8], span: Range<usize>) -> WarningValue {
    let unfolded = Unfolded::new(file, span.clone());
    let raw = &unfolded.bytes;
    let mut w = strict(raw, 0..raw.len());
    if w.text.is_none() {
        if let (Some(a), Some(b)) = (
            raw.iter().position(|&c| c == b'"'),
            raw.iter().rposition(|&c| c == b'"'),
        ) {
            if a < b {
                w.text = Some(unescape(&raw[a + 1..b]));
            }
        }
    }
    w.span = span;
    w.error = w.error.map(|(r, why)| (unfolded.span_in_file(r), why));
    w
}

fn strict(file: &[u8], span: Range<usize>) -> WarningValue {
    let raw = &file[span.clone()];
    let at = |a: usize, b: usize| span.start + a..span.start + b;
    let mut w = WarningValue {
        span: span.clone(),
        code: None,
        agent: String::new(),
        text: None,
        error: None,
    };
    let code_ok = raw.len() >= 3 && raw[..3].iter().all(u8::is_ascii_digit);
    if !code_ok {
        w.error = Some((
            at(0, raw.len().min(3)),
            "the warn-code is not 3 digits".into(),
        ));
        return w;
    }
    w.code = std::str::from_utf8(&raw[..3])
        .ok()
        .and_then(|s| s.parse().ok());
    if raw.get(3) != Some(&b' ') {
        w.error = Some((
            at(3, (4).min(raw.len())),
            "the warn-code is not followed by exactly one SP".into(),
        ));
        return w;
    }
    let agent_end = raw[4..]
        .iter()
        .position(|&b| b == b' ' || b == b'"')
        .map_or(raw.len(), |i| i + 4);
    w.agent = String::from_utf8_lossy(&raw[4..agent_end]).to_string();
    if agent_end == 4 {
        w.error = Some((
            at(4, 4.min(raw.len())),
            "the warn-agent (hostport or pseudonym) is missing".into(),
        ));
        return w;
    }
    if raw.get(agent_end) != Some(&b' ') {
        w.error = Some((
            at(4, agent_end),
            "the warn-agent is not followed by SP and the quoted warn-text".into(),
        ));
        return w;
    }
    if !is_warn_agent(&raw[4..agent_end]) {
        w.error = Some((
            at(4, agent_end),
            "the warn-agent is neither a hostport (host [\":\" port], the port digits) nor a pseudonym (a token)".into(),
        ));
        return w;
    }
    let text_start = agent_end + 1;
    if raw.get(text_start) != Some(&b'"') {
        w.error = Some((at(text_start, raw.len()), "the warn-text is not a quoted string (it must start with '\"'; exactly one SP before it)".into()));
        return w;
    }
    let mut i = text_start + 1;
    while i < raw.len() && raw[i] != b'"' {
        i += if raw[i] == b'\\' { 2 } else { 1 };
    }
    if i >= raw.len() {
        w.error = Some((
            at(text_start, raw.len()),
            "the warn-text's closing '\"' is missing".into(),
        ));
        return w;
    }
    w.text = Some(unescape(&raw[text_start + 1..i]));
    if i + 1 != raw.len() {
        w.error = Some((
            at(i + 1, raw.len()),
            "text after the quoted warn-text".into(),
        ));
    }
    w
}

/// `warn-agent = hostport / pseudonym` (RFC 3261 25.1): `host [ ":" port ]` with `host` a
/// hostname, IPv4 address or bracketed IPv6 reference and `port = 1*DIGIT`, or a `token`
/// (which a hostname without a port also is). A token holds no ':', so `host:50x60` is neither.
fn is_warn_agent(agent: &[u8]) -> bool {
    let is_token = |b: &u8| b.is_ascii_alphanumeric() || b"-.!%*_+`'~".contains(b);
    let port_ok = |p: &[u8]| !p.is_empty() && p.iter().all(u8::is_ascii_digit);
    if let Some(rest) = agent.strip_prefix(b"[") {
        let Some(close) = rest.iter().position(|&b| b == b']') else {
            return false;
        };
        let inside = &rest[..close];
        let v6 = std::str::from_utf8(inside)
            .ok()
            .is_some_and(|t| t.parse::<std::net::Ipv6Addr>().is_ok());
        return v6
            && match &rest[close + 1..] {
                [] => true,
                [b':', port @ ..] => port_ok(port),
                _ => false,
            };
    }
    match agent.iter().position(|&b| b == b':') {
        None => !agent.is_empty() && agent.iter().all(is_token),
        Some(colon) => {
            let host = &agent[..colon];
            let hostname = |b: &u8| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.');
            !host.is_empty() && host.iter().all(hostname) && port_ok(&agent[colon + 1..])
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_warn_agent_is_a_hostport_or_a_token() {
        for good in [
            &b"mcvideo.example.com"[..],
            b"mcvideo.example.com:5060",
            b"192.0.2.1:5060",
            b"[2001:db8::1]:5060",
            b"[2001:db8::1]",
            b"pseudo~nym_1",
        ] {
            assert!(is_warn_agent(good), "{}", String::from_utf8_lossy(good));
        }
        for bad in [
            &b"mcvideo.example.com:50x60"[..],
            b"host:",
            b":5060",
            b"[2001:db8::1",
            b"[not-v6]:1",
            b"a@b",
        ] {
            assert!(!is_warn_agent(bad), "{}", String::from_utf8_lossy(bad));
        }
    }

    #[test]
    fn mc_form_and_breaches() {
        let f =
            br#"399 mcvideo.example.com "136 authentication of the MIKEY-SAKKE I_MESSAGE failed""#;
        let w = parse(f, 0..f.len());
        assert_eq!(w.error, None);
        assert_eq!(w.code, Some(399));
        assert_eq!(w.agent, "mcvideo.example.com");
        assert_eq!(
            w.mc_code(),
            Some((136, "authentication of the MIKEY-SAKKE I_MESSAGE failed"))
        );
        let f = br#"399 "100 User not authorised""#;
        assert!(parse(f, 0..f.len()).error.is_some());
        let f = br#"399 host  "x""#;
        assert!(parse(f, 0..f.len()).error.is_some());
        let f = br#"399 host "a \"b\"""#;
        assert_eq!(parse(f, 0..f.len()).text.as_deref(), Some("a \"b\""));
    }

    /// RFC 3261 7.3.1: a fold (line break and the next line's leading whitespace) reads as
    /// one SP, so a Warning folded between its parts is the same value; a breach found in a
    /// folded value is reported at its octets in the message.
    #[test]
    fn folded_value_is_read_unfolded() {
        let f = b"399\r\n mcvideo.example.com\r\n\t \"136 authentication failed\"";
        let w = parse(f, 0..f.len());
        assert_eq!(w.error, None);
        assert_eq!(w.code, Some(399));
        assert_eq!(w.agent, "mcvideo.example.com");
        assert_eq!(w.mc_code(), Some((136, "authentication failed")));
        assert_eq!(w.span, 0..f.len());
        let f = b"399\n host \"x\" extra";
        let w = parse(f, 0..f.len());
        let (at, _) = w.error.expect("text after the warn-text");
        assert_eq!(&f[at], b" extra");
        let f = b"399 \r\n host \"x\"";
        // The SP before the fold and the fold's SP: two SPs after the code (exactly one).
        assert!(parse(f, 0..f.len()).error.is_some());
    }
}

//! One header field: its name and value spans, its canonical (long, lower-case) name, and
//! the comma-separated values and `;name=value` parameters inside it, each with its span.
//! Values are read from the raw bytes, so a folded header (continuation lines starting with
//! SP or HTAB, RFC 3261 7.3.1) keeps exact spans; line breaks count as whitespace.

use std::ops::Range;

/// One header field of a message or of a MIME part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    /// The whole field, continuation lines included, without the final line end.
    pub span: Range<usize>,
    pub name_span: Range<usize>,
    pub value_span: Range<usize>,
    /// The long form of the name, lower-case (`i` reads as `call-id`).
    pub name: String,
    /// Whether the name was written in its compact form.
    pub compact: bool,
}

/// One parameter (`;require`, `;+g.3gpp.icsi-ref="…"`), with the span of the whole
/// parameter and of its value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Param {
    pub span: Range<usize>,
    /// Lower-case name.
    pub name: String,
    /// The value, unquoted (escapes resolved), or None for a bare name.
    pub value: Option<String>,
    pub value_span: Option<Range<usize>>,
    /// Whether the value was a quoted string.
    pub quoted: bool,
}

/// One comma-separated value of a header, with its leading part (before the first `;`
/// outside quotes and angle brackets) and its parameters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Value {
    pub span: Range<usize>,
    pub main: Range<usize>,
    pub params: Vec<Param>,
}

impl Header {
    /// The value's text with folds and surrounding whitespace collapsed to single spaces.
    pub fn text(&self, file: &[u8]) -> String {
        unfold(&file[self.value_span.clone()])
    }

    /// The comma-separated values (commas inside quotes or `<…>` do not separate).
    pub fn values(&self, file: &[u8]) -> Vec<Value> {
        split(file, self.value_span.clone(), b',')
            .into_iter()
            .filter(|r| r.start < r.end)
            .map(|r| value(file, r))
            .collect()
    }
}

/// Collapses line breaks and runs of whitespace into single spaces and trims.
pub fn unfold(raw: &[u8]) -> String {
    let text = String::from_utf8_lossy(raw);
    text.split_ascii_whitespace().collect::<Vec<_>>().join(" ")
}

/// A range of a message with each fold — a line break and the whitespace that starts the
/// next line — read as one SP (RFC 3261 7.3.1), every other octet as written; and, for each
/// octet read, where it is in the message, so a finding on the unfolded text still points
/// into the original octets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unfolded {
    pub bytes: Vec<u8>,
    /// `origin[i]` is the offset in the message of `bytes[i]` (of the fold's line break for
    /// the SP a fold reads as).
    origin: Vec<usize>,
    end: usize,
}

impl Unfolded {
    pub fn new(file: &[u8], span: Range<usize>) -> Self {
        let mut u = Unfolded {
            bytes: Vec::with_capacity(span.len()),
            origin: Vec::with_capacity(span.len()),
            end: span.end,
        };
        let mut i = span.start;
        while i < span.end {
            let eol = match file[i] {
                b'\r' if file.get(i + 1) == Some(&b'\n') => 2,
                b'\n' => 1,
                _ => 0,
            };
            let wsp = |p: usize| p < span.end && matches!(file[p], b' ' | b'\t');
            if eol > 0 && wsp(i + eol) {
                u.bytes.push(b' ');
                u.origin.push(i);
                i += eol;
                while wsp(i) {
                    i += 1;
                }
                continue;
            }
            u.bytes.push(file[i]);
            u.origin.push(i);
            i += 1;
        }
        u
    }

    /// The unfolded text (lossy UTF-8).
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.bytes).to_string()
    }

    /// The range of the message that a range of the unfolded octets was read from.
    pub fn span_in_file(&self, r: Range<usize>) -> Range<usize> {
        let at = |i: usize| self.origin.get(i).copied().unwrap_or(self.end);
        let start = at(r.start);
        let end = if r.end > r.start {
            at(r.end - 1) + 1
        } else {
            start
        };
        start..end.max(start)
    }
}

/// The octets of a range with each fold read as one SP (see [`Unfolded`]), as text.
pub fn unfolded_text(file: &[u8], r: Range<usize>) -> String {
    Unfolded::new(file, r).text()
}

fn is_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n')
}

/// Trims whitespace from both ends of a range.
pub fn trim(file: &[u8], mut r: Range<usize>) -> Range<usize> {
    while r.start < r.end && is_ws(file[r.start]) {
        r.start += 1;
    }
    while r.end > r.start && is_ws(file[r.end - 1]) {
        r.end -= 1;
    }
    r
}

/// Splits a range at `sep` bytes outside quoted strings and angle brackets; each piece
/// trimmed.
pub fn split(file: &[u8], r: Range<usize>, sep: u8) -> Vec<Range<usize>> {
    let mut pieces = Vec::new();
    let (mut start, mut quoted, mut angle) = (r.start, false, false);
    let mut i = r.start;
    while i < r.end {
        match file[i] {
            b'\\' if quoted => i += 1,
            b'"' => quoted = !quoted,
            b'<' if !quoted => angle = true,
            b'>' if !quoted => angle = false,
            b if b == sep && !quoted && !angle => {
                pieces.push(trim(file, start..i));
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    pieces.push(trim(file, start..r.end));
    pieces
}

fn value(file: &[u8], r: Range<usize>) -> Value {
    let mut pieces = split(file, r.clone(), b';').into_iter();
    let main = pieces.next().unwrap_or(r.start..r.start);
    Value {
        span: r,
        main,
        params: pieces
            .filter(|p| p.start < p.end)
            .map(|p| param(file, p))
            .collect(),
    }
}

fn param(file: &[u8], r: Range<usize>) -> Param {
    let eq = file[r.clone()].iter().position(|&b| b == b'=');
    let Some(eq) = eq.map(|e| r.start + e) else {
        return Param {
            span: r.clone(),
            name: String::from_utf8_lossy(&file[r]).to_ascii_lowercase(),
            value: None,
            value_span: None,
            quoted: false,
        };
    };
    let name_r = trim(file, r.start..eq);
    let value_r = trim(file, eq + 1..r.end);
    // A quoted value may be folded (qdtext includes LWS, RFC 3261 25.1).
    let raw = &Unfolded::new(file, value_r.clone()).bytes;
    let quoted = raw.len() >= 2 && raw[0] == b'"' && raw[raw.len() - 1] == b'"';
    let value = if quoted {
        unescape(&raw[1..raw.len() - 1])
    } else {
        String::from_utf8_lossy(raw).to_string()
    };
    Param {
        span: r,
        name: String::from_utf8_lossy(&file[name_r]).to_ascii_lowercase(),
        value: Some(value),
        value_span: Some(value_r),
        quoted,
    }
}

/// Resolves `\x` quoted-pairs of a quoted string's content.
pub fn unescape(raw: &[u8]) -> String {
    let mut out = Vec::with_capacity(raw.len());
    let mut it = raw.iter();
    while let Some(&b) = it.next() {
        if b == b'\\' {
            if let Some(&n) = it.next() {
                out.push(n);
            }
        } else {
            out.push(b);
        }
    }
    String::from_utf8_lossy(&out).to_string()
}

/// The URI of a name-addr or addr-spec value (`"A" <sip:a@b>;tag=1` → `sip:a@b`).
pub fn uri_of(file: &[u8], v: &Value) -> String {
    let text = unfolded_text(file, v.main.clone());
    match (text.find('<'), text.rfind('>')) {
        (Some(a), Some(b)) if a < b => text[a + 1..b].trim().to_string(),
        _ => text.trim().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::header_name::{HeaderName, NameForms};

    fn header(file: &[u8]) -> Header {
        let colon = file.iter().position(|&b| b == b':').unwrap();
        let (name, compact) = HeaderName::read(&file[..colon], NameForms::Sip);
        Header {
            span: 0..file.len(),
            name_span: 0..colon,
            value_span: colon + 1..file.len(),
            name: name.as_str().to_string(),
            compact,
        }
    }

    #[test]
    fn accept_contact_values_and_params() {
        let f = br#"a: *;+g.3gpp.icsi-ref="urn%3Aurn-7%3A3gpp-service.ims.icsi.mcvideo";require, *;explicit"#;
        let h = header(f);
        assert_eq!(h.name, "accept-contact");
        assert!(h.compact);
        let vs = h.values(f);
        assert_eq!(vs.len(), 2);
        assert_eq!(&f[vs[0].main.clone()], b"*");
        let p = &vs[0].params[0];
        assert_eq!(p.name, "+g.3gpp.icsi-ref");
        assert_eq!(
            p.value.as_deref(),
            Some("urn%3Aurn-7%3A3gpp-service.ims.icsi.mcvideo")
        );
        assert!(p.quoted);
        assert_eq!(vs[0].params[1].name, "require");
        assert_eq!(vs[1].params[0].name, "explicit");
    }

    #[test]
    fn folded_value_and_name_addr() {
        let f = b"To: \"Alice, A\"\r\n <sip:alice@example.com;transport=udp>;tag=9";
        let h = header(f);
        let vs = h.values(f);
        assert_eq!(vs.len(), 1);
        assert_eq!(uri_of(f, &vs[0]), "sip:alice@example.com;transport=udp");
        assert_eq!(vs[0].params[0].name, "tag");
        assert_eq!(
            h.text(f),
            "\"Alice, A\" <sip:alice@example.com;transport=udp>;tag=9"
        );
    }
}

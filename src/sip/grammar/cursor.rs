//! The cursor every production reads with, and the RFC 3261 25.1 basic rules: whitespace
//! (LWS/SWS, a fold's line end included), the separators (`SEMI`, `COMMA`, `EQUAL`, …),
//! token, word, quoted-string, comment, digits with a range, host, generic-param.
//!
//! A production either consumes what it matched or returns the [`Miss`] at the first octet
//! the grammar cannot accept; nothing is ever skipped silently.

use super::Family;
use std::ops::Range;

/// Where a production failed, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Miss {
    pub at: usize,
    pub family: Family,
    pub what: String,
}

pub type R<T = ()> = Result<T, Miss>;

/// A read position over one header value (or start line) of the file.
pub struct Cur<'a> {
    pub b: &'a [u8],
    pub i: usize,
    pub end: usize,
    /// The family of productions being read (set by the caller for a parameter from another
    /// RFC, e.g. `+sip.instance` of RFC 5626 inside a Contact).
    pub family: Family,
}

pub fn is_token_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"-.!%*_+`'~".contains(&b)
}

/// RFC 3261 25.1 `word`: token characters and `( ) < > : \ " / [ ] ? { }`.
fn is_word_char(b: u8) -> bool {
    is_token_char(b) || b"()<>:\\\"/[]?{}".contains(&b)
}

pub fn is_unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"-_.!~*'()".contains(&b)
}

/// How an octet is shown in a message.
pub fn show(b: Option<u8>) -> String {
    match b {
        None => "the end of the value".into(),
        Some(b' ') => "a space".into(),
        Some(b'\t') => "a tab".into(),
        Some(b'\r') | Some(b'\n') => "a line end".into(),
        Some(b) if b.is_ascii_graphic() => format!("'{}'", b as char),
        Some(b) => format!("octet 0x{b:02X}"),
    }
}

impl<'a> Cur<'a> {
    pub fn new(b: &'a [u8], r: Range<usize>, family: Family) -> Cur<'a> {
        Cur {
            b,
            i: r.start,
            end: r.end,
            family,
        }
    }

    pub fn peek(&self) -> Option<u8> {
        (self.i < self.end).then(|| self.b[self.i])
    }

    pub fn peek_at(&self, k: usize) -> Option<u8> {
        (self.i + k < self.end).then(|| self.b[self.i + k])
    }

    pub fn at_end(&self) -> bool {
        self.i >= self.end
    }

    pub fn miss_at<T>(&self, at: usize, what: impl Into<String>) -> R<T> {
        Err(Miss {
            at,
            family: self.family,
            what: what.into(),
        })
    }

    /// A miss at the current octet: "expected X, found Y".
    pub fn expected<T>(&self, what: &str) -> R<T> {
        self.miss_at(
            self.i.min(self.end),
            format!("expected {what}, found {}", show(self.peek())),
        )
    }

    /// Skips whitespace (SP, HTAB, and the line end of a fold); whether any was there. A
    /// header's value holds a line end only where a fold continues it, so an LF is a fold; a
    /// CR is one only before its LF (a bare CR is a control octet, not LWS).
    pub fn ws(&mut self) -> bool {
        let start = self.i;
        while let Some(b) = self.peek() {
            match b {
                b' ' | b'\t' | b'\n' => self.i += 1,
                b'\r' if self.peek_at(1) == Some(b'\n') => self.i += 1,
                _ => break,
            }
        }
        self.i > start
    }

    /// `LWS` that must be there.
    pub fn lws(&mut self, what: &str) -> R {
        if self.ws() {
            Ok(())
        } else {
            self.expected(&format!("whitespace {what}"))
        }
    }

    /// A separator with optional whitespace around it (`SEMI`, `COMMA`, `EQUAL`, …); the
    /// cursor moves only when it is there.
    pub fn sep(&mut self, c: u8) -> bool {
        let save = self.i;
        self.ws();
        if self.peek() == Some(c) {
            self.i += 1;
            self.ws();
            true
        } else {
            self.i = save;
            false
        }
    }

    pub fn expect_sep(&mut self, c: u8, what: &str) -> R {
        if self.sep(c) {
            Ok(())
        } else {
            self.ws();
            self.expected(what)
        }
    }

    /// Exactly this octet, no whitespace.
    pub fn eat(&mut self, c: u8) -> bool {
        if self.peek() == Some(c) {
            self.i += 1;
            true
        } else {
            false
        }
    }

    /// A case-insensitive literal, no whitespace.
    pub fn lit(&mut self, s: &str) -> bool {
        let n = s.len();
        if self.i + n <= self.end && self.b[self.i..self.i + n].eq_ignore_ascii_case(s.as_bytes()) {
            self.i += n;
            true
        } else {
            false
        }
    }

    /// One or more octets of a class.
    pub fn run(&mut self, ok: impl Fn(u8) -> bool, what: &str) -> R<Range<usize>> {
        let start = self.i;
        while self.peek().is_some_and(&ok) {
            self.i += 1;
        }
        if self.i == start {
            return self.expected(what);
        }
        Ok(start..self.i)
    }

    pub fn token(&mut self, what: &str) -> R<Range<usize>> {
        self.run(is_token_char, what)
    }

    pub fn word(&mut self, what: &str) -> R<Range<usize>> {
        self.run(is_word_char, what)
    }

    pub fn text(&self, r: &Range<usize>) -> String {
        String::from_utf8_lossy(&self.b[r.clone()]).into_owned()
    }

    /// `quoted-string = SWS DQUOTE *(qdtext / quoted-pair) DQUOTE`; the range of its
    /// content. A string that never closes is reported at its opening quote.
    pub fn quoted_string(&mut self, what: &str) -> R<Range<usize>> {
        self.ws();
        let open = self.i;
        if !self.eat(b'"') {
            return self.expected(&format!("{what} (a quoted string)"));
        }
        while let Some(b) = self.peek() {
            match b {
                b'"' => {
                    self.i += 1;
                    return Ok(open + 1..self.i - 1);
                }
                b'\\' => {
                    // quoted-pair = "\" (%x00-09 / %x0B-0C / %x0E-7F)
                    match self.peek_at(1) {
                        Some(n) if n <= 0x7F && n != b'\n' && n != b'\r' => self.i += 2,
                        _ => return self.miss_at(self.i, "a '\\' in a quoted string that escapes no character (RFC 3261 25.1 quoted-pair)"),
                    }
                }
                b'\r' | b'\n' | b' ' | b'\t' | 0x21 | 0x23..=0x5B | 0x5D..=0x7E | 0x80.. => {
                    self.i += 1
                }
                _ => {
                    return self.miss_at(
                        self.i,
                        format!(
                            "{} in a quoted string (RFC 3261 25.1 qdtext)",
                            show(Some(b))
                        ),
                    )
                }
            }
        }
        self.miss_at(
            open,
            format!("the quoted string of {what} opened here is never closed (RFC 3261 25.1 quoted-string)"),
        )
    }

    /// `comment = LPAREN *(ctext / quoted-pair / comment) RPAREN` (nesting bounded).
    pub fn comment(&mut self) -> R {
        let open = self.i;
        if !self.eat(b'(') {
            return self.expected("'(' opening a comment");
        }
        let mut depth = 1usize;
        while let Some(b) = self.peek() {
            match b {
                b'(' => depth += 1,
                b')' => {
                    depth -= 1;
                    if depth == 0 {
                        self.i += 1;
                        return Ok(());
                    }
                }
                b'\\' if self.peek_at(1).is_some_and(|n| n <= 0x7F) => self.i += 1,
                0x00..=0x08 | 0x0B | 0x0C | 0x0E..=0x1F | 0x7F => {
                    return self.miss_at(
                        self.i,
                        format!("{} in a comment (RFC 3261 25.1 ctext)", show(Some(b))),
                    )
                }
                _ => {}
            }
            if depth > 32 {
                return self.miss_at(self.i, "comments nested over 32 deep");
            }
            self.i += 1;
        }
        self.miss_at(
            open,
            "the comment opened here is never closed (RFC 3261 25.1 comment)",
        )
    }

    /// `1*DIGIT` whose value is at most `max`; over the range, the miss is at its first digit.
    pub fn number(&mut self, max: u64, what: &str) -> R<u64> {
        let start = self.i;
        if !self.peek().is_some_and(|b| b.is_ascii_digit()) {
            return self.expected(&format!("{what} (digits)"));
        }
        let r = self.run(|b| b.is_ascii_digit(), what)?;
        let mut v: u64 = 0;
        for &d in &self.b[r] {
            v = v.saturating_mul(10).saturating_add(u64::from(d - b'0'));
        }
        if v > max {
            return self.miss_at(
                start,
                format!(
                    "{what} {} is over its range (at most {max})",
                    self.text(&(start..self.i))
                ),
            );
        }
        Ok(v)
    }

    /// Whitespace then the end of the value, or a miss at what is left over.
    pub fn finish(&mut self, what: &str) -> R {
        self.ws();
        if self.at_end() {
            Ok(())
        } else {
            self.miss_at(
                self.i,
                format!("unexpected {} after {what}", show(self.peek())),
            )
        }
    }

    /// `gen-value = token / host / quoted-string`.
    pub fn gen_value(&mut self) -> R {
        match self.peek() {
            Some(b'"') => self.quoted_string("a parameter value").map(|_| ()),
            Some(b'[') => self.host(),
            _ => self
                .token("a parameter value (token, host or quoted string)")
                .map(|_| ()),
        }
    }

    /// `generic-param = token [ EQUAL gen-value ]`, its name already read.
    pub fn generic_value(&mut self) -> R {
        if self.sep(b'=') {
            self.gen_value()?;
        }
        Ok(())
    }

    /// `*( SEMI param )`, each param read by `one` given its lower-case name (None: read as
    /// generic-param).
    pub fn params(&mut self, mut one: impl FnMut(&mut Self, &str) -> R<bool>) -> R {
        while self.sep(b';') {
            let name = self.token("a parameter name (token)")?;
            let lname = self.text(&name).to_ascii_lowercase();
            if !one(self, &lname)? {
                self.generic_value()?;
            }
        }
        Ok(())
    }

    /// A parameter's `EQUAL` that must be there.
    pub fn equal(&mut self, name: &str) -> R {
        if self.sep(b'=') {
            return Ok(());
        }
        self.ws();
        self.expected(&format!("'=' and a value after {name}"))
    }

    /// `host = hostname / IPv4address / IPv6reference`.
    pub fn host(&mut self) -> R {
        let start = self.i;
        if self.eat(b'[') {
            let inner = self.run(
                |b| b.is_ascii_hexdigit() || b == b':' || b == b'.',
                "an IPv6 address",
            )?;
            let ok = std::str::from_utf8(&self.b[inner.clone()])
                .ok()
                .and_then(|s| s.parse::<std::net::Ipv6Addr>().ok())
                .is_some();
            if !ok {
                return self.miss_at(
                    inner.start,
                    format!(
                        "'{}' is not an IPv6 address (RFC 3261 25.1 IPv6reference)",
                        self.text(&inner)
                    ),
                );
            }
            if !self.eat(b']') {
                return self.expected("']' closing the IPv6 reference");
            }
            return Ok(());
        }
        let r = self.run(
            |b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.',
            "a host",
        )?;
        let s = &self.b[r.clone()];
        if s.iter().all(|b| b.is_ascii_digit() || *b == b'.')
            && s.iter().filter(|&&b| b == b'.').count() == 3
        {
            return self.ipv4(start);
        }
        self.hostname(r)
    }

    fn ipv4(&self, start: usize) -> R {
        let mut p = start;
        for part in self.b[start..self.i].split(|&b| b == b'.') {
            let v = part.iter().fold(0u32, |a, d| {
                a.saturating_mul(10).saturating_add(u32::from(d - b'0'))
            });
            if part.is_empty() || part.len() > 3 || v > 255 {
                return self.miss_at(p, "not an IPv4 address: each of its four parts is 1 to 3 digits, at most 255 (RFC 3261 25.1 IPv4address)");
            }
            p += part.len() + 1;
        }
        Ok(())
    }

    /// `hostname = *( domainlabel "." ) toplabel [ "." ]`.
    fn hostname(&self, r: Range<usize>) -> R {
        let s = &self.b[r.clone()];
        let body = s.strip_suffix(b".").unwrap_or(s);
        let mut p = r.start;
        let labels: Vec<&[u8]> = body.split(|&b| b == b'.').collect();
        for (k, label) in labels.iter().enumerate() {
            let why = if label.is_empty() {
                Some((p, "an empty label"))
            } else if label[0] == b'-' {
                Some((p, "a label starting with '-'"))
            } else if label[label.len() - 1] == b'-' {
                Some((p + label.len() - 1, "a label ending with '-'"))
            } else if k + 1 == labels.len() && !label[0].is_ascii_alphabetic() {
                Some((p, "a last label (toplabel) not starting with a letter"))
            } else {
                None
            };
            if let Some((at, why)) = why {
                return self.miss_at(
                    at,
                    format!(
                        "'{}' is no host name: {why} (RFC 3261 25.1 hostname)",
                        self.text(&r)
                    ),
                );
            }
            p += label.len() + 1;
        }
        Ok(())
    }

    /// `[ ":" port ]` after a host (no whitespace inside a URI).
    pub fn port(&mut self) -> R {
        if self.eat(b':') {
            self.run(|b| b.is_ascii_digit(), "a port number")?;
        }
        Ok(())
    }

    /// `escaped = "%" HEXDIG HEXDIG` at the cursor.
    pub fn escaped(&mut self) -> R {
        let ok = self.peek_at(1).is_some_and(|b| b.is_ascii_hexdigit())
            && self.peek_at(2).is_some_and(|b| b.is_ascii_hexdigit());
        if !ok {
            return self.miss_at(
                self.i,
                "a '%' not followed by two hex digits (RFC 3261 25.1 escaped)",
            );
        }
        self.i += 3;
        Ok(())
    }

    /// A run of URI characters of a class, escapes checked; it may be empty.
    pub fn uri_run(&mut self, ok: impl Fn(u8) -> bool) -> R<Range<usize>> {
        let start = self.i;
        while let Some(b) = self.peek() {
            if b == b'%' {
                self.escaped()?;
            } else if ok(b) {
                self.i += 1;
            } else {
                break;
            }
        }
        Ok(start..self.i)
    }
}

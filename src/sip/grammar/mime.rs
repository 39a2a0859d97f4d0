//! The header lines of the parts of a multipart body (RFC 3261 7.4, RFC 2046 5.1): MIME
//! headers, read by RFC 2045's grammar, not SIP's. Content-Type (RFC 2045 5.1: its token
//! admits octets SIP's does not, `tspecials` aside), Content-Transfer-Encoding (6.1: one of
//! the five mechanisms or an `x-` token), Content-ID (7: an RFC 822 `msg-id`), and
//! Content-Disposition, which RFC 3261 20.11 defines for "a message body part" too and so
//! is read by its production there. RFC 822 lets comments and whitespace stand between the
//! lexical tokens of these structured fields. Other part headers are not judged.

use super::cursor::{Cur, R};
use super::{fault, rfc3261, Family, Fault};
use crate::sip::message::body::{BodyPart, Inner};
use crate::sip::message::SipMessage;

/// Every fault of the part headers of a message's body, parts of parts included (a
/// message/sip part is a message of its own, judged as one): at most one per header.
pub fn part_faults(file: &[u8], m: &SipMessage) -> Vec<Fault> {
    let mut out = Vec::new();
    if let Some(b) = &m.body {
        parts(file, b, &mut out);
    }
    out
}

fn parts(file: &[u8], body: &BodyPart, out: &mut Vec<Fault>) {
    let Inner::Parts(each) = &body.inner else {
        return;
    };
    for p in each {
        for h in &p.headers {
            // A header name the scanner already faulted (SIP-SYNTAX-01) is not read again.
            if p.issues.iter().any(|i| i.span.contains(&h.name_span.start)) {
                continue;
            }
            let Some(f) = production(&h.name) else {
                continue;
            };
            let mut c = Cur::new(file, h.value_span.clone(), Family::Mime);
            if let Err(e) = f(&mut c) {
                let place = String::from_utf8_lossy(&file[h.name_span.clone()]).into_owned();
                out.push(fault(file, e, place));
            }
        }
        parts(file, p, out);
    }
}

fn production(name: &str) -> Option<super::Production> {
    match name {
        "content-type" => Some(content_type),
        "content-transfer-encoding" => Some(content_transfer_encoding),
        "content-id" => Some(content_id),
        "content-disposition" => rfc3261::production(name),
        _ => None,
    }
}

/// RFC 2045 5.1 `tspecials`, which a MIME token excludes (with SPACE and CTLs).
const TSPECIALS: &[u8] = b"()<>@,;:\\\"/[]?=";

fn is_mime_token_char(b: u8) -> bool {
    b.is_ascii_graphic() && !TSPECIALS.contains(&b)
}

/// RFC 822 `specials`, which an atom excludes (with SPACE and CTLs).
fn is_atom_char(b: u8) -> bool {
    b.is_ascii_graphic() && !b"()<>@,;:\\\".[]".contains(&b)
}

/// Whitespace and comments between lexical tokens (RFC 822 3.1.4).
fn cfws(c: &mut Cur) -> R {
    loop {
        c.ws();
        if c.peek() != Some(b'(') {
            return Ok(());
        }
        c.comment()?;
    }
}

fn token(c: &mut Cur, what: &str) -> R<std::ops::Range<usize>> {
    cfws(c)?;
    let r = c.run(is_mime_token_char, what)?;
    cfws(c)?;
    Ok(r)
}

/// The end of the value, comments and whitespace aside.
fn finish(c: &mut Cur, what: &str) -> R {
    cfws(c)?;
    c.finish(what)
}

/// `content := type "/" subtype *(";" parameter)`, `parameter := attribute "=" value`,
/// `value := token / quoted-string` (RFC 2045 5.1).
fn content_type(c: &mut Cur) -> R {
    token(c, "a media type (RFC 2045 5.1 token)")?;
    if !c.eat(b'/') {
        return c.expected("'/' and a subtype (RFC 2045 5.1)");
    }
    token(c, "a subtype (RFC 2045 5.1 token)")?;
    while c.eat(b';') {
        token(c, "a parameter name (RFC 2045 5.1 attribute)")?;
        if !c.eat(b'=') {
            return c.expected("'=' and a parameter value (RFC 2045 5.1)");
        }
        cfws(c)?;
        if c.peek() == Some(b'"') {
            c.quoted_string("a parameter value")?;
            cfws(c)?;
        } else {
            token(c, "a parameter value (RFC 2045 5.1 token or quoted-string)")?;
        }
    }
    finish(c, "the media type and its parameters (RFC 2045 5.1)")
}

/// `mechanism := "7bit" / "8bit" / "binary" / "quoted-printable" / "base64" / ietf-token /
/// x-token` (RFC 2045 6.1; IANA registers no other mechanism, so an ietf-token is none yet).
fn content_transfer_encoding(c: &mut Cur) -> R {
    let r = token(c, "a transfer encoding (RFC 2045 6.1 mechanism)")?;
    let name = c.text(&r).to_ascii_lowercase();
    let known = ["7bit", "8bit", "binary", "quoted-printable", "base64"];
    let private = name.starts_with("x-") && name.len() > 2;
    if !(known.contains(&name.as_str()) || private) {
        return c.miss_at(
            r.start,
            format!("'{}' is no transfer encoding: RFC 2045 6.1 names 7bit, 8bit, binary, quoted-printable and base64, and private ones start with x-", c.text(&r)),
        );
    }
    finish(c, "the transfer encoding (RFC 2045 6.1)")
}

/// `id := "Content-ID" ":" msg-id` (RFC 2045 7), RFC 822 6.1: `msg-id = "<" addr-spec ">"`,
/// `addr-spec = local-part "@" domain`, `local-part = word *("." word)`,
/// `domain = sub-domain *("." sub-domain)`, `sub-domain = atom / domain-literal`.
fn content_id(c: &mut Cur) -> R {
    cfws(c)?;
    if !c.eat(b'<') {
        return c.expected("'<' opening the msg-id (RFC 2045 7, RFC 822 6.1)");
    }
    dotted(c, true)?;
    if !c.eat(b'@') {
        return c.expected("'@' and the domain of the msg-id (RFC 822 6.1 addr-spec)");
    }
    dotted(c, false)?;
    if !c.eat(b'>') {
        return c.expected("'>' closing the msg-id (RFC 822 6.1)");
    }
    finish(c, "the msg-id (RFC 2045 7)")
}

/// `word *("." word)` (a local part: word = atom / quoted-string) or `sub-domain *("."
/// sub-domain)` (a domain: sub-domain = atom / domain-literal).
fn dotted(c: &mut Cur, local: bool) -> R {
    loop {
        cfws(c)?;
        match c.peek() {
            Some(b'"') if local => {
                c.quoted_string("a word of the msg-id")?;
            }
            Some(b'[') if !local => domain_literal(c)?,
            _ => {
                let what = if local {
                    "a word of the msg-id (RFC 822 atom or quoted-string)"
                } else {
                    "a domain of the msg-id (RFC 822 atom or domain-literal)"
                };
                c.run(is_atom_char, what)?;
            }
        }
        cfws(c)?;
        if !c.eat(b'.') {
            return Ok(());
        }
    }
}

/// `domain-literal = "[" *(dtext / quoted-pair) "]"` (RFC 822 6.1).
fn domain_literal(c: &mut Cur) -> R {
    let open = c.i;
    c.eat(b'[');
    while let Some(b) = c.peek() {
        match b {
            b']' => {
                c.i += 1;
                return Ok(());
            }
            b'[' | b'\r' | b'\n' => break,
            b'\\' if c.peek_at(1).is_some_and(|n| n <= 0x7F) => c.i += 2,
            _ => c.i += 1,
        }
    }
    c.miss_at(
        open,
        "the domain literal opened here is never closed (RFC 822 6.1 domain-literal)",
    )
}

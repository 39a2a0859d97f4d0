//! URIs and addresses: `SIP-URI` / `SIPS-URI`, `absoluteURI`, `Request-URI`, `name-addr` and
//! `addr-spec` (RFC 3261 19.1.1, 20.10, 25.1).
//!
//! Where a URI stands: inside `<…>` it may carry its own parameters and headers; bare as an
//! `addr-spec` in a header (RFC 3261 20.10: "If the URI contains a comma, question mark or
//! semicolon, the URI MUST be enclosed in angle brackets") a `;` ends it (what follows are
//! header parameters) and a `?` is an error; as a Request-URI it may carry parameters but no
//! headers (19.1.1 Table 1).

use super::cursor::{is_token_char, is_unreserved, Cur, R};

/// Where a URI stands, which decides where it ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// Inside `<` `>`.
    Bracketed,
    /// A bare addr-spec in a header: no `;`, `?` or `,` inside.
    Bare,
    /// The Request-URI of a request line.
    RequestUri,
}

/// user-unreserved of RFC 3261 25.1.
fn user_char(b: u8, place: Place) -> bool {
    is_unreserved(b)
        || match place {
            Place::Bare => b"&=+$/".contains(&b),
            _ => b"&=+$,;?/".contains(&b),
        }
}

fn password_char(b: u8) -> bool {
    is_unreserved(b) || b"&=+$,".contains(&b)
}

fn param_char(b: u8) -> bool {
    is_unreserved(b) || b"[]/:&+$".contains(&b)
}

fn header_char(b: u8) -> bool {
    is_unreserved(b) || b"[]/?:+$".contains(&b)
}

/// `uric` of RFC 2396 (reserved / unreserved; escaped handled by the run).
fn uric(b: u8) -> bool {
    is_unreserved(b) || b";/?:@&=+$,".contains(&b)
}

/// A URI at the cursor: SIP/SIPS by their grammar, any other scheme as `absoluteURI`.
pub fn uri(c: &mut Cur, place: Place) -> R {
    let start = c.i;
    let scheme = c.run(
        |b| b.is_ascii_alphanumeric() || b"+-.".contains(&b),
        "a URI scheme",
    )?;
    if !c.b[scheme.start].is_ascii_alphabetic() {
        return c.miss_at(
            start,
            "a URI scheme starts with a letter (RFC 3261 25.1 scheme)",
        );
    }
    if !c.eat(b':') {
        return c.expected("':' after the URI scheme");
    }
    let s = c.text(&scheme).to_ascii_lowercase();
    if s == "sip" || s == "sips" {
        sip_uri(c, place)
    } else {
        absolute_rest(c, place)
    }
}

/// The rest of an `absoluteURI` after `scheme ":"` (`hier-part / opaque-part`: one or more
/// uric).
fn absolute_rest(c: &mut Cur, place: Place) -> R {
    let ok = |b: u8| uric(b) && !(place == Place::Bare && (b == b';' || b == b','));
    let r = c.uri_run(ok)?;
    if r.is_empty() {
        return c.expected("the URI after its scheme");
    }
    if place == Place::Bare && c.peek() == Some(b'?') {
        return bare_question(c);
    }
    Ok(())
}

fn bare_question<T>(c: &Cur) -> R<T> {
    c.miss_at(c.i, "a URI with '?' (headers) outside '<' '>' (RFC 3261 20.10: such a URI MUST be enclosed in angle brackets)")
}

/// After `sip:` / `sips:`: `[ userinfo ] hostport uri-parameters [ headers ]`.
fn sip_uri(c: &mut Cur, place: Place) -> R {
    let save = c.i;
    // userinfo is there when its characters run up to an '@'.
    let mut p = c.i;
    while p < c.end && (user_char(c.b[p], place) || c.b[p] == b'%' || c.b[p] == b':') {
        p += 1;
    }
    if p < c.end && c.b[p] == b'@' {
        let user = c.uri_run(|b| user_char(b, place))?;
        if user.is_empty() {
            return c.expected("a user before '@' (RFC 3261 25.1 userinfo)");
        }
        if c.eat(b':') {
            c.uri_run(password_char)?;
        }
        if !c.eat(b'@') {
            return c.expected("'@' ending the userinfo");
        }
    } else {
        c.i = save;
    }
    c.host()?;
    c.port()?;
    if place == Place::Bare {
        return match c.peek() {
            Some(b'?') => bare_question(c),
            _ => Ok(()),
        };
    }
    uri_parameters(c)?;
    uri_headers(c, place)
}

/// `uri-parameters = *( ";" uri-parameter )`, with the range of ttl and the token values
/// of method, user and transport.
fn uri_parameters(c: &mut Cur) -> R {
    while c.eat(b';') {
        let name_at = c.i;
        let name = c.uri_run(param_char)?;
        if name.is_empty() {
            return c.expected("a URI parameter name (RFC 3261 25.1 pname)");
        }
        let lname = c.text(&name).to_ascii_lowercase();
        if c.eat(b'=') {
            let v = c.uri_run(param_char)?;
            if v.is_empty() {
                return c.expected("a URI parameter value after '=' (RFC 3261 25.1 pvalue)");
            }
            let text = c.text(&v);
            let bad = match lname.as_str() {
                "ttl" => {
                    text.len() > 3
                        || !text.bytes().all(|b| b.is_ascii_digit())
                        || text.parse::<u16>().map_or(true, |t| t > 255)
                }
                "method" | "user" | "transport" => !text.bytes().all(is_token_char),
                _ => false,
            };
            if bad {
                return c.miss_at(
                    v.start,
                    format!("'{text}' is not a value of URI parameter {lname} (RFC 3261 25.1)"),
                );
            }
        } else if lname == "ttl" || lname == "maddr" || lname == "method" {
            return c.miss_at(
                name_at,
                format!("URI parameter {lname} without its value (RFC 3261 25.1)"),
            );
        }
    }
    Ok(())
}

/// `[ headers ]` (`"?" header *( "&" header )`), which a Request-URI may not carry.
fn uri_headers(c: &mut Cur, place: Place) -> R {
    if c.peek() == Some(b'?') {
        if place == Place::RequestUri {
            return c.miss_at(c.i, "a Request-URI with headers ('?…'); RFC 3261 19.1.1 Table 1 does not allow headers in a Request-URI");
        }
        c.i += 1;
        loop {
            let n = c.uri_run(header_char)?;
            if n.is_empty() {
                return c.expected("a URI header name (RFC 3261 25.1 hname)");
            }
            if !c.eat(b'=') {
                return c.expected("'=' after the URI header name");
            }
            c.uri_run(header_char)?;
            if !c.eat(b'&') {
                break;
            }
        }
    }
    Ok(())
}

/// The Request-URI of a request line, up to the SP before the version.
pub fn request_uri(c: &mut Cur) -> R {
    if c.peek() == Some(b'<') {
        return c.miss_at(c.i, "the Request-URI is enclosed in '<' '>' (RFC 3261 25.1 Request-URI is a bare SIP-URI / SIPS-URI / absoluteURI)");
    }
    uri(c, Place::RequestUri)
}

/// `name-addr / addr-spec`; `need_brackets` for headers that allow name-addr only (Route).
pub fn address(c: &mut Cur, need_brackets: bool) -> R {
    c.ws();
    match c.peek() {
        Some(b'"') => {
            c.quoted_string("a display name")?;
            c.ws();
            bracketed(c)
        }
        Some(b'<') => bracketed(c),
        _ => {
            // A token followed by ':' is a URI scheme (tokens hold no ':'): an addr-spec.
            let save = c.i;
            let t = c.token("a display name, '<' or a URI")?;
            if c.peek() == Some(b':') {
                if need_brackets {
                    return c.miss_at(t.start, "a URI not enclosed in '<' '>' where only name-addr is allowed (RFC 3261 25.1)");
                }
                c.i = save;
                return uri(c, Place::Bare);
            }
            display_tokens(c)?;
            bracketed(c)
        }
    }
}

/// The rest of `display-name = *(token LWS)` after its first token, up to the `<`. A last
/// token right against the `<` is accepted: RFC 4475 3.1.1.6 calls the missing LWS "a
/// specification bug" of RFC 3261 and says elements should accept it as well formed.
fn display_tokens(c: &mut Cur) -> R {
    loop {
        if c.peek() == Some(b'<') {
            return Ok(());
        }
        if !c.ws() {
            return c.miss_at(c.i, format!("{} in an unquoted display name: only token characters and whitespace are allowed; quote the name (RFC 3261 25.1 display-name)", super::cursor::show(c.peek())));
        }
        if c.peek() == Some(b'<') {
            return Ok(());
        }
        c.token("a display-name token or '<'")?;
    }
}

/// `LAQUOT addr-spec RAQUOT`.
fn bracketed(c: &mut Cur) -> R {
    if !c.eat(b'<') {
        return c.expected("'<' opening the URI");
    }
    uri(c, Place::Bracketed)?;
    if !c.eat(b'>') {
        return c.expected("'>' closing the URI");
    }
    Ok(())
}

//! The authentication headers of RFC 3261 25.1: Authorization and Proxy-Authorization
//! (`credentials`), WWW-Authenticate and Proxy-Authenticate (`challenge`),
//! Authentication-Info (`ainfo`).
//!
//! One reading is lenient on purpose: a Digest `response=""` is accepted, because TS 24.229
//! 5.1.1.2.1 makes the UE's first REGISTER carry an empty response (the ABNF's
//! `request-digest = LDQUOT 32LHEX RDQUOT` predates it); see docs/interpretation.md.

use super::cursor::{Cur, R};

fn lhex(c: &mut Cur, n: Option<usize>, what: &str) -> R {
    let r = c.run(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b), what)?;
    if n.is_some_and(|n| r.len() != n) {
        return c.miss_at(
            r.start,
            format!(
                "{what} is {} lower-case hex digits (RFC 3261 25.1)",
                n.unwrap_or(0)
            ),
        );
    }
    Ok(())
}

/// `auth-param = auth-param-name EQUAL ( token / quoted-string )`.
fn auth_value(c: &mut Cur) -> R {
    if c.peek() == Some(b'"') {
        c.quoted_string("a parameter value").map(|_| ())
    } else {
        c.token("a parameter value (token or quoted string)")
            .map(|_| ())
    }
}

/// The value of one Digest parameter, its name read and `=` eaten.
fn digest_value(c: &mut Cur, name: &str) -> R {
    match name {
        "username" | "realm" | "nonce" | "cnonce" | "opaque" | "domain" | "nextnonce" => {
            c.quoted_string(name).map(|_| ())
        }
        "uri" => {
            let r = c.quoted_string("the digest-uri")?;
            let mut inner = Cur::new(c.b, r, c.family);
            super::uri::uri(&mut inner, super::uri::Place::Bracketed)?;
            if !inner.at_end() {
                return inner.expected("the end of the digest-uri");
            }
            Ok(())
        }
        "response" | "rspauth" => {
            let r = c.quoted_string(name)?;
            let mut inner = Cur::new(c.b, r.clone(), c.family);
            if r.is_empty() {
                return Ok(());
            }
            lhex(&mut inner, (name == "response").then_some(32), "the digest")?;
            if !inner.at_end() {
                return inner.expected("lower-case hex digits only");
            }
            Ok(())
        }
        "nc" => lhex(c, Some(8), "nonce-count"),
        "stale" => {
            if c.lit("true") || c.lit("false") {
                Ok(())
            } else {
                c.expected("true or false (RFC 3261 25.1 stale)")
            }
        }
        "qop" if c.peek() == Some(b'"') => {
            let r = c.quoted_string("qop-options")?;
            let mut inner = Cur::new(c.b, r, c.family);
            loop {
                inner.token("a qop-value")?;
                if !inner.eat(b',') {
                    break;
                }
            }
            if !inner.at_end() {
                return inner.expected("',' or the end of the qop-options");
            }
            Ok(())
        }
        _ => auth_value(c),
    }
}

/// `auth-scheme LWS param *(COMMA param)`, for credentials and challenges alike.
fn scheme_and_params(c: &mut Cur) -> R {
    c.ws();
    c.token("an authentication scheme")?;
    c.lws("after the authentication scheme")?;
    loop {
        let name = c.token("a parameter name")?;
        let lname = c.text(&name).to_ascii_lowercase();
        c.equal(&lname)?;
        digest_value(c, &lname)?;
        if !c.sep(b',') {
            break;
        }
    }
    Ok(())
}

/// Authorization, Proxy-Authorization: one credentials per header.
pub fn credentials(c: &mut Cur) -> R {
    scheme_and_params(c)?;
    c.finish("the credentials")
}

/// WWW-Authenticate, Proxy-Authenticate: one challenge per header.
pub fn challenge(c: &mut Cur) -> R {
    scheme_and_params(c)?;
    c.finish("the challenge")
}

/// `Authentication-Info = ainfo *(COMMA ainfo)`.
pub fn authentication_info(c: &mut Cur) -> R {
    super::rfc3261::list(c, "Authentication-Info", |c| {
        let name = c.token("a parameter name")?;
        let lname = c.text(&name).to_ascii_lowercase();
        c.equal(&lname)?;
        digest_value(c, &lname)
    })
}

//! The start line: `Request-Line = Method SP Request-URI SP SIP-Version` and
//! `Status-Line = SIP-Version SP Status-Code SP Reason-Phrase` (RFC 3261 25.1), with the
//! version 7.1 requires of a sender ("SIP/2.0").

use super::cursor::{is_unreserved, show, Cur, R};
use super::uri::request_uri;

fn one_sp(c: &mut Cur, what: &str) -> R {
    if !c.eat(b' ') {
        return c.expected(&format!("one SP {what}"));
    }
    if matches!(c.peek(), Some(b' ' | b'\t')) {
        return c.miss_at(c.i, format!("more than one SP {what} (RFC 3261 25.1: elements of the start line are separated by a single SP)"));
    }
    Ok(())
}

/// `SIP-Version = "SIP" "/" 1*DIGIT "." 1*DIGIT`, and 7.1: a sender writes SIP/2.0.
fn version(c: &mut Cur) -> R {
    let at = c.i;
    if !c.lit("SIP/") {
        return c.expected("the SIP version 'SIP/2.0'");
    }
    c.run(|b| b.is_ascii_digit(), "a major version")?;
    if !c.eat(b'.') {
        return c.expected("'.' in the SIP version");
    }
    c.run(|b| b.is_ascii_digit(), "a minor version")?;
    if !c.b[at..c.i].eq_ignore_ascii_case(b"SIP/2.0") {
        return c.miss_at(
            at,
            format!(
                "version {} (RFC 3261 7.1: a sender MUST write SIP/2.0)",
                c.text(&(at..c.i))
            ),
        );
    }
    Ok(())
}

/// Judges a start line (its content, without the line end).
pub fn start_line(c: &mut Cur) -> R {
    if c.b[c.i..c.end].starts_with(b"SIP/") {
        version(c)?;
        one_sp(c, "after the version")?;
        let code = c.run(|b| b.is_ascii_digit(), "a three-digit status code")?;
        if code.len() != 3 {
            return c.miss_at(
                code.start,
                format!(
                    "status code {} is not three digits (RFC 3261 25.1 Status-Code = 3DIGIT)",
                    c.text(&code)
                ),
            );
        }
        if !(b'1'..=b'6').contains(&c.b[code.start]) {
            return c.miss_at(
                code.start,
                "a status code's first digit is 1 to 6 (RFC 3261 7.2, 21)",
            );
        }
        if !c.eat(b' ') {
            return c.expected("one SP after the status code (RFC 3261 25.1 Status-Line)");
        }
        // Reason-Phrase = *(reserved / unreserved / escaped / UTF8-NONASCII / UTF8-CONT / SP / HTAB)
        if let Err(e) = std::str::from_utf8(&c.b[c.i..c.end]) {
            return c.miss_at(
                c.i + e.valid_up_to(),
                "an octet that is not UTF-8 in the Reason-Phrase",
            );
        }
        while let Some(b) = c.peek() {
            if b == b'%' {
                c.escaped()?;
            } else if is_unreserved(b) || b";/?:@&=+$, \t".contains(&b) || b >= 0x80 {
                c.i += 1;
            } else {
                return c.miss_at(
                    c.i,
                    format!("{} in the Reason-Phrase (RFC 3261 25.1)", show(Some(b))),
                );
            }
        }
        return Ok(());
    }
    c.token("a method (token)")?;
    one_sp(c, "after the method")?;
    request_uri(c)?;
    one_sp(c, "after the Request-URI")?;
    version(c)?;
    if !c.at_end() {
        return c.miss_at(
            c.i,
            format!(
                "{} after the SIP version (RFC 3261 25.1: the Request-Line ends there)",
                show(c.peek())
            ),
        );
    }
    Ok(())
}

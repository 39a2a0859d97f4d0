//! The header productions of RFC 3261 25.1 (authentication headers in [`super::auth`]),
//! with the ranges 20.x gives scalar fields: CSeq (20.16, a 32-bit unsigned integer),
//! Expires and delta-seconds (20.19, at most 2^32-1), Max-Forwards (20.22, 0-255).

use super::cursor::{is_token_char, Cur, R};
use super::uri::{self, address};

/// 20.19: "between 0 and (2**32)-1".
pub const MAX_DELTA_SECONDS: u64 = u32::MAX as u64;

/// `x *(COMMA x)`, then the end of the value.
pub fn list(c: &mut Cur, what: &str, mut one: impl FnMut(&mut Cur) -> R) -> R {
    c.ws();
    loop {
        one(c)?;
        if !c.sep(b',') {
            break;
        }
    }
    c.finish(what)
}

/// A list that may be empty (`[x *(COMMA x)]`: Accept, Allow, Supported, …).
pub fn optional_list(c: &mut Cur, what: &str, one: impl FnMut(&mut Cur) -> R) -> R {
    c.ws();
    if c.at_end() {
        return Ok(());
    }
    list(c, what, one)
}

pub fn delta_seconds(c: &mut Cur, what: &str) -> R {
    c.number(MAX_DELTA_SECONDS, what).map(|_| ())
}

/// `qvalue = ("0" ["." 0*3DIGIT]) / ("1" ["." 0*3("0")])`.
pub fn qvalue(c: &mut Cur) -> R {
    let start = c.i;
    let one = match c.peek() {
        Some(b'0') => false,
        Some(b'1') => true,
        _ => return c.expected("a qvalue (0 to 1, at most three decimals)"),
    };
    c.i += 1;
    if c.eat(b'.') {
        let mut n = 0;
        while c.peek().is_some_and(|b| b.is_ascii_digit()) {
            if n == 3 || (one && c.peek() != Some(b'0')) {
                return c.miss_at(
                    start,
                    "a qvalue is 0 to 1 with at most three decimals (RFC 3261 25.1 qvalue)",
                );
            }
            c.i += 1;
            n += 1;
        }
    }
    if c.peek().is_some_and(|b| b.is_ascii_digit()) {
        return c.miss_at(
            start,
            "a qvalue is 0 to 1 with at most three decimals (RFC 3261 25.1 qvalue)",
        );
    }
    Ok(())
}

/// `media-type = m-type SLASH m-subtype *(SEMI m-parameter)`; `range` admits `*/*` and
/// `type/*` (Accept).
fn media(c: &mut Cur, range: bool) -> R {
    if range && c.eat(b'*') {
        c.expect_sep(b'/', "'/' in the media range")?;
        if !c.eat(b'*') {
            return c.expected("'*' (RFC 3261 25.1 media-range: \"*/*\")");
        }
    } else {
        c.token("a media type")?;
        c.expect_sep(b'/', "'/' and a subtype (RFC 3261 25.1 media-type)")?;
        if !(range && c.eat(b'*')) {
            c.token("a media subtype")?;
        }
    }
    c.params(|c, name| {
        if name == "q" && range {
            c.equal("q")?;
            qvalue(c)?;
        } else {
            c.equal("a media type parameter (RFC 3261 25.1 m-parameter)")?;
            if c.peek() == Some(b'"') {
                c.quoted_string("a parameter value")?;
            } else {
                c.token("a parameter value (token or quoted string)")?;
            }
        }
        Ok(true)
    })
}

fn accept_params(c: &mut Cur) -> R {
    c.params(|c, name| {
        if name == "q" {
            c.equal("q")?;
            qvalue(c)?;
            return Ok(true);
        }
        Ok(false)
    })
}

/// `language-range = (1*8ALPHA *("-" 1*8ALPHA)) / "*"`.
fn language(c: &mut Cur, star: bool) -> R {
    if star && c.eat(b'*') {
        return Ok(());
    }
    loop {
        let r = c.run(|b| b.is_ascii_alphabetic(), "a language tag (1*8ALPHA)")?;
        if r.len() > 8 {
            return c.miss_at(
                r.start + 8,
                "a language subtag is 1 to 8 letters (RFC 3261 25.1)",
            );
        }
        if !c.eat(b'-') {
            return Ok(());
        }
    }
}

/// `SIP-date = rfc1123-date = wkday "," SP date1 SP time SP "GMT"`.
fn date(c: &mut Cur) -> R {
    c.ws();
    let one_of = |c: &mut Cur, names: &[&str], what: &str| -> R {
        if names
            .iter()
            .any(|n| c.b[c.i..c.end].starts_with(n.as_bytes()))
        {
            c.i += 3;
            Ok(())
        } else {
            c.expected(what)
        }
    };
    one_of(
        c,
        &["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"],
        "a weekday (Mon … Sun)",
    )?;
    let fixed = |c: &mut Cur, s: &str, what: &str| -> R {
        if c.b[c.i..c.end].starts_with(s.as_bytes()) {
            c.i += s.len();
            Ok(())
        } else {
            c.expected(what)
        }
    };
    let digits = |c: &mut Cur, n: usize, what: &str| -> R {
        for _ in 0..n {
            if !c.peek().is_some_and(|b| b.is_ascii_digit()) {
                return c.expected(what);
            }
            c.i += 1;
        }
        Ok(())
    };
    // Each SP is one space or one fold: "All linear white space, including folding, has
    // the same semantics as SP" (RFC 3261 25.1); a fold reads as a single SP (7.3.1).
    let sp = |c: &mut Cur, what: &str| -> R {
        let eol = match (c.peek(), c.peek_at(1)) {
            (Some(b' '), _) => {
                c.i += 1;
                return Ok(());
            }
            (Some(b'\r'), Some(b'\n')) => 2,
            (Some(b'\n'), _) => 1,
            _ => 0,
        };
        if eol == 0 || !matches!(c.peek_at(eol), Some(b' ' | b'\t')) {
            return c.expected(what);
        }
        c.i += eol;
        while matches!(c.peek(), Some(b' ' | b'\t')) {
            c.i += 1;
        }
        Ok(())
    };
    fixed(c, ",", "', ' after the weekday")?;
    sp(c, "', ' after the weekday")?;
    digits(c, 2, "a two-digit day")?;
    sp(c, "one space after the day")?;
    let months = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    one_of(c, &months, "a month (Jan … Dec)")?;
    sp(c, "one space after the month")?;
    digits(c, 4, "a four-digit year")?;
    sp(c, "one space after the year")?;
    digits(c, 2, "two-digit hours")?;
    fixed(c, ":", "':' after the hours")?;
    digits(c, 2, "two-digit minutes")?;
    fixed(c, ":", "':' after the minutes")?;
    digits(c, 2, "two-digit seconds")?;
    sp(c, "one space before GMT")?;
    fixed(
        c,
        "GMT",
        "'GMT' (RFC 3261 25.1 SIP-date: the time is given in GMT)",
    )?;
    c.finish("the date")
}

/// `TEXT-UTF8-TRIM`, or any `header-value`: printable UTF-8 and folding whitespace only.
pub fn text(c: &mut Cur) -> R {
    if let Err(e) = std::str::from_utf8(&c.b[c.i..c.end]) {
        return c.miss_at(
            c.i + e.valid_up_to(),
            "an octet that is not UTF-8 (RFC 3261 25.1 TEXT-UTF8char)",
        );
    }
    while let Some(b) = c.peek() {
        let fold = b == b'\n' || (b == b'\r' && c.peek_at(1) == Some(b'\n'));
        if b < 0x20 && b != b'\t' && !fold || b == 0x7F {
            return c.miss_at(
                c.i,
                format!("control octet 0x{b:02X} in a header value (RFC 3261 25.1 header-value)"),
            );
        }
        c.i += 1;
    }
    Ok(())
}

/// `Via = via-parm *(COMMA via-parm)`.
fn via(c: &mut Cur) -> R {
    list(c, "the Via value", |c| {
        c.token("a protocol name (SIP)")?;
        c.expect_sep(
            b'/',
            "'/' and the protocol version (RFC 3261 25.1 sent-protocol)",
        )?;
        c.token("a protocol version")?;
        c.expect_sep(b'/', "'/' and the transport (RFC 3261 25.1 sent-protocol)")?;
        c.token("a transport")?;
        c.lws("between the sent-protocol and the sent-by")?;
        c.host()?;
        if c.sep(b':') {
            c.run(|b| b.is_ascii_digit(), "a port number")?;
        }
        c.params(|c, name| {
            match name {
                "ttl" => {
                    c.equal("ttl")?;
                    c.number(255, "ttl")?;
                }
                "maddr" => {
                    c.equal("maddr")?;
                    c.host()?;
                }
                "received" => {
                    c.equal("received")?;
                    // IPv6address bare (RFC 3261 25.1) or as a reference (RFC 5118 4.5).
                    let r = c.run(
                        |b| b.is_ascii_hexdigit() || b"[]:.".contains(&b),
                        "an IP address",
                    )?;
                    let t = c.text(&r);
                    let t = t
                        .strip_prefix('[')
                        .and_then(|t| t.strip_suffix(']'))
                        .unwrap_or(&t);
                    if t.parse::<std::net::IpAddr>().is_err() {
                        return c.miss_at(
                            r.start,
                            format!(
                                "'{t}' is not an IPv4 or IPv6 address (RFC 3261 25.1 via-received)"
                            ),
                        );
                    }
                }
                "branch" => {
                    c.equal("branch")?;
                    c.token("a branch (token)")?;
                }
                _ => return Ok(false),
            }
            Ok(true)
        })
    })
}

/// From, To: `(name-addr / addr-spec) *(SEMI from-param)`.
fn from_to(c: &mut Cur) -> R {
    address(c, false)?;
    c.params(|c, name| {
        if name == "tag" {
            c.equal("tag")?;
            c.token("a tag (token)")?;
            return Ok(true);
        }
        Ok(false)
    })?;
    c.finish("the address and its parameters")
}

/// Route, Record-Route, Path, Service-Route: `name-addr *(SEMI rr-param)`.
pub fn route(c: &mut Cur) -> R {
    list(c, "the route value", |c| {
        address(c, true)?;
        c.params(|_, _| Ok(false))
    })
}

/// `callid = word [ "@" word ]`.
fn call_id(c: &mut Cur) -> R {
    c.ws();
    c.word("a Call-ID (word)")?;
    if c.eat(b'@') {
        c.word("a word after '@'")?;
    }
    Ok(())
}

/// `CSeq = 1*DIGIT LWS Method` (20.16: a 32-bit unsigned integer).
fn cseq(c: &mut Cur) -> R {
    c.ws();
    c.number(u64::from(u32::MAX), "the CSeq number")?;
    c.lws("between the CSeq number and the method")?;
    c.token("a method")?;
    c.finish("the CSeq")
}

/// `product = token [SLASH product-version]`, or a comment, separated by LWS.
fn server(c: &mut Cur) -> R {
    c.ws();
    loop {
        if c.peek() == Some(b'(') {
            c.comment()?;
        } else {
            c.token("a product (token) or a comment")?;
            if c.sep(b'/') {
                c.token("a product version (token)")?;
            }
        }
        let spaced = c.ws();
        if c.at_end() {
            return Ok(());
        }
        if !spaced && c.peek() != Some(b'(') {
            return c.expected("whitespace between products (RFC 3261 25.1 server-val)");
        }
    }
}

/// `Timestamp = 1*(DIGIT) [ "." *(DIGIT) ] [ LWS delay ]`.
fn timestamp(c: &mut Cur) -> R {
    c.ws();
    let decimal = |c: &mut Cur, what: &str| -> R {
        c.run(|b| b.is_ascii_digit(), what)?;
        if c.eat(b'.') {
            while c.peek().is_some_and(|b| b.is_ascii_digit()) {
                c.i += 1;
            }
        }
        Ok(())
    };
    decimal(c, "a timestamp")?;
    if c.ws() && !c.at_end() {
        decimal(c, "a delay")?;
    }
    c.finish("the timestamp")
}

/// `Retry-After = delta-seconds [ comment ] *( SEMI retry-param )`.
fn retry_after(c: &mut Cur) -> R {
    c.ws();
    delta_seconds(c, "Retry-After")?;
    let save = c.i;
    c.ws();
    if c.peek() == Some(b'(') {
        c.comment()?;
    } else {
        c.i = save;
    }
    c.params(|c, name| {
        if name == "duration" {
            c.equal("duration")?;
            delta_seconds(c, "duration")?;
            return Ok(true);
        }
        Ok(false)
    })?;
    c.finish("Retry-After")
}

/// Alert-Info, Call-Info, Error-Info: `LAQUOT absoluteURI RAQUOT *(SEMI generic-param)`.
fn info(c: &mut Cur) -> R {
    list(c, "the value", |c| {
        if !c.eat(b'<') {
            return c.expected("'<' opening the URI");
        }
        uri::uri(c, uri::Place::Bracketed)?;
        if !c.eat(b'>') {
            return c.expected("'>' closing the URI");
        }
        c.params(|_, _| Ok(false))
    })
}

/// The RFC 3261 reading of a header, by long lower-case name; None when 3261 does not
/// define it. Contact is in [`super::features`].
pub fn production(name: &str) -> Option<fn(&mut Cur) -> R> {
    list_production(name).or_else(|| single_production(name))
}

/// Headers whose value is a comma-separated list.
fn list_production(name: &str) -> Option<fn(&mut Cur) -> R> {
    let f: fn(&mut Cur) -> R = match name {
        "accept" => |c| optional_list(c, "the Accept value", |c| media(c, true)),
        "accept-encoding" => |c| {
            optional_list(c, "the Accept-Encoding value", |c| {
                if !c.eat(b'*') {
                    c.token("a content coding")?;
                }
                accept_params(c)
            })
        },
        "accept-language" => |c| {
            optional_list(c, "the Accept-Language value", |c| {
                language(c, true)?;
                accept_params(c)
            })
        },
        "alert-info" | "call-info" | "error-info" => info,
        "allow" => |c| optional_list(c, "the Allow value", |c| c.token("a method").map(|_| ())),
        "in-reply-to" => |c| list(c, "the In-Reply-To value", call_id),
        "content-encoding" => |c| {
            list(c, "the Content-Encoding value", |c| {
                c.token("a content coding").map(|_| ())
            })
        },
        "content-language" => |c| list(c, "the Content-Language value", |c| language(c, false)),
        "proxy-require" | "require" | "unsupported" => |c| {
            list(c, "the option tags", |c| {
                c.token("an option tag").map(|_| ())
            })
        },
        "supported" => |c| {
            optional_list(c, "the option tags", |c| {
                c.token("an option tag").map(|_| ())
            })
        },
        "record-route" | "route" => route,
        "via" => via,
        _ => return None,
    };
    Some(f)
}

/// Headers whose value is a single value.
fn single_production(name: &str) -> Option<fn(&mut Cur) -> R> {
    let f: fn(&mut Cur) -> R = match name {
        "call-id" => |c| {
            call_id(c)?;
            c.finish("the Call-ID")
        },
        "content-disposition" => |c| {
            c.ws();
            c.token("a disposition type")?;
            c.params(|_, _| Ok(false))?;
            c.finish("the Content-Disposition")
        },
        "content-type" => |c| {
            c.ws();
            media(c, false)?;
            c.finish("the media type")
        },
        "cseq" => cseq,
        "date" => date,
        "expires" | "min-expires" => |c| {
            c.ws();
            delta_seconds(c, "the delta-seconds")?;
            c.finish("the delta-seconds")
        },
        "from" | "to" => from_to,
        "reply-to" => |c| {
            address(c, false)?;
            c.params(|_, _| Ok(false))?;
            c.finish("the address and its parameters")
        },
        "max-forwards" => |c| {
            c.ws();
            c.number(255, "Max-Forwards")?;
            c.finish("Max-Forwards")
        },
        "mime-version" => |c| {
            c.ws();
            c.run(|b| b.is_ascii_digit(), "a major version")?;
            if !c.eat(b'.') {
                return c.expected("'.' (RFC 3261 25.1 MIME-Version = 1*DIGIT \".\" 1*DIGIT)");
            }
            c.run(|b| b.is_ascii_digit(), "a minor version")?;
            c.finish("the MIME version")
        },
        "organization" | "subject" => text,
        "priority" => |c| {
            c.ws();
            c.token("a priority value")?;
            c.finish("the priority")
        },
        "retry-after" => retry_after,
        "server" | "user-agent" => server,
        "timestamp" => timestamp,
        _ => return None,
    };
    Some(f)
}

/// The method of a CSeq value, when it reads as one.
pub fn cseq_method(b: &[u8], r: std::ops::Range<usize>) -> Option<std::ops::Range<usize>> {
    let mut p = r.start;
    while p < r.end && matches!(b[p], b' ' | b'\t' | b'\r' | b'\n') {
        p += 1;
    }
    while p < r.end && b[p].is_ascii_digit() {
        p += 1;
    }
    while p < r.end && matches!(b[p], b' ' | b'\t' | b'\r' | b'\n') {
        p += 1;
    }
    let start = p;
    while p < r.end && is_token_char(b[p]) {
        p += 1;
    }
    (p > start).then_some(start..p)
}

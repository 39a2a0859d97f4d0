//! Contact (RFC 3261 20.10, 25.1) with the parameters other RFCs add to it: feature
//! parameters (RFC 3840 9), `+sip.instance` and `reg-id` (RFC 5626 13); and the caller
//! preferences headers of RFC 3841 10 (Accept-Contact, Reject-Contact, Request-Disposition).
//!
//! A parameter is read as a feature parameter when its name is one of RFC 3840's base tags
//! or starts with `+` (`other-tags = "+" ftag-name`): the `+` marks a feature tag, and
//! RFC 3840 9 gives its value one form only, a quoted tag-value-list or string-value.

use super::cursor::{show, Cur, R};
use super::rfc3261::{delta_seconds, list, qvalue};
use super::uri::address;
use super::Family;

/// RFC 3840 9 `base-tags`.
const BASE_TAGS: &[&str] = &[
    "audio",
    "automata",
    "class",
    "duplex",
    "data",
    "control",
    "mobility",
    "description",
    "events",
    "priority",
    "methods",
    "schemes",
    "application",
    "video",
    "language",
    "type",
    "isfocus",
    "actor",
    "text",
    "extensions",
];

fn is_feature(name: &str) -> bool {
    name.starts_with('+') || BASE_TAGS.contains(&name)
}

/// Runs `f` with the cursor's family set to `family`.
fn within<T>(c: &mut Cur, family: Family, f: impl FnOnce(&mut Cur) -> R<T>) -> R<T> {
    let outer = c.family;
    c.family = family;
    let r = f(c);
    c.family = outer;
    r
}

/// `feature-param = enc-feature-tag [EQUAL LDQUOT (tag-value-list / string-value) RDQUOT]`,
/// its name (at `name_at`) already read.
fn feature_param(c: &mut Cur, name: &str, name_at: usize) -> R {
    within(c, Family::Rfc3840, |c| {
        if let Some(tag) = name.strip_prefix('+') {
            let ok = tag.bytes().next().is_some_and(|b| b.is_ascii_alphabetic())
                && tag
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"!'.-%".contains(&b));
            if !ok {
                return c.miss_at(name_at, format!("'+{tag}' is no feature tag: ftag-name = ALPHA *( ALPHA / DIGIT / \"!\" / \"'\" / \".\" / \"-\" / \"%\" ) (RFC 3840 9)"));
            }
        }
        if !c.sep(b'=') {
            return Ok(());
        }
        if c.peek() != Some(b'"') {
            return c.expected("a quoted feature value (RFC 3840 9: EQUAL LDQUOT (tag-value-list / string-value) RDQUOT)");
        }
        let r = c.quoted_string("the feature value")?;
        let mut v = Cur::new(c.b, r, c.family);
        if v.peek() == Some(b'<') {
            return string_value(&mut v);
        }
        loop {
            tag_value(&mut v)?;
            if !v.eat(b',') {
                break;
            }
        }
        if !v.at_end() {
            return v.miss_at(v.i, format!("{} in a tag-value (RFC 3840 9: token-nobang / boolean / numeric; a ':' must be percent-encoded)", show(v.peek())));
        }
        Ok(())
    })
}

/// `tag-value = ["!"] (token-nobang / boolean / numeric)`.
fn tag_value(v: &mut Cur) -> R {
    v.eat(b'!');
    if v.eat(b'#') {
        if !(v.lit(">=") || v.lit("<=") || v.eat(b'=')) {
            number(v)?;
            if !v.eat(b':') {
                return v
                    .expected("'>=', '<=', '=' or a range 'n:m' (RFC 3840 9 numeric-relation)");
            }
        }
        return number(v);
    }
    v.run(
        |b| b.is_ascii_alphanumeric() || b"-.%*_+`'~".contains(&b),
        "a tag-value (token-nobang, TRUE, FALSE or #numeric)",
    )
    .map(|_| ())
}

/// `number = [ "+" / "-" ] 1*DIGIT ["." 0*DIGIT]`.
fn number(v: &mut Cur) -> R {
    let _ = v.eat(b'+') || v.eat(b'-');
    v.run(|b| b.is_ascii_digit(), "a number")?;
    if v.eat(b'.') {
        while v.peek().is_some_and(|b| b.is_ascii_digit()) {
            v.i += 1;
        }
    }
    Ok(())
}

/// `string-value = "<" *(qdtext-no-abkt / quoted-pair ) ">"`, the whole quoted content.
fn string_value(v: &mut Cur) -> R {
    v.i += 1;
    while let Some(b) = v.peek() {
        match b {
            b'>' => {
                v.i += 1;
                return if v.at_end() {
                    Ok(())
                } else {
                    v.expected("the closing '\"' after '>'")
                };
            }
            b'<' => {
                return v.miss_at(
                    v.i,
                    "a '<' inside a string-value (RFC 3840 9 qdtext-no-abkt)",
                )
            }
            b'\\' => v.i += 2,
            _ => v.i += 1,
        }
    }
    v.miss_at(v.end, "a string-value without its closing '>' (RFC 3840 9)")
}

/// `+sip.instance = DQUOTE "<" instance-val ">" DQUOTE`, instance-val = 1*uric (RFC 5626 13).
fn sip_instance(c: &mut Cur) -> R {
    within(c, Family::Rfc5626, |c| {
        c.equal("+sip.instance")?;
        if c.peek() != Some(b'"') {
            return c.expected("'\"<' opening the instance ID (RFC 5626 13)");
        }
        let r = c.quoted_string("+sip.instance")?;
        let mut v = Cur::new(c.b, r, c.family);
        if !v.eat(b'<') {
            return v.expected("'<' opening the instance ID (RFC 5626 13 instance-val)");
        }
        let id = v.uri_run(|b| super::cursor::is_unreserved(b) || b";/?:@&=+$,".contains(&b))?;
        if id.is_empty() {
            return v.expected("an instance ID (1*uric)");
        }
        if !v.eat(b'>') || !v.at_end() {
            return v.miss_at(
                v.i.min(v.end),
                format!(
                    "{} in the instance ID: it is 1*uric closed by '>' (RFC 5626 13)",
                    show(v.peek())
                ),
            );
        }
        Ok(())
    })
}

/// The contact-params of RFC 3261 with those of RFC 3840 and RFC 5626.
fn contact_param(c: &mut Cur, name: &str, name_at: usize) -> R<bool> {
    match name {
        "q" => {
            c.equal("q")?;
            qvalue(c)?;
        }
        "expires" => {
            c.equal("expires")?;
            delta_seconds(c, "expires")?;
        }
        "+sip.instance" => sip_instance(c)?,
        "reg-id" => within(c, Family::Rfc5626, |c| {
            c.equal("reg-id")?;
            let at = c.i;
            if c.number(u64::from(i32::MAX as u32), "reg-id")? == 0 {
                return c.miss_at(at, "reg-id is 1 to 2^31-1 (RFC 5626 13)");
            }
            Ok(())
        })?,
        n if is_feature(n) => feature_param(c, n, name_at)?,
        _ => return Ok(false),
    }
    Ok(true)
}

/// `*(SEMI param)` where each name's start is known (feature tags are judged by name).
fn params_at(c: &mut Cur, mut one: impl FnMut(&mut Cur, &str, usize) -> R<bool>) -> R {
    while c.sep(b';') {
        let name = c.token("a parameter name (token)")?;
        let lname = c.text(&name).to_ascii_lowercase();
        if !one(c, &lname, name.start)? {
            c.generic_value()?;
        }
    }
    Ok(())
}

/// `Contact = STAR / (contact-param *(COMMA contact-param))`.
pub fn contact(c: &mut Cur) -> R {
    c.ws();
    if c.peek() == Some(b'*') {
        c.i += 1;
        return c.finish("'*' (RFC 3261 25.1: Contact: * stands alone)");
    }
    list(c, "the Contact value", |c| {
        address(c, false)?;
        params_at(c, contact_param)
    })
}

/// Accept-Contact, Reject-Contact: `"*" *(SEMI ac-params)` (RFC 3841 10).
pub fn caller_prefs(c: &mut Cur) -> R {
    list(c, "the value", |c| {
        if !c.eat(b'*') {
            return c.expected("'*' (RFC 3841 10: ac-value = \"*\" *(SEMI ac-params))");
        }
        params_at(c, |c, name, at| {
            if is_feature(name) {
                feature_param(c, name, at)?;
                return Ok(true);
            }
            Ok(false)
        })
    })
}

/// `Request-Disposition = directive *(COMMA directive)` (RFC 3841 10).
pub fn request_disposition(c: &mut Cur) -> R {
    const DIRECTIVES: &[&str] = &[
        "proxy",
        "redirect",
        "cancel",
        "no-cancel",
        "fork",
        "no-fork",
        "recurse",
        "no-recurse",
        "parallel",
        "sequential",
        "queue",
        "no-queue",
    ];
    list(c, "the Request-Disposition", |c| {
        let t = c.token("a directive")?;
        let d = c.text(&t).to_ascii_lowercase();
        if !DIRECTIVES.contains(&d.as_str()) {
            return c.miss_at(t.start, format!("'{d}' is not a directive (RFC 3841 10: proxy, redirect, cancel, no-cancel, fork, no-fork, recurse, no-recurse, parallel, sequential, queue, no-queue)"));
        }
        Ok(())
    })
}

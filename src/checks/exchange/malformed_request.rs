//! Check kind `exchange_malformed_request`: a request that was missing or malformed is not
//! answered with success.
//!
//! TS 33.246 G.2.1-G.2.3: "The BM-SC checks that the HTTP POST is valid, and extracts the
//! request for further processing"; G.2.4: "The error cases are indicated by using 4xx and
//! 5xx HTTP Status Codes", Table G.2.4-1 mapping "Request was missing, or malformed" to 400
//! Bad Request. A request is missing or malformed here when its `requesttype` names a
//! procedure and its body is not that procedure's payload: no body, not XML, not well-formed
//! XML, or a document with another root element. Only those, as a BSM that reads a payload
//! more leniently than its schema (an unknown attribute, another namespace prefix, a media
//! type it tolerates) is not made to fail: what is not the payload at all is malformed by
//! any reading. A body the check cannot read (a DTD, over a limit) is not judged.

use super::*;

/// A 2xx status line answers no request that was missing or malformed.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MalformedRequest {}

impl CheckKind for MalformedRequest {
    crate::check_kind_judge!(Exchange);
}

impl ExchangeCheck for MalformedRequest {
    fn seen(&self, ctx: &ExchangeCtx) -> Seen {
        if !successful(ctx) {
            return Seen::Whole; // the status line alone settles it
        }
        match ctx.needs(&[Part::RequestBody]) {
            Seen::Whole => match malformation(ctx) {
                Reading::Unreadable(why) => Seen::Hidden(why),
                _ => Seen::Whole,
            },
            other => other,
        }
    }

    fn exchange(&self, ctx: &ExchangeCtx) -> Vec<ExchangeHit> {
        if !successful(ctx) {
            return Vec::new();
        }
        let Reading::Malformed {
            what,
            expected,
            requesttype,
        } = malformation(ctx)
        else {
            return Vec::new();
        };
        vec![hit(
            Side::Response,
            vec![
                ("value", what),
                ("expected", expected),
                ("requesttype", requesttype),
                ("status", status(ctx).to_string()),
            ],
        )]
    }
}

fn successful(ctx: &ExchangeCtx) -> bool {
    (200..300).contains(&status(ctx))
}

/// What the request's body is, for the procedure its `requesttype` names.
enum Reading {
    /// No procedure named, or the body is its payload.
    Fine,
    /// Not the payload: `what` it is instead, the root `expected`.
    Malformed {
        what: String,
        expected: String,
        requesttype: String,
    },
    /// The body could not be read (a DTD, over a limit): not judged, for this reason.
    Unreadable(String),
}

fn malformation(ctx: &ExchangeCtx) -> Reading {
    let request = &ctx.exchange.request;
    let Some(named) = requested_kind(ctx.settings, request) else {
        return Reading::Fine; // not a key-management procedure of Annex G
    };
    let Some(kind) = ctx
        .settings
        .kinds
        .iter()
        .find(|k| k.requesttype.as_deref() == Some(named.as_str()))
    else {
        return Reading::Fine;
    };
    let malformed = |what: String| Reading::Malformed {
        what,
        expected: format!("<{}>", kind.root),
        requesttype: named.clone(),
    };
    let body = &request.body;
    if body.iter().all(u8::is_ascii_whitespace) {
        return malformed("no body".into());
    }
    let refused = |reason: String| {
        Reading::Unreadable(format!("the request body could not be read: {reason}"))
    };
    // XML text is UTF-8 or UTF-16 with its byte order mark (XML 1.0 4.3.3), and opens with
    // markup: anything else is not XML at all.
    let text = match crate::xml::decode_text(body) {
        Ok(t) if t.trim_start().starts_with('<') => t,
        Ok(_) | Err(crate::xml::XmlError::Malformed { .. }) => {
            return malformed("a body that is not XML".into())
        }
        Err(crate::xml::XmlError::Refused { reason, .. }) => return refused(reason),
    };
    match crate::xml::parse(text.trim_start(), &ctx.settings.limits) {
        Err(crate::xml::XmlError::Malformed { .. }) => {
            malformed("a body that is not well-formed XML".into())
        }
        Err(crate::xml::XmlError::Refused { reason, .. }) => refused(reason),
        Ok(doc) => {
            let root = doc.root_element().tag_name().name();
            if root == kind.root {
                Reading::Fine
            } else {
                malformed(format!("a <{root}> document"))
            }
        }
    }
}

//! Check kind `exchange_request_target`.

use super::*;

/// The request is a POST to /keymanagement?requesttype=… for its payload kind.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RequestTarget {}

impl CheckKind for RequestTarget {
    crate::check_kind_judge!(Exchange);
}

impl ExchangeCheck for RequestTarget {
    fn seen(&self, ctx: &ExchangeCtx) -> Seen {
        ctx.needs(&[Part::RequestBody]) // the request's kind names the requesttype
    }

    fn exchange(&self, ctx: &ExchangeCtx) -> Vec<ExchangeHit> {
        request_target(ctx)
    }
}

fn request_target(ctx: &ExchangeCtx) -> Vec<ExchangeHit> {
    let Some(kind) = ctx
        .request_kind
        .as_deref()
        .and_then(|k| ctx.settings.kind(k))
    else {
        return Vec::new();
    };
    let Some(expected_type) = &kind.requesttype else {
        return Vec::new();
    };
    let crate::exchange::StartLine::Request { method, target } = &ctx.exchange.request.start else {
        return Vec::new();
    };
    let path = target.split('?').next().unwrap_or("");
    let ok = method == "POST"
        && path == "/keymanagement"
        && requesttype(target).as_deref() == Some(expected_type.as_str());
    if ok {
        Vec::new()
    } else {
        vec![hit(
            Side::Request,
            vec![
                ("value", format!("{method} {target}")),
                (
                    "expected",
                    format!("POST /keymanagement?requesttype={expected_type}"),
                ),
            ],
        )]
    }
}

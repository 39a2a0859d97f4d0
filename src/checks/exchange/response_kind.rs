//! Check kind `exchange_response_kind`.

use super::*;

/// The response body is the payload that answers the request's.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResponseKind {}

impl CheckKind for ResponseKind {
    crate::check_kind_judge!(Exchange);
}

impl ExchangeCheck for ResponseKind {
    fn seen(&self, ctx: &ExchangeCtx) -> Seen {
        ctx.needs(&[Part::RequestBody, Part::ResponseBody])
    }

    fn exchange(&self, ctx: &ExchangeCtx) -> Vec<ExchangeHit> {
        response_kind(ctx)
    }
}

fn response_kind(ctx: &ExchangeCtx) -> Vec<ExchangeHit> {
    let answered = answered_kind(
        ctx.settings,
        &ctx.exchange.request,
        ctx.request_kind.as_deref(),
    );
    let Some(answer) = answered.as_deref().and_then(|a| ctx.settings.kind(a)) else {
        return Vec::new();
    };
    // G.2.1-G.2.3 give the payload of the 200 that answers a successful request; an error
    // response (4xx, 5xx) may carry any body, or none (the server's HTML page).
    if !(200..300).contains(&status(ctx)) {
        return Vec::new();
    }
    let body = &ctx.exchange.response.body;
    if body.iter().all(u8::is_ascii_whitespace) {
        return Vec::new();
    }
    let root = ctx
        .response_doc
        .map(|d| d.root_element().tag_name().name().to_string());
    match root {
        Some(r) if r == answer.root => Vec::new(),
        other => vec![hit(
            Side::Response,
            vec![
                (
                    "value",
                    other.unwrap_or_else(|| "a body that is not XML".into()),
                ),
                ("expected", answer.root.clone()),
                ("kind", answer.name.clone()),
            ],
        )],
    }
}

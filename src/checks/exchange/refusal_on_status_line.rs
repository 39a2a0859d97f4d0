//! Check kind `exchange_refusal_on_status_line`.

use super::*;

/// When the request lists mechanisms and every Response is 403 with no delivery agreement,
/// the refusal belongs on the status line.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RefusalOnStatusLine {}

impl CheckKind for RefusalOnStatusLine {
    crate::check_kind_judge!(Exchange);
}

impl ExchangeCheck for RefusalOnStatusLine {
    fn exchange(&self, ctx: &ExchangeCtx) -> Vec<ExchangeHit> {
        refusal_on_status_line(ctx)
    }
}

fn refusal_on_status_line(ctx: &ExchangeCtx) -> Vec<ExchangeHit> {
    if !is_registration(ctx) || status(ctx) != 200 {
        return Vec::new();
    }
    if delivery_types(ctx.request_doc, "RegistrationRequestExtension").is_none() {
        return Vec::new();
    }
    if elements(ctx.response_doc, "RegistrationResponseExtension")
        .next()
        .is_some()
    {
        return Vec::new();
    }
    let codes: Vec<Node> = elements(ctx.response_doc, "ResponseCode").collect();
    if !codes.is_empty() && codes.iter().all(|n| status_code_of(&text(*n)) == Some(403)) {
        return vec![node_hit(Side::Response, codes[0], vec![])];
    }
    Vec::new()
}

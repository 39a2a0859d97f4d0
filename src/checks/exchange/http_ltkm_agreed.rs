//! Check kind `exchange_http_ltkm_agreed`.

use super::*;

/// LTKMs travel in a registration response only if it agrees HTTP (Type 2).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HttpLtkmAgreed {}

impl CheckKind for HttpLtkmAgreed {
    crate::check_kind_judge!(Exchange);
}

impl ExchangeCheck for HttpLtkmAgreed {
    fn seen(&self, ctx: &ExchangeCtx) -> Seen {
        if status(ctx) != 200 {
            return Seen::Whole; // the status line alone settles it
        }
        ctx.needs(&[Part::RequestBody, Part::ResponseBody])
    }

    fn exchange(&self, ctx: &ExchangeCtx) -> Vec<ExchangeHit> {
        http_ltkm_agreed(ctx)
    }
}

fn http_ltkm_agreed(ctx: &ExchangeCtx) -> Vec<ExchangeHit> {
    if !is_registration(ctx) || status(ctx) != 200 {
        return Vec::new();
    }
    let agreed: Vec<u8> = delivery_types(ctx.response_doc, "RegistrationResponseExtension")
        .map_or(vec![0], |t| t.into_iter().map(|(v, _)| v).collect());
    if agreed.contains(&2) {
        return Vec::new();
    }
    elements(ctx.response_doc, "LTKM")
        .take(1)
        .map(|n| node_hit(Side::Response, n, vec![("value", format!("{agreed:?}"))]))
        .collect()
}

//! Check kind `exchange_delivery_agreed`.

use super::*;

/// The registration response's LTKMDelivery lists only mechanisms the request listed (UDP
/// only when it listed none). Whether the extension is there at all is
/// `exchange_delivery_signalled`'s question.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeliveryAgreed {}

impl CheckKind for DeliveryAgreed {
    crate::check_kind_judge!(Exchange);
}

impl ExchangeCheck for DeliveryAgreed {
    fn seen(&self, ctx: &ExchangeCtx) -> Seen {
        if status(ctx) != 200 {
            return Seen::Whole; // the status line alone settles it
        }
        ctx.needs(&[Part::RequestBody, Part::ResponseBody])
    }

    fn exchange(&self, ctx: &ExchangeCtx) -> Vec<ExchangeHit> {
        delivery_agreed(ctx)
    }
}

fn delivery_agreed(ctx: &ExchangeCtx) -> Vec<ExchangeHit> {
    if !is_registration(ctx) || status(ctx) != 200 {
        return Vec::new();
    }
    let requested = delivery_types(ctx.request_doc, "RegistrationRequestExtension");
    let mut hits = Vec::new();
    let allowed: Vec<u8> = requested
        .as_ref()
        .map_or(vec![0], |r| r.iter().map(|(v, _)| *v).collect());
    for (t, node) in
        delivery_types(ctx.response_doc, "RegistrationResponseExtension").unwrap_or_default()
    {
        if !allowed.contains(&t) {
            let why = if requested.is_some() {
                format!("Type {t} is not among the mechanisms the request listed ({allowed:?})")
            } else {
                format!("Type {t}: the request listed no mechanism, so only UDP (0) applies")
            };
            hits.push(node_hit(Side::Response, node, vec![("detail", why)]));
        }
    }
    hits
}

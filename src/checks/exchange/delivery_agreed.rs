//! Check kind `exchange_delivery_agreed`.

use super::*;

/// The registration response's LTKMDelivery lists only mechanisms the request listed, and
/// is present when the request listed some.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeliveryAgreed {}

impl CheckKind for DeliveryAgreed {
    crate::check_kind_judge!(Exchange);
}

impl ExchangeCheck for DeliveryAgreed {
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
    let has_extension = elements(ctx.response_doc, "RegistrationResponseExtension")
        .next()
        .is_some();
    // The extension is due only when some service was registered: when none was, the BSM
    // evidently supports none of the mechanisms (BCAST-DLV-05 judges that case).
    let registered =
        elements(ctx.response_doc, "ResponseCode").any(|n| status_code_of(&text(n)) == Some(200));
    if requested.is_some() && !has_extension && registered {
        let root = ctx.response_doc.map(|d| d.root_element());
        let vars = vec![("detail", "the request lists LTKM delivery mechanisms, but the response carries no RegistrationResponseExtension".to_string())];
        hits.push(match root {
            Some(r) => node_hit(Side::Response, r, vars),
            None => hit(Side::Response, vars),
        });
    }
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

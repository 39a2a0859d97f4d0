//! Check kind `exchange_delivery_signalled`: a 200 answer to a registration request that
//! lists LTKM delivery mechanisms carries a RegistrationResponseExtension.
//!
//! OMA BCAST 5.1.6.10.1 gives the BSM two branches for a successfully authenticated request
//! that lists LTKMDelivery, and they cover every case: it supports a listed mechanism (then
//! the response SHALL carry a RegistrationResponseExtension, whatever the per-service
//! ResponseCodes say) or it supports none (then "403 Forbidden" on the status line). A 200
//! response without the extension therefore breaks one of the two. When the request listed
//! UDP, it is the first branch: every BSM MUST support UDP (5.1.6.10), so it supports a listed
//! mechanism. Otherwise the capture cannot tell which branch the BSM was in, and the finding
//! cites both. `udp_listed` selects which of the two cases a rule reports, so each is one
//! rule and one finding.

use super::*;

/// A 200 answer to a request listing LTKMDelivery carries a RegistrationResponseExtension.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeliverySignalled {
    /// Report only requests that list UDP (true) or only those that do not (false).
    pub udp_listed: bool,
}

impl CheckKind for DeliverySignalled {
    crate::check_kind_judge!(Exchange);
}

impl ExchangeCheck for DeliverySignalled {
    fn seen(&self, ctx: &ExchangeCtx) -> Seen {
        if status(ctx) != 200 {
            return Seen::Whole; // the status line alone settles it
        }
        ctx.needs(&[Part::RequestBody, Part::ResponseBody])
    }

    fn exchange(&self, ctx: &ExchangeCtx) -> Vec<ExchangeHit> {
        if !is_registration(ctx) || status(ctx) != 200 {
            return Vec::new();
        }
        let Some(requested) = delivery_types(ctx.request_doc, "RegistrationRequestExtension")
        else {
            return Vec::new(); // no list: the terminal is UDP-only, nothing to signal
        };
        let lists_udp = requested.iter().any(|(t, _)| *t == 0);
        if lists_udp != self.udp_listed {
            return Vec::new();
        }
        if elements(ctx.response_doc, "RegistrationResponseExtension")
            .next()
            .is_some()
        {
            return Vec::new();
        }
        let listed: Vec<String> = requested.iter().map(|(t, _)| t.to_string()).collect();
        let codes: Vec<Node> = elements(ctx.response_doc, "ResponseCode").collect();
        let all_403 =
            !codes.is_empty() && codes.iter().all(|n| status_code_of(&text(*n)) == Some(403));
        // Only where the BSM may have been in the refusal branch (UDP not listed).
        let hint = if all_403 && !lists_udp {
            "; every Response is 403 Forbidden: a refusal of the listed mechanisms belongs on the status line (403), not in each ResponseCode"
        } else {
            ""
        };
        let vars = vec![("listed", listed.join(", ")), ("hint", hint.to_string())];
        vec![match ctx.response_doc.map(|d| d.root_element()) {
            Some(root) => node_hit(Side::Response, root, vars),
            None => hit(Side::Response, vars),
        }]
    }
}

//! Check kind `exchange_delivery_lists_requested`: when the request lists only mechanisms
//! other than UDP and the BSM registers the terminal, the RegistrationResponseExtension
//! names the mechanisms it will use in an LTKMDelivery.
//!
//! 5.1.6.10.1: the extension "SHALL include an `<LTKMDelivery>` sub-element listing the
//! terminal-supported mechanisms which the BSM plans to use", but "MAY choose to not return an
//! `<LTKMDelivery>` sub-element if it only plans to use LTKM delivery over UDP". An extension
//! without LTKMDelivery thus says "UDP only" — which this terminal did not list. Whether
//! that is a violation depends on reading "terminal-supported" as binding the UDP-only
//! shortcut too (the terminal MUST support UDP anyway, 5.1.6.10), so the check always rests
//! on a provisional reading.

use super::*;

/// A registration that lists no UDP is answered with an LTKMDelivery naming listed
/// mechanisms.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeliveryListsRequested {}

impl CheckKind for DeliveryListsRequested {
    crate::check_kind_judge!(Exchange);

    fn needs(&self) -> Needs {
        // Every field spelt out, as in child_namespace.
        Needs {
            setting: None,
            delivery: None,
            provisional_reading: Some(
                "that the UDP-only shortcut (an extension without LTKMDelivery) is not open to a terminal that did not list UDP",
            ),
        }
    }
}

impl ExchangeCheck for DeliveryListsRequested {
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
            return Vec::new();
        };
        if requested.is_empty() || requested.iter().any(|(t, _)| *t == 0) {
            return Vec::new();
        }
        let registered = elements(ctx.response_doc, "ResponseCode")
            .any(|n| status_code_of(&text(n)) == Some(200));
        let Some(extension) = elements(ctx.response_doc, "RegistrationResponseExtension").next()
        else {
            return Vec::new(); // no extension at all: exchange_delivery_signalled's finding
        };
        if !registered
            || delivery_types(ctx.response_doc, "RegistrationResponseExtension").is_some()
        {
            return Vec::new();
        }
        let listed: Vec<String> = requested.iter().map(|(t, _)| t.to_string()).collect();
        vec![node_hit(
            Side::Response,
            extension,
            vec![("listed", listed.join(", "))],
        )]
    }
}

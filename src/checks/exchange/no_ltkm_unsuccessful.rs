//! Check kind `exchange_no_ltkm_unsuccessful`.

use super::*;

/// No LTKM in a response whose status line is not 2xx.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoLtkmUnsuccessful {}

impl CheckKind for NoLtkmUnsuccessful {
    crate::check_kind_judge!(Exchange);
}

impl ExchangeCheck for NoLtkmUnsuccessful {
    fn seen(&self, ctx: &ExchangeCtx) -> Seen {
        if (200..300).contains(&status(ctx)) {
            return Seen::Whole; // the status line alone settles it
        }
        ctx.needs(&[Part::ResponseBody])
    }

    fn exchange(&self, ctx: &ExchangeCtx) -> Vec<ExchangeHit> {
        no_ltkm_unsuccessful(ctx)
    }
}

fn no_ltkm_unsuccessful(ctx: &ExchangeCtx) -> Vec<ExchangeHit> {
    let code = status(ctx);
    if (200..300).contains(&code) {
        return Vec::new();
    }
    elements(ctx.response_doc, "LTKM")
        .map(|n| node_hit(Side::Response, n, vec![("value", code.to_string())]))
        .collect()
}

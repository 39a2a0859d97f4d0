//! Check kind `exchange_status_listed`.

use super::*;

/// The status line's code is 200 or one the `status_codes` setting lists.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatusListed {}

impl CheckKind for StatusListed {
    crate::check_kind_judge!(Exchange);
}

impl ExchangeCheck for StatusListed {
    fn seen(&self, _: &ExchangeCtx) -> Seen {
        Seen::Whole // the status line is in every capture
    }

    fn exchange(&self, ctx: &ExchangeCtx) -> Vec<ExchangeHit> {
        status_listed(ctx)
    }
}

fn status_listed(ctx: &ExchangeCtx) -> Vec<ExchangeHit> {
    let code = status(ctx);
    if ctx.settings.status_codes.iter().any(|s| s.code == code) {
        Vec::new()
    } else {
        vec![hit(Side::Response, vec![("value", code.to_string())])]
    }
}

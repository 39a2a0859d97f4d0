//! Check kind `exchange_status_used`.

use super::*;

/// The status line's code is not one the table marks as not used.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatusUsed {}

impl CheckKind for StatusUsed {
    crate::check_kind_judge!(Exchange);
}

impl ExchangeCheck for StatusUsed {
    fn seen(&self, _: &ExchangeCtx) -> Seen {
        Seen::Whole // the status line is in every capture
    }

    fn exchange(&self, ctx: &ExchangeCtx) -> Vec<ExchangeHit> {
        status_used(ctx)
    }
}

fn status_used(ctx: &ExchangeCtx) -> Vec<ExchangeHit> {
    let code = status(ctx);
    if ctx
        .settings
        .status_codes
        .iter()
        .any(|s| s.code == code && s.usage == "not-used")
    {
        vec![hit(Side::Response, vec![("value", code.to_string())])]
    } else {
        Vec::new()
    }
}

//! Check kind `exchange_forbidden_registers_nothing`.

use super::*;

/// A 403 status line registers nothing (no Response says 200 OK).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ForbiddenRegistersNothing {}

impl CheckKind for ForbiddenRegistersNothing {
    crate::check_kind_judge!(Exchange);
}

impl ExchangeCheck for ForbiddenRegistersNothing {
    fn seen(&self, ctx: &ExchangeCtx) -> Seen {
        if status(ctx) != 403 {
            return Seen::Whole; // the status line alone settles it
        }
        ctx.needs(&[Part::ResponseBody])
    }

    fn exchange(&self, ctx: &ExchangeCtx) -> Vec<ExchangeHit> {
        forbidden_registers_nothing(ctx)
    }
}

fn forbidden_registers_nothing(ctx: &ExchangeCtx) -> Vec<ExchangeHit> {
    if status(ctx) != 403 {
        return Vec::new();
    }
    elements(ctx.response_doc, "ResponseCode")
        .filter(|n| status_code_of(&text(*n)) == Some(200))
        .map(|n| node_hit(Side::Response, n, vec![]))
        .collect()
}

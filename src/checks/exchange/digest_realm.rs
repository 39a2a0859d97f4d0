//! Check kind `exchange_digest_realm`.

use super::*;

/// The realm of a Digest challenge starts with this prefix.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DigestRealm {
    pub prefix: String,
}

impl CheckKind for DigestRealm {
    crate::check_kind_judge!(Exchange);
}

impl ExchangeCheck for DigestRealm {
    fn seen(&self, ctx: &ExchangeCtx) -> Seen {
        ctx.needs(&[Part::ResponseHeaders])
    }

    fn exchange(&self, ctx: &ExchangeCtx) -> Vec<ExchangeHit> {
        digest_realm(ctx, &self.prefix)
    }
}

fn digest_realm(ctx: &ExchangeCtx, prefix: &str) -> Vec<ExchangeHit> {
    digest_challenges(&ctx.exchange.response)
        .iter()
        .filter_map(|p| param(p, "realm"))
        .filter(|realm| !realm.starts_with(prefix))
        .map(|realm| hit(Side::Response, vec![("value", realm.to_string())]))
        .collect()
}

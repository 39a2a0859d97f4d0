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
        if status(ctx) != 401 {
            return Seen::Whole; // the status line alone settles it
        }
        ctx.needs(&[Part::ResponseHeaders])
    }

    fn exchange(&self, ctx: &ExchangeCtx) -> Vec<ExchangeHit> {
        digest_realm(ctx, &self.prefix)
    }
}

/// The challenge of TS 33.246 H.2.1 (and 6.2.1.3) is the 401's: "the BM-SC responds with HTTP
/// response code 401 "Unauthorized" which contains a WWW Authenticate header".
fn digest_realm(ctx: &ExchangeCtx, prefix: &str) -> Vec<ExchangeHit> {
    if status(ctx) != 401 {
        return Vec::new();
    }
    digest_challenges(&ctx.exchange.response)
        .iter()
        .filter_map(|p| param(p, "realm"))
        .filter(|realm| !realm.starts_with(prefix))
        .map(|realm| hit(Side::Response, vec![("value", realm.to_string())]))
        .collect()
}

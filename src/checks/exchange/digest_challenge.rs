//! Check kind `exchange_digest_challenge`.

use super::*;

/// A 401 carries a well-formed Digest challenge (RFC 2617 3.2.1).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DigestChallenge {}

impl CheckKind for DigestChallenge {
    crate::check_kind_judge!(Exchange);
}

impl ExchangeCheck for DigestChallenge {
    fn seen(&self, ctx: &ExchangeCtx) -> Seen {
        if status(ctx) != 401 {
            return Seen::Whole; // the status line alone settles it
        }
        ctx.needs(&[Part::ResponseHeaders])
    }

    fn exchange(&self, ctx: &ExchangeCtx) -> Vec<ExchangeHit> {
        digest_challenge(ctx)
    }
}

fn digest_challenge(ctx: &ExchangeCtx) -> Vec<ExchangeHit> {
    if status(ctx) != 401 {
        return Vec::new();
    }
    let challenges = digest_challenges(&ctx.exchange.response);
    if challenges.is_empty() {
        return vec![hit(
            Side::Response,
            vec![("detail", "no WWW-Authenticate: Digest challenge".into())],
        )];
    }
    challenges
        .iter()
        .filter_map(|p| {
            let missing: Vec<&str> = ["realm", "nonce"]
                .into_iter()
                .filter(|k| param(p, k).is_none())
                .collect();
            (!missing.is_empty()).then(|| {
                hit(
                    Side::Response,
                    vec![(
                        "detail",
                        format!("the Digest challenge lacks {}", missing.join(" and ")),
                    )],
                )
            })
        })
        .collect()
}

//! Check kind `exchange_digest_valid`.

use super::*;

/// The Digest response verifies with the `digest_credentials` setting.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DigestValid {}

impl CheckKind for DigestValid {
    crate::check_kind_judge!(Exchange);

    fn needs(&self) -> Needs {
        digest_credentials_needed()
    }
}

impl ExchangeCheck for DigestValid {
    fn seen(&self, ctx: &ExchangeCtx) -> Seen {
        digest_parts_seen(ctx)
    }

    fn exchange(&self, ctx: &ExchangeCtx) -> Vec<ExchangeHit> {
        digest_valid(ctx)
    }
}

fn digest_valid(ctx: &ExchangeCtx) -> Vec<ExchangeHit> {
    let Some(p) = credentials(&ctx.exchange.request) else {
        return Vec::new();
    };
    let Some(user) = param(&p, "username") else {
        return Vec::new();
    };
    let Some(cred) = ctx
        .settings
        .digest_credentials
        .iter()
        .find(|c| c.username == user)
    else {
        return Vec::new();
    };
    let crate::exchange::StartLine::Request { method, .. } = &ctx.exchange.request.start else {
        return Vec::new();
    };
    let expected = expected_response(&p, &cred.password, method, &ctx.exchange.request.body);
    let given = param(&p, "response").unwrap_or("").to_ascii_lowercase();
    if expected.as_deref() == Some(given.as_str()) {
        Vec::new()
    } else {
        vec![hit(Side::Request, vec![("value", user.to_string())])]
    }
}

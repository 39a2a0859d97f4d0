//! Check kind `exchange_digest_valid`.

use super::*;

/// The Digest response verifies with the `digest_credentials` setting.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DigestValid {}

impl CheckKind for DigestValid {
    crate::check_kind_judge!(Exchange);

    fn needs(&self) -> Needs {
        Needs {
            setting: Some(NeededSetting {
                name: "digest_credentials",
                supplied: |s| !s.digest_credentials.is_empty(),
            }),
            ..Needs::default()
        }
    }
}

impl ExchangeCheck for DigestValid {
    fn seen(&self, ctx: &ExchangeCtx) -> Seen {
        // qop=auth-int digests the request body too (RFC 2617 3.2.2.3).
        let auth_int = credentials(&ctx.exchange.request)
            .is_some_and(|p| param(&p, "qop").is_some_and(|q| q.eq_ignore_ascii_case("auth-int")));
        if auth_int {
            ctx.needs(&[Part::RequestHeaders, Part::RequestBody])
        } else {
            ctx.needs(&[Part::RequestHeaders])
        }
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

//! Check kind `exchange_digest_refused`.

use super::*;

/// Credentials whose Digest response does not verify with the `digest_credentials` setting
/// are answered 401, never with the protected resource (RFC 2617 3.2.1). `mikeyconf probe`
/// sends such a request on purpose (case P11); a capture may hold one by accident.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DigestRefused {}

impl CheckKind for DigestRefused {
    crate::check_kind_judge!(Exchange);

    fn needs(&self) -> Needs {
        digest_credentials_needed()
    }
}

impl ExchangeCheck for DigestRefused {
    fn seen(&self, ctx: &ExchangeCtx) -> Seen {
        // A refusal (4xx, 5xx) is right whatever the credentials: judged without them.
        if !(200..400).contains(&status(ctx)) {
            return ctx.needs(&[Part::ResponseHeaders]);
        }
        digest_parts_seen(ctx)
    }

    fn exchange(&self, ctx: &ExchangeCtx) -> Vec<ExchangeHit> {
        digest_refused(ctx)
    }
}

fn digest_refused(ctx: &ExchangeCtx) -> Vec<ExchangeHit> {
    let code = status(ctx);
    // 401 refuses; a 4xx/5xx grants nothing either (a 403 may follow a good login).
    if !(200..400).contains(&code) {
        return Vec::new();
    }
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
        return Vec::new();
    }
    vec![hit(
        Side::Response,
        vec![("value", code.to_string()), ("user", user.to_string())],
    )]
}

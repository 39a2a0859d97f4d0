//! Check kind `exchange_digest_credentials`.

use super::*;

/// An Authorization header is well-formed Digest credentials (RFC 2617 3.2.2, RFC 7616 3.4).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DigestCredentials {}

impl CheckKind for DigestCredentials {
    crate::check_kind_judge!(Exchange);
}

impl ExchangeCheck for DigestCredentials {
    fn seen(&self, ctx: &ExchangeCtx) -> Seen {
        ctx.needs(&[Part::RequestHeaders])
    }

    fn exchange(&self, ctx: &ExchangeCtx) -> Vec<ExchangeHit> {
        digest_credentials(ctx)
    }
}

fn digest_credentials(ctx: &ExchangeCtx) -> Vec<ExchangeHit> {
    let Some(value) = ctx.exchange.request.header("authorization") else {
        return Vec::new();
    };
    let Some(p) = credentials(&ctx.exchange.request) else {
        return vec![hit(
            Side::Request,
            vec![(
                "detail",
                format!(
                    "Authorization is not Digest: '{}'",
                    value.split_whitespace().next().unwrap_or("")
                ),
            )],
        )];
    };
    let mut required = vec!["username", "realm", "nonce", "uri", "response"];
    if param(&p, "qop").is_some() {
        required.extend(["cnonce", "nc"]);
    }
    let mut problems: Vec<String> = required
        .into_iter()
        .filter(|k| param(&p, k).is_none())
        .map(|k| format!("lacks {k}"))
        .collect();
    if let Some(r) = param(&p, "response") {
        // RFC 2617 3.2.2: 32LHEX, MD5's length; RFC 7616 3.4.1: the hash's own length (64 for
        // SHA-256 and SHA-512-256). An algorithm no RFC defines has no known length.
        let alg = DigestAlgorithm::named(param(&p, "algorithm"));
        let hex = r.bytes().all(|b| b.is_ascii_hexdigit());
        match alg.map(DigestAlgorithm::hex_len) {
            Some(n) if r.len() != n || !hex => {
                problems.push(format!("response is not {n} hex digits"));
            }
            None if r.is_empty() || !hex => problems.push("response is not hex digits".into()),
            _ => {}
        }
    }
    if problems.is_empty() {
        Vec::new()
    } else {
        vec![hit(Side::Request, vec![("detail", problems.join(", "))])]
    }
}

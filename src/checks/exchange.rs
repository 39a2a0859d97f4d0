//! Checks on an HTTP exchange (a request with its response): media types, Request-URI,
//! status line, LTKM delivery negotiation, HTTP Digest. Each check returns the message it
//! concerns and, for findings inside a body, the byte offset in that body's text.

use crate::exchange::{Exchange, Message};
use crate::settings::Settings;
use crate::xsd::simple::collapse;
use md5::{Digest, Md5};
use roxmltree::{Document, Node};

/// Which message of the exchange a finding concerns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Request,
    Response,
}

/// One place in an exchange where a rule is violated.
#[derive(Debug, Clone)]
pub struct ExchangeHit {
    pub side: Side,
    /// Byte offset in the body text (for findings on an XML element), else `None`.
    pub body_offset: Option<usize>,
    pub vars: Vec<(&'static str, String)>,
}

fn hit(side: Side, vars: Vec<(&'static str, String)>) -> ExchangeHit {
    ExchangeHit {
        side,
        body_offset: None,
        vars,
    }
}

fn node_hit(side: Side, node: Node, vars: Vec<(&'static str, String)>) -> ExchangeHit {
    ExchangeHit {
        side,
        body_offset: Some(node.range().start + 1),
        vars,
    }
}

/// What the exchange checks may look at.
pub struct ExchangeCtx<'a, 'd> {
    pub exchange: &'a Exchange,
    pub settings: &'a Settings,
    /// The request body's payload kind (an XML kind), when it has one.
    pub request_kind: Option<String>,
    pub request_doc: Option<&'a Document<'d>>,
    pub response_doc: Option<&'a Document<'d>>,
}

pub(super) fn elements<'a, 'd>(
    doc: Option<&'a Document<'d>>,
    local: &'a str,
) -> impl Iterator<Item = Node<'a, 'd>> + 'a {
    doc.into_iter()
        .flat_map(|d| d.descendants())
        .filter(move |n| n.is_element() && n.tag_name().name() == local)
}

pub(super) fn text(node: Node) -> String {
    collapse(&node.children().filter_map(|c| c.text()).collect::<String>())
}

/// The Type values of the LTKMDelivery inside a container, or None when there is none.
pub(super) fn delivery_types<'a, 'd>(
    doc: Option<&'a Document<'d>>,
    container: &'a str,
) -> Option<Vec<(u8, Node<'a, 'd>)>> {
    let delivery = elements(doc, "LTKMDelivery").find(|n| {
        n.parent_element()
            .is_some_and(|p| p.tag_name().name() == container)
    })?;
    Some(
        delivery
            .children()
            .filter(|c| c.is_element() && c.tag_name().name() == "Type")
            .filter_map(|c| text(c).parse::<u8>().ok().map(|v| (v, c)))
            .collect(),
    )
}

fn status(ctx: &ExchangeCtx) -> u16 {
    ctx.exchange.response.status().unwrap_or(0)
}

fn is_registration(ctx: &ExchangeCtx) -> bool {
    ctx.request_kind.as_deref() == Some("registration-request")
}

/// The media type a body's payload needs: the kind's media type for XML, application/mikey
/// for a MIKEY message; None when the payload is neither.
fn payload_media_type(settings: &Settings, body: &[u8]) -> Option<String> {
    let text = std::str::from_utf8(body).ok().map(str::trim_start);
    if let Some(t) = text.filter(|t| t.starts_with('<')) {
        let doc = roxmltree::Document::parse(t).ok()?;
        let root = doc.root_element().tag_name().name().to_string();
        return settings
            .kinds
            .iter()
            .find(|k| k.root == root)
            .map(|k| k.media_type.clone());
    }
    let (msg, _) = crate::mikey::input::load(body).ok()?;
    (msg.first() == Some(&1)).then(|| "application/mikey".to_string())
}

pub fn content_type(ctx: &ExchangeCtx) -> Vec<ExchangeHit> {
    let mut hits = Vec::new();
    for (side, msg) in [
        (Side::Request, &ctx.exchange.request),
        (Side::Response, &ctx.exchange.response),
    ] {
        for part in msg.parts() {
            if part.body.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            let Some(expected) = payload_media_type(ctx.settings, &part.body) else {
                continue;
            };
            let actual = part.media_type.clone().unwrap_or_else(|| "none".into());
            if actual != expected {
                hits.push(hit(
                    side,
                    vec![
                        ("value", actual),
                        ("expected", expected),
                        ("part", part.label.clone()),
                    ],
                ));
            }
        }
    }
    hits
}

/// The `requesttype` query parameter of a request-target.
fn requesttype(target: &str) -> Option<String> {
    let query = target.split_once('?')?.1;
    query.split('&').find_map(|kv| {
        let (k, v) = kv.split_once('=')?;
        (k.trim() == "requesttype").then(|| v.replace("%20", " ").trim().to_string())
    })
}

pub fn request_target(ctx: &ExchangeCtx) -> Vec<ExchangeHit> {
    let Some(kind) = ctx
        .request_kind
        .as_deref()
        .and_then(|k| ctx.settings.kind(k))
    else {
        return Vec::new();
    };
    let Some(expected_type) = &kind.requesttype else {
        return Vec::new();
    };
    let crate::exchange::StartLine::Request { method, target } = &ctx.exchange.request.start else {
        return Vec::new();
    };
    let path = target.split('?').next().unwrap_or("");
    let ok = method == "POST"
        && path == "/keymanagement"
        && requesttype(target).as_deref() == Some(expected_type.as_str());
    if ok {
        Vec::new()
    } else {
        vec![hit(
            Side::Request,
            vec![
                ("value", format!("{method} {target}")),
                (
                    "expected",
                    format!("POST /keymanagement?requesttype={expected_type}"),
                ),
            ],
        )]
    }
}

pub fn response_kind(ctx: &ExchangeCtx) -> Vec<ExchangeHit> {
    let Some(answer) = ctx
        .request_kind
        .as_deref()
        .and_then(|k| ctx.settings.kind(k))
        .and_then(|k| k.answered_by.as_deref())
        .and_then(|a| ctx.settings.kind(a))
    else {
        return Vec::new();
    };
    let body = &ctx.exchange.response.body;
    if body.iter().all(u8::is_ascii_whitespace) {
        return Vec::new(); // an error response may carry no body
    }
    let root = ctx
        .response_doc
        .map(|d| d.root_element().tag_name().name().to_string());
    match root {
        Some(r) if r == answer.root => Vec::new(),
        other => vec![hit(
            Side::Response,
            vec![
                (
                    "value",
                    other.unwrap_or_else(|| "a body that is not XML".into()),
                ),
                ("expected", answer.root.clone()),
                ("kind", answer.name.clone()),
            ],
        )],
    }
}

pub fn status_listed(ctx: &ExchangeCtx) -> Vec<ExchangeHit> {
    let code = status(ctx);
    if ctx.settings.status_codes.iter().any(|s| s.code == code) {
        Vec::new()
    } else {
        vec![hit(Side::Response, vec![("value", code.to_string())])]
    }
}

pub fn status_used(ctx: &ExchangeCtx) -> Vec<ExchangeHit> {
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

pub fn no_ltkm_unsuccessful(ctx: &ExchangeCtx) -> Vec<ExchangeHit> {
    let code = status(ctx);
    if (200..300).contains(&code) {
        return Vec::new();
    }
    elements(ctx.response_doc, "LTKM")
        .map(|n| node_hit(Side::Response, n, vec![("value", code.to_string())]))
        .collect()
}

pub fn delivery_agreed(ctx: &ExchangeCtx) -> Vec<ExchangeHit> {
    if !is_registration(ctx) || status(ctx) != 200 {
        return Vec::new();
    }
    let requested = delivery_types(ctx.request_doc, "RegistrationRequestExtension");
    let mut hits = Vec::new();
    let has_extension = elements(ctx.response_doc, "RegistrationResponseExtension")
        .next()
        .is_some();
    // The extension is due only when some service was registered: when none was, the BSM
    // evidently supports none of the mechanisms (BCAST-DLV-05 judges that case).
    let registered =
        elements(ctx.response_doc, "ResponseCode").any(|n| status_code_of(&text(n)) == Some(200));
    if requested.is_some() && !has_extension && registered {
        let root = ctx.response_doc.map(|d| d.root_element());
        let vars = vec![("detail", "the request lists LTKM delivery mechanisms, but the response carries no RegistrationResponseExtension".to_string())];
        hits.push(match root {
            Some(r) => node_hit(Side::Response, r, vars),
            None => hit(Side::Response, vars),
        });
    }
    let allowed: Vec<u8> = requested
        .as_ref()
        .map_or(vec![0], |r| r.iter().map(|(v, _)| *v).collect());
    for (t, node) in
        delivery_types(ctx.response_doc, "RegistrationResponseExtension").unwrap_or_default()
    {
        if !allowed.contains(&t) {
            let why = if requested.is_some() {
                format!("Type {t} is not among the mechanisms the request listed ({allowed:?})")
            } else {
                format!("Type {t}: the request listed no mechanism, so only UDP (0) applies")
            };
            hits.push(node_hit(Side::Response, node, vec![("detail", why)]));
        }
    }
    hits
}

pub fn http_ltkm_agreed(ctx: &ExchangeCtx) -> Vec<ExchangeHit> {
    if !is_registration(ctx) || status(ctx) != 200 {
        return Vec::new();
    }
    let agreed: Vec<u8> = delivery_types(ctx.response_doc, "RegistrationResponseExtension")
        .map_or(vec![0], |t| t.into_iter().map(|(v, _)| v).collect());
    if agreed.contains(&2) {
        return Vec::new();
    }
    elements(ctx.response_doc, "LTKM")
        .take(1)
        .map(|n| node_hit(Side::Response, n, vec![("value", format!("{agreed:?}"))]))
        .collect()
}

fn status_code_of(text: &str) -> Option<u16> {
    super::structure::status_code(text)
}

pub fn forbidden_registers_nothing(ctx: &ExchangeCtx) -> Vec<ExchangeHit> {
    if status(ctx) != 403 {
        return Vec::new();
    }
    elements(ctx.response_doc, "ResponseCode")
        .filter(|n| status_code_of(&text(*n)) == Some(200))
        .map(|n| node_hit(Side::Response, n, vec![]))
        .collect()
}

pub fn refusal_on_status_line(ctx: &ExchangeCtx) -> Vec<ExchangeHit> {
    if !is_registration(ctx) || status(ctx) != 200 {
        return Vec::new();
    }
    if delivery_types(ctx.request_doc, "RegistrationRequestExtension").is_none() {
        return Vec::new();
    }
    if elements(ctx.response_doc, "RegistrationResponseExtension")
        .next()
        .is_some()
    {
        return Vec::new();
    }
    let codes: Vec<Node> = elements(ctx.response_doc, "ResponseCode").collect();
    if !codes.is_empty() && codes.iter().all(|n| status_code_of(&text(*n)) == Some(403)) {
        return vec![node_hit(Side::Response, codes[0], vec![])];
    }
    Vec::new()
}

/// Parses `Digest k=v, k="v", …` into the scheme and its parameters (RFC 2617 1.2).
/// Written by hand: the crates that parse Digest challenges do not parse credentials.
pub fn auth_params(header: &str) -> (String, Vec<(String, String)>) {
    let header = header.trim();
    let (scheme, rest) = header
        .split_once(char::is_whitespace)
        .unwrap_or((header, ""));
    let mut params = Vec::new();
    let mut chars = rest.chars().peekable();
    loop {
        while chars.peek().is_some_and(|c| c.is_whitespace() || *c == ',') {
            chars.next();
        }
        let key: String =
            std::iter::from_fn(|| chars.next_if(|c| *c != '=' && *c != ',' && !c.is_whitespace()))
                .collect();
        if key.is_empty() {
            break;
        }
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        if chars.next_if_eq(&'=').is_none() {
            params.push((key.to_ascii_lowercase(), String::new()));
            continue;
        }
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        let mut value = String::new();
        if chars.next_if_eq(&'"').is_some() {
            while let Some(c) = chars.next() {
                match c {
                    '\\' => value.extend(chars.next()),
                    '"' => break,
                    c => value.push(c),
                }
            }
        } else {
            value = std::iter::from_fn(|| chars.next_if(|c| *c != ','))
                .collect::<String>()
                .trim()
                .to_string();
        }
        params.push((key.to_ascii_lowercase(), value));
    }
    (scheme.to_string(), params)
}

fn param<'a>(params: &'a [(String, String)], name: &str) -> Option<&'a str> {
    params
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

fn digest_challenges(msg: &Message) -> Vec<Vec<(String, String)>> {
    msg.headers
        .iter()
        .filter(|(n, _)| n.eq_ignore_ascii_case("www-authenticate"))
        .map(|(_, v)| auth_params(v))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("digest"))
        .map(|(_, p)| p)
        .collect()
}

pub fn digest_challenge(ctx: &ExchangeCtx) -> Vec<ExchangeHit> {
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

pub fn digest_realm(ctx: &ExchangeCtx, prefix: &str) -> Vec<ExchangeHit> {
    digest_challenges(&ctx.exchange.response)
        .iter()
        .filter_map(|p| param(p, "realm"))
        .filter(|realm| !realm.starts_with(prefix))
        .map(|realm| hit(Side::Response, vec![("value", realm.to_string())]))
        .collect()
}

fn credentials(msg: &Message) -> Option<Vec<(String, String)>> {
    let (scheme, params) = auth_params(msg.header("authorization")?);
    scheme.eq_ignore_ascii_case("digest").then_some(params)
}

pub fn digest_credentials(ctx: &ExchangeCtx) -> Vec<ExchangeHit> {
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
        if r.len() != 32 || !r.bytes().all(|b| b.is_ascii_hexdigit()) {
            problems.push("response is not 32 hex digits".into());
        }
    }
    if problems.is_empty() {
        Vec::new()
    } else {
        vec![hit(Side::Request, vec![("detail", problems.join(", "))])]
    }
}

fn md5_hex(data: &[u8]) -> String {
    hex::encode(Md5::digest(data))
}

/// The request-digest of RFC 2617 3.2.2.1, for MD5 and MD5-sess, qop auth and auth-int.
pub fn expected_response(
    p: &[(String, String)],
    password: &str,
    method: &str,
    body: &[u8],
) -> Option<String> {
    let get = |k: &str| param(p, k).unwrap_or("");
    let mut ha1 = md5_hex(format!("{}:{}:{password}", get("username"), get("realm")).as_bytes());
    if get("algorithm").eq_ignore_ascii_case("md5-sess") {
        ha1 = md5_hex(format!("{ha1}:{}:{}", get("nonce"), get("cnonce")).as_bytes());
    }
    let qop = get("qop");
    let ha2 = if qop.eq_ignore_ascii_case("auth-int") {
        md5_hex(format!("{method}:{}:{}", get("uri"), md5_hex(body)).as_bytes())
    } else {
        md5_hex(format!("{method}:{}", get("uri")).as_bytes())
    };
    Some(if qop.is_empty() {
        md5_hex(format!("{ha1}:{}:{ha2}", get("nonce")).as_bytes())
    } else {
        md5_hex(
            format!(
                "{ha1}:{}:{}:{}:{qop}:{ha2}",
                get("nonce"),
                get("nc"),
                get("cnonce")
            )
            .as_bytes(),
        )
    })
}

pub fn digest_valid(ctx: &ExchangeCtx) -> Vec<ExchangeHit> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc2617_example_response() {
        // RFC 2617 3.5: Mufasa / "Circle Of Life", qop=auth.
        let (_, p) = auth_params(
            r#"Digest username="Mufasa", realm="testrealm@host.com", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", uri="/dir/index.html", qop=auth, nc=00000001, cnonce="0a4f113b", response="6629fae49393a05397450978507c4ef1", opaque="5ccc069c403ebaf9f0171e9517f40e41""#,
        );
        assert_eq!(
            expected_response(&p, "Circle Of Life", "GET", b"").as_deref(),
            Some("6629fae49393a05397450978507c4ef1")
        );
    }

    #[test]
    fn auth_params_handle_quotes_and_tokens() {
        let (s, p) = auth_params(r#"Digest realm="a, \"b\"", qop=auth-int ,nonce=xyz"#);
        assert_eq!(s, "Digest");
        assert_eq!(param(&p, "realm"), Some("a, \"b\""));
        assert_eq!(param(&p, "qop"), Some("auth-int"));
        assert_eq!(param(&p, "nonce"), Some("xyz"));
    }
}

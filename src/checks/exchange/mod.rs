//! Checks on an HTTP exchange (a request with its response): media types, Request-URI,
//! status line, LTKM delivery negotiation, HTTP Digest. Each check returns the message it
//! concerns and, for findings inside a body, the byte offset in that body's text.

pub(crate) use super::kind::{CheckKind, ExchangeCheck, NeededSetting, Needs};
pub(crate) use crate::exchange::{Exchange, Message};
pub(crate) use crate::settings::Settings;
pub(crate) use md5::{Digest, Md5};
pub(crate) use roxmltree::{Document, Node};
pub(crate) use serde::Deserialize;

pub mod content_type;
pub mod delivery_agreed;
pub mod delivery_lists_requested;
pub mod delivery_signalled;
pub mod digest_challenge;
pub mod digest_credentials;
pub mod digest_realm;
pub mod digest_refused;
pub mod digest_valid;
pub mod forbidden_registers_nothing;
pub mod http_ltkm_agreed;
pub mod no_ltkm_unsuccessful;
pub mod request_target;
pub mod response_kind;
pub mod status_listed;
pub mod status_used;

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
    /// A reading no source confirms that this hit rests on (see `checks::Hit::rests_on`).
    pub rests_on: Option<String>,
}

pub(crate) fn hit(side: Side, vars: Vec<(&'static str, String)>) -> ExchangeHit {
    ExchangeHit {
        side,
        body_offset: None,
        vars,
        rests_on: None,
    }
}

pub(crate) fn node_hit(side: Side, node: Node, vars: Vec<(&'static str, String)>) -> ExchangeHit {
    ExchangeHit {
        side,
        body_offset: Some(node.range().start + 1),
        vars,
        rests_on: None,
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

/// A part of an exchange a check reads, which a capture may not show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    RequestHeaders,
    RequestBody,
    ResponseHeaders,
    ResponseBody,
}

/// How much of what a check reads the capture shows for one exchange.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seen {
    /// Everything it reads: it judges the exchange.
    Whole,
    /// Some of it: it judges what is shown; the reason names what is not.
    Part(String),
    /// Not a part it needs: it cannot judge the exchange, for this reason.
    Nothing(String),
}

impl ExchangeCtx<'_, '_> {
    /// Why the capture does not show a part of the exchange, or `None` when it does.
    pub fn unseen(&self, part: Part) -> Option<&str> {
        let ex = self.exchange;
        match part {
            Part::RequestHeaders => ex.request.unseen.headers.as_deref(),
            Part::RequestBody => ex.request.unseen.body.as_deref(),
            Part::ResponseHeaders => ex.response.unseen.headers.as_deref(),
            Part::ResponseBody => ex.response.unseen.body.as_deref(),
        }
    }

    /// `Nothing` with the reasons for every needed part the capture does not show, else
    /// `Whole`.
    pub fn needs(&self, parts: &[Part]) -> Seen {
        let mut why: Vec<&str> = parts.iter().filter_map(|p| self.unseen(*p)).collect();
        why.dedup();
        if why.is_empty() {
            Seen::Whole
        } else {
            Seen::Nothing(why.join("; "))
        }
    }
}

pub(crate) fn elements<'a, 'd>(
    doc: Option<&'a Document<'d>>,
    local: &'a str,
) -> impl Iterator<Item = Node<'a, 'd>> + 'a {
    doc.into_iter()
        .flat_map(|d| d.descendants())
        .filter(move |n| n.is_element() && n.tag_name().name() == local)
}

pub(crate) fn text(node: Node) -> String {
    crate::checks::text_of(node).into_owned()
}

/// The Type values of the LTKMDelivery inside a container, or None when there is none. A Type
/// is an `xs:unsignedByte` (OMA BCAST 5.1.6.10.1), read in its value space (`+01` is 1); one
/// that is not is left out (the schema rule reports it).
pub(crate) fn delivery_types<'a, 'd>(
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
            .filter_map(|c| {
                let v = crate::value::IntegerType::named("unsignedByte")?.parse(&text(c))?;
                Some((u8::try_from(v).ok()?, c))
            })
            .collect(),
    )
}

pub(crate) fn status(ctx: &ExchangeCtx) -> u16 {
    ctx.exchange.response.status().unwrap_or(0)
}

pub(crate) fn is_registration(ctx: &ExchangeCtx) -> bool {
    ctx.request_kind.as_deref() == Some("registration-request")
}

/// The media type a body's payload needs: the kind's media type for XML, application/mikey
/// for a MIKEY message; None when the payload is neither.
pub(crate) fn payload_media_type(settings: &Settings, body: &[u8]) -> Option<String> {
    let text = std::str::from_utf8(body).ok().map(str::trim_start);
    if let Some(t) = text.filter(|t| t.starts_with('<')) {
        let doc = crate::xml::parse_bounded(t)?;
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

/// The `requesttype` query parameter of a request-target.
pub(crate) fn requesttype(target: &str) -> Option<String> {
    let query = target.split_once('?')?.1;
    query.split('&').find_map(|kv| {
        let (k, v) = kv.split_once('=')?;
        (k.trim() == "requesttype").then(|| v.replace("%20", " ").trim().to_string())
    })
}

pub(crate) fn status_code_of(text: &str) -> Option<u16> {
    super::xml::status_code(text)
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

/// What a check that verifies Digest credentials needs: the `digest_credentials` setting
/// (`exchange_digest_valid` and `exchange_digest_refused`).
pub(crate) fn digest_credentials_needed() -> Needs {
    Needs {
        setting: Some(NeededSetting {
            name: "digest_credentials",
            supplied: |s| !s.digest_credentials.is_empty(),
        }),
        ..Needs::default()
    }
}

/// The parts a Digest verification reads: the request's headers, and its body when
/// qop=auth-int digests the body too (RFC 2617 3.2.2.3).
pub(crate) fn digest_parts_seen(ctx: &ExchangeCtx) -> Seen {
    let auth_int = credentials(&ctx.exchange.request)
        .is_some_and(|p| param(&p, "qop").is_some_and(|q| q.eq_ignore_ascii_case("auth-int")));
    if auth_int {
        ctx.needs(&[Part::RequestHeaders, Part::RequestBody])
    } else {
        ctx.needs(&[Part::RequestHeaders])
    }
}

pub(crate) fn param<'a>(params: &'a [(String, String)], name: &str) -> Option<&'a str> {
    params
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

pub(crate) fn digest_challenges(msg: &Message) -> Vec<Vec<(String, String)>> {
    msg.headers
        .iter()
        .filter(|(n, _)| crate::value::header_name::same_http_name(n, "www-authenticate"))
        .map(|(_, v)| auth_params(v))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("digest"))
        .map(|(_, p)| p)
        .collect()
}

pub(crate) fn credentials(msg: &Message) -> Option<Vec<(String, String)>> {
    let (scheme, params) = auth_params(msg.header("authorization")?);
    scheme.eq_ignore_ascii_case("digest").then_some(params)
}

pub(crate) fn md5_hex(data: &[u8]) -> String {
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

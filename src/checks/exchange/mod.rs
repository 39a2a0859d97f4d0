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
pub mod malformed_request;
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
    /// The halves the implementation under test sends (request, response): both without a
    /// profile. A rule that binds no party judges only these (`http_senders`); one that
    /// binds a party judges what its clause says, whatever the profile.
    pub judged: (bool, bool),
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
    /// Nothing of it, for a reason that is not the capture's (a setting, an algorithm no RFC
    /// defines): it cannot judge the exchange, which it does not concern.
    Nothing(String),
    /// Not a part it needs, which the capture does not show (or shows in a form mikeyconf
    /// does not read, a DTD): it cannot judge the exchange, which it does concern, so the
    /// input was judged in part ("not applied is not passed").
    Hidden(String),
}

impl ExchangeCtx<'_, '_> {
    /// Whether a rule that binds no party judges this half of the exchange.
    pub fn judges(&self, side: Side) -> bool {
        match side {
            Side::Request => self.judged.0,
            Side::Response => self.judged.1,
        }
    }

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

    /// `Hidden` with the reasons for every needed part the capture does not show, else
    /// `Whole`.
    pub fn needs(&self, parts: &[Part]) -> Seen {
        let mut why: Vec<&str> = parts.iter().filter_map(|p| self.unseen(*p)).collect();
        why.dedup();
        if why.is_empty() {
            Seen::Whole
        } else {
            Seen::Hidden(why.join("; "))
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

/// The payload kind the response must be: the one that answers the request's payload kind
/// (`answered_by`), unless the request's `requesttype` names another kind's procedure (an MSK
/// request sent as `requesttype=register`). Such a request is malformed (TS 33.246 Table
/// G.2.4-1, 400: "Request was missing, or malformed"): no answer to it is expected, so its
/// response is read by its own root and HTTP-RSP-01 asks nothing of it; HTTP-STATUS-03 judges
/// a 2xx to it, once.
pub(crate) fn answered_kind(
    settings: &Settings,
    request: &Message,
    request_kind: Option<&str>,
) -> Option<String> {
    let kind = settings.kind(request_kind?)?;
    if let (Some(own), Some(named)) = (&kind.requesttype, requested_kind(settings, request)) {
        if *own != named {
            return None;
        }
    }
    kind.answered_by.clone()
}

/// The `requesttype` of a request's target when it names a procedure of TS 33.246 G.2.1-G.2.3
/// (the `requesttype` of a payload kind), else None.
pub(crate) fn requested_kind(settings: &Settings, request: &Message) -> Option<String> {
    let crate::exchange::StartLine::Request { target, .. } = &request.start else {
        return None;
    };
    let named = requesttype(target)?;
    settings
        .kinds
        .iter()
        .any(|k| k.requesttype.as_deref() == Some(named.as_str()))
        .then_some(named)
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
/// qop=auth-int digests the body too (RFC 2617 3.2.2.3); `Nothing` when the credentials
/// cannot be verified ([`digest_unverifiable`]), so the rule is not applied to that exchange
/// rather than passed or failed by a guess.
pub(crate) fn digest_parts_seen(ctx: &ExchangeCtx) -> Seen {
    if let Some(why) = digest_unverifiable(ctx) {
        return Seen::Nothing(why);
    }
    let auth_int = credentials(&ctx.exchange.request)
        .is_some_and(|p| param(&p, "qop").is_some_and(|q| q.eq_ignore_ascii_case("auth-int")));
    if auth_int {
        ctx.needs(&[Part::RequestHeaders, Part::RequestBody])
    } else {
        ctx.needs(&[Part::RequestHeaders])
    }
}

/// Why the request's Digest credentials cannot be verified, when they are there and cannot:
/// an algorithm no RFC defines (RFC 7616 6.1's registry), or a username no
/// `digest_credentials` entry is for (the password is then unknown).
pub(crate) fn digest_unverifiable(ctx: &ExchangeCtx) -> Option<String> {
    let p = credentials(&ctx.exchange.request)?;
    if let Some(alg) = param(&p, "algorithm") {
        if DigestAlgorithm::named(Some(alg)).is_none() {
            return Some(format!(
                "the Digest algorithm {alg} is none of RFC 7616's (MD5, SHA-256, SHA-512-256, each also -sess)"
            ));
        }
    }
    let user = param(&p, "username")?;
    let known = ctx
        .settings
        .digest_credentials
        .iter()
        .any(|c| c.username == user);
    (!known).then(|| format!("no digest_credentials entry is for the username '{user}'"))
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

/// A Digest `algorithm` (RFC 7616 3.4.1, 6.1: its IANA registry): the hash H, and whether
/// it is a `-sess` variant (A1 then also digests the nonce and cnonce, RFC 7616 3.4.2).
/// TS 33.246 cites RFC 2617, whose only hash is MD5; a client answering a BSM's SHA-256
/// challenge follows RFC 7616, which keeps 2617's MD5 computation as it was, so one table
/// serves both. The token is matched ignoring case, as RFC 2617's `md5-sess` was.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct DigestAlgorithm {
    hash: DigestHash,
    sess: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DigestHash {
    Md5,
    Sha256,
    Sha512_256,
}

impl DigestAlgorithm {
    /// The algorithm a credentials' `algorithm` parameter names (absent: MD5, RFC 7616 3.3),
    /// or `None` for one no RFC defines.
    pub(crate) fn named(token: Option<&str>) -> Option<DigestAlgorithm> {
        let token = token.unwrap_or("MD5").to_ascii_uppercase();
        let (name, sess) = match token.strip_suffix("-SESS") {
            Some(n) => (n, true),
            None => (token.as_str(), false),
        };
        let hash = match name {
            "MD5" => DigestHash::Md5,
            "SHA-256" => DigestHash::Sha256,
            "SHA-512-256" => DigestHash::Sha512_256,
            _ => return None,
        };
        Some(DigestAlgorithm { hash, sess })
    }

    /// The length of H's hex output: 32 for MD5, 64 for SHA-256 and SHA-512-256.
    pub(crate) fn hex_len(self) -> usize {
        match self.hash {
            DigestHash::Md5 => 32,
            DigestHash::Sha256 | DigestHash::Sha512_256 => 64,
        }
    }

    /// H(data) as lower-case hex (RFC 7616 3.4: "the output of the hash function ... is a
    /// string of lower-case hexadecimal digits").
    fn h(self, data: &[u8]) -> String {
        match self.hash {
            DigestHash::Md5 => md5_hex(data),
            DigestHash::Sha256 => hex::encode(sha2::Sha256::digest(data)),
            DigestHash::Sha512_256 => hex::encode(sha2::Sha512_256::digest(data)),
        }
    }
}

/// The request-digest of RFC 2617 3.2.2.1 and RFC 7616 3.4.1, for every algorithm
/// [`DigestAlgorithm`] knows, qop auth and auth-int (and none, RFC 2069's form); `None`
/// for an algorithm it does not know (the checks then say they could not judge).
pub fn expected_response(
    p: &[(String, String)],
    password: &str,
    method: &str,
    body: &[u8],
) -> Option<String> {
    let get = |k: &str| param(p, k).unwrap_or("");
    let alg = DigestAlgorithm::named(param(p, "algorithm"))?;
    let h = |text: String| alg.h(text.as_bytes());
    let mut ha1 = h(format!("{}:{}:{password}", get("username"), get("realm")));
    if alg.sess {
        ha1 = h(format!("{ha1}:{}:{}", get("nonce"), get("cnonce")));
    }
    let qop = get("qop");
    let ha2 = if qop.eq_ignore_ascii_case("auth-int") {
        h(format!("{method}:{}:{}", get("uri"), alg.h(body)))
    } else {
        h(format!("{method}:{}", get("uri")))
    };
    Some(if qop.is_empty() {
        h(format!("{ha1}:{}:{ha2}", get("nonce")))
    } else {
        h(format!(
            "{ha1}:{}:{}:{}:{qop}:{ha2}",
            get("nonce"),
            get("nc"),
            get("cnonce")
        ))
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

    /// RFC 7616 3.9.1's example: the same credentials with MD5 and with SHA-256.
    #[test]
    fn rfc7616_example_responses() {
        let creds = |alg: &str| {
            auth_params(&format!(
                r#"Digest username="Mufasa", realm="http-auth@example.org", uri="/dir/index.html", algorithm={alg}, nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", nc=00000001, cnonce="f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ", qop=auth"#
            ))
            .1
        };
        let r = |alg: &str| expected_response(&creds(alg), "Circle of Life", "GET", b"");
        assert_eq!(
            r("MD5").as_deref(),
            Some("8ca523f5e9506fed4657c9700eebdbec")
        );
        assert_eq!(
            r("SHA-256").as_deref(),
            Some("753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1")
        );
        assert_eq!(r("sha-256"), r("SHA-256"));
        assert_eq!(r("SHA-512-256").map(|h| h.len()), Some(64));
        assert_ne!(r("SHA-256-sess"), r("SHA-256"));
        assert_eq!(r("SHA-1"), None);
        assert_eq!(r("SHA-256x"), None);
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

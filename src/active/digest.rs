//! HTTP Digest authentication as TS 33.246 6.2.1.3 cites it: RFC 2617 with MD5 and
//! `qop=auth`, the B-TID as username and the (base64) MRK as password; and RFC 7616's SHA-256
//! as the option the issue asks for. Used by both sides of active testing: the reference BSM
//! challenges and verifies, the probe answers challenges.
//!
//! Written apart from the exchange checks' Digest (`checks/exchange`): the reference BSM uses
//! none of the rule code, so a wrong computation there is not mirrored here.

use md5::{Digest as _, Md5};

/// A Digest hash the active side speaks (RFC 7616 3.4.1): MD5 (RFC 2617, TS 33.246's) or
/// SHA-256. `-sess` variants and SHA-512-256 are not offered by the reference BSM; the probe
/// answers only challenges in one of these two.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Deserialize)]
pub enum Algorithm {
    /// RFC 2617's, the default.
    #[default]
    #[serde(rename = "MD5")]
    Md5,
    /// RFC 7616's.
    #[serde(rename = "SHA-256")]
    Sha256,
}

impl Algorithm {
    /// The algorithm a challenge's `algorithm` token names (absent: MD5, RFC 7616 3.3), any
    /// case; `None` for another.
    pub fn named(token: Option<&str>) -> Option<Algorithm> {
        match token.unwrap_or("MD5").to_ascii_uppercase().as_str() {
            "MD5" => Some(Algorithm::Md5),
            "SHA-256" => Some(Algorithm::Sha256),
            _ => None,
        }
    }

    /// The token as challenges and credentials spell it.
    pub fn token(self) -> &'static str {
        match self {
            Algorithm::Md5 => "MD5",
            Algorithm::Sha256 => "SHA-256",
        }
    }

    /// H(text): the lower-case hex hash (RFC 2617 3.2.2.2, RFC 7616 3.4).
    pub fn h(self, text: &str) -> String {
        match self {
            Algorithm::Md5 => hex::encode(Md5::digest(text.as_bytes())),
            Algorithm::Sha256 => hex::encode(sha2::Sha256::digest(text.as_bytes())),
        }
    }
}

/// The lower-case hex MD5 of `text` (RFC 2617 3.2.2.2, H).
pub fn h(text: &str) -> String {
    Algorithm::Md5.h(text)
}

/// The request-digest of RFC 2617 3.2.2.1 and RFC 7616 3.4.1 with `qop=auth` and hash
/// `alg`: `KD(H(A1), nonce:nc:cnonce:auth:H(A2))`, A1 = `user:realm:password`, A2 =
/// `method:uri`.
#[allow(clippy::too_many_arguments)]
pub fn response(
    alg: Algorithm,
    user: &str,
    realm: &str,
    password: &str,
    method: &str,
    uri: &str,
    nonce: &str,
    nc: &str,
    cnonce: &str,
) -> String {
    let ha1 = alg.h(&format!("{user}:{realm}:{password}"));
    let ha2 = alg.h(&format!("{method}:{uri}"));
    alg.h(&format!("{ha1}:{nonce}:{nc}:{cnonce}:auth:{ha2}"))
}

/// The `name=value` parameters of a `Digest` challenge or credentials header, names
/// lower-cased, quoted values unquoted (a backslash escapes the next character). `None` when
/// the scheme is not Digest.
pub fn params(header: &str) -> Option<Vec<(String, String)>> {
    let rest = header.trim_start();
    let (scheme, mut rest) = rest.split_at(rest.find(' ').unwrap_or(rest.len()));
    if !scheme.eq_ignore_ascii_case("digest") {
        return None;
    }
    let mut out = Vec::new();
    loop {
        rest = rest.trim_start_matches([' ', ',', '\t']);
        let Some(eq) = rest.find('=') else { break };
        let name = rest[..eq].trim().to_ascii_lowercase();
        rest = rest[eq + 1..].trim_start();
        let value;
        if let Some(quoted) = rest.strip_prefix('"') {
            let mut v = String::new();
            let mut chars = quoted.char_indices();
            let mut end = quoted.len();
            while let Some((i, c)) = chars.next() {
                match c {
                    '\\' => {
                        if let Some((_, n)) = chars.next() {
                            v.push(n);
                        }
                    }
                    '"' => {
                        end = i + 1;
                        break;
                    }
                    _ => v.push(c),
                }
            }
            value = v;
            rest = &quoted[end.min(quoted.len())..];
        } else {
            let end = rest.find(',').unwrap_or(rest.len());
            value = rest[..end].trim().to_string();
            rest = &rest[end..];
        }
        out.push((name, value));
    }
    Some(out)
}

/// The value of parameter `name` (lower-case) in `params`' output.
pub fn param<'a>(params: &'a [(String, String)], name: &str) -> Option<&'a str> {
    params
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

/// `n` random octets from the operating system, as lower-case hex: nonces and cnonces.
pub fn random_hex(n: usize) -> String {
    let mut bytes = vec![0u8; n];
    // A failing system source leaves zeros: the caller's nonce is then predictable, which is
    // said on stderr rather than stopping a test run.
    if getrandom::fill(&mut bytes).is_err() {
        eprintln!("mikeyconf: the system random source failed; nonces are not random");
    }
    hex::encode(bytes)
}

/// `n` random octets from the operating system.
pub fn random_bytes(n: usize) -> Vec<u8> {
    let mut bytes = vec![0u8; n];
    if getrandom::fill(&mut bytes).is_err() {
        eprintln!("mikeyconf: the system random source failed");
    }
    bytes
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 2617 3.5's example, with its qop=auth values.
    #[test]
    fn rfc_2617_example_response() {
        let r = response(
            Algorithm::Md5,
            "Mufasa",
            "testrealm@host.com",
            "Circle Of Life",
            "GET",
            "/dir/index.html",
            "dcd98b7102dd2f0e8b11d0f600bfb0c093",
            "00000001",
            "0a4f113b",
        );
        assert_eq!(r, "6629fae49393a05397450978507c4ef1");
    }

    /// RFC 7616 3.9.1's example, SHA-256 and MD5.
    #[test]
    fn rfc_7616_example_responses() {
        let r = |alg| {
            response(
                alg,
                "Mufasa",
                "http-auth@example.org",
                "Circle of Life",
                "GET",
                "/dir/index.html",
                "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v",
                "00000001",
                "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ",
            )
        };
        assert_eq!(
            r(Algorithm::Sha256),
            "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1"
        );
        assert_eq!(r(Algorithm::Md5), "8ca523f5e9506fed4657c9700eebdbec");
        assert_eq!(Algorithm::named(Some("sha-256")), Some(Algorithm::Sha256));
        assert_eq!(Algorithm::named(None), Some(Algorithm::Md5));
        assert_eq!(Algorithm::named(Some("SHA-256-sess")), None);
    }

    #[test]
    fn params_unquote_and_lower_case_names() {
        let p = params(r#"Digest Realm="a\"b", nonce="n1", qop=auth, nc=00000001"#).unwrap();
        assert_eq!(param(&p, "realm"), Some("a\"b"));
        assert_eq!(param(&p, "nonce"), Some("n1"));
        assert_eq!(param(&p, "qop"), Some("auth"));
        assert_eq!(param(&p, "nc"), Some("00000001"));
        assert!(params("Basic abc").is_none());
        assert_eq!(params("Digest").unwrap(), vec![]);
    }
}

//! HTTP Digest authentication as TS 33.246 6.2.1.3 cites it: RFC 2617 with MD5 and
//! `qop=auth`, the B-TID as username and the (base64) MRK as password. Used by both sides of
//! active testing: the reference BSM challenges and verifies, the probe answers challenges.

use md5::{Digest as _, Md5};

/// The lower-case hex MD5 of `text` (RFC 2617 3.2.2.2, H).
pub fn h(text: &str) -> String {
    hex::encode(Md5::digest(text.as_bytes()))
}

/// The request-digest of RFC 2617 3.2.2.1 with `qop=auth`:
/// `KD(H(A1), nonce:nc:cnonce:auth:H(A2))`, A1 = `user:realm:password`, A2 = `method:uri`.
#[allow(clippy::too_many_arguments)]
pub fn response(
    user: &str,
    realm: &str,
    password: &str,
    method: &str,
    uri: &str,
    nonce: &str,
    nc: &str,
    cnonce: &str,
) -> String {
    let ha1 = h(&format!("{user}:{realm}:{password}"));
    let ha2 = h(&format!("{method}:{uri}"));
    h(&format!("{ha1}:{nonce}:{nc}:{cnonce}:auth:{ha2}"))
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

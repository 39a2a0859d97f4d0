//! The probe's HTTP side (ureq): sends one POST over http:// or https:// (rustls; the CA
//! file's roots or Mozilla's, or none checked with `--insecure`), answers a Digest challenge
//! (MD5 or SHA-256, the first of the BSM's challenges it can answer), and writes each request
//! and its response as raw HTTP/1.1 text, the bytes `check` reads from a `.http` file. The
//! request is written as sent (the headers the probe sets, Host and User-Agent as ureq sends
//! them); the response as received, its body de-chunked with a Content-Length. TLS itself is
//! not recorded: what the rules judge is the HTTP inside it.

use crate::active::digest;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

/// How an https:// BSM's certificate is checked.
#[derive(Debug, Clone, Default)]
pub struct TlsOptions {
    /// PEM certificates to trust instead of Mozilla's roots (a test BSM's own CA).
    pub ca_file: Option<PathBuf>,
    /// Check no certificate at all (`--insecure`, as curl's).
    pub insecure: bool,
}

/// The largest response body read.
const MAX_BODY: u64 = 1024 * 1024;

/// Where and as whom the probe talks.
pub struct Client {
    agent: ureq::Agent,
    /// `http://host:port`, no path.
    origin: String,
    /// `host:port`, the Host header.
    host: String,
    /// The key-management path, `/keymanagement` unless the URL gives another.
    path: String,
    pub user: String,
    pub password: String,
}

/// A response as received.
pub struct Answer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

const USER_AGENT: &str = concat!("mikeyconf-probe/", env!("CARGO_PKG_VERSION"));

impl Client {
    /// A client of the BSM at `url` (`http://host:port[/path]` or `https://…`).
    pub fn new(
        url: &str,
        user: &str,
        password: &str,
        timeout: Duration,
        tls: &TlsOptions,
    ) -> Result<Client, String> {
        let (scheme, rest) = match (url.strip_prefix("http://"), url.strip_prefix("https://")) {
            (Some(rest), _) => ("http", rest),
            (_, Some(rest)) => ("https", rest),
            _ => return Err(format!("{url}: give an http:// or https:// URL")),
        };
        let (host, path) = match rest.find('/') {
            Some(i) => (&rest[..i], &rest[i..]),
            None => (rest, "/keymanagement"),
        };
        if host.is_empty() {
            return Err(format!("{url}: no host"));
        }
        let path = path.split('?').next().unwrap_or(path);
        let config = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .timeout_global(Some(timeout))
            .user_agent(USER_AGENT)
            .tls_config(tls_config(tls)?)
            .build();
        Ok(Client {
            agent: config.new_agent(),
            origin: format!("{scheme}://{host}"),
            host: host.to_string(),
            path: path.to_string(),
            user: user.to_string(),
            password: password.to_string(),
        })
    }

    /// The BSM's `host:port`.
    pub fn host(&self) -> &str {
        &self.host
    }

    /// The request target of a request type.
    pub fn target(&self, requesttype: &str) -> String {
        format!("{}?requesttype={requesttype}", self.path)
    }

    /// POSTs `body` to `target` with `authorization` (if any); returns the exchange's raw
    /// text and the answer.
    pub fn post(
        &self,
        target: &str,
        media: &str,
        body: &[u8],
        authorization: Option<&str>,
    ) -> Result<(Vec<u8>, Answer), String> {
        let mut req = self
            .agent
            .post(format!("{}{target}", self.origin))
            .header("Content-Type", media);
        if let Some(a) = authorization {
            req = req.header("Authorization", a);
        }
        let mut response = req.send(body).map_err(|e| {
            let e = e.to_string();
            let hint = if e.contains("certificate") {
                " (trust the BSM's CA with --ca-file FILE, or check none with --insecure)"
            } else {
                ""
            };
            format!("POST {target}: {e}{hint}")
        })?;
        let status = response.status().as_u16();
        let mut headers = Vec::new();
        for (name, value) in response.headers() {
            let (n, v) = (name.as_str(), String::from_utf8_lossy(value.as_bytes()));
            if n != "content-length" && n != "transfer-encoding" {
                headers.push((canonical(n), v.into_owned()));
            }
        }
        let answer_body = response
            .body_mut()
            .with_config()
            .limit(MAX_BODY)
            .read_to_vec()
            .map_err(|e| format!("POST {target}: the response body: {e}"))?;
        let mut raw = format!(
            "POST {target} HTTP/1.1\r\nHost: {}\r\nUser-Agent: {USER_AGENT}\r\nContent-Type: {media}\r\n",
            self.host
        );
        if let Some(a) = authorization {
            raw.push_str(&format!("Authorization: {a}\r\n"));
        }
        raw.push_str(&format!("Content-Length: {}\r\n\r\n", body.len()));
        let mut raw = raw.into_bytes();
        raw.extend_from_slice(body);
        let reason = response.status().canonical_reason().unwrap_or("");
        let mut head = format!("HTTP/1.1 {status} {reason}\r\n");
        for (n, v) in &headers {
            head.push_str(&format!("{n}: {v}\r\n"));
        }
        head.push_str(&format!("Content-Length: {}\r\n\r\n", answer_body.len()));
        raw.extend_from_slice(head.as_bytes());
        raw.extend_from_slice(&answer_body);
        Ok((
            raw,
            Answer {
                status,
                headers,
                body: answer_body,
            },
        ))
    }

    /// The Authorization header answering `challenge` (a WWW-Authenticate value) for
    /// `target`, with `password` (the probe's own, or a wrong one); `None` when it is no
    /// Digest challenge in MD5 or SHA-256 the probe can answer.
    pub fn authorization(&self, challenge: &str, target: &str, password: &str) -> Option<String> {
        let p = digest::params(challenge)?;
        let realm = digest::param(&p, "realm")?;
        let nonce = digest::param(&p, "nonce")?;
        let alg = digest::Algorithm::named(digest::param(&p, "algorithm"))?;
        let cnonce = digest::random_hex(8);
        let nc = "00000001";
        let response = digest::response(
            alg, &self.user, realm, password, "POST", target, nonce, nc, &cnonce,
        );
        let mut a = format!(
            "Digest username=\"{}\", realm=\"{realm}\", nonce=\"{nonce}\", uri=\"{target}\", qop=auth, nc={nc}, cnonce=\"{cnonce}\", response=\"{response}\", algorithm={}",
            self.user,
            alg.token()
        );
        if let Some(o) = digest::param(&p, "opaque") {
            a.push_str(&format!(", opaque=\"{o}\""));
        }
        Some(a)
    }
}

/// The TLS configuration of `tls`: the CA file's certificates as the only roots when given
/// (read through the bounded reader; a file with none is an error), else Mozilla's.
fn tls_config(tls: &TlsOptions) -> Result<ureq::tls::TlsConfig, String> {
    let mut b = ureq::tls::TlsConfig::builder().disable_verification(tls.insecure);
    if let Some(path) = &tls.ca_file {
        let shown = format!("--ca-file {}", path.display());
        let pem = crate::bounded::read_path(path, crate::bounded::CONFIG_FILE)
            .map_err(|e| format!("{shown}: {e}"))?;
        let mut certs = Vec::new();
        for item in ureq::tls::parse_pem(&pem) {
            match item {
                Ok(ureq::tls::PemItem::Certificate(c)) => certs.push(c),
                Ok(_) => {}
                Err(e) => return Err(format!("{shown}: not PEM: {e}")),
            }
        }
        if certs.is_empty() {
            return Err(format!("{shown}: no PEM certificate in it"));
        }
        b = b.root_certs(ureq::tls::RootCerts::Specific(Arc::new(certs)));
    }
    Ok(b.build())
}

/// `content-type` → `Content-Type`: how the raw text spells header names.
fn canonical(name: &str) -> String {
    name.split('-')
        .map(|w| {
            let mut c = w.chars();
            match c.next() {
                Some(f) => f.to_ascii_uppercase().to_string() + c.as_str(),
                None => String::new(),
            }
        })
        .collect::<Vec<_>>()
        .join("-")
}

impl Answer {
    /// The first value of header `name` (any case).
    pub fn header<'a>(&'a self, name: &'a str) -> Option<&'a str> {
        self.all(name).next()
    }

    /// Every value of header `name` (any case), in order: a server may offer one Digest
    /// challenge per algorithm, the one it prefers first (RFC 7616 3.7).
    pub fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.headers
            .iter()
            .filter(move |(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

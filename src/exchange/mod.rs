//! HTTP exchanges between a terminal and a BSM / BM-SC: each request with its response, read
//! from raw HTTP/1.1 text, a `curl -v` transcript or a HAR 1.2 archive; a file holding several
//! (a Digest challenge and its answer, a redirect, a re-used connection) gives each its own. Each message keeps where it came from in
//! the capture, so findings can point into it.

pub mod curl;
pub mod har;
pub mod http;
pub mod stream;

/// Where a message (or its body) sits in the capture.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    /// Human-readable and stable: `entries[3].response` for a HAR, `response` for raw text.
    pub path: String,
    /// Line of the message's first line in the input file, when the input is text.
    pub line: u32,
}

/// A HAR archive (JSON object) or raw HTTP text starting with a request line.
pub fn looks_like_http_exchange(bytes: &[u8]) -> bool {
    if curl::looks_like_curl(bytes) {
        return true;
    }
    if bytes.trim_ascii_start().starts_with(b"<") {
        return false; // markup (XML): neither a HAR archive nor a request line
    }
    let text = String::from_utf8_lossy(&bytes[..bytes.len().min(512)]);
    let t = text.trim_start();
    if t.starts_with('{') {
        return t.contains("\"log\"");
    }
    let first = t.lines().next().unwrap_or("");
    let mut words = first.split(' ');
    let method = words.next().unwrap_or("");
    !method.is_empty()
        && method.bytes().all(|b| b.is_ascii_uppercase())
        && (first.ends_with("HTTP/1.1") || first.ends_with("HTTP/1.0"))
}

/// The first line of an HTTP message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StartLine {
    Request { method: String, target: String },
    Response { status: u16, reason: String },
}

/// One HTTP message, its body decoded (chunked transfer coding removed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub start: StartLine,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    pub place: Place,
    /// Line in the input file where the body starts (raw text inputs), else 0.
    pub body_line: u32,
    /// What the capture does not show of the message (a `curl -v` request body, a HAR entry
    /// without content text): a rule that reads it cannot judge the exchange.
    pub unseen: Unseen,
}

/// The parts of a message a capture does not show, each with the reason; `None`: shown.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Unseen {
    pub headers: Option<String>,
    pub body: Option<String>,
}

impl Message {
    /// The first value of a header, by case-insensitive name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| crate::value::header_name::same_http_name(n, name))
            .map(|(_, v)| v.as_str())
    }

    /// The media type of the body, lower-cased, without parameters
    /// ([`crate::value::media_type_essence`]).
    pub fn media_type(&self) -> Option<String> {
        self.header("content-type")
            .map(crate::value::media_type_essence)
    }

    /// Whether the head alone shows the body to be empty: `Content-Length: 0`, a request
    /// with neither Content-Length nor Transfer-Encoding, or a 1xx, 204 or 304 response
    /// (RFC 9112 6.3). A capture that omits bodies still shows these.
    pub fn head_says_no_body(&self) -> bool {
        let length = self
            .header("content-length")
            .map(|v| v.trim().parse::<u64>().ok());
        match (&self.start, length) {
            (_, Some(Some(0))) => true,
            (StartLine::Response { status, .. }, _) => {
                (100..200).contains(status) || *status == 204 || *status == 304
            }
            (StartLine::Request { .. }, None) => self.header("transfer-encoding").is_none(),
            (StartLine::Request { .. }, Some(_)) => false,
        }
    }

    /// Why the capture holds nothing of this message (the other half of an exchange read
    /// alone from a packet capture), or None when it holds it.
    pub fn absent(&self) -> Option<&str> {
        let empty = match &self.start {
            StartLine::Request { method, .. } => method.is_empty(),
            StartLine::Response { status, .. } => *status == 0,
        };
        match (&self.unseen.headers, &self.unseen.body) {
            (Some(why), Some(_)) if empty => Some(why),
            _ => None,
        }
    }

    pub fn status(&self) -> Option<u16> {
        match &self.start {
            StartLine::Response { status, .. } => Some(*status),
            StartLine::Request { .. } => None,
        }
    }

    /// The parts of the body: itself, or the parts of a multipart body, each with its own
    /// media type.
    pub fn parts(&self) -> Vec<BodyPart> {
        let Some(ct) = self.header("content-type") else {
            return vec![BodyPart {
                media_type: None,
                body: self.body.clone(),
                label: "body".into(),
            }];
        };
        if !crate::value::media_type_essence(ct).starts_with("multipart/") {
            return vec![BodyPart {
                media_type: self.media_type(),
                body: self.body.clone(),
                label: "body".into(),
            }];
        }
        // mailparse reads a MIME entity: give it the Content-Type header and the body.
        let mut entity = format!("Content-Type: {ct}\r\n\r\n").into_bytes();
        entity.extend_from_slice(&self.body);
        match mailparse::parse_mail(&entity) {
            Ok(mail) => mail
                .subparts
                .iter()
                .enumerate()
                .map(|(i, p)| BodyPart {
                    media_type: Some(crate::value::media_type_essence(&p.ctype.mimetype)),
                    body: p.get_body_raw().unwrap_or_default(),
                    label: format!("body part {}", i + 1),
                })
                .collect(),
            Err(_) => vec![BodyPart {
                media_type: self.media_type(),
                body: self.body.clone(),
                label: "body".into(),
            }],
        }
    }
}

/// A body, or one part of a multipart body.
#[derive(Debug, Clone)]
pub struct BodyPart {
    pub media_type: Option<String>,
    pub body: Vec<u8>,
    pub label: String,
}

/// A request and its response.
#[derive(Debug, Clone)]
pub struct Exchange {
    pub request: Message,
    pub response: Message,
    /// `entries[3]` in a HAR; empty for a single raw exchange.
    pub label: String,
    /// When the request started (HAR `startedDateTime`), if known.
    pub started: Option<String>,
}

/// Why a capture could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CaptureError {
    #[error("line {line}: {reason}")]
    Http { line: u32, reason: String },
    #[error("{path}: {reason}")]
    Har { path: String, reason: String },
}

/// Reads a capture: a HAR archive (JSON), a `curl -v` transcript, or raw HTTP/1.1
/// request-and-response text; each holds one exchange or several, in their order.
pub fn read(bytes: &[u8]) -> Result<Vec<Exchange>, CaptureError> {
    let first = bytes.iter().find(|b| !b.is_ascii_whitespace());
    if first == Some(&b'{') {
        har::read(bytes)
    } else if curl::looks_like_curl(bytes) {
        curl::read(bytes)
    } else {
        http::read_exchanges(bytes)
    }
}

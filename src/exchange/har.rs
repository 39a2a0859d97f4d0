//! HAR 1.2 (the HTTP Archive format written by browsers, mitmproxy, Charles, Fiddler): every
//! entry becomes an exchange; bodies come from `postData.text` and `content.text` (base64
//! when `encoding` says so).

use super::{CaptureError, Exchange, Message, Place, StartLine};
use base64::Engine;
use serde::Deserialize;

#[derive(Deserialize)]
struct Har {
    log: Log,
}

#[derive(Deserialize)]
struct Log {
    entries: Vec<Entry>,
}

#[derive(Deserialize)]
struct Entry {
    #[serde(rename = "startedDateTime", default)]
    started: Option<String>,
    request: Request,
    response: Response,
}

#[derive(Deserialize)]
struct Header {
    name: String,
    value: String,
}

#[derive(Deserialize)]
struct Request {
    method: String,
    url: String,
    #[serde(default)]
    headers: Vec<Header>,
    #[serde(rename = "postData")]
    post_data: Option<PostData>,
}

#[derive(Deserialize)]
struct PostData {
    #[serde(rename = "mimeType", default)]
    mime_type: String,
    #[serde(default)]
    text: Option<String>,
}

#[derive(Deserialize)]
struct Response {
    status: u16,
    #[serde(rename = "statusText", default)]
    status_text: String,
    #[serde(default)]
    headers: Vec<Header>,
    content: Content,
}

#[derive(Deserialize)]
struct Content {
    #[serde(rename = "mimeType", default)]
    mime_type: String,
    #[serde(default)]
    text: Option<String>,
    #[serde(default)]
    encoding: Option<String>,
}

/// The request-target of a URL: its path and query.
fn target(url: &str) -> String {
    let after_scheme = url.split_once("://").map_or(url, |(_, r)| r);
    match after_scheme.find('/') {
        Some(i) => after_scheme[i..].to_string(),
        None => "/".to_string(),
    }
}

fn headers(list: Vec<Header>, mime: &str) -> Vec<(String, String)> {
    let mut h: Vec<(String, String)> = list.into_iter().map(|h| (h.name, h.value)).collect();
    // Some tools leave Content-Type out of the header list and give only mimeType.
    if !mime.is_empty()
        && !h
            .iter()
            .any(|(n, _)| n.eq_ignore_ascii_case("content-type"))
    {
        h.push(("Content-Type".into(), mime.to_string()));
    }
    h
}

pub fn read(bytes: &[u8]) -> Result<Vec<Exchange>, CaptureError> {
    let har: Har = serde_json::from_slice(bytes).map_err(|e| CaptureError::Har {
        path: format!("line {}, column {}", e.line(), e.column()),
        reason: format!("not a HAR 1.2 archive: {e}"),
    })?;
    let mut out = Vec::new();
    for (i, e) in har.log.entries.into_iter().enumerate() {
        let label = format!("entries[{i}]");
        let req_mime = e
            .request
            .post_data
            .as_ref()
            .map(|p| p.mime_type.clone())
            .unwrap_or_default();
        let req_body = e
            .request
            .post_data
            .and_then(|p| p.text)
            .unwrap_or_default()
            .into_bytes();
        let resp_body = match (
            e.response.content.text,
            e.response.content.encoding.as_deref(),
        ) {
            (Some(t), Some("base64")) => base64::engine::general_purpose::STANDARD
                .decode(t.trim())
                .map_err(|err| CaptureError::Har {
                    path: format!("$.log.{label}.response.content.text"),
                    reason: format!("encoding is base64 but the text is not: {err}"),
                })?,
            (Some(t), _) => t.into_bytes(),
            (None, _) => Vec::new(),
        };
        out.push(Exchange {
            request: Message {
                start: StartLine::Request {
                    method: e.request.method,
                    target: target(&e.request.url),
                },
                headers: headers(e.request.headers, &req_mime),
                body: req_body,
                place: Place {
                    path: format!("$.log.{label}.request"),
                    line: 0,
                },
                body_line: 0,
            },
            response: Message {
                start: StartLine::Response {
                    status: e.response.status,
                    reason: e.response.status_text,
                },
                headers: headers(e.response.headers, &e.response.content.mime_type),
                body: resp_body,
                place: Place {
                    path: format!("$.log.{label}.response"),
                    line: 0,
                },
                body_line: 0,
            },
            label,
            started: e.started,
        });
    }
    Ok(out)
}

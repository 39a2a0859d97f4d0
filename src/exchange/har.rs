//! HAR 1.2 (the HTTP Archive format written by browsers, mitmproxy, Charles, Fiddler): every
//! entry becomes an exchange; bodies come from `postData.text` and `content.text` (base64
//! when `encoding` says so).

use super::{CaptureError, Exchange, Message, Place, StartLine, Unseen};
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
    /// Octets of the body sent, -1 when unknown (HAR 1.2 4.2.2).
    #[serde(rename = "bodySize", default)]
    body_size: Option<i64>,
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
    /// Octets of the returned content, 0 when there is none (HAR 1.2 4.2.8).
    #[serde(default)]
    size: Option<i64>,
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
            .any(|(n, _)| crate::value::header_name::same_http_name(n, "content-type"))
    {
        h.push(("Content-Type".into(), mime.to_string()));
    }
    h
}

/// Whether a HAR request without postData text is known to have had no body: its bodySize or
/// Content-Length is 0, or it is a GET or HEAD that does not say it sent any. A HAR of HTTP/2
/// need not list Content-Length, so a POST without either is not taken as bodiless.
fn request_has_no_body(request: &Message, body_size: Option<i64>) -> bool {
    let length = request
        .header("content-length")
        .and_then(|v| v.trim().parse::<u64>().ok());
    let bodiless_method = matches!(&request.start, StartLine::Request { method, .. }
        if method.eq_ignore_ascii_case("GET") || method.eq_ignore_ascii_case("HEAD"));
    body_size == Some(0)
        || length == Some(0)
        || (bodiless_method && body_size.is_none_or(|n| n <= 0) && length.is_none())
}

/// A message's Content-Length against the body the entry holds: a raw HTTP exchange is
/// framed by it (`http.rs`), and one whose length disagrees with its body cannot be read
/// there, so neither is the same exchange here ("could not check", the same reason), rather
/// than judged on a body its own head contradicts. Not compared where the entry's body is
/// not the octets sent: a content coding (the HAR holds the decoded text, HAR 1.2 4.2.8) or
/// a transfer coding.
fn framing_agrees(m: &Message) -> Result<(), CaptureError> {
    let coded = |name: &str| {
        m.header(name)
            .is_some_and(|v| !v.trim().eq_ignore_ascii_case("identity"))
    };
    let Some(length) = m.header("content-length") else {
        return Ok(());
    };
    if coded("content-encoding") || coded("transfer-encoding") {
        return Ok(());
    }
    let refused = |reason: String| CaptureError::Har {
        path: format!("{}.headers", m.place.path),
        reason,
    };
    let n: u64 = length
        .trim()
        .parse()
        .map_err(|_| refused(format!("Content-Length '{length}' is not a number")))?;
    if n != m.body.len() as u64 {
        return Err(refused(format!(
            "Content-Length {n} but the body has {} octets",
            m.body.len()
        )));
    }
    Ok(())
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
        let req_text = e.request.post_data.and_then(|p| p.text);
        let resp_size = e.response.content.size;
        let resp_text = e.response.content.text.clone();
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
        let mut request = Message {
            start: StartLine::Request {
                method: e.request.method,
                target: target(&e.request.url),
            },
            unseen: Unseen {
                headers: e
                    .request
                    .headers
                    .is_empty()
                    .then(|| "the HAR entry records no request headers".to_string()),
                body: None,
            },
            headers: headers(e.request.headers, &req_mime),
            body: req_text.clone().unwrap_or_default().into_bytes(),
            place: Place {
                path: format!("$.log.{label}.request"),
                line: 0,
            },
            body_line: 0,
        };
        if req_text.is_none() && !request_has_no_body(&request, e.request.body_size) {
            request.unseen.body = Some("the HAR entry has no request postData text".into());
        }
        let mut response = Message {
            start: StartLine::Response {
                status: e.response.status,
                reason: e.response.status_text,
            },
            unseen: Unseen {
                headers: e
                    .response
                    .headers
                    .is_empty()
                    .then(|| "the HAR entry records no response headers".to_string()),
                body: None,
            },
            headers: headers(e.response.headers, &e.response.content.mime_type),
            body: resp_body,
            place: Place {
                path: format!("$.log.{label}.response"),
                line: 0,
            },
            body_line: 0,
        };
        if resp_text.is_none() && !(resp_size == Some(0) || response.head_says_no_body()) {
            response.unseen.body = Some("the HAR entry has no response content text".into());
        }
        if req_text.is_some() {
            framing_agrees(&request)?;
        }
        let head_request = matches!(&request.start, StartLine::Request { method, .. }
            if method.eq_ignore_ascii_case("HEAD"));
        let bodiless = matches!(response.start, StartLine::Response { status, .. }
            if (100..200).contains(&status) || status == 204 || status == 304);
        if resp_text.is_some() && !head_request && !bodiless {
            framing_agrees(&response)?;
        }
        out.push(Exchange {
            request,
            response,
            label,
            started: e.started,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(request: &str, response: &str) -> Vec<Exchange> {
        let har =
            format!(r#"{{"log":{{"entries":[{{"request":{request},"response":{response}}}]}}}}"#);
        read(har.as_bytes()).unwrap()
    }

    /// A body the entry does not hold is unseen unless its sizes or head show it empty.
    #[test]
    fn a_body_without_text_is_unseen_unless_known_empty() {
        let get = r#"{"method":"GET","url":"http://h/a","headers":[{"name":"Host","value":"h"}]}"#;
        let post = r#"{"method":"POST","url":"http://h/a","headers":[{"name":"Host","value":"h"}],"bodySize":-1}"#;
        let empty =
            r#"{"status":204,"headers":[{"name":"Server","value":"s"}],"content":{"mimeType":""}}"#;
        let untold = r#"{"status":200,"headers":[],"content":{"size":708,"mimeType":"text/xml"}}"#;
        let e = &entry(get, empty)[0];
        assert_eq!(e.request.unseen, Unseen::default());
        assert_eq!(e.response.unseen, Unseen::default());
        let e = &entry(post, untold)[0];
        assert!(e.request.unseen.body.is_some());
        assert!(e.request.unseen.headers.is_none());
        assert!(e.response.unseen.body.is_some());
        assert!(e.response.unseen.headers.is_some());
    }
}

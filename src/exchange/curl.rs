//! `curl -v` transcripts (stderr and stdout together): `> ` lines are the request head, `< `
//! lines the response head, and the response body is what remains after curl's own lines
//! (`* `, `{ [`, `} [`, the progress meter). curl does not print the request body, so the
//! request is judged without one.

use super::{CaptureError, Exchange, Message, Place, StartLine};

/// Whether the text is a curl -v transcript: it has both `> ` and `< ` head lines.
pub fn looks_like_curl(bytes: &[u8]) -> bool {
    // Read as octets: the markers are ASCII, and every input passes through here, so no
    // text conversion of the head.
    let lines = || {
        bytes[..bytes.len().min(8192)]
            .split(|&b| b == b'\n')
            .map(|l| &l[l.iter().position(|&b| b != b'\r').unwrap_or(l.len())..])
    };
    lines().any(|l| l.starts_with(b"> ")) && lines().any(|l| l.starts_with(b"< HTTP/"))
}

/// curl's own output: connection notes, data markers, the progress meter.
fn is_curl_noise(line: &str) -> bool {
    line.starts_with("* ")
        || line.starts_with("*   ")
        || line.starts_with("{ [")
        || line.starts_with("} [")
        || line.starts_with("Note: ")
        || line.contains("--:--:--")
        || line.trim_start().starts_with("% Total")
        || line.trim_start().starts_with("Dload")
}

/// A message head: its start line, its header fields, and the line it starts on.
type Head = (StartLine, Vec<(String, String)>, u32);

fn head(lines: &[(u32, String)], place: &str) -> Result<Head, CaptureError> {
    let Some((first_no, first)) = lines.first() else {
        return Err(CaptureError::Http {
            line: 1,
            reason: format!("no {place} lines in the curl transcript"),
        });
    };
    let start = if place == "request" {
        let mut parts = first.splitn(3, ' ');
        StartLine::Request {
            method: parts.next().unwrap_or("").to_string(),
            target: parts.next().unwrap_or("").to_string(),
        }
    } else {
        let mut parts = first.splitn(3, ' ');
        let _version = parts.next();
        let status =
            parts
                .next()
                .and_then(|c| c.parse().ok())
                .ok_or_else(|| CaptureError::Http {
                    line: *first_no,
                    reason: format!("'{first}' is not a status line"),
                })?;
        StartLine::Response {
            status,
            reason: parts.next().unwrap_or("").to_string(),
        }
    };
    let headers = lines[1..]
        .iter()
        .filter_map(|(_, l)| {
            l.split_once(':')
                .map(|(n, v)| (n.trim().to_string(), v.trim().to_string()))
        })
        .collect();
    Ok((start, headers, *first_no))
}

pub fn read(bytes: &[u8]) -> Result<Exchange, CaptureError> {
    let text = String::from_utf8_lossy(bytes);
    let mut request = Vec::new();
    let mut response = Vec::new();
    let mut body = Vec::new();
    let mut body_line = 0;
    let mut after_response_head = false;
    for (i, raw) in text.split('\n').enumerate() {
        let no = i as u32 + 1;
        let line = raw.trim_end_matches('\r').trim_start_matches('\r');
        if let Some(l) = line.strip_prefix("> ") {
            if !l.is_empty() {
                request.push((no, l.to_string()));
            }
        } else if let Some(l) = line.strip_prefix("< ") {
            if !l.is_empty() {
                response.push((no, l.to_string()));
            }
            after_response_head = true;
        } else if line == ">" || line == "<" || is_curl_noise(line) {
        } else if after_response_head {
            if body.is_empty() {
                body_line = no;
            }
            body.push(line.to_string());
        }
    }
    let (rs, rh, rl) = head(&request, "request")?;
    let (ps, ph, pl) = head(&response, "response")?;
    let body = body.join("\n").trim_end().to_string().into_bytes();
    Ok(Exchange {
        request: Message {
            start: rs,
            headers: rh,
            body: Vec::new(),
            place: Place {
                path: "request".into(),
                line: rl,
            },
            body_line: 0,
        },
        response: Message {
            start: ps,
            headers: ph,
            body,
            place: Place {
                path: "response".into(),
                line: pl,
            },
            body_line,
        },
        label: String::new(),
        started: None,
    })
}

//! `curl -v` transcripts (stderr and stdout together): `> ` lines are a request head, `< `
//! lines a response head, and a response body is what follows its head, up to the next
//! request head, once curl's own lines (`* `, `{ [`, `} [`, the progress meter) are set aside.
//! A transcript holds as many exchanges as curl sent requests: a `--digest` challenge and its
//! answer, each hop of `-L`, each URL over a re-used connection. curl does not print request
//! bodies, so requests are judged without one (the first `--digest` request really has none:
//! curl sends it with `Content-Length: 0`). curl prints no body of a response it follows or
//! answers with credentials, so the body text after several heads is the last one's.

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

/// The lines of one exchange as the transcript shows them.
#[derive(Default)]
struct Lines {
    request: Vec<(u32, String)>,
    response: Vec<(u32, String)>,
    body: Vec<String>,
    body_line: u32,
}

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

/// Splits the transcript into the lines of each exchange: a `> ` line after a response head
/// starts the next exchange.
fn split(text: &str) -> Vec<Lines> {
    let mut all: Vec<Lines> = vec![Lines::default()];
    for (i, raw) in text.split('\n').enumerate() {
        let no = i as u32 + 1;
        let line = raw.trim_end_matches('\r').trim_start_matches('\r');
        if let Some(l) = line.strip_prefix("> ") {
            if all.last().is_some_and(|c| !c.response.is_empty()) {
                all.push(Lines::default());
            }
            if let (Some(cur), false) = (all.last_mut(), l.is_empty()) {
                cur.request.push((no, l.to_string()));
            }
        } else if line == ">" || line == "<" || is_curl_noise(line) {
        } else if let Some(cur) = all.last_mut() {
            if let Some(l) = line.strip_prefix("< ") {
                // An interim response (100 Continue to `Expect: 100-continue`) is not the
                // answer: the final status line that follows replaces its head.
                if l.starts_with("HTTP/") && cur.response.first().is_some_and(|(_, f)| interim(f)) {
                    cur.response.clear();
                }
                if !l.is_empty() {
                    cur.response.push((no, l.to_string()));
                }
            } else if !cur.response.is_empty() {
                if cur.body.is_empty() {
                    cur.body_line = no;
                }
                cur.body.push(line.to_string());
            }
        }
    }
    all
}

/// Whether a status line is a 1xx interim response (RFC 9110 15.2).
fn interim(status_line: &str) -> bool {
    status_line
        .split(' ')
        .nth(1)
        .is_some_and(|code| code.len() == 3 && code.starts_with('1'))
}

/// Why a request's body is not judged: curl -v prints the request head, not what it uploads.
pub const REQUEST_BODY_UNSEEN: &str = "curl -v does not show the request body";

/// Why a response's body is not judged when the transcript has no text for it: curl prints
/// none for a response it follows or answers with credentials, nor one written with `-o`.
pub const RESPONSE_BODY_UNSEEN: &str =
    "the curl -v transcript does not show this response's body (curl prints none for a response it follows or answers with credentials, or writes with -o)";

/// Reads every exchange of the transcript, in the order curl made them.
pub fn read(bytes: &[u8]) -> Result<Vec<Exchange>, CaptureError> {
    let text = String::from_utf8_lossy(bytes);
    let all = split(&text);
    let several = all.len() > 1;
    let mut out = Vec::with_capacity(all.len());
    for (i, lines) in all.into_iter().enumerate() {
        let (rs, rh, rl) = head(&lines.request, "request")?;
        if lines.response.is_empty() {
            return Err(CaptureError::Http {
                line: rl,
                reason: "this request has no response after it in the curl transcript".into(),
            });
        }
        let (ps, ph, pl) = head(&lines.response, "response")?;
        let body = lines.body.join("\n").trim_end().to_string().into_bytes();
        let (label, prefix) = if several {
            (format!("exchanges[{i}]"), format!("exchanges[{i}]."))
        } else {
            (String::new(), String::new())
        };
        let mut request = Message {
            start: rs,
            headers: rh,
            body: Vec::new(),
            place: Place {
                path: format!("{prefix}request"),
                line: rl,
            },
            body_line: 0,
            unseen: Default::default(),
        };
        if !request.head_says_no_body() {
            request.unseen.body = Some(REQUEST_BODY_UNSEEN.into());
        }
        let mut response = Message {
            start: ps,
            headers: ph,
            body,
            place: Place {
                path: format!("{prefix}response"),
                line: pl,
            },
            body_line: lines.body_line,
            unseen: Default::default(),
        };
        if response.body.is_empty() && !response.head_says_no_body() {
            response.unseen.body = Some(RESPONSE_BODY_UNSEEN.into());
        }
        out.push(Exchange {
            request,
            response,
            label,
            started: None,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two URLs over one re-used connection, printed to a terminal: each body follows its
    /// own response head and belongs to that exchange.
    #[test]
    fn each_body_belongs_to_the_response_before_it() {
        let t = "* Connected to h (127.0.0.1) port 80 (#0)\n\
                 > GET /a HTTP/1.1\n> Host: h\n> \n\
                 < HTTP/1.1 200 OK\n< Content-Length: 3\n< \n\
                 { [3 bytes data]\naaa\n\
                 * Re-using existing connection #0 with host h\n\
                 > GET /b HTTP/1.1\n> Host: h\n> \n\
                 < HTTP/1.1 404 Not Found\n< Content-Length: 3\n< \n\
                 bbb\n";
        let all = read(t.as_bytes()).unwrap();
        assert_eq!(all.len(), 2);
        assert_eq!(all[0].response.body, b"aaa");
        assert_eq!(all[0].response.body_line, 9);
        assert_eq!(all[1].response.body, b"bbb");
        assert_eq!(all[1].response.status(), Some(404));
        assert_eq!(all[1].request.place.path, "exchanges[1].request");
        assert_eq!(all[1].request.place.line, 11);
        assert_eq!(all[1].label, "exchanges[1]");
    }

    /// curl 7.88.1 with `-H 'Expect: 100-continue'` against tests/bsm/bsm.py:
    /// the 100 Continue is interim, the 401 after it is the response.
    #[test]
    fn an_interim_100_continue_is_not_the_response() {
        let t = "> POST /keymanagement?requesttype=register HTTP/1.1\n\
                 > Expect: 100-continue\n> Content-Length: 1779\n> \n\
                 < HTTP/1.1 100 Continue\n} [1779 bytes data]\n\
                 * We are completely uploaded and fine\n\
                 < HTTP/1.1 401 Unauthorized\n< Content-Length: 0\n< \n";
        let all = read(t.as_bytes()).unwrap();
        assert_eq!(all.len(), 1);
        assert_eq!(all[0].response.status(), Some(401));
        assert_eq!(all[0].response.place.line, 8);
        assert_eq!(all[0].response.header("content-length"), Some("0"));
    }

    #[test]
    fn one_exchange_keeps_its_plain_places() {
        let t = "> POST / HTTP/1.1\n> \n< HTTP/1.1 200 OK\n< \nx\n";
        let all = read(t.as_bytes()).unwrap();
        assert_eq!(all.len(), 1);
        assert_eq!(all[0].response.place.path, "response");
        assert!(all[0].label.is_empty());
    }

    #[test]
    fn a_request_left_unanswered_is_an_error_not_a_guess() {
        let t = "> GET /a HTTP/1.1\n> \n< HTTP/1.1 200 OK\n< \n> GET /b HTTP/1.1\n> \n";
        assert!(matches!(
            read(t.as_bytes()),
            Err(CaptureError::Http { line: 5, .. })
        ));
    }

    /// What curl prints decides what is unseen: the body of a request that sends one, the
    /// body of a response that has one but no text; never what the head shows is empty.
    #[test]
    fn only_bodies_curl_did_not_print_are_unseen() {
        let t = "> POST /a HTTP/1.1\n> Content-Length: 0\n> \n\
                 < HTTP/1.1 401 Unauthorized\n< Content-Length: 0\n< \n\
                 > POST /a HTTP/1.1\n> Content-Length: 5\n> \n} [5 bytes data]\n\
                 < HTTP/1.1 503 Service Unavailable\n< Content-Length: 9\n< \n{ [9 bytes data]\n";
        let all = read(t.as_bytes()).unwrap();
        assert_eq!(all[0].request.unseen.body, None);
        assert_eq!(all[0].response.unseen.body, None);
        assert_eq!(
            all[1].request.unseen.body.as_deref(),
            Some(REQUEST_BODY_UNSEEN)
        );
        assert_eq!(
            all[1].response.unseen.body.as_deref(),
            Some(RESPONSE_BODY_UNSEEN)
        );
    }
}

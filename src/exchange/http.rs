//! Raw HTTP/1.1 text: a request followed by its response, as a proxy or `curl
//! --trace-ascii`-style dump writes them. Heads are parsed with httparse; bodies are framed by
//! Content-Length or the chunked transfer coding.

use super::{CaptureError, Exchange, Message, Place, StartLine};

const MAX_HEADERS: usize = 64;

thread_local! {
    /// The newlines of the input being read, keyed by its address and length, emptied by each
    /// [`read_exchanges`] (so another input at the same address is never read through it).
    static NEWLINES: std::cell::RefCell<((usize, usize), Vec<usize>)> =
        const { std::cell::RefCell::new(((0, 0), Vec::new())) };
}

/// The line of `offset` in `input`. The newlines are found once per input: counting from the
/// start for every message made a file of many exchanges quadratic (2 000 exchanges: 22 s).
fn line_at(input: &[u8], offset: usize) -> u32 {
    NEWLINES.with(|cache| {
        let mut cache = cache.borrow_mut();
        let key = (input.as_ptr() as usize, input.len());
        if cache.0 != key {
            let newlines = input.iter().enumerate().filter(|(_, b)| **b == b'\n');
            *cache = (key, newlines.map(|(i, _)| i).collect());
        }
        let before = cache.1.partition_point(|&i| i < offset.min(input.len()));
        u32::try_from(before).unwrap_or(u32::MAX).saturating_add(1)
    })
}

fn err(input: &[u8], offset: usize, reason: impl Into<String>) -> CaptureError {
    CaptureError::Http {
        line: line_at(input, offset),
        reason: reason.into(),
    }
}

/// The offset of the first non-blank octet at or after `from`.
fn skip_blank(input: &[u8], from: usize) -> usize {
    from + input[from..]
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(input.len() - from)
}

/// Reads each request with the response that follows it, to the end of the input: one
/// exchange, or several made over one connection (a Digest challenge and its answer, a
/// redirect followed, requests re-using the connection).
pub fn read_exchanges(input: &[u8]) -> Result<Vec<Exchange>, CaptureError> {
    NEWLINES.with(|cache| *cache.borrow_mut() = ((0, 0), Vec::new()));
    let mut out = Vec::new();
    let mut at = skip_blank(input, 0);
    loop {
        let (request, used) = read_message(input, at, true, false)?;
        // The response to HEAD has no body, whatever its head says (RFC 9110 9.3.2).
        let head = matches!(&request.start, StartLine::Request { method, .. } if method == "HEAD");
        let rest = skip_blank(input, at + used);
        if rest >= input.len() {
            return Err(err(input, rest, "the request has no response after it"));
        }
        let (mut response, mut used) = read_message(input, rest, false, head)?;
        let mut rest = rest;
        // An interim response (100 Continue) is followed by the final one (RFC 9110 15.2).
        while response.status().is_some_and(|c| (100..200).contains(&c)) {
            let next = skip_blank(input, rest + used);
            if next >= input.len() {
                return Err(err(
                    input,
                    next,
                    "an interim response with no final one after it",
                ));
            }
            (response, used) = read_message(input, next, false, head)?;
            rest = next;
        }
        out.push(Exchange {
            request,
            response,
            label: String::new(),
            started: None,
        });
        at = skip_blank(input, rest + used);
        if at >= input.len() {
            break;
        }
    }
    if out.len() > 1 {
        for (i, ex) in out.iter_mut().enumerate() {
            ex.label = format!("exchanges[{i}]");
            ex.request.place.path = format!("exchanges[{i}].request");
            ex.response.place.path = format!("exchanges[{i}].response");
        }
    }
    Ok(out)
}

/// Reads one message, a request or a response (`head_request`: the response to a HEAD
/// request), alone: half of an exchange whose other half a capture does not hold.
pub(crate) fn read_one(
    input: &[u8],
    is_request: bool,
    head_request: bool,
) -> Result<Message, CaptureError> {
    NEWLINES.with(|cache| *cache.borrow_mut() = ((0, 0), Vec::new()));
    read_message(input, skip_blank(input, 0), is_request, head_request).map(|(m, _)| m)
}

/// How a message at the start of a stream ends (RFC 9112 6.3), for a reader that gets it in
/// pieces: its length once whole, or what it still waits for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Framing {
    /// The message (blank lines before it included) is this many octets.
    Whole(usize),
    /// More octets are needed (the head, or more of a chunked body).
    Partial,
    /// The message is this many octets, not all there yet (Content-Length).
    Short(usize),
    /// A response without Content-Length or chunked coding: it ends when the connection
    /// closes; its head is this many octets.
    UntilClose,
    /// Not an HTTP/1.1 message.
    Bad(String),
}

/// The framing of the message at the start of `data`: a request, or a response
/// (`head_request`: to a HEAD request). The same reading as [`read_exchanges`] makes.
pub fn framing(data: &[u8], is_request: bool, head_request: bool) -> Framing {
    let lead = data
        .iter()
        .take_while(|b| matches!(b, b'\r' | b'\n'))
        .count();
    let rest = &data[lead..];
    let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
    let (parsed, status) = if is_request {
        let mut req = httparse::Request::new(&mut headers);
        let p = req.parse(rest);
        (p, None)
    } else {
        let mut resp = httparse::Response::new(&mut headers);
        let p = resp.parse(rest);
        let code = resp.code;
        (p, code)
    };
    let head_len = match parsed {
        Ok(httparse::Status::Complete(n)) => n,
        Ok(httparse::Status::Partial) => return Framing::Partial,
        Err(e) => return Framing::Bad(e.to_string()),
    };
    let header = |name: &str| {
        headers
            .iter()
            .find(|h| crate::value::header_name::same_http_name(h.name, name))
            .map(|h| String::from_utf8_lossy(h.value).trim().to_string())
    };
    let start = lead + head_len;
    let bodiless = status.is_some_and(|c| (100..200).contains(&c) || c == 204 || c == 304);
    let chunked =
        header("transfer-encoding").is_some_and(|v| v.to_ascii_lowercase().contains("chunked"));
    let body = if bodiless || head_request {
        Some(0)
    } else if chunked {
        match chunked_len(&data[start..]) {
            Ok(n) => n,
            Err(e) => return Framing::Bad(e),
        }
    } else if let Some(len) = header("content-length") {
        match len.parse::<usize>() {
            Ok(n) if data.len() - start >= n => Some(n),
            Ok(n) => return Framing::Short(start.saturating_add(n)),
            Err(_) => return Framing::Bad(format!("Content-Length '{len}' is not a number")),
        }
    } else if is_request {
        Some(0)
    } else {
        return Framing::UntilClose;
    };
    match body {
        Some(n) => Framing::Whole(start + n),
        None => Framing::Partial,
    }
}

/// The octets a chunked body takes (RFC 9112 7.1), trailer included, once it is whole.
fn chunked_len(data: &[u8]) -> Result<Option<usize>, String> {
    let mut pos = 0usize;
    loop {
        let (line_len, size) = match httparse::parse_chunk_size(&data[pos..]) {
            Ok(httparse::Status::Complete((n, size))) => (n, size),
            Ok(httparse::Status::Partial) => return Ok(None),
            Err(_) => return Err("bad chunk size line".into()),
        };
        pos += line_len;
        if size == 0 {
            // Trailer fields, then the final CRLF.
            loop {
                let Some(end) = data[pos..].windows(2).position(|w| w == b"\r\n") else {
                    return Ok(None);
                };
                pos += end + 2;
                if end == 0 {
                    return Ok(Some(pos));
                }
            }
        }
        // Compared by subtraction: a chunk size near 2^64 must not wrap the sum.
        let left = (data.len() - pos) as u64;
        if size > left || left - size < 2 {
            return Ok(None);
        }
        pos += size as usize + 2;
    }
}

/// Reads one message starting at `start`; returns it and the bytes it used.
fn read_message(
    input: &[u8],
    start: usize,
    is_request: bool,
    head_request: bool,
) -> Result<(Message, usize), CaptureError> {
    let data = &input[start..];
    let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
    let (start_line, head_len, hdrs) = if is_request {
        let mut req = httparse::Request::new(&mut headers);
        let status = req
            .parse(data)
            .map_err(|e| err(input, start, format!("request head: {e}")))?;
        let httparse::Status::Complete(n) = status else {
            return Err(err(input, start, "request head ends before the blank line"));
        };
        let sl = StartLine::Request {
            method: req.method.unwrap_or("").to_string(),
            target: req.path.unwrap_or("").to_string(),
        };
        (sl, n, collect(req.headers))
    } else {
        let mut resp = httparse::Response::new(&mut headers);
        let status = resp
            .parse(data)
            .map_err(|e| err(input, start, format!("response head: {e}")))?;
        let httparse::Status::Complete(n) = status else {
            return Err(err(
                input,
                start,
                "response head ends before the blank line",
            ));
        };
        let sl = StartLine::Response {
            status: resp.code.unwrap_or(0),
            reason: resp.reason.unwrap_or("").to_string(),
        };
        (sl, n, collect(resp.headers))
    };
    let header = |name: &str| {
        hdrs.iter()
            .find(|(n, _)| crate::value::header_name::same_http_name(n, name))
            .map(|(_, v)| v.clone())
    };
    let body_start = start + head_len;
    let chunked =
        header("transfer-encoding").is_some_and(|v| v.to_ascii_lowercase().contains("chunked"));
    // 1xx, 204 and 304 responses end at their head (RFC 9112 6.3).
    let bodiless = matches!(&start_line, StartLine::Response { status, .. }
        if (100..200).contains(status) || *status == 204 || *status == 304);
    let (body, body_len) = if bodiless || head_request {
        (Vec::new(), 0)
    } else if chunked {
        dechunk(input, body_start)?
    } else if let Some(len) = header("content-length") {
        let n: usize = len.trim().parse().map_err(|_| {
            err(
                input,
                start,
                format!("Content-Length '{len}' is not a number"),
            )
        })?;
        // Compared by subtraction: a Content-Length near 2^64 must not wrap the sum.
        if n > input.len() - body_start {
            return Err(err(
                input,
                body_start,
                format!(
                    "Content-Length {n} but only {} octets follow",
                    input.len() - body_start
                ),
            ));
        }
        (input[body_start..body_start + n].to_vec(), n)
    } else if is_request {
        (Vec::new(), 0)
    } else {
        // A response without framing runs to the end of the input (RFC 9112 6.3).
        (input[body_start..].to_vec(), input.len() - body_start)
    };
    let message = Message {
        start: start_line,
        headers: hdrs,
        body,
        place: Place {
            path: if is_request {
                "request".into()
            } else {
                "response".into()
            },
            line: line_at(input, start),
        },
        body_line: line_at(input, body_start),
        // Raw text shows all of a message, or is not read (a body cut short is an error).
        unseen: Default::default(),
    };
    Ok((message, head_len + body_len))
}

fn collect(headers: &[httparse::Header]) -> Vec<(String, String)> {
    headers
        .iter()
        .map(|h| {
            (
                h.name.to_string(),
                String::from_utf8_lossy(h.value).trim().to_string(),
            )
        })
        .collect()
}

/// Removes the chunked transfer coding (RFC 9112 7.1); returns the body and the octets the
/// coding used. Chunk-size lines are parsed by httparse.
fn dechunk(input: &[u8], start: usize) -> Result<(Vec<u8>, usize), CaptureError> {
    let mut pos = start;
    let mut body = Vec::new();
    loop {
        let (line_len, size) = match httparse::parse_chunk_size(&input[pos..]) {
            Ok(httparse::Status::Complete((n, size))) => (n, size as usize),
            Ok(httparse::Status::Partial) => {
                return Err(err(input, pos, "chunk size line cut off"))
            }
            Err(_) => return Err(err(input, pos, "bad chunk size line")),
        };
        pos += line_len;
        if size == 0 {
            // Optional trailer fields, then the final CRLF.
            while !input[pos..].starts_with(b"\r\n") {
                let end = input[pos..]
                    .windows(2)
                    .position(|w| w == b"\r\n")
                    .ok_or_else(|| err(input, pos, "unterminated trailer"))?;
                pos += end + 2;
            }
            return Ok((body, pos + 2 - start));
        }
        if size > input.len() - pos || input.len() - pos - size < 2 {
            return Err(err(
                input,
                pos,
                format!("chunk of {size} octets runs past the end"),
            ));
        }
        body.extend_from_slice(&input[pos..pos + size]);
        pos += size;
        if &input[pos..pos + 2] != b"\r\n" {
            return Err(err(input, pos, "chunk data not followed by CRLF"));
        }
        pos += 2;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn several_exchanges_and_an_interim_response() {
        let t = b"POST /a HTTP/1.1\r\nContent-Length: 0\r\n\r\n\
                  HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\n\
                  POST /a HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\nab\
                  HTTP/1.1 100 Continue\r\n\r\n\
                  HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nxyz";
        let all = read_exchanges(t).unwrap();
        assert_eq!(all.len(), 2);
        assert_eq!(all[0].response.status(), Some(401));
        assert_eq!(all[1].request.body, b"ab");
        assert_eq!(all[1].response.status(), Some(200));
        assert_eq!(all[1].response.body, b"xyz");
        assert_eq!(all[1].label, "exchanges[1]");
        assert_eq!(
            (all[0].response.place.line, all[1].request.place.line),
            (4, 7)
        );
        assert_eq!(all[1].response.place.line, 13);
        let cut = b"POST /a HTTP/1.1\r\n\r\nHTTP/1.1 100 Continue\r\n\r\n";
        assert!(read_exchanges(cut).is_err());
    }

    /// The response to HEAD has no body whatever its Content-Length says (RFC 9110 9.3.2):
    /// it was read as announcing octets that never follow (an error), or as taking the next
    /// exchange's request as its body.
    #[test]
    fn a_head_response_ends_at_its_head() {
        let t = b"HEAD /a HTTP/1.1\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 40\r\n\r\n\
                  GET /b HTTP/1.1\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n";
        let all = read_exchanges(t).unwrap();
        assert_eq!(all.len(), 2);
        assert!(all[0].response.body.is_empty());
        assert_eq!(all[1].response.status(), Some(204));
    }

    #[test]
    fn framing_says_when_a_message_is_whole() {
        let req = b"POST / HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc";
        assert_eq!(framing(req, true, false), Framing::Whole(req.len()));
        assert_eq!(framing(&req[..40], true, false), Framing::Short(41));
        assert_eq!(framing(&req[..30], true, false), Framing::Partial);
        let chunked =
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\nX: y\r\n\r\n";
        assert_eq!(
            framing(chunked, false, false),
            Framing::Whole(chunked.len())
        );
        assert_eq!(
            framing(&chunked[..chunked.len() - 2], false, false),
            Framing::Partial
        );
        let close = b"HTTP/1.1 200 OK\r\n\r\nabc";
        assert_eq!(framing(close, false, false), Framing::UntilClose);
        assert_eq!(
            framing(b"\r\nHTTP/1.1 304 Not Modified\r\n\r\n", false, false),
            Framing::Whole(31)
        );
        let huge = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffffffff\r\nab";
        assert_eq!(framing(huge, false, false), Framing::Partial);
        assert!(matches!(
            framing(b"\x00\x01\r\n\r\n", true, false),
            Framing::Bad(_)
        ));
    }
}

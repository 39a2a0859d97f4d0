//! HTTP/1.1 exchanges read from the TCP connections of a packet capture, on the ports of the
//! `http` settings: each direction put in order within a bounded buffer ([`crate::tcp`]),
//! requests and responses framed as RFC 9112 6.3 says (Content-Length, chunked, to the close)
//! and paired in order (keep-alive and pipelining: the n-th final response answers the n-th
//! request), then read by the same reader as an `.http` file ([`super::http`]), so an
//! exchange from a capture is judged exactly as the same text in a file is. A request whose
//! response the capture does not hold (or a response whose request it does not) is given as
//! a lone half, the other half marked unseen. TLS (port 443, or a TLS record on an HTTP
//! port) cannot be read: it is counted and named, never skipped silently.

use super::{http, Exchange, Message, Place, StartLine, Unseen};
use crate::pcap::{endpoint, slice, RawFrame};
use crate::tcp::{Reassembler, Segment};
use etherparse::{NetSlice, TransportSlice};
use serde::Deserialize;
use std::collections::{BTreeMap, VecDeque};
use std::net::IpAddr;

/// The `http` settings: which TCP ports of a capture are read as HTTP, and its bounds.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HttpSettings {
    /// TCP ports read as HTTP/1.1 (either end of a connection).
    pub ports: Vec<u16>,
    /// Octets one connection may hold while its messages complete (both directions, out of
    /// order segments and requests awaiting their response included).
    pub max_tcp_buffer: usize,
    /// Connections read at once; one opened past it is counted and not read.
    pub max_connections: usize,
}

/// The port of HTTP over TLS (RFC 9110 4.2.2), which a capture shows encrypted.
pub const TLS_PORT: u16 = 443;

/// Which half of an exchange the capture does not hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lone {
    /// A request whose response the capture does not hold.
    NoResponse,
    /// A response whose request the capture does not hold.
    NoRequest,
}

/// One exchange read from a capture.
#[derive(Debug, Clone)]
pub struct Captured {
    /// Its label names the frame its first message began in and the connection.
    pub exchange: Exchange,
    /// `address:port` of the client and the server.
    pub client: String,
    pub server: String,
    /// The frame in which it completed (its response's last frame, or a lone half's).
    pub frame: usize,
    /// The frame in which its request completed (None: no request).
    pub request_frame: Option<usize>,
    pub lone: Option<Lone>,
}

/// A whole request awaiting its response.
struct Request {
    bytes: Vec<u8>,
    head: bool,
    first_frame: usize,
    last_frame: usize,
}

/// When the next message of one direction can be whole: it is framed once per arrival that
/// can complete it, not once per segment (a head sent an octet at a time was parsed again from
/// its start for each octet: quadratic in the buffer).
#[derive(Debug, Default)]
struct Gate {
    /// Octets the direction must hold before framing can say more.
    min_len: usize,
    /// Octets already searched for the end of the head.
    searched: usize,
}

impl Gate {
    /// Whether framing `data` now may find more than it did.
    fn open(&mut self, data: &[u8]) -> bool {
        if data.len() < self.min_len {
            return false;
        }
        // The head ends at an empty line: LF, an optional CR, LF (blank lines before the
        // message are not it).
        let lead = data
            .iter()
            .take_while(|b| matches!(b, b'\r' | b'\n'))
            .count();
        let from = self.searched.saturating_sub(2).max(lead);
        let rest = &data[from..];
        let ends = rest.windows(2).any(|w| w == b"\n\n") || rest.windows(3).any(|w| w == b"\n\r\n");
        if !ends {
            self.searched = data.len();
        }
        ends
    }

    /// Records what framing found short of a whole message.
    fn wait(&mut self, framing: &http::Framing, len: usize) {
        self.min_len = match framing {
            http::Framing::Short(n) => *n,
            _ => len.saturating_add(1),
        };
    }
}

/// One TCP connection on an HTTP port.
struct Conn {
    client: String,
    server: String,
    up: Reassembler,
    down: Reassembler,
    /// The frame where the message now being read in each direction began.
    up_from: Option<usize>,
    down_from: Option<usize>,
    up_gate: Gate,
    down_gate: Gate,
    pending: VecDeque<Request>,
    pending_bytes: usize,
    /// Interim (1xx) responses read before the final one.
    interim: Vec<u8>,
    /// Why the rest of the connection is not read.
    stopped: bool,
}

impl Conn {
    fn new(client: String, server: String) -> Conn {
        Conn {
            client,
            server,
            up: Reassembler::default(),
            down: Reassembler::default(),
            up_from: None,
            down_from: None,
            up_gate: Gate::default(),
            down_gate: Gate::default(),
            pending: VecDeque::new(),
            pending_bytes: 0,
            interim: Vec::new(),
            stopped: false,
        }
    }

    fn name(&self) -> String {
        format!("TCP {} -> {}", self.client, self.server)
    }

    fn stop(&mut self) {
        self.stopped = true;
        self.up.clear();
        self.down.clear();
        self.interim = Vec::new();
    }
}

/// Reads HTTP exchanges from frames as they are read.
pub struct Collector {
    settings: HttpSettings,
    conns: BTreeMap<(String, String), Conn>,
    ready: VecDeque<Captured>,
    notes: Vec<String>,
    read: usize,
    tls: Vec<String>,
    tls_count: usize,
    over_connections: usize,
}

/// What a capture's HTTP reading says once it is over: notes, and how much was read.
#[derive(Debug, Default)]
pub struct Summary {
    pub notes: Vec<String>,
    /// Exchanges read (lone halves included).
    pub exchanges: usize,
    /// Connections that could not be read because they are TLS, named (at most 10).
    pub tls: Vec<String>,
    pub tls_count: usize,
}

/// What holding one request awaiting its response costs besides its octets.
const REQUEST_OVERHEAD: usize = 64;

/// The most connections a note names one by one.
const NAMED: usize = 10;

impl Collector {
    pub fn new(settings: &HttpSettings) -> Collector {
        Collector {
            settings: settings.clone(),
            conns: BTreeMap::new(),
            ready: VecDeque::new(),
            notes: Vec::new(),
            read: 0,
            tls: Vec::new(),
            tls_count: 0,
            over_connections: 0,
        }
    }

    /// The exchanges completed so far, in the order they completed.
    pub fn take_ready(&mut self) -> impl Iterator<Item = Captured> + '_ {
        self.ready.drain(..)
    }

    fn is_port(&self, p: u16) -> bool {
        p == TLS_PORT || self.settings.ports.contains(&p)
    }

    /// Reads one frame.
    pub fn frame(&mut self, f: &RawFrame) {
        if f.udp_ports.is_some() {
            return; // UDP: no HTTP
        }
        let Some(p) = slice(f.linktype, f.data) else {
            return;
        };
        let (src, dst): (IpAddr, IpAddr) = match &p.net {
            Some(NetSlice::Ipv4(v4)) => (
                v4.header().source_addr().into(),
                v4.header().destination_addr().into(),
            ),
            Some(NetSlice::Ipv6(v6)) => (
                v6.header().source_addr().into(),
                v6.header().destination_addr().into(),
            ),
            _ => return,
        };
        let Some(TransportSlice::Tcp(t)) = &p.transport else {
            return;
        };
        let (sp, dp) = (t.source_port(), t.destination_port());
        if !self.is_port(sp) && !self.is_port(dp) {
            return;
        }
        let (a, b) = (endpoint(src, sp), endpoint(dst, dp));
        let seg = Segment::of(t);
        // The client: the end that opens (SYN), else the end not on an HTTP port.
        let a_is_client = if t.syn() {
            !t.ack()
        } else {
            // Both ends on HTTP ports: the sender of the first segment seen.
            !self.is_port(sp) || self.is_port(dp)
        };
        let key = if a_is_client {
            (a.clone(), b.clone())
        } else {
            (b.clone(), a.clone())
        };
        let key = match (self.conns.contains_key(&key), a_is_client) {
            (true, _) => key,
            // A segment of a connection seen the other way round (a guess made without SYN).
            (false, _) if self.conns.contains_key(&(key.1.clone(), key.0.clone())) => {
                (key.1, key.0)
            }
            _ => key,
        };
        let up = key.0 == a;
        // A new SYN from the client on a connection that carried data opens a new one.
        if t.syn() && !t.ack() && up {
            let reused = self
                .conns
                .get(&key)
                .is_some_and(|c| c.up_from.is_some() || !c.pending.is_empty());
            if reused {
                if let Some(c) = self.conns.remove(&key) {
                    self.close(c, f.frame);
                }
            }
        }
        if !self.conns.contains_key(&key) {
            if self.conns.len() >= self.settings.max_connections {
                self.over_connections += 1;
                return;
            }
            let mut c = Conn::new(key.0.clone(), key.1.clone());
            if sp == TLS_PORT || dp == TLS_PORT {
                self.tls_count += 1;
                if self.tls.len() < NAMED {
                    self.tls.push(format!("{} (frame {})", c.name(), f.frame));
                }
                c.stop();
            }
            self.conns.insert(key.clone(), c);
        }
        let Some(mut c) = self.conns.remove(&key) else {
            return;
        };
        self.segment(&mut c, up, seg, f.frame);
        // A reset ends both directions (RFC 9293 3.10.7).
        if t.rst() || c.up.closed() && c.down.closed() {
            self.close(c, f.frame);
        } else {
            self.conns.insert(key, c);
        }
    }

    /// One segment of a connection: put in order, then every message it completes read.
    fn segment(&mut self, c: &mut Conn, up: bool, seg: Segment, frame: usize) {
        let max = self.settings.max_tcp_buffer;
        let held = c.pending_bytes;
        let (stream, from) = if up {
            (&mut c.up, &mut c.up_from)
        } else {
            (&mut c.down, &mut c.down_from)
        };
        if c.stopped {
            // Only whether it closes is still read.
            let _ = stream.push(
                Segment {
                    payload: &[],
                    ..seg
                },
                0,
            );
            return;
        }
        if stream.push(seg, max.saturating_sub(held)).is_err() {
            self.notes.push(format!(
                "{} (frame {frame}): more than {max} octets of HTTP waited for a message to complete (setting http.max_tcp_buffer); the rest of the connection was not read",
                c.name()
            ));
            c.stop();
            return;
        }
        if from.is_none() && !stream.data().is_empty() {
            *from = Some(frame);
        }
        if is_tls_record(stream.data()) {
            self.tls_count += 1;
            if self.tls.len() < NAMED {
                self.tls.push(format!(
                    "{} (frame {frame}: a TLS record on an HTTP port)",
                    c.name()
                ));
            }
            c.stop();
            return;
        }
        if up {
            self.requests(c, frame);
        } else {
            self.responses(c, frame);
        }
    }

    /// Reads the whole requests the client's direction holds.
    fn requests(&mut self, c: &mut Conn, frame: usize) {
        loop {
            if !c.up_gate.open(c.up.data()) {
                return;
            }
            match http::framing(c.up.data(), true, false) {
                http::Framing::Whole(n) => {
                    c.up_gate = Gate::default();
                    let bytes = c.up.take(n);
                    let head = bytes.trim_ascii_start().starts_with(b"HEAD ");
                    // A request held costs its entry too (many tiny pipelined requests).
                    c.pending_bytes += bytes.len() + REQUEST_OVERHEAD;
                    c.pending.push_back(Request {
                        bytes,
                        head,
                        first_frame: c.up_from.unwrap_or(frame),
                        last_frame: frame,
                    });
                    c.up_from = (!c.up.data().is_empty()).then_some(frame);
                }
                http::Framing::Bad(why) => {
                    self.unreadable(c, frame, "request", &why);
                    return;
                }
                short => {
                    c.up_gate.wait(&short, c.up.data().len());
                    return;
                }
            }
        }
    }

    /// Reads the whole responses the server's direction holds, each paired with the first
    /// request still awaiting one.
    fn responses(&mut self, c: &mut Conn, frame: usize) {
        loop {
            let closed = c.down.closed();
            if !closed && !c.down_gate.open(c.down.data()) {
                return;
            }
            let head = c.pending.front().is_some_and(|r| r.head);
            let n = match http::framing(c.down.data(), false, head) {
                http::Framing::Whole(n) => n,
                http::Framing::UntilClose if closed => c.down.data().len(),
                http::Framing::Bad(why) => {
                    self.unreadable(c, frame, "response", &why);
                    return;
                }
                short => {
                    c.down_gate.wait(&short, c.down.data().len());
                    return;
                }
            };
            c.down_gate = Gate::default();
            let bytes = c.down.take(n);
            let status = status_of(&bytes);
            if status == Some(101) {
                self.notes.push(format!(
                    "{} (frame {frame}): the server switched protocols (101); the rest of the connection is not HTTP/1.1 and was not read",
                    c.name()
                ));
                c.stop();
                return;
            }
            if status.is_some_and(|s| (100..200).contains(&s)) {
                c.interim.extend_from_slice(&bytes);
                continue;
            }
            let from = c.down_from.unwrap_or(frame);
            c.down_from = (!c.down.data().is_empty()).then_some(frame);
            let request = c.pending.pop_front();
            if let Some(r) = &request {
                c.pending_bytes -= r.bytes.len() + REQUEST_OVERHEAD;
            }
            let mut response = std::mem::take(&mut c.interim);
            response.extend_from_slice(&bytes);
            self.pair(c, request, response, from, frame);
        }
    }

    fn unreadable(&mut self, c: &mut Conn, frame: usize, what: &str, why: &str) {
        self.notes.push(format!(
            "{} (frame {frame}): not an HTTP/1.1 {what} ({why}); the rest of the connection was not read",
            c.name()
        ));
        c.stop();
    }

    /// Makes an exchange of a request and its response (either may be missing), read as an
    /// `.http` file holding them is read.
    fn pair(
        &mut self,
        c: &Conn,
        request: Option<Request>,
        response: Vec<u8>,
        response_from: usize,
        frame: usize,
    ) {
        let first = request.as_ref().map_or(response_from, |r| r.first_frame);
        let label = format!("frame {first} (HTTP {} -> {})", c.client, c.server);
        let read = match &request {
            Some(r) => {
                let mut text = r.bytes.clone();
                text.extend_from_slice(&response);
                http::read_exchanges(&text).map(|mut all| {
                    all.truncate(1);
                    all.pop()
                })
            }
            None => http::read_one(&response, false, false).map(|response| {
                Some(Exchange {
                    request: absent(true, "the capture holds no request for this response"),
                    response,
                    label: String::new(),
                    started: None,
                })
            }),
        };
        match read {
            Ok(Some(mut exchange)) => {
                exchange.label = label;
                self.read += 1;
                self.ready.push_back(Captured {
                    exchange,
                    client: c.client.clone(),
                    server: c.server.clone(),
                    frame,
                    request_frame: request.as_ref().map(|r| r.last_frame),
                    lone: request.is_none().then_some(Lone::NoRequest),
                });
            }
            Ok(None) => {}
            Err(e) => self
                .notes
                .push(format!("{label}: the exchange could not be read ({e})")),
        }
    }

    /// A connection that closed (or is replaced, or the capture ended): its requests left
    /// without a response are given as lone halves, what was left unread is noted.
    fn close(&mut self, mut c: Conn, frame: usize) {
        for r in std::mem::take(&mut c.pending) {
            let label = format!(
                "frame {} (HTTP {} -> {})",
                r.first_frame, c.client, c.server
            );
            match http::read_one(&r.bytes, true, false) {
                Ok(request) => {
                    self.read += 1;
                    self.ready.push_back(Captured {
                        exchange: Exchange {
                            request,
                            response: absent(
                                false,
                                "the capture holds no response to this request",
                            ),
                            label,
                            started: None,
                        },
                        client: c.client.clone(),
                        server: c.server.clone(),
                        frame: r.last_frame,
                        request_frame: Some(r.last_frame),
                        lone: Some(Lone::NoResponse),
                    });
                }
                Err(e) => self
                    .notes
                    .push(format!("{label}: the request could not be read ({e})")),
            }
        }
        if c.stopped {
            return;
        }
        for (stream, side) in [(&c.up, "request"), (&c.down, "response")] {
            let rest = stream.data();
            if !rest.iter().all(u8::is_ascii_whitespace) {
                self.notes.push(format!(
                    "{} (by frame {frame}): the connection ends inside an HTTP {side} ({} octets), which was not judged",
                    c.name(),
                    rest.len()
                ));
            }
            if stream.gaps() > 0 {
                self.notes.push(format!(
                    "{}: {} segments after a gap (missing segments) were not read",
                    c.name(),
                    stream.gaps()
                ));
            }
        }
    }

    /// At the end of the capture: every connection still open is closed; what was read is
    /// summed up.
    pub fn finish(&mut self, last_frame: usize) -> Summary {
        for (_, c) in std::mem::take(&mut self.conns) {
            self.close(c, last_frame);
        }
        let mut notes = std::mem::take(&mut self.notes);
        if self.over_connections > 0 {
            notes.push(format!(
                "{} TCP segments on HTTP ports were not read: more than {} connections were open at once (setting http.max_connections)",
                self.over_connections, self.settings.max_connections
            ));
        }
        Summary {
            notes,
            exchanges: self.read,
            tls: std::mem::take(&mut self.tls),
            tls_count: self.tls_count,
        }
    }
}

/// A TLS record's first octets (RFC 8446 5.1: content type 20 to 23, legacy version 3.x).
fn is_tls_record(data: &[u8]) -> bool {
    matches!(data, [20..=23, 3, ..])
}

/// The status code of a response head.
fn status_of(bytes: &[u8]) -> Option<u16> {
    let mut headers = [httparse::EMPTY_HEADER; 64];
    let mut resp = httparse::Response::new(&mut headers);
    let start = bytes.len() - bytes.trim_ascii_start().len();
    resp.parse(&bytes[start..]).ok()?;
    resp.code
}

/// The half of an exchange a capture does not hold: nothing of it is seen.
fn absent(request: bool, why: &str) -> Message {
    Message {
        start: if request {
            StartLine::Request {
                method: String::new(),
                target: String::new(),
            }
        } else {
            StartLine::Response {
                status: 0,
                reason: String::new(),
            }
        },
        headers: Vec::new(),
        body: Vec::new(),
        place: Place {
            path: if request { "request" } else { "response" }.into(),
            line: 0,
        },
        body_line: 0,
        unseen: Unseen {
            headers: Some(why.into()),
            body: Some(why.into()),
        },
    }
}

#[cfg(test)]
#[path = "stream_tests.rs"]
mod tests;

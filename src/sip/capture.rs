//! SIP in packet captures: UDP datagrams and TCP streams on the SIP ports, in the order they
//! complete, gathered into one text the SIP scanner reads, with a map from its offsets back
//! to frames. TCP segments are put in order per flow within a bounded buffer (the setting
//! `sip.max_tcp_buffer`; docs/scale.md; [`crate::tcp`]); a flow that needs more is reported and dropped, never
//! kept without bound. IP fragments are counted and reported (not reassembled); TCP on the
//! TLS port is reported as unreadable.

use crate::pcap::{endpoint, slice, RawFrame};
use crate::tcp::{Reassembler, Segment};
use etherparse::{NetSlice, TransportSlice};
use std::collections::BTreeMap;
use std::net::IpAddr;

/// Where a stretch of the gathered text came from.
#[derive(Debug, Clone)]
pub struct Origin {
    /// Offset in the gathered text where it starts.
    pub start: usize,
    /// "frame 12 (UDP 192.0.2.1:5060 -> 192.0.2.2:5060)".
    pub place: String,
}

/// What was gathered from a capture.
#[derive(Debug, Default)]
pub struct Gathered {
    pub text: Vec<u8>,
    pub origins: Vec<Origin>,
    pub notes: Vec<String>,
    /// The notes (also in `notes`) on SIP the capture holds that was not read: a flow over
    /// the buffer, segments after a gap, fragments, TLS, messages past the limit. The rules
    /// judged the rest only.
    pub unread: Vec<String>,
}

impl Gathered {
    /// A note on SIP in the capture that was not read.
    fn not_read(&mut self, note: String) {
        self.unread.push(note.clone());
        self.notes.push(note);
    }

    /// The origin of an offset of the text, and the offset inside it.
    pub fn origin(&self, offset: usize) -> Option<(&Origin, usize)> {
        let i = self.origins.partition_point(|o| o.start <= offset);
        let o = self.origins.get(i.checked_sub(1)?)?;
        Some((o, offset - o.start))
    }
}

#[derive(Default)]
struct Flow {
    stream: Reassembler,
    /// Where the first message of `stream` ends, as far as it is known.
    end: MessageEnd,
    first_frame: usize,
    dropped: bool,
}

/// Gathers SIP from frames as they are read.
pub struct Collector {
    ports: Vec<u16>,
    tls_port: u16,
    max_flow: usize,
    max_total: usize,
    flows: BTreeMap<(String, String), Flow>,
    out: Gathered,
    fragments: usize,
    tls: usize,
    over_total: usize,
    /// Frames whose datagram held octets after the Content-Length body (RFC 3261 18.3).
    discarded: Vec<usize>,
}

impl Collector {
    pub fn new(ports: &[u16], max_flow: usize, max_total: usize) -> Collector {
        Collector {
            ports: ports.to_vec(),
            tls_port: 5061,
            max_flow,
            max_total,
            flows: BTreeMap::new(),
            out: Gathered::default(),
            fragments: 0,
            tls: 0,
            over_total: 0,
            discarded: Vec::new(),
        }
    }

    /// Adds SIP text that did not come from a frame (a trace event), named by `place`.
    pub fn add(&mut self, place: &str, bytes: &[u8]) {
        self.emit(place.to_string(), bytes);
    }

    fn emit(&mut self, place: String, bytes: &[u8]) {
        if self.out.text.len() + bytes.len() > self.max_total {
            self.over_total += 1;
            return;
        }
        if !self.out.text.is_empty() {
            self.out.text.extend_from_slice(b"\r\n");
        }
        self.out.origins.push(Origin {
            start: self.out.text.len(),
            place,
        });
        self.out.text.extend_from_slice(bytes);
    }

    /// Reads one frame.
    pub fn frame(&mut self, f: &RawFrame) {
        if let Some((sp, dp)) = f.udp_ports {
            if !self.on_port(sp, dp) {
                return; // UDP, not on the SIP ports
            }
        }
        let Some(p) = slice(f.linktype, f.data) else {
            return;
        };
        let (src, dst, fragmented): (IpAddr, IpAddr, bool) = match &p.net {
            Some(NetSlice::Ipv4(v4)) => (
                v4.header().source_addr().into(),
                v4.header().destination_addr().into(),
                v4.payload().fragmented,
            ),
            Some(NetSlice::Ipv6(v6)) => (
                v6.header().source_addr().into(),
                v6.header().destination_addr().into(),
                v6.payload().fragmented,
            ),
            _ => return,
        };
        match &p.transport {
            Some(TransportSlice::Udp(u)) if self.on_port(u.source_port(), u.destination_port()) => {
                let place = format!(
                    "frame {} (UDP {} -> {})",
                    f.frame,
                    endpoint(src, u.source_port()),
                    endpoint(dst, u.destination_port())
                );
                let payload = u.payload();
                let kept = udp_message_end(payload).unwrap_or(payload.len());
                if kept < payload.len() {
                    self.discarded.push(f.frame);
                }
                self.emit(place, &payload[..kept]);
            }
            Some(TransportSlice::Tcp(t)) => {
                let (sp, dp) = (t.source_port(), t.destination_port());
                if sp == self.tls_port || dp == self.tls_port {
                    self.tls += 1;
                } else if self.on_port(sp, dp) {
                    let key = (endpoint(src, sp), endpoint(dst, dp));
                    let seg = Segment::of(t);
                    self.tcp(f.frame, key, seg);
                }
            }
            None if fragmented => self.fragments += 1,
            _ => {}
        }
    }

    fn on_port(&self, a: u16, b: u16) -> bool {
        self.ports.contains(&a) || self.ports.contains(&b)
    }

    fn tcp(&mut self, frame: usize, key: (String, String), seg: Segment) {
        let max = self.max_flow;
        let flow = self.flows.entry(key.clone()).or_default();
        if flow.dropped {
            return;
        }
        if flow.first_frame == 0 {
            flow.first_frame = frame;
        }
        if flow.stream.push(seg, max).is_err() {
            flow.dropped = true;
            flow.stream.clear();
            let note = format!("TCP {} -> {} (from frame {}): more than {max} octets of SIP waited for a message to complete (setting sip.max_tcp_buffer); the rest of the flow was not read", key.0, key.1, flow.first_frame);
            self.out.not_read(note);
            return;
        }
        let mut complete = Vec::new();
        while let Some(n) = flow.end.find(flow.stream.data()) {
            complete.push(flow.stream.take(n));
            flow.end = MessageEnd::default();
        }
        for m in complete {
            let place = format!("TCP {} -> {} (frame {frame})", key.0, key.1);
            self.emit(place, &m);
        }
    }

    /// The gathered text and notes, incomplete TCP messages included at the end.
    pub fn finish(mut self) -> Gathered {
        let flows = std::mem::take(&mut self.flows);
        for ((a, b), f) in flows {
            let rest = f.stream.data();
            if !rest.iter().all(u8::is_ascii_whitespace) {
                self.out.notes.push(format!(
                    "TCP {a} -> {b}: the capture ends inside a SIP message ({} octets)",
                    rest.len()
                ));
                self.emit(format!("TCP {a} -> {b} (end of capture)"), rest);
            }
            if f.stream.gaps() > 0 {
                self.out.not_read(format!(
                    "TCP {a} -> {b}: {} segments after a gap (missing segments) were not read",
                    f.stream.gaps()
                ));
            }
        }
        if !self.discarded.is_empty() {
            let frames: Vec<String> = self
                .discarded
                .iter()
                .take(10)
                .map(usize::to_string)
                .collect();
            self.out.notes.push(format!(
                "{} UDP datagrams (frames {}{}) held octets after the Content-Length body; they were discarded (RFC 3261 18.3)",
                self.discarded.len(),
                frames.join(", "),
                if self.discarded.len() > 10 { ", …" } else { "" }
            ));
        }
        if self.fragments > 0 {
            self.out.not_read(format!(
                "{} IP fragments were not reassembled: any SIP in them is not read",
                self.fragments
            ));
        }
        if self.tls > 0 {
            self.out.not_read(format!(
                "{} TCP segments on port {} (SIP over TLS) cannot be read",
                self.tls, self.tls_port
            ));
        }
        if self.over_total > 0 {
            self.out.not_read(format!(
                "{} SIP messages past {} octets in all were not read (limits.max_bytes)",
                self.over_total, self.max_total
            ));
        }
        self.out
    }
}

/// The value of a header section's first Content-Length, by name
/// ([`crate::value::HeaderName`]: any case, or `l`). A continuation line (starting with SP
/// or HTAB, RFC 3261 7.3.1) is part of the header before it, not a header of its own.
fn content_length(head: &str) -> Option<&str> {
    let wanted = crate::value::HeaderName::sip("content-length");
    head.lines()
        .filter(|l| !l.starts_with([' ', '\t']))
        .filter_map(|l| l.split_once(':'))
        .find(|(n, _)| wanted.is(n, crate::value::NameForms::Sip))
        .map(|(_, v)| v)
}

/// Where a datagram's message ends when it has a Content-Length and octets after the body:
/// RFC 3261 18.3, "If there are additional bytes in the transport packet beyond the end of
/// the body, they MUST be discarded". None when there is nothing to discard (no
/// Content-Length, or a body no longer than declared: the scanner judges those).
fn udp_message_end(datagram: &[u8]) -> Option<usize> {
    let has_length = {
        let head_end = datagram
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .or_else(|| datagram.windows(2).position(|w| w == b"\n\n"))?;
        content_length(&String::from_utf8_lossy(&datagram[..head_end])).is_some()
    };
    let end = complete_message(datagram)?;
    (has_length && end < datagram.len()).then_some(end)
}

/// The length of the first complete message at the start of a TCP stream (head ended by an
/// empty line and Content-Length octets of body), or None while it is incomplete. Blank
/// lines before it (keep-alives) count with it.
fn complete_message(buf: &[u8]) -> Option<usize> {
    MessageEnd::default().find(buf)
}

/// [`complete_message`] for a buffer that grows between calls (a TCP flow's, segment by
/// segment): the blank lines before the message and its head are searched only in octets
/// not searched before, and once the head is whole its total length is kept. A message split
/// over many segments costs its length, not its length times its segments (each segment
/// searched the whole buffer again before).
#[derive(Debug, Default, Clone, Copy)]
struct MessageEnd {
    /// Leading CR and LF octets counted so far (all of them once `lead_done`).
    lead: usize,
    lead_done: bool,
    /// Octets from the buffer's start searched for the end of the head.
    searched: usize,
    /// The total length once the head is whole (`Some(None)`: it overflows, never complete).
    total: Option<Option<usize>>,
    /// Octets looked at, for the tests.
    #[cfg_attr(not(test), allow(dead_code))]
    examined: usize,
}

impl MessageEnd {
    fn find(&mut self, buf: &[u8]) -> Option<usize> {
        let total = match self.total {
            Some(t) => t,
            None => {
                let t = self.head(buf)?;
                self.total = Some(t);
                t
            }
        }?;
        (buf.len() >= total).then_some(total)
    }

    /// The message's total length once its head is whole (None while it is not).
    fn head(&mut self, buf: &[u8]) -> Option<Option<usize>> {
        if !self.lead_done {
            let more = buf[self.lead.min(buf.len())..]
                .iter()
                .take_while(|b| matches!(b, b'\r' | b'\n'))
                .count();
            self.examined += more;
            self.lead += more;
            if self.lead >= buf.len() {
                return None;
            }
            self.lead_done = true;
            self.searched = self.lead;
        }
        let lead = self.lead;
        // A separator may straddle what was searched and what is new.
        let from = self.searched.saturating_sub(3).max(lead).min(buf.len());
        let window = &buf[from..];
        self.examined += window.len();
        self.searched = buf.len();
        let (at, sep) = [&b"\r\n\r\n"[..], b"\n\n"]
            .iter()
            .filter_map(|s| {
                window
                    .windows(s.len())
                    .position(|w| w == *s)
                    .map(|p| (p, s.len()))
            })
            .min()?;
        let head_end = from + at - lead;
        let head = String::from_utf8_lossy(&buf[lead..lead + head_end]);
        let cl = content_length(&head)
            .and_then(|v| v.trim().parse::<usize>().ok())
            .unwrap_or(0);
        // Checked: a Content-Length near 2^64 would wrap the total to a few octets (or 0,
        // which drains nothing and loops); overflowing, the message can never complete.
        Some((lead + head_end + sep).checked_add(cl))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tcp_messages_complete_by_content_length() {
        let m = b"MESSAGE sip:a@b SIP/2.0\r\nl: 3\r\n\r\nabcSIP/2.0 200 OK\r\n";
        assert_eq!(complete_message(m), Some(36));
        assert_eq!(complete_message(&m[..30]), None);
    }

    /// A message given octet by octet (a segment each) is found where the whole buffer
    /// finds it, and searching costs a few times its length: the head was searched again
    /// from its start on every segment before (a 64 KiB head in 1-octet segments: 2^31
    /// octets looked at).
    #[test]
    fn a_message_split_over_many_segments_is_searched_once() {
        let mut head = String::from("\r\nMESSAGE sip:a@b SIP/2.0\r\n");
        while head.len() < 65536 {
            head.push_str("Subject: a long head, one header after another\r\n");
        }
        let m = format!("{head}Content-Length: 3\r\n\r\nabcSIP/2.0 200 OK\r\n");
        let whole = complete_message(m.as_bytes());
        assert_eq!(
            whole,
            Some(head.len() + "Content-Length: 3\r\n\r\nabc".len())
        );
        let mut end = MessageEnd::default();
        let mut found = None;
        for n in 1..=m.len() {
            if let Some(at) = end.find(&m.as_bytes()[..n]) {
                found = Some((n, at));
                break;
            }
        }
        assert_eq!(found, Some((whole.unwrap(), whole.unwrap())));
        assert!(end.examined <= 4 * m.len(), "{}", end.examined);
        // Each prefix alone is judged alike.
        for n in [0, 1, 2, 30, head.len(), head.len() + 20, m.len()] {
            let mut end = MessageEnd::default();
            for k in (0..=n).step_by(n / 16 + 1).chain([n]) {
                let grown = end.find(&m.as_bytes()[..k]);
                assert_eq!(grown, complete_message(&m.as_bytes()[..k]), "{n} {k}");
            }
        }
        // Blank lines only, then a message with a bare-LF head.
        let mut end = MessageEnd::default();
        assert_eq!(end.find(b"\r\n\r\n"), None);
        assert_eq!(end.find(b"\r\n\r\nOPTIONS sip:a SIP/2.0\n"), None);
        let options = b"\r\n\r\nOPTIONS sip:a SIP/2.0\nl: 0\n\n";
        assert_eq!(end.find(options), Some(options.len()));
    }

    #[test]
    fn a_continuation_line_is_no_content_length() {
        // The folded Subject's second line reads "l: 9": part of the Subject, not a header;
        // the message has no Content-Length, so its body is empty and it ends at the blank
        // line (it was read as 9 octets of body).
        let m =
            b"MESSAGE sip:a@b SIP/2.0\r\nSubject: a\r\n l: 9\r\nCONTENT-length: 0\r\n\r\nINVITE";
        assert_eq!(complete_message(m), Some(m.len() - 6));
    }

    #[test]
    fn a_content_length_near_2_pow_64_never_completes() {
        for cl in [
            "18446744073709551615",
            "18446744073709551614",
            "18446744073709551600",
        ] {
            let m = format!("MESSAGE sip:a@b SIP/2.0\r\nContent-Length: {cl}\r\n\r\nabc");
            assert_eq!(complete_message(m.as_bytes()), None, "{cl}");
        }
    }
}

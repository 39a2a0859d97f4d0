//! Tests of [`super`]: TCP segments on an HTTP port, read into exchanges.

use super::*;
use pcap_parser::Linktype;

const CLIENT: [u8; 4] = [10, 0, 0, 7];
const SERVER: [u8; 4] = [203, 0, 113, 5];

/// A raw IPv4 TCP frame; `up`: from the client (port 40000) to the server (port 8080).
fn segment(up: bool, seq: u32, flags: &str, payload: &[u8]) -> Vec<u8> {
    let (s, d, sp, dp) = if up {
        (CLIENT, SERVER, 40000, 8080)
    } else {
        (SERVER, CLIENT, 8080, 40000)
    };
    let mut b = etherparse::PacketBuilder::ipv4(s, d, 64).tcp(sp, dp, seq, 65535);
    for f in flags.chars() {
        b = match f {
            'S' => b.syn(),
            'F' => b.fin(),
            'R' => b.rst(),
            _ => b.ack(0),
        };
    }
    let mut out = Vec::new();
    b.write(&mut out, payload).unwrap();
    out
}

/// An exchange as the tests compare it: method, status, the frame it completed in.
type Read = (String, Option<u16>, usize);

/// The exchanges a run of frames gives, and the notes.
fn read(frames: &[Vec<u8>]) -> (Vec<Read>, Vec<String>) {
    let settings = HttpSettings {
        ports: vec![8080],
        max_tcp_buffer: 4096,
        max_connections: 4,
    };
    let mut c = Collector::new(&settings);
    let mut out = Vec::new();
    for (i, data) in frames.iter().enumerate() {
        c.frame(&RawFrame {
            frame: i + 1,
            linktype: Linktype::RAW,
            data,
            udp_ports: None,
        });
        out.extend(c.take_ready());
    }
    let summary = c.finish(frames.len());
    out.extend(c.take_ready());
    let list = out
        .into_iter()
        .map(|x| {
            let method = match &x.exchange.request.start {
                StartLine::Request { method, .. } => method.clone(),
                StartLine::Response { .. } => String::new(),
            };
            (method, x.exchange.response.status(), x.frame)
        })
        .collect();
    (list, summary.notes)
}

#[test]
fn pipelined_requests_pair_with_responses_in_order_head_and_interim_included() {
    let up = b"HEAD /a HTTP/1.1\r\n\r\nPOST /b HTTP/1.1\r\nContent-Length: 2\r\n\r\nab";
    // The HEAD response's Content-Length announces a body it does not carry; the POST
    // gets 100 Continue before its final response, which is chunked.
    let down = b"HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nHTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nxyz\r\n0\r\n\r\n";
    let frames = [
        segment(true, 99, "S", b""),
        segment(true, 100, "A", up),
        segment(false, 500, "A", &down[..50]),
        segment(false, 550, "A", &down[50..]),
    ];
    let (list, notes) = read(&frames);
    assert_eq!(
        list,
        [("HEAD".into(), Some(200), 3), ("POST".into(), Some(201), 4)],
        "{notes:?}"
    );
}

#[test]
fn a_response_without_length_ends_with_the_connection() {
    let frames = [
        segment(true, 1, "A", b"GET / HTTP/1.1\r\n\r\n"),
        segment(false, 1, "A", b"HTTP/1.1 200 OK\r\n\r\nto the "),
        segment(false, 27, "FA", b"close"),
        segment(true, 19, "FA", b""),
    ];
    let (list, _) = read(&frames);
    assert_eq!(list, [("GET".into(), Some(200), 3)]);
}

#[test]
fn lone_halves_are_given_with_the_other_half_absent() {
    // A response whose request was before the capture, then a request never answered.
    let frames = [
        segment(false, 1, "A", b"HTTP/1.1 204 No Content\r\n\r\n"),
        segment(
            true,
            1,
            "A",
            b"POST / HTTP/1.1\r\nContent-Length: 0\r\n\r\n",
        ),
    ];
    let (list, _) = read(&frames);
    assert_eq!(
        list,
        [(String::new(), Some(204), 1), ("POST".into(), Some(0), 2)]
    );
}

#[test]
fn tls_and_what_is_not_http_stop_the_connection_with_a_note() {
    let frames = [segment(true, 1, "A", &[22, 3, 1, 0, 5, 1, 0, 0, 1, 0])];
    let settings = HttpSettings {
        ports: vec![8080],
        max_tcp_buffer: 4096,
        max_connections: 4,
    };
    let mut c = Collector::new(&settings);
    c.frame(&RawFrame {
        frame: 1,
        linktype: Linktype::RAW,
        data: &frames[0],
        udp_ports: None,
    });
    let s = c.finish(1);
    assert_eq!(s.tls_count, 1);
    assert_eq!(s.exchanges, 0);
    let (list, notes) = read(&[segment(true, 1, "A", b"\x00\x01garbage\r\n\r\n")]);
    assert!(list.is_empty());
    assert!(notes[0].contains("not an HTTP/1.1 request"), "{notes:?}");
}

#[test]
fn a_connection_over_its_buffer_is_reported_and_dropped() {
    let body = vec![b'x'; 5000];
    let mut req = b"POST / HTTP/1.1\r\nContent-Length: 5000\r\n\r\n".to_vec();
    req.extend_from_slice(&body);
    let (list, notes) = read(&[segment(true, 1, "A", &req)]);
    assert!(list.is_empty());
    assert!(
        notes[0].contains("setting http.max_tcp_buffer"),
        "{notes:?}"
    );
}

/// A head sent an octet at a time is framed once, when its end arrives: the gate searches
/// each octet once (it was parsed again from its start for every segment).
#[test]
fn a_head_sent_an_octet_at_a_time_is_framed_once() {
    let mut head = b"\r\nPOST / HTTP/1.1\r\nX-Pad: ".to_vec();
    head.extend(std::iter::repeat_n(b'a', 3000));
    head.extend_from_slice(b"\r\nContent-Length: 2\r\n\r\nab");
    let mut gate = Gate::default();
    let end = head.len() - 2; // just after the empty line
    let opened: Vec<usize> = (1..=head.len())
        .filter(|&n| {
            let open = gate.open(&head[..n]);
            if open {
                gate.wait(&http::framing(&head[..n], true, false), n);
            }
            open
        })
        .collect();
    // Open when the empty line is whole (Short: the body is awaited), then at the body's end.
    assert_eq!(opened, [end, head.len()]);
    let frames: Vec<Vec<u8>> = head
        .iter()
        .enumerate()
        .map(|(i, b)| segment(true, 1 + i as u32, "A", &[*b]))
        .collect();
    let (list, notes) = read(&frames);
    assert_eq!(list, [("POST".into(), Some(0), frames.len())], "{notes:?}");
}

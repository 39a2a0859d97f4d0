//! Scanner tests on small hand-built messages.

use super::*;

fn crlf(s: &str) -> Vec<u8> {
    s.replace('\n', "\r\n").into_bytes()
}

const MESSAGE: &str = "MESSAGE sip:alice@example.com SIP/2.0\n\
Call-ID: c1\n\
CSeq: 1 MESSAGE\n\
l: 5\n\
\n\
hello";

#[test]
fn crlf_messages_frame_by_content_length() {
    let mut f = crlf(MESSAGE);
    f.extend(crlf(
        "\nSIP/2.0 200 OK\nCall-ID: c1\nCSeq: 1 MESSAGE\nContent-Length: 0\n\n",
    ));
    let s = read(&f, &ScanOptions::default());
    assert_eq!(s.messages.len(), 2);
    let m = &s.messages[0];
    assert!(m.issues.is_empty(), "{:?}", m.issues);
    assert_eq!(&f[m.body.as_ref().unwrap().content.clone()], b"hello");
    assert!(m.header("content-length").unwrap().compact);
    assert_eq!(s.answers, vec![None, Some(0)]);
    assert_eq!(s.final_response_to(0).and_then(|r| r.status()), Some(200));
}

#[test]
fn lf_only_body_is_reported_at_content_length_not_misframed() {
    let text = "MESSAGE sip:a@b SIP/2.0\nCall-ID: x\nContent-Length: 8\n\nab\ncd\nSIP/2.0 200 OK\nCall-ID: x\nContent-Length: 0\n\n";
    let f = text.as_bytes();
    let s = read(f, &ScanOptions::default());
    assert_eq!(s.messages.len(), 2);
    let m = &s.messages[0];
    assert!(m.line_ends.lf_only());
    assert_eq!(m.issues.len(), 1);
    assert_eq!(m.issues[0].class, IssueClass::ContentLength);
    assert_eq!(&f[m.issues[0].span.clone()], b"Content-Length: 8");
    assert_eq!(&f[m.body.as_ref().unwrap().content.clone()], b"ab\ncd\n");
    let s = read(f, &ScanOptions { lf_as_crlf: true });
    assert!(s.messages[0].issues.is_empty());
    assert_eq!(s.messages[1].status(), Some(200));
}

#[test]
fn wrong_content_length_is_reported_and_the_next_message_found() {
    let text = "MESSAGE sip:a@b SIP/2.0\r\nContent-Length: 50\r\n\r\nabc\r\nSIP/2.0 200 OK\r\nContent-Length: 0\r\n\r\n";
    let s = read(text.as_bytes(), &ScanOptions::default());
    assert_eq!(s.messages.len(), 2);
    assert_eq!(s.messages[0].issues[0].class, IssueClass::ContentLength);
    assert!(s.messages[0].issues[0].detail.contains("runs 3 octets"));
}

#[test]
fn folded_header_keeps_its_span() {
    let f = crlf("NOTIFY sip:a@b SIP/2.0\nEvent: poc-settings\n ;id=1\nContent-Length: 0\n\n");
    let s = read(&f, &ScanOptions::default());
    let h = s.messages[0].header("event").unwrap();
    assert_eq!(h.text(&f), "poc-settings ;id=1");
    assert_eq!(h.values(&f)[0].params[0].name, "id");
}

#[test]
fn multipart_keeps_binary_parts_and_nests_message_sip() {
    let inner = crlf(
        "REGISTER sip:example.com SIP/2.0\nTo: <sip:alice@example.com>\nContent-Length: 0\n\n",
    );
    let mikey: &[u8] = &[1, 0, 0x0d, 0x0a, 0xff, 0x0d, 0x0a];
    let mut body = crlf("--b1\nContent-Type: message/sip\n\n");
    body.extend(&inner);
    body.extend(crlf("\n--b1\nContent-Type: application/mikey\n\n"));
    body.extend(mikey);
    body.extend(crlf("\n--b1--\n"));
    let mut f = crlf(&format!(
        "REGISTER sip:mcvideo.example.com SIP/2.0\nContent-Type: multipart/mixed;boundary=b1\nContent-Length: {}\n\n",
        body.len()
    ));
    f.extend(&body);
    let s = read(&f, &ScanOptions::default());
    assert_eq!(s.messages.len(), 1);
    let m = &s.messages[0];
    assert!(m.all_issues().is_empty(), "{:?}", m.all_issues());
    let parts = m.parts();
    assert_eq!(parts.len(), 2);
    assert_eq!(parts[1].mikey_octets(&f), mikey);
    let reg = parts[0].message().unwrap();
    assert_eq!(reg.method(), Some("REGISTER"));
    assert_eq!(
        reg.header("to").unwrap().text(&f),
        "<sip:alice@example.com>"
    );
}

#[test]
fn base64_mikey_is_decoded_and_reported() {
    let f = crlf(
        "MESSAGE sip:a@b SIP/2.0\nContent-Type: application/mikey\nContent-Length: 8\n\nAQIDBA==",
    );
    let s = read(&f, &ScanOptions::default());
    let p = s.messages[0].parts()[0];
    assert_eq!(p.mikey_octets(&f), &[1, 2, 3, 4]);
    assert_eq!(p.issues[0].class, IssueClass::MikeyBase64);
}

/// The declared encoding decides, not the first decoded octet: base64 of a version-2
/// message is decoded; a part that says `Content-Transfer-Encoding: binary` is kept as
/// written even when it reads as base64; one that says base64 is decoded.
#[test]
fn base64_mikey_is_decoded_by_its_declared_encoding() {
    let f = crlf(
        "MESSAGE sip:a@b SIP/2.0\nContent-Type: application/mikey\nContent-Length: 8\n\nAgMEBQ==",
    );
    let s = read(&f, &ScanOptions::default());
    assert_eq!(s.messages[0].parts()[0].mikey_octets(&f), &[2, 3, 4, 5]);
    let f = crlf(
        "MESSAGE sip:a@b SIP/2.0\nContent-Type: application/mikey\nContent-Transfer-Encoding: binary\nContent-Length: 8\n\nAgMEBQ==",
    );
    let s = read(&f, &ScanOptions::default());
    assert_eq!(s.messages[0].parts()[0].mikey_octets(&f), b"AgMEBQ==");
    let f = crlf(
        "MESSAGE sip:a@b SIP/2.0\nContent-Type: multipart/mixed;boundary=b\nContent-Length: 80\n\n--b\nContent-Type: application/mikey\nContent-Transfer-Encoding: BASE64\n\nAgME\nBQ==\n--b--\n",
    );
    let s = read(&f, &ScanOptions::default());
    let leaves = s.messages[0].parts()[0].leaves();
    assert_eq!(leaves[0].mikey_octets(&f), &[2, 3, 4, 5]);
}

#[test]
fn recognition_by_start_line() {
    assert!(looks_like_sip(b"\r\nSIP/2.0 200 OK\r\n"));
    assert!(looks_like_sip(b"PUBLISH sip:a@b SIP/2.0\n"));
    assert!(!looks_like_sip(b"POST /x HTTP/1.1\r\n"));
    assert!(!looks_like_sip(b"<?xml version='1.0'?>"));
}

proptest::proptest! {
    /// Any bytes, and any SIP-looking text cut or corrupted anywhere: the scanner reads what
    /// it can, never panics, and every span it returns lies inside the input.
    #[test]
    fn scanner_never_panics_and_spans_stay_inside(
        data in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..600),
        cut in 0usize..400,
        flip in 0usize..400,
    ) {
        let opts = ScanOptions::default();
        let _ = read(&data, &opts);
        let mut f = crlf(MESSAGE);
        f.extend(crlf("\nREGISTER sip:a SIP/2.0\nContent-Type: multipart/mixed;boundary=b\nl: 60\n\n--b\nContent-Type: message/sip\n\nSIP/2.0 200 OK\n\n--b--\n"));
        if flip < f.len() {
            f[flip] ^= 0x55;
        }
        f.truncate(cut.min(f.len()));
        let s = read(&f, &ScanOptions { lf_as_crlf: cut % 2 == 0 });
        for m in &s.messages {
            proptest::prop_assert!(m.span.end <= f.len());
            for h in &m.headers {
                proptest::prop_assert!(h.value_span.end <= f.len());
            }
            for i in m.all_issues() {
                proptest::prop_assert!(i.span.end <= f.len());
            }
        }
    }
}

/// A Content-Length near 2^64 must not wrap the body's end: `start + n` wrapping to the
/// message's own start once made the scanner take the message as complete (a wrong
/// "conformant" and a wrong message count); in a debug build it panicked.
#[test]
fn a_content_length_near_2_pow_64_is_a_finding_not_a_wrap() {
    let head = "MESSAGE sip:a@b SIP/2.0\r\nCall-ID: x\r\nContent-Length: ";
    let next = "\r\nSIP/2.0 200 OK\r\nCall-ID: x\r\nContent-Length: 0\r\n\r\n";
    for value in [
        u64::MAX.to_string(),
        (u64::MAX - 1).to_string(),
        String::new(),
    ] {
        // The empty case is the value that wraps `start + n` to 0, computed once the
        // length of the digits is known (20 digits, like u64::MAX).
        let digits = if value.is_empty() {
            let body_start = head.len() + 20 + 4;
            (u64::MAX - body_start as u64 + 1).to_string()
        } else {
            value
        };
        let text = format!("{head}{digits}\r\n\r\nabc{next}");
        let s = read(text.as_bytes(), &ScanOptions::default());
        assert_eq!(s.messages.len(), 2, "{digits}");
        let issue = &s.messages[0].issues[0];
        assert_eq!(issue.class, IssueClass::ContentLength, "{digits}");
        assert!(issue.detail.contains(&digits), "{}", issue.detail);
    }
}

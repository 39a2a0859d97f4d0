use super::*;
use crate::sip::{read, ScanOptions};

fn faults(text: &str) -> Vec<(Family, usize, String)> {
    let file = read(text.as_bytes(), &ScanOptions::default());
    file.messages
        .iter()
        .flat_map(|m| judge(text.as_bytes(), m))
        .map(|f| (f.family, f.span.start, f.detail))
        .collect()
}

const HEAD: &str = "MESSAGE sip:a@example.com SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\nFrom: <sip:b@example.com>;tag=1\r\nTo: <sip:a@example.com>\r\nCall-ID: x\r\nCSeq: 1 MESSAGE\r\n";

#[test]
fn a_valid_message_has_no_fault() {
    let m = format!("{HEAD}Max-Forwards: 70\r\nContent-Length: 0\r\n\r\n");
    assert_eq!(faults(&m), vec![]);
}

#[test]
fn each_fault_is_at_its_first_offending_octet() {
    let m = format!("{HEAD}Max-Forwards: 256\r\nContent-Length: 0\r\n\r\n");
    let at = m.find("256").unwrap();
    let f = faults(&m);
    assert_eq!(f.len(), 1);
    assert_eq!((f[0].0, f[0].1), (Family::Rfc3261, at));
}

#[test]
fn a_folded_header_is_read_across_its_fold() {
    let m = format!("{HEAD}Contact: <sip:a@192.0.2.1>\r\n ;expires=60,\r\n\t<sip:a@192.0.2.2>\r\nContent-Length: 0\r\n\r\n");
    assert_eq!(faults(&m), vec![]);
}

#[test]
fn a_cseq_method_other_than_the_requests_is_a_fault_of_its_own() {
    let m = HEAD.replace("CSeq: 1 MESSAGE", "CSeq: 1 INVITE") + "Content-Length: 0\r\n\r\n";
    let f = faults(&m);
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].0, Family::CseqMethod);
}

/// Every prefix and every one-octet corruption of a message is judged without a panic.
#[test]
fn no_input_panics() {
    let m = format!("{HEAD}Contact: \"A \\\" b\" <sip:a@[2001:db8::1]:5060;transport=tcp?x=y>;+sip.instance=\"<urn:uuid:1>\";reg-id=1;+g.x=\"#>=3\";q=0.5\r\nAuthorization: Digest username=\"a\", uri=\"sip:a\", response=\"\", nc=00000001\r\nDate: Fri, 01 Jan 2010 16:00:00 GMT\r\nContent-Length: 0\r\n\r\n");
    let bytes = m.as_bytes();
    for cut in 0..bytes.len() {
        let file = read(&bytes[..cut], &ScanOptions::default());
        for msg in &file.messages {
            let _ = judge(&bytes[..cut], msg);
        }
    }
    for i in 0..bytes.len() {
        for b in [b'"', b'<', b'>', b'\\', b';', b'%', b'(', b'[', 0xFF] {
            let mut v = bytes.to_vec();
            v[i] = b;
            let file = read(&v, &ScanOptions::default());
            for msg in &file.messages {
                let _ = judge(&v, msg);
            }
        }
    }
}

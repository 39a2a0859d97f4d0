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

/// The faults of one extra header line added to a valid message: (family, offset in the line).
fn header_faults(line: &str) -> Vec<(Family, usize)> {
    let m = format!("{HEAD}{line}\r\nContent-Length: 0\r\n\r\n");
    faults(&m)
        .into_iter()
        .map(|(f, at, _)| (f, at - HEAD.len()))
        .collect()
}

fn ok(line: &str) {
    assert_eq!(header_faults(line), vec![], "{line}");
}

/// One fault of `family`, at the octet after the '¦' of `marked`.
fn bad(marked: &str, family: Family) {
    let at = marked.find('¦').unwrap();
    let line = marked.replacen('¦', "", 1);
    assert_eq!(header_faults(&line), vec![(family, at)], "{marked}");
}

#[test]
fn scalar_ranges_are_inclusive_at_their_limit() {
    ok("Max-Forwards: 255");
    bad("Max-Forwards: ¦256", Family::Rfc3261);
    ok("Expires: 4294967295");
    bad("Expires: ¦4294967296", Family::Rfc3261);
    ok("Max-Forwards: 0068");
    ok("Contact: <sip:a@h>;reg-id=1;+sip.instance=\"<urn:uuid:1>\"");
    ok("Contact: <sip:a@h>;reg-id=2147483647");
    bad("Contact: <sip:a@h>;reg-id=¦2147483648", Family::Rfc5626);
    bad("Contact: <sip:a@h>;reg-id=¦0", Family::Rfc5626);
    ok("Via: SIP/2.0/UDP h;ttl=255;branch=z9hG4bK2");
    bad("Via: SIP/2.0/UDP h;ttl=¦256", Family::Rfc3261);
    ok("Flow-Timer: 4294967295");
}

#[test]
fn qvalues() {
    for q in ["0", "0.", "0.5", "0.999", "1", "1.", "1.000"] {
        ok(&format!("Contact: <sip:a@h>;q={q}"));
    }
    for q in ["1.001", "0.1234", "2", "01"] {
        bad(&format!("Contact: <sip:a@h>;q=¦{q}"), Family::Rfc3261);
    }
}

#[test]
fn hosts() {
    for h in [
        "example.com",
        "example.com.",
        "a-b.c",
        "192.0.2.1",
        "[2001:db8::1]",
        "x",
    ] {
        ok(&format!("Route: <sip:{h};lr>"));
    }
    bad("Route: <sip:¦256.0.0.1>", Family::Rfc3261);
    bad("Route: <sip:a.¦.b>", Family::Rfc3261);
    bad("Route: <sip:a¦-.b>", Family::Rfc3261);
    bad("Route: <sip:a.¦1b>", Family::Rfc3261);
    bad("Route: <sip:[2001:db8::1¦>", Family::Rfc3261);
}

#[test]
fn display_names() {
    ok("P-Asserted-Identity: Alice <sip:a@h>");
    ok("P-Asserted-Identity: Alice Smith<sip:a@h>");
    ok("P-Asserted-Identity: \"A \\\"B\\\"\" <sip:a@h>, tel:+123");
    bad(
        "P-Asserted-Identity: Alice¦, Smith <sip:a@h>",
        Family::Rfc3325,
    );
    bad("P-Asserted-Identity: ¦\"Alice <sip:a@h>", Family::Rfc3325);
}

#[test]
fn feature_params() {
    ok("Accept-Contact: *;+g.3gpp.icsi-ref=\"urn%3Aurn-7%3A3gpp-service.ims.icsi.mcvideo\";require;explicit");
    ok("Accept-Contact: *;audio;methods=\"INVITE,!BYE\";+x=\"#>=3\";+y=\"#<=-1.5\";+z=\"#=2\";+r=\"#1:9\";+s=\"<a \\\" b>\";+b=\"TRUE\"");
    bad("Accept-Contact: *;+x=\"a¦:b\"", Family::Rfc3840);
    bad("Accept-Contact: *;+x=¦y", Family::Rfc3840);
    bad("Accept-Contact: *;+x=\"<a¦<b>\"", Family::Rfc3840);
    bad("Accept-Contact: ¦x", Family::Rfc3841);
    ok("Request-Disposition: proxy, no-fork, queue");
    bad("Request-Disposition: proxy, ¦later", Family::Rfc3841);
}

#[test]
fn service_ids() {
    let top27 = "a".repeat(27);
    ok(&format!("P-Asserted-Service: urn:urn-7:{top27}.x"));
    bad(
        &format!("P-Asserted-Service: urn:urn-7:{top27}¦b"),
        Family::Rfc6050,
    );
    ok("P-Preferred-Service: URN:URN-7:3gpp-service.ims.icsi.mcvideo");
    bad("P-Preferred-Service: urn:urn-7:¦-x", Family::Rfc6050);
}

#[test]
fn dates_and_auth() {
    ok("Date: Sat, 13 Nov 2010 23:29:00 GMT");
    bad("Date: Sat, 13 Nov 2010 23:29:00 ¦gmt", Family::Rfc3261);
    bad("Date: ¦sat, 13 Nov 2010 23:29:00 GMT", Family::Rfc3261);
    ok("Authorization: Digest username=\"a\", realm=\"r\", nonce=\"\", uri=\"sip:h\", response=\"\"");
    ok("Authorization: Digest username=\"a\", response=\"0123456789abcdef0123456789abcdef\", nc=0000000a");
    bad(
        "Authorization: Digest response=\"¦0123456789ABCDEF0123456789abcdef\"",
        Family::Rfc3261,
    );
    bad("Authorization: Digest nc=¦0000000A", Family::Rfc3261);
    ok("WWW-Authenticate: Digest realm=\"r\", stale=TRUE, qop=\"auth,auth-int\"");
    bad("WWW-Authenticate: Digest qop=\"auth,¦\"", Family::Rfc3261);
}

#[test]
fn a_second_row_of_a_single_valued_header_is_a_fault_at_its_name() {
    bad("¦To: <sip:c@example.com>", Family::Rfc3261);
    ok("Route: <sip:a@h;lr>");
}

#[test]
fn a_bare_cr_is_no_whitespace() {
    bad("Max-Forwards: 70¦\r1", Family::Rfc3261);
    bad("Subject: a¦\rb", Family::Rfc3261);
    ok("Subject: a\r\n b");
}

#[test]
fn octets_over_0x7f_are_utf8_in_every_header() {
    let m =
        format!("{HEAD}P-Asserted-Identity: \"Jos\u{e9}\" <sip:a@h>\r\nContent-Length: 0\r\n\r\n");
    assert_eq!(faults(&m), vec![]);
    let mut bytes =
        format!("{HEAD}P-Asserted-Identity: \"Jos\" <sip:a@h>\r\nContent-Length: 0\r\n\r\n")
            .into_bytes();
    let at = HEAD.len() + "P-Asserted-Identity: \"Jos".len();
    bytes.insert(at, 0xE9);
    let file = read(&bytes, &ScanOptions::default());
    let f: Vec<_> = file
        .messages
        .iter()
        .flat_map(|m| judge(&bytes, m))
        .collect();
    assert_eq!(f.len(), 1);
    assert_eq!((f[0].family, f[0].span.start), (Family::Rfc3325, at));
}

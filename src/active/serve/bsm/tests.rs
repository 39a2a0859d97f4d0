//! The reference BSM's unit tests: Digest, the delivery negotiation, faults.

use super::*;
use crate::active::serve::config;

const CONFIG: &str = "bsm_id: bsm.example.org\ndelivery: [0, 2]\nservices: [{id: s1}]\n\
    msks: [{service: s1, key_domain_id: '010203', msk_id: '00000009', key: msk}]\n\
    terminals: [{btid: t@bsf, mrk: bXJr, muk: muk}]\n";
const KEYS: &str = "psk:\n  - {key: 000102030405060708090a0b0c0d0e0f, csb_id: 0x1000, name: muk}\n  - {key: 00112233445566778899aabbccddeeff, name: msk}\n";

fn bsm(fault: Option<Fault>) -> Bsm {
    let ring = crate::keyring::parse(KEYS, "keys.yaml").unwrap();
    Bsm::new(
        config::resolve(CONFIG, "bsm.yaml", &ring).unwrap(),
        "127.0.0.1",
        fault,
    )
}

/// Sends `body` as `requesttype` after answering the challenge with `password`.
fn send(b: &mut Bsm, kind: &str, body: &str, password: &str) -> Reply {
    let media = match kind {
        "register" => "application/mbms-register+xml",
        "deregister" => "application/mbms-deregister+xml",
        _ => "application/mbms-msk+xml",
    };
    send_typed(b, kind, media, body, password)
}

/// [`send`] with the Content-Type `media`.
fn send_typed(b: &mut Bsm, kind: &str, media: &str, body: &str, password: &str) -> Reply {
    let target = format!("/keymanagement?requesttype={kind}");
    let empty = Request {
        method: "POST",
        target: &target,
        authorization: None,
        content_type: Some(media),
        body: b"",
    };
    let challenge = b.answer(&empty);
    assert_eq!(challenge.status, 401);
    let p = digest::params(&challenge.headers[0].1).unwrap();
    let (realm, nonce) = (
        digest::param(&p, "realm").unwrap(),
        digest::param(&p, "nonce").unwrap(),
    );
    let response = digest::response(
        digest::Algorithm::Md5,
        "t@bsf",
        realm,
        password,
        "POST",
        &target,
        nonce,
        "00000001",
        "c",
    );
    let auth = format!(
        "Digest username=\"t@bsf\", realm=\"{realm}\", nonce=\"{nonce}\", uri=\"{target}\", qop=auth, nc=00000001, cnonce=\"c\", response=\"{response}\""
    );
    b.answer(&Request {
        method: "POST",
        target: &target,
        authorization: Some(&auth),
        content_type: Some(media),
        body: body.as_bytes(),
    })
}

fn register(listed: &str) -> String {
    format!("<mbmsSecurityRegister xmlns=\"urn:3GPP:metadata:2005:MBMS:securityRegistration\" xmlns:bcast=\"urn:oma:xml:bcast:pr:orderqueries:1.0\"><serviceID>s1</serviceID>{listed}</mbmsSecurityRegister>")
}

fn listing(types: &[u8]) -> String {
    let t: String = types
        .iter()
        .map(|t| format!("<bcast:Type>{t}</bcast:Type>"))
        .collect();
    format!("<bcast:RegistrationRequestExtension><bcast:LTKMDelivery>{t}</bcast:LTKMDelivery></bcast:RegistrationRequestExtension>")
}

#[test]
fn the_delivery_negotiation_follows_5_1_6_10_1() {
    let mut b = bsm(None);
    let text = |r: &Reply| String::from_utf8_lossy(&r.body).into_owned();
    // UDP and HTTP listed and supported: both agreed, LTKMs in the response.
    let r = send(&mut b, "register", &register(&listing(&[0, 2])), "bXJr");
    assert_eq!(r.status, 200);
    assert!(text(&r).contains("<bcast:Type>0</bcast:Type><bcast:Type>2</bcast:Type>"));
    assert!(text(&r).contains("<bcast:LTKM>"));
    // UDP only: agreed, no LTKM in the response.
    let r = send(&mut b, "register", &register(&listing(&[0])), "bXJr");
    assert!(
        text(&r).contains("<bcast:LTKMDelivery><bcast:Type>0</bcast:Type></bcast:LTKMDelivery>")
    );
    assert!(!text(&r).contains("<bcast:LTKM>"));
    // SMS only, unsupported: 403 on the status line, nothing registered.
    let r = send(&mut b, "register", &register(&listing(&[1])), "bXJr");
    assert_eq!((r.status, r.body.len()), (403, 0));
    // None listed: UDP only, no extension.
    let r = send(&mut b, "register", &register(""), "bXJr");
    assert_eq!(r.status, 200);
    assert!(!text(&r).contains("RegistrationResponseExtension"));
}

#[test]
fn wrong_credentials_and_bad_requests_are_refused() {
    let mut b = bsm(None);
    assert_eq!(send(&mut b, "register", &register(""), "wrong").status, 401);
    assert_eq!(
        send(&mut b, "register", "<mbmsSecurityRegister", "bXJr").status,
        400
    );
    assert_eq!(send(&mut b, "nonsense", &register(""), "bXJr").status, 400);
    let get = Request {
        method: "GET",
        target: "/keymanagement",
        authorization: None,
        content_type: None,
        body: b"",
    };
    assert_eq!(b.answer(&get).status, 405);
    let mut faulty = bsm(Some(Fault::AcceptWrongPassword));
    assert_eq!(
        send(&mut faulty, "register", &register(""), "wrong").status,
        200
    );
}

#[test]
fn an_msk_request_gets_an_ltkm_only_after_http_was_agreed() {
    let mut b = bsm(None);
    let msk = "<mbmsMSKRequest xmlns=\"urn:3GPP:metadata:2005:MBMS:mskRequest\"><MSK><keyDomainID>AQID</keyDomainID><MSKID>AAAACQ==</MSKID></MSK></mbmsMSKRequest>";
    let before = send(&mut b, "msk-request", msk, "bXJr");
    assert!(String::from_utf8_lossy(&before.body).contains("200 OK"));
    assert!(!String::from_utf8_lossy(&before.body).contains("<bcast:LTKM>"));
    send(&mut b, "register", &register(&listing(&[2])), "bXJr");
    let after = send(&mut b, "msk-request", msk, "bXJr");
    assert!(String::from_utf8_lossy(&after.body).contains("<bcast:LTKM>"));
    let unknown = msk.replace("AQID", "////");
    let r = send(&mut b, "msk-request", &unknown, "bXJr");
    assert!(String::from_utf8_lossy(&r.body).contains("404 Not Found"));
}

/// The T (COUNTER) and V flag of each push of `r`.
fn pushed(r: &Reply) -> Vec<(u64, bool)> {
    r.pushes
        .iter()
        .map(|p| {
            let d = crate::mikey::decode(p);
            let m = d.message.as_ref().unwrap();
            let t = m
                .payloads
                .iter()
                .find_map(|p| match &p.body {
                    crate::mikey::PayloadBody::T(t) => Some(t.ts_value.value),
                    _ => None,
                })
                .unwrap();
            (t, m.header.v.value)
        })
        .collect()
}

#[test]
fn ltkms_are_pushed_over_udp_only_where_udp_carries_them() {
    let mut b = bsm(None);
    // UDP only: one push (one MSK), V flag set; HTTP only and UDP+HTTP: none.
    let r = send(&mut b, "register", &register(&listing(&[0])), "bXJr");
    assert_eq!(pushed(&r), vec![(1, true)]);
    let r = send(&mut b, "register", &register(&listing(&[2])), "bXJr");
    assert!(r.pushes.is_empty());
    let r = send(&mut b, "register", &register(&listing(&[0, 2])), "bXJr");
    assert!(r.pushes.is_empty());
    let mut faulty = bsm(Some(Fault::UdpAfterHttpOnly));
    let r = send(&mut faulty, "register", &register(&listing(&[2])), "bXJr");
    assert_eq!(r.pushes.len(), 1);
}

#[test]
fn the_stale_counter_fault_repeats_the_last_pushed_counter() {
    let mut b = bsm(Some(Fault::StaleCounter));
    let first = send(&mut b, "register", &register(&listing(&[0])), "bXJr");
    let again = send(&mut b, "register", &register(""), "bXJr");
    assert_eq!(pushed(&first), pushed(&again));
    let mut good = bsm(None);
    let first = send(&mut good, "register", &register(&listing(&[0])), "bXJr");
    let again = send(&mut good, "register", &register(""), "bXJr");
    assert!(pushed(&first)[0].0 < pushed(&again)[0].0);
}

fn deregister() -> String {
    "<mbmsSecurityDeregister xmlns=\"urn:3GPP:metadata:2005:MBMS:securityDeregistration\"><serviceID>s1</serviceID></mbmsSecurityDeregister>".to_string()
}

/// A BSM that invalidates on deregistration (`invalidate_on_deregistration: true`).
fn invalidating_bsm(fault: Option<Fault>) -> Bsm {
    let ring = crate::keyring::parse(KEYS, "keys.yaml").unwrap();
    let text = format!("{CONFIG}invalidate_on_deregistration: true\n");
    Bsm::new(
        config::resolve(&text, "bsm.yaml", &ring).unwrap(),
        "127.0.0.1",
        fault,
    )
}

/// The MTK ID interval of the key an LTKM (sealed bytes) carries, opened with the test MUK.
fn validity(bytes: &[u8]) -> String {
    use crate::crypto::psk::{psk_message, PskOptions};
    let d = crate::mikey::decode(bytes);
    let m = d.message.as_ref().unwrap();
    let muk = hex::decode("000102030405060708090a0b0c0d0e0f").unwrap();
    let o = psk_message(bytes, m, &muk, &PskOptions::default()).unwrap();
    serde_json::to_string(&o.key_data().unwrap().entries[0].validity).unwrap()
}

/// OMA BCAST 5.1.6.9: the invalidating LTKMs go as the registration agreed, in the
/// DeregistrationResponseResponseExtension (HTTP) or pushed (UDP only), and carry the empty
/// MTK ID interval; a BSM not told to invalidate sends none, and a service the terminal was
/// not registered to gets 404 and no LTKM.
#[test]
fn deregistration_invalidates_as_the_registration_agreed() {
    use base64::Engine as _;
    let text = |r: &Reply| String::from_utf8_lossy(&r.body).into_owned();
    let mut b = invalidating_bsm(None);
    send(&mut b, "register", &register(&listing(&[0, 2])), "bXJr");
    let r = send(&mut b, "deregister", &deregister(), "bXJr");
    let body = text(&r);
    assert!(
        body.contains("<ResponseCode>200 OK</ResponseCode>"),
        "{body}"
    );
    let start = body
        .find("<bcast:DeregistrationResponseResponseExtension><bcast:LTKM>")
        .unwrap();
    let ltkm = &body[start + 59..];
    let ltkm = &ltkm[..ltkm.find('<').unwrap()];
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(ltkm)
        .unwrap();
    let kv = validity(&bytes);
    assert!(
        kv.contains("ffffffff") && kv.find("ffffffff") < kv.find("00000000"),
        "{kv}"
    );
    assert!(r.pushes.is_empty());
    // Deregistered already: 404, nothing invalidated.
    let r = send(&mut b, "deregister", &deregister(), "bXJr");
    assert!(text(&r).contains("404 Not Found") && !text(&r).contains("LTKM"));
    // UDP only agreed: pushed, with the V flag, the response carries none.
    send(&mut b, "register", &register(&listing(&[0])), "bXJr");
    let r = send(&mut b, "deregister", &deregister(), "bXJr");
    assert!(!text(&r).contains("LTKM"), "{}", text(&r));
    assert_eq!(r.pushes.len(), 1);
    assert!(validity(&r.pushes[0]).contains("ffffffff"));
    // Not told to invalidate: no LTKM either way.
    let mut plain = bsm(None);
    send(&mut plain, "register", &register(&listing(&[0, 2])), "bXJr");
    let r = send(&mut plain, "deregister", &deregister(), "bXJr");
    assert!(!text(&r).contains("LTKM") && r.pushes.is_empty());
}

#[test]
fn the_deregistration_faults_misplace_the_invalidating_ltkms() {
    let text = |r: &Reply| String::from_utf8_lossy(&r.body).into_owned();
    let mut b = bsm(Some(Fault::DeregLtkmRegistrationContainer));
    send(&mut b, "register", &register(&listing(&[0, 2])), "bXJr");
    let r = send(&mut b, "deregister", &deregister(), "bXJr");
    assert!(text(&r).contains("<bcast:RegistrationResponseResponseExtension><bcast:LTKM>"));
    let mut b = bsm(Some(Fault::DeregLtkmBeside404));
    send(&mut b, "register", &register(&listing(&[0, 2])), "bXJr");
    let r = send(&mut b, "deregister", &deregister(), "bXJr");
    let body = text(&r);
    assert!(
        body.contains("404 Not Found")
            && body.contains("<bcast:DeregistrationResponseResponseExtension><bcast:LTKM>"),
        "{body}"
    );
}

/// TS 33.246 G.2.4 (Table G.2.4-1): a request that was missing or malformed, or typed other
/// than its payload's media type, gets 400; the two faults answer 200 and 415 instead.
#[test]
fn malformed_and_mistyped_requests_get_400_unless_a_fault_is_staged() {
    let msk = "<mbmsMSKRequest xmlns=\"urn:3GPP:metadata:2005:MBMS:mskRequest\"><MSK><keyDomainID>AQID</keyDomainID><MSKID>AAAACQ==</MSKID></MSK></mbmsMSKRequest>";
    let good = register(&listing(&[2]));
    let cases = |b: &mut Bsm| {
        [
            send(b, "register", "<mbmsSecurityRegister", "bXJr").status,
            send(b, "register", msk, "bXJr").status,
            send(b, "msk-request", "", "bXJr").status,
            send_typed(b, "register", "application/xml", &good, "bXJr").status,
            send_typed(
                b,
                "register",
                "APPLICATION/MBMS-REGISTER+XML; charset=utf-8",
                &good,
                "bXJr",
            )
            .status,
        ]
    };
    assert_eq!(cases(&mut bsm(None)), [400, 400, 400, 400, 200]);
    assert_eq!(
        cases(&mut bsm(Some(Fault::AcceptMalformed))),
        [200, 200, 200, 400, 200]
    );
    assert_eq!(
        cases(&mut bsm(Some(Fault::UnsupportedMediaType))),
        [400, 400, 400, 415, 200]
    );
    let mut b = bsm(Some(Fault::AcceptMalformed));
    let r = send(&mut b, "register", msk, "bXJr");
    assert!(r.body.is_empty() && r.headers.is_empty());
}

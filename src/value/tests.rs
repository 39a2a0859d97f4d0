//! Equality by type: each type's equal spellings, and the ones that must stay apart.

use super::*;

fn ty(name: &str) -> ValueType {
    name.parse().expect("a known type")
}

#[test]
fn integers_compare_by_value() {
    let toi = ty("positiveInteger");
    assert!(toi.same("02", "2"));
    assert!(toi.same(" 2\n", "+2"));
    assert!(!toi.same("2", "20"));
    // Zero is not a positiveInteger: it has no typed value, so it is compared as text.
    assert_eq!(toi.parse("0"), None);
    assert_eq!(toi.parse("-2"), None);
    assert!(!toi.same("00", "0"));
    let byte = ty("xs:unsignedByte");
    assert!(byte.same("+007", "7"));
    assert!(byte.same("-0", "0"));
    assert_eq!(byte.parse("256"), None);
    assert_eq!(byte.parse("-1"), None);
    assert_eq!(ty("byte").parse("-128"), Some(TypedValue::Integer(-128)));
    assert_eq!(
        ty("nonPositiveInteger").parse("+0"),
        Some(TypedValue::Integer(0))
    );
    assert_eq!(ty("nonPositiveInteger").parse("+1"), None);
    assert_eq!(ty("integer").parse("1 2"), None);
    assert_eq!(
        ty("unsignedLong").parse("18446744073709551615"),
        Some(TypedValue::Integer(u64::MAX as i128))
    );
}

#[test]
fn booleans_and_tokens() {
    let b = ty("boolean");
    assert!(b.same("true", " 1 "));
    assert!(b.same("0", "false"));
    assert!(
        !b.same("true", "TRUE"),
        "TRUE is no boolean: compared as text"
    );
    assert!(ty("token").same(" a  b ", "a b"));
    assert!(!ty("string").same(" a", "a"));
}

#[test]
fn base64_ignores_whitespace() {
    let b = ty("base64Binary");
    assert!(b.same("AQID\nBA==", "AQIDBA=="));
    assert!(!b.same("AQIDBA==", "AQIDBQ=="));
}

#[test]
fn ip_addresses() {
    let ip = ValueType::IpAddress;
    assert!(ip.same("2001:db8::7", "2001:db8:0:0:0:0:0:7"));
    assert!(ip.same("2001:0db8::5", "2001:DB8::5"));
    assert!(ip.same("[2001:db8::5]", "2001:db8::5"));
    assert!(ip.same("192.0.2.1", " 192.0.2.1"));
    // IPv4-mapped is another address family; a zone names a link.
    assert!(!ip.same("::ffff:192.0.2.1", "192.0.2.1"));
    assert!(!ip.same("fe80::1%eth0", "fe80::1"));
    assert!(!ip.same("fe80::1%eth0", "fe80::1%eth1"));
    assert!(ip.same("[fe80::1%25eth0]", "fe80::1%eth0"));
    assert_eq!(ip.parse("010.0.0.1"), None);
    assert!(ip::same_host("[2001:db8::7]:2269", "2001:db8:0:0::7"));
    assert!(ip::same_host("BSM.example.com:80", "bsm.example.com"));
    assert!(ip::same_dns_name("BSM.Operator.COM", "bsm.operator.com"));
    assert!(!ip::same_dns_name("bsm.operator.com", "bsm2.operator.com"));
    assert!(!ip::same_host("10.0.0.7", "host.example"));
    assert!(ip::why_not_same_host("[::ffff:192.0.2.7]:2269", "192.0.2.7").is_some());
    assert!(ip::why_not_same_host("fe80::1%eth0", "fe80::1").is_some());
    assert_eq!(ip::why_not_same_host("192.0.2.8", "192.0.2.7"), None);
}

#[test]
fn sip_uris_rfc3261_19_1_4() {
    let u = ValueType::Uri;
    // The RFC's own equal pairs.
    assert!(u.same(
        "sip:%61lice@atlanta.com;transport=TCP",
        "sip:alice@AtLanTa.CoM;Transport=tcp"
    ));
    assert!(u.same("sip:carol@chicago.com", "sip:carol@chicago.com;newparam=5"));
    assert!(u.same(
        "sip:biloxi.com;transport=tcp;method=REGISTER?to=sip:bob%40biloxi.com",
        "sip:biloxi.com;method=REGISTER;transport=tcp?to=sip:bob%40biloxi.com"
    ));
    assert!(u.same(
        "sip:alice@atlanta.com?subject=project%20x&priority=urgent",
        "sip:alice@atlanta.com?priority=urgent&subject=project%20x"
    ));
    assert!(u.same("sip:alice@EXAMPLE.COM", "<sip:alice@example.com>"));
    assert!(u.same("SIP:alice@example.com", "sip:alice@example.com"));
    // The RFC's unequal pairs.
    assert!(!u.same(
        "SIP:ALICE@AtLanTa.CoM;Transport=udp",
        "sip:alice@AtLanTa.CoM;Transport=UDP"
    ));
    assert!(!u.same("sip:bob@biloxi.com", "sip:bob@biloxi.com:5060"));
    assert!(!u.same("sip:bob@biloxi.com", "sip:bob@biloxi.com;transport=udp"));
    assert!(!u.same(
        "sip:bob@biloxi.com",
        "sip:bob@biloxi.com:6000;transport=tcp"
    ));
    assert!(!u.same(
        "sip:carol@chicago.com",
        "sip:carol@chicago.com?Subject=next%20meeting"
    ));
    assert!(!u.same("sip:bob@phone21.boxesbybob.com", "sip:bob@192.0.2.4"));
    assert!(!u.same("sip:alice@example.com", "sips:alice@example.com"));
    assert!(!u.same(
        "sip:alice@example.com;maddr=239.255.255.1",
        "sip:alice@example.com"
    ));
    assert!(!u.same("sip:alice@example.com;user=phone", "sip:alice@example.com"));
    // An escaped reserved character is not the character.
    assert!(!u.same("sip:a%3Ab@example.com", "sip:a:b@example.com"));
    assert!(u.same("sip:a%3ab@example.com", "sip:a%3Ab@example.com"));
    assert!(u.same(
        "sip:alice@[2001:db8::1]",
        "sip:alice@[2001:DB8:0:0:0:0:0:1]"
    ));
    assert_eq!(u.parse("sip:alice@exa mple.com"), None);
    assert_eq!(u.parse("sip:al%4"), None);
}

#[test]
fn tel_uris_rfc3966_4() {
    let u = ValueType::Uri;
    assert!(u.same("tel:+1-201-555-0123", "tel:+1(201)5550123"));
    assert!(u.same(
        "tel:7042;phone-context=EXAMPLE.com",
        "tel:7042;phone-context=example.com"
    ));
    assert!(u.same(
        "tel:863-1234;phone-context=+1-914-555",
        "tel:8631234;phone-context=+1914555"
    ));
    assert!(!u.same("tel:+12015550123", "tel:+12015550123;ext=1"));
    assert!(!u.same(
        "tel:+12015550123",
        "tel:12015550123;phone-context=example.com"
    ));
    assert_eq!(
        u.parse("tel:1234"),
        None,
        "a local number names its context"
    );
}

#[test]
fn media_types() {
    let m = ValueType::MediaType;
    assert!(m.same("Application/MIKEY; charset=x", "application/mikey"));
    assert!(!m.same("application/mikey", "application/octet-stream"));
    assert!(MediaType::is("APPLICATION/mikey ;a=b", "application/mikey"));
    assert!(!MediaType::is("application", "application"));
    assert_eq!(media_type_essence(" Video/3GPP ; x=y"), "video/3gpp");
}

#[test]
fn unknown_type_names_are_refused() {
    assert!("positiveInteger".parse::<ValueType>().is_ok());
    assert!("ip".parse::<ValueType>().is_err());
}

#[test]
fn escapes_need_two_hex_digits() {
    assert_eq!(ValueType::Uri.parse("sip:a%+1@example.com"), None);
    assert_eq!(ValueType::Uri.parse("sip:a%4@example.com"), None);
}

/// Any text, any type: a typed value or none, never a panic.
#[test]
fn no_input_panics() {
    let types = [
        "string",
        "token",
        "positiveInteger",
        "unsignedByte",
        "byte",
        "boolean",
        "base64Binary",
        "ip-address",
        "uri",
        "media-type",
    ];
    let long = "9".repeat(60);
    let mut nasty = vec![
        "",
        " ",
        "%",
        "%%",
        "+",
        "-",
        "-0",
        "+-1",
        "sip:",
        "sip:@",
        "sip:a@",
        "sip:[",
        "sip:[::1",
        "sip:a@[::1]x",
        "sip:a@h:99999",
        "sip:a@h;",
        "sip:a@h;=x",
        "sip:a@h?",
        "sip:a@h?x",
        "tel:",
        "tel:+",
        "tel:+1;",
        "[",
        "]",
        "[]",
        "%25",
        "fe80::1%",
        "[fe80::1%25]",
        "a/",
        "/b",
        "a/b;",
        "é/ü",
        "\u{0}",
        "::ffff:1.2.3.4%x",
    ];
    nasty.push(&long);
    for t in types {
        let ty: ValueType = t.parse().unwrap();
        for n in &nasty {
            let _ = ty.key(n);
            let _ = ty.same(n, n);
            let _ = ip::why_not_same_host(n, n);
        }
    }
}

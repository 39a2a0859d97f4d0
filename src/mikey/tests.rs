//! Tests: real vectors, round trips, truncation, hostile lengths, proptest.

use super::encode::*;
use super::ext::ExtContent;
use super::hdr::CsIdMap;
use super::key_data::KeyValidity;
use super::spec::*;
use super::*;
use base64::Engine;
use proptest::prelude::*;

mod vectors {
    // Real MIKEY messages copied from the vector files (test data).
    pub const SW_GMK: &str = "ARoFAQahKuoBAgQAAQAAAAgN+bw5BqEq6gsA7ImNqAAAAAAOEMovXVH/CGY2LB2FpW+EZR4OCAEAIBWk1bEoVlONAtkf7bt2bm3Td7AUyS4hZmbI+2eGCNIODgkBACC1xFIwkhnaaj2AVhVUjWwbD03kWmtI+xPZok2Ff8A9xA4GAQAYa21zLm15ZGV2LnN0cmVhbXdpZGUuY29tCgcBABhrbXMubXlkZXYuc3RyZWFtd2lkZS5jb20aAAAAGwABBgEBEAIBBAQBDAUBAAYBABIBBBMBABQBEBUBAgERBC3aUP1jhkJ9H82+MG+m8UQpuYzjR5JCHxwWvskS8Mny2EqaxY3EcWJhrcq6qkW8/JHV13Ajl7ONGzddlw0JgInw5TgkvS8nxlQFtZTNDAQNYfgHfB6mt2ngI7pK7TBSWLx6kWJtP9+GOsQBq8XF5sn8lU1oc5QYueVprQxfbvCAeNptCSm0d/8tTS1MRoZinm1ptcc56tfqR7SDGaEf4qIwgi+z6OlimTqd4TfQakk+0SS1N6+FpyTVJaV+vHH+XhbdNEAqvEF4kkVa9uBVbz3oibD6qE5r1p5RPLhMdbFSt43kD3m2W0bywQRLcd83h3ToKJjUVZmiJ1looeUhlmLDlOMS1o5aCogO1Y9BzxcIBAcAR0MAAAAAAQAAAAAAAShwT6Qcj+IPiBwbqw0y2MoGoSrqAAAkTt3Dv4wqSl0/yYSEQBI+fQVNq0MI1QV1kgbMeJ0FpM4OSTZNIIEiJZ8Dj82CPpmzeAtvAA00Ld0hK6wK+/O6TLeVfE6HxgAGWUHFH/27VKKiyKPa0tpfDhlEEnWzJiVzWOD/yzXdBGiiTUmxhNcAjSL2OkFd69OL+pKV8Gb6atpZUcIyLS7KHW8dmU8icQ2u93bZxU2aM48yOVCA1vK9/7bHiV8SzaI=";
    pub const SW_CSK: &str = "ARoFAS3dW/ABAgYAAQAAAAQt3VvwCwDsiY2oAAAAAA4QTRPEF5i4LeE7cBqWlzKO3Q4IAQAgtcRSMJIZ2mo9gFYVVI1sGw9N5FprSPsT2aJNhX/APcQOCQEAIBWk1bEoVlONAtkf7bt2bm3Td7AUyS4hZmbI+2eGCNIODgYBABhrbXMubXlkZXYuc3RyZWFtd2lkZS5jb20KBwEAGGttcy5teWRldi5zdHJlYW13aWRlLmNvbRoAAAAbAAEGAQEQAgEEBAEMBQEABgEAEgEEEwEAFAEQFQECAREEfQkdJ4BYO/O2WHY5cZ8HZMAMm5n9MLxgvJCOAv+759hNMLBMPPvnEjivXxmb661AVDQ1haLXdN52IbHmBgLJTYeyPQX8CVon6WVshkoTQCMWMRND0jdyGFRlw24VGkYfL2Z+JBvta/dAy4+GZYxTsqXzF7KOqH4f2P/aY5eVHAEvwF2zwUXUB0nOIs8Jtq/7dT+hwB5/mvoQiK+uiFkdwEvltVw6ZCzpWiqO+ly/ulyhYXubtqqFOvKMWLe/dqdaEsOMmsP4ZFTsYYOCU5B9IbrQ02IZDNJlNasQNe/m5MrC5+WcZkTw54G/ViwtQlxhuoi/E8J6XL0bY4n44uXDvmRNXMkLCsMC1y/iJVKWo9EEBwBEQwAAAAABAAAAAAABb37iYqxNp/XQanLehoFqvi3dW/AAACG8cPNwhkxPqPeos5kqzBfSM1U4vqkNYBaZK2uYKuhgCPAggdf8YqSPHsId0HAlWI2c3FevHT8Yd84XlCTMbp/Y8UE/qNnqyYDSyrpmrkj9okfl3jPsNoqzh8uddNZSTDzr5UAEJs2LCjOvmzge5T68aEGu1cHJj7DSvrnH/5jXx5gI0fVmZZ9rc1AWGS3ZmE31blTz+Vx2rEY4wfPTIo88dSyMyA==";
    pub const SW_PCK: &str = "ARoFARaZJjgAAQsA7ImNqAAAAAAOEAKii92vmExeBWO8HOhX34MOCAEAILXEUjCSGdpqPYBWFVSNbBsPTeRaa0j7E9miTYV/wD3EDgkBACB4CFHNqRqcM/lBzTooMWl+KJMmR1TjY/igzvgn6yAagQ4GAQAYa21zLm15ZGV2LnN0cmVhbXdpZGUuY29tCgcBABhrbXMubXlkZXYuc3RyZWFtd2lkZS5jb20aAAAAGwABBgEBEAIBBAQBDAUBAAYBABIBBBMBABQBEBUBAgERBF0yVtvyB49KhE+ao3Hj8W+gNROh57Tk5/9BWa2jNv1YLxYpBxV7206wlv/WHWlzz+NgptVcWgECwaekKAGURuP4TA+dRQpkGvqW8wImX2EF8Zjy+a1pOZMZ3YFAYRiYEAAGmOByWKdDDOT0TfgL2pPFXS1CvZ/bZtQL03Q8fL/JInBbnv4dSYiJ9/fkeeqg37yIRsjA3Xfds7k/2o4f0s4NisOs74F2xjE12l3/764H+g1y2rAMAWkjaJbS9jbVfZNGDauoRhq8zuXEXH1c5ftqs4VEPeOPmWjAkW1rQe8KxkZbmtrygtNpBIXVeZZEyorzD+MyQ2zL9xoGVs8cToze4NOxYt19SOInSpGO5Q0vBAcAREMAAAAAAQAAAAAAAfb0FW9YVClhy8qPsQ5m8WcWmSY4AAAhpTVAAi78zLNoUFiVPGjByx4N9U9gccPiQl1eiCiFLm8BIIFAPW9oE9lYM5oS5nQS9bWbJzGv+vWNAh2uUWmyG/OTGMeFzAD0JFMB6zcf7ck7GFns2OEPIGGx+7046le+CihyBCbNiwozr5s4HuU+vGhBrtXByY+w0r65x/+Y18eYCNH1ZmWfa3NQFhkt2ZhN9W5U8/lcdqxGOMHz0yKPPHUsjMg=";
    pub const SW_LEGACY: &str = "ARoFAQSCCacCAADK/rq+AAAAAAAAAAAAAAAAAAsA7ImNqAAAAAAOEM3U5xrZLMCQ86E8tmouyxgOCAEAIBWk1bEoVlONAtkf7bt2bm3Td7AUyS4hZmbI+2eGCNIODgkBACDts81zMWioEQbjZsLdwOS8Mj6QadSO3+KzsPcDO66WKg4GAQAYa21zLm15ZGV2LnN0cmVhbXdpZGUuY29tCgcBABhrbXMubXlkZXYuc3RyZWFtd2lkZS5jb20aAAAAGwABBgEBEAIBBAQBDAUBAAYBABIBBBMBABQBEBUBAgERBF6WXZDP1xXQb6fqRvMIIWmyvxj3mWH7CM+1KiNnW67b1ZyKQfnNTTVd6qOmDw5gOl2AJsvvVT2hRmzZENyjyVRp0njGf1jT7kNElNm604PwuYPUrRZfEJkx8S+RlZ4Yzi3e5rQiT51qw2fs6B9Eeikz8G0ERl2OL9hK9Fuhei4VePlS0iDpxuDnUmHik4nTc8F+7ApxagH0YP/6V3EgnLMoBnjW6qBK2F+2BTXNY8uZ3FBmk71ta8O2vg32fhQZpRqv5XE9tMkG0Xdkrk2IwX234rVLlgGudn7kNuQUS2zbsh6FdUYXCEY8zzMIZMCAbEjHkm1CIMlJ+Qj2sTkW8YO4HjdsRwl5Ja6hNciqF54XBAcAEQEAAAABAAAAAAAAAAAAAAAAIIH/fqEkt5+oaoFcfKQ58KNfBa9wOmqCE6kGkoPOHu3amjBGJiTGbSZLzi5SElAtgAIY1zsJxcUoLV+65v9s8THsBGiiTUmxhNcAjSL2OkFd69OL+pKV8Gb6atpZUcIyLS7KHW8dmU8icQ2u93bZxU2aM48yOVCA1vK9/7bHiV8SzaI=";
    pub const DBC_MSK_A: &str = "01001500AAAABBBB00010503000B0003AAAAAA0104A1A2A3A40B020000000106101234567890ABCDEFFEDCBA09876543210600000D017777772E6D6F74762E636F6D0100002578684F4270656B496C42386E30735265554A384768673D3D407777772E6D6F74762E636F6D0001001EF803DE39E567B027D221A37CA7AFC64DA12A01B63DA0C9557C89CD62301E01808F4484B971163BAB8631E26D535B2264F23FD2";
    pub const DBC_MTK_A: &str = "01001500AAAABBBB0001050300110003AAAAAA0104A1A2A3A40204011015AF01020000000200010014720DA995A33323DE7AA0EB963E2AD82151A11A2E017C16BF73408F0BF1FD52CCD6ADDE8CD9A4A53B8C";
}
use vectors::*;

fn b64(s: &str) -> Vec<u8> {
    base64::engine::general_purpose::STANDARD.decode(s).unwrap()
}

/// (name, bytes, expected length)
fn all_vectors() -> Vec<(&'static str, Vec<u8>, usize)> {
    vec![
        ("sw_gmk", b64(SW_GMK), 701),
        ("sw_csk", b64(SW_CSK), 694),
        ("sw_pck", b64(SW_PCK), 683),
        ("sw_legacy", b64(SW_LEGACY), 650),
        ("dbc_msk_a", hex::decode(DBC_MSK_A).unwrap(), 162),
        ("dbc_mtk_a", hex::decode(DBC_MTK_A).unwrap(), 82),
        // GStreamer HDR test vector: PSK init, CSB 0x12345678, #CS 0, SRTP-ID, NP 0.
        ("gst_hdr", hex::decode("01000000123456780000").unwrap(), 10),
    ]
}

fn body_types(m: &Message<'_>) -> Vec<u8> {
    m.payloads.iter().map(|p| p.payload_type.0).collect()
}

#[test]
fn all_vectors_decode_clean_and_round_trip() {
    for (name, bytes, len) in all_vectors() {
        assert_eq!(bytes.len(), len, "{name} length");
        let d = decode(&bytes);
        assert!(d.issues.is_empty(), "{name}: {:?}", d.issues);
        let m = d.message.as_ref().expect(name);
        let end = m
            .payloads
            .last()
            .map(|p| p.offset + p.len)
            .unwrap_or(m.header.len);
        assert_eq!(end, bytes.len(), "{name} consumed");
        assert_eq!(encode(m), bytes, "{name} round trip");
        // Through the owned spec and JSON.
        let spec = MessageSpec::from(m);
        let js = serde_json::to_string(&spec).unwrap();
        let back: MessageSpec = serde_json::from_str(&js).unwrap();
        assert_eq!(back.to_bytes().unwrap(), bytes, "{name} spec round trip");
    }
}

/// Facts common to the Streamwide MIKEY-SAKKE I_MESSAGEs.
fn check_sakke_common(name: &str, m: &Message<'_>) {
    let h = &m.header;
    assert_eq!(h.version.value, 1, "{name}");
    assert_eq!(h.data_type.value, DataType::SAKKE, "{name}");
    assert_eq!(h.data_type.value.0, 26);
    assert!(!h.v.value);
    assert_eq!(h.prf.value, PrfFunc::PRF_HMAC_SHA_256);
    assert_eq!((h.prf.offset, h.csb_id.offset), (3, 4));
    // T, RAND, IDR x4, SP, SAKKE, EXT, SIGN
    assert_eq!(
        body_types(m),
        vec![5, 11, 14, 14, 14, 14, 10, 26, 21, 4],
        "{name}"
    );
    match &m.payloads[0].body {
        PayloadBody::T(t) => {
            assert_eq!(t.ts_type.value, TsType::NTP_UTC);
            assert_eq!(t.ts_value.value, 0xec89_8da8_0000_0000);
        }
        b => panic!("{b:?}"),
    }
    match &m.payloads[1].body {
        PayloadBody::Rand(r) => assert_eq!(r.rand.len, 16),
        b => panic!("{b:?}"),
    }
    let roles: Vec<u8> = m
        .payloads
        .iter()
        .filter_map(|p| match &p.body {
            PayloadBody::Idr(i) => {
                assert_eq!(i.id_type.value, IdType::URI);
                Some(i.role.value.0)
            }
            _ => None,
        })
        .collect();
    assert_eq!(roles, vec![8, 9, 6, 7], "{name}");
    for p in &m.payloads {
        if let PayloadBody::Idr(i) = &p.body {
            match i.role.value {
                IdRole::IDRUIDI | IdRole::IDRUIDR => assert_eq!(i.id.len, 32),
                _ => assert_eq!(i.id.value, b"kms.mydev.streamwide.com"),
            }
        }
    }
    match &m.payloads[6].body {
        PayloadBody::Sp(sp) => {
            assert_eq!(sp.policy_no.value, 0);
            assert_eq!(sp.prot_type.value, ProtType::SRTP);
            assert_eq!(sp.params_len.value, 27);
            let ps: Vec<(u8, u64)> = sp
                .params
                .as_ref()
                .unwrap()
                .iter()
                .map(|p| (p.param_type.value, p.as_uint().unwrap()))
                .collect();
            assert_eq!(
                ps,
                vec![
                    (0, 6),
                    (1, 16),
                    (2, 4),
                    (4, 12),
                    (5, 0),
                    (6, 0),
                    (18, 4),
                    (19, 0),
                    (20, 16)
                ]
            );
        }
        b => panic!("{b:?}"),
    }
    match &m.payloads[7].body {
        PayloadBody::Sakke(s) => {
            assert_eq!(s.params.value, SakkeParams::PARAMETER_SET_1);
            assert_eq!(s.id_scheme.value, SakkeIdScheme::MCX_HASHED_UID);
            assert_eq!(s.data.len, 273);
            assert_eq!(s.data.value.0[0], 0x04);
        }
        b => panic!("{b:?}"),
    }
    let sign = m.sign().expect("SIGN last");
    assert_eq!(sign.sign_type.value, SignType::ECCSI);
    assert_eq!(sign.sig_len.value, 129);
    assert_eq!(sign.signature.len, 129);
    assert_eq!(m.payloads.last().unwrap().next_payload, None);
}

fn ext_of<'m, 'a>(m: &'m Message<'a>) -> &'m ext::GeneralExt<'a> {
    m.payloads
        .iter()
        .find_map(|p| match &p.body {
            PayloadBody::Ext(e) => Some(e),
            _ => None,
        })
        .unwrap()
}

#[test]
fn streamwide_gmk_facts() {
    let b = b64(SW_GMK);
    let d = decode(&b);
    let m = d.message.as_ref().unwrap();
    check_sakke_common("gmk", m);
    assert_eq!(m.header.csb_id.value, 0x06a1_2aea);
    assert_eq!(
        PurposeTag::of_key_id(m.header.csb_id.value),
        PurposeTag::GMK
    );
    assert_eq!(m.header.cs_count.value, 1);
    match &m.header.cs_id_map {
        CsIdMap::GenericId(v) => {
            assert_eq!(v.len(), 1);
            assert_eq!(v[0].cs_id.value, 4);
            assert_eq!(v[0].prot_type.value, ProtType::SRTP);
            assert!(!v[0].s.value);
            assert_eq!(
                v[0].policies.iter().map(|p| p.value).collect::<Vec<_>>(),
                vec![0]
            );
            assert_eq!(v[0].session_data.len, 0);
            assert_eq!(v[0].spi.value, hex::decode("0df9bc3906a12aea").unwrap());
        }
        x => panic!("{x:?}"),
    }
    let e = ext_of(m);
    assert_eq!(e.ext_type.value, ExtType::KEY_PARAMETERS_3GPP);
    assert_eq!(e.data.len, 71);
    match &e.content {
        Some(ExtContent::KeyParameters(k)) => {
            assert_eq!(k.message_type.value, McDataMessageType(0x43));
            assert_eq!(k.dppk_id.value, 0x06a1_2aea);
        }
        x => panic!("{x:?}"),
    }
}

#[test]
fn streamwide_csk_facts() {
    let b = b64(SW_CSK);
    let d = decode(&b);
    let m = d.message.as_ref().unwrap();
    check_sakke_common("csk", m);
    assert_eq!(m.header.csb_id.value, 0x2ddd_5bf0);
    assert_eq!(
        PurposeTag::of_key_id(m.header.csb_id.value),
        PurposeTag::CSK
    );
    match &m.header.cs_id_map {
        CsIdMap::GenericId(v) => {
            assert_eq!(v[0].cs_id.value, 6);
            assert_eq!(v[0].spi.value, hex::decode("2ddd5bf0").unwrap());
        }
        x => panic!("{x:?}"),
    }
    let e = ext_of(m);
    assert_eq!(e.data.len, 68);
    match &e.content {
        Some(ExtContent::KeyParameters(k)) => {
            assert_eq!(k.dppk_id.value, 0x2ddd_5bf0);
            assert_eq!(k.date_time.value, hex::decode("0000000001").unwrap());
            assert_eq!(k.iei.value, 0);
            assert_eq!(k.ie_len.value, 0x21);
            assert_eq!(k.ie_content.len, 33);
        }
        x => panic!("{x:?}"),
    }
    assert_eq!(b.len(), 694);
}

#[test]
fn streamwide_pck_facts() {
    let b = b64(SW_PCK);
    let d = decode(&b);
    let m = d.message.as_ref().unwrap();
    check_sakke_common("pck", m);
    assert_eq!(m.header.csb_id.value, 0x1699_2638);
    assert_eq!(
        PurposeTag::of_key_id(m.header.csb_id.value),
        PurposeTag::PCK
    );
    assert_eq!(m.header.cs_count.value, 0);
    assert_eq!(m.header.cs_id_map_type.value, CsIdMapType::EMPTY);
    assert_eq!(m.header.cs_id_map, CsIdMap::Empty);
    assert_eq!(m.header.len, 10);
}

#[test]
fn streamwide_legacy_facts() {
    let b = b64(SW_LEGACY);
    let d = decode(&b);
    let m = d.message.as_ref().unwrap();
    check_sakke_common("legacy", m);
    assert_eq!(m.header.csb_id.value, 0x0482_09a7);
    match &m.header.cs_id_map {
        CsIdMap::SrtpId(v) => {
            assert_eq!(v.len(), 2);
            assert_eq!(v[0].ssrc.value, 0xcafe_babe);
            assert_eq!(v[1].ssrc.value, 0);
            assert_eq!(v[1].offset, 19);
        }
        x => panic!("{x:?}"),
    }
    let e = ext_of(m);
    assert_eq!(e.data.len, 17);
    match &e.content {
        Some(ExtContent::KeyParametersPlain(k)) => {
            assert_eq!(k.key_type.value, 1);
            assert_eq!(k.status.value, 1);
            assert_eq!(k.text_len.value, 0);
        }
        x => panic!("{x:?}"),
    }
}

/// The CSK I_MESSAGE with the first octet of its type 7 data (the MCData message type) set.
fn csk_with_message_type(t: u8) -> Vec<u8> {
    let mut b = b64(SW_CSK);
    assert_eq!(b[495], 0x43);
    b[495] = t;
    b
}

#[test]
fn key_parameters_layout_is_told_by_structure_not_by_the_message_type() {
    use ext::{layout_of_key_parameters, KeyParametersLayout as L};
    // Another sender's message type: the protected layout still fits, the message decodes
    // completely (it used to be read as the plain layout, with an overrunning text length).
    let b = csk_with_message_type(0x40);
    let d = decode(&b);
    assert!(d.is_clean(), "{:?}", d.issues);
    let m = d.message.as_ref().unwrap();
    match &ext_of(m).content {
        Some(ExtContent::KeyParameters(k)) => {
            assert_eq!(k.message_type.value, McDataMessageType(0x40));
            assert_eq!(k.message_type.offset, 495);
            assert_eq!(k.dppk_id.value, m.header.csb_id.value);
            assert_eq!(k.ie_len.value, 0x21);
        }
        x => panic!("{x:?}"),
    }
    assert_eq!(encode(m), b);
    assert!(render::to_text_tree(&d).contains("message type: 64 (unknown)"));

    let csk = b64(SW_CSK);
    let data = &csk[495..495 + 68];
    let csb = 0x2ddd_5bf0;
    assert_eq!(layout_of_key_parameters(data, csb), L::Protected);
    let mut other = data.to_vec();
    other[0] = 0x40;
    assert_eq!(layout_of_key_parameters(&other, csb), L::Protected);
    // The legacy 17-octet plain Key Parameters (key type 1, status 1, no text).
    let legacy = hex::decode("0100000001000000000000000000000000").unwrap();
    assert_eq!(layout_of_key_parameters(&legacy, 0x0482_09a7), L::Plain);
    // A plain blob with text and group IDs, whatever its first octet.
    let mut plain = hex::decode("0300000001000000000000000000000000").unwrap();
    plain[15..17].copy_from_slice(&[0, 3]);
    plain.extend_from_slice(b"abc\x01\x02");
    assert_eq!(layout_of_key_parameters(&plain, 0), L::Plain);
    // 0x43 with a wrong IE length stays protected, so the decoder reports the mismatch.
    let mut broken = data.to_vec();
    broken[34] = 0x20;
    assert_eq!(layout_of_key_parameters(&broken, csb), L::Protected);
    let mut msg = csk.clone();
    msg[495 + 34] = 0x20;
    assert!(decode(&msg)
        .issues
        .iter()
        .any(|i| i.kind() == "length_mismatch"));
    // Neither the samples' type nor the CSB ID nor fitting lengths: the plain layout.
    let mut alien = data.to_vec();
    alien[0] = 0x40;
    alien[28] ^= 0xff;
    alien[34] = 0x20;
    alien[15..17].copy_from_slice(&[0, 0]);
    assert_eq!(layout_of_key_parameters(&alien, csb), L::Plain);
    // Never panics on short data.
    for n in 0..40 {
        let _ = layout_of_key_parameters(&data[..n.min(data.len())], csb);
    }
}

#[test]
fn dbc_msk_facts() {
    let b = hex::decode(DBC_MSK_A).unwrap();
    let d = decode(&b);
    assert!(d.is_clean(), "{:?}", d.issues);
    let m = d.message.unwrap();
    assert_eq!(m.header.data_type.value, DataType::PSK_INIT);
    assert_eq!(m.header.next_payload.value, PayloadType::GENERAL_EXT);
    assert_eq!(m.header.prf.value, PrfFunc::MIKEY_1);
    assert_eq!(m.header.csb_id.value, 0xAAAA_BBBB);
    assert_eq!(m.header.cs_id_map_type.value, CsIdMapType::EMPTY);
    assert_eq!(body_types(&m), vec![21, 5, 11, 6, 6, 1]);
    match &ext_of(&m).content {
        Some(ExtContent::KeyIds { key_ids }) => {
            let v: Vec<(u8, Vec<u8>)> = key_ids
                .iter()
                .map(|k| (k.key_id_type.value.0, k.key_id.value.to_vec()))
                .collect();
            assert_eq!(
                v,
                vec![
                    (0, vec![0xAA, 0xAA, 0xAA]),
                    (1, vec![0xA1, 0xA2, 0xA3, 0xA4])
                ]
            );
        }
        x => panic!("{x:?}"),
    }
    match &m.payloads[1].body {
        PayloadBody::T(t) => {
            assert_eq!(t.ts_type.value, TsType::COUNTER);
            assert_eq!((t.ts_value.value, t.ts_value.len), (1, 4));
        }
        b => panic!("{b:?}"),
    }
    match &m.payloads[4].body {
        PayloadBody::Id(i) => {
            assert_eq!(i.id_type.value, IdType::NAI);
            assert_eq!(i.id.value, b"xhOBpekIlB8n0sReUJ8Ghg==@www.motv.com");
        }
        b => panic!("{b:?}"),
    }
    match &m.payloads[5].body {
        PayloadBody::Kemac(k) => {
            assert_eq!(k.encr_alg.value, EncrAlg::AES_CM_128);
            assert_eq!(k.encr_data.len, 30);
            assert_eq!(k.key_data, None);
            assert_eq!(k.mac_alg.value, MacAlg::HMAC_SHA_1_160);
            assert_eq!(k.mac.len, 20);
            assert_eq!(m.payloads[5].next_payload.unwrap().value, PayloadType::LAST);
        }
        b => panic!("{b:?}"),
    }
}

#[test]
fn dbc_mtk_facts() {
    let b = hex::decode(DBC_MTK_A).unwrap();
    let d = decode(&b);
    assert!(d.is_clean(), "{:?}", d.issues);
    let m = d.message.unwrap();
    assert_eq!(body_types(&m), vec![21, 5, 1]);
    match &ext_of(&m).content {
        Some(ExtContent::KeyIds { key_ids }) => {
            assert_eq!(key_ids.len(), 3);
            assert_eq!(key_ids[2].key_id_type.value, KeyIdType::MBMS_MTK_ID);
            assert_eq!(key_ids[2].key_id.value, [0x01, 0x10, 0x15, 0xAF]);
        }
        x => panic!("{x:?}"),
    }
    match &m.payloads[2].body {
        PayloadBody::Kemac(k) => assert_eq!(k.encr_data.len, 20),
        b => panic!("{b:?}"),
    }
}

#[test]
fn every_prefix_gives_an_issue_and_never_panics() {
    for (name, bytes, _) in all_vectors() {
        for n in 0..bytes.len() {
            let d = decode(&bytes[..n]);
            assert!(!d.issues.is_empty(), "{name} prefix {n} has no issue");
            for i in &d.issues {
                assert!(i.offset() <= n, "{name} prefix {n}: {i:?}");
            }
            // Payloads decoded before the cut are kept.
            if let Some(m) = &d.message {
                for p in &m.payloads {
                    assert!(p.offset + p.len <= n);
                }
            }
            let _ = render::to_text_tree(&d);
        }
    }
}

#[test]
fn truncated_sakke_keeps_earlier_payloads() {
    let b = b64(SW_CSK);
    let d = decode(&b[..b.len() - 10]);
    let m = d.message.as_ref().unwrap();
    assert_eq!(m.payloads.len(), 9); // everything but SIGN
    assert!(matches!(
        d.issues.as_slice(),
        [WireIssue::LengthOverrun {
            what: "SIGN signature",
            declared: 129,
            available: 119,
            ..
        }]
    ));
}

#[test]
fn length_fields_ffff_are_issues_not_allocations() {
    let b = b64(SW_CSK);
    let d = decode(&b);
    let m = d.message.as_ref().unwrap();
    // Patch every 16-bit length field we know to 0xFFFF, one at a time.
    let mut offsets = vec![];
    for p in &m.payloads {
        match &p.body {
            PayloadBody::Sakke(s) => offsets.push(s.data_len.offset),
            PayloadBody::Idr(i) => offsets.push(i.id_len.offset),
            PayloadBody::Sp(s) => offsets.push(s.params_len.offset),
            PayloadBody::Ext(e) => offsets.push(e.data_len.offset),
            PayloadBody::Sign(s) => offsets.push(s.sig_len.offset),
            _ => {}
        }
    }
    if let CsIdMap::GenericId(v) = &m.header.cs_id_map {
        offsets.push(v[0].session_data_len.offset);
    }
    assert_eq!(offsets.len(), 9);
    for off in offsets {
        let mut x = b.clone();
        x[off] = 0xff;
        x[off + 1] = 0xff;
        let d = decode(&x);
        assert!(
            d.issues
                .iter()
                .any(|i| matches!(i, WireIssue::LengthOverrun { offset, .. } if *offset == off)),
            "offset {off}: {:?}",
            d.issues
        );
    }
    // #CS = 255 with SRTP-ID map: bounded by the input.
    let d = decode(&[1, 0, 0, 0, 0, 0, 0, 0, 255, 0, 1, 2, 3]);
    assert!(matches!(d.issues[0], WireIssue::Truncated { .. }));
}

#[test]
fn chain_problems_are_reported() {
    // HDR announces T but data ends.
    let buf1 = hex::decode("01000500123456780001").unwrap();
    let d = decode(&buf1);
    assert!(matches!(
        d.issues[..],
        [WireIssue::ChainNotTerminated {
            offset: 10,
            next_payload: 5,
            announced_at: 2
        }]
    ));
    // Trailing data after the last payload.
    let buf2 = hex::decode("01000000123456780001ABCD").unwrap();
    let d = decode(&buf2);
    assert_eq!(
        d.issues,
        vec![WireIssue::TrailingData { offset: 10, len: 2 }]
    );
    assert!(d.message.is_some());
    // Unknown payload type 99 after a T payload.
    let buf3 = hex::decode("010005001234567800016302000000010203").unwrap();
    let d = decode(&buf3);
    let m = d.message.as_ref().unwrap();
    assert_eq!(m.payloads.len(), 1);
    assert_eq!(
        d.issues,
        vec![WireIssue::UnknownPayloadType {
            offset: 16,
            value: 99
        }]
    );
    assert!(d.issues[0].to_string().contains("cannot be skipped"));
    // Unknown CS ID map type with payloads after it.
    let buf4 = hex::decode("0100050012345678000905").unwrap();
    let d = decode(&buf4);
    assert_eq!(
        d.issues,
        vec![WireIssue::UnknownCsIdMapType {
            offset: 9,
            value: 9
        }]
    );
    // Unknown map type with NP 0: the rest is kept raw.
    let b = hex::decode("0100000012345678000905").unwrap();
    let d = decode(&b);
    assert!(d.is_clean());
    assert_eq!(encode(d.message.as_ref().unwrap()), b);
    // Empty input.
    assert_eq!(decode(&[]).issues, vec![WireIssue::Empty]);
}

#[test]
fn too_many_payloads_is_bounded() {
    let mut b = hex::decode("0100050012345678000 1".replace(' ', "")).unwrap();
    for _ in 0..300 {
        b.extend_from_slice(&[5, 2, 0, 0, 0, 1]); // T COUNTER, NP = T
    }
    let d = decode(&b);
    assert_eq!(d.message.as_ref().unwrap().payloads.len(), MAX_PAYLOADS);
    assert!(matches!(
        d.issues[..],
        [WireIssue::TooManyPayloads { limit: 256, .. }]
    ));
}

#[test]
fn kemac_null_key_data_is_decoded_and_redacted() {
    let spec: MessageSpec = serde_json::from_str(
        r#"{
        "header": {"data_type": 0, "csb_id": 305419896, "cs_id_map": {"kind": "srtp_id", "entries": [{"policy_no": 1, "ssrc": 305419896}]}},
        "payloads": [
            {"type": "t", "ts_type": 0, "value": 1},
            {"type": "rand", "rand": "00112233445566778899aabbccddeeff"},
            {"type": "sp", "policy_no": 1, "params": [{"param_type": 0, "value": "01"}, {"param_type": 4, "value": "0e"}]},
            {"type": "kemac", "key_data": [
                {"key_type": 3, "key": "0102030405060708090a0b0c0d0e0f10", "salt": "a1a2a3a4a5a6a7a8a9aaabacadae", "kv": {"kind": "spi", "spi": "00000001"}},
                {"key_type": 2, "key": "ffeeddccbbaa99887766554433221100", "kv": {"kind": "interval", "valid_from": "000000000000", "valid_to": "0000ffffffff"}}
            ]}
        ]}"#,
    )
    .unwrap();
    let b = spec.to_bytes().unwrap();
    let d = decode(&b);
    assert!(d.is_clean(), "{:?}", d.issues);
    let m = d.message.as_ref().unwrap();
    assert_eq!(encode(m), b);
    let k = match &m.payloads[3].body {
        PayloadBody::Kemac(k) => k,
        b => panic!("{b:?}"),
    };
    let kd = k.key_data.as_ref().unwrap();
    assert_eq!(kd.len(), 2);
    assert_eq!(kd[0].next_payload.value, PayloadType::KEY_DATA);
    assert_eq!(kd[0].key_type.value, KeyDataType::TEK_SALT);
    assert_eq!(kd[0].salt.unwrap().len, 14);
    assert!(matches!(kd[0].kv, KeyValidity::Spi { .. }));
    assert!(matches!(kd[1].kv, KeyValidity::Interval { .. }));
    assert_eq!(kd[1].next_payload.value, PayloadType::LAST);
    // No key or salt bytes in any render or Debug output.
    let text = render::to_text_tree(&d);
    let json = render::to_json(&d).to_string();
    let dbg = format!("{d:?}");
    for secret in [
        "0102030405060708090a0b0c0d0e0f10",
        "a1a2a3a4a5a6a7a8a9aaabacadae",
        "ffeeddccbbaa99887766554433221100",
        "0a0b0c0d",
        "a1a2a3a4a5",
    ] {
        assert!(!text.contains(secret), "text leaks {secret}\n{text}");
        assert!(!json.contains(secret), "json leaks {secret}");
        assert!(!dbg.to_lowercase().contains(secret), "debug leaks {secret}");
    }
    assert!(text.contains("<redacted: 16 octets, sha256:"), "{text}");
    assert!(text.contains("key type: 3 (TEK+SALT) [offset"), "{text}");
}

#[test]
fn sakke_data_is_not_rendered() {
    let b = b64(SW_CSK);
    let d = decode(&b);
    let m = d.message.as_ref().unwrap();
    let sakke_hex = m
        .payloads
        .iter()
        .find_map(|p| match &p.body {
            PayloadBody::Sakke(s) => Some(hex::encode(&s.data.value.0[..20])),
            _ => None,
        })
        .unwrap();
    let text = render::to_text_tree(&d);
    let json = render::to_json(&d);
    assert!(!text.contains(&sakke_hex));
    assert!(!json.to_string().contains(&sakke_hex));
    // JSON shape.
    assert_eq!(json["header"]["data_type"]["value"], 26);
    assert_eq!(json["header"]["prf"]["value"], 1);
    assert_eq!(json["header"]["csb_id"]["value"], 0x2ddd5bf0u32);
    assert_eq!(json["header"]["csb_id_purpose_tag"]["value"], 2);
    for k in [
        "version",
        "next_payload",
        "v",
        "cs_count",
        "cs_id_map_type",
        "cs_id_map",
    ] {
        assert!(!json["header"][k].is_null(), "{k}");
    }
    let ps = json["payloads"].as_array().unwrap();
    assert_eq!(ps.len(), 10);
    assert_eq!(ps[7]["type"], 26);
    assert_eq!(ps[7]["name"], "SAKKE");
    assert_eq!(ps[9]["sig_len"]["value"], 129);
    assert_eq!(json["issues"].as_array().unwrap().len(), 0);
    assert!(text.contains("SAKKE (type 26) [offset"), "{text}");
    assert!(
        text.contains("role: 8 (IDRuidi (Hashed Initiator UID))"),
        "{text}"
    );
    assert!(text.contains("csb id: 0x2ddd5bf0"), "{text}");
}

#[test]
fn issues_render() {
    let b = b64(SW_PCK);
    let d = decode(&b[..300]);
    let j = render::to_json(&d);
    assert_eq!(j["complete"], false);
    assert!(!j["issues"][0]["kind"].is_null());
    assert!(!j["issues"][0]["message"].is_null());
    assert!(render::to_text_tree(&d).contains("Issues:"));
}

#[test]
fn input_detection() {
    use input::{load, InputError, InputFormat};
    let raw = b64(SW_CSK);
    assert_eq!(load(&raw).unwrap(), (raw.clone(), InputFormat::Binary));
    let hx = hex::encode(&raw);
    assert_eq!(
        load(hx.as_bytes()).unwrap(),
        (raw.clone(), InputFormat::Hex)
    );
    let spaced = format!(
        "0x{}",
        raw.iter()
            .map(|b| format!("{b:02X}"))
            .collect::<Vec<_>>()
            .join(":")
    );
    assert_eq!(load(spaced.as_bytes()).unwrap().1, InputFormat::Hex);
    assert_eq!(
        load(b"01 00 00 00\n12 34 56 78 00 00\n").unwrap().0.len(),
        10
    );
    assert_eq!(
        load(SW_CSK.as_bytes()).unwrap(),
        (raw.clone(), InputFormat::Base64)
    );
    let v = format!("mikey {SW_CSK}");
    assert_eq!(
        load(v.as_bytes()).unwrap(),
        (raw.clone(), InputFormat::MikeyValue)
    );
    let sdp = format!("v=0\r\no=- 0 0 IN IP4 127.0.0.1\r\ns=-\r\nm=audio 4000 RTP/SAVP 0\r\na=key-mgmt:mikey {SW_CSK}\r\n");
    assert_eq!(
        load(sdp.as_bytes()).unwrap(),
        (raw.clone(), InputFormat::SdpKeyMgmt)
    );
    // Errors.
    assert_eq!(load(b""), Err(InputError::Empty));
    assert!(matches!(load(b"abc"), Err(InputError::InvalidHex(_))));
    assert!(matches!(
        load(b"ARoFAS3dW"),
        Err(InputError::InvalidBase64 { .. })
    ));
    assert!(matches!(
        load(b"ARoFAS3dW="),
        Err(InputError::InvalidBase64 { .. })
    ));
    assert!(matches!(
        load(b"a=key-mgmt:mikey ARo!"),
        Err(InputError::InvalidBase64 {
            format: InputFormat::SdpKeyMgmt,
            ..
        })
    ));
    assert!(matches!(
        load(b"a=key-mgmt:kerberos abc"),
        Err(InputError::NotMikeyKeyMgmt(_))
    ));
    assert_eq!(
        load(&[0xff, 0xfe, 0x00]),
        Ok((vec![0xff, 0xfe, 0x00], InputFormat::Binary))
    );
    assert_eq!(load(b"hello world!"), Err(InputError::Unrecognised));
}

#[test]
fn input_recognition_is_positive() {
    use input::{load, recognise, InputError, InputFormat};
    let raw = b64(SW_CSK);
    // Every accepted form of a real message.
    assert_eq!(recognise(&raw).unwrap(), (raw.clone(), InputFormat::Binary));
    let hx = hex::encode(&raw);
    assert_eq!(recognise(hx.as_bytes()).unwrap().1, InputFormat::Hex);
    assert_eq!(recognise(SW_CSK.as_bytes()).unwrap().1, InputFormat::Base64);
    let v = format!("mikey {SW_CSK}");
    assert_eq!(recognise(v.as_bytes()).unwrap().1, InputFormat::MikeyValue);
    // The key-mgmt attribute names the protocol: its value is MIKEY even with a bad header.
    assert_eq!(
        recognise(b"a=key-mgmt:mikey AgAAAAAAAAAAAA==").unwrap().1,
        InputFormat::SdpKeyMgmt
    );
    let looks = |b: &[u8]| match recognise(b) {
        Err(InputError::NotRecognised { looks_like, .. }) => looks_like,
        other => panic!("{other:?}"),
    };
    let sip =
        "MESSAGE sip:bob@example.com SIP/2.0\r\nVia: SIP/2.0/UDP 192.0.2.1\r\n\r\ncaf\u{e9}\r\n";
    assert_eq!(looks(sip.as_bytes()), "a SIP MESSAGE request");
    assert_eq!(looks(b"SIP/2.0 200 OK\r\n\r\n"), "a SIP response");
    assert_eq!(looks(b"GET /x HTTP/1.1\r\n\r\n"), "an HTTP GET request");
    assert_eq!(looks(b"{\"a\": 1}"), "JSON text");
    assert_eq!(
        looks(b"v=0\r\ns=-\r\n"),
        "an SDP body with no a=key-mgmt line"
    );
    assert_eq!(looks("Notes \u{2014} Tuesday\n".as_bytes()), "text");
    assert_eq!(looks(b"hello world!"), "text");
    assert_eq!(looks(b"cafe"), "hex text, 2 octets");
    assert_eq!(looks(&[0x1f, 0x8b, 8, 0]), "gzip-compressed data");
    // Octets are judged by their header: version, data type, next payload.
    let mut v2 = raw.clone();
    v2[0] = 2;
    assert_eq!(looks(&v2), "binary data");
    let why = |b: &[u8]| match recognise(b) {
        Err(InputError::NotRecognised { why, .. }) => why,
        other => panic!("{other:?}"),
    };
    assert!(why(&v2).starts_with("its first octet is not 1"));
    let mut dt = raw.clone();
    dt[1] = 100;
    assert!(why(&dt).starts_with("octet 1 (data type 100)"));
    let mut np = raw.clone();
    np[2] = 19;
    assert!(why(&np).starts_with("octet 2 (next payload 19)"));
    // Data type 27 (sent by implementations) and private use are plausible.
    for t in [27, 241, 255] {
        let mut m = raw.clone();
        m[1] = t;
        assert!(recognise(&m).is_ok(), "data type {t}");
    }
    // An explicit choice still reads any octets.
    assert_eq!(load(&v2).unwrap().1, InputFormat::Binary);
    assert_eq!(recognise(b""), Err(InputError::Empty));
    // The reasons never quote the input.
    let secret = "0123456789abcdef0123456789abcdef";
    let e = recognise(secret.as_bytes()).unwrap_err().to_string();
    assert!(!e.contains(secret) && !e.contains("0123"), "{e}");
}

#[test]
fn fingerprint_is_the_first_four_octets_of_sha256() {
    assert_eq!(field::fingerprint(b"abc"), "ba7816bf");
}

#[test]
fn spec_rejects_overlong_fields() {
    let spec = MessageSpec {
        header: HeaderSpec {
            version: 1,
            data_type: 26,
            next_payload: None,
            v: false,
            prf: 1,
            csb_id: 0,
            cs_count: None,
            cs_id_map_type: None,
            cs_id_map: CsIdMapSpec::Empty,
        },
        payloads: vec![PayloadSpec::Sign(SignSpec {
            sign_type: 2,
            sig_len: None,
            signature: Hex(vec![0; 5000]),
        })],
    };
    assert!(matches!(
        spec.to_bytes(),
        Err(EncodeError::TooLong { max: 0xfff, .. })
    ));
    // An explicit wrong length is written as given (malformed vector).
    let mut s2 = spec.clone();
    s2.payloads = vec![PayloadSpec::Rand(RandSpec {
        next_payload: None,
        rand_len: Some(20),
        rand: Hex(vec![1; 16]),
    })];
    let b = s2.to_bytes().unwrap();
    assert!(matches!(
        decode(&b).issues[..],
        [WireIssue::LengthOverrun {
            declared: 20,
            available: 16,
            ..
        }]
    ));
}

// ---------------------------------------------------------------- proptest

fn bytes(max: usize) -> impl Strategy<Value = Hex> {
    proptest::collection::vec(any::<u8>(), 0..max).prop_map(Hex)
}

fn kv() -> impl Strategy<Value = KvSpec> {
    prop_oneof![
        Just(KvSpec::Null),
        bytes(8).prop_map(|spi| KvSpec::Spi { spi_len: None, spi }),
        (bytes(8), bytes(8)).prop_map(|(a, b)| KvSpec::Interval {
            vf_len: None,
            valid_from: a,
            vt_len: None,
            valid_to: b
        }),
    ]
}

fn key_data() -> impl Strategy<Value = KeyDataSpec> {
    (0u8..8, bytes(40), bytes(16), kv()).prop_map(|(t, key, salt, kv)| KeyDataSpec {
        next_payload: None,
        key_type: t,
        kv_type: None,
        key_len: None,
        key,
        salt_len: None,
        salt: KeyDataType(t).has_salt().then_some(salt),
        kv,
    })
}

fn payload() -> impl Strategy<Value = PayloadSpec> {
    let np = || Just(None::<u8>);
    prop_oneof![
        (
            np(),
            0u8..4,
            proptest::option::of(proptest::collection::vec(key_data(), 1..3)),
            bytes(30),
            0u8..3
        )
            .prop_map(|(n, ea, kd, ct, ma)| {
                let mac = Hex(vec![7; MacAlg(ma).mac_len().unwrap()]);
                let (encr_alg, encr_data, key_data) = match kd {
                    Some(k) => (0, None, Some(k)),
                    None => (ea.max(1), Some(ct), None),
                };
                PayloadSpec::Kemac(KemacSpec {
                    next_payload: n,
                    encr_alg,
                    encr_data_len: None,
                    encr_data,
                    key_data,
                    mac_alg: ma,
                    mac,
                })
            }),
        (0u8..4, bytes(64)).prop_map(|(c, d)| PayloadSpec::Pke(PkeSpec {
            next_payload: None,
            cache: c,
            data_len: None,
            data: d
        })),
        (0u8..3, 0u8..16, kv()).prop_map(|(g, r, kv)| PayloadSpec::Dh(DhSpec {
            next_payload: None,
            group: g,
            value: Hex(vec![3; DhGroup(g).value_len().unwrap()]),
            reserved: r,
            kv_type: None,
            kv
        })),
        (0u8..4, any::<u64>()).prop_map(|(t, v)| PayloadSpec::T(TSpec {
            next_payload: None,
            ts_type: t,
            value: if TsType(t).value_len() == Some(4) {
                v & 0xffff_ffff
            } else {
                v
            }
        })),
        (any::<u8>(), bytes(40)).prop_map(|(t, id)| PayloadSpec::Id(IdSpec {
            next_payload: None,
            id_type: t,
            id_len: None,
            id
        })),
        (any::<u8>(), bytes(40)).prop_map(|(t, c)| PayloadSpec::Cert(CertSpec {
            next_payload: None,
            cert_type: t,
            cert_len: None,
            cert: c
        })),
        (0u8..3).prop_map(|h| PayloadSpec::Chash(ChashSpec {
            next_payload: None,
            hash_func: h,
            hash: Hex(vec![9; HashFunc(h).hash_len().unwrap()])
        })),
        (0u8..3).prop_map(|a| PayloadSpec::V(VSpec {
            next_payload: None,
            auth_alg: a,
            ver_data: Hex(vec![5; MacAlg(a).mac_len().unwrap()])
        })),
        (
            any::<u8>(),
            0u8..3,
            proptest::collection::vec((any::<u8>(), bytes(4)), 0..6)
        )
            .prop_map(|(n, p, ps)| PayloadSpec::Sp(SpSpec {
                next_payload: None,
                policy_no: n,
                prot_type: p,
                params_len: None,
                params: Some(
                    ps.into_iter()
                        .map(|(t, v)| SpParamSpec {
                            param_type: t,
                            param_len: None,
                            value: v
                        })
                        .collect()
                ),
                params_raw: None
            })),
        bytes(32).prop_map(|r| PayloadSpec::Rand(RandSpec {
            next_payload: None,
            rand_len: None,
            rand: r
        })),
        (any::<u8>(), any::<u16>()).prop_map(|(e, r)| PayloadSpec::Err(ErrSpec {
            next_payload: None,
            error_no: e,
            reserved: r
        })),
        (any::<u8>(), 0u8..3, any::<u32>()).prop_map(|(r, t, v)| PayloadSpec::Tr(TrSpec {
            next_payload: None,
            role: r,
            ts_type: t,
            value: if TsType(t).value_len() == Some(4) {
                v as u64
            } else {
                (v as u64) << 32
            }
        })),
        (any::<u8>(), any::<u8>(), bytes(40)).prop_map(|(r, t, id)| PayloadSpec::Idr(IdrSpec {
            next_payload: None,
            role: r,
            id_type: t,
            id_len: None,
            id
        })),
        (any::<u8>(), bytes(20)).prop_map(|(r, d)| PayloadSpec::Randr(RandrSpec {
            next_payload: None,
            role: r,
            rand_len: None,
            rand: d
        })),
        (
            any::<u16>(),
            any::<u8>(),
            0u8..128,
            0u16..4096,
            0u8..32,
            bytes(10),
            bytes(10),
            bytes(10)
        )
            .prop_map(|(tt, st, prf, fl, res, tp, td, id)| {
                let policy = TpSpec {
                    next_payload: None,
                    ticket_type: tt,
                    subtype: st,
                    version: 1,
                    prf,
                    flags: fl,
                    reserved: res,
                    tp_data_len: None,
                    tp_data: tp,
                };
                if td.0.len() & 1 == 0 {
                    PayloadSpec::Tp(policy)
                } else {
                    PayloadSpec::Ticket(TicketSpec {
                        policy,
                        ticket_data_len: None,
                        ticket_data: td,
                        initiator_data_len: None,
                        initiator_data: id,
                    })
                }
            }),
        // Types with structured contents (3, 5, 6, 7) get their own generators.
        (any::<u8>(), bytes(50)).prop_map(|(t, d)| PayloadSpec::Ext(ExtSpec {
            next_payload: None,
            ext_type: if matches!(t, 3 | 5 | 6 | 7) { 0 } else { t },
            data_len: None,
            data: Some(d),
            key_ids: None
        })),
        (any::<u8>(), bytes(30)).prop_map(|(st, d)| {
            let mut data = vec![st];
            data.extend_from_slice(&d.0);
            PayloadSpec::Ext(ExtSpec {
                next_payload: None,
                ext_type: 5,
                data_len: None,
                data: Some(Hex(data)),
                key_ids: None,
            })
        }),
        bytes(40).prop_map(|d| {
            let mut data = vec![0, 1, 2, 0, d.0.len() as u8];
            data.extend_from_slice(&d.0);
            PayloadSpec::Ext(ExtSpec {
                next_payload: None,
                ext_type: 6,
                data_len: None,
                data: Some(Hex(data)),
                key_ids: None,
            })
        }),
        proptest::collection::vec((0u8..3, bytes(5)), 0..4).prop_map(|ids| PayloadSpec::Ext(
            ExtSpec {
                next_payload: None,
                ext_type: 3,
                data_len: None,
                data: None,
                key_ids: Some(
                    ids.into_iter()
                        .map(|(t, k)| KeyIdSpec {
                            key_id_type: t,
                            key_id_len: None,
                            key_id: k
                        })
                        .collect()
                )
            }
        )),
        (any::<u8>(), any::<u8>(), bytes(300)).prop_map(|(p, s, d)| PayloadSpec::Sakke(
            SakkeSpec {
                next_payload: None,
                params: p,
                id_scheme: s,
                data_len: None,
                data: d
            }
        )),
    ]
}

fn map() -> impl Strategy<Value = CsIdMapSpec> {
    prop_oneof![
        Just(CsIdMapSpec::Empty),
        proptest::collection::vec((any::<u8>(), any::<u32>(), any::<u32>()), 0..4).prop_map(|v| {
            CsIdMapSpec::SrtpId {
                entries: v
                    .into_iter()
                    .map(|(p, s, r)| SrtpIdSpec {
                        policy_no: p,
                        ssrc: s,
                        roc: r,
                    })
                    .collect(),
            }
        }),
        proptest::collection::vec(
            (
                any::<u8>(),
                1u8..4,
                any::<bool>(),
                proptest::collection::vec(any::<u8>(), 0..3),
                bytes(12),
                bytes(8)
            ),
            0..3
        )
        .prop_map(|v| CsIdMapSpec::GenericId {
            // Prot type SRTP session data is checked for 4/10 octets, so use 1..4 here.
            entries: v
                .into_iter()
                .map(|(c, p, s, ps, sd, spi)| GenericIdSpec {
                    cs_id: c,
                    prot_type: p,
                    s,
                    policies: ps,
                    session_data_len: None,
                    session_data: sd,
                    spi_len: None,
                    spi
                })
                .collect()
        }),
    ]
}

fn message() -> impl Strategy<Value = MessageSpec> {
    (
        any::<u8>(),
        any::<bool>(),
        0u8..128,
        any::<u32>(),
        map(),
        proptest::collection::vec(payload(), 0..8),
        proptest::option::of((0u8..16, bytes(129))),
    )
        .prop_map(|(dt, v, prf, csb, m, mut payloads, sign)| {
            if let Some((t, s)) = sign {
                payloads.push(PayloadSpec::Sign(SignSpec {
                    sign_type: t,
                    sig_len: None,
                    signature: s,
                }));
            }
            MessageSpec {
                header: HeaderSpec {
                    version: 1,
                    data_type: dt,
                    next_payload: None,
                    v,
                    prf,
                    csb_id: csb,
                    cs_count: None,
                    cs_id_map_type: None,
                    cs_id_map: m,
                },
                payloads,
            }
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, .. ProptestConfig::default() })]

    #[test]
    fn random_bytes_never_panic(b in proptest::collection::vec(any::<u8>(), 0..400)) {
        let d = decode(&b);
        let _ = render::to_text_tree(&d);
        let _ = render::to_json(&d);
        let _ = input::load(&b);
        if d.is_clean() {
            prop_assert_eq!(encode(d.message.as_ref().unwrap()), b);
        }
    }

    #[test]
    fn mikey_like_bytes_never_panic(np in 0u8..30, body in proptest::collection::vec(any::<u8>(), 0..300)) {
        let mut b = vec![1, 26, np, 1, 0x20, 0, 0, 1, 0, 1];
        b.extend_from_slice(&body);
        let d = decode(&b);
        prop_assert!(d.message.is_some());
        if d.is_clean() {
            prop_assert_eq!(encode(d.message.as_ref().unwrap()), b);
        }
    }

    #[test]
    fn mutated_vectors_never_panic(which in 0usize..6, pos in any::<prop::sample::Index>(), val in any::<u8>()) {
        let (_, mut b, _) = all_vectors().swap_remove(which);
        let i = pos.index(b.len());
        b[i] = val;
        let d = decode(&b);
        let _ = render::to_text_tree(&d);
        if d.is_clean() {
            prop_assert_eq!(encode(d.message.as_ref().unwrap()), b);
        }
    }

    #[test]
    fn generated_messages_round_trip(spec in message()) {
        let b = spec.to_bytes().unwrap();
        let d = decode(&b);
        prop_assert!(d.is_clean(), "{:?}", d.issues);
        let m = d.message.as_ref().unwrap();
        prop_assert_eq!(encode(m), b.clone());
        prop_assert_eq!(m.payloads.len(), spec.payloads.len());
        let js = serde_json::to_string(&spec).unwrap();
        let back: MessageSpec = serde_json::from_str(&js).unwrap();
        prop_assert_eq!(back.to_bytes().unwrap(), b);
    }
}

/// Debug helper: `cargo test print_trees -- --ignored --nocapture`.
#[test]
#[ignore]
fn print_trees() {
    for (name, bytes, _) in all_vectors() {
        println!("== {name}");
        print!("{}", render::to_text_tree(&decode(&bytes)));
    }
}

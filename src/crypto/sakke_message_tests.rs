//! The six TS 33.180 MIKEY-SAKKE messages of vectors/crypto/ts33180_mikey_sakke.txt (Set 1:
//! Streamwide v5 GMK, CSK, PCK and legacy GMK; Set 2: ALEA v3 GMK and CSK), each checked with
//! its keys, and tampered.

use super::*;
use crate::crypto::key_id::{self, PurposeTag};
use crate::crypto::test_vectors::{
    ts33180, ts33180_hex, ts33180_message, MessageVector, MESSAGE_TESTS,
};
use crate::mikey::{decode, IdRole};

fn run(msg: &[u8], t: &MessageVector, rsk: &[u8]) -> Outcome {
    let (kpak, z) = (t.kpak(), t.z());
    let kms = KmsKeys {
        uri: t.kms_uri.as_bytes(),
        kpak: &kpak,
        z: &z,
        user_key_period: t.user_key_period,
        user_key_offset: 0,
    };
    let responder = ts33180(t.section, "Responder URI");
    let user = ReceiverKeys {
        uri: responder.as_bytes(),
        rsk,
    };
    verify_i_message(&decode(msg), &kms, &user)
}

fn rsk_of(t: &MessageVector) -> Vec<u8> {
    ts33180_hex(&t.user("Responder URI"), "UserDecryptKey")
}

#[test]
fn every_message_verifies_and_decapsulates_to_its_key() {
    assert!(ts33180("", "KMS URI").starts_with("kms.mydev.streamwide.com"));
    assert!(ts33180("", "Set 2 KMS URI").starts_with("sip:common_kms.test.org"));
    for t in &MESSAGE_TESTS {
        let test = t.section;
        let msg = ts33180_message(test);
        let out = run(&msg, t, &rsk_of(t));
        assert_eq!(out.key_period_number, Ok(t.key_period_number), "{test}");
        let sign_at = msg.len() - eccsi::SIGNATURE_LEN - 2;
        assert_eq!(out.places.sign, Some(sign_at), "{test}");
        let sakke_at = out.places.sakke.expect("SAKKE payload");
        assert_eq!(msg[sakke_at + 1..sakke_at + 5], [1, 2, 1, 0x11], "{test}");
        assert!(out.places.t.is_some_and(|at| at < sakke_at));
        let initiator_uid = ts33180_hex(&t.user("Initiator URI"), "UserID");
        let responder_uid = ts33180_hex(&t.user("Responder URI"), "UserID");
        assert_eq!(
            out.initiator.as_ref().map(|i| i.uid().to_vec()),
            Ok(initiator_uid.clone()),
            "{test}"
        );
        assert_eq!(
            out.responder_uid.as_ref().map(|r| r.uid.to_vec()),
            Ok(responder_uid.clone()),
            "{test}"
        );
        assert_eq!(out.responder_uid_carried, Some(responder_uid));
        assert_eq!(out.signature, Ok(()), "{test}");
        // The same check, straight on the bytes: ECCSI over msg[:-129].
        let (signed, sig) = msg.split_at(msg.len() - eccsi::SIGNATURE_LEN);
        assert_eq!(
            eccsi::verify(&t.kpak(), &initiator_uid, signed, sig),
            Ok(())
        );
        let want = ts33180_hex(test, t.key);
        assert_eq!(out.ssv.map(|s| s.expose().to_vec()), Ok(want), "{test}");
    }
}

#[test]
fn supplied_user_keys_pass_the_kms_checks() {
    for t in [&MESSAGE_TESTS[0], &MESSAGE_TESTS[4]] {
        let users = match t.kms {
            "" => [
                "gms@streamwide.com",
                "sip:alice@streamwide.com",
                "sip:bob@streamwide.com",
            ],
            _ => [
                "sip:gms.test.org",
                "sip:mcptt-participant.test.org",
                "sip:u1alea@veronica-cluster",
            ],
        };
        for user in users {
            let s = format!("User {user}");
            let id = ts33180_hex(&s, "UserID");
            let ssk = ts33180_hex(&s, "UserSigningKeySSK");
            let pvt = ts33180_hex(&s, "UserPubTokenPVT");
            assert_eq!(
                eccsi::check_key_pair(&t.kpak(), &id, &ssk, &pvt),
                Ok(()),
                "{user}"
            );
            let rsk = ts33180_hex(&s, "UserDecryptKey");
            assert_eq!(sakke::validate_rsk(&id, &rsk, &t.z()), Ok(()), "{user}");
        }
    }
}

#[test]
fn csb_ids_match_their_keys() {
    let hdr_csb = |t: &MessageVector| {
        u32::from_be_bytes(ts33180_message(t.section)[4..8].try_into().expect("4"))
    };
    let id = |t: &MessageVector, k: &str| {
        u32::from_be_bytes(ts33180_hex(t.section, k).try_into().expect("4"))
    };
    for t in [&MESSAGE_TESTS[0], &MESSAGE_TESTS[4]] {
        let receiver = ts33180(t.section, "Responder URI");
        let gmk = ts33180_hex(t.section, "GMK");
        let got = key_id::check_guk_id(hdr_csb(t), &gmk, id(t, "GMK-ID"), receiver.as_bytes());
        assert_eq!(got, Ok(()), "{}", t.section);
        assert_eq!(hdr_csb(t), id(t, "GUK-ID"));
    }
    for (t, tag) in [
        (&MESSAGE_TESTS[1], PurposeTag::CSK),
        (&MESSAGE_TESTS[5], PurposeTag::CSK),
    ] {
        assert_eq!(
            key_id::check_key_id(hdr_csb(t), id(t, "CSK-ID"), tag),
            Ok(())
        );
    }
    let t = &MESSAGE_TESTS[2];
    assert_eq!(
        key_id::check_key_id(hdr_csb(t), id(t, "PCK-ID"), PurposeTag::PCK),
        Ok(())
    );
}

#[test]
fn a_flipped_bit_in_the_signature_fails_only_the_signature() {
    for t in &MESSAGE_TESTS {
        let test = t.section;
        let mut msg = ts33180_message(test);
        let s_octet = msg.len() - eccsi::SIGNATURE_LEN + 40;
        msg[s_octet] ^= 0x01;
        let out = run(&msg, t, &rsk_of(t));
        assert_eq!(
            out.signature,
            Err(StepError::Eccsi(EccsiError::Mismatch)),
            "{test}"
        );
        assert!(out.ssv.is_ok(), "{test}");
    }
}

#[test]
fn a_flipped_bit_in_the_sakke_data_fails_decapsulation_and_the_signature() {
    for t in &MESSAGE_TESTS {
        let test = t.section;
        let mut msg = ts33180_message(test);
        let d = decode(&msg);
        let data_offset = d
            .message
            .as_ref()
            .and_then(|m| {
                m.payloads.iter().find_map(|p| match &p.body {
                    PayloadBody::Sakke(s) => Some(s.data.offset),
                    _ => None,
                })
            })
            .expect("SAKKE payload");
        // The last octet of H: R stays on the curve, the re-derivation must catch it.
        msg[data_offset + sakke::ENCAPSULATED_LEN - 1] ^= 0x80;
        let out = run(&msg, t, &rsk_of(t));
        assert_eq!(
            out.ssv,
            Err(StepError::Sakke(SakkeError::RederivationMismatch)),
            "{test}"
        );
        assert_eq!(out.signature, Err(StepError::Eccsi(EccsiError::Mismatch)));
    }
}

#[test]
fn another_users_rsk_does_not_decapsulate() {
    let t = &MESSAGE_TESTS[0];
    let bob = ts33180_hex("User sip:bob@streamwide.com", "UserDecryptKey");
    let out = run(&ts33180_message(t.section), t, &bob);
    assert_eq!(
        out.ssv,
        Err(StepError::Sakke(SakkeError::RederivationMismatch))
    );
    assert_eq!(out.signature, Ok(()));
}

#[test]
fn missing_pieces_are_named() {
    let t = &MESSAGE_TESTS[0];
    let out = run(&[0x01], t, &rsk_of(t));
    assert_eq!(out.signature, Err(StepError::NotDecoded));
    assert_eq!(out.ssv, Err(StepError::NotDecoded));
    assert_eq!(out.key_period_number, Err(StepError::NotDecoded));
    assert_eq!(out.places, Places::default());
    let ssv = Ssv(vec![7; 16]);
    assert!(!format!("{ssv:?}").contains("0707"));
}

/// Test 1 rebuilt the TS 33.179 E.2 way: the initiator named by URI (IDR role 1) instead of
/// its UID (role 8), and signed again with the initiator's SSK.
fn with_initiator_uri(t: &MessageVector, uri: &[u8]) -> Vec<u8> {
    let msg = ts33180_message(t.section);
    let d = decode(&msg);
    let idr = d
        .message
        .as_ref()
        .and_then(|m| {
            m.payloads
                .iter()
                .find(|p| matches!(&p.body, PayloadBody::Idr(i) if i.role.value == IdRole::IDRUIDI))
        })
        .expect("IDR role 8");
    let (off, len) = (idr.offset, idr.len);
    assert_eq!(
        msg[off + 1],
        8,
        "the payload starts with its next-payload octet"
    );
    let mut out = msg[..off + 1].to_vec();
    out.extend_from_slice(&[1, 1]); // role IDRi, ID type URI
    out.extend_from_slice(&(uri.len() as u16).to_be_bytes());
    out.extend_from_slice(uri);
    out.extend_from_slice(&msg[off + len..msg.len() - eccsi::SIGNATURE_LEN]);
    let s = t.user("Initiator URI");
    let (id, ssk, pvt) = (
        ts33180_hex(&s, "UserID"),
        ts33180_hex(&s, "UserSigningKeySSK"),
        ts33180_hex(&s, "UserPubTokenPVT"),
    );
    let sig = eccsi::sign_for_tests(&t.kpak(), &id, &ssk, &pvt, &out, 0x1234_5678);
    out.extend_from_slice(&sig);
    out
}

#[test]
fn an_initiator_named_by_uri_gets_its_uid_derived() {
    let t = &MESSAGE_TESTS[0];
    let uri = ts33180(t.section, "Initiator URI");
    let msg = with_initiator_uri(t, uri.as_bytes());
    let out = run(&msg, t, &rsk_of(t));
    let want = ts33180_hex(&t.user("Initiator URI"), "UserID");
    match &out.initiator {
        Ok(InitiatorUid::Derived { uri: u, uid }) => {
            assert_eq!(u, uri.as_bytes());
            assert_eq!(uid.uid.to_vec(), want);
            assert_eq!(uid.key_period_number, 236);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(out.signature, Ok(()));
    assert!(out.ssv.is_ok());
    // Another URI derives another UID, under which the signature does not verify.
    let msg = with_initiator_uri(t, b"sip:mallory@streamwide.com");
    let out = run(&msg, t, &rsk_of(t));
    assert_eq!(out.signature, Err(StepError::Eccsi(EccsiError::Mismatch)));
}

//! The TS 33.180 MIKEY-SAKKE messages of vectors/crypto/ts33180_mikey_sakke.txt (Set 1:
//! Streamwide v5 GMK, CSK, PCK and legacy GMK), each checked with its keys, and tampered.

use super::*;
use crate::crypto::key_id::{self, PurposeTag};
use crate::crypto::test_vectors::{ts33180, ts33180_hex, ts33180_message, SET1_TESTS};
use crate::mikey::decode;

struct Owned {
    kpak: Vec<u8>,
    z: Vec<u8>,
}

fn kms_keys() -> Owned {
    Owned {
        kpak: ts33180_hex("", "KPAK (PubAuthKey)"),
        z: ts33180_hex("", "Z (PubEncKey)"),
    }
}

const KMS_URI: &[u8] = b"kms.mydev.streamwide.com";

fn kms(o: &Owned) -> KmsKeys<'_> {
    KmsKeys {
        uri: KMS_URI,
        kpak: &o.kpak,
        z: &o.z,
        user_key_period: 16_777_215,
        user_key_offset: 0,
    }
}

fn user_section(test: &str, role: &str) -> String {
    format!("User {}", ts33180(test, role))
}

fn run(msg: &[u8], test: &str, rsk: &[u8]) -> Outcome {
    let owned = kms_keys();
    let responder = ts33180(test, "Responder URI");
    let user = ReceiverKeys {
        uri: responder.as_bytes(),
        rsk,
    };
    verify_i_message(&decode(msg), &kms(&owned), &user)
}

fn rsk_of(test: &str) -> Vec<u8> {
    ts33180_hex(&user_section(test, "Responder URI"), "UserDecryptKey")
}

#[test]
fn every_set_1_message_verifies_and_decapsulates_to_its_key() {
    assert!(ts33180("", "KMS URI").starts_with("kms.mydev.streamwide.com"));
    for (test, key) in SET1_TESTS {
        let msg = ts33180_message(test);
        let out = run(&msg, test, &rsk_of(test));
        assert_eq!(out.key_period_number, Ok(236), "{test}");
        let initiator_uid = ts33180_hex(&user_section(test, "Initiator URI"), "UserID");
        let responder_uid = ts33180_hex(&user_section(test, "Responder URI"), "UserID");
        assert_eq!(
            out.initiator.as_ref().map(|i| i.uid().to_vec()),
            Ok(initiator_uid.clone()),
            "{test}"
        );
        assert_eq!(
            out.responder_uid.as_ref().map(|r| r.uid.to_vec()),
            Ok(responder_uid.clone())
        );
        assert_eq!(out.responder_uid_carried, Some(responder_uid));
        assert_eq!(out.signature, Ok(()), "{test}");
        // The same check, straight on the bytes: ECCSI over msg[:-129].
        let (signed, sig) = msg.split_at(msg.len() - eccsi::SIGNATURE_LEN);
        let kpak = ts33180_hex("", "KPAK (PubAuthKey)");
        assert_eq!(eccsi::verify(&kpak, &initiator_uid, signed, sig), Ok(()));
        let want = ts33180_hex(test, key);
        assert_eq!(out.ssv.map(|s| s.expose().to_vec()), Ok(want), "{test}");
    }
}

#[test]
fn supplied_user_keys_pass_the_kms_checks() {
    let kpak = ts33180_hex("", "KPAK (PubAuthKey)");
    let z = ts33180_hex("", "Z (PubEncKey)");
    for user in [
        "gms@streamwide.com",
        "sip:alice@streamwide.com",
        "sip:bob@streamwide.com",
    ] {
        let s = format!("User {user}");
        let id = ts33180_hex(&s, "UserID");
        let (ssk, pvt) = (
            ts33180_hex(&s, "UserSigningKeySSK"),
            ts33180_hex(&s, "UserPubTokenPVT"),
        );
        assert_eq!(
            eccsi::check_key_pair(&kpak, &id, &ssk, &pvt),
            Ok(()),
            "{user}"
        );
        let rsk = ts33180_hex(&s, "UserDecryptKey");
        assert_eq!(sakke::validate_rsk(&id, &rsk, &z), Ok(()), "{user}");
    }
}

#[test]
fn csb_ids_match_their_keys() {
    let hdr_csb =
        |test: &str| u32::from_be_bytes(ts33180_message(test)[4..8].try_into().expect("4"));
    let id = |test: &str, k: &str| u32::from_be_bytes(ts33180_hex(test, k).try_into().expect("4"));
    let t1 = SET1_TESTS[0].0;
    assert_eq!(
        key_id::check_guk_id(
            hdr_csb(t1),
            &ts33180_hex(t1, "GMK"),
            id(t1, "GMK-ID"),
            ts33180(t1, "Responder URI").as_bytes()
        ),
        Ok(())
    );
    assert_eq!(hdr_csb(t1), id(t1, "GUK-ID"));
    let (t2, t3) = (SET1_TESTS[1].0, SET1_TESTS[2].0);
    assert_eq!(
        key_id::check_key_id(hdr_csb(t2), id(t2, "CSK-ID"), PurposeTag::CSK),
        Ok(())
    );
    assert_eq!(
        key_id::check_key_id(hdr_csb(t3), id(t3, "PCK-ID"), PurposeTag::PCK),
        Ok(())
    );
}

#[test]
fn a_flipped_bit_in_the_signature_fails_only_the_signature() {
    for (test, _) in SET1_TESTS {
        let mut msg = ts33180_message(test);
        let s_octet = msg.len() - eccsi::SIGNATURE_LEN + 40;
        msg[s_octet] ^= 0x01;
        let out = run(&msg, test, &rsk_of(test));
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
    for (test, _) in SET1_TESTS {
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
        let out = run(&msg, test, &rsk_of(test));
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
    let (test, _) = SET1_TESTS[0];
    let bob = ts33180_hex("User sip:bob@streamwide.com", "UserDecryptKey");
    let out = run(&ts33180_message(test), test, &bob);
    assert_eq!(
        out.ssv,
        Err(StepError::Sakke(SakkeError::RederivationMismatch))
    );
    assert_eq!(out.signature, Ok(()));
}

#[test]
fn missing_pieces_are_named() {
    let out = run(&[0x01], SET1_TESTS[0].0, &rsk_of(SET1_TESTS[0].0));
    assert_eq!(out.signature, Err(StepError::NotDecoded));
    assert_eq!(out.ssv, Err(StepError::NotDecoded));
    assert_eq!(out.key_period_number, Err(StepError::NotDecoded));
    let ssv = Ssv(vec![7; 16]);
    assert!(!format!("{ssv:?}").contains("0707"));
}

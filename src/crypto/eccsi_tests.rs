//! RFC 6507 Appendix A: every value of vectors/crypto/rfc6507.txt.

use super::*;
use crate::crypto::test_vectors::{rfc_value, RFC6507};

fn v(label: &str) -> Vec<u8> {
    rfc_value(RFC6507, label)
}

fn scalar_of(label: &str) -> Scalar {
    let mut be = [0u8; 32];
    let raw = v(label);
    be[32 - raw.len()..].copy_from_slice(&raw);
    nonzero_scalar(&be).expect("scalar")
}

#[test]
fn kms_and_user_keys_from_ksak_and_v() {
    let ksak = scalar_of("KSAK");
    assert_eq!(
        encode_point(&(ProjectivePoint::GENERATOR * ksak)),
        v("KPAK (04")
    );
    assert_eq!(
        encode_point(&(ProjectivePoint::GENERATOR * scalar_of("v   "))),
        v("PVT (04")
    );
    let hs = hash_hs(&v("KPAK (04"), &v("ID (hex)"), &v("PVT (04"));
    assert_eq!(hs.to_vec(), v("HS = SHA-256"));
    let ssk = ksak + reduced(&hs) * scalar_of("v   ");
    assert_eq!(ssk.to_repr().to_vec(), v("SSK = KSAK"));
    assert_eq!(ssk, scalar_of("SSK = KSAK"));
    assert_eq!(
        check_key_pair(
            &v("KPAK (04"),
            &v("ID (hex)"),
            &v("SSK = KSAK"),
            &v("PVT (04")
        ),
        Ok(())
    );
}

#[test]
fn signer_intermediates() {
    let j = scalar_of("j   ");
    let jp = encode_point(&(ProjectivePoint::GENERATOR * j));
    assert_eq!(jp[1..33], v("J = [j]G  x")[..]);
    assert_eq!(jp[33..], v("J = [j]G  y")[..]);
    assert_eq!(v("r = Jx mod q"), v("J = [j]G  x"));
    let hs: [u8; 32] = v("HS = SHA-256").try_into().expect("32");
    let he = hash_he(&hs, &v("r = Jx mod q"), &v("M (hex)"));
    assert_eq!(he.to_vec(), v("HE = SHA-256"));
    // s' = ((HE + r·SSK)^-1 · j) mod q
    let denom = reduced(&he) + scalar_of("r = Jx mod q") * scalar_of("SSK = KSAK");
    let s = Option::<Scalar>::from(denom.invert()).expect("invertible") * j;
    assert_eq!(s.to_repr().to_vec(), v("s' = ((HE"));
    assert_eq!(v("s' = ((HE"), v("s                ="));
    let mut sig = v("r = Jx mod q");
    sig.extend(v("s                ="));
    sig.extend(v("PVT (04"));
    assert_eq!(sig, v("Signature = r || s || PVT"));
}

#[test]
fn verifier_accepts_with_the_listed_intermediates() {
    let t = verify_traced(
        &v("KPAK (04"),
        &v("ID (hex)"),
        &v("M (hex)"),
        &v("Signature = r || s || PVT"),
    )
    .expect("verifies");
    assert_eq!(t.hs.to_vec(), v("HS = SHA-256"));
    assert_eq!(t.he.to_vec(), v("HE = SHA-256"));
    assert_eq!(t.y[1..33], v("Verifier: Y = [HS]PVT + KPAK  x")[..]);
    assert_eq!(t.y[33..], v("Verifier: Y = [HS]PVT + KPAK  y")[..]);
    assert_eq!(t.j[1..33], v("r = Jx mod q")[..]);
}

fn verify_with(sig: &[u8], msg: &[u8], id: &[u8]) -> Result<(), EccsiError> {
    verify(&v("KPAK (04"), id, msg, sig)
}

#[test]
fn every_single_bit_flip_of_the_signature_fails() {
    let sig = v("Signature = r || s || PVT");
    let (msg, id) = (v("M (hex)"), v("ID (hex)"));
    for bit in 0..sig.len() * 8 {
        let mut bad = sig.clone();
        bad[bit / 8] ^= 1 << (bit % 8);
        let got = verify_with(&bad, &msg, &id);
        let allowed: &[EccsiError] = match bit / 8 {
            0..32 => &[EccsiError::Mismatch, EccsiError::ROutOfRange],
            32..64 => &[EccsiError::Mismatch, EccsiError::SOutOfRange],
            _ => &[EccsiError::PvtNotOnCurve],
        };
        assert!(
            got.is_err_and(|e| allowed.contains(&e)),
            "bit {bit}: {got:?}"
        );
    }
}

#[test]
fn another_message_or_identifier_fails() {
    let sig = v("Signature = r || s || PVT");
    assert_eq!(
        verify_with(&sig, b"message\x01", &v("ID (hex)")),
        Err(EccsiError::Mismatch)
    );
    let mut id = v("ID (hex)");
    id[5] ^= 4;
    assert_eq!(
        verify_with(&sig, &v("M (hex)"), &id),
        Err(EccsiError::Mismatch)
    );
    assert_eq!(
        check_key_pair(&v("KPAK (04"), &id, &v("SSK = KSAK"), &v("PVT (04")),
        Err(EccsiError::KeyPairMismatch)
    );
}

#[test]
fn r_and_s_outside_1_to_q_minus_1_are_rejected() {
    let sig = v("Signature = r || s || PVT");
    let (msg, id) = (v("M (hex)"), v("ID (hex)"));
    let q = hex::decode("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551")
        .expect("hex");
    for (range, err) in [
        (0..32, EccsiError::ROutOfRange),
        (32..64, EccsiError::SOutOfRange),
    ] {
        for value in [vec![0u8; 32], q.clone(), vec![0xff; 32]] {
            let mut bad = sig.clone();
            bad[range.clone()].copy_from_slice(&value);
            assert_eq!(verify_with(&bad, &msg, &id), Err(err));
        }
    }
    assert_eq!(
        verify_with(&sig[..128], &msg, &id),
        Err(EccsiError::SignatureLength(128))
    );
    assert_eq!(
        check_key_pair(&v("KPAK (04"), &id, &q, &v("PVT (04")),
        Err(EccsiError::SskOutOfRange)
    );
}

#[test]
fn malformed_points_are_rejected() {
    let sig = v("Signature = r || s || PVT");
    let (msg, id) = (v("M (hex)"), v("ID (hex)"));
    let mut compressed_tag = sig.clone();
    compressed_tag[64] = 2;
    assert_eq!(
        verify_with(&compressed_tag, &msg, &id),
        Err(EccsiError::PvtNotOnCurve)
    );
    let mut zero_pvt = sig.clone();
    zero_pvt[65..].fill(0);
    assert_eq!(
        verify_with(&zero_pvt, &msg, &id),
        Err(EccsiError::PvtNotOnCurve)
    );
    let mut kpak = v("KPAK (04");
    kpak[64] ^= 1;
    assert_eq!(
        verify(&kpak, &id, &msg, &sig),
        Err(EccsiError::KpakNotOnCurve)
    );
}

//! RFC 6508 Appendix A / RFC 6509 parameter set 1: every value of vectors/crypto/rfc6508.txt.

use super::*;
use crate::crypto::test_vectors::{rfc_value, RFC6508};

fn int(label: &str) -> BigUint {
    BigUint::from_bytes_be(&rfc_value(RFC6508, label))
}

fn point(xl: &str, yl: &str) -> Vec<u8> {
    let mut out = vec![4u8];
    out.extend_from_slice(&rfc_value(RFC6508, xl));
    out.extend_from_slice(&rfc_value(RFC6508, yl));
    out
}

fn z_bytes() -> Vec<u8> {
    point("Zx =", "Zy =")
}

fn rsk_bytes() -> Vec<u8> {
    point(
        "RSK K_(b,S) = [(b+z)^-1]P  x",
        "RSK K_(b,S) = [(b+z)^-1]P  y",
    )
}

fn b_id() -> Vec<u8> {
    rfc_value(RFC6508, "b (hex)")
}

fn encapsulated() -> Vec<u8> {
    let mut e = point("R_(b,S) = [r]([b]P + Z)  x", "R_(b,S) = [r]([b]P + Z)  y");
    e.extend_from_slice(&rfc_value(RFC6508, "H = SSV XOR mask"));
    e
}

#[test]
fn parameter_set_1_matches_the_file() {
    let prm = params();
    assert_eq!(prm.curve.f.p, int("p    ="));
    assert_eq!(prm.q, int("q    ="));
    assert_eq!(&prm.q * 4u8, &prm.curve.f.p + 1u8);
    assert_eq!(&prm.curve.f.p % 4u8, BigUint::from(3u8));
    assert_eq!(prm.p_point.x, int("Px   ="));
    assert_eq!(prm.p_point.y, int("Py   ="));
    assert!(prm.curve.contains(&prm.p_point));
    assert_eq!(prm.curve.mul(&prm.q, &prm.p_point), None, "P has order q");
}

#[test]
fn g_is_the_pairing_of_p_with_itself() {
    let prm = params();
    let g = pairing(&prm.curve, &prm.q, &prm.p_point, &prm.p_point);
    assert_eq!(g, Some(int("g = <P,P>")));
}

#[test]
fn kms_and_receiver_keys_derive_from_z_and_b() {
    let prm = params();
    let z = int("z (KMS master secret)");
    let zp = prm.curve.mul(&z, &prm.p_point).expect("Z");
    assert_eq!(encode_point(&zp), z_bytes());
    let b = BigUint::from_bytes_be(&b_id());
    let inv = ((&b + &z) % &prm.q).modinv(&prm.q).expect("invertible");
    let rsk = prm.curve.mul(&inv, &prm.p_point).expect("RSK");
    assert_eq!(encode_point(&rsk), rsk_bytes());
}

#[test]
fn sender_intermediates_and_encapsulated_data() {
    let prm = params();
    let ssv = rfc_value(RFC6508, "SSV =");
    let r = derive_r(&ssv, &b_id());
    assert_eq!(r, int("r = HashToIntegerRange"));
    let z = decode_point(&z_bytes()).expect("Z on curve");
    let bz = receiver_point(&b_id(), &z).expect("[b]P+Z");
    assert_eq!(encode_point(&bz), point("[b]P + Z  x", "[b]P + Z  y"));
    let g_r = pf_pow(&prm.g, &r).expect("g^r");
    assert_eq!(g_r, int("g^r (PF_p) ="));
    assert_eq!(mask(&g_r), rfc_value(RFC6508, "mask ="));
    assert_eq!(encapsulate(&ssv, &b_id(), &z_bytes()), Ok(encapsulated()));
}

#[test]
fn receiver_decapsulates_and_validates_the_rsk() {
    let prm = params();
    let r_point = decode_point(&encapsulated()[..POINT_LEN]).expect("R on curve");
    let rsk = decode_point(&rsk_bytes()).expect("RSK on curve");
    let w = pairing(&prm.curve, &prm.q, &r_point, &rsk);
    assert_eq!(w, Some(int("g^r (PF_p) =")), "w = <R, K_b> = g^r");
    let ssv = decapsulate(&encapsulated(), &b_id(), &rsk_bytes(), &z_bytes());
    assert_eq!(ssv, Ok(rfc_value(RFC6508, "SSV =")));
    assert_eq!(validate_rsk(&b_id(), &rsk_bytes(), &z_bytes()), Ok(()));
}

#[test]
fn a_flipped_bit_in_h_fails_the_rederivation_check() {
    let mut data = encapsulated();
    data[ENCAPSULATED_LEN - 1] ^= 1;
    assert_eq!(
        decapsulate(&data, &b_id(), &rsk_bytes(), &z_bytes()),
        Err(SakkeError::RederivationMismatch)
    );
}

#[test]
fn a_flipped_bit_in_r_is_caught() {
    let mut data = encapsulated();
    data[100] ^= 0x10;
    assert_eq!(
        decapsulate(&data, &b_id(), &rsk_bytes(), &z_bytes()),
        Err(SakkeError::RNotOnCurve)
    );
}

#[test]
fn another_identifier_fails_decapsulation_and_rsk_validation() {
    let mut other = b_id();
    other[0] ^= 1;
    assert_eq!(
        decapsulate(&encapsulated(), &other, &rsk_bytes(), &z_bytes()),
        Err(SakkeError::RederivationMismatch)
    );
    assert_eq!(
        validate_rsk(&other, &rsk_bytes(), &z_bytes()),
        Err(SakkeError::RskInvalid)
    );
}

#[test]
fn malformed_inputs_are_named() {
    let enc = encapsulated();
    assert_eq!(
        decapsulate(&enc[1..], &b_id(), &rsk_bytes(), &z_bytes()),
        Err(SakkeError::EncapsulatedLength(ENCAPSULATED_LEN - 1))
    );
    let mut bad = rsk_bytes();
    bad[0] = 2;
    assert_eq!(
        decapsulate(&enc, &b_id(), &bad, &z_bytes()),
        Err(SakkeError::RskNotOnCurve)
    );
    assert_eq!(
        validate_rsk(&b_id(), &rsk_bytes(), &bad),
        Err(SakkeError::ZNotOnCurve)
    );
    assert_eq!(
        encapsulate(&[0u8; 15], &b_id(), &z_bytes()),
        Err(SakkeError::SsvLength(15))
    );
}

#[test]
fn hash_to_integer_range_uses_one_block_for_2_128_and_four_for_q() {
    let two_n = BigUint::from(1u8) << 128;
    let m = hash_to_integer_range(b"abc", &two_n);
    assert!(m.bits() <= 128);
    // l = 1: v_1 = H(H(0^32) || H(s)) reduced mod 2^128 is its low 16 octets.
    let h1 = Sha256::digest([0u8; 32]);
    let mut v1 = Sha256::new();
    v1.update(h1);
    v1.update(Sha256::digest(b"abc"));
    let v1 = v1.finalize();
    assert_eq!(m, BigUint::from_bytes_be(&v1[16..]));
    assert!(hash_to_integer_range(b"abc", &params().q) < params().q);
}

//! KEMAC decryption (RFC 3830 §4.2.3; RFC 6043 §6.2 for AES-CM-256): AES in counter mode with
//! the IV `(S XOR (0x0000 || CSB_ID || T)) || 0x0000`, and AES key wrap (RFC 3394) with the
//! 64-bit salting key as its initial value.
//!
//! AES and its counter mode are the RustCrypto `aes` and `ctr` crates. The key wrap is written
//! here on the `aes` block cipher (RFC 3394 §2.2.1/§2.2.2, a dozen lines) because the `aes-kw`
//! crate only offers the default initial value A6A6A6A6A6A6A6A6, while MIKEY uses the salt
//! (RFC 3394 §2.2.3.2 "alternative initial values"); the tests check it against RFC 3394 §4.1,
//! the `aes-kw` crate (default IV) and `openssl enc -id-aes128-wrap -iv` (MIKEY's IV).

use super::prf::KeyLengths;
use crate::mikey::{EncrAlg, TsType};
use aes::cipher::{
    Array, BlockCipherDecrypt, BlockCipherEncrypt, KeyInit, KeyIvInit, StreamCipher,
};

/// Salting key length for AES-CM (112 bits, RFC 3830 §4.2.3 / RFC 3711).
pub const AES_CM_SALT_LEN: usize = 14;
/// Salting key length for AES-KW: the 64-bit key-wrap initial value (RFC 3830 §4.2.3).
pub const AES_KW_SALT_LEN: usize = 8;

/// Why the KEMAC encrypted data could not be decrypted.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum KemacError {
    #[error("unknown KEMAC encryption algorithm {0}: cannot decrypt")]
    UnknownEncrAlg(u8),
    #[error("{what} is {found} octets; {alg} needs {expected}")]
    KeyLength {
        what: &'static str,
        alg: &'static str,
        expected: usize,
        found: usize,
    },
    #[error(
        "AES-CM needs the 64-bit timestamp of the T payload for its IV, and the message has none"
    )]
    NoTimestamp,
    #[error("unknown TS type {0}: the T value cannot be widened to 64 bits for the IV")]
    UnknownTsType(u8),
    #[error("AES-KW encrypted data is {0} octets; key wrap needs a multiple of 8 and at least 24")]
    KeyWrapLength(usize),
    #[error("AES-KW integrity check failed: the unwrapped initial value is not the salting key (wrong key, or the data was altered)")]
    KeyWrapIntegrity,
}

/// Where a 32-bit COUNTER timestamp (TS type 2) goes in the 64-bit T of the AES-CM IV.
/// \[unconfirmed\] RFC 3830 §6.6 asks for leading zeros "when used as input for the default
/// PRF" (whose labels carry no timestamp); mykey left-pads for the IV too. Not checked against
/// TS 33.246, so rules relying on it are provisional.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CounterPlacement {
    /// `0x00000000 || COUNTER` (the default: RFC 3830 §6.6 note, mykey).
    #[default]
    LeadingZeros,
    /// `COUNTER || 0x00000000`.
    TrailingZeros,
}

/// The 64-bit T that enters the AES-CM IV. NTP-UTC-32 (RFC 6043 §6.3) becomes NTP-UTC with a
/// zero fraction; COUNTER is placed as `placement` says; the 64-bit types are taken as sent.
pub fn timestamp_64(
    ts_type: TsType,
    value: u64,
    placement: CounterPlacement,
) -> Result<u64, KemacError> {
    match ts_type {
        TsType::NTP_UTC | TsType::NTP => Ok(value),
        TsType::NTP_UTC_32 => Ok(value << 32),
        TsType::COUNTER => Ok(match placement {
            CounterPlacement::LeadingZeros => value,
            CounterPlacement::TrailingZeros => value << 32,
        }),
        other => Err(KemacError::UnknownTsType(other.0)),
    }
}

/// The lengths of the encryption and salting keys `alg` needs (auth left 0), `None` when
/// unknown. NULL encryption needs neither.
pub fn key_lengths(alg: EncrAlg) -> Option<KeyLengths> {
    let (encr, salt) = match alg {
        EncrAlg::NULL => (0, 0),
        EncrAlg::AES_CM_128 => (16, AES_CM_SALT_LEN),
        EncrAlg::AES_KW_128 => (16, AES_KW_SALT_LEN),
        EncrAlg::AES_CM_256 => (32, AES_CM_SALT_LEN),
        _ => return None,
    };
    Some(KeyLengths {
        encr,
        auth: 0,
        salt,
    })
}

/// `IV = (S XOR (0x0000 || CSB_ID || T)) || 0x0000` (RFC 3830 §4.2.3): S in octets 0..14,
/// CSB ID XORed into octets 2..6, T into 6..14, the 16-bit block counter starting at 0.
pub fn aes_cm_iv(salt: &[u8; AES_CM_SALT_LEN], csb_id: u32, t: u64) -> [u8; 16] {
    let mut iv = [0u8; 16];
    iv[..14].copy_from_slice(salt);
    iv[2..6]
        .iter_mut()
        .zip(csb_id.to_be_bytes())
        .for_each(|(o, b)| *o ^= b);
    iv[6..14]
        .iter_mut()
        .zip(t.to_be_bytes())
        .for_each(|(o, b)| *o ^= b);
    iv
}

/// AES counter mode with a 128- or 256-bit key: encryption and decryption are the same
/// operation. The counter is the whole 128-bit block, incremented big-endian (RFC 3711 AES-CM).
pub fn aes_cm_apply(key: &[u8], iv: &[u8; 16], data: &[u8]) -> Result<Vec<u8>, KemacError> {
    let mut out = data.to_vec();
    match key.len() {
        16 => ctr::Ctr128BE::<aes::Aes128>::new(key_array(key), &Array::from(*iv))
            .apply_keystream(&mut out),
        32 => ctr::Ctr128BE::<aes::Aes256>::new(key_array(key), &Array::from(*iv))
            .apply_keystream(&mut out),
        n => {
            return Err(KemacError::KeyLength {
                what: "encryption key",
                alg: "AES-CM",
                expected: 16,
                found: n,
            })
        }
    }
    Ok(out)
}

fn key_array<N: aes::cipher::array::ArraySize>(key: &[u8]) -> &Array<u8, N> {
    <&Array<u8, N>>::try_from(key).expect("length checked by the caller")
}

/// RFC 3394 §2.2.2 key unwrap with initial value `iv`; the check of A against `iv` is
/// constant-time.
pub fn aes_kw_unwrap(kek: &[u8], iv: &[u8; 8], wrapped: &[u8]) -> Result<Vec<u8>, KemacError> {
    use subtle::ConstantTimeEq;
    let cipher = kw_cipher(kek)?;
    if !wrapped.len().is_multiple_of(8) || wrapped.len() < 24 {
        return Err(KemacError::KeyWrapLength(wrapped.len()));
    }
    let n = wrapped.len() / 8 - 1;
    let mut a: [u8; 8] = wrapped[..8].try_into().expect("8 octets");
    let mut r = wrapped[8..].to_vec();
    for j in (0..6u64).rev() {
        for i in (1..=n).rev() {
            let t = (n as u64) * j + i as u64;
            let mut b = Array::from([0u8; 16]);
            b[..8].copy_from_slice(&(u64::from_be_bytes(a) ^ t).to_be_bytes());
            b[8..].copy_from_slice(&r[(i - 1) * 8..i * 8]);
            cipher.decrypt_block(&mut b);
            a.copy_from_slice(&b[..8]);
            r[(i - 1) * 8..i * 8].copy_from_slice(&b[8..]);
        }
    }
    if bool::from(a.ct_eq(iv)) {
        Ok(r)
    } else {
        Err(KemacError::KeyWrapIntegrity)
    }
}

/// RFC 3394 §2.2.1 key wrap with initial value `iv` (for building test messages).
pub fn aes_kw_wrap(kek: &[u8], iv: &[u8; 8], plain: &[u8]) -> Result<Vec<u8>, KemacError> {
    let cipher = kw_cipher(kek)?;
    if !plain.len().is_multiple_of(8) || plain.len() < 16 {
        return Err(KemacError::KeyWrapLength(plain.len() + 8));
    }
    let n = plain.len() / 8;
    let mut a = *iv;
    let mut r = plain.to_vec();
    for j in 0..6u64 {
        for i in 1..=n {
            let mut b = Array::from([0u8; 16]);
            b[..8].copy_from_slice(&a);
            b[8..].copy_from_slice(&r[(i - 1) * 8..i * 8]);
            cipher.encrypt_block(&mut b);
            let t = (n as u64) * j + i as u64;
            a = (u64::from_be_bytes(b[..8].try_into().expect("8 octets")) ^ t).to_be_bytes();
            r[(i - 1) * 8..i * 8].copy_from_slice(&b[8..]);
        }
    }
    let mut out = a.to_vec();
    out.extend_from_slice(&r);
    Ok(out)
}

fn kw_cipher(kek: &[u8]) -> Result<aes::Aes128, KemacError> {
    aes::Aes128::new_from_slice(kek).map_err(|_| KemacError::KeyLength {
        what: "encryption key",
        alg: "AES-KW-128",
        expected: 16,
        found: kek.len(),
    })
}

/// Decrypts KEMAC encrypted data with the keys derived for the message. `t` is the 64-bit T
/// ([`timestamp_64`]); only AES-CM needs it. NULL returns the data as it is.
pub fn decrypt(
    alg: EncrAlg,
    encr_key: &[u8],
    salt: &[u8],
    csb_id: u32,
    t: Option<u64>,
    data: &[u8],
) -> Result<Vec<u8>, KemacError> {
    let lengths = key_lengths(alg).ok_or(KemacError::UnknownEncrAlg(alg.0))?;
    let name = alg.name().unwrap_or("?");
    check_len("encryption key", name, lengths.encr, encr_key.len())?;
    check_len("salting key", name, lengths.salt, salt.len())?;
    match alg {
        EncrAlg::NULL => Ok(data.to_vec()),
        EncrAlg::AES_KW_128 => aes_kw_unwrap(encr_key, salt.try_into().expect("checked"), data),
        _ => {
            let t = t.ok_or(KemacError::NoTimestamp)?;
            let iv = aes_cm_iv(salt.try_into().expect("checked"), csb_id, t);
            aes_cm_apply(encr_key, &iv, data)
        }
    }
}

fn check_len(
    what: &'static str,
    alg: &'static str,
    expected: usize,
    found: usize,
) -> Result<(), KemacError> {
    if expected == found {
        Ok(())
    } else {
        Err(KemacError::KeyLength {
            what,
            alg,
            expected,
            found,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(s: &str) -> Vec<u8> {
        hex::decode(s).unwrap()
    }

    /// RFC 3394 §4.1: 128 bits of key data wrapped with a 128-bit KEK, default IV.
    #[test]
    fn key_wrap_matches_rfc_3394_4_1() {
        let kek = h("000102030405060708090A0B0C0D0E0F");
        let plain = h("00112233445566778899AABBCCDDEEFF");
        let wrapped = h("1FA68B0A8112B447AEF34BD8FB5A7B829D3E862371D2CFE5");
        let iv = [0xA6u8; 8];
        assert_eq!(aes_kw_wrap(&kek, &iv, &plain).unwrap(), wrapped);
        assert_eq!(aes_kw_unwrap(&kek, &iv, &wrapped).unwrap(), plain);
        let mut bad = wrapped.clone();
        bad[10] ^= 1;
        assert_eq!(
            aes_kw_unwrap(&kek, &iv, &bad),
            Err(KemacError::KeyWrapIntegrity)
        );
        assert_eq!(
            aes_kw_unwrap(&kek, &[0; 8], &wrapped),
            Err(KemacError::KeyWrapIntegrity)
        );
        assert_eq!(
            aes_kw_unwrap(&kek, &iv, &wrapped[..20]),
            Err(KemacError::KeyWrapLength(20))
        );
    }

    /// The `aes-kw` crate (default IV only) agrees on longer inputs.
    #[test]
    fn key_wrap_agrees_with_the_aes_kw_crate() {
        let kek: Vec<u8> = (0..16).map(|i| i * 7 + 3).collect();
        let kw = aes_kw::KwAes128::new_from_slice(&kek).unwrap();
        for len in [16usize, 24, 32, 40, 64] {
            let plain: Vec<u8> = (0..len).map(|i| (i * 13 + len) as u8).collect();
            let mut buf = vec![0u8; len + 8];
            let theirs = kw.wrap_key(&plain, &mut buf).unwrap().to_vec();
            assert_eq!(
                aes_kw_wrap(&kek, &[0xA6; 8], &plain).unwrap(),
                theirs,
                "{len}"
            );
            assert_eq!(
                aes_kw_unwrap(&kek, &[0xA6; 8], &theirs).unwrap(),
                plain,
                "{len}"
            );
        }
    }

    #[test]
    fn iv_xors_csb_id_and_t_into_the_salt() {
        let salt: [u8; 14] = h("000102030405060708090a0b0c0d").try_into().unwrap();
        let iv = aes_cm_iv(&salt, 0xffff_ffff, 0x0000_0000_0000_0001);
        assert_eq!(hex::encode(iv), "0001fdfcfbfa060708090a0b0c0c0000");
    }

    #[test]
    fn counter_placement_and_32_bit_ntp_widening() {
        let lead = CounterPlacement::LeadingZeros;
        let trail = CounterPlacement::TrailingZeros;
        assert_eq!(timestamp_64(TsType::COUNTER, 7, lead), Ok(7));
        assert_eq!(timestamp_64(TsType::COUNTER, 7, trail), Ok(7 << 32));
        assert_eq!(timestamp_64(TsType::NTP_UTC_32, 7, lead), Ok(7 << 32));
        assert_eq!(timestamp_64(TsType::NTP, 7, trail), Ok(7));
        assert_eq!(
            timestamp_64(TsType(9), 7, lead),
            Err(KemacError::UnknownTsType(9))
        );
        assert_eq!(CounterPlacement::default(), lead);
    }

    #[test]
    fn decrypt_checks_key_lengths_and_needs_t_for_aes_cm() {
        let k = [1u8; 16];
        let s = [2u8; 14];
        let alg = EncrAlg::AES_CM_128;
        assert_eq!(
            decrypt(alg, &k, &s, 1, None, b"x"),
            Err(KemacError::NoTimestamp)
        );
        assert!(matches!(
            decrypt(alg, &k[..15], &s, 1, Some(0), b"x"),
            Err(KemacError::KeyLength {
                expected: 16,
                found: 15,
                ..
            })
        ));
        assert_eq!(
            decrypt(EncrAlg(9), &k, &s, 1, Some(0), b"x"),
            Err(KemacError::UnknownEncrAlg(9))
        );
        assert_eq!(
            decrypt(EncrAlg::NULL, &[], &[], 1, None, b"x").unwrap(),
            b"x"
        );
        let ct = decrypt(alg, &k, &s, 1, Some(0), b"hello").unwrap();
        assert_ne!(ct, b"hello");
        assert_eq!(decrypt(alg, &k, &s, 1, Some(0), &ct).unwrap(), b"hello");
    }
}

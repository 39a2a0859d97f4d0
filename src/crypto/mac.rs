//! KEMAC MAC verification (RFC 3830 §4.2.4, §5.2; RFC 6043 §6.2 for HMAC-SHA-256-256).
//!
//! In the pre-shared-key method the MAC covers the whole message from the first HDR octet up
//! to and including the KEMAC MAC-alg octet, i.e. everything but the MAC value. The MAC is
//! checked before anything is decrypted (the fix mykey shipped as GHSA-xq78-wvcv-hqvj), and
//! compared in constant time (`subtle`).

use crate::mikey::MacAlg;
use hmac::{Hmac, KeyInit, Mac};
use subtle::ConstantTimeEq;

/// The result of checking a MAC.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum MacCheck {
    /// The MAC is the HMAC of the covered octets under the authentication key.
    Verified,
    /// It is not: wrong key, or the message was altered.
    Mismatch,
    /// MAC alg NULL: the message carries no MAC (nothing was verified).
    NoMac,
    /// The MAC field is not as long as the algorithm's output.
    WrongLength { expected: usize, found: usize },
    /// A MAC algorithm this module does not know.
    UnknownAlg(u8),
}

impl MacCheck {
    pub fn is_verified(self) -> bool {
        self == MacCheck::Verified
    }
}

/// Authentication key length for `alg` (0 for NULL), `None` when unknown.
pub fn auth_key_len(alg: MacAlg) -> Option<usize> {
    match alg {
        MacAlg::NULL => Some(0),
        MacAlg::HMAC_SHA_1_160 => Some(20),
        MacAlg::HMAC_SHA_256_256 => Some(32),
        _ => None,
    }
}

/// The MAC of `covered` under `auth_key`; `None` for NULL and unknown algorithms.
pub fn compute(alg: MacAlg, auth_key: &[u8], covered: &[u8]) -> Option<Vec<u8>> {
    fn hmac<M: Mac + KeyInit>(key: &[u8], data: &[u8]) -> Vec<u8> {
        let mut m = <M as KeyInit>::new_from_slice(key).expect("HMAC takes keys of any length");
        m.update(data);
        m.finalize().into_bytes().to_vec()
    }
    match alg {
        MacAlg::HMAC_SHA_1_160 => Some(hmac::<Hmac<sha1::Sha1>>(auth_key, covered)),
        MacAlg::HMAC_SHA_256_256 => Some(hmac::<Hmac<sha2::Sha256>>(auth_key, covered)),
        _ => None,
    }
}

/// Checks `mac` against the MAC of `covered`; the comparison is constant-time.
pub fn verify(alg: MacAlg, auth_key: &[u8], covered: &[u8], mac: &[u8]) -> MacCheck {
    if alg == MacAlg::NULL {
        return MacCheck::NoMac;
    }
    let Some(expected) = compute(alg, auth_key, covered) else {
        return MacCheck::UnknownAlg(alg.0);
    };
    if expected.len() != mac.len() {
        return MacCheck::WrongLength {
            expected: expected.len(),
            found: mac.len(),
        };
    }
    if bool::from(expected.as_slice().ct_eq(mac)) {
        MacCheck::Verified
    } else {
        MacCheck::Mismatch
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 2202 test case 2 (HMAC-SHA-1) and RFC 4231 test case 2 (HMAC-SHA-256).
    #[test]
    fn known_answers_and_verdicts() {
        let data = b"what do ya want for nothing?";
        let sha1 = hex::decode("effcdf6ae5eb2fa2d27416d5f184df9c259a7c79").unwrap();
        let sha256 =
            hex::decode("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
                .unwrap();
        assert_eq!(
            compute(MacAlg::HMAC_SHA_1_160, b"Jefe", data).unwrap(),
            sha1
        );
        assert_eq!(
            compute(MacAlg::HMAC_SHA_256_256, b"Jefe", data).unwrap(),
            sha256
        );
        assert_eq!(
            verify(MacAlg::HMAC_SHA_1_160, b"Jefe", data, &sha1),
            MacCheck::Verified
        );
        let mut bad = sha1.clone();
        bad[19] ^= 0x80;
        assert_eq!(
            verify(MacAlg::HMAC_SHA_1_160, b"Jefe", data, &bad),
            MacCheck::Mismatch
        );
        assert_eq!(
            verify(MacAlg::HMAC_SHA_1_160, b"Jefx", data, &sha1),
            MacCheck::Mismatch
        );
        assert_eq!(
            verify(MacAlg::HMAC_SHA_1_160, b"Jefe", data, &sha1[..19]),
            MacCheck::WrongLength {
                expected: 20,
                found: 19
            }
        );
        assert_eq!(verify(MacAlg::NULL, b"Jefe", data, &[]), MacCheck::NoMac);
        assert_eq!(
            verify(MacAlg(7), b"Jefe", data, &sha1),
            MacCheck::UnknownAlg(7)
        );
        assert!(MacCheck::Verified.is_verified() && !MacCheck::NoMac.is_verified());
    }
}

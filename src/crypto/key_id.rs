//! TS 33.180 key identifiers carried as the MIKEY-SAKKE CSB ID: the purpose tag in the top
//! four bits (TS 36.579-1 Table 5.5.9.1-1: GMK 0, PCK 1, CSK 2), and the GUK-ID that a GMK
//! is sent under (TS 33.180 F.1.3 / TS 33.179 F.1.3):
//! `GUK-ID = (GMK-ID & 0xF000_0000) | ((GMK-ID ^ Salt) & 0x0FFF_FFFF)`, with Salt the 28
//! least significant bits of the TS 33.220 KDF `HMAC-SHA-256(GMK, 0x50 || URI || len(URI))`,
//! URI the receiving user's MC service ID. PCK and CSK messages carry the PCK-ID / CSK-ID
//! itself.

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

/// FC of the GUK-ID salt derivation (TS 33.180 F.1.3).
const GUK_ID_FC: u8 = 0x50;

/// The purpose tag: the four most significant bits of a key identifier. Unknown values are
/// kept.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PurposeTag(pub u8);

impl PurposeTag {
    pub const GMK: PurposeTag = PurposeTag(0);
    pub const PCK: PurposeTag = PurposeTag(1);
    pub const CSK: PurposeTag = PurposeTag(2);

    pub fn of(key_id: u32) -> PurposeTag {
        PurposeTag((key_id >> 28) as u8)
    }

    pub fn name(self) -> Option<&'static str> {
        match self.0 {
            0 => Some("GMK"),
            1 => Some("PCK"),
            2 => Some("CSK"),
            _ => None,
        }
    }
}

/// Why a CSB ID does not fit the key it carries.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum KeyIdError {
    #[error("the CSB ID {csb_id:#010x} has purpose tag {found}, a {expected:?} message needs {expected_tag}", found = PurposeTag::of(*csb_id).0, expected_tag = expected.0)]
    PurposeTag { csb_id: u32, expected: PurposeTag },
    #[error("the CSB ID {csb_id:#010x} is not the GUK-ID {guk_id:#010x} derived from the GMK, the GMK-ID and the receiver's URI")]
    GukIdMismatch { csb_id: u32, guk_id: u32 },
    #[error("the CSB ID {csb_id:#010x} differs from the key identifier {key_id:#010x}")]
    KeyIdMismatch { csb_id: u32, key_id: u32 },
}

/// The TS 33.220 B.2 KDF with one parameter: `HMAC-SHA-256(key, FC || P0 || L0)`.
fn kdf1(key: &[u8], fc: u8, p0: &[u8]) -> [u8; 32] {
    // HMAC accepts keys of any length, so this never fails.
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(key).expect("HMAC takes any key");
    mac.update(&[fc]);
    mac.update(p0);
    mac.update(&(p0.len() as u16).to_be_bytes());
    mac.finalize().into_bytes().into()
}

/// The GUK-ID under which `gmk` (identified by `gmk_id`) is sent to `receiver_uri`.
pub fn guk_id(gmk: &[u8], gmk_id: u32, receiver_uri: &[u8]) -> u32 {
    let h = kdf1(gmk, GUK_ID_FC, receiver_uri);
    let salt = u32::from_be_bytes([h[28], h[29], h[30], h[31]]) & 0x0FFF_FFFF;
    (gmk_id & 0xF000_0000) | ((gmk_id ^ salt) & 0x0FFF_FFFF)
}

/// The CSB ID's purpose tag is `expected`.
pub fn check_purpose_tag(csb_id: u32, expected: PurposeTag) -> Result<(), KeyIdError> {
    if PurposeTag::of(csb_id) == expected {
        Ok(())
    } else {
        Err(KeyIdError::PurposeTag { csb_id, expected })
    }
}

/// The CSB ID of a GMK message is the GUK-ID of that GMK for the receiver (and so carries
/// the GMK purpose tag).
pub fn check_guk_id(
    csb_id: u32,
    gmk: &[u8],
    gmk_id: u32,
    receiver_uri: &[u8],
) -> Result<(), KeyIdError> {
    check_purpose_tag(csb_id, PurposeTag::GMK)?;
    let expected = guk_id(gmk, gmk_id, receiver_uri);
    if csb_id == expected {
        Ok(())
    } else {
        Err(KeyIdError::GukIdMismatch {
            csb_id,
            guk_id: expected,
        })
    }
}

/// The CSB ID of a CSK or PCK message is the CSK-ID / PCK-ID itself, with its purpose tag.
pub fn check_key_id(csb_id: u32, key_id: u32, expected: PurposeTag) -> Result<(), KeyIdError> {
    check_purpose_tag(csb_id, expected)?;
    if csb_id == key_id {
        Ok(())
    } else {
        Err(KeyIdError::KeyIdMismatch { csb_id, key_id })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(h: &str) -> u32 {
        u32::from_str_radix(h, 16).expect("hex id")
    }

    /// Set 4 of vectors/crypto/ts33180_mikey_sakke.txt: (URI, GMK, GMK-ID, GUK-ID).
    const GUK_VECTORS: [(&str, &str, &str, &str); 4] = [
        (
            "sip:p25user01@etherstack.com",
            "fcfe65cd967c58d260b603ccb9a887a9",
            "09bf9d37",
            "01c8de7b",
        ),
        (
            "sip:p25user02@etherstack.co.jp",
            "fcfe65cd967c58d260b603ccb9a887a9",
            "09bf9d37",
            "0abe69d0",
        ),
        (
            "sip:alice@streamwide.com",
            "07d1a1677ac36d8e81620484689b3c2d",
            "0df9bc39",
            "06a12aea",
        ),
        (
            "sip:u1alea@veronica-cluster",
            "b1c9d5b7483511820ccfd06b58ef139b",
            "06dbc5e2",
            "0c340888",
        ),
    ];

    #[test]
    fn the_guk_id_vectors_are_in_the_copied_file() {
        let text = crate::crypto::test_vectors::TS33180;
        for (uri, gmk, gmk_id, guk) in GUK_VECTORS {
            for s in [uri, gmk, gmk_id, guk] {
                assert!(text.contains(s), "{s} not in the vector file");
            }
        }
    }

    #[test]
    fn every_guk_id_vector() {
        for (uri, gmk, gmk_id, guk) in GUK_VECTORS {
            let gmk = hex::decode(gmk).expect("hex");
            assert_eq!(guk_id(&gmk, id(gmk_id), uri.as_bytes()), id(guk), "{uri}");
            assert_eq!(
                check_guk_id(id(guk), &gmk, id(gmk_id), uri.as_bytes()),
                Ok(())
            );
        }
    }

    #[test]
    fn the_dpck_vector_confirms_the_kdf_framing() {
        // TS 33.180 8.5.3: HMAC-SHA-256(GMK, 0x53 || DPPK-ID || 0x0004), 128 LSB.
        let gmk = hex::decode("000102030405060708090a0b0c0d0e0f").expect("hex");
        let out = kdf1(&gmk, 0x53, &id("deadbaad").to_be_bytes());
        assert_eq!(hex::encode(&out[16..]), "d853d0bd6916ffc9837e2a2012a39491");
    }

    #[test]
    fn wrong_ids_and_tags_are_named() {
        let gmk = hex::decode(GUK_VECTORS[2].1).expect("hex");
        let uri = GUK_VECTORS[2].0.as_bytes();
        assert_eq!(
            check_guk_id(0x06a1_2aeb, &gmk, 0x0df9_bc39, uri),
            Err(KeyIdError::GukIdMismatch {
                csb_id: 0x06a1_2aeb,
                guk_id: 0x06a1_2aea
            })
        );
        assert_eq!(
            check_guk_id(0x26a1_2aea, &gmk, 0x0df9_bc39, uri),
            Err(KeyIdError::PurposeTag {
                csb_id: 0x26a1_2aea,
                expected: PurposeTag::GMK
            })
        );
        assert_eq!(
            check_key_id(0x2ddd_5bf0, 0x2ddd_5bf0, PurposeTag::CSK),
            Ok(())
        );
        assert_eq!(
            check_key_id(0x1699_2638, 0x1699_2638, PurposeTag::PCK),
            Ok(())
        );
        assert_eq!(
            check_key_id(0x2ddd_5bf0, 0x2ddd_5bf1, PurposeTag::CSK),
            Err(KeyIdError::KeyIdMismatch {
                csb_id: 0x2ddd_5bf0,
                key_id: 0x2ddd_5bf1
            })
        );
        assert_eq!(
            check_key_id(0x1699_2638, 0x1699_2638, PurposeTag::CSK),
            Err(KeyIdError::PurposeTag {
                csb_id: 0x1699_2638,
                expected: PurposeTag::CSK
            })
        );
        assert_eq!(PurposeTag::of(0x2ddd_5bf0).name(), Some("CSK"));
        assert_eq!(PurposeTag::of(0xf000_0000).name(), None);
    }
}

//! The decrypted KEMAC plaintext: a chain of Key Data sub-payloads (RFC 3830 §6.13) with
//! their key validity data (§6.14), decoded with offsets relative to the plaintext's first
//! octet. One sub-payload is read by the decoder of `src/mikey/key_data.rs` (the same layout
//! as NULL-encrypted KEMACs); the chain walk here is stricter, because a wrong key gives
//! random octets and every way they fail to be a chain should be named.

use super::material::KeyMaterial;
use crate::mikey::key_data::{KeyData, KeyValidity};
use crate::mikey::reader::Reader;
use crate::mikey::{KeyDataType, KvType, PayloadType, WireIssue, MAX_PAYLOADS};
use serde::Serialize;

/// A value with the plaintext offset and length it was read from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Located<T> {
    pub value: T,
    pub offset: usize,
    pub len: usize,
}

/// Non-secret octets (SPI, validity bounds), shown as hex.
#[derive(Clone, PartialEq, Eq)]
pub struct PublicBytes(pub Vec<u8>);

impl std::fmt::Debug for PublicBytes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&hex::encode(&self.0))
    }
}

impl Serialize for PublicBytes {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&hex::encode(&self.0))
    }
}

/// One decrypted Key Data sub-payload.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct KeyDataEntry {
    pub offset: usize,
    pub len: usize,
    pub key_type: Located<KeyDataType>,
    pub kv_type: Located<KvType>,
    /// The key (TGK, TEK, MSK, MTK, …); printed as a fingerprint only.
    pub key: Located<KeyMaterial>,
    /// The salt, for the "+SALT" types.
    pub salt: Option<Located<KeyMaterial>>,
    pub validity: Validity,
}

/// Key validity data (RFC 3830 §6.14). MBMS carries the MTK ID range of an MSK as an
/// interval (mikey-wire-format.md §6.4).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Validity {
    Null,
    Spi {
        spi: Located<PublicBytes>,
    },
    Interval {
        valid_from: Located<PublicBytes>,
        valid_to: Located<PublicBytes>,
    },
}

/// The decoded chain, and any octets after the sub-payload whose next payload is 0.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct KeyDataList {
    pub entries: Vec<KeyDataEntry>,
    /// `(offset, len)` of octets after the last sub-payload (AES-CM has no padding, so with
    /// AES-CM these are a defect; AES-KW needs a multiple of 8 octets).
    pub trailing: Option<(usize, usize)>,
}

/// How the plaintext fails to be a Key Data chain. Offsets are relative to the plaintext.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum KeyDataError {
    #[error("the decrypted KEMAC data is empty: no Key Data sub-payload")]
    Empty,
    #[error(
        "decrypted Key Data sub-payload {index} (plaintext offset {offset}) is malformed: {issue}"
    )]
    Malformed {
        index: usize,
        offset: usize,
        issue: WireIssue,
    },
    #[error("decrypted Key Data sub-payload {index}: next payload {value} at plaintext offset {offset} is neither 20 (another Key Data sub-payload) nor 0 (last)")]
    BadNextPayload {
        index: usize,
        offset: usize,
        value: u8,
    },
    #[error("decrypted Key Data sub-payload {index} announces another one (next payload 20 at plaintext offset {offset}), but the plaintext ends at offset {end}")]
    ChainNotTerminated {
        index: usize,
        offset: usize,
        end: usize,
    },
    #[error("more than {limit} decrypted Key Data sub-payloads")]
    TooMany { limit: usize },
}

/// Decodes the decrypted KEMAC plaintext into its Key Data sub-payloads.
pub fn decode_key_data(plaintext: &[u8]) -> Result<KeyDataList, KeyDataError> {
    if plaintext.is_empty() {
        return Err(KeyDataError::Empty);
    }
    let mut r = Reader::new(plaintext);
    let mut entries = Vec::new();
    loop {
        let index = entries.len();
        if index >= MAX_PAYLOADS {
            return Err(KeyDataError::TooMany {
                limit: MAX_PAYLOADS,
            });
        }
        let offset = r.offset();
        let kd = KeyData::parse(&mut r).map_err(|issue| KeyDataError::Malformed {
            index,
            offset,
            issue,
        })?;
        let np = kd.next_payload;
        entries.push(entry(&kd));
        match np.value {
            PayloadType::KEY_DATA if r.is_empty() => {
                return Err(KeyDataError::ChainNotTerminated {
                    index,
                    offset: np.offset,
                    end: r.offset(),
                })
            }
            PayloadType::KEY_DATA => {}
            PayloadType::LAST => break,
            other => {
                return Err(KeyDataError::BadNextPayload {
                    index,
                    offset: np.offset,
                    value: other.0,
                })
            }
        }
    }
    let trailing = (!r.is_empty()).then(|| (r.offset(), r.remaining()));
    Ok(KeyDataList { entries, trailing })
}

fn located<T, U>(f: &crate::mikey::Field<T>, value: U) -> Located<U> {
    Located {
        value,
        offset: f.offset,
        len: f.len,
    }
}

fn public(f: &crate::mikey::Field<&[u8]>) -> Located<PublicBytes> {
    located(f, PublicBytes(f.value.to_vec()))
}

fn entry(kd: &KeyData<'_>) -> KeyDataEntry {
    let validity = match &kd.kv {
        KeyValidity::Null => Validity::Null,
        KeyValidity::Spi { spi, .. } => Validity::Spi { spi: public(spi) },
        KeyValidity::Interval {
            valid_from,
            valid_to,
            ..
        } => Validity::Interval {
            valid_from: public(valid_from),
            valid_to: public(valid_to),
        },
    };
    KeyDataEntry {
        offset: kd.offset,
        len: kd.len,
        key_type: located(&kd.key_type, kd.key_type.value),
        kv_type: located(&kd.kv_type, kd.kv_type.value),
        key: located(&kd.key, KeyMaterial::new(kd.key.value.0.to_vec())),
        salt: kd
            .salt
            .as_ref()
            .map(|s| located(s, KeyMaterial::new(s.value.0.to_vec()))),
        validity,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(s: &str) -> Vec<u8> {
        hex::decode(s.replace(' ', "")).unwrap()
    }

    /// An MBMS-shaped MSK entry (TEK, KV interval with 4-octet MTK IDs) followed by a
    /// TEK+SALT entry with an SPI.
    #[test]
    fn decodes_a_chain_with_offsets_relative_to_the_plaintext() {
        let key = "000102030405060708090a0b0c0d0e0f";
        let p = h(&format!(
            "14 22 0010 {key} 04 00000100 04 000001ff  00 31 0002 aabb 0003 cccccc 02 1234"
        ));
        let list = decode_key_data(&p).unwrap();
        assert_eq!(list.trailing, None);
        let [a, b] = &list.entries[..] else {
            panic!("{list:?}")
        };
        assert_eq!((a.offset, a.len, b.offset, b.len), (0, 30, 30, 14));
        assert_eq!(a.key_type.value, KeyDataType::TEK);
        assert_eq!(a.kv_type.value, KvType::INTERVAL);
        assert_eq!((a.key.offset, a.key.len), (4, 16));
        assert!(a.key.value.ct_eq_bytes(&h(key)));
        let Validity::Interval {
            valid_from,
            valid_to,
        } = &a.validity
        else {
            panic!()
        };
        assert_eq!(
            (valid_from.value.0.clone(), valid_from.offset),
            (h("00000100"), 21)
        );
        assert_eq!(
            (valid_to.value.0.clone(), valid_to.offset),
            (h("000001ff"), 26)
        );
        assert_eq!(b.key_type.value, KeyDataType::TEK_SALT);
        let salt = b.salt.as_ref().unwrap();
        assert_eq!((salt.offset, salt.len), (38, 3));
        let Validity::Spi { spi } = &b.validity else {
            panic!()
        };
        assert_eq!((spi.value.0.clone(), spi.offset), (h("1234"), 42));
    }

    #[test]
    fn keys_never_print() {
        let p = h("00 20 0004 deadbeef");
        let list = decode_key_data(&p).unwrap();
        let text = format!("{list:?}{}", serde_json::to_string(&list).unwrap());
        assert!(!text.contains("deadbeef"), "{text}");
        assert!(text.contains("<redacted: 4 octets, sha256:"), "{text}");
    }

    #[test]
    fn names_each_way_the_chain_is_malformed() {
        assert_eq!(decode_key_data(&[]), Err(KeyDataError::Empty));
        assert!(matches!(
            decode_key_data(&h("00 20 0010 0001")),
            Err(KeyDataError::Malformed {
                index: 0,
                offset: 0,
                issue: WireIssue::LengthOverrun {
                    offset: 2,
                    declared: 16,
                    available: 2,
                    ..
                }
            })
        ));
        assert_eq!(
            decode_key_data(&h("07 20 0001 aa")),
            Err(KeyDataError::BadNextPayload {
                index: 0,
                offset: 0,
                value: 7
            })
        );
        assert_eq!(
            decode_key_data(&h("14 20 0001 aa")),
            Err(KeyDataError::ChainNotTerminated {
                index: 0,
                offset: 0,
                end: 5
            })
        );
        assert!(matches!(
            decode_key_data(&h("14 20 0001 aa 00 2f 0001 bb")),
            Err(KeyDataError::Malformed {
                index: 1,
                offset: 5,
                issue: WireIssue::UndecodablePayload { .. }
            })
        ));
        let list = decode_key_data(&h("00 20 0001 aa 0000 00")).unwrap();
        assert_eq!(list.trailing, Some((5, 3)));
        let msg = decode_key_data(&h("00 20 0010 00"))
            .unwrap_err()
            .to_string();
        assert!(
            msg.contains("plaintext offset 0") && msg.contains("key data"),
            "{msg}"
        );
    }
}

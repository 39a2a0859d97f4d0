//! Builds a protected pre-shared-key message from a [`MessageSpec`] whose KEMAC holds plain
//! Key Data: derives the §4.1.4 keys, encrypts the Key Data (AES-CM or AES-KW), and writes
//! the MAC over everything before the MAC value. For authoring test vectors with known keys;
//! `tests/psk_oracle.rs` checks its output byte for byte against messages protected by openssl.

use super::kemac::{self, KemacError};
use super::mac;
use super::prf::{derive_psk_keys, KeyLengths};
use super::psk::PskOptions;
use crate::mikey::encode::key_data_chain_bytes;
use crate::mikey::spec::{Hex, KemacSpec, PayloadSpec};
use crate::mikey::{
    decode, EncodeError, EncrAlg, MacAlg, MessageSpec, PayloadBody, PrfFunc, TsType,
};

/// Why a message could not be sealed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SealError {
    #[error("the spec has no KEMAC with plain key_data to encrypt")]
    NoPlainKemac,
    #[error("the spec has no RAND payload and no RAND was supplied")]
    NoRand,
    #[error("unknown PRF func {0}")]
    UnknownPrf(u8),
    #[error("unknown KEMAC encryption algorithm {0}")]
    UnknownEncrAlg(u8),
    #[error("unknown or NULL-incompatible MAC algorithm {0}")]
    UnknownMacAlg(u8),
    #[error("AES-CM needs a T payload with a known TS type")]
    NoTimestamp,
    #[error("the message does not encode: {0}")]
    Encode(String),
    #[error("encryption failed: {0}")]
    Kemac(#[from] KemacError),
}

impl From<EncodeError> for SealError {
    fn from(e: EncodeError) -> Self {
        SealError::Encode(e.to_string())
    }
}

/// The message bytes of `spec` with its KEMAC Key Data encrypted and MACed under `psk`.
/// AES-KW plaintext is padded with zero octets to a multiple of 8 (at least 16).
pub fn seal_psk_message(
    spec: &MessageSpec,
    psk: &[u8],
    opts: &PskOptions<'_>,
) -> Result<Vec<u8>, SealError> {
    let mut spec = spec.clone();
    let rand = spec
        .payloads
        .iter()
        .find_map(|p| match p {
            PayloadSpec::Rand(r) => Some(r.rand.0.clone()),
            _ => None,
        })
        .or(opts.rand.map(<[u8]>::to_vec))
        .ok_or(SealError::NoRand)?;
    let t = spec.payloads.iter().find_map(|p| match p {
        PayloadSpec::T(t) => {
            kemac::timestamp_64(TsType(t.ts_type), t.value, opts.counter_placement).ok()
        }
        _ => None,
    });
    let (prf, csb_id) = (PrfFunc(spec.header.prf), spec.header.csb_id);
    let k = plain_kemac(&mut spec)?;
    let (encr_alg, mac_alg) = (EncrAlg(k.encr_alg), MacAlg(k.mac_alg));
    let lengths = KeyLengths {
        auth: mac::auth_key_len(mac_alg).ok_or(SealError::UnknownMacAlg(mac_alg.0))?,
        ..kemac::key_lengths(encr_alg).ok_or(SealError::UnknownEncrAlg(encr_alg.0))?
    };
    let keys = derive_psk_keys(prf, psk, csb_id, &rand, lengths)
        .map_err(|e| SealError::UnknownPrf(e.0))?;
    let mut plain = key_data_chain_bytes(k.key_data.as_deref().unwrap_or_default())?;
    let (encr, salt) = (keys.encr.expose(), keys.salt.expose());
    let encrypted = match encr_alg {
        EncrAlg::NULL => plain,
        EncrAlg::AES_KW_128 => {
            plain.resize(plain.len().div_ceil(8).max(2) * 8, 0);
            kemac::aes_kw_wrap(encr, salt.try_into().expect("8-octet salt"), &plain)?
        }
        _ => {
            let iv = kemac::aes_cm_iv(
                salt.try_into().expect("14-octet salt"),
                csb_id,
                t.ok_or(SealError::NoTimestamp)?,
            );
            kemac::aes_cm_apply(encr, &iv, &plain)?
        }
    };
    let mac_len = mac_alg.mac_len().unwrap_or(0);
    k.encr_data = Some(Hex(encrypted));
    k.key_data = None;
    k.mac = Hex(vec![0; mac_len]);
    let mut bytes = spec.to_bytes()?;
    if let Some(at) = mac_offset(&bytes) {
        let tag = mac::compute(mac_alg, keys.auth.expose(), &bytes[..at]).unwrap_or_default();
        bytes[at..at + tag.len()].copy_from_slice(&tag);
    }
    Ok(bytes)
}

fn plain_kemac(spec: &mut MessageSpec) -> Result<&mut KemacSpec, SealError> {
    spec.payloads
        .iter_mut()
        .rev()
        .find_map(|p| match p {
            PayloadSpec::Kemac(k) if k.key_data.is_some() && k.encr_data.is_none() => Some(k),
            _ => None,
        })
        .ok_or(SealError::NoPlainKemac)
}

/// Offset of the (placeholder) MAC value in the encoded message.
fn mac_offset(bytes: &[u8]) -> Option<usize> {
    let d = decode(bytes);
    d.message?
        .payloads
        .iter()
        .rev()
        .find_map(|p| match &p.body {
            PayloadBody::Kemac(k) => Some(k.mac.offset),
            _ => None,
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::mac::MacCheck;
    use crate::crypto::psk::first_verifying_key;

    const HDR: &str = "header: {data_type: 0, prf: 0, csb_id: 1, cs_id_map: {kind: empty}}\n";

    /// The first candidate whose MAC verifies is chosen; none verifies a NULL MAC.
    #[test]
    fn first_verifying_key_picks_the_key_whose_mac_verifies() {
        let yaml = format!(
            "{HDR}payloads:\n- {{type: rand, rand: '0102'}}\n- {{type: kemac, encr_alg: 0, mac_alg: 1, key_data: [{{key_type: 2, key: 'aabb'}}]}}\n"
        );
        let spec: MessageSpec = serde_yaml::from_str(&yaml).unwrap();
        let bytes = seal_psk_message(&spec, b"right", &PskOptions::default()).unwrap();
        let d = decode(&bytes);
        let m = d.message.as_ref().unwrap();
        let opts = PskOptions::default();
        let keys: [&[u8]; 3] = [b"wrong", b"right", b"also wrong"];
        let (i, o) = first_verifying_key(&bytes, m, &keys, &opts)
            .unwrap()
            .unwrap();
        assert_eq!((i, o.mac), (1, MacCheck::Verified));
        assert_eq!(
            first_verifying_key(&bytes, m, &[b"x".as_slice()], &opts).unwrap(),
            None
        );
        let null_mac =
            serde_yaml::from_str::<MessageSpec>(&yaml.replace("mac_alg: 1", "mac_alg: 0"))
                .unwrap()
                .to_bytes()
                .unwrap();
        let d = decode(&null_mac);
        let found = first_verifying_key(&null_mac, d.message.as_ref().unwrap(), &keys, &opts);
        assert_eq!(found.unwrap(), None);
    }
}

//! One pre-shared-key MIKEY message (RFC 3830 §3.1, HDR data type 0) checked with a candidate
//! key: derive the §4.1.4 keys, verify the MAC, and only then decrypt the KEMAC and decode its
//! Key Data. MBMS MSK messages (protected with the MUK), MTK messages (protected with the
//! MSK) and OMA BCAST LTKMs (protected with the SMK) all take this path.

use super::kemac::{self, CounterPlacement, KemacError};
use super::keydata::{decode_key_data, KeyDataList};
use super::mac::{self, MacCheck};
use super::prf::{derive_psk_keys, KeyLengths, PskKeys};
use crate::mikey::kemac::Kemac;
use crate::mikey::t::Timestamp;
use crate::mikey::{DataType, EncrAlg, MacAlg, Message, PayloadBody, PrfFunc, TsType};
use serde::Serialize;

/// Settings for the \[unconfirmed\] points of crypto.md §1.3/§1.4.
#[derive(Clone, Copy, Debug, Default)]
pub struct PskOptions<'a> {
    /// Where a 32-bit COUNTER goes in the AES-CM IV's 64-bit T (default: leading zeros).
    pub counter_placement: CounterPlacement,
    /// The RAND to use when the message carries none (an MBMS MTK message; believed to be
    /// the RAND of the MSK message). A RAND payload in the message always wins.
    pub rand: Option<&'a [u8]>,
}

/// Where the RAND of the key-derivation label came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RandSource {
    /// The message's RAND payload; `offset` is that of the RAND value.
    Message { offset: usize },
    /// [`PskOptions::rand`], because the message has no RAND payload.
    Supplied,
}

/// The T value that entered the AES-CM IV.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct IvTimestamp {
    pub ts_type: TsType,
    /// The 64-bit T used.
    pub t64: u64,
    /// True when it rests on [`CounterPlacement`] (a COUNTER): results that depend on it are
    /// provisional.
    pub provisional: bool,
}

/// What became of the KEMAC encrypted data.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Decryption {
    /// Not decrypted because the MAC did not verify (RFC 3830 §5.2: verify first).
    NotAttempted,
    /// Decryption failed (e.g. an AES-KW integrity failure, a missing T payload).
    Failed { reason: String },
    /// Decrypted, but the plaintext is not a Key Data chain (with a verified MAC: a sender
    /// defect; with a NULL MAC: possibly the wrong key).
    Malformed { reason: String },
    /// Decrypted and decoded.
    Decoded(KeyDataList),
}

/// Everything learnt about one message with one candidate key. Keys print as fingerprints.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PskOutcome {
    pub prf: PrfFunc,
    pub rand: RandSource,
    /// The §4.1.4 encryption, authentication and salting keys.
    pub keys: PskKeys,
    pub encr_alg: EncrAlg,
    pub mac_alg: MacAlg,
    /// Offset of the MAC value: the MAC covers octets `0..mac_offset`.
    pub mac_offset: usize,
    pub mac: MacCheck,
    /// Present when AES-CM needed the T payload for its IV.
    pub iv_timestamp: Option<IvTimestamp>,
    pub decryption: Decryption,
}

impl PskOutcome {
    /// The decrypted Key Data, when the MAC verified (or was NULL) and the plaintext decoded.
    pub fn key_data(&self) -> Option<&KeyDataList> {
        match &self.decryption {
            Decryption::Decoded(list) => Some(list),
            _ => None,
        }
    }
}

/// Why the message could not be checked at all with a pre-shared key.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PskError {
    #[error("HDR data type {0} is not a pre-shared-key init message (data type 0)")]
    NotPskInit(u8),
    #[error("the message has no KEMAC payload")]
    NoKemac,
    #[error("unknown PRF func {0} in the HDR")]
    UnknownPrf(u8),
    #[error("unknown KEMAC encryption algorithm {0}")]
    UnknownEncrAlg(u8),
    #[error("unknown KEMAC MAC algorithm {0}")]
    UnknownMacAlg(u8),
    #[error(
        "the message has no RAND payload and no RAND was supplied: the keys cannot be derived"
    )]
    NoRand,
    #[error("the KEMAC MAC at offset {0} lies outside the raw message")]
    MacOutsideInput(usize),
}

/// Checks one PSK-mode message (`raw`, and `msg` decoded from it) with the candidate key `psk`.
pub fn psk_message(
    raw: &[u8],
    msg: &Message<'_>,
    psk: &[u8],
    opts: &PskOptions<'_>,
) -> Result<PskOutcome, PskError> {
    let hdr = &msg.header;
    if hdr.data_type.value != DataType::PSK_INIT {
        return Err(PskError::NotPskInit(hdr.data_type.value.0));
    }
    let kemac = msg.payloads.iter().find_map(|p| match &p.body {
        PayloadBody::Kemac(k) => Some(k),
        _ => None,
    });
    let kemac = kemac.ok_or(PskError::NoKemac)?;
    let (rand, rand_source) = find_rand(msg, opts)?;
    let (encr_alg, mac_alg) = (kemac.encr_alg.value, kemac.mac_alg.value);
    let lengths = KeyLengths {
        auth: mac::auth_key_len(mac_alg).ok_or(PskError::UnknownMacAlg(mac_alg.0))?,
        ..kemac::key_lengths(encr_alg).ok_or(PskError::UnknownEncrAlg(encr_alg.0))?
    };
    let prf = hdr.prf.value;
    let csb_id = hdr.csb_id.value;
    let keys =
        derive_psk_keys(prf, psk, csb_id, rand, lengths).map_err(|e| PskError::UnknownPrf(e.0))?;
    let mac_offset = kemac.mac.offset;
    let covered = raw
        .get(..mac_offset)
        .ok_or(PskError::MacOutsideInput(mac_offset))?;
    let mac = mac::verify(mac_alg, keys.auth.expose(), covered, kemac.mac.value);
    let uses_t = matches!(encr_alg, EncrAlg::AES_CM_128 | EncrAlg::AES_CM_256);
    let iv_timestamp = if uses_t {
        timestamp(msg, opts.counter_placement)
    } else {
        None
    };
    let decryption = match mac {
        MacCheck::Verified | MacCheck::NoMac => decrypt(kemac, &keys, csb_id, iv_timestamp, msg),
        _ => Decryption::NotAttempted,
    };
    Ok(PskOutcome {
        prf,
        rand: rand_source,
        keys,
        encr_alg,
        mac_alg,
        mac_offset,
        mac,
        iv_timestamp,
        decryption,
    })
}

/// Tries each candidate key in order (the keyring's pre-shared keys, when none names the
/// message's CSB ID) and returns the index and outcome of the first whose MAC verifies;
/// `Ok(None)` when none does. A message with a NULL MAC verifies under no key, so it gives
/// `Ok(None)`: check it with [`psk_message`] and a key chosen otherwise.
pub fn first_verifying_key(
    raw: &[u8],
    msg: &Message<'_>,
    candidates: &[&[u8]],
    opts: &PskOptions<'_>,
) -> Result<Option<(usize, PskOutcome)>, PskError> {
    for (i, key) in candidates.iter().enumerate() {
        let o = psk_message(raw, msg, key, opts)?;
        if o.mac.is_verified() {
            return Ok(Some((i, o)));
        }
    }
    Ok(None)
}

fn find_rand<'m>(
    msg: &'m Message<'_>,
    opts: &PskOptions<'m>,
) -> Result<(&'m [u8], RandSource), PskError> {
    let in_msg = msg.payloads.iter().find_map(|p| match &p.body {
        PayloadBody::Rand(r) => Some(r),
        _ => None,
    });
    match (in_msg, opts.rand) {
        (Some(r), _) => Ok((
            r.rand.value,
            RandSource::Message {
                offset: r.rand.offset,
            },
        )),
        (None, Some(r)) => Ok((r, RandSource::Supplied)),
        (None, None) => Err(PskError::NoRand),
    }
}

fn first_t<'m>(msg: &'m Message<'_>) -> Option<&'m Timestamp> {
    msg.payloads.iter().find_map(|p| match &p.body {
        PayloadBody::T(t) => Some(t),
        _ => None,
    })
}

fn timestamp(msg: &Message<'_>, placement: CounterPlacement) -> Option<IvTimestamp> {
    let t = first_t(msg)?;
    let ts_type = t.ts_type.value;
    let t64 = kemac::timestamp_64(ts_type, t.ts_value.value, placement).ok()?;
    Some(IvTimestamp {
        ts_type,
        t64,
        provisional: ts_type == TsType::COUNTER,
    })
}

fn decrypt(
    kemac: &Kemac<'_>,
    keys: &PskKeys,
    csb_id: u32,
    t: Option<IvTimestamp>,
    msg: &Message<'_>,
) -> Decryption {
    let data = kemac.encr_data.value.0;
    let t64 = t.map(|t| t.t64);
    let plain = kemac::decrypt(
        kemac.encr_alg.value,
        keys.encr.expose(),
        keys.salt.expose(),
        csb_id,
        t64,
        data,
    );
    let plain = match plain {
        Ok(p) => p,
        Err(KemacError::NoTimestamp) => {
            // A T payload exists but its type is unknown: say so rather than "no T".
            let reason = match first_t(msg) {
                Some(t) => KemacError::UnknownTsType(t.ts_type.value.0).to_string(),
                None => KemacError::NoTimestamp.to_string(),
            };
            return Decryption::Failed { reason };
        }
        Err(e) => {
            return Decryption::Failed {
                reason: e.to_string(),
            }
        }
    };
    match decode_key_data(&plain) {
        Ok(list) => Decryption::Decoded(list),
        Err(e) => Decryption::Malformed {
            reason: e.to_string(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mikey::{decode, MessageSpec};

    fn message(yaml: &str) -> Vec<u8> {
        serde_yaml::from_str::<MessageSpec>(yaml)
            .unwrap()
            .to_bytes()
            .unwrap()
    }

    fn run(bytes: &[u8], psk: &[u8]) -> Result<PskOutcome, PskError> {
        let d = decode(bytes);
        psk_message(
            bytes,
            d.message.as_ref().unwrap(),
            psk,
            &PskOptions::default(),
        )
    }

    const HDR: &str = "header: {data_type: 0, prf: 0, csb_id: 1, cs_id_map: {kind: empty}}\n";

    /// NULL encryption and NULL MAC: nothing is verified, the clear Key Data is decoded.
    #[test]
    fn null_mac_is_reported_and_null_encryption_decodes() {
        let yaml = format!(
            "{HDR}payloads:\n- {{type: rand, rand: '0102'}}\n- {{type: kemac, encr_alg: 0, mac_alg: 0, key_data: [{{key_type: 0, key: 'aabbccdd'}}]}}\n"
        );
        let o = run(&message(&yaml), b"k").unwrap();
        assert_eq!((o.mac, o.iv_timestamp), (MacCheck::NoMac, None));
        assert!(o.key_data().unwrap().entries[0]
            .key
            .value
            .ct_eq_bytes(&[0xaa, 0xbb, 0xcc, 0xdd]));
        assert_eq!(
            (o.keys.encr.len(), o.keys.auth.len(), o.keys.salt.len()),
            (0, 0, 0)
        );
    }

    /// A verified MAC over AES-CM data, but no T payload: decryption fails and says why.
    #[test]
    fn aes_cm_without_t_fails_decryption_with_a_reason() {
        let rand = "- {type: rand, rand: '0102'}\n";
        let yaml = format!(
            "{HDR}payloads:\n{rand}- {{type: kemac, encr_alg: 1, encr_data: '00', mac_alg: 0}}\n"
        );
        let o = run(&message(&yaml), b"k").unwrap();
        let Decryption::Failed { reason } = &o.decryption else {
            panic!("{o:?}")
        };
        assert!(reason.contains("T payload"), "{reason}");
    }

    #[test]
    fn messages_that_cannot_be_checked_say_why() {
        let pk =
            "header: {data_type: 2, prf: 0, csb_id: 1, cs_id_map: {kind: empty}}\npayloads: []\n";
        assert_eq!(
            run(&message(pk), b"k").unwrap_err(),
            PskError::NotPskInit(2)
        );
        let no_kemac = format!("{HDR}payloads:\n- {{type: rand, rand: '0102'}}\n");
        assert_eq!(
            run(&message(&no_kemac), b"k").unwrap_err(),
            PskError::NoKemac
        );
        let kemac = |e: u8, m: u8| format!("- {{type: kemac, encr_alg: {e}, mac_alg: {m}}}\n");
        let with = |k: String| format!("{HDR}payloads:\n- {{type: rand, rand: '0102'}}\n{k}");
        assert_eq!(
            run(&message(&with(kemac(9, 0))), b"k").unwrap_err(),
            PskError::UnknownEncrAlg(9)
        );
        assert_eq!(
            run(&message(&with(kemac(0, 7))), b"k").unwrap_err(),
            PskError::UnknownMacAlg(7)
        );
        let no_rand = format!("{HDR}payloads:\n{}", kemac(0, 0));
        assert_eq!(run(&message(&no_rand), b"k").unwrap_err(), PskError::NoRand);
        let prf9 = with(kemac(0, 0)).replace("prf: 0", "prf: 9");
        assert_eq!(
            run(&message(&prf9), b"k").unwrap_err(),
            PskError::UnknownPrf(9)
        );
    }
}

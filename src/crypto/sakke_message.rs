//! A MIKEY-SAKKE I_MESSAGE (RFC 6509 §4 as TS 33.180 Annex E uses it) checked with keys the
//! tester supplies: the UIDs for the key period of the T payload (TS 33.180 F.2.1), the ECCSI
//! signature over every octet before the signature (RFC 3830 §5.2: the SIGN header is
//! included), with the initiator's UID, and the SAKKE payload decapsulated with the
//! responder's UID and RSK. Every step records its own result, so the rules can judge each.

use super::eccsi::{self, EccsiError};
use super::sakke::{self, SakkeError};
use super::uid::{self, DerivedUid, UidError};
use crate::mikey::field::secret_summary;
use crate::mikey::{
    Decoded, IdRole, IdType, PayloadBody, PayloadType, SakkeParams, SignType, TsType,
};
use std::fmt;

/// The KMS keys the check needs (the keyring's `kms` entry).
#[derive(Clone, Copy, Debug)]
pub struct KmsKeys<'a> {
    pub uri: &'a [u8],
    /// ECCSI KMS Public Authentication Key, `04 || x || y` (65 octets).
    pub kpak: &'a [u8],
    /// SAKKE KMS public key Z, `04 || x || y` (257 octets).
    pub z: &'a [u8],
    pub user_key_period: u64,
    pub user_key_offset: u64,
}

/// The responder the message is for, with its SAKKE Receiver Secret Key.
#[derive(Clone, Copy)]
pub struct ReceiverKeys<'a> {
    pub uri: &'a [u8],
    pub rsk: &'a [u8],
}

/// The decapsulated SSV (the GMK, CSK or PCK). Debug shows a fingerprint only.
#[derive(Clone, PartialEq, Eq)]
pub struct Ssv(Vec<u8>);

impl Ssv {
    pub fn expose(&self) -> &[u8] {
        &self.0
    }
}

impl fmt::Debug for Ssv {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&secret_summary(&self.0))
    }
}

/// Why a step could not be done or failed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum StepError {
    #[error("the MIKEY message could not be decoded")]
    NotDecoded,
    #[error("the message has no NTP-UTC T payload to take the key period from")]
    NoNtpTimestamp,
    #[error("the message has no SIGN payload")]
    NoSign,
    #[error("the SIGN payload has S type {0}, not 2 (ECCSI)")]
    NotEccsi(u8),
    #[error("the message names no initiator: neither an IDR with role 8 (UID) nor role 1 (URI)")]
    NoInitiator,
    #[error("the message has no SAKKE payload")]
    NoSakke,
    #[error("the SAKKE payload uses parameter set {0}, only set 1 (RFC 6509) is known")]
    UnknownSakkeParams(u8),
    #[error(transparent)]
    Uid(#[from] UidError),
    #[error(transparent)]
    Eccsi(#[from] EccsiError),
    #[error(transparent)]
    Sakke(#[from] SakkeError),
}

/// Where the initiator's UID came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum InitiatorUid {
    /// Carried in an IDR payload with role 8 (IDRuidi), as TS 33.180 messages do.
    Carried(Vec<u8>),
    /// Derived from the URI of an IDR payload with role 1 (IDRi), as TS 33.179 E.2 shows.
    Derived { uri: Vec<u8>, uid: DerivedUid },
}

impl InitiatorUid {
    pub fn uid(&self) -> &[u8] {
        match self {
            InitiatorUid::Carried(u) => u,
            InitiatorUid::Derived { uid, .. } => &uid.uid,
        }
    }
}

/// Byte offsets (from the start of the message) of the payloads the steps read, for
/// findings to point at; None when the payload is absent.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Places {
    pub t: Option<usize>,
    pub sign: Option<usize>,
    pub sakke: Option<usize>,
}

/// Each step's result.
#[derive(Clone, Debug)]
pub struct Outcome {
    pub places: Places,
    /// The key period number from the T payload and the KMS period/offset.
    pub key_period_number: Result<u64, StepError>,
    pub initiator: Result<InitiatorUid, StepError>,
    /// The responder UID derived from the receiver's URI.
    pub responder_uid: Result<DerivedUid, StepError>,
    /// The responder UID the message carries (IDR role 9), if any.
    pub responder_uid_carried: Option<Vec<u8>>,
    pub signature: Result<(), StepError>,
    pub ssv: Result<Ssv, StepError>,
}

fn payload_at(decoded: &Decoded<'_>, t: PayloadType) -> Option<usize> {
    let m = decoded.message.as_ref()?;
    m.payloads_of(t).next().map(|p| p.offset)
}

fn idr_of<'a>(decoded: &Decoded<'a>, role: IdRole) -> Option<(IdType, &'a [u8])> {
    decoded
        .message
        .as_ref()?
        .payloads
        .iter()
        .find_map(|p| match &p.body {
            PayloadBody::Idr(i) if i.role.value == role => Some((i.id_type.value, i.id.value)),
            _ => None,
        })
}

fn ntp_value(decoded: &Decoded<'_>) -> Result<[u8; 8], StepError> {
    let m = decoded.message.as_ref().ok_or(StepError::NotDecoded)?;
    m.payloads
        .iter()
        .find_map(|p| match &p.body {
            PayloadBody::T(t) if t.ts_type.value == TsType::NTP_UTC => {
                Some(t.ts_value.value.to_be_bytes())
            }
            _ => None,
        })
        .ok_or(StepError::NoNtpTimestamp)
}

fn uid_for(uri: &[u8], kms: &KmsKeys<'_>, t: &[u8; 8]) -> Result<DerivedUid, StepError> {
    let (p, o) = (kms.user_key_period, kms.user_key_offset);
    Ok(uid::uid_at(uri, kms.uri, p, o, t)?)
}

/// The UID a receiver has for this message's key period (no pairing: cheap enough to try
/// every user of a keyring to find the responder).
pub fn responder_uid(
    decoded: &Decoded<'_>,
    kms: &KmsKeys<'_>,
    user: &ReceiverKeys<'_>,
) -> Result<[u8; 32], StepError> {
    let t = ntp_value(decoded)?;
    Ok(uid_for(user.uri, kms, &t)?.uid)
}

/// The initiator's UID: carried (IDR role 8) or derived from its URI (IDR role 1).
pub fn initiator_uid(decoded: &Decoded<'_>, kms: &KmsKeys<'_>) -> Result<InitiatorUid, StepError> {
    initiator(decoded, kms)
}

fn initiator(decoded: &Decoded<'_>, kms: &KmsKeys<'_>) -> Result<InitiatorUid, StepError> {
    decoded.message.as_ref().ok_or(StepError::NotDecoded)?;
    if let Some((_, uid)) = idr_of(decoded, IdRole::IDRUIDI) {
        return Ok(InitiatorUid::Carried(uid.to_vec()));
    }
    let (_, uri) = idr_of(decoded, IdRole::IDRI).ok_or(StepError::NoInitiator)?;
    let uid = uid_for(uri, kms, &ntp_value(decoded)?)?;
    Ok(InitiatorUid::Derived {
        uri: uri.to_vec(),
        uid,
    })
}

fn signature(decoded: &Decoded<'_>, kms: &KmsKeys<'_>, id: &[u8]) -> Result<(), StepError> {
    let m = decoded.message.as_ref().ok_or(StepError::NotDecoded)?;
    let sign = m.sign().ok_or(StepError::NoSign)?;
    if sign.sign_type.value != SignType(2) {
        return Err(StepError::NotEccsi(sign.sign_type.value.0));
    }
    let signed = &decoded.input[..sign.signature.offset];
    Ok(eccsi::verify(kms.kpak, id, signed, sign.signature.value)?)
}

fn decapsulate(
    decoded: &Decoded<'_>,
    kms: &KmsKeys<'_>,
    user: &ReceiverKeys<'_>,
    b: &[u8],
) -> Result<Ssv, StepError> {
    let m = decoded.message.as_ref().ok_or(StepError::NotDecoded)?;
    let s = m
        .payloads
        .iter()
        .find_map(|p| match &p.body {
            PayloadBody::Sakke(s) => Some(s),
            _ => None,
        })
        .ok_or(StepError::NoSakke)?;
    if s.params.value != SakkeParams(1) {
        return Err(StepError::UnknownSakkeParams(s.params.value.0));
    }
    Ok(Ssv(sakke::decapsulate(s.data.value.0, b, user.rsk, kms.z)?))
}

/// Checks a decoded I_MESSAGE (`decoded.input` is the whole message) sent to `user` under
/// `kms`: both KMS roles are taken to be the same KMS, as in every vector at hand.
pub fn verify_i_message(
    decoded: &Decoded<'_>,
    kms: &KmsKeys<'_>,
    user: &ReceiverKeys<'_>,
) -> Outcome {
    let t = ntp_value(decoded);
    let key_period_number = t.clone().and_then(|t| {
        let secs = uid::ntp_seconds(&t)?;
        Ok(uid::key_period_number(
            secs,
            kms.user_key_period,
            kms.user_key_offset,
        )?)
    });
    let initiator = initiator(decoded, kms);
    let responder_uid = t.and_then(|t| uid_for(user.uri, kms, &t));
    let signature = match &initiator {
        Ok(i) => signature(decoded, kms, i.uid()),
        Err(e) => Err(e.clone()),
    };
    let ssv = match &responder_uid {
        Ok(r) => decapsulate(decoded, kms, user, &r.uid),
        Err(e) => Err(e.clone()),
    };
    Outcome {
        places: Places {
            t: payload_at(decoded, PayloadType::T),
            sign: payload_at(decoded, PayloadType::SIGN),
            sakke: payload_at(decoded, PayloadType::SAKKE),
        },
        key_period_number,
        initiator,
        responder_uid,
        responder_uid_carried: idr_of(decoded, IdRole::IDRUIDR).map(|(_, u)| u.to_vec()),
        signature,
        ssv,
    }
}

#[cfg(test)]
#[path = "sakke_message_tests.rs"]
mod tests;

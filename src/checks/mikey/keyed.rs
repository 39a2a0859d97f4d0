//! What the keyring holds for one MIKEY message: shared by the cryptographic checks, each of
//! which is not applicable (with the reason) when the keyring gives it nothing to judge with.

use super::*;
use crate::crypto::psk::{first_verifying_key, PskOptions, PskOutcome};
use crate::keyring::{Expect, Keyring};
use crate::mikey::{KeyIdType, MacAlg, Message};

/// The keyring (the kind's `needs` make sure there is one before it is asked).
pub(crate) fn keyring<'a>(ctx: &MikeyCtx<'a, '_>) -> Result<&'a Keyring, String> {
    ctx.settings
        .keys
        .as_deref()
        .ok_or_else(|| "no keyring was supplied (--keys FILE)".to_string())
}

/// The message, when it decoded completely.
pub(crate) fn message<'a, 'm>(ctx: &MikeyCtx<'a, 'm>) -> Result<&'a Message<'m>, String> {
    ctx.decoded
        .message
        .as_ref()
        .filter(|_| complete(ctx.decoded))
        .ok_or_else(|| "the message did not decode completely".to_string())
}

/// A pre-shared-key message's candidate keys: those the keyring offers for its CSB ID.
pub(crate) struct PskCandidates<'a> {
    pub labels: Vec<String>,
    pub keys: Vec<&'a [u8]>,
}

/// Whether the message can be checked with the keyring's pre-shared keys, and with which.
pub(crate) fn psk_candidates<'a>(ctx: &MikeyCtx<'a, '_>) -> Result<PskCandidates<'a>, String> {
    let ring = keyring(ctx)?;
    let m = message(ctx)?;
    let data_type = m.header.data_type.value;
    if data_type != mikey::DataType::PSK_INIT {
        return Err(format!(
            "HDR data type {} is not a pre-shared-key message (0)",
            data_type.0
        ));
    }
    let Some(kemac) = m.payloads.iter().find_map(|p| match &p.body {
        PayloadBody::Kemac(k) => Some(k),
        _ => None,
    }) else {
        return Err("the message carries no KEMAC".to_string());
    };
    if kemac.mac_alg.value == MacAlg::NULL {
        return Err(
            "the KEMAC's MAC algorithm is NULL: no key can be shown to protect the message"
                .to_string(),
        );
    }
    if !has_rand(m) && ctx.settings.psk.mtk_rand.is_none() {
        return Err(
            "the message carries no RAND, which the key derivation needs (RFC 3830 4.1.4), and the setting psk.mtk_rand names none"
                .to_string(),
        );
    }
    let csb_id = m.header.csb_id.value;
    let psks: Vec<_> = ring.psk_for(csb_id).collect();
    if psks.is_empty() {
        return Err(format!(
            "the keyring holds no pre-shared key for CSB ID 0x{csb_id:08x}"
        ));
    }
    Ok(PskCandidates {
        labels: psks.iter().map(|p| p.label()).collect(),
        keys: psks.iter().map(|p| p.key.expose()).collect(),
    })
}

fn has_rand(m: &Message) -> bool {
    m.payloads
        .iter()
        .any(|p| matches!(p.body, PayloadBody::Rand(_)))
}

/// The RAND of the `psk.mtk_rand` setting.
fn setting_rand(settings: &Settings) -> Option<Vec<u8>> {
    settings
        .psk
        .mtk_rand
        .as_deref()
        .and_then(|h| hex::decode(h.trim()).ok())
}

/// The provisional reading a PSK result rests on, if any: the `psk.mtk_rand` setting, when
/// the message carries no RAND of its own.
pub(crate) fn psk_rests_on(ctx: &MikeyCtx) -> Option<String> {
    let m = message(ctx).ok()?;
    (!has_rand(m)).then(|| {
        "the RAND of the setting psk.mtk_rand keys a message that carries none (TS 33.246 not read)"
            .to_string()
    })
}

/// The candidates tried in order; the first whose MAC verifies, with its index.
pub(crate) fn psk_first(ctx: &MikeyCtx) -> Result<Option<(usize, PskOutcome)>, String> {
    let c = psk_candidates(ctx)?;
    let m = message(ctx)?;
    let rand = setting_rand(ctx.settings);
    let opts = PskOptions {
        counter_placement: ctx.settings.psk.counter_placement,
        rand: rand.as_deref(),
    };
    first_verifying_key(ctx.decoded.input, m, &c.keys, &opts).map_err(|e| e.to_string())
}

/// The first candidate whose MAC verifies, with its label and what it revealed.
pub(crate) fn psk_verified(ctx: &MikeyCtx) -> Result<Option<(String, PskOutcome)>, String> {
    let c = psk_candidates(ctx)?;
    Ok(psk_first(ctx)?.map(|(i, o)| (c.labels[i].clone(), o)))
}

/// A Key ID (RFC 4563) as the number it is ([`crate::value::KeyIdType`]: leading zeros
/// insignificant), when it fits its type's width.
fn key_id(m: &Message, wanted: KeyIdType, as_type: crate::value::KeyIdType) -> Option<u32> {
    m.payloads.iter().find_map(|p| match &p.body {
        PayloadBody::Ext(e) => match &e.content {
            Some(mikey::ext::ExtContent::KeyIds { key_ids }) => key_ids
                .iter()
                .find(|k| k.key_id_type.value == wanted)
                .and_then(|k| as_type.number(k.key_id.value)),
            _ => None,
        },
        _ => None,
    })
}

/// The keyring's expectation for the message: by CSB ID and, for MBMS, by the MTK ID of an
/// MTK message or the MSK ID of an MSK message.
pub(crate) fn expectation<'a>(ring: &'a Keyring, m: &Message) -> Option<&'a Expect> {
    let csb_id = m.header.csb_id.value;
    use crate::value::KeyIdType as Id;
    let mtk = key_id(m, KeyIdType::MBMS_MTK_ID, Id::Mtk);
    let msk = key_id(m, KeyIdType::MBMS_MSK_ID, Id::Msk);
    ring.expect_for(csb_id, msk, mtk)
}

/// A MIKEY-SAKKE I_MESSAGE checked with the keyring: the KMS it names, and the responder when
/// the keyring holds its RSK (found by the UID the message carries, or by the responder URI).
#[derive(Clone)]
pub(crate) struct SakkeView<'a> {
    pub kms: &'a crate::keyring::Kms,
    pub responder: Option<&'a crate::keyring::User>,
    pub outcome: crate::crypto::sakke_message::Outcome,
}

fn idr<'a>(m: &Message<'a>, role: mikey::IdRole) -> Option<&'a [u8]> {
    m.payloads.iter().find_map(|p| match &p.body {
        PayloadBody::Idr(i) if i.role.value == role => Some(i.id.value),
        _ => None,
    })
}

/// The KMS an I_MESSAGE names (IDRkmsi, else IDRkmsr, else IDRkms), if the keyring holds it.
pub(crate) fn sakke_kms<'a>(
    ring: &'a Keyring,
    m: &Message,
) -> Result<&'a crate::keyring::Kms, String> {
    use mikey::IdRole;
    let named = [IdRole::IDRKMSI, IdRole::IDRKMSR, IdRole::IDRKMS]
        .into_iter()
        .find_map(|r| idr(m, r))
        .ok_or("the message names no KMS (no IDR payload with a KMS role)")?;
    let uri = String::from_utf8_lossy(named);
    ring.kms_by_uri(&uri)
        .ok_or_else(|| format!("the keyring holds no KMS {uri}"))
}

/// The I_MESSAGE's verification with the keyring, or why there is none (worked out once
/// per message).
pub(crate) fn sakke_view<'a>(ctx: &MikeyCtx<'a, '_>) -> Result<SakkeView<'a>, String> {
    ctx.sakke.get_or_init(|| verify_sakke(ctx)).clone()
}

fn verify_sakke<'a>(ctx: &MikeyCtx<'a, '_>) -> Result<SakkeView<'a>, String> {
    use crate::crypto::sakke_message::{verify_i_message, KmsKeys, ReceiverKeys};
    let ring = keyring(ctx)?;
    let m = message(ctx)?;
    if m.header.data_type.value != mikey::DataType::SAKKE {
        return Err(format!(
            "HDR data type {} is not a MIKEY-SAKKE I_MESSAGE (26)",
            m.header.data_type.value.0
        ));
    }
    let kms = sakke_kms(ring, m)?;
    let keys = KmsKeys {
        uri: kms.uri.as_bytes(),
        kpak: &kms.kpak,
        z: &kms.z,
        user_key_period: kms.user_key_period,
        user_key_offset: kms.user_key_offset,
    };
    let carried_uid = idr(m, mikey::IdRole::IDRUIDR);
    let responder_uri = idr(m, mikey::IdRole::IDRR);
    // Each user of that KMS with an RSK is tried as the responder: the one whose derived UID
    // is the carried one (or whose URI is named) is it.
    for user in ring.users.iter().filter(|u| u.kms == kms.uri) {
        let Some(rsk) = &user.rsk else { continue };
        let receiver = ReceiverKeys {
            uri: user.uri.as_bytes(),
            rsk: rsk.expose(),
        };
        let by_uri = responder_uri == Some(user.uri.as_bytes());
        let derived = crate::crypto::sakke_message::responder_uid(ctx.decoded, &keys, &receiver);
        let by_uid = matches!((&derived, carried_uid), (Ok(d), Some(c)) if d.as_slice() == c);
        if by_uri || by_uid {
            return Ok(SakkeView {
                kms,
                responder: Some(user),
                outcome: verify_i_message(ctx.decoded, &keys, &receiver),
            });
        }
    }
    // No responder known: the signature can still be verified.
    let nobody = ReceiverKeys { uri: b"", rsk: b"" };
    Ok(SakkeView {
        kms,
        responder: None,
        outcome: verify_i_message(ctx.decoded, &keys, &nobody),
    })
}

/// What the keyring reveals of one message, for `decode --keys`: each step with its result,
/// keys as fingerprints only (the same lookups the cryptographic rules make).
pub fn describe(decoded: &Decoded, settings: &Settings) -> Vec<(String, String)> {
    use crate::crypto::keydata::Validity;
    use crate::crypto::psk::Decryption;
    let ctx = MikeyCtx {
        decoded,
        delivery: None,
        settings,
        sakke: Default::default(),
    };
    let mut out = Vec::new();
    let Ok(m) = message(&ctx) else {
        return vec![(
            "keyring".into(),
            "the message did not decode completely".into(),
        )];
    };
    let carried = if m.header.data_type.value == mikey::DataType::SAKKE {
        match sakke_view(&ctx) {
            Err(why) => {
                out.push(("MIKEY-SAKKE".into(), why));
                None
            }
            Ok(v) => {
                let sig = match &v.outcome.signature {
                    Ok(()) => format!("verifies with the KPAK of {}", v.kms.uri),
                    Err(e) => format!("does not verify: {e}"),
                };
                out.push(("ECCSI signature".into(), sig));
                match (&v.responder, &v.outcome.ssv) {
                    (None, _) => {
                        out.push((
                            "SAKKE".into(),
                            "the keyring holds no RSK of the responder".into(),
                        ));
                        None
                    }
                    (Some(u), Ok(ssv)) => {
                        let key = crate::crypto::KeyMaterial::new(ssv.expose().to_vec());
                        out.push((
                            "SAKKE".into(),
                            format!("decapsulated with the RSK of {}: SSV {key:?}", u.uri),
                        ));
                        Some(key)
                    }
                    (Some(u), Err(e)) => {
                        out.push(("SAKKE".into(), format!("with the RSK of {}: {e}", u.uri)));
                        None
                    }
                }
            }
        }
    } else {
        match psk_verified(&ctx) {
            Err(why) => {
                out.push(("pre-shared key".into(), why));
                None
            }
            Ok(None) => {
                out.push(("MAC".into(), "verifies with no key of the keyring".into()));
                None
            }
            Ok(Some((label, o))) => {
                out.push(("MAC".into(), format!("verifies with {label}")));
                match &o.decryption {
                    Decryption::Decoded(list) => {
                        for (i, e) in list.entries.iter().enumerate() {
                            let validity = match &e.validity {
                                Validity::Null => "no validity data".to_string(),
                                Validity::Spi { spi } => format!("SPI {:?}", spi.value),
                                Validity::Interval {
                                    valid_from,
                                    valid_to,
                                } => format!(
                                    "valid from {:?} to {:?}",
                                    valid_from.value, valid_to.value
                                ),
                            };
                            out.push((
                                format!("Key Data {i} (plaintext offset {})", e.offset),
                                format!(
                                    "type {:?}, key {:?}, {validity}",
                                    e.key_type.value, e.key.value
                                ),
                            ));
                        }
                        list.entries.first().map(|e| e.key.value.clone())
                    }
                    Decryption::Failed { reason } | Decryption::Malformed { reason } => {
                        out.push((
                            "KEMAC".into(),
                            format!("does not decrypt to Key Data: {reason}"),
                        ));
                        None
                    }
                    Decryption::NotAttempted => None,
                }
            }
        }
    };
    if let (Some(key), Ok(ring)) = (carried, keyring(&ctx)) {
        let verdict = match expectation(ring, m) {
            None => "the keyring expects no key for this message".to_string(),
            Some(e) if key.ct_eq_bytes(e.key.expose()) => {
                format!("{} (as expected)", key.fingerprint())
            }
            Some(e) => format!(
                "{}, but the keyring expects {}",
                key.fingerprint(),
                e.key.fingerprint()
            ),
        };
        out.push(("carried key".into(), verdict));
    }
    out
}

/// The NTP-UTC T payload's value, from which the TS 33.180 key period number is taken.
pub(crate) fn ntp_timestamp(m: &Message) -> Result<u64, String> {
    m.payloads
        .iter()
        .find_map(|p| match &p.body {
            PayloadBody::T(t) if t.ts_type.value == mikey::TsType::NTP_UTC => {
                Some(t.ts_value.value)
            }
            _ => None,
        })
        .ok_or_else(|| {
            "the message has no NTP-UTC T payload to take the key period from".to_string()
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An MBMS MTK message (vectors/trace/mtk-id-repeated.trace.yaml) whose Key ID extension
    /// spells the MSK ID and the MTK ID with `msk` and `mtk`.
    fn mtk_message(msk: &str, mtk: &str) -> Vec<u8> {
        let ids = format!(
            "0003b8709d01{:02x}{msk}02{:02x}{mtk}",
            msk.len() / 2,
            mtk.len() / 2
        );
        let head = format!("0100150000005001000105030{:03x}", ids.len() / 2);
        let tail = "010200000005000200108254c329a92850f6d539dd376f4816ee0162c66a7a5dd70c3146618063c344e531e6d4b59e";
        hex::decode(format!("{head}{ids}{tail}")).unwrap()
    }

    #[test]
    fn key_ids_are_read_as_numbers_whatever_their_width_on_the_wire() {
        let read = |msk: &str, mtk: &str| {
            let bytes = mtk_message(msk, mtk);
            let d = mikey::decode(&bytes);
            let m = d.message.expect("the message decodes");
            (
                key_id(&m, KeyIdType::MBMS_MSK_ID, crate::value::KeyIdType::Msk),
                key_id(&m, KeyIdType::MBMS_MTK_ID, crate::value::KeyIdType::Mtk),
            )
        };
        assert_eq!(read("68c90000", "0005"), (Some(0x68c9_0000), Some(5)));
        // Wider spellings with leading zeros are the same IDs (they found no keyring entry).
        assert_eq!(
            read("0068c90000", "0000000005"),
            (Some(0x68c9_0000), Some(5))
        );
        // Wider than the type's 4 octets: no number of the type.
        assert_eq!(read("0168c90000", "0005"), (None, Some(5)));
    }
}

//! Check kind `mikey_key_expected`: the key a message carries equals the key the keyring
//! expects for it (CRYPTO-KEY-01): the SSV of a MIKEY-SAKKE I_MESSAGE (the GMK, CSK or PCK)
//! once decapsulated, or the first Key Data of a pre-shared-key message's KEMAC once a key of
//! the keyring verified its MAC. Both keys are shown as fingerprints only.

use super::keyed::{expectation, keyring, message, psk_verified, sakke_view};
use super::*;
use crate::checks::kind::Needs;
use crate::crypto::psk::Decryption;
use crate::keyring::Secret;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeyExpected {}

impl CheckKind for KeyExpected {
    crate::check_kind_judge!(Mikey);

    fn needs(&self) -> Needs {
        Needs::keyring()
    }
}

/// The key the message was found to carry, and where it lies.
fn carried(ctx: &MikeyCtx) -> Result<(Secret, usize), String> {
    let m = message(ctx)?;
    if m.header.data_type.value == mikey::DataType::SAKKE {
        let view = sakke_view(ctx)?;
        return match view.outcome.ssv {
            Ok(ssv) if view.responder.is_some() => Ok((
                Secret::new(ssv.expose().to_vec()),
                view.outcome.places.sakke.unwrap_or_default(),
            )),
            _ => Err("the SAKKE payload was not decapsulated with a key of the keyring".into()),
        };
    }
    let Some((_, o)) = psk_verified(ctx)? else {
        return Err("no key of the keyring verifies the message's MAC".to_string());
    };
    let Decryption::Decoded(list) = &o.decryption else {
        return Err("the KEMAC did not decrypt to Key Data".to_string());
    };
    let first = list.entries.first().ok_or("the KEMAC holds no Key Data")?;
    // The Key Data lies inside the encrypted data: the finding points at the KEMAC.
    let at = m
        .payloads
        .iter()
        .find_map(|p| match &p.body {
            PayloadBody::Kemac(k) => Some(k.encr_data.offset),
            _ => None,
        })
        .unwrap_or(m.header.offset);
    Ok((Secret::new(first.key.value.expose().to_vec()), at))
}

impl MikeyCheck for KeyExpected {
    fn applicable(&self, ctx: &MikeyCtx) -> Result<(), String> {
        let (ring, m) = (keyring(ctx)?, message(ctx)?);
        if expectation(ring, m).is_none() {
            return Err(format!(
                "the keyring expects no key for CSB ID 0x{:08x}",
                m.header.csb_id.value
            ));
        }
        carried(ctx).map(|_| ())
    }

    fn mikey(&self, ctx: &MikeyCtx) -> Vec<MikeyHit> {
        let (Ok(ring), Ok(m), Ok((key, at))) = (keyring(ctx), message(ctx), carried(ctx)) else {
            return Vec::new();
        };
        let Some(expect) = expectation(ring, m) else {
            return Vec::new();
        };
        if crate::crypto::KeyMaterial::new(key.expose().to_vec()).ct_eq_bytes(expect.key.expose()) {
            return Vec::new();
        }
        vec![hit(
            at,
            vec![
                ("carried", key.fingerprint()),
                ("expected", expect.key.fingerprint()),
                ("csb_id", format!("0x{:08x}", m.header.csb_id.value)),
            ],
        )]
    }
}

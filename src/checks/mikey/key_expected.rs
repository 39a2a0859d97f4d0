//! Check kind `mikey_key_expected`: the key a message carries equals the key the keyring
//! expects for it (CRYPTO-KEY-01): the first Key Data of a pre-shared-key message's KEMAC,
//! once a key of the keyring verified its MAC. Both keys are shown as fingerprints only.

use super::keyed::{expectation, keyring, message, psk_verified};
use super::*;
use crate::checks::kind::{Needs, KEYRING};
use crate::crypto::psk::Decryption;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeyExpected {}

impl CheckKind for KeyExpected {
    crate::check_kind_judge!(Mikey);

    fn needs(&self) -> Needs {
        Needs {
            setting: Some(KEYRING),
            ..Default::default()
        }
    }
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
        match psk_verified(ctx)? {
            Some((_, o)) if matches!(o.decryption, Decryption::Decoded(_)) => Ok(()),
            Some(_) => Err("the KEMAC did not decrypt to Key Data".to_string()),
            None => Err("no key of the keyring verifies the message's MAC".to_string()),
        }
    }

    fn mikey(&self, ctx: &MikeyCtx) -> Vec<MikeyHit> {
        let (Ok(ring), Ok(m), Ok(Some((_, outcome)))) =
            (keyring(ctx), message(ctx), psk_verified(ctx))
        else {
            return Vec::new();
        };
        let (Some(expect), Some(list)) = (expectation(ring, m), outcome.key_data()) else {
            return Vec::new();
        };
        let Some(first) = list.entries.first() else {
            return Vec::new();
        };
        if first.key.value.ct_eq_bytes(expect.key.expose()) {
            return Vec::new();
        }
        // The Key Data lies inside the encrypted data: the finding points at the KEMAC.
        let at = m
            .payloads
            .iter()
            .find_map(|p| match &p.body {
                PayloadBody::Kemac(k) => Some(k.encr_data.offset),
                _ => None,
            })
            .unwrap_or(m.header.offset);
        vec![hit(
            at,
            vec![
                ("carried", first.key.value.fingerprint()),
                ("expected", expect.key.fingerprint()),
                ("csb_id", format!("0x{:08x}", m.header.csb_id.value)),
            ],
        )]
    }
}

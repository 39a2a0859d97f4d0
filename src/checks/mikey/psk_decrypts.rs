//! Check kind `mikey_psk_decrypts`: once a key of the keyring verifies the MAC, the KEMAC's
//! Encrypted Data decrypts to a well-formed chain of Key Data sub-payloads (RFC 3830 4.2.3,
//! 6.2, 6.13; CRYPTO-PSK-02).

use super::keyed::{message, psk_verified};
use super::*;
use crate::checks::kind::Needs;
use crate::crypto::kemac::CounterPlacement;
use crate::crypto::psk::Decryption;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PskDecrypts {}

impl CheckKind for PskDecrypts {
    crate::check_kind_judge!(Mikey);

    fn needs(&self) -> Needs {
        Needs::keyring()
    }
}

impl MikeyCheck for PskDecrypts {
    fn applicable(&self, ctx: &MikeyCtx) -> Result<(), String> {
        match psk_verified(ctx)? {
            Some(_) => Ok(()),
            None => Err("no key of the keyring verifies the message's MAC".to_string()),
        }
    }

    fn mikey(&self, ctx: &MikeyCtx) -> Vec<MikeyHit> {
        let (Ok(Some((label, outcome))), Ok(m)) = (psk_verified(ctx), message(ctx)) else {
            return Vec::new();
        };
        let reason = match &outcome.decryption {
            Decryption::Failed { reason } | Decryption::Malformed { reason } => reason.clone(),
            Decryption::Decoded(_) | Decryption::NotAttempted => return Vec::new(),
        };
        let at = m
            .payloads
            .iter()
            .find_map(|p| match &p.body {
                PayloadBody::Kemac(k) => Some(k.encr_data.offset),
                _ => None,
            })
            .unwrap_or(m.header.offset);
        // The AES-CM IV of a COUNTER timestamp rests on the `psk.counter_placement` setting:
        // a plaintext that does not decode may be that reading's fault, not the sender's.
        let rests_on = outcome.iv_timestamp.filter(|t| t.provisional).map(|_| {
            let placement = match ctx.settings.psk.counter_placement {
                CounterPlacement::LeadingZeros => "leading-zeros",
                CounterPlacement::TrailingZeros => "trailing-zeros",
            };
            format!(
                "the COUNTER's place in the AES-CM IV ({placement}, setting psk.counter_placement)"
            )
        });
        let rests_on = rests_on.or_else(|| super::keyed::psk_rests_on(ctx));
        vec![hit(at, vec![("key", label), ("reason", reason)]).resting_on(rests_on)]
    }
}

//! Check kind `mikey_psk_mac`: the MAC of a pre-shared-key message verifies with a key of the
//! keyring (RFC 3830 4.1.4 derivation, 5.2 coverage; CRYPTO-PSK-01).

use super::keyed::{message, psk_candidates, psk_first, psk_rests_on};
use super::*;
use crate::checks::kind::Needs;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PskMac {}

impl CheckKind for PskMac {
    crate::check_kind_judge!(Mikey);

    fn needs(&self) -> Needs {
        Needs::keyring()
    }
}

impl MikeyCheck for PskMac {
    fn applicable(&self, ctx: &MikeyCtx) -> Result<(), String> {
        psk_candidates(ctx).map(|_| ())
    }

    fn mikey(&self, ctx: &MikeyCtx) -> Vec<MikeyHit> {
        let (Ok(c), Ok(m)) = (psk_candidates(ctx), message(ctx)) else {
            return Vec::new();
        };
        let at = m
            .payloads
            .iter()
            .find_map(|p| match &p.body {
                PayloadBody::Kemac(k) => Some(k.mac.offset),
                _ => None,
            })
            .unwrap_or(m.header.offset);
        match psk_first(ctx) {
            Ok(Some(_)) => Vec::new(),
            Ok(None) => vec![hit(
                at,
                vec![
                    ("count", c.keys.len().to_string()),
                    ("keys", c.labels.join(", ")),
                    ("csb_id", format!("0x{:08x}", m.header.csb_id.value)),
                ],
            )
            .resting_on(psk_rests_on(ctx))],
            // The message names an algorithm no key derivation exists for: the structure
            // rules report the code; there is no MAC to verify.
            Err(_) => Vec::new(),
        }
    }
}

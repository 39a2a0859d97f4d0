//! Check kind `mikey_initiator_psi`: the initiator of a CSK download I_MESSAGE is the
//! participating MCVideo function the keyring names (`participating_psi`): an IDRi URI equals
//! the PSI, an initiator UID equals the UID derived from the PSI for the message's key period
//! (TS 24.281 7.2.5 1a-1b; MCV-CSK-02, MCV-CSK-03).

use super::keyed::{keyring, message, ntp_timestamp, sakke_kms};
use super::*;
use crate::checks::kind::Needs;
use crate::crypto::uid;
use crate::mikey::IdRole;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InitiatorPsi {}

impl CheckKind for InitiatorPsi {
    crate::check_kind_judge!(Mikey);

    fn needs(&self) -> Needs {
        Needs::keyring()
    }
}

/// An I_MESSAGE's initiator set against a PSI: where the initiator is named, how it is named
/// (`sip:…` or `UID <hex>`), what the PSI makes it should be, and whether the two agree.
pub(crate) struct InitiatorAgainstPsi {
    pub offset: usize,
    pub named: String,
    pub wanted: String,
    pub same: bool,
}

/// Sets the initiator of `m` against `psi`: an IDRi URI (role 1) is compared with the PSI, an
/// initiator UID (role 8) with the UID derived from the PSI for the message's key period (TS
/// 33.180 F.2.1, with the KMS parameters the keyring holds for the KMS the message names).
/// Err says why it cannot be judged.
pub(crate) fn initiator_against_psi(
    ring: Option<&crate::keyring::Keyring>,
    m: &mikey::Message,
    psi: &str,
) -> Result<InitiatorAgainstPsi, String> {
    let idr = |role: IdRole| {
        m.payloads.iter().find_map(|p| match &p.body {
            PayloadBody::Idr(i) if i.role.value == role => Some(&i.id),
            _ => None,
        })
    };
    if let Some(uri) = idr(IdRole::IDRI) {
        let named = String::from_utf8_lossy(uri.value).to_string();
        // URIs compare as RFC 3261 19.1.4 compares them (scheme and host case-insensitive, ...).
        let same = crate::value::ValueType::Uri.same(&named, psi);
        return Ok(InitiatorAgainstPsi {
            offset: uri.offset,
            named,
            wanted: psi.to_string(),
            same,
        });
    }
    let carried = idr(IdRole::IDRUIDI).ok_or("the message names no initiator (IDR role 1 or 8)")?;
    let ring = ring.ok_or(
        "the initiator is named by UID, which needs the KMS parameters of a keyring (--keys)",
    )?;
    let kms = sakke_kms(ring, m)?;
    let t = ntp_timestamp(m)?;
    let derived = uid::uid_at(
        psi.as_bytes(),
        kms.uri.as_bytes(),
        kms.user_key_period,
        kms.user_key_offset,
        &t.to_be_bytes(),
    )
    .map_err(|e| e.to_string())?;
    Ok(InitiatorAgainstPsi {
        offset: carried.offset,
        named: format!("UID {}", hex::encode(carried.value)),
        wanted: format!(
            "UID {} (of {psi}, key period {})",
            hex::encode(derived.uid),
            derived.key_period_number
        ),
        same: derived.uid.as_slice() == carried.value,
    })
}

/// The initiator against the keyring's PSI.
fn judged(ctx: &MikeyCtx) -> Result<InitiatorAgainstPsi, String> {
    let ring = keyring(ctx)?;
    let psi = ring
        .participating_psi
        .as_deref()
        .ok_or("the keyring names no participating_psi")?;
    initiator_against_psi(Some(ring), message(ctx)?, psi)
}

impl MikeyCheck for InitiatorPsi {
    fn applicable(&self, ctx: &MikeyCtx) -> Result<(), String> {
        judged(ctx).map(|_| ())
    }

    fn mikey(&self, ctx: &MikeyCtx) -> Vec<MikeyHit> {
        match judged(ctx) {
            Ok(j) if !j.same => vec![hit(
                j.offset,
                vec![("named", j.named), ("wanted", j.wanted)],
            )],
            _ => Vec::new(),
        }
    }
}

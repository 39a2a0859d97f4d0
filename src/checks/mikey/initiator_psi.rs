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

/// The initiator as the message names it, where it is, and what the PSI makes it should be.
fn judged(ctx: &MikeyCtx) -> Result<(usize, String, String), String> {
    let ring = keyring(ctx)?;
    let psi = ring
        .participating_psi
        .as_deref()
        .ok_or("the keyring names no participating_psi")?;
    let m = message(ctx)?;
    let idr = |role: IdRole| {
        m.payloads.iter().find_map(|p| match &p.body {
            PayloadBody::Idr(i) if i.role.value == role => Some(&i.id),
            _ => None,
        })
    };
    if let Some(uri) = idr(IdRole::IDRI) {
        let named = String::from_utf8_lossy(uri.value).to_string();
        return Ok((uri.offset, named, psi.to_string()));
    }
    let carried = idr(IdRole::IDRUIDI).ok_or("the message names no initiator (IDR role 1 or 8)")?;
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
    Ok((
        carried.offset,
        format!("UID {}", hex::encode(carried.value)),
        format!(
            "UID {} (of {psi}, key period {})",
            hex::encode(derived.uid),
            derived.key_period_number
        ),
    ))
}

impl MikeyCheck for InitiatorPsi {
    fn applicable(&self, ctx: &MikeyCtx) -> Result<(), String> {
        judged(ctx).map(|_| ())
    }

    fn mikey(&self, ctx: &MikeyCtx) -> Vec<MikeyHit> {
        let Ok((at, named, wanted)) = judged(ctx) else {
            return Vec::new();
        };
        // The UID form: both sides are the hex of 32 octets. The URI form: compared as RFC 3261
        // 19.1.4 compares URIs (host case-insensitive, ...).
        let same = match named.strip_prefix("UID ") {
            Some(uid) => wanted.starts_with(&format!("UID {uid} ")),
            None => crate::value::ValueType::Uri.same(&named, &wanted),
        };
        if same {
            return Vec::new();
        }
        vec![hit(at, vec![("named", named), ("wanted", wanted)])]
    }
}

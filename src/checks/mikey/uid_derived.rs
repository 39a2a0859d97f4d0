//! Check kind `mikey_uid_derived`: a UID in an IDR payload (role 8 initiator, role 9
//! responder) is the TS 33.180 F.2.1 UID of its user for the message's key period
//! (CRYPTO-UID-01). Which user a UID stands for cannot be read from it (it is a hash): a UID
//! is judged only once it is identified, as the UID of a keyring user of the named KMS for the
//! message's key period (then it passes) or for a neighbouring one (then it is a UID derived
//! with the wrong key period, and fails). A UID of nobody the keyring holds is not judged.

use super::keyed::{keyring, message, ntp_timestamp, sakke_kms};
use super::*;
use crate::checks::kind::Needs;
use crate::crypto::uid;
use crate::mikey::IdRole;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UidDerived {}

impl CheckKind for UidDerived {
    crate::check_kind_judge!(Mikey);

    fn needs(&self) -> Needs {
        Needs::keyring()
    }
}

/// One identified UID: where it is, whose it is, for which key period.
struct Identified {
    offset: usize,
    role: &'static str,
    user: String,
    period: u64,
    expected: u64,
}

/// The key periods tried around the message's own: a sender whose clock or offset is off by
/// one period derives the neighbouring UID.
const NEIGHBOURS: [i64; 3] = [0, -1, 1];

fn identify(ctx: &MikeyCtx) -> Result<Vec<Identified>, String> {
    let ring = keyring(ctx)?;
    let m = message(ctx)?;
    if m.header.data_type.value != mikey::DataType::SAKKE {
        return Err("not a MIKEY-SAKKE I_MESSAGE".to_string());
    }
    let kms = sakke_kms(ring, m)?;
    let t = ntp_timestamp(m)?;
    let secs = uid::ntp_seconds(&t.to_be_bytes()).map_err(|e| e.to_string())?;
    let expected = uid::key_period_number(secs, kms.user_key_period, kms.user_key_offset)
        .map_err(|e| e.to_string())?;
    let mut found = Vec::new();
    for p in &m.payloads {
        let PayloadBody::Idr(idr) = &p.body else {
            continue;
        };
        let role = match idr.role.value {
            IdRole::IDRUIDI => "initiator",
            IdRole::IDRUIDR => "responder",
            _ => continue,
        };
        let hit = ring
            .users
            .iter()
            .filter(|u| u.kms == kms.uri)
            .find_map(|u| {
                NEIGHBOURS.iter().find_map(|d| {
                    let period = expected.checked_add_signed(*d)?;
                    let derived = uid::uid(
                        u.uri.as_bytes(),
                        kms.uri.as_bytes(),
                        kms.user_key_period,
                        kms.user_key_offset,
                        period,
                    )
                    .ok()?;
                    (derived.as_slice() == idr.id.value).then(|| (u.uri.clone(), period))
                })
            });
        if let Some((user, period)) = hit {
            found.push(Identified {
                offset: idr.id.offset,
                role,
                user,
                period,
                expected,
            });
        }
    }
    if found.is_empty() {
        return Err(format!(
            "no UID in the message is one of a keyring user of KMS {} (for key period {expected} or a neighbouring one)",
            kms.uri
        ));
    }
    Ok(found)
}

impl MikeyCheck for UidDerived {
    fn applicable(&self, ctx: &MikeyCtx) -> Result<(), String> {
        identify(ctx).map(|_| ())
    }

    fn mikey(&self, ctx: &MikeyCtx) -> Vec<MikeyHit> {
        identify(ctx)
            .unwrap_or_default()
            .into_iter()
            .filter(|i| i.period != i.expected)
            .map(|i| {
                hit(
                    i.offset,
                    vec![
                        ("role", i.role.to_string()),
                        ("user", i.user),
                        ("period", i.period.to_string()),
                        ("expected", i.expected.to_string()),
                    ],
                )
            })
            .collect()
    }
}

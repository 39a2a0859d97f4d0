//! Check kind `sip_csk_initiator` (7.2.5 1a, MCV-CSK-02): when the initiator the I_MESSAGE
//! of a CSK download names is not the public service identity (PSI) of the participating
//! MCVideo function, the client answers 488; when it is, the client does not answer 488.
//! An initiator named by URI (IDRi, role 1) is compared with the PSI; one named by UID (role
//! 8: identity hiding, the form of the Streamwide CSK message) with the UID derived from the
//! PSI for the message's key period (TS 33.180 F.2.1), which needs the KMS parameters of a
//! keyring (`--keys`).
//!
//! The PSI comes from [`participating_psi`]: the keyring's `participating_psi` (`--keys`)
//! when given; else the MESSAGE's P-Asserted-Identity is read as the PSI, a provisional
//! reading (the participating function sends the MESSAGE, so the network asserts its
//! identity), and a finding that rests on it is provisional.

use super::*;
use crate::checks::mikey::initiator_psi::initiator_against_psi;
use crate::mikey;
use crate::sip::header_field::uri_of;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CskInitiator {
    pub request: Select,
}

impl CheckKind for CskInitiator {
    // Not a provisional reading as a whole: with the keyring's participating_psi nothing is
    // assumed; a finding that rests on the P-Asserted-Identity says so itself.
    crate::check_kind_judge!(Sip);
}

const PAI_READING: &str = "the MESSAGE's P-Asserted-Identity is the participating MCVideo function's public service identity (no keyring supplies participating_psi)";

/// The participating MCVideo function's PSI for a CSK download, and the provisional reading
/// it rests on, if any: the keyring's `participating_psi` first (the tester's declaration),
/// else the MESSAGE's P-Asserted-Identity.
pub fn participating_psi(
    settings: &Settings,
    file: &[u8],
    m: &SipMessage,
) -> Option<(String, Option<String>)> {
    if let Some(psi) = settings
        .keys
        .as_ref()
        .and_then(|k| k.participating_psi.clone())
    {
        return Some((psi, None));
    }
    let pai = m.header("p-asserted-identity")?;
    pai.values(file)
        .into_iter()
        .map(|v| uri_of(file, &v))
        .find(|u| u.starts_with("sip:") || u.starts_with("sips:"))
        .map(|u| (u, Some(PAI_READING.to_string())))
}

/// What a CSK download needs beside its I_MESSAGE to be judged.
const NEEDED: &str =
    "a PSI (keyring participating_psi or P-Asserted-Identity) and a final response";

const SIGNATURE_READING: &str = "the 488 answers the initiator, not an ECCSI signature that fails (7.2.5 1d), which the keyring cannot show verifies";

/// Whether the keyring shows the I_MESSAGE's ECCSI signature verifies.
fn signature_verifies(settings: &Settings, decoded: &mikey::Decoded) -> bool {
    if settings.keys.is_none() {
        return false;
    }
    let ctx = crate::checks::mikey::MikeyCtx {
        decoded,
        delivery: None,
        settings,
        sakke: Default::default(),
    };
    crate::checks::mikey::keyed::sakke_view(&ctx).is_ok_and(|v| v.outcome.signature.is_ok())
}

impl SipCheck for CskInitiator {
    fn sip(&self, ctx: &SipCtx) -> SipJudgement {
        let mut hits = Vec::new();
        let mut judged = 0;
        let mut unjudged = None;
        for (i, m) in self.request.requests(ctx.file, ctx.sip) {
            let Some(part) = m.parts_of("application/mikey").into_iter().next() else {
                continue;
            };
            let (Some((psi, rests_on)), Some(r)) = (
                participating_psi(ctx.settings, ctx.file, m),
                ctx.sip.final_response_to(i),
            ) else {
                continue;
            };
            let decoded = mikey::decode(part.mikey_octets(ctx.file));
            let Some(message) = decoded.message.as_ref() else {
                continue;
            };
            let initiator = match initiator_against_psi(ctx.settings.keys.as_deref(), message, &psi)
            {
                Ok(j) => j,
                Err(why) => {
                    unjudged.get_or_insert(why);
                    continue;
                }
            };
            judged += 1;
            let status = r.status().unwrap_or(0);
            let bad = !initiator.same;
            if bad != (status == 488) {
                // A 488 to the PSI's message is also the answer to a signature that fails
                // (7.2.5 1d): firm only when the keyring shows the signature verifies.
                let rests_on = if !bad && !signature_verifies(ctx.settings, &decoded) {
                    Some(match rests_on {
                        Some(pai) => format!("{pai}; {SIGNATURE_READING}"),
                        None => SIGNATURE_READING.to_string(),
                    })
                } else {
                    rests_on
                };
                let expected = if bad {
                    "the initiator deviates from the PSI, so 7.2.5 requires a 488"
                } else {
                    "the initiator is the PSI, and no failed check 7.2.5 names is shown"
                };
                hits.push(SipHit {
                    span: r.start_span.clone(),
                    vars: vec![
                        ("value", status.to_string()),
                        ("expected", expected.to_string()),
                        ("idri", initiator.named),
                        ("psi", initiator.wanted),
                    ],
                    rests_on,
                });
            }
        }
        let selected = self.request.describe();
        let why_not = move || match unjudged {
            Some(why) => format!("the initiator cannot be set against the PSI: {why}"),
            None => format!(
                "the input holds no {} whose I_MESSAGE decodes, with {NEEDED}",
                selected.trim_start_matches("a ")
            ),
        };
        SipJudgement::of(judged, hits, why_not)
    }
}

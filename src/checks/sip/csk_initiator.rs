//! Check kind `sip_csk_initiator` (7.2.5 1a, MCV-CSK-02): when the I_MESSAGE of a CSK
//! download names its initiator by URI (IDRi, role 1, ID type URI) and that URI is not the
//! public service identity (PSI) of the participating MCVideo function, the client answers
//! 488; when it is, the client does not answer 488.
//!
//! The PSI comes from [`participating_psi`]: the keyring's `participating_psi` (`--keys`)
//! when given; else the MESSAGE's P-Asserted-Identity is read as the PSI, a provisional
//! reading (the participating function sends the MESSAGE, so the network asserts its
//! identity), and a finding that rests on it is provisional. An initiator named by UID (role 8: identity hiding) needs the
//! UID derived from the PSI with the KMS parameters (TS 33.180 F.2.1): not judged here.

use super::*;
use crate::mikey::{self, PayloadBody};
use crate::sip::header::uri_of;

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

/// The URI in the IDRi (role 1, ID type 1 = URI) of a MIKEY message, if it has one.
fn idri_uri(octets: &[u8]) -> Option<String> {
    let d = mikey::decode(octets);
    d.message?.payloads.iter().find_map(|p| match &p.body {
        PayloadBody::Idr(i) if i.role.value.0 == 1 && i.id_type.value.0 == 1 => {
            Some(String::from_utf8_lossy(i.id.value).to_string())
        }
        _ => None,
    })
}

impl SipCheck for CskInitiator {
    fn sip(&self, ctx: &SipCtx) -> SipJudgement {
        let mut hits = Vec::new();
        let mut judged = 0;
        for (i, m) in self.request.requests(ctx.file, ctx.sip) {
            let Some(part) = m.parts_of("application/mikey").into_iter().next() else {
                continue;
            };
            let (Some(idri), Some((psi, rests_on)), Some(r)) = (
                idri_uri(part.mikey_octets(ctx.file)),
                participating_psi(ctx.settings, ctx.file, m),
                ctx.sip.final_response_to(i),
            ) else {
                continue;
            };
            judged += 1;
            let status = r.status().unwrap_or(0);
            // URIs compare as RFC 3261 19.1.4 says (host case-insensitive, ...).
            let bad = !crate::value::ValueType::Uri.same(&idri, &psi);
            if bad != (status == 488) {
                let expected = if bad {
                    "488 (the initiator URI deviates from the PSI)"
                } else {
                    "not 488 (the initiator URI is the PSI)"
                };
                hits.push(SipHit {
                    span: r.start_span.clone(),
                    vars: vec![
                        ("value", status.to_string()),
                        ("expected", expected.to_string()),
                        ("idri", idri),
                        ("psi", psi),
                    ],
                    rests_on,
                });
            }
        }
        SipJudgement::of(judged, hits, || {
            format!("the input holds no {} whose I_MESSAGE names its initiator by URI, with a P-Asserted-Identity and a final response (an initiator named by UID needs the keyring)", self.request.describe().trim_start_matches("a "))
        })
    }
}

//! Check kind `trace_verification`.

use super::*;
use crate::value::ip::{same_dns_name, same_host, why_not_same_host};

/// One verification message per processed LTKM with the V flag, in order, to IDi's address.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Verification {}

impl CheckKind for Verification {
    crate::check_kind_judge!(Trace);
}

impl TraceCheck for Verification {
    fn trace(&self, ctx: &TraceCtx) -> Vec<TraceHit> {
        verification_per_v_ltkm(ctx.trace)
    }
}

/// BCAST-DLV-12: one verification message over UDP per processed LTKM with the V flag, to the
/// address the NAF FQDN in IDi resolves to; the LTKMs of one payload verified in the order
/// they are processed. A verification message is paired with the message it answers by its CSB
/// ID and timestamp ([`verifications`]). An LTKM delivered by a mechanism the registration did
/// not agree may be ignored (5.1.6.10.4), so it needs no verification message. Addresses
/// compare as addresses ([`same_host`]: any RFC 4291 2.2 spelling of one IPv6 address).
fn verification_per_v_ltkm(trace: &Trace) -> Vec<TraceHit> {
    let v = verifications(trace);
    let mut hits = Vec::new();
    for p in &v.pairings {
        let Some(l) = p.answers.map(|i| &v.delivered[i]) else {
            continue;
        };
        if l.sort != Sort::Ltkm {
            continue;
        }
        let before = p
            .earlier
            .iter()
            .any(|j| v.delivered[*j].sort == Sort::Ltkm && v.delivered[*j].event == l.event);
        if before {
            hits.push(hit(p.event, vec![("detail", format!("verification for an LTKM of event {} sent before those of LTKMs processed before it in the same payload (processing order)", l.event))]));
        }
        let Some(name) = &l.facts.idi else { continue };
        // The resolve section names hosts as the tester wrote them: DNS names compare
        // case-insensitively.
        let resolved = trace
            .resolve
            .iter()
            .find(|(n, _)| same_dns_name(n, name))
            .map(|(_, a)| a);
        if let (Some(want), Some(got)) = (resolved, &p.to) {
            if !same_host(want, got) {
                hits.push(hit(
                    p.event,
                    vec![(
                        "detail",
                        format!(
                            "verification sent to {got}, but IDi {name} resolves to {want}{}",
                            why_not_same_host(got, want)
                                .map(|why| format!(" ({why})"))
                                .unwrap_or_default()
                        ),
                    )],
                ));
            }
        }
    }
    for l in v.unanswered.iter().map(|i| &v.delivered[*i]) {
        if l.sort == Sort::Ltkm && !l.may_be_ignored {
            hits.push(hit(
                l.event,
                vec![(
                    "detail",
                    format!(
                        "no verification message (same CSB ID {:#010x} and timestamp) for an LTKM with the V flag set",
                        l.facts.csb_id.unwrap_or(0)
                    ),
                )],
            ));
        }
    }
    hits
}

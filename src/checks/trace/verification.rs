//! Check kind `trace_verification`.

use super::*;

/// One verification message per LTKM with the V flag, in order, to IDi's address.
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

/// BCAST-DLV-12: one verification message over UDP per LTKM with the V flag, in order, to the
/// address the NAF FQDN in IDi resolves to.
fn verification_per_v_ltkm(trace: &Trace) -> Vec<TraceHit> {
    let mut pending: Vec<Ltkm> = Vec::new();
    let mut hits = Vec::new();
    let all = ltkms(trace);
    let mut next = 0;
    for e in &trace.events {
        while next < all.len() && all[next].event == e.number {
            if all[next].facts.v {
                pending.push(Ltkm {
                    event: all[next].event,
                    mechanism: all[next].mechanism,
                    facts: all[next].facts.clone(),
                });
            }
            next += 1;
        }
        let EventBody::Udp { message } = &e.body else {
            continue;
        };
        let f = MikeyFacts::of(message);
        if !is_verification(e, &f) || pending.is_empty() {
            continue;
        }
        if let Some(i) = pending.iter().position(|l| l.facts.csb_id == f.csb_id) {
            let l = pending.remove(i);
            if i > 0 {
                hits.push(hit(e.number, vec![("detail", format!("verification for the LTKM of event {} sent before those of earlier LTKMs (processing order)", l.event))]));
            }
            if let Some(name) = &l.facts.idi {
                if let (Some(want), Some(got)) = (trace.resolve.get(name), e.to_addr()) {
                    if addr(want) != got {
                        hits.push(hit(
                            e.number,
                            vec![(
                                "detail",
                                format!(
                                    "verification sent to {got}, but IDi {name} resolves to {want}"
                                ),
                            )],
                        ));
                    }
                }
            }
        }
    }
    for l in pending {
        hits.push(hit(
            l.event,
            vec![(
                "detail",
                format!(
                    "no verification message for an LTKM with the V flag set (CSB ID {:#010x})",
                    l.facts.csb_id.unwrap_or(0)
                ),
            )],
        ));
    }
    hits
}

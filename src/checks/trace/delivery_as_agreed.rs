//! Check kind `trace_delivery_as_agreed`.

use super::*;

/// Each LTKM after a registration travels by a mechanism that registration agreed.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeliveryAsAgreed {}

impl CheckKind for DeliveryAsAgreed {
    crate::check_kind_judge!(Trace);
}

impl TraceCheck for DeliveryAsAgreed {
    fn trace(&self, ctx: &TraceCtx) -> Vec<TraceHit> {
        delivery_as_agreed(ctx.trace)
    }
}

/// BCAST-DLV-04 over the session: each LTKM after a registration travels by a mechanism
/// that registration agreed (HTTP 2 in responses other than the registration's own, UDP 0,
/// SMS 1).
fn delivery_as_agreed(trace: &Trace) -> Vec<TraceHit> {
    let mut agreed: Option<Vec<u8>> = None;
    let mut hits = Vec::new();
    let by_event: BTreeMap<usize, Vec<u8>> =
        ltkms(trace).into_iter().fold(BTreeMap::new(), |mut m, l| {
            m.entry(l.event).or_insert_with(Vec::new).push(l.mechanism);
            m
        });
    for e in &trace.events {
        if let Some(a) = agreed_by(e) {
            agreed = Some(a); // the registration's own LTKMs are judged by the exchange rule
            continue;
        }
        let (Some(a), Some(mechs)) = (&agreed, by_event.get(&e.number)) else {
            continue;
        };
        for m in mechs.iter().collect::<BTreeSet<_>>() {
            if !a.contains(m) {
                let name = match m {
                    0 => "UDP (0)",
                    1 => "SMS (1)",
                    _ => "HTTP (2)",
                };
                hits.push(hit(
                    e.number,
                    vec![("value", name.to_string()), ("agreed", format!("{a:?}"))],
                ));
            }
        }
    }
    hits
}

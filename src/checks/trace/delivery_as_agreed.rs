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
    fn reads_request_bodies(&self) -> bool {
        true // registrations are known by their request body
    }

    fn trace(&self, ctx: &TraceCtx) -> Vec<TraceHit> {
        delivery_as_agreed(ctx.trace)
    }
}

/// The delivery mechanisms by their LTKMDelivery Type value.
const MECHANISMS: [&str; 3] = ["UDP (0)", "SMS (1)", "HTTP (2)"];

/// BCAST-DLV-04 over the session: each LTKM after a registration travels by a mechanism
/// that registration agreed (HTTP 2 in responses other than the registration's own, which the
/// exchange rule judges; UDP 0, SMS 1). One hit per event and mechanism.
fn delivery_as_agreed(trace: &Trace) -> Vec<TraceHit> {
    let mut seen = BTreeSet::new();
    let mut hits = Vec::new();
    for l in ltkms(trace) {
        if l.in_registration || !l.may_be_ignored() || !seen.insert((l.event, l.mechanism)) {
            continue;
        }
        hits.push(hit(
            l.event,
            vec![
                ("value", MECHANISMS[usize::from(l.mechanism)].to_string()),
                ("agreed", format!("{:?}", l.agreed.unwrap_or_default())),
            ],
        ));
    }
    hits
}

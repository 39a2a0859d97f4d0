//! Check kind `trace_delivery_as_agreed`.

use super::*;

/// Each LTKM after a registration travels by a mechanism that registration agreed.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeliveryAsAgreed {}

impl CheckKind for DeliveryAsAgreed {
    crate::check_kind_judge!(Trace);
}

/// The delivery mechanisms by their LTKMDelivery Type value.
const MECHANISMS: [&str; 3] = ["UDP (0)", "SMS (1)", "HTTP (2)"];

/// BCAST-DLV-04 over the session: each LTKM after a registration travels by a mechanism
/// that registration agreed (HTTP 2 in responses other than the registration's own, which the
/// exchange rule judges; UDP 0, SMS 1). One hit per event and mechanism.
impl TraceCheck for DeliveryAsAgreed {
    fn reads_request_bodies(&self) -> bool {
        true // registrations are known by their request body
    }

    fn rests_on(&self) -> Option<State> {
        Some(State::Registration)
    }

    fn step(&self, step: &Step, _ctx: &StepCtx, out: &mut Vec<TraceHit>) {
        let Step::Ltkm {
            event,
            mechanism,
            agreed,
            in_registration: false,
            may_be_ignored: true,
            first_of_mechanism: true,
        } = step
        else {
            return;
        };
        out.push(hit(
            *event,
            vec![
                ("value", MECHANISMS[usize::from(*mechanism)].to_string()),
                ("agreed", format!("{:?}", agreed.unwrap_or_default())),
            ],
        ));
    }
}

//! Check kind `trace_dereg_lists_all`.

use super::*;

/// A deregistration lists every registered service.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeregListsAll {}

impl CheckKind for DeregListsAll {
    crate::check_kind_judge!(Trace);
}

/// BCAST-DEREG-01: a deregistration lists every service the terminal is registered to (the
/// fold keeps the services each successful registration accepted, less those a
/// deregistration removed).
impl TraceCheck for DeregListsAll {
    fn reads_request_bodies(&self) -> bool {
        true // registrations are known by their request body
    }

    fn rests_on(&self) -> Option<State> {
        Some(State::Registration)
    }

    fn step(&self, step: &Step, _ctx: &StepCtx, out: &mut Vec<TraceHit>) {
        if let Step::Dereg { event, missing } = step {
            out.push(hit(*event, vec![("value", missing.join(", "))]));
        }
    }
}

//! Check kind `trace_push_to_registration_source`.

use super::*;
use crate::value::ip::{same_host, why_not_same_host};

/// UDP pushes of MSK messages and LTKMs go to the address the latest registration came from.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PushToRegistrationSource {}

impl CheckKind for PushToRegistrationSource {
    crate::check_kind_judge!(Trace);
}

/// MBMS-GEN-04: pushes of MSK messages and LTKMs over UDP (point-to-point, TS 33.246 6.3.1)
/// go to the address the latest registration request came from. MTK messages travel on the
/// bearer of the MBMS User Service (multicast), and verification messages come from the
/// terminal: neither is a push to it (the fold gives no [`Step::Push`] for them). Addresses
/// compare as addresses (`2001:db8::7` is `2001:db8:0:0:0:0:0:7`; an IPv4-mapped IPv6 address
/// is not the IPv4 address).
impl TraceCheck for PushToRegistrationSource {
    fn reads_request_bodies(&self) -> bool {
        true // registrations are known by their request body
    }

    fn rests_on(&self) -> Option<State> {
        Some(State::Registration)
    }

    fn step(&self, step: &Step, _ctx: &StepCtx, out: &mut Vec<TraceHit>) {
        let Step::Push { event, to, source } = step else {
            return;
        };
        if same_host(source, to) {
            return;
        }
        let value = match why_not_same_host(to, source) {
            Some(why) => format!("{to} ({why})"),
            None => to.to_string(),
        };
        out.push(hit(
            *event,
            vec![("value", value), ("expected", source.to_string())],
        ));
    }
}

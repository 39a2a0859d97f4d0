//! Check kind `trace_no_mtk_verification`.

use super::*;

/// No verification message answers an MTK message.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoMtkVerification {}

impl CheckKind for NoMtkVerification {
    crate::check_kind_judge!(Trace);
}

/// MBMS-MTK-02: no verification message answers an MTK message, whether it came over UDP or
/// in a FLUTE session. A verification message answers the message whose CSB ID and timestamp
/// it carries ([`fold::Pairing`]); one that may answer a message other than an MTK message
/// (MSK and MTK messages may share a CSB ID) is not counted against the MTK.
impl TraceCheck for NoMtkVerification {
    fn reads_request_bodies(&self) -> bool {
        true // registrations are known by their request body
    }

    fn rests_on(&self) -> Option<State> {
        Some(State::Verification)
    }

    fn step(&self, step: &Step, _ctx: &StepCtx, out: &mut Vec<TraceHit>) {
        if let Step::Paired(p) = step {
            if let Some(n) = p.mtk {
                out.push(hit(p.event, vec![("value", n.to_string())]));
            }
        }
    }
}

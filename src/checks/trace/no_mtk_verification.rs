//! Check kind `trace_no_mtk_verification`.

use super::*;

/// No verification message answers an MTK message.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoMtkVerification {}

impl CheckKind for NoMtkVerification {
    crate::check_kind_judge!(Trace);
}

impl TraceCheck for NoMtkVerification {
    fn reads_request_bodies(&self) -> bool {
        true // registrations are known by their request body
    }

    fn trace(&self, ctx: &TraceCtx) -> Vec<TraceHit> {
        no_mtk_verification(ctx.trace)
    }
}

/// MBMS-MTK-02: no verification message answers an MTK message, whether it came over UDP or
/// in a FLUTE session. A verification message answers the message whose CSB ID and timestamp
/// it carries ([`verifications`]); one that may answer a message other than an MTK message
/// (MSK and MTK messages may share a CSB ID) is not counted against the MTK.
fn no_mtk_verification(trace: &Trace) -> Vec<TraceHit> {
    verifications(trace)
        .pairings
        .iter()
        .filter_map(|p| p.mtk.map(|n| hit(p.event, vec![("value", n.to_string())])))
        .collect()
}

//! Check kind `trace_sms_ltkm_is_trigger`.

use super::*;

/// An LTKM delivered over SMS is a trigger (solicited pull or registration): its KEMAC
/// carries no SEK/PEK.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SmsLtkmIsTrigger {}

impl CheckKind for SmsLtkmIsTrigger {
    crate::check_kind_judge!(Trace);
}

/// BCAST-DLV-09: an LTKM sent over SMS initiates a solicited pull or a registration, so it
/// carries no SEK/PEK (KEMAC Encr Data Len 0, the form CR 0821 5.1.6.10.3 names for such
/// LTKMs). Each SMS event is judged alone.
impl TraceCheck for SmsLtkmIsTrigger {
    fn step(&self, step: &Step, _ctx: &StepCtx, out: &mut Vec<TraceHit>) {
        let Step::Event(e) = step else { return };
        let EventBody::Sms { message } = &e.body else {
            return;
        };
        let d = crate::mikey::decode(message);
        let Some(m) = &d.message else { return };
        let carries = m.payloads.iter().any(
            |p| matches!(&p.body, crate::mikey::PayloadBody::Kemac(k) if k.encr_data_len.value > 0),
        );
        if carries {
            out.push(hit(e.number, vec![]));
        }
    }

    fn judges_only(&self) -> Option<crate::checks::kind::JudgesOnly> {
        Some(crate::checks::kind::JudgesOnly {
            judges: |e| matches!(e.body, EventBody::Sms { .. }),
            what: "LTKM delivered by SMS",
        })
    }
}

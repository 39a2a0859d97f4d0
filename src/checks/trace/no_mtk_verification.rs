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
    fn trace(&self, ctx: &TraceCtx) -> Vec<TraceHit> {
        no_mtk_verification(ctx.trace)
    }
}

/// MBMS-MTK-02: no verification message answers an MTK message.
fn no_mtk_verification(trace: &Trace) -> Vec<TraceHit> {
    let mut mtk_csb: BTreeMap<u32, usize> = BTreeMap::new();
    let mut hits = Vec::new();
    for e in &trace.events {
        let EventBody::Udp { message } = &e.body else {
            continue;
        };
        let f = MikeyFacts::of(message);
        if is_mtk(e, &f) {
            if let Some(c) = f.csb_id {
                mtk_csb.insert(c, e.number);
            }
        } else if is_verification(e, &f) {
            if let Some(n) = f.csb_id.and_then(|c| mtk_csb.get(&c)) {
                hits.push(hit(e.number, vec![("value", n.to_string())]));
            }
        }
    }
    hits
}

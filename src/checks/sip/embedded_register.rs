//! Check kind `sip_embedded_register`: a third-party REGISTER's message/sip body is the
//! client's REGISTER request (7.3.2; TS 24.229 5.4.1.7). A body that does not open with a
//! start line at all is the scanner's syntax finding.

use super::*;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EmbeddedRegister {
    pub request: Select,
}

impl CheckKind for EmbeddedRegister {
    crate::check_kind_judge!(Sip);
}

impl SipCheck for EmbeddedRegister {
    fn sip(&self, ctx: &SipCtx) -> SipJudgement {
        let mut hits = Vec::new();
        let mut judged = 0;
        for (_, m) in self.request.requests(ctx.file, ctx.sip) {
            for inner in m
                .parts_of("message/sip")
                .into_iter()
                .filter_map(|p| p.message())
            {
                judged += 1;
                if inner.method() != Some("REGISTER") {
                    hits.push(hit(
                        inner.start_span.clone(),
                        vec![("value", text(ctx.file, &inner.start_span))],
                    ));
                }
            }
        }
        SipJudgement::of(judged, hits, || {
            "the input holds no REGISTER carrying a readable message/sip body".to_string()
        })
    }
}

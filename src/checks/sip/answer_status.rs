//! Check kind `sip_answer_status`: a request that meets the procedure's conditions (all the
//! listed body parts present) gets the expected final response, or one of the listed
//! others the procedure allows (7.3.3: 200, unless service authorisation or decryption
//! failed — 403, judged by the Warning rules — or RFC 3903 processing failed).

use super::*;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnswerStatus {
    pub request: Select,
    /// Media types that must all be present for the request to meet the conditions.
    pub requires_all: Vec<String>,
    pub expect: u16,
    /// Other final statuses the procedure allows.
    pub allowed: Vec<u16>,
}

impl CheckKind for AnswerStatus {
    crate::check_kind_judge!(Sip);
}

impl SipCheck for AnswerStatus {
    fn sip(&self, ctx: &SipCtx) -> SipJudgement {
        let mut hits = Vec::new();
        let mut judged = 0;
        for (i, m) in self.request.requests(ctx.file, ctx.sip) {
            let parts: Vec<&str> = m.parts().iter().filter_map(|p| p.essence()).collect();
            if !self
                .requires_all
                .iter()
                .all(|t| parts.contains(&t.as_str()))
            {
                continue;
            }
            let Some(r) = ctx.sip.final_response_to(i) else {
                continue;
            };
            judged += 1;
            let s = r.status().unwrap_or(0);
            if s != self.expect && !self.allowed.contains(&s) {
                hits.push(hit(
                    r.start_span.clone(),
                    vec![
                        ("value", s.to_string()),
                        ("expected", self.expect.to_string()),
                    ],
                ));
            }
        }
        SipJudgement::of(judged, hits, || {
            format!(
                "the input holds no final response to {} with {}",
                self.request.describe(),
                self.requires_all.join(" and ")
            )
        })
    }
}

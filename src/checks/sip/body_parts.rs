//! Check kind `sip_body_parts`: the selected requests carry a body part of each listed media
//! type (7.3.3: a settings PUBLISH carries application/poc-settings+xml and
//! application/vnd.3gpp.mcvideo-info+xml).

use super::*;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BodyParts {
    pub request: Select,
    pub required: Vec<String>,
}

impl CheckKind for BodyParts {
    crate::check_kind_judge!(Sip);
}

impl SipCheck for BodyParts {
    fn sip(&self, ctx: &SipCtx) -> SipJudgement {
        let mut hits = Vec::new();
        let mut judged = 0;
        for (_, m) in self.request.requests(ctx.file, ctx.sip) {
            judged += 1;
            let present: Vec<String> = m
                .parts()
                .iter()
                .filter_map(|p| p.essence().map(str::to_string))
                .collect();
            for want in &self.required {
                if !present.contains(want) {
                    let at = m
                        .header("content-type")
                        .map_or(m.start_span.clone(), |h| h.span.clone());
                    let has = if present.is_empty() {
                        "no typed body".to_string()
                    } else {
                        present.join(", ")
                    };
                    hits.push(hit(at, vec![("expected", want.clone()), ("value", has)]));
                }
            }
        }
        SipJudgement::of(judged, hits, || none_selected(&self.request))
    }
}

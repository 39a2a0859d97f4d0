//! Check kind `sip_accept_contact`: an Accept-Contact ac-value holds the feature tag with the
//! value (percent-decoded, TS 24.229 7.2A.8) and the listed parameters (`require`,
//! `explicit`) in that same ac-value (RFC 3841: each ac-value is a predicate of its own).
//! A value that reads right only if a raw ':' is taken as it stands counts as holding it
//! here; `sip_feature_value_grammar` reports the grammar error.

use super::*;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AcceptContact {
    pub request: Select,
    /// The feature parameter, with its `+` (`+g.3gpp.icsi-ref`), in any case: parameter
    /// names are case-insensitive (RFC 3261 7.3.1), the reader keeps them lower-cased.
    #[serde(deserialize_with = "crate::value::header_name::deserialize_param_name")]
    pub feature: String,
    pub value: String,
    #[serde(deserialize_with = "crate::value::header_name::deserialize_param_names")]
    pub with: Vec<String>,
}

impl CheckKind for AcceptContact {
    crate::check_kind_judge!(Sip);
}

impl AcceptContact {
    /// What is missing from the best ac-value of a message, or None when one has it all.
    fn missing(&self, ctx: &SipCtx, m: &SipMessage) -> Option<(std::ops::Range<usize>, String)> {
        let mut best: Option<(std::ops::Range<usize>, String)> = None;
        for h in m.headers_named("accept-contact") {
            for v in h.values(ctx.file) {
                let has_tag = v.params.iter().any(|p| {
                    p.name == self.feature
                        && p.value.as_deref().is_some_and(|val| {
                            val.split(',')
                                .any(|t| percent_decode(t.trim()) == self.value)
                        })
                });
                let absent: Vec<&str> = self
                    .with
                    .iter()
                    .filter(|w| !v.params.iter().any(|p| p.name == **w && p.value.is_none()))
                    .map(String::as_str)
                    .collect();
                if has_tag && absent.is_empty() {
                    return None;
                }
                if has_tag {
                    best = Some((v.span.clone(), format!("the ac-value with {}=\"{}\" lacks {} (they must be in the same ac-value)", self.feature, self.value, absent.join(" and "))));
                } else if best.is_none() {
                    best = Some((
                        v.span.clone(),
                        format!("no ac-value holds {}=\"{}\"", self.feature, self.value),
                    ));
                }
            }
        }
        Some(best.unwrap_or_else(|| {
            (
                m.start_span.clone(),
                "there is no Accept-Contact header".to_string(),
            )
        }))
    }
}

impl SipCheck for AcceptContact {
    fn sip(&self, ctx: &SipCtx) -> SipJudgement {
        let mut hits = Vec::new();
        let mut judged = 0;
        for (_, m) in self.request.requests(ctx.file, ctx.sip) {
            judged += 1;
            if let Some((span, detail)) = self.missing(ctx, m) {
                hits.push(hit(span, vec![("detail", detail)]));
            }
        }
        SipJudgement::of(judged, hits, || none_selected(&self.request))
    }
}

//! Check kind `sip_warning_grammar`: every Warning header value of every message follows
//! RFC 3261 25.1 (`warn-code SP warn-agent SP warn-text`, warn-text a quoted string).

use super::*;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WarningGrammar {}

impl CheckKind for WarningGrammar {
    crate::check_kind_judge!(Sip);
}

impl SipCheck for WarningGrammar {
    fn sip(&self, ctx: &SipCtx) -> SipJudgement {
        let mut hits = Vec::new();
        let mut judged = 0;
        for m in &ctx.sip.messages {
            for w in warnings(ctx.file, m) {
                judged += 1;
                if w.span.is_empty() {
                    // `a, , b` or a Warning header with no value (RFC 3261 20.43).
                    hits.push(hit(
                        w.span.clone(),
                        vec![
                            ("value", String::new()),
                            (
                                "detail",
                                "an empty list element: the header is warning-value *(COMMA warning-value)"
                                    .to_string(),
                            ),
                        ],
                    ));
                } else if let Some((span, why)) = w.error {
                    let span = if span.start < span.end {
                        span
                    } else {
                        w.span.clone()
                    };
                    hits.push(hit(
                        span,
                        vec![("value", text(ctx.file, &w.span)), ("detail", why)],
                    ));
                }
            }
        }
        SipJudgement::of(judged, hits, || {
            "the input holds no Warning header".to_string()
        })
    }
}

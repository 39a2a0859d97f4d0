//! Check kind `sip_grammar`: the start line and headers of every message (and of every
//! message a `message/sip` body embeds) follow their ABNF, for the families of productions
//! a rule names (`families: [start-line, rfc3261, …]`); each fault is reported at its first
//! offending octet (src/sip/grammar).

use super::*;
use crate::sip::grammar::Family;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Grammar {
    pub families: Vec<Family>,
    /// Parameter values another rule judges (one finding per defect).
    #[serde(default)]
    pub leave_to: Vec<LeaveTo>,
}

/// The values of a header parameter in selected requests, left to the rule named.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LeaveTo {
    pub rule: String,
    pub request: Select,
    /// In any case, long or compact ([`crate::value::HeaderName`]).
    #[serde(deserialize_with = "crate::value::header_name::deserialize_sip_name")]
    pub header: String,
    /// In any case (RFC 3261 7.3.1: parameter names are case-insensitive).
    #[serde(deserialize_with = "crate::value::header_name::deserialize_param_name")]
    pub param: String,
}

impl LeaveTo {
    fn spans(&self, file: &[u8], sip: &SipFile) -> Vec<std::ops::Range<usize>> {
        self.request
            .requests(file, sip)
            .flat_map(|(_, m)| m.headers_named(&self.header))
            .flat_map(|h| h.values(file))
            .flat_map(|v| v.params)
            .filter(|p| p.name == self.param)
            .filter_map(|p| p.value_span)
            .collect()
    }
}

impl CheckKind for Grammar {
    crate::check_kind_judge!(Sip);
}

impl SipCheck for Grammar {
    fn sip(&self, ctx: &SipCtx) -> SipJudgement {
        let left: Vec<_> = self
            .leave_to
            .iter()
            .flat_map(|l| l.spans(ctx.file, ctx.sip))
            .collect();
        let hits = ctx
            .sip
            .grammar_faults(ctx.file)
            .iter()
            .filter(|f| self.families.contains(&f.family))
            .filter(|f| !left.iter().any(|r| r.contains(&f.span.start)))
            .map(|f| {
                hit(
                    f.span.clone(),
                    vec![("place", f.place.clone()), ("detail", f.detail.clone())],
                )
            })
            .collect();
        SipJudgement::of(ctx.sip.messages.len(), hits, || {
            "the input holds no SIP message".to_string()
        })
    }
}

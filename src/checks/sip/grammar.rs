//! Check kind `sip_grammar`: the start line and headers of every message (and of every
//! message a `message/sip` body embeds) follow their ABNF, for the families of productions
//! a rule names (`families: [start-line, rfc3261, …]`); each fault is reported at its first
//! offending octet (src/sip/grammar).

use super::*;
use crate::sip::body::Inner;
use crate::sip::grammar::{self, Family};
use crate::sip::BodyPart;

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
    pub header: String,
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

/// The message and every message embedded in its body, depth first.
fn with_embedded<'m>(m: &'m SipMessage, out: &mut Vec<&'m SipMessage>) {
    out.push(m);
    fn part<'m>(p: &'m BodyPart, out: &mut Vec<&'m SipMessage>) {
        match &p.inner {
            Inner::Message(inner) => with_embedded(inner, out),
            Inner::Parts(parts) => parts.iter().for_each(|q| part(q, out)),
            _ => {}
        }
    }
    if let Some(b) = &m.body {
        part(b, out);
    }
}

impl SipCheck for Grammar {
    fn sip(&self, ctx: &SipCtx) -> SipJudgement {
        let mut all = Vec::new();
        for m in &ctx.sip.messages {
            with_embedded(m, &mut all);
        }
        let left: Vec<_> = self
            .leave_to
            .iter()
            .flat_map(|l| l.spans(ctx.file, ctx.sip))
            .collect();
        let hits = all
            .into_iter()
            .flat_map(|m| grammar::judge(ctx.file, m))
            .filter(|f| self.families.contains(&f.family))
            .filter(|f| !left.iter().any(|r| r.contains(&f.span.start)))
            .map(|f| hit(f.span, vec![("place", f.place), ("detail", f.detail)]))
            .collect();
        SipJudgement::of(ctx.sip.messages.len(), hits, || {
            "the input holds no SIP message".to_string()
        })
    }
}

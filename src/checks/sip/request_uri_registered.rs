//! Check kind `sip_request_uri_registered`: the Request-URI of the selected requests is the
//! URI of the To header of a third-party REGISTER (a REGISTER carrying message/sip) in the
//! same input (7.3.7 step 2). Without such a REGISTER in the input the rule does not apply.
//! URIs are compared as RFC 3261 19.1.4 compares them ([`crate::value::Uri`]): host and scheme
//! case-insensitive, user case-sensitive, escapes of unreserved characters equal to them.

use super::*;
use crate::sip::header_field::uri_of;
use crate::sip::StartLine;
use crate::value::ValueType;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RequestUriRegistered {
    pub request: Select,
}

impl CheckKind for RequestUriRegistered {
    crate::check_kind_judge!(Sip);
}

/// The To URIs of the third-party REGISTERs of the input.
fn registered(ctx: &SipCtx) -> Vec<String> {
    let third_party = Select {
        method: "REGISTER".into(),
        carrying: vec!["message/sip".into()],
        event: None,
    };
    third_party
        .requests(ctx.file, ctx.sip)
        .filter_map(|(_, m)| {
            m.header("to")?
                .values(ctx.file)
                .into_iter()
                .next()
                .map(|v| uri_of(ctx.file, &v))
        })
        .collect()
}

impl SipCheck for RequestUriRegistered {
    fn sip(&self, ctx: &SipCtx) -> SipJudgement {
        let uris = registered(ctx);
        if uris.is_empty() {
            return SipJudgement::nothing("the input holds no third-party REGISTER (a REGISTER carrying message/sip) whose To URI the Request-URI must equal");
        }
        let mut hits = Vec::new();
        let mut judged = 0;
        for (_, m) in self.request.requests(ctx.file, ctx.sip) {
            let StartLine::Request { uri, uri_span, .. } = &m.start else {
                continue;
            };
            judged += 1;
            if !uris.iter().any(|u| ValueType::Uri.same(u, uri)) {
                hits.push(hit(
                    uri_span.clone(),
                    vec![("value", uri.clone()), ("expected", uris.join(" or "))],
                ));
            }
        }
        SipJudgement::of(judged, hits, || none_selected(&self.request))
    }
}

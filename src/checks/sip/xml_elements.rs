//! Check kind `sip_xml_elements`: an XML body part of the selected requests holds each
//! listed element ({namespace}local name) somewhere (7.3.3: `<mcvideo-access-token>` and
//! `<mcvideo-client-id>` in the mcvideo-info body; the schema makes both optional, so
//! presence is a procedure check). A body that is absent or not well-formed is another
//! rule's finding.

use super::*;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct XmlElements {
    pub request: Select,
    pub media_type: String,
    pub namespace: String,
    pub elements: Vec<String>,
}

impl CheckKind for XmlElements {
    crate::check_kind_judge!(Sip);
}

impl SipCheck for XmlElements {
    fn sip(&self, ctx: &SipCtx) -> SipJudgement {
        let mut hits = Vec::new();
        let mut judged = 0;
        for (_, m) in self.request.requests(ctx.file, ctx.sip) {
            let Some((at, body)) = xml_body(ctx.file, m, &self.media_type) else {
                continue;
            };
            let Some(doc) = crate::xml::parse_bounded(body.trim_end_matches(['\r', '\n'])) else {
                continue;
            };
            judged += 1;
            let root = doc.root_element();
            for want in &self.elements {
                let found = doc.descendants().any(|n| {
                    n.is_element()
                        && n.tag_name().name() == want
                        && n.tag_name().namespace() == Some(self.namespace.as_str())
                });
                if !found {
                    let start = at + root.range().start + 1;
                    let end = start + root.tag_name().name().len();
                    hits.push(hit(start..end, vec![("element", want.clone())]));
                }
            }
        }
        SipJudgement::of(judged, hits, || {
            format!(
                "the input holds no well-formed {} body in {}",
                self.media_type,
                self.request.describe()
            )
        })
    }
}

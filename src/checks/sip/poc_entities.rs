//! Check kind `sip_poc_entities`: the poc-settings body of the selected requests has at
//! least one `<entity>`, and each entity holds each listed element exactly once (7.3.6.2:
//! `<am-settings>` and `<selected-user-profile-index>`). Elements are matched by local
//! name: the namespace an element sits in is the XML rules' finding (MCV-XML-01), not a
//! second one here.

use super::*;

const POC_SETTINGS_NS: &str = "urn:oma:params:xml:ns:poc:poc-settings";

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PocEntities {
    pub request: Select,
    pub elements: Vec<String>,
}

impl CheckKind for PocEntities {
    crate::check_kind_judge!(Sip);
}

fn name_span(at: usize, n: roxmltree::Node) -> std::ops::Range<usize> {
    let start = at + n.range().start + 1;
    start..start + n.tag_name().name().len()
}

impl SipCheck for PocEntities {
    fn sip(&self, ctx: &SipCtx) -> SipJudgement {
        let mut hits = Vec::new();
        let mut judged = 0;
        for (_, m) in self.request.requests(ctx.file, ctx.sip) {
            let Some((at, body)) = xml_body(ctx.file, m, "application/poc-settings+xml") else {
                continue;
            };
            let Some(doc) = crate::xml::parse_bounded(&body) else {
                continue;
            };
            judged += 1;
            let root = doc.root_element();
            let entities: Vec<_> = root
                .children()
                .filter(|c| {
                    c.is_element()
                        && c.tag_name().name() == "entity"
                        && c.tag_name().namespace() == Some(POC_SETTINGS_NS)
                })
                .collect();
            if entities.is_empty() {
                hits.push(hit(
                    name_span(at, root),
                    vec![("detail", "no <entity>".to_string())],
                ));
            }
            for e in entities {
                for want in &self.elements {
                    let n = e
                        .descendants()
                        .filter(|c| c.is_element() && c.tag_name().name() == want)
                        .count();
                    // More than one is the document rules' finding (RFC 4354's schema for
                    // <am-settings>, MCV-XML-02 for the index): one finding per defect.
                    if n == 0 {
                        hits.push(hit(
                            name_span(at, e),
                            vec![(
                                "detail",
                                format!(
                                    "<entity id=\"{}\"> holds no <{want}>",
                                    e.attribute("id").unwrap_or("")
                                ),
                            )],
                        ));
                    }
                }
            }
        }
        SipJudgement::of(judged, hits, || {
            format!(
                "the input holds no well-formed application/poc-settings+xml body in {}",
                self.request.describe()
            )
        })
    }
}

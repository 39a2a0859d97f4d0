//! Check kind `only_if_sibling_status`.

use super::*;

/// `element`, inside a `within` element, only when that element's sibling `sibling` carries the
/// status code `code` ("200 OK" carries 200).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OnlyIfSiblingStatus {
    pub element: Selector,
    pub within: Selector,
    pub sibling: Selector,
    pub code: u16,
}

impl CheckKind for OnlyIfSiblingStatus {
    crate::check_kind_judge!(Xml);

    fn selectors(&self) -> Vec<&Selector> {
        vec![&self.element, &self.within, &self.sibling]
    }
}

impl XmlCheck for OnlyIfSiblingStatus {
    fn xml(&self, ctx: &Ctx) -> Vec<Hit> {
        only_if_sibling_status(ctx, &self.element, &self.within, &self.sibling, self.code)
    }
}

/// Whether a value indicates `code` on the loose reading (its first three digits).
fn loosely(value: &str, code: u16) -> bool {
    matches!(read_status(value), StatusReading::Loose(c) if c == code)
}

fn only_if_sibling_status(
    ctx: &Ctx,
    element: &Selector,
    within: &Selector,
    sibling: &Selector,
    code: u16,
) -> Vec<Hit> {
    let mut hits = Vec::new();
    for node in ctx.select(element) {
        let Some(container) = node.parent_element().filter(|p| ctx.matches(within, *p)) else {
            continue;
        };
        let Some(status) = container
            .parent_element()
            .and_then(|r| r.children().find(|c| ctx.matches(sibling, *c)))
        else {
            continue; // no ResponseCode: the schema rule reports that
        };
        let value = text_of(status);
        let hit = Hit::at(node).var("value", value.clone());
        match read_status(&value) {
            StatusReading::Certain(c) if c == code => {}
            // Not `code` on any reading: a certain violation.
            StatusReading::Certain(_) | StatusReading::Loose(_) if !loosely(&value, code) => {
                hits.push(hit)
            }
            // Whether it indicates `code` depends on how the value is read: the rule's
            // verdict rests on MBMS-RSP-01's provisional reading of the form.
            _ => hits.push(hit.resting_on(format!(
                "that ResponseCode '{value}', outside the \"NNN Reason-Phrase\" form MBMS-RSP-01 assumes, does not indicate status code {code}"
            ))),
        }
    }
    hits
}

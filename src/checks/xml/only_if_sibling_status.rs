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
        if status_code(&value) != Some(code) {
            hits.push(Hit::at(node).var("value", value));
        }
    }
    hits
}

//! Check kind `status_code_form`.

use super::*;

/// `element` has the form "NNN Reason-Phrase".
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatusCodeForm {
    pub element: Selector,
}

impl CheckKind for StatusCodeForm {
    crate::check_kind_judge!(Xml);

    fn selectors(&self) -> Vec<&Selector> {
        vec![&self.element]
    }
}

impl XmlCheck for StatusCodeForm {
    fn xml(&self, ctx: &Ctx) -> Vec<Hit> {
        status_code_form(ctx, &self.element)
    }
}

fn status_code_form(ctx: &Ctx, element: &Selector) -> Vec<Hit> {
    ctx.select(element)
        .filter_map(|n| {
            let v = text_of(n);
            let ok = status_code(&v).is_some_and(|c| (100..=599).contains(&c));
            (!ok).then(|| Hit::at(n).var("value", v))
        })
        .collect()
}

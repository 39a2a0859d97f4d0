//! Check kind `status_code_used`.

use super::*;

/// The status code in `element` is not one the table marks as not used.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatusCodeUsed {
    pub element: Selector,
}

impl CheckKind for StatusCodeUsed {
    crate::check_kind_judge!(Xml);

    fn selectors(&self) -> Vec<&Selector> {
        vec![&self.element]
    }
}

impl XmlCheck for StatusCodeUsed {
    fn xml(&self, ctx: &Ctx) -> Vec<Hit> {
        status_code_used(ctx, &self.element)
    }
}

fn status_code_used(ctx: &Ctx, element: &Selector) -> Vec<Hit> {
    ctx.select(element)
        .filter_map(|n| {
            let v = text_of(n);
            let code = status_code(&v)?;
            let not_used = ctx
                .settings
                .status_codes
                .iter()
                .any(|s| s.code == code && s.usage == "not-used");
            not_used.then(|| Hit::at(n).var("value", v))
        })
        .collect()
}

//! Check kind `status_code_listed`.

use super::*;

/// The status code in `element` ("NNN Reason") is one the `status_codes` setting lists.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatusCodeListed {
    pub element: Selector,
}

impl CheckKind for StatusCodeListed {
    crate::check_kind_judge!(Xml);

    fn selectors(&self) -> Vec<&Selector> {
        vec![&self.element]
    }
}

impl XmlCheck for StatusCodeListed {
    fn xml(&self, ctx: &Ctx) -> Vec<Hit> {
        status_code_listed(ctx, &self.element)
    }
}

fn status_code_listed(ctx: &Ctx, element: &Selector) -> Vec<Hit> {
    ctx.select(element)
        .filter_map(|n| {
            let v = text_of(n);
            let code = status_code(&v)?; // malformed: the form rule says so
            let listed = ctx.settings.status_codes.iter().any(|s| s.code == code);
            (!listed).then(|| Hit::at(n).var("value", v))
        })
        .collect()
}

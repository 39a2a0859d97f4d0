//! Check kind `status_code_form`.

use super::*;

/// `element` has the form "NNN Reason-Phrase", the phrase (when the `status_codes` table
/// knows the code) being the table's.
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

/// A reason phrase that is not the one the status code table gives for its code ("200
/// Forbidden"); None when it agrees, is absent, or the code is not in the table.
fn phrase_disagrees(ctx: &Ctx, code: u16, value: &str) -> Option<String> {
    let phrase = value.get(4..).map(str::trim).filter(|p| !p.is_empty())?;
    let known = ctx.settings.status_codes.iter().find(|s| s.code == code)?;
    (!known.phrase.eq_ignore_ascii_case(phrase)).then(|| {
        format!(
            "has the reason phrase '{phrase}', which is not {code}'s ('{}'): the code and the phrase disagree",
            known.phrase
        )
    })
}

fn status_code_form(ctx: &Ctx, element: &Selector) -> Vec<Hit> {
    ctx.select(element)
        .filter_map(|n| {
            let v = text_of(n);
            let detail = match status_code(&v) {
                Some(c) if (100..=599).contains(&c) => phrase_disagrees(ctx, c, &v)?,
                _ => "is not an HTTP status code with its reason phrase (e.g. '200 OK')".into(),
            };
            Some(Hit::at(n).var("value", v).var("detail", detail))
        })
        .collect()
}

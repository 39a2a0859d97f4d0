//! Check kind `decoded_not_zero`.

use super::*;

/// Octets `from..to` of the decoded base64 value of `element` are not all zero.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DecodedNotZero {
    pub element: Selector,
    pub from: usize,
    pub to: usize,
}

impl CheckKind for DecodedNotZero {
    crate::check_kind_judge!(Xml);

    fn selectors(&self) -> Vec<&Selector> {
        vec![&self.element]
    }
}

impl XmlCheck for DecodedNotZero {
    fn xml(&self, ctx: &Ctx) -> Vec<Hit> {
        decoded_not_zero(ctx, &self.element, self.from, self.to)
    }
}

fn decoded_not_zero(ctx: &Ctx, element: &Selector, from: usize, to: usize) -> Vec<Hit> {
    ctx.select(element)
        .filter_map(|n| {
            let v = text_of(n);
            let bytes = decode_base64(&v).ok()?;
            let part = bytes.get(from..to)?; // too short: the length rule says so
            part.iter()
                .all(|b| *b == 0)
                .then(|| Hit::at(n).var("value", v))
        })
        .collect()
}

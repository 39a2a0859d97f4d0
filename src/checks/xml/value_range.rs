//! Check kind `value_range`.

use super::*;

/// The integer value of `element` lies in `min..=max` (the rule names the class).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ValueRange {
    pub element: Selector,
    pub min: i64,
    pub max: i64,
}

impl CheckKind for ValueRange {
    crate::check_kind_judge!(Xml);

    fn selectors(&self) -> Vec<&Selector> {
        vec![&self.element]
    }
}

impl XmlCheck for ValueRange {
    fn xml(&self, ctx: &Ctx) -> Vec<Hit> {
        value_range(ctx, &self.element, self.min, self.max)
    }
}

fn value_range(ctx: &Ctx, element: &Selector, min: i64, max: i64) -> Vec<Hit> {
    ctx.select(element)
        .filter_map(|n| {
            let v = text_of(n);
            let x = parse_integer(&v)?; // not an integer: the schema rule says so
            (x >= min as i128 && x <= max as i128).then(|| Hit::at(n).var("value", v))
        })
        .collect()
}

//! Check kind `unique_values`.

use super::*;

/// No two sibling `element`s carry the same value.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UniqueValues {
    pub element: Selector,
}

impl CheckKind for UniqueValues {
    crate::check_kind_judge!(Xml);

    fn selectors(&self) -> Vec<&Selector> {
        vec![&self.element]
    }
}

impl XmlCheck for UniqueValues {
    fn xml(&self, ctx: &Ctx) -> Vec<Hit> {
        unique_values(ctx, &self.element)
    }
}

fn unique_values(ctx: &Ctx, element: &Selector) -> Vec<Hit> {
    let mut hits = Vec::new();
    for n in ctx.select(element) {
        let v = text_of(n);
        let key = parse_integer(&v).map_or(v.clone(), |x| x.to_string());
        let earlier = n
            .prev_siblings()
            .skip(1)
            .filter(|s| ctx.matches(element, *s))
            .any(|s| {
                let t = text_of(s);
                parse_integer(&t).map_or(t, |x| x.to_string()) == key
            });
        if earlier {
            hits.push(Hit::at(n).var("value", v));
        }
    }
    hits
}

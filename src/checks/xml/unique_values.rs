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
    // The values already seen under each parent, in one pass in document order: a scan of
    // each element's earlier siblings was quadratic (100 000 sibling Types: minutes).
    let mut seen: rustc_hash::FxHashMap<Option<roxmltree::NodeId>, rustc_hash::FxHashSet<String>> =
        Default::default();
    let mut hits = Vec::new();
    for n in ctx.select(element) {
        let v = text_of(n);
        // Integers compare by value ("07" and "7" are the same Type).
        let key = parse_integer(&v).map_or_else(|| v.to_string(), |x| x.to_string());
        if !seen
            .entry(n.parent().map(|p| p.id()))
            .or_default()
            .insert(key)
        {
            hits.push(Hit::at(n).var("value", v));
        }
    }
    hits
}

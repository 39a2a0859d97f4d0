//! Check kind `unique_attribute`.

use super::*;

/// The `attribute` of sibling `element`s is unique.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UniqueAttribute {
    pub element: Selector,
    pub attribute: String,
}

impl CheckKind for UniqueAttribute {
    crate::check_kind_judge!(Xml);

    fn selectors(&self) -> Vec<&Selector> {
        vec![&self.element]
    }
}

impl XmlCheck for UniqueAttribute {
    fn xml(&self, ctx: &Ctx) -> Vec<Hit> {
        unique_attribute(ctx, &self.element, &self.attribute)
    }
}

fn unique_attribute(ctx: &Ctx, element: &Selector, attribute: &str) -> Vec<Hit> {
    let mut hits = Vec::new();
    // The values each parent's matching children have used so far, in document order:
    // scanning the earlier siblings again for each element would be quadratic.
    let mut used: std::collections::HashSet<(Option<roxmltree::NodeId>, &str)> = Default::default();
    for n in ctx.select(element) {
        let Some(v) = n.attribute(attribute) else {
            continue;
        };
        let v = v.trim();
        let earlier = !used.insert((n.parent().map(|p| p.id()), v));
        if earlier {
            hits.push(Hit::at(n).var("value", v).var(
                "detail",
                format!("{attribute}=\"{v}\" is used by an earlier sibling"),
            ));
        }
    }
    hits
}

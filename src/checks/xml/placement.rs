//! Check kind `placement`.

use super::*;

/// `element` appears only as a child of one of `parents`, at most `max_per_parent` times.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Placement {
    pub element: Selector,
    pub parents: Vec<Selector>,
    #[serde(default)]
    pub max_per_parent: Option<usize>,
}

impl CheckKind for Placement {
    crate::check_kind_judge!(Xml);

    fn selectors(&self) -> Vec<&Selector> {
        std::iter::once(&self.element)
            .chain(&self.parents)
            .collect()
    }
}

impl XmlCheck for Placement {
    fn xml(&self, ctx: &Ctx) -> Vec<Hit> {
        placement(ctx, &self.element, &self.parents, self.max_per_parent)
    }
}

fn placement(ctx: &Ctx, element: &Selector, parents: &[Selector], max: Option<usize>) -> Vec<Hit> {
    let mut hits = Vec::new();
    // How many matching children each parent has had so far, in document order: counting
    // the earlier siblings again for each element would be quadratic in a hostile document.
    let mut seen: std::collections::HashMap<roxmltree::NodeId, usize> = Default::default();
    for node in ctx.select(element) {
        let parent = node.parent_element();
        let allowed = parent.is_some_and(|p| parents.iter().any(|s| ctx.matches(s, p)));
        if !allowed {
            let where_ = parent.map_or("the document root".to_string(), |p| {
                format!("a child of {}", display_name(p))
            });
            hits.push(Hit::at(node).var("problem", format!("is {where_}")));
            continue;
        }
        if let (Some(max), Some(p)) = (max, parent) {
            let count = seen.entry(p.id()).or_default();
            let index = *count;
            *count += 1;
            if index >= max {
                hits.push(Hit::at(node).var(
                    "problem",
                    format!(
                        "appears {} times in the same {}",
                        index + 1,
                        display_name(p)
                    ),
                ));
            }
        }
    }
    hits
}

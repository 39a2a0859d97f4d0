//! Check kind `child_namespace`.

use super::*;

/// The children named here, inside the BCAST containers, are in the namespace the
/// `bcast_children_form` setting gives.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChildNamespace {
    pub children: Vec<String>,
}

impl CheckKind for ChildNamespace {
    crate::check_kind_judge!(Xml);
}

impl XmlCheck for ChildNamespace {
    fn xml(&self, ctx: &Ctx) -> Vec<Hit> {
        child_namespace(ctx, &self.children)
    }
}

fn child_namespace(ctx: &Ctx, children: &[String]) -> Vec<Hit> {
    let qualified = ctx.settings.bcast_children_form == "qualified";
    let expected = if qualified {
        ctx.settings.bcast_ns()
    } else {
        ""
    };
    ctx.doc
        .descendants()
        .filter(|n| n.is_element() && children.iter().any(|c| c == n.tag_name().name()))
        .filter(|n| is_container_child(ctx, *n))
        .filter(|n| n.tag_name().namespace().unwrap_or("") != expected)
        .map(|n| {
            Hit::at(n)
                .var(
                    "actual",
                    describe_ns(n.tag_name().namespace().unwrap_or("")),
                )
                .var("expected", describe_ns(expected))
                .var("form", ctx.settings.bcast_children_form.clone())
        })
        .collect()
}

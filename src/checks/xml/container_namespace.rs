//! Check kind `container_namespace`: an element named like one of the BCAST containers but
//! in another namespace than the BCAST one (a typo such as `…orderqueries:1.1`).
//!
//! Such an element is not the container the CR defines, so terminals will not read it as
//! one; the MBMS schemas' lax `##other` wildcards accept it as an unknown extension, so no
//! schema rule says anything. One finding per such element, naming the namespace found and
//! the one expected; its content is not judged again by the namespace rules. A container in
//! the payload's own namespace is not reported here: the schema rejects it at the wildcard.

use super::*;

/// Elements named like a BCAST container are in the BCAST namespace.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContainerNamespace {}

impl CheckKind for ContainerNamespace {
    crate::check_kind_judge!(Xml);
}

impl XmlCheck for ContainerNamespace {
    fn xml(&self, ctx: &Ctx) -> Vec<Hit> {
        let bcast = ctx.settings.bcast_ns();
        let root_ns = ctx.doc.root_element().tag_name().namespace().unwrap_or("");
        bcast_top_containers(ctx)
            .filter(|c| {
                let ns = c.tag_name().namespace().unwrap_or("");
                ns != bcast && ns != root_ns
            })
            .map(|c| {
                Hit::at(c)
                    .var(
                        "actual",
                        describe_ns(c.tag_name().namespace().unwrap_or("")),
                    )
                    .var("expected", describe_ns(bcast))
            })
            .collect()
    }
}

//! Check kind `kind_containers`.

use super::*;

/// The containers present match the payload kind (registration vs deregistration response).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KindContainers {}

impl CheckKind for KindContainers {
    crate::check_kind_judge!(Xml);
}

impl XmlCheck for KindContainers {
    fn xml(&self, ctx: &Ctx) -> Vec<Hit> {
        kind_containers(ctx)
    }
}

/// Flags containers that belong to the other kind of (de)registration response. When the
/// kind is ambiguous (no `--as`) and both kinds of containers are present, the group that
/// appears later is flagged.
fn kind_containers(ctx: &Ctx) -> Vec<Hit> {
    let group = |kind: &str| -> Vec<String> {
        ctx.settings
            .kind(kind)
            .map(|k| k.distinguished_by.clone())
            .unwrap_or_default()
    };
    let (reg, dereg) = (
        group("registration-response"),
        group("deregistration-response"),
    );
    let bcast = ctx.settings.bcast_ns();
    let find = |names: &[String]| -> Vec<Node> {
        let mut found = ctx.named(names);
        found.retain(|n| n.tag_name().namespace() == Some(bcast));
        found
    };
    let (reg_nodes, dereg_nodes) = (find(&reg), find(&dereg));
    let is = |k: &str| ctx.kinds.len() == 1 && ctx.kinds[0] == k;
    let (wrong, kind, detail) = if is("registration-response") {
        (
            dereg_nodes,
            "registration response",
            "this container belongs to a deregistration response",
        )
    } else if is("deregistration-response") {
        (
            reg_nodes,
            "deregistration response",
            "this container belongs to a registration response",
        )
    } else if reg_nodes.is_empty() || dereg_nodes.is_empty() {
        (Vec::new(), "", "")
    } else if reg_nodes[0].range().start < dereg_nodes[0].range().start {
        (
            dereg_nodes,
            "registration response (its first container says so)",
            "registration and deregistration containers are mixed",
        )
    } else {
        (
            reg_nodes,
            "deregistration response (its first container says so)",
            "registration and deregistration containers are mixed",
        )
    };
    wrong
        .into_iter()
        .map(|n| Hit::at(n).var("kind", kind).var("detail", detail))
        .collect()
}

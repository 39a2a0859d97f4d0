//! Checks on where elements stand: placement, namespace, containers per payload kind.

use super::{text_of, Ctx, Hit};
use crate::rules::Selector;
use crate::xsd::validate::display_name;
use roxmltree::Node;

pub fn placement(
    ctx: &Ctx,
    element: &Selector,
    parents: &[Selector],
    max: Option<usize>,
) -> Vec<Hit> {
    let mut hits = Vec::new();
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
            let index = p
                .children()
                .filter(|c| ctx.matches(element, *c))
                .position(|c| c == node)
                .unwrap_or(0);
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

/// The status code an element such as ResponseCode carries ("200 OK" carries 200).
pub fn status_code(text: &str) -> Option<u16> {
    let code = text.split(' ').next()?;
    (code.len() == 3 && code.bytes().all(|b| b.is_ascii_digit()))
        .then(|| code.parse().ok())
        .flatten()
}

pub fn only_if_sibling_status(
    ctx: &Ctx,
    element: &Selector,
    within: &Selector,
    sibling: &Selector,
    code: u16,
) -> Vec<Hit> {
    let mut hits = Vec::new();
    for node in ctx.select(element) {
        let Some(container) = node.parent_element().filter(|p| ctx.matches(within, *p)) else {
            continue;
        };
        let Some(status) = container
            .parent_element()
            .and_then(|r| r.children().find(|c| ctx.matches(sibling, *c)))
        else {
            continue; // no ResponseCode: the schema rule reports that
        };
        let value = text_of(status);
        if status_code(&value) != Some(code) {
            hits.push(Hit::at(node).var("value", value));
        }
    }
    hits
}

fn is_container_child(ctx: &Ctx, node: Node) -> bool {
    node.parent_element().is_some_and(|p| {
        let local = p.tag_name().name();
        ctx.settings.bcast_containers.iter().any(|c| c == local)
    })
}

fn describe_ns(ns: &str) -> String {
    if ns.is_empty() {
        "in no namespace".to_string()
    } else {
        format!("in namespace {ns}")
    }
}

pub fn child_namespace(ctx: &Ctx, children: &[String]) -> Vec<Hit> {
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

/// Flags containers that belong to the other kind of (de)registration response. When the
/// kind is ambiguous (no `--as`) and both kinds of containers are present, the group that
/// appears later is flagged.
pub fn kind_containers(ctx: &Ctx) -> Vec<Hit> {
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
        ctx.doc
            .descendants()
            .filter(|n| n.is_element() && n.tag_name().namespace() == Some(bcast))
            .filter(|n| names.iter().any(|c| c == n.tag_name().name()))
            .collect()
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

//! Check kind `child_namespace`: the namespace of the elements inside the BCAST containers
//! (`LTKMDelivery`, its `Type`s, `LTKM`).
//!
//! The OMA orderqueries schema declares them locally inside the containers, so they are in
//! the BCAST namespace (`elementFormDefault="qualified"`) or in none (unqualified). Which of
//! the two is not known (the schema was not found), but no reading puts them in any other
//! namespace, such as the 3GPP default namespace the CR's own examples leave them in. So the
//! check has two readings:
//! - `any-form`: an element in neither the BCAST namespace nor none is wrong whatever the
//!   schema says (a confirmed rule);
//! - `setting`: among the elements in one of those two, those that do not match the
//!   `bcast_children_form` setting (a provisional rule).
//!
//! One finding per container, at its first misplaced element, naming how many there are. A
//! container that is itself in the wrong namespace is `container_namespace`'s finding, and
//! its content is not judged here again.

use super::*;

/// Which reading of the elements' namespace the check applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Reading {
    /// The BCAST namespace or none: what every reading of the schema allows.
    AnyForm,
    /// The one namespace the `bcast_children_form` setting gives.
    Setting,
}

/// The elements named here, inside a BCAST container, are in the namespace `reading` allows.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChildNamespace {
    pub children: Vec<String>,
    pub reading: Reading,
}

impl CheckKind for ChildNamespace {
    crate::check_kind_judge!(Xml);

    fn needs(&self) -> Needs {
        // Every field spelt out: cargo-mutants cannot exclude the deletion of a field from
        // `..Needs::default()`, and the reading shows only at load time (.cargo/mutants.toml).
        Needs {
            setting: None,
            delivery: None,
            provisional_reading: (self.reading == Reading::Setting)
                .then_some("the form of the OMA schema's local elements (bcast_children_form)"),
        }
    }
}

impl XmlCheck for ChildNamespace {
    fn xml(&self, ctx: &Ctx) -> Vec<Hit> {
        let bcast = ctx.settings.bcast_ns();
        let form_ns = if ctx.settings.bcast_children_form == "qualified" {
            bcast
        } else {
            ""
        };
        let mut hits = Vec::new();
        for container in bcast_top_containers(ctx).filter(|c| in_ns(*c, bcast)) {
            let wrong: Vec<Node> = container
                .descendants()
                .filter(|n| n.is_element() && *n != container)
                .filter(|n| self.children.iter().any(|c| c == n.tag_name().name()))
                .filter(|n| {
                    let ns = n.tag_name().namespace().unwrap_or("");
                    let either = ns == bcast || ns.is_empty();
                    match self.reading {
                        Reading::AnyForm => !either,
                        Reading::Setting => either && ns != form_ns,
                    }
                })
                .collect();
            let Some(first) = wrong.first() else {
                continue;
            };
            let actual = describe_ns(first.tag_name().namespace().unwrap_or(""));
            // The first few named: a container of 100 000 misplaced elements is one finding,
            // and its message stays one line.
            const NAMED: usize = 8;
            let mut names: Vec<String> =
                wrong.iter().take(NAMED).map(|n| display_name(*n)).collect();
            if wrong.len() > NAMED {
                names.push(format!("and {} more", wrong.len() - NAMED));
            }
            hits.push(
                Hit::at(*first)
                    .var("container", display_name(container))
                    .var("count", wrong.len().to_string())
                    .var("names", names.join(", "))
                    .var("actual", actual)
                    .var("expected", describe_ns(form_ns))
                    .var("bcast", bcast.to_string())
                    .var("form", ctx.settings.bcast_children_form.clone()),
            );
        }
        hits
    }
}

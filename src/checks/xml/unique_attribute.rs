//! Check kind `unique_attribute`: values compared in the value space of the attribute's
//! type (`type:`, default `token`), so `TOI="02"` and `TOI="2"` are one positiveInteger.

use super::*;
use crate::value::{Key, ValueType};

/// The `attribute` of sibling `element`s is unique.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UniqueAttribute {
    pub element: Selector,
    pub attribute: String,
    /// The attribute's type (an XSD built-in such as `positiveInteger`, or a type of
    /// [`crate::value::ValueType`]); without one, values are compared as collapsed text.
    #[serde(rename = "type", default = "token")]
    pub value_type: ValueType,
}

fn token() -> ValueType {
    ValueType::Token
}

impl CheckKind for UniqueAttribute {
    crate::check_kind_judge!(Xml);

    fn selectors(&self) -> Vec<&Selector> {
        vec![&self.element]
    }
}

impl XmlCheck for UniqueAttribute {
    fn xml(&self, ctx: &Ctx) -> Vec<Hit> {
        unique_attribute(ctx, &self.element, &self.attribute, self.value_type)
    }
}

fn unique_attribute(
    ctx: &Ctx,
    element: &Selector,
    attribute: &str,
    value_type: ValueType,
) -> Vec<Hit> {
    let mut hits = Vec::new();
    // The values each parent's matching children have used so far, in document order:
    // scanning the earlier siblings again for each element would be quadratic.
    let mut used: std::collections::HashMap<(Option<roxmltree::NodeId>, Key), &str> =
        Default::default();
    for n in ctx.select(element) {
        let Some(v) = n.attribute(attribute) else {
            continue;
        };
        let v = v.trim();
        let key = (n.parent().map(|p| p.id()), value_type.key(v));
        match used.get(&key) {
            Some(first) if *first == v => {
                hits.push(Hit::at(n).var("value", v).var(
                    "detail",
                    format!("{attribute}=\"{v}\" is used by an earlier sibling"),
                ));
            }
            Some(first) => {
                hits.push(Hit::at(n).var("value", v).var(
                    "detail",
                    format!("{attribute}=\"{v}\" is the value of an earlier sibling's {attribute}=\"{first}\""),
                ));
            }
            None => {
                used.insert(key, v);
            }
        }
    }
    hits
}

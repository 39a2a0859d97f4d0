//! Check kind `unique_values`: values compared in the value space of their type (`type:`,
//! default `token`), so `07` and `7` are one `xs:unsignedByte`.

use super::*;
use crate::value::{Key, ValueType};

/// No two sibling `element`s carry the same value.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UniqueValues {
    pub element: Selector,
    /// The element's type (an XSD built-in such as `unsignedByte`, or a type of
    /// [`crate::value::ValueType`]); without one, values are compared as collapsed text.
    #[serde(rename = "type", default = "token")]
    pub value_type: ValueType,
}

fn token() -> ValueType {
    ValueType::Token
}

impl CheckKind for UniqueValues {
    crate::check_kind_judge!(Xml);

    fn selectors(&self) -> Vec<&Selector> {
        vec![&self.element]
    }
}

impl XmlCheck for UniqueValues {
    fn xml(&self, ctx: &Ctx) -> Vec<Hit> {
        unique_values(ctx, &self.element, self.value_type)
    }
}

fn unique_values(ctx: &Ctx, element: &Selector, value_type: ValueType) -> Vec<Hit> {
    // The values already seen under each parent, in one pass in document order: a scan of
    // each element's earlier siblings was quadratic (100 000 sibling Types: minutes).
    let mut seen: rustc_hash::FxHashMap<Option<roxmltree::NodeId>, rustc_hash::FxHashSet<Key>> =
        Default::default();
    let mut hits = Vec::new();
    for n in ctx.select(element) {
        let v = text_of(n);
        let key = value_type.key(&v);
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

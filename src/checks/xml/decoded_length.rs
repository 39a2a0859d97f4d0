//! Check kind `decoded_length`.

use super::*;

/// The base64 value of `element` decodes to exactly `octets` octets.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DecodedLength {
    pub element: Selector,
    pub octets: usize,
}

impl CheckKind for DecodedLength {
    crate::check_kind_judge!(Xml);

    fn selectors(&self) -> Vec<&Selector> {
        vec![&self.element]
    }
}

impl XmlCheck for DecodedLength {
    fn xml(&self, ctx: &Ctx) -> Vec<Hit> {
        decoded_length(ctx, &self.element, self.octets)
    }
}

fn decoded_length(ctx: &Ctx, element: &Selector, octets: usize) -> Vec<Hit> {
    ctx.select(element)
        .filter_map(|n| {
            let bytes = decode_base64(&text_of(n)).ok()?; // bad base64: the schema rule says so
            (bytes.len() != octets).then(|| Hit::at(n).var("value", bytes.len().to_string()))
        })
        .collect()
}

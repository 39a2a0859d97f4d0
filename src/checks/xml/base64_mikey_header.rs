//! Check kind `base64_mikey_header`.

use super::*;

/// The base64 value of `element` decodes to something that starts as a MIKEY common
/// header (RFC 3830 6.1): at least 10 octets, version 1.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Base64MikeyHeader {
    pub element: Selector,
}

impl CheckKind for Base64MikeyHeader {
    crate::check_kind_judge!(Xml);

    fn selectors(&self) -> Vec<&Selector> {
        vec![&self.element]
    }
}

impl XmlCheck for Base64MikeyHeader {
    fn xml(&self, ctx: &Ctx) -> Vec<Hit> {
        mikey_header(ctx, &self.element)
    }
}

/// RFC 3830 6.1: version (1 octet, only 1 is defined: IANA MIKEY "Version" registry), data
/// type, next payload, V|PRF, CSB ID (4), #CS, CS ID map type: 10 octets at the least.
fn mikey_header(ctx: &Ctx, element: &Selector) -> Vec<Hit> {
    ctx.select(element)
        .filter_map(|n| {
            let bytes = decode_base64(&text_of(n)).ok()?;
            let (offset, detail) = if bytes.len() < 10 {
                (
                    bytes.len(),
                    format!(
                        "{} octets, shorter than the 10-octet MIKEY common header",
                        bytes.len()
                    ),
                )
            } else if bytes[0] != 1 {
                (
                    0,
                    format!(
                        "version octet is {}, MIKEY defines only version 1",
                        bytes[0]
                    ),
                )
            } else {
                return None;
            };
            let mut hit = Hit::at(n).var("detail", detail);
            hit.byte_offset = Some(offset);
            Some(hit)
        })
        .collect()
}

//! The XML check kinds, one file each, and what they share: the status code a ResponseCode
//! carries, the BCAST containers, the key IDs an LTKM names.

pub(crate) use super::kind::{CheckKind, NeededSetting, Needs, XmlCheck};
pub(crate) use super::{text_of, Ctx, Hit};
pub(crate) use crate::checks::selector::Selector;
pub(crate) use crate::xsd::simple::{decode_base64, parse_integer};
pub(crate) use crate::xsd::validate::display_name;
pub(crate) use roxmltree::Node;
pub(crate) use serde::Deserialize;

pub mod base64_mikey_header;
pub mod child_namespace;
pub mod container_namespace;
pub mod decoded_length;
pub mod decoded_not_zero;
pub mod extension_namespace;
pub mod kind_containers;
pub mod ltkm_key_matches_msk;
pub mod only_if_sibling_status;
pub mod placement;
pub mod schema;
pub mod service_id_in_catalogue;
pub mod status_code_form;
pub mod status_code_listed;
pub mod status_code_used;
pub mod unique_attribute;
pub mod unique_values;
pub mod value_range;
pub mod well_formed;

/// The status code an element such as ResponseCode carries ("200 OK" carries 200), read
/// in the "NNN Reason-Phrase" form only.
pub fn status_code(text: &str) -> Option<u16> {
    match read_status(text) {
        StatusReading::Certain(c) => Some(c),
        _ => None,
    }
}

/// How a ResponseCode value reads. The schema types it as a string; that it holds "NNN" or
/// "NNN Reason-Phrase" is MBMS-RSP-01's provisional reading, so a value outside that form
/// (`200OK`) indicates a status code only on a looser reading no source confirms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusReading {
    /// "NNN" or "NNN Reason-Phrase".
    Certain(u16),
    /// Three digits run into other text ("200OK", "200-OK").
    Loose(u16),
    /// No status code at its start.
    Unreadable,
}

pub fn read_status(text: &str) -> StatusReading {
    let b = text.as_bytes();
    let digits = b.len() >= 3 && b[..3].iter().all(u8::is_ascii_digit);
    if !digits {
        return StatusReading::Unreadable;
    }
    let code = u16::from(b[0] - b'0') * 100 + u16::from(b[1] - b'0') * 10 + u16::from(b[2] - b'0');
    match b.get(3) {
        None | Some(b' ') => StatusReading::Certain(code),
        Some(c) if c.is_ascii_digit() => StatusReading::Unreadable,
        Some(_) => StatusReading::Loose(code),
    }
}

/// The Key Domain ID and MSK (SEK/PEK) ID an LTKM names in an RFC 4563 Key ID extension.
fn ltkm_key_ids(message: &[u8]) -> Option<(Vec<u8>, Vec<u8>, usize)> {
    use crate::mikey::{ext::ExtContent, KeyIdType, PayloadBody};
    let d = crate::mikey::decode(message);
    let m = d.message?;
    m.payloads.iter().find_map(|p| match &p.body {
        PayloadBody::Ext(e) => match &e.content {
            Some(ExtContent::KeyIds { key_ids }) => {
                let find = |t: KeyIdType| key_ids.iter().find(|k| k.key_id_type.value == t);
                let domain = find(KeyIdType::MBMS_KEY_DOMAIN_ID)?;
                let msk = find(KeyIdType::MBMS_MSK_ID)?;
                Some((
                    domain.key_id.value.to_vec(),
                    msk.key_id.value.to_vec(),
                    p.offset,
                ))
            }
            _ => None,
        },
        _ => None,
    })
}

/// Whether an element is in namespace `ns` ("" for none).
pub(crate) fn in_ns(node: Node, ns: &str) -> bool {
    node.tag_name().namespace().unwrap_or("") == ns
}

/// "in namespace X", or "in no namespace".
pub(crate) fn describe_ns(ns: &str) -> String {
    if ns.is_empty() {
        "in no namespace".to_string()
    } else {
        format!("in namespace {ns}")
    }
}

/// Every element whose local name is one of the BCAST containers a payload carries (the
/// `bcast_containers` setting, less `LTKMDelivery`, which lives inside them), whatever its
/// namespace, in document order.
pub(crate) fn bcast_top_containers<'a, 'i>(
    ctx: &'a Ctx<'a, 'i>,
) -> impl Iterator<Item = Node<'a, 'i>> + 'a {
    let names: Vec<&str> = ctx
        .settings
        .bcast_containers
        .iter()
        .map(String::as_str)
        .filter(|c| *c != "LTKMDelivery")
        .collect();
    ctx.named(&names).into_iter()
}

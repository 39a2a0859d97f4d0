//! The XML check kinds, one file each, and what they share: the status code a ResponseCode
//! carries, the BCAST containers, the key IDs an LTKM names.

pub(crate) use super::kind::{CheckKind, NeededSetting, Needs, XmlCheck};
pub(crate) use super::{text_of, Ctx, Hit};
pub(crate) use crate::rules::Selector;
pub(crate) use crate::xsd::simple::{decode_base64, parse_integer};
pub(crate) use crate::xsd::validate::display_name;
pub(crate) use roxmltree::Node;
pub(crate) use serde::Deserialize;

pub mod base64_mikey_header;
pub mod child_namespace;
pub mod decoded_length;
pub mod decoded_not_zero;
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

/// The status code an element such as ResponseCode carries ("200 OK" carries 200).
pub fn status_code(text: &str) -> Option<u16> {
    let code = text.split(' ').next()?;
    (code.len() == 3 && code.bytes().all(|b| b.is_ascii_digit()))
        .then(|| code.parse().ok())
        .flatten()
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

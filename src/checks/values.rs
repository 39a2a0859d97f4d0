//! Checks on element values: ranges, duplicates, decoded key identifiers, MIKEY headers,
//! status codes.

use super::structure::status_code;
use super::{text_of, Ctx, Hit};
use crate::rules::Selector;
use crate::xsd::simple::{decode_base64, parse_integer};

pub fn value_range(ctx: &Ctx, element: &Selector, min: i64, max: i64) -> Vec<Hit> {
    ctx.select(element)
        .filter_map(|n| {
            let v = text_of(n);
            let x = parse_integer(&v)?; // not an integer: the schema rule says so
            (x >= min as i128 && x <= max as i128).then(|| Hit::at(n).var("value", v))
        })
        .collect()
}

pub fn unique_values(ctx: &Ctx, element: &Selector) -> Vec<Hit> {
    let mut hits = Vec::new();
    for n in ctx.select(element) {
        let v = text_of(n);
        let key = parse_integer(&v).map_or(v.clone(), |x| x.to_string());
        let earlier = n
            .prev_siblings()
            .skip(1)
            .filter(|s| ctx.matches(element, *s))
            .any(|s| {
                let t = text_of(s);
                parse_integer(&t).map_or(t, |x| x.to_string()) == key
            });
        if earlier {
            hits.push(Hit::at(n).var("value", v));
        }
    }
    hits
}

pub fn decoded_length(ctx: &Ctx, element: &Selector, octets: usize) -> Vec<Hit> {
    ctx.select(element)
        .filter_map(|n| {
            let bytes = decode_base64(&text_of(n)).ok()?; // bad base64: the schema rule says so
            (bytes.len() != octets).then(|| Hit::at(n).var("value", bytes.len().to_string()))
        })
        .collect()
}

pub fn decoded_not_zero(ctx: &Ctx, element: &Selector, from: usize, to: usize) -> Vec<Hit> {
    ctx.select(element)
        .filter_map(|n| {
            let v = text_of(n);
            let bytes = decode_base64(&v).ok()?;
            let part = bytes.get(from..to)?; // too short: the length rule says so
            part.iter()
                .all(|b| *b == 0)
                .then(|| Hit::at(n).var("value", v))
        })
        .collect()
}

/// RFC 3830 6.1: version (1 octet, only 1 is defined: IANA MIKEY "Version" registry), data
/// type, next payload, V|PRF, CSB ID (4), #CS, CS ID map type: 10 octets at the least.
pub fn mikey_header(ctx: &Ctx, element: &Selector) -> Vec<Hit> {
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

pub fn status_code_form(ctx: &Ctx, element: &Selector) -> Vec<Hit> {
    ctx.select(element)
        .filter_map(|n| {
            let v = text_of(n);
            let ok = status_code(&v).is_some_and(|c| (100..=599).contains(&c));
            (!ok).then(|| Hit::at(n).var("value", v))
        })
        .collect()
}

pub fn status_code_listed(ctx: &Ctx, element: &Selector) -> Vec<Hit> {
    ctx.select(element)
        .filter_map(|n| {
            let v = text_of(n);
            let code = status_code(&v)?; // malformed: the form rule says so
            let listed = ctx.settings.status_codes.iter().any(|s| s.code == code);
            (!listed).then(|| Hit::at(n).var("value", v))
        })
        .collect()
}

pub fn status_code_used(ctx: &Ctx, element: &Selector) -> Vec<Hit> {
    ctx.select(element)
        .filter_map(|n| {
            let v = text_of(n);
            let code = status_code(&v)?;
            let not_used = ctx
                .settings
                .status_codes
                .iter()
                .any(|s| s.code == code && s.usage == "not-used");
            not_used.then(|| Hit::at(n).var("value", v))
        })
        .collect()
}

pub fn service_id_in_catalogue(ctx: &Ctx, element: &Selector) -> Vec<Hit> {
    let catalogue = &ctx.settings.purchase_catalogue;
    if catalogue.is_empty() {
        return Vec::new();
    }
    ctx.select(element)
        .filter_map(|n| {
            let v = text_of(n);
            let known = catalogue.iter().any(|p| {
                v == format!("{}{}", p.global_purchase_item_id, p.purchase_data_reference)
            });
            (!known).then(|| Hit::at(n).var("value", v))
        })
        .collect()
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

pub fn ltkm_key_matches_msk(ctx: &Ctx, element: &Selector, msk: &Selector) -> Vec<Hit> {
    let mut hits = Vec::new();
    for n in ctx.select(element) {
        let Some(response) = n.parent_element().and_then(|c| c.parent_element()) else {
            continue;
        };
        let Some(msk_node) = response.children().find(|c| ctx.matches(msk, *c)) else {
            continue;
        };
        let child = |name: &str| {
            msk_node
                .children()
                .find(|c| c.is_element() && c.tag_name().name() == name)
        };
        let (Some(kd), Some(id)) = (child("keyDomainID"), child("MSKID")) else {
            continue;
        };
        let (Ok(kd), Ok(id)) = (decode_base64(&text_of(kd)), decode_base64(&text_of(id))) else {
            continue;
        };
        let Ok(bytes) = decode_base64(&text_of(n)) else {
            continue;
        };
        let Some((ltkm_kd, ltkm_id, offset)) = ltkm_key_ids(&bytes) else {
            continue;
        };
        if ltkm_kd != kd || ltkm_id != id {
            let mut hit = Hit::at(n).var(
                "detail",
                format!(
                    "the LTKM names Key Domain ID {} / SEK/PEK ID {}, its MSK says {} / {}",
                    hex::encode(&ltkm_kd),
                    hex::encode(&ltkm_id),
                    hex::encode(&kd),
                    hex::encode(&id)
                ),
            );
            hit.byte_offset = Some(offset);
            hits.push(hit);
        }
    }
    hits
}

pub fn unique_attribute(ctx: &Ctx, element: &Selector, attribute: &str) -> Vec<Hit> {
    let mut hits = Vec::new();
    for n in ctx.select(element) {
        let Some(v) = n.attribute(attribute) else {
            continue;
        };
        let v = v.trim();
        let earlier = n
            .prev_siblings()
            .skip(1)
            .filter(|s| ctx.matches(element, *s))
            .any(|s| s.attribute(attribute).map(str::trim) == Some(v));
        if earlier {
            hits.push(Hit::at(n).var("value", v).var(
                "detail",
                format!("{attribute}=\"{v}\" is used by an earlier sibling"),
            ));
        }
    }
    hits
}

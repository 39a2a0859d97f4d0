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

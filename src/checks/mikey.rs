//! Declarative checks on a decoded MIKEY message. Each returns the byte offsets where the
//! rule is violated, with the values its message template may use.

use crate::mikey::{self, Decoded, PayloadBody, PayloadType};

/// One place in a MIKEY message where a rule is violated.
#[derive(Debug, Clone)]
pub struct MikeyHit {
    pub offset: usize,
    pub vars: Vec<(&'static str, String)>,
}

fn hit(offset: usize, vars: Vec<(&'static str, String)>) -> MikeyHit {
    MikeyHit { offset, vars }
}

/// Decoder issues of the named kinds (`WireIssue::kind`).
pub fn wire(d: &Decoded, kinds: &[String]) -> Vec<MikeyHit> {
    d.issues
        .iter()
        .filter(|i| kinds.iter().any(|k| k == i.kind()))
        .map(|i| hit(i.offset(), vec![("detail", i.to_string())]))
        .collect()
}

/// Whether the payload chain decoded completely (trailing octets aside). Checks about what
/// the message contains do not judge an incomplete one: the wire rules report that, once.
fn complete(d: &Decoded) -> bool {
    d.message.is_some()
        && d.issues.iter().all(|i| {
            matches!(
                i,
                mikey::WireIssue::TrailingData { .. } | mikey::WireIssue::UnsupportedVersion { .. }
            )
        })
}

/// A header field's value, by name.
fn header_field(h: &mikey::Header, field: &str) -> Option<(u64, usize)> {
    Some(match field {
        "version" => (h.version.value as u64, h.version.offset),
        "data_type" => (h.data_type.value.0 as u64, h.data_type.offset),
        "next_payload" => (h.next_payload.value.0 as u64, h.next_payload.offset),
        "v" => (h.v.value as u64, h.v.offset),
        "prf" => (h.prf.value.0 as u64, h.prf.offset),
        "csb_id" => (h.csb_id.value as u64, h.csb_id.offset),
        // TS 33.180: the 4 most significant bits of the CSB ID name the key type.
        "purpose_tag" => ((h.csb_id.value >> 28) as u64, h.csb_id.offset),
        "cs_count" => (h.cs_count.value as u64, h.cs_count.offset),
        "cs_id_map_type" => (h.cs_id_map_type.value.0 as u64, h.cs_id_map_type.offset),
        _ => return None,
    })
}

/// A header field is one of the allowed values.
pub fn field(d: &Decoded, field: &str, one_of: &[u64]) -> Vec<MikeyHit> {
    let Some(m) = &d.message else {
        return Vec::new();
    };
    match header_field(&m.header, field) {
        Some((v, off)) if !one_of.contains(&v) => vec![hit(off, vec![("value", v.to_string())])],
        _ => Vec::new(),
    }
}

/// Every KEMAC carries encrypted key data (Encr Data Len ≠ 0); a message without KEMAC
/// carries no key at all.
pub fn kemac_carries_key(d: &Decoded) -> Vec<MikeyHit> {
    let Some(m) = d.message.as_ref().filter(|_| complete(d)) else {
        return Vec::new();
    };
    let kemacs: Vec<_> = m
        .payloads
        .iter()
        .filter_map(|p| match &p.body {
            PayloadBody::Kemac(k) => Some(k),
            _ => None,
        })
        .collect();
    if kemacs.is_empty() {
        return vec![hit(
            m.header.offset,
            vec![("detail", "the message has no KEMAC payload".into())],
        )];
    }
    kemacs
        .iter()
        .filter(|k| k.encr_data_len.value == 0)
        .map(|k| {
            hit(
                k.encr_data_len.offset,
                vec![("detail", "KEMAC Encr Data Len is 0".into())],
            )
        })
        .collect()
}

/// The number of payloads of a type lies in `min..=max`.
pub fn payload_count(d: &Decoded, payload: u8, min: usize, max: Option<usize>) -> Vec<MikeyHit> {
    let Some(m) = d.message.as_ref().filter(|_| complete(d)) else {
        return Vec::new();
    };
    let found: Vec<_> = m.payloads_of(PayloadType(payload)).collect();
    let n = found.len();
    if n >= min && max.is_none_or(|x| n <= x) {
        return Vec::new();
    }
    let offset = found
        .get(max.unwrap_or(usize::MAX))
        .map_or(m.header.offset, |p| p.offset);
    vec![hit(
        offset,
        vec![
            ("value", n.to_string()),
            ("payload", PayloadType(payload).to_string()),
        ],
    )]
}

/// A SIGN payload has this type and signature length.
pub fn sign(d: &Decoded, sign_type: u8, length: u16) -> Vec<MikeyHit> {
    let Some(s) = d.message.as_ref().and_then(|m| m.sign()) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    if s.sign_type.value.0 != sign_type {
        out.push(hit(
            s.sign_type.offset,
            vec![(
                "detail",
                format!("S type is {}, not {sign_type}", s.sign_type.value),
            )],
        ));
    }
    if s.sig_len.value != length {
        out.push(hit(
            s.sig_len.offset,
            vec![(
                "detail",
                format!("signature length is {}, not {length}", s.sig_len.value),
            )],
        ));
    }
    out
}

/// The SAKKE payload uses these parameter set and identifier scheme values.
pub fn sakke(d: &Decoded, params: &[u8], id_scheme: &[u8]) -> Vec<MikeyHit> {
    let Some(m) = &d.message else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for p in &m.payloads {
        if let PayloadBody::Sakke(s) = &p.body {
            if !params.contains(&s.params.value.0) {
                out.push(hit(
                    s.params.offset,
                    vec![(
                        "detail",
                        format!(
                            "SAKKE params {}, expected one of {params:?}",
                            s.params.value
                        ),
                    )],
                ));
            }
            if !id_scheme.contains(&s.id_scheme.value.0) {
                out.push(hit(
                    s.id_scheme.offset,
                    vec![(
                        "detail",
                        format!(
                            "ID scheme {}, expected one of {id_scheme:?}",
                            s.id_scheme.value
                        ),
                    )],
                ));
            }
        }
    }
    out
}

/// IDR payloads with each of the `roles` groups present (a group is satisfied by any of
/// its roles).
pub fn idr_roles(d: &Decoded, roles: &[Vec<u8>]) -> Vec<MikeyHit> {
    let Some(m) = d.message.as_ref().filter(|_| complete(d)) else {
        return Vec::new();
    };
    let present: Vec<u8> = m
        .payloads
        .iter()
        .filter_map(|p| match &p.body {
            PayloadBody::Idr(i) => Some(i.role.value.0),
            _ => None,
        })
        .collect();
    roles
        .iter()
        .filter(|group| !group.iter().any(|r| present.contains(r)))
        .map(|group| {
            let names: Vec<String> = group
                .iter()
                .map(|r| mikey::IdRole(*r).to_string())
                .collect();
            hit(
                m.header.offset,
                vec![(
                    "detail",
                    format!("no IDR payload with role {}", names.join(" or ")),
                )],
            )
        })
        .collect()
}

/// In messages of the given data types, the last payload is of type `payload`.
pub fn last_payload(d: &Decoded, data_types: &[u8], payload: u8) -> Vec<MikeyHit> {
    let Some(m) = d.message.as_ref().filter(|_| complete(d)) else {
        return Vec::new();
    };
    // Only where the payload is present: its absence is another rule's business.
    if !data_types.contains(&m.header.data_type.value.0)
        || m.payloads_of(PayloadType(payload)).next().is_none()
    {
        return Vec::new();
    }
    match m.payloads.last() {
        Some(last) if last.payload_type.0 == payload => Vec::new(),
        Some(last) => vec![hit(
            last.offset,
            vec![
                ("value", last.payload_type.to_string()),
                ("payload", PayloadType(payload).to_string()),
            ],
        )],
        None => Vec::new(),
    }
}

//! Check kind `mikey_field`.

use super::*;

/// A header field (version, data_type, v, prf, csb_id, purpose_tag, cs_count,
/// cs_id_map_type), or the TS type of the first T payload (`ts_type`), has one of these
/// values.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Field {
    pub field: String,
    pub one_of: Vec<u64>,
}

impl CheckKind for Field {
    crate::check_kind_judge!(Mikey);

    fn validate(&self, _settings: &Settings) -> Result<(), String> {
        if MIKEY_FIELDS.contains(&self.field.as_str()) {
            Ok(())
        } else {
            Err(format!(
                "mikey_field names unknown field '{}' (known: {})",
                self.field,
                MIKEY_FIELDS.join(", ")
            ))
        }
    }
}

impl MikeyCheck for Field {
    fn mikey(&self, ctx: &MikeyCtx) -> Vec<MikeyHit> {
        field(ctx.decoded, &self.field, &self.one_of)
    }
}

/// A header field, or the first T payload's TS type, is one of the allowed values. A
/// message without a T payload has no TS type to judge (the payload counts judge that).
fn field(d: &Decoded, field: &str, one_of: &[u64]) -> Vec<MikeyHit> {
    let Some(m) = &d.message else {
        return Vec::new();
    };
    let found = match field {
        "ts_type" => m.payloads.iter().find_map(|p| match &p.body {
            PayloadBody::T(t) => Some((u64::from(t.ts_type.value.0), t.ts_type.offset)),
            _ => None,
        }),
        _ => header_field(&m.header, field),
    };
    match found {
        Some((v, off)) if !one_of.contains(&v) => vec![hit(off, vec![("value", v.to_string())])],
        _ => Vec::new(),
    }
}

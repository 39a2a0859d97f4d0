//! Check kind `mikey_field`.

use super::*;

/// A header field (version, data_type, v, prf, csb_id, purpose_tag, cs_count,
/// cs_id_map_type) has one of these values.
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

/// A header field is one of the allowed values.
fn field(d: &Decoded, field: &str, one_of: &[u64]) -> Vec<MikeyHit> {
    let Some(m) = &d.message else {
        return Vec::new();
    };
    match header_field(&m.header, field) {
        Some((v, off)) if !one_of.contains(&v) => vec![hit(off, vec![("value", v.to_string())])],
        _ => Vec::new(),
    }
}

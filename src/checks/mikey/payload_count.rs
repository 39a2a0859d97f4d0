//! Check kind `mikey_payload_count`.

use super::*;

/// The number of payloads of this type lies in `min..=max`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PayloadCount {
    pub payload: u8,
    pub min: usize,
    #[serde(default)]
    pub max: Option<usize>,
}

impl CheckKind for PayloadCount {
    crate::check_kind_judge!(Mikey);
}

impl MikeyCheck for PayloadCount {
    fn mikey(&self, ctx: &MikeyCtx) -> Vec<MikeyHit> {
        payload_count(ctx.decoded, self.payload, self.min, self.max)
    }
}

/// The number of payloads of a type lies in `min..=max`.
fn payload_count(d: &Decoded, payload: u8, min: usize, max: Option<usize>) -> Vec<MikeyHit> {
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

//! Check kind `mikey_last_payload`.

use super::*;

/// In messages of these data types, the last payload is of this type.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LastPayload {
    pub data_types: Vec<u8>,
    pub payload: u8,
}

impl CheckKind for LastPayload {
    crate::check_kind_judge!(Mikey);
}

impl MikeyCheck for LastPayload {
    fn mikey(&self, ctx: &MikeyCtx) -> Vec<MikeyHit> {
        last_payload(ctx.decoded, &self.data_types, self.payload)
    }
}

/// In messages of the given data types, the last payload is of type `payload`.
fn last_payload(d: &Decoded, data_types: &[u8], payload: u8) -> Vec<MikeyHit> {
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

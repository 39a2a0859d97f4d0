//! Check kind `mikey_kemac_carries_key`.

use super::*;

/// There is a KEMAC and every KEMAC's Encr Data Len is not 0.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KemacCarriesKey {
    /// Judge only messages delivered this way (BCAST-DLV-08 holds for LTKMs in HTTP
    /// responses; over UDP or SMS an LTKM without a key is a legitimate trigger).
    #[serde(default)]
    pub delivered: Option<Delivery>,
}

impl CheckKind for KemacCarriesKey {
    crate::check_kind_judge!(Mikey);

    fn needs(&self) -> crate::checks::kind::Needs {
        crate::checks::kind::Needs {
            delivery: self.delivered,
            ..Default::default()
        }
    }
}

impl MikeyCheck for KemacCarriesKey {
    fn mikey(&self, ctx: &MikeyCtx) -> Vec<MikeyHit> {
        kemac_carries_key(ctx.decoded)
    }
}

/// Every KEMAC carries encrypted key data (Encr Data Len ≠ 0); a message without KEMAC
/// carries no key at all.
fn kemac_carries_key(d: &Decoded) -> Vec<MikeyHit> {
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

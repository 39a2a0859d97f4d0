//! Check kind `ltkm_key_matches_msk`.

use super::*;
use crate::value::KeyIdType;

/// Each LTKM names (RFC 4563 Key ID extension) the Key Domain ID and SEK/PEK ID of the
/// `MSK` beside its container.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LtkmKeyMatchesMsk {
    pub element: Selector,
    pub msk: Selector,
}

impl CheckKind for LtkmKeyMatchesMsk {
    crate::check_kind_judge!(Xml);

    fn selectors(&self) -> Vec<&Selector> {
        vec![&self.element, &self.msk]
    }
}

impl XmlCheck for LtkmKeyMatchesMsk {
    fn xml(&self, ctx: &Ctx) -> Vec<Hit> {
        ltkm_key_matches_msk(ctx, &self.element, &self.msk)
    }
}

fn ltkm_key_matches_msk(ctx: &Ctx, element: &Selector, msk: &Selector) -> Vec<Hit> {
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
        // Compared as numbers: a Key ID spelled wider, with leading zeros, is the same key
        // (the width is MBMS-KEY-02's and MBMS-KEY-03's to judge, once).
        let same = KeyIdType::KeyDomain.same(&ltkm_kd, &kd) && KeyIdType::Msk.same(&ltkm_id, &id);
        if !same {
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

//! Check kind `mikey_sign`.

use super::*;

/// The SIGN payload has this S type and signature length.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sign {
    pub sign_type: u8,
    pub length: u16,
}

impl CheckKind for Sign {
    crate::check_kind_judge!(Mikey);
}

impl MikeyCheck for Sign {
    fn mikey(&self, ctx: &MikeyCtx) -> Vec<MikeyHit> {
        sign(ctx.decoded, self.sign_type, self.length)
    }
}

/// A SIGN payload has this type and signature length.
fn sign(d: &Decoded, sign_type: u8, length: u16) -> Vec<MikeyHit> {
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

//! Check kind `mikey_sakke`.

use super::*;

/// The SAKKE payload has this parameter set and identifier scheme.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sakke {
    pub params: Vec<u8>,
    pub id_scheme: Vec<u8>,
}

impl CheckKind for Sakke {
    crate::check_kind_judge!(Mikey);
}

impl MikeyCheck for Sakke {
    fn mikey(&self, ctx: &MikeyCtx) -> Vec<MikeyHit> {
        sakke(ctx.decoded, &self.params, &self.id_scheme)
    }
}

/// The SAKKE payload uses these parameter set and identifier scheme values.
fn sakke(d: &Decoded, params: &[u8], id_scheme: &[u8]) -> Vec<MikeyHit> {
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

//! Check kind `mikey_idr_roles`.

use super::*;

/// For each group of roles, an IDR payload with one of them is present.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IdrRoles {
    pub roles: Vec<Vec<u8>>,
}

impl CheckKind for IdrRoles {
    crate::check_kind_judge!(Mikey);
}

impl MikeyCheck for IdrRoles {
    fn mikey(&self, ctx: &MikeyCtx) -> Vec<MikeyHit> {
        idr_roles(ctx.decoded, &self.roles)
    }
}

/// IDR payloads with each of the `roles` groups present (a group is satisfied by any of
/// its roles).
fn idr_roles(d: &Decoded, roles: &[Vec<u8>]) -> Vec<MikeyHit> {
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

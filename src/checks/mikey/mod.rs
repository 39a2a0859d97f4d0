//! The MIKEY check kinds, one file each, and what they share. Each returns the byte offsets
//! where the rule is violated, with the values its message template may use.

pub(crate) use super::kind::{CheckKind, Delivery, MikeyCheck};
pub(crate) use crate::mikey::{self, Decoded, PayloadBody, PayloadType};
pub(crate) use crate::settings::Settings;
pub(crate) use serde::Deserialize;

pub mod field;
pub mod idr_roles;
pub mod initiator_psi;
pub mod kemac_carries_key;
pub mod key_expected;
pub mod keyed;
pub mod last_payload;
pub mod payload_count;
pub mod psk_decrypts;
pub mod psk_mac;
pub mod sakke;
pub mod sakke_decapsulates;
pub mod sakke_signature;
pub mod sign;
pub mod uid_derived;
pub mod wire;

/// What a MIKEY check may look at.
pub struct MikeyCtx<'a, 'm> {
    pub decoded: &'a Decoded<'m>,
    /// How the message was delivered, when the input says so.
    pub delivery: Option<Delivery>,
    pub settings: &'a Settings,
    /// The MIKEY-SAKKE verification with the keyring, worked out by the first rule that
    /// asks (`keyed::sakke_view`): it costs three pairings, and four rules ask.
    pub(crate) sakke: std::cell::OnceCell<Result<keyed::SakkeView<'a>, String>>,
}

/// One place in a MIKEY message where a rule is violated.
#[derive(Debug, Clone)]
pub struct MikeyHit {
    pub offset: usize,
    pub vars: Vec<(&'static str, String)>,
    /// The provisional reading the finding rests on, if any: it is then reported as
    /// provisional whatever its rule's status.
    pub rests_on: Option<String>,
}

pub(crate) fn hit(offset: usize, vars: Vec<(&'static str, String)>) -> MikeyHit {
    MikeyHit {
        offset,
        vars,
        rests_on: None,
    }
}

impl MikeyHit {
    pub(crate) fn resting_on(mut self, reading: Option<String>) -> MikeyHit {
        self.rests_on = reading;
        self
    }
}

/// Whether the payload chain decoded completely (trailing octets aside). Checks about what
/// the message contains do not judge an incomplete one: the wire rules report that, once.
pub(crate) fn complete(d: &Decoded) -> bool {
    d.message.is_some()
        && d.issues.iter().all(|i| {
            matches!(
                i,
                mikey::WireIssue::TrailingData { .. } | mikey::WireIssue::UnsupportedVersion { .. }
            )
        })
}

/// A header field's value, by name.
pub(crate) fn header_field(h: &mikey::Header, field: &str) -> Option<(u64, usize)> {
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

/// Header fields `mikey_field` can name.
pub const MIKEY_FIELDS: &[&str] = &[
    "version",
    "data_type",
    "next_payload",
    "v",
    "prf",
    "csb_id",
    "purpose_tag",
    "cs_count",
    "cs_id_map_type",
    // Not the header's: the TS type of the first T payload (field.rs).
    "ts_type",
];

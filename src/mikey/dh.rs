//! DH payload (type 3), RFC 3830 §6.4.

use super::codes::{DhGroup, KvType, PayloadType};
use super::field::Field;
use super::issue::WireIssue;
use super::key_data::KeyValidity;
use super::reader::Reader;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Dh<'a> {
    pub group: Field<DhGroup>,
    /// DH value; its length follows from the group.
    pub value: Field<&'a [u8]>,
    /// Reserved (4 MSBs).
    pub reserved: Field<u8>,
    pub kv_type: Field<KvType>,
    pub kv: KeyValidity<'a>,
}

impl<'a> Dh<'a> {
    pub(crate) fn parse(r: &mut Reader<'a>, start: usize) -> Result<Self, WireIssue> {
        let g = r.u8("DH group")?;
        let group = DhGroup(g.value);
        let n = group.value_len().ok_or(WireIssue::UndecodablePayload {
            offset: start,
            payload_type: PayloadType::DH.0,
            reason: "unknown DH group: the DH value length is unknown",
        })?;
        let value = r.take(n, "DH value")?;
        let rk = r.u8("DH reserved/KV")?;
        let kv_type = KvType(rk.value & 0x0f);
        let kv = KeyValidity::parse(r, kv_type, start, PayloadType::DH.0)?;
        Ok(Dh {
            group: g.with(group),
            value,
            reserved: rk.with(rk.value >> 4),
            kv_type: rk.with(kv_type),
            kv,
        })
    }
}

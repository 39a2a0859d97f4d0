//! IDR payload, ID with role (type 14), RFC 6043 §6.6.

use super::codes::{IdRole, IdType};
use super::field::Field;
use super::issue::WireIssue;
use super::reader::Reader;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Idr<'a> {
    pub role: Field<IdRole>,
    pub id_type: Field<IdType>,
    pub id_len: Field<u16>,
    pub id: Field<&'a [u8]>,
}

impl<'a> Idr<'a> {
    pub(crate) fn parse(r: &mut Reader<'a>) -> Result<Self, WireIssue> {
        let role = r.u8("IDR role")?;
        let t = r.u8("IDR ID type")?;
        let l = r.u16("IDR ID len")?;
        let id = r.take_declared(l.value as usize, "IDR ID data", l.offset)?;
        Ok(Idr {
            role: role.with(IdRole(role.value)),
            id_type: t.with(IdType(t.value)),
            id_len: l,
            id,
        })
    }
}

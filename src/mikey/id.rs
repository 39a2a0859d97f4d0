//! ID payload (type 6), RFC 3830 §6.7.

use super::codes::IdType;
use super::field::Field;
use super::issue::WireIssue;
use super::reader::Reader;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Id<'a> {
    pub id_type: Field<IdType>,
    pub id_len: Field<u16>,
    pub id: Field<&'a [u8]>,
}

impl<'a> Id<'a> {
    pub(crate) fn parse(r: &mut Reader<'a>) -> Result<Self, WireIssue> {
        let t = r.u8("ID type")?;
        let l = r.u16("ID len")?;
        let id = r.take_declared(l.value as usize, "ID data", l.offset)?;
        Ok(Id {
            id_type: t.with(IdType(t.value)),
            id_len: l,
            id,
        })
    }
}

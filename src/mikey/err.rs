//! ERR payload (type 12), RFC 3830 §6.12.

use super::codes::ErrorCode;
use super::field::Field;
use super::issue::WireIssue;
use super::reader::Reader;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ErrPayload {
    pub error_no: Field<ErrorCode>,
    pub reserved: Field<u16>,
}

impl ErrPayload {
    pub(crate) fn parse(r: &mut Reader<'_>) -> Result<Self, WireIssue> {
        let e = r.u8("ERR error no")?;
        let reserved = r.u16("ERR reserved")?;
        Ok(ErrPayload {
            error_no: e.with(ErrorCode(e.value)),
            reserved,
        })
    }
}

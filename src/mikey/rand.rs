//! RAND payload (type 11), RFC 3830 §6.11, and RANDR (type 15), RFC 6043 §6.8.

use super::codes::RandRole;
use super::field::Field;
use super::issue::WireIssue;
use super::reader::Reader;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Rand<'a> {
    pub rand_len: Field<u8>,
    pub rand: Field<&'a [u8]>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RandWithRole<'a> {
    pub role: Field<RandRole>,
    pub rand_len: Field<u8>,
    pub rand: Field<&'a [u8]>,
}

impl<'a> Rand<'a> {
    pub(crate) fn parse(r: &mut Reader<'a>) -> Result<Self, WireIssue> {
        let l = r.u8("RAND len")?;
        let rand = r.take_declared(l.value as usize, "RAND", l.offset)?;
        Ok(Rand { rand_len: l, rand })
    }
}

impl<'a> RandWithRole<'a> {
    pub(crate) fn parse(r: &mut Reader<'a>) -> Result<Self, WireIssue> {
        let role = r.u8("RANDR role")?;
        let l = r.u8("RANDR len")?;
        let rand = r.take_declared(l.value as usize, "RANDR RAND", l.offset)?;
        Ok(RandWithRole {
            role: role.with(RandRole(role.value)),
            rand_len: l,
            rand,
        })
    }
}

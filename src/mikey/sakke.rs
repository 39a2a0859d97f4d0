//! SAKKE payload (type 26), RFC 6509 §4.2.

use super::codes::{SakkeIdScheme, SakkeParams};
use super::field::{Field, Secret};
use super::issue::WireIssue;
use super::reader::Reader;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Sakke<'a> {
    pub params: Field<SakkeParams>,
    pub id_scheme: Field<SakkeIdScheme>,
    pub data_len: Field<u16>,
    /// SAKKE encapsulated data (04 || Rx || Ry || H); rendered redacted.
    pub data: Field<Secret<'a>>,
}

impl<'a> Sakke<'a> {
    pub(crate) fn parse(r: &mut Reader<'a>) -> Result<Self, WireIssue> {
        let p = r.u8("SAKKE params")?;
        let s = r.u8("SAKKE ID scheme")?;
        let l = r.u16("SAKKE data length")?;
        let d = r.take_declared(l.value as usize, "SAKKE data", l.offset)?;
        Ok(Sakke {
            params: p.with(SakkeParams(p.value)),
            id_scheme: s.with(SakkeIdScheme(s.value)),
            data_len: l,
            data: d.with(Secret(d.value)),
        })
    }
}

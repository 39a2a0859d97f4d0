//! PKE payload (type 2), RFC 3830 §6.3.

use super::codes::PkeCache;
use super::field::{Field, Opaque};
use super::issue::WireIssue;
use super::reader::Reader;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Pke<'a> {
    /// C (2 MSBs).
    pub cache: Field<PkeCache>,
    /// Data len (14 bits).
    pub data_len: Field<u16>,
    /// Envelope key encrypted with the responder's public key.
    pub data: Field<Opaque<'a>>,
}

impl<'a> Pke<'a> {
    pub(crate) fn parse(r: &mut Reader<'a>) -> Result<Self, WireIssue> {
        let cl = r.u16("PKE C/data len")?;
        let n = (cl.value & 0x3fff) as usize;
        let data = r.take_declared(n, "PKE data", cl.offset)?;
        Ok(Pke {
            cache: cl.with(PkeCache((cl.value >> 14) as u8)),
            data_len: cl.with(cl.value & 0x3fff),
            data: data.with(Opaque(data.value)),
        })
    }
}

//! SIGN payload (type 4), RFC 3830 §6.5 and RFC 6509 §4.3. It has no
//! next-payload octet and always ends the chain.

use super::codes::SignType;
use super::field::Field;
use super::issue::WireIssue;
use super::reader::Reader;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Sign<'a> {
    /// S type (4 MSBs).
    pub sign_type: Field<SignType>,
    /// Signature len (12 bits).
    pub sig_len: Field<u16>,
    pub signature: Field<&'a [u8]>,
}

impl<'a> Sign<'a> {
    pub(crate) fn parse(r: &mut Reader<'a>) -> Result<Self, WireIssue> {
        let h = r.u16("SIGN S type/signature len")?;
        let n = h.value & 0x0fff;
        let signature = r.take_declared(n as usize, "SIGN signature", h.offset)?;
        Ok(Sign {
            sign_type: h.with(SignType((h.value >> 12) as u8)),
            sig_len: h.with(n),
            signature,
        })
    }
}

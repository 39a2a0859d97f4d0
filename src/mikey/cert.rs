//! CERT payload (type 7), RFC 3830 §6.7.

use super::codes::CertType;
use super::field::Field;
use super::issue::WireIssue;
use super::reader::Reader;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Cert<'a> {
    pub cert_type: Field<CertType>,
    pub cert_len: Field<u16>,
    pub cert: Field<&'a [u8]>,
}

impl<'a> Cert<'a> {
    pub(crate) fn parse(r: &mut Reader<'a>) -> Result<Self, WireIssue> {
        let t = r.u8("CERT type")?;
        let l = r.u16("CERT len")?;
        let cert = r.take_declared(l.value as usize, "CERT data", l.offset)?;
        Ok(Cert {
            cert_type: t.with(CertType(t.value)),
            cert_len: l,
            cert,
        })
    }
}

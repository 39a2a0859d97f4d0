//! V payload, verification (type 9), RFC 3830 §6.9.

use super::codes::{MacAlg, PayloadType};
use super::field::Field;
use super::issue::WireIssue;
use super::reader::Reader;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Verification<'a> {
    pub auth_alg: Field<MacAlg>,
    pub ver_data: Field<&'a [u8]>,
}

impl<'a> Verification<'a> {
    pub(crate) fn parse(
        r: &mut Reader<'a>,
        start: usize,
        np: PayloadType,
    ) -> Result<Self, WireIssue> {
        let a = r.u8("V auth alg")?;
        let alg = MacAlg(a.value);
        let ver_data = match alg.mac_len() {
            Some(n) => r.take(n, "V verification data")?,
            None if np == PayloadType::LAST => r.take_rest("V verification data"),
            None => {
                return Err(WireIssue::UndecodablePayload {
                    offset: start,
                    payload_type: PayloadType::V.0,
                    reason: "unknown auth algorithm: the verification data length is unknown",
                })
            }
        };
        Ok(Verification {
            auth_alg: a.with(alg),
            ver_data,
        })
    }
}

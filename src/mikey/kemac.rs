//! KEMAC payload (type 1), RFC 3830 §6.2.

use super::codes::{EncrAlg, MacAlg, PayloadType};
use super::field::{Field, Secret};
use super::issue::WireIssue;
use super::key_data::{self, KeyData};
use super::reader::Reader;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Kemac<'a> {
    pub encr_alg: Field<EncrAlg>,
    pub encr_data_len: Field<u16>,
    /// Always rendered redacted: with NULL encryption it is plaintext keys.
    pub encr_data: Field<Secret<'a>>,
    /// Key data sub-payloads, decoded only when the encryption is NULL.
    pub key_data: Option<Vec<KeyData<'a>>>,
    pub mac_alg: Field<MacAlg>,
    pub mac: Field<&'a [u8]>,
}

impl<'a> Kemac<'a> {
    pub(crate) fn parse(
        r: &mut Reader<'a>,
        start: usize,
        np: PayloadType,
        issues: &mut Vec<WireIssue>,
    ) -> Result<Self, WireIssue> {
        let ea = r.u8("KEMAC encr alg")?;
        let len = r.u16("KEMAC encr data len")?;
        let data = r.take_declared(len.value as usize, "KEMAC encr data", len.offset)?;
        let encr_alg = EncrAlg(ea.value);
        let key_data = if encr_alg == EncrAlg::NULL {
            let mut sr = Reader::with_base(data.value, data.offset);
            match key_data::parse_chain(&mut sr) {
                Ok(v) => Some(v),
                Err(e) => {
                    issues.push(e);
                    None
                }
            }
        } else {
            None
        };
        let ma = r.u8("KEMAC MAC alg")?;
        let mac_alg = MacAlg(ma.value);
        let mac = match mac_alg.mac_len() {
            Some(n) => r.take(n, "KEMAC MAC")?,
            None if np == PayloadType::LAST => r.take_rest("KEMAC MAC"),
            None => {
                return Err(WireIssue::UndecodablePayload {
                    offset: start,
                    payload_type: PayloadType::KEMAC.0,
                    reason: "unknown MAC algorithm: the MAC length is unknown",
                })
            }
        };
        Ok(Kemac {
            encr_alg: ea.with(encr_alg),
            encr_data_len: len,
            encr_data: data.with(Secret(data.value)),
            key_data,
            mac_alg: ma.with(mac_alg),
            mac,
        })
    }
}

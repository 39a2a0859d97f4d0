//! CHASH payload (type 8), RFC 3830 §6.8 / RFC 6043 §6.7.

use super::codes::{HashFunc, PayloadType};
use super::field::Field;
use super::issue::WireIssue;
use super::reader::Reader;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Chash<'a> {
    pub hash_func: Field<HashFunc>,
    pub hash: Field<&'a [u8]>,
}

impl<'a> Chash<'a> {
    pub(crate) fn parse(
        r: &mut Reader<'a>,
        start: usize,
        np: PayloadType,
    ) -> Result<Self, WireIssue> {
        let h = r.u8("CHASH hash func")?;
        let hf = HashFunc(h.value);
        let hash = match hf.hash_len() {
            Some(n) => r.take(n, "CHASH hash")?,
            None if np == PayloadType::LAST => r.take_rest("CHASH hash"),
            None => {
                return Err(WireIssue::UndecodablePayload {
                    offset: start,
                    payload_type: PayloadType::CHASH.0,
                    reason: "unknown hash function: the hash length is unknown",
                })
            }
        };
        Ok(Chash {
            hash_func: h.with(hf),
            hash,
        })
    }
}

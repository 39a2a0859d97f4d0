//! Key data sub-payload (type 20), RFC 3830 §6.13, and key validity data (§6.14).

use super::codes::{KeyDataType, KvType, PayloadType};
use super::field::{Field, Secret};
use super::issue::WireIssue;
use super::reader::Reader;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct KeyData<'a> {
    pub offset: usize,
    pub len: usize,
    pub next_payload: Field<PayloadType>,
    pub key_type: Field<KeyDataType>,
    pub kv_type: Field<KvType>,
    pub key_len: Field<u16>,
    pub key: Field<Secret<'a>>,
    pub salt_len: Option<Field<u16>>,
    pub salt: Option<Field<Secret<'a>>>,
    pub kv: KeyValidity<'a>,
}

/// KV data, RFC 3830 §6.14.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum KeyValidity<'a> {
    Null,
    Spi {
        spi_len: Field<u8>,
        spi: Field<&'a [u8]>,
    },
    Interval {
        vf_len: Field<u8>,
        valid_from: Field<&'a [u8]>,
        vt_len: Field<u8>,
        valid_to: Field<&'a [u8]>,
    },
}

impl<'a> KeyValidity<'a> {
    /// Parses KV data for `kv`; `payload_offset`/`payload_type` name the
    /// containing payload in the error for unknown KV types.
    pub(crate) fn parse(
        r: &mut Reader<'a>,
        kv: KvType,
        payload_offset: usize,
        payload_type: u8,
    ) -> Result<Self, WireIssue> {
        match kv {
            KvType::NULL => Ok(KeyValidity::Null),
            KvType::SPI => {
                let spi_len = r.u8("KV SPI length")?;
                let spi = r.take_declared(spi_len.value as usize, "KV SPI/MKI", spi_len.offset)?;
                Ok(KeyValidity::Spi { spi_len, spi })
            }
            KvType::INTERVAL => {
                let vf_len = r.u8("KV VF length")?;
                let valid_from =
                    r.take_declared(vf_len.value as usize, "KV Valid From", vf_len.offset)?;
                let vt_len = r.u8("KV VT length")?;
                let valid_to =
                    r.take_declared(vt_len.value as usize, "KV Valid To", vt_len.offset)?;
                Ok(KeyValidity::Interval {
                    vf_len,
                    valid_from,
                    vt_len,
                    valid_to,
                })
            }
            _ => Err(WireIssue::UndecodablePayload {
                offset: payload_offset,
                payload_type,
                reason: "unknown KV type: the length of the KV data is unknown",
            }),
        }
    }
}

impl<'a> KeyData<'a> {
    /// Parses one key data sub-payload including its next-payload octet.
    pub(crate) fn parse(r: &mut Reader<'a>) -> Result<Self, WireIssue> {
        let start = r.offset();
        let np = r.u8("key data next payload")?;
        let tkv = r.u8("key data type/KV")?;
        let key_type = KeyDataType(tkv.value >> 4);
        let kv_type = KvType(tkv.value & 0x0f);
        let key_len = r.u16("key data length")?;
        let key = r.take_declared(key_len.value as usize, "key data", key_len.offset)?;
        let (salt_len, salt) = if key_type.has_salt() {
            let sl = r.u16("salt length")?;
            let s = r.take_declared(sl.value as usize, "salt data", sl.offset)?;
            (Some(sl), Some(s.with(Secret(s.value))))
        } else {
            (None, None)
        };
        let kv = KeyValidity::parse(r, kv_type, start, PayloadType::KEY_DATA.0)?;
        Ok(KeyData {
            offset: start,
            len: r.offset() - start,
            next_payload: np.with(PayloadType(np.value)),
            key_type: tkv.with(key_type),
            kv_type: tkv.with(kv_type),
            key_len,
            key: key.with(Secret(key.value)),
            salt_len,
            salt,
            kv,
        })
    }
}

/// Parses a chain of key data sub-payloads that must use all of `r`.
pub(crate) fn parse_chain<'a>(r: &mut Reader<'a>) -> Result<Vec<KeyData<'a>>, WireIssue> {
    let total = r.remaining();
    let start = r.offset();
    let mut out = Vec::new();
    loop {
        if out.len() >= super::MAX_PAYLOADS {
            return Err(WireIssue::TooManyPayloads {
                offset: r.offset(),
                limit: super::MAX_PAYLOADS,
            });
        }
        let kd = KeyData::parse(r)?;
        let more = kd.next_payload.value == PayloadType::KEY_DATA;
        out.push(kd);
        if !more || r.is_empty() {
            break;
        }
    }
    if !r.is_empty() {
        return Err(WireIssue::LengthMismatch {
            what: "KEMAC encr data (key data sub-payloads)",
            offset: start,
            declared: total,
            used: total - r.remaining(),
        });
    }
    Ok(out)
}

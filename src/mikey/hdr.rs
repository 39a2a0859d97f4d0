//! Common Header (HDR), RFC 3830 §6.1, with the CS ID map layouts of
//! RFC 3830 §6.1.1 (SRTP-ID), RFC 4563 §5 (empty map) and RFC 6043 §6.1.1
//! (GENERIC-ID).

use super::codes::{CsIdMapType, DataType, PayloadType, PrfFunc, ProtType};
use super::field::Field;
use super::issue::WireIssue;
use super::reader::Reader;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Header<'a> {
    pub offset: usize,
    pub len: usize,
    pub version: Field<u8>,
    pub data_type: Field<DataType>,
    pub next_payload: Field<PayloadType>,
    /// V flag (MSB of octet 3).
    pub v: Field<bool>,
    /// PRF func (7 LSBs of octet 3).
    pub prf: Field<PrfFunc>,
    pub csb_id: Field<u32>,
    /// #CS.
    pub cs_count: Field<u8>,
    pub cs_id_map_type: Field<CsIdMapType>,
    pub cs_id_map: CsIdMap<'a>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", content = "entries", rename_all = "snake_case")]
pub enum CsIdMap<'a> {
    SrtpId(Vec<SrtpIdEntry>),
    Empty,
    GenericId(Vec<GenericIdEntry<'a>>),
    /// Map info of an unknown map type, kept only when its length is knowable
    /// (the HDR is the last payload, so the map info is the rest of the data).
    Raw(Field<&'a [u8]>),
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SrtpIdEntry {
    pub offset: usize,
    pub len: usize,
    pub policy_no: Field<u8>,
    pub ssrc: Field<u32>,
    pub roc: Field<u32>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GenericIdEntry<'a> {
    pub offset: usize,
    pub len: usize,
    pub cs_id: Field<u8>,
    pub prot_type: Field<ProtType>,
    /// S flag: session data carries ROC and SEQ.
    pub s: Field<bool>,
    /// #P (7 bits).
    pub p_count: Field<u8>,
    pub policies: Vec<Field<u8>>,
    pub session_data_len: Field<u16>,
    pub session_data: Field<&'a [u8]>,
    /// SRTP session data decoded (Prot type SRTP, 4 or 10 octets).
    pub srtp_session: Option<SrtpSessionData>,
    pub spi_len: Field<u8>,
    pub spi: Field<&'a [u8]>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SrtpSessionData {
    pub ssrc: Field<u32>,
    pub roc: Option<Field<u32>>,
    pub seq: Option<Field<u16>>,
}

impl<'a> Header<'a> {
    pub(crate) fn parse(
        r: &mut Reader<'a>,
        issues: &mut Vec<WireIssue>,
    ) -> Result<Self, WireIssue> {
        let start = r.offset();
        let version = r.u8("HDR version")?;
        if version.value != 1 {
            issues.push(WireIssue::UnsupportedVersion {
                offset: version.offset,
                value: version.value,
            });
        }
        let data_type = r.u8("HDR data type")?;
        let next_payload = r.u8("HDR next payload")?;
        let vprf = r.u8("HDR V/PRF")?;
        let csb_id = r.u32("HDR CSB ID")?;
        let cs_count = r.u8("HDR #CS")?;
        let map_type = r.u8("HDR CS ID map type")?;
        let mt = CsIdMapType(map_type.value);
        let cs_id_map = match mt {
            CsIdMapType::SRTP_ID => {
                let mut v = Vec::new();
                for _ in 0..cs_count.value {
                    let eo = r.offset();
                    let policy_no = r.u8("SRTP-ID Policy_no")?;
                    let ssrc = r.u32("SRTP-ID SSRC")?;
                    let roc = r.u32("SRTP-ID ROC")?;
                    v.push(SrtpIdEntry {
                        offset: eo,
                        len: 9,
                        policy_no,
                        ssrc,
                        roc,
                    });
                }
                CsIdMap::SrtpId(v)
            }
            CsIdMapType::EMPTY => CsIdMap::Empty,
            CsIdMapType::GENERIC_ID => {
                let mut v = Vec::new();
                for _ in 0..cs_count.value {
                    v.push(GenericIdEntry::parse(r, issues)?);
                }
                CsIdMap::GenericId(v)
            }
            _ => {
                if next_payload.value == 0 {
                    CsIdMap::Raw(r.take_rest("CS ID map info"))
                } else {
                    return Err(WireIssue::UnknownCsIdMapType {
                        offset: map_type.offset,
                        value: map_type.value,
                    });
                }
            }
        };
        Ok(Header {
            offset: start,
            len: r.offset() - start,
            version,
            data_type: data_type.with(DataType(data_type.value)),
            next_payload: next_payload.with(PayloadType(next_payload.value)),
            v: vprf.with(vprf.value & 0x80 != 0),
            prf: vprf.with(PrfFunc(vprf.value & 0x7f)),
            csb_id,
            cs_count,
            cs_id_map_type: map_type.with(mt),
            cs_id_map,
        })
    }
}

impl<'a> GenericIdEntry<'a> {
    fn parse(r: &mut Reader<'a>, issues: &mut Vec<WireIssue>) -> Result<Self, WireIssue> {
        let eo = r.offset();
        let cs_id = r.u8("GENERIC-ID CS ID")?;
        let prot = r.u8("GENERIC-ID Prot type")?;
        let sp = r.u8("GENERIC-ID S/#P")?;
        let mut policies = Vec::new();
        for _ in 0..(sp.value & 0x7f) {
            policies.push(r.u8("GENERIC-ID policy number")?);
        }
        let sdl = r.u16("GENERIC-ID Session Data Length")?;
        let session_data =
            r.take_declared(sdl.value as usize, "GENERIC-ID Session Data", sdl.offset)?;
        let s = sp.value & 0x80 != 0;
        let prot_type = ProtType(prot.value);
        let srtp_session = if prot_type == ProtType::SRTP && !session_data.value.is_empty() {
            let expect = if s { 10 } else { 4 };
            let mut sr = Reader::with_base(session_data.value, session_data.offset);
            if session_data.len != expect {
                issues.push(WireIssue::LengthMismatch {
                    what: "GENERIC-ID SRTP session data",
                    offset: sdl.offset,
                    declared: session_data.len,
                    used: expect,
                });
                None
            } else {
                // lengths checked above, so these cannot fail
                let ssrc = sr.u32("SSRC")?;
                let (roc, seq) = if s {
                    (Some(sr.u32("ROC")?), Some(sr.u16("SEQ")?))
                } else {
                    (None, None)
                };
                Some(SrtpSessionData { ssrc, roc, seq })
            }
        } else {
            None
        };
        let spi_len = r.u8("GENERIC-ID SPI Length")?;
        let spi = r.take_declared(spi_len.value as usize, "GENERIC-ID SPI", spi_len.offset)?;
        Ok(GenericIdEntry {
            offset: eo,
            len: r.offset() - eo,
            cs_id,
            prot_type: prot.with(prot_type),
            s: sp.with(s),
            p_count: sp.with(sp.value & 0x7f),
            policies,
            session_data_len: sdl,
            session_data,
            srtp_session,
            spi_len,
            spi,
        })
    }
}

//! SP payload, security policy (type 10), RFC 3830 §6.10.

use super::codes::{ProtType, SrtpParamType};
use super::field::Field;
use super::issue::WireIssue;
use super::reader::Reader;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SecurityPolicy<'a> {
    pub policy_no: Field<u8>,
    pub prot_type: Field<ProtType>,
    pub params_len: Field<u16>,
    /// The whole parameter block as sent.
    pub params_raw: Field<&'a [u8]>,
    /// The parameters; `None` when the block is not a well-formed
    /// Type/Length/Value list (an issue is recorded).
    pub params: Option<Vec<SpParam<'a>>>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SpParam<'a> {
    pub offset: usize,
    pub len: usize,
    /// Parameter type (its meaning depends on the Prot type).
    pub param_type: Field<u8>,
    /// Name of the parameter type for Prot type SRTP.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<&'static str>,
    pub param_len: Field<u8>,
    pub param_value: Field<&'a [u8]>,
}

impl SpParam<'_> {
    /// Value as a big-endian integer when it has 1 to 8 octets.
    pub fn as_uint(&self) -> Option<u64> {
        let v = self.param_value.value;
        if v.is_empty() || v.len() > 8 {
            return None;
        }
        Some(v.iter().fold(0u64, |a, b| (a << 8) | *b as u64))
    }
}

impl<'a> SecurityPolicy<'a> {
    pub(crate) fn parse(
        r: &mut Reader<'a>,
        issues: &mut Vec<WireIssue>,
    ) -> Result<Self, WireIssue> {
        let pn = r.u8("SP policy no")?;
        let pt = r.u8("SP prot type")?;
        let l = r.u16("SP policy param length")?;
        let raw = r.take_declared(l.value as usize, "SP policy params", l.offset)?;
        let prot = ProtType(pt.value);
        let mut sr = Reader::with_base(raw.value, raw.offset);
        let mut params = Vec::new();
        let mut ok = true;
        while !sr.is_empty() {
            let res = (|| {
                let o = sr.offset();
                let t = sr.u8("SP param type")?;
                let pl = sr.u8("SP param length")?;
                let v = sr.take_declared(pl.value as usize, "SP param value", pl.offset)?;
                Ok::<_, WireIssue>(SpParam {
                    offset: o,
                    len: 2 + v.len,
                    param_type: t,
                    name: if prot == ProtType::SRTP {
                        SrtpParamType(t.value).name()
                    } else {
                        None
                    },
                    param_len: pl,
                    param_value: v,
                })
            })();
            match res {
                Ok(p) => params.push(p),
                Err(e) => {
                    issues.push(e);
                    ok = false;
                    break;
                }
            }
        }
        Ok(SecurityPolicy {
            policy_no: pn,
            prot_type: pt.with(prot),
            params_len: l,
            params_raw: raw,
            params: ok.then_some(params),
        })
    }
}

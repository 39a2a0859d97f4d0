//! T payload (type 5), RFC 3830 §6.6 / RFC 6043 §6.3, and TR (type 13),
//! RFC 6043 §6.4.

use super::codes::{PayloadType, TsRole, TsType};
use super::field::Field;
use super::issue::WireIssue;
use super::reader::Reader;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Timestamp {
    pub ts_type: Field<TsType>,
    /// TS value: 8 octets for NTP types, 4 for COUNTER / NTP-UTC-32.
    pub ts_value: Field<u64>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TimestampWithRole {
    pub role: Field<TsRole>,
    pub ts_type: Field<TsType>,
    pub ts_value: Field<u64>,
}

fn read_ts_value(
    r: &mut Reader<'_>,
    ts: TsType,
    start: usize,
    ptype: PayloadType,
) -> Result<Field<u64>, WireIssue> {
    match ts.value_len() {
        Some(8) => r.u64("TS value (64 bit)"),
        Some(_) => {
            let f = r.u32("TS value (32 bit)")?;
            Ok(f.with(f.value as u64))
        }
        None => Err(WireIssue::UndecodablePayload {
            offset: start,
            payload_type: ptype.0,
            reason: "unknown TS type: the TS value length is unknown",
        }),
    }
}

impl Timestamp {
    pub(crate) fn parse(r: &mut Reader<'_>, start: usize) -> Result<Self, WireIssue> {
        let t = r.u8("T TS type")?;
        let ts_type = TsType(t.value);
        let value = read_ts_value(r, ts_type, start, PayloadType::T)?;
        Ok(Timestamp {
            ts_type: t.with(ts_type),
            ts_value: value,
        })
    }
}

impl TimestampWithRole {
    pub(crate) fn parse(r: &mut Reader<'_>, start: usize) -> Result<Self, WireIssue> {
        let role = r.u8("TR TS role")?;
        let t = r.u8("TR TS type")?;
        let ts_type = TsType(t.value);
        let value = read_ts_value(r, ts_type, start, PayloadType::TR)?;
        Ok(TimestampWithRole {
            role: role.with(TsRole(role.value)),
            ts_type: t.with(ts_type),
            ts_value: value,
        })
    }
}

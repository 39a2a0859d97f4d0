//! MIKEY-TICKET TP (type 16) and TICKET (type 17), RFC 6043 §6.10, decoded
//! as spans: the fixed fields plus the length-prefixed data blocks. The
//! reserved-bit width after the 12 flag bits (5 bits, so PRF+flags+Res fill
//! 3 octets) is inferred, not read \[I\]. The flag semantics are not decoded.

use super::codes::{PrfFunc, TicketType};
use super::field::{Field, Opaque};
use super::issue::WireIssue;
use super::reader::Reader;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TicketPolicy<'a> {
    pub ticket_type: Field<TicketType>,
    pub subtype: Field<u8>,
    pub version: Field<u8>,
    /// PRF func (7 MSBs of the 3-octet PRF/flags block).
    pub prf: Field<PrfFunc>,
    /// Flags D…O (12 bits).
    pub flags: Field<u16>,
    /// Reserved (5 LSBs).
    pub reserved: Field<u8>,
    pub tp_data_len: Field<u16>,
    pub tp_data: Field<&'a [u8]>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Ticket<'a> {
    pub policy: TicketPolicy<'a>,
    pub ticket_data_len: Field<u16>,
    pub ticket_data: Field<Opaque<'a>>,
    pub initiator_data_len: Field<u16>,
    pub initiator_data: Field<Opaque<'a>>,
}

impl<'a> TicketPolicy<'a> {
    pub(crate) fn parse(r: &mut Reader<'a>) -> Result<Self, WireIssue> {
        let tt = r.u16("TP ticket type")?;
        let subtype = r.u8("TP subtype")?;
        let version = r.u8("TP version")?;
        let block = r.take(3, "TP PRF/flags")?;
        let b = block.value;
        let bits = ((b[0] as u32) << 16) | ((b[1] as u32) << 8) | b[2] as u32;
        let l = r.u16("TP data length")?;
        let tp_data = r.take_declared(l.value as usize, "TP data", l.offset)?;
        Ok(TicketPolicy {
            ticket_type: tt.with(TicketType(tt.value)),
            subtype,
            version,
            prf: block.with(PrfFunc((bits >> 17) as u8)),
            flags: block.with(((bits >> 5) & 0x0fff) as u16),
            reserved: block.with((bits & 0x1f) as u8),
            tp_data_len: l,
            tp_data,
        })
    }
}

impl<'a> Ticket<'a> {
    pub(crate) fn parse(r: &mut Reader<'a>) -> Result<Self, WireIssue> {
        let policy = TicketPolicy::parse(r)?;
        let tl = r.u16("TICKET ticket data length")?;
        let td = r.take_declared(tl.value as usize, "TICKET ticket data", tl.offset)?;
        let il = r.u16("TICKET initiator data length")?;
        let id = r.take_declared(il.value as usize, "TICKET initiator data", il.offset)?;
        Ok(Ticket {
            policy,
            ticket_data_len: tl,
            ticket_data: td.with(Opaque(td.value)),
            initiator_data_len: il,
            initiator_data: id.with(Opaque(id.value)),
        })
    }
}

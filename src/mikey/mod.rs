//! Zero-copy MIKEY (RFC 3830 and extensions) decoder and encoder.
//!
//! * [`decode`] turns bytes into a [`Decoded`]: the message (as far as it
//!   could be decoded) plus every [`WireIssue`] found. It never panics.
//! * `encode` turns a [`Message`] back into bytes; [`MessageSpec`] is an
//!   owned, serde-deserialisable description that builds bytes.
//! * [`input::load`] detects raw / hex / base64 / SDP input; [`input::recognise`] also
//!   requires octets to start with a plausible common header.
//! * [`render::to_text_tree`] and [`render::to_json`] print a decode result
//!   without ever showing key material.
//!
//! See `README.md` in this folder for the confidence of each fact.

pub mod codes;
pub mod encode;
pub mod field;
pub mod input;
pub mod issue;
pub mod reader;
pub mod render;
pub mod spec;

pub mod cert;
pub mod chash;
pub mod dh;
pub mod err;
pub mod ext;
pub mod hdr;
pub mod id;
pub mod idr;
pub mod kemac;
pub mod key_data;
pub mod opaque;
pub mod pke;
pub mod rand;
pub mod sakke;
pub mod sign;
pub mod sp;
pub mod t;
pub mod v;

#[cfg(test)]
mod tests;

pub use codes::*;
pub use encode::encode;
pub use field::{Field, Opaque, Secret};
pub use hdr::{CsIdMap, GenericIdEntry, Header, SrtpIdEntry};
pub use issue::WireIssue;
pub use spec::{EncodeError, MessageSpec, PayloadSpec};

use reader::Reader;
use serde::Serialize;

/// Upper bound on payloads in one chain (and key data sub-payloads in one KEMAC).
pub const MAX_PAYLOADS: usize = 256;

/// A decoded MIKEY message borrowing the input.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Message<'a> {
    pub header: Header<'a>,
    pub payloads: Vec<Payload<'a>>,
}

/// One payload of the chain.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Payload<'a> {
    /// The payload type (the "next payload" value that announced it).
    #[serde(rename = "type")]
    pub payload_type: PayloadType,
    pub offset: usize,
    pub len: usize,
    /// Next-payload octet; `None` for SIGN, which has none.
    pub next_payload: Option<Field<PayloadType>>,
    #[serde(flatten)]
    pub body: PayloadBody<'a>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(untagged)]
pub enum PayloadBody<'a> {
    Kemac(kemac::Kemac<'a>),
    Pke(pke::Pke<'a>),
    // Boxed (with Tp, Ticket, KeyData): rare here, and twice the size of the common ones.
    Dh(Box<dh::Dh<'a>>),
    Sign(sign::Sign<'a>),
    T(t::Timestamp),
    Id(id::Id<'a>),
    Cert(cert::Cert<'a>),
    Chash(chash::Chash<'a>),
    V(v::Verification<'a>),
    Sp(sp::SecurityPolicy<'a>),
    Rand(rand::Rand<'a>),
    Err(err::ErrPayload),
    Tr(t::TimestampWithRole),
    Idr(idr::Idr<'a>),
    Randr(rand::RandWithRole<'a>),
    Tp(Box<opaque::TicketPolicy<'a>>),
    Ticket(Box<opaque::Ticket<'a>>),
    /// A key data sub-payload found at top level (it belongs inside KEMAC). Boxed, as the
    /// rare large variants of `ext::ExtContent` are: every payload is as large as the largest.
    KeyData(Box<key_data::KeyData<'a>>),
    Ext(ext::GeneralExt<'a>),
    Sakke(sakke::Sakke<'a>),
}

/// Result of [`decode`]: the message as far as it could be decoded, and all
/// problems found. `message` is `None` only when the HDR itself could not be
/// decoded.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Decoded<'a> {
    #[serde(skip)]
    pub input: &'a [u8],
    pub message: Option<Message<'a>>,
    pub issues: Vec<WireIssue>,
}

impl Decoded<'_> {
    /// True when the message decoded completely with no issue.
    pub fn is_clean(&self) -> bool {
        self.message.is_some() && self.issues.is_empty()
    }
}

impl<'a> Message<'a> {
    /// Payloads of one type, in order.
    pub fn payloads_of(&self, t: PayloadType) -> impl Iterator<Item = &Payload<'a>> {
        self.payloads.iter().filter(move |p| p.payload_type == t)
    }
    /// The SIGN payload, if the chain ended with one.
    pub fn sign(&self) -> Option<&sign::Sign<'a>> {
        match self.payloads.last().map(|p| &p.body) {
            Some(PayloadBody::Sign(s)) => Some(s),
            _ => None,
        }
    }
}

/// Decodes a MIKEY message. Never panics; every problem becomes a
/// [`WireIssue`], and payloads decoded before a fatal problem are kept.
pub fn decode(input: &[u8]) -> Decoded<'_> {
    let mut issues = Vec::new();
    if input.is_empty() {
        return Decoded {
            input,
            message: None,
            issues: vec![WireIssue::Empty],
        };
    }
    let mut r = Reader::new(input);
    let header = match Header::parse(&mut r, &mut issues) {
        Ok(h) => h,
        Err(e) => {
            issues.push(e);
            return Decoded {
                input,
                message: None,
                issues,
            };
        }
    };
    // A message has a handful of payloads: one allocation, not one per doubling (a payload
    // is large, and each doubling copies them all).
    let mut payloads: Vec<Payload<'_>> = Vec::with_capacity(8);
    let mut np = header.next_payload.value;
    let mut np_at = header.next_payload.offset;
    let mut fatal = false;
    while np != PayloadType::LAST {
        if payloads.len() >= MAX_PAYLOADS {
            issues.push(WireIssue::TooManyPayloads {
                offset: r.offset(),
                limit: MAX_PAYLOADS,
            });
            fatal = true;
            break;
        }
        if r.is_empty() {
            issues.push(WireIssue::ChainNotTerminated {
                offset: r.offset(),
                next_payload: np.0,
                announced_at: np_at,
            });
            fatal = true;
            break;
        }
        let start = r.offset();
        match parse_payload(&mut r, np, start, header.csb_id.value, &mut issues) {
            Ok((next, body)) => {
                let is_sign = matches!(body, PayloadBody::Sign(_));
                payloads.push(Payload {
                    payload_type: np,
                    offset: start,
                    len: r.offset() - start,
                    next_payload: next,
                    body,
                });
                match next {
                    Some(n) if !is_sign => {
                        np = n.value;
                        np_at = n.offset;
                    }
                    _ => break,
                }
            }
            Err(e) => {
                issues.push(e);
                fatal = true;
                break;
            }
        }
    }
    if !fatal && !r.is_empty() {
        issues.push(WireIssue::TrailingData {
            offset: r.offset(),
            len: r.remaining(),
        });
    }
    Decoded {
        input,
        message: Some(Message { header, payloads }),
        issues,
    }
}

type Parsed<'a> = (Option<Field<PayloadType>>, PayloadBody<'a>);

/// `csb_id` is the HDR's: the 3GPP key parameters extension is told apart from its legacy
/// layout by a DPPK-ID equal to it.
fn parse_payload<'a>(
    r: &mut Reader<'a>,
    t: PayloadType,
    start: usize,
    csb_id: u32,
    issues: &mut Vec<WireIssue>,
) -> Result<Parsed<'a>, WireIssue> {
    match t {
        PayloadType::SIGN => return Ok((None, PayloadBody::Sign(sign::Sign::parse(r)?))),
        PayloadType::KEY_DATA => {
            let kd = key_data::KeyData::parse(r)?;
            return Ok((Some(kd.next_payload), PayloadBody::KeyData(Box::new(kd))));
        }
        PayloadType::IBAKE | PayloadType::ESK | PayloadType::SK | PayloadType::ECCPT => {
            return Err(WireIssue::UndecodablePayload {
                offset: start,
                payload_type: t.0,
                reason: "MIKEY-IBAKE (RFC 6267) payload layouts are not implemented; the payload cannot be skipped",
            })
        }
        _ if t.name().is_none() => {
            return Err(WireIssue::UnknownPayloadType {
                offset: start,
                value: t.0,
            })
        }
        _ => {}
    }
    let npf = r.u8("next payload")?;
    let next = npf.with(PayloadType(npf.value));
    let n = next.value;
    let body = match t {
        PayloadType::KEMAC => PayloadBody::Kemac(kemac::Kemac::parse(r, start, n, issues)?),
        PayloadType::PKE => PayloadBody::Pke(pke::Pke::parse(r)?),
        PayloadType::DH => PayloadBody::Dh(Box::new(dh::Dh::parse(r, start)?)),
        PayloadType::T => PayloadBody::T(t::Timestamp::parse(r, start)?),
        PayloadType::ID => PayloadBody::Id(id::Id::parse(r)?),
        PayloadType::CERT => PayloadBody::Cert(cert::Cert::parse(r)?),
        PayloadType::CHASH => PayloadBody::Chash(chash::Chash::parse(r, start, n)?),
        PayloadType::V => PayloadBody::V(v::Verification::parse(r, start, n)?),
        PayloadType::SP => PayloadBody::Sp(sp::SecurityPolicy::parse(r, issues)?),
        PayloadType::RAND => PayloadBody::Rand(rand::Rand::parse(r)?),
        PayloadType::ERR => PayloadBody::Err(err::ErrPayload::parse(r)?),
        PayloadType::TR => PayloadBody::Tr(t::TimestampWithRole::parse(r, start)?),
        PayloadType::IDR => PayloadBody::Idr(idr::Idr::parse(r)?),
        PayloadType::RANDR => PayloadBody::Randr(rand::RandWithRole::parse(r)?),
        PayloadType::TP => PayloadBody::Tp(Box::new(opaque::TicketPolicy::parse(r)?)),
        PayloadType::TICKET => PayloadBody::Ticket(Box::new(opaque::Ticket::parse(r)?)),
        PayloadType::GENERAL_EXT => PayloadBody::Ext(ext::GeneralExt::parse(r, csb_id, issues)?),
        PayloadType::SAKKE => PayloadBody::Sakke(sakke::Sakke::parse(r)?),
        _ => {
            return Err(WireIssue::UnknownPayloadType {
                offset: start,
                value: t.0,
            })
        }
    };
    Ok((Some(next), body))
}

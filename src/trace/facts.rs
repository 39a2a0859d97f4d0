//! What the trace rules need to know about one MIKEY message.

use crate::mikey::{self, ext::ExtContent, ExtType, KeyIdType, PayloadBody};

/// Facts of a MIKEY message; all `None`/false when it does not decode.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MikeyFacts {
    pub data_type: Option<u8>,
    pub v: bool,
    pub csb_id: Option<u32>,
    /// The initiator's identity (first ID payload, or IDR with role IDRi), printable part.
    pub idi: Option<String>,
    /// The T payload's value when it is a COUNTER (TS type 2).
    pub counter: Option<u32>,
    /// The first T payload: (TS type, TS value). A verification message carries the T of the
    /// message it verifies (see [`MikeyFacts::answers`]).
    pub timestamp: Option<(u8, u64)>,
    /// RFC 4563 Key IDs: (Key Domain ID, MSK ID, MTK ID).
    pub key_domain: Option<KeyId>,
    pub msk_id: Option<KeyId>,
    pub mtk_id: Option<KeyId>,
    /// The OMA BCAST extension names it an LTKM (RFC 5410: EXT type 5, subtype 1).
    pub oma_ltkm: bool,
}

/// A Key ID's octets: MBMS ones are 3 (Key Domain ID) or 4 (MSK and MTK IDs), kept inline;
/// a longer one spills to the heap.
pub type KeyId = smallvec::SmallVec<[u8; 8]>;

fn printable(bytes: &[u8]) -> String {
    // Sized once: collected char by char it grew (and copied) several times a message.
    let mut s = String::with_capacity(bytes.len());
    s.extend(
        bytes
            .iter()
            .filter(|b| (0x21..0x7f).contains(*b))
            .map(|b| *b as char),
    );
    s
}

impl MikeyFacts {
    pub fn of(message: &[u8]) -> MikeyFacts {
        MikeyFacts::of_decoded(&mikey::decode(message))
    }

    /// The facts of a message already decoded.
    pub fn of_decoded(d: &mikey::Decoded) -> MikeyFacts {
        let Some(m) = &d.message else {
            return MikeyFacts::default();
        };
        let mut f = MikeyFacts {
            data_type: Some(m.header.data_type.value.0),
            v: m.header.v.value,
            csb_id: Some(m.header.csb_id.value),
            ..MikeyFacts::default()
        };
        for p in &m.payloads {
            match &p.body {
                PayloadBody::Id(id) if f.idi.is_none() => f.idi = Some(printable(id.id.value)),
                PayloadBody::Idr(idr) if f.idi.is_none() && idr.role.value.0 == 1 => {
                    f.idi = Some(printable(idr.id.value))
                }
                PayloadBody::T(t) => {
                    f.timestamp = f.timestamp.or(Some((t.ts_type.value.0, t.ts_value.value)));
                    if t.ts_type.value.0 == 2 {
                        f.counter = Some(t.ts_value.value as u32)
                    }
                }
                PayloadBody::Ext(e) => match &e.content {
                    Some(ExtContent::KeyIds { key_ids }) => {
                        for k in key_ids {
                            let v = Some(KeyId::from_slice(k.key_id.value));
                            match k.key_id_type.value {
                                KeyIdType::MBMS_KEY_DOMAIN_ID => f.key_domain = v,
                                KeyIdType::MBMS_MSK_ID => f.msk_id = v,
                                KeyIdType::MBMS_MTK_ID => f.mtk_id = v,
                                _ => {}
                            }
                        }
                    }
                    Some(ExtContent::OmaBcast { subtype, .. })
                        if e.ext_type.value == ExtType::OMA_BCAST =>
                    {
                        f.oma_ltkm |= subtype.value.0 == 1;
                    }
                    _ => {}
                },
                _ => {}
            }
        }
        f
    }

    /// A verification message (RFC 3830 data types 1 and 3).
    pub fn is_verification(&self) -> bool {
        matches!(self.data_type, Some(1) | Some(3))
    }

    /// An MBMS MTK message: its Key ID extension carries an MTK ID.
    pub fn is_mtk(&self) -> bool {
        self.mtk_id.is_some()
    }

    /// Whether this verification message answers `message`: RFC 3830 puts in it the CSB ID
    /// and the T payload of the message it verifies (the Responder reuses the Initiator's
    /// timestamp; `../shared/reference/mikey-wire-format.md` 4.9 and 6.2, read against RFC 3830
    /// 3.1 and 5.2). The CSB ID alone is not enough: MBMS MSK and MTK messages may share one.
    pub fn answers(&self, message: &MikeyFacts) -> bool {
        self.csb_id.is_some()
            && self.csb_id == message.csb_id
            && self.timestamp == message.timestamp
    }
}

/// `bytes` as a big-endian number `width` octets wide (left-padded with zeros).
fn padded(bytes: &[u8], width: usize) -> Vec<u8> {
    let mut v = vec![0; width - bytes.len()];
    v.extend_from_slice(bytes);
    v
}

/// Whether the identifier `new` is greater than `prev` as plain unsigned numbers.
pub fn plain_greater(prev: &[u8], new: &[u8]) -> bool {
    let width = prev.len().max(new.len());
    padded(new, width) > padded(prev, width)
}

/// Whether the identifier `new` is greater than `prev` in RFC 1982 serial arithmetic, the
/// serial space being as wide as the wider of the two (8 bits an octet): `new - prev` modulo
/// 2^bits is neither 0 nor 2^(bits-1) or more. (Exactly half the space apart, RFC 1982 leaves
/// the order undefined: not greater.)
pub fn serial_greater(prev: &[u8], new: &[u8]) -> bool {
    let width = prev.len().max(new.len());
    let (a, b) = (padded(prev, width), padded(new, width));
    let mut diff = vec![0u8; width];
    let mut borrow = 0u8;
    for i in (0..width).rev() {
        let (d, under1) = b[i].overflowing_sub(a[i]);
        let (d, under2) = d.overflowing_sub(borrow);
        diff[i] = d;
        borrow = u8::from(under1 || under2);
    }
    diff.iter().any(|x| *x != 0) && diff[0] & 0x80 == 0
}

/// RFC 1982 3.2 "less than" for `bits`-wide serial numbers: None when the relation is
/// undefined (the two are exactly half the space apart).
pub fn serial_lt(a: u64, b: u64, bits: u32) -> Option<bool> {
    let half = 1u64 << (bits - 1);
    let mask = if bits == 64 {
        u64::MAX
    } else {
        (1u64 << bits) - 1
    };
    let (a, b) = (a & mask, b & mask);
    if a == b {
        return Some(false);
    }
    let diff = b.wrapping_sub(a) & mask;
    if diff == half {
        None
    } else {
        Some(diff < half)
    }
}

#[cfg(test)]
mod tests {
    use super::{plain_greater, serial_greater, serial_lt};

    #[test]
    fn identifiers_compare_plain_and_serial() {
        assert!(plain_greater(&[0, 5], &[0, 6]));
        assert!(!plain_greater(&[0, 6], &[0, 6]));
        assert!(!plain_greater(&[0xff, 0xff], &[0, 1]));
        assert!(plain_greater(&[0xff], &[1, 0]));
        // 16 bits: ffff -> 0001 wraps forward; 0001 -> 9000 is more than half the space ahead.
        assert!(serial_greater(&[0xff, 0xff], &[0, 1]));
        assert!(!serial_greater(&[0, 1], &[0x90, 0]));
        assert!(!serial_greater(&[0, 1], &[0x80, 1]));
        assert!(serial_greater(&[0, 1], &[0x80, 0]));
        assert!(!serial_greater(&[0, 6], &[0, 6]));
        assert!(!serial_greater(&[0, 6], &[0, 5]));
        assert!(serial_greater(
            &[0x00, 0x00, 0x0d, 0x00],
            &[0x00, 0x00, 0x0d, 0x01]
        ));
        assert!(!serial_greater(&[], &[]));
    }

    #[test]
    fn rfc1982_wraps_both_ways() {
        assert_eq!(serial_lt(1, 2, 32), Some(true));
        assert_eq!(serial_lt(2, 1, 32), Some(false));
        // Across the wrap: 0xFFFFFFFF < 0 < 5.
        assert_eq!(serial_lt(0xFFFF_FFFF, 0, 32), Some(true));
        assert_eq!(serial_lt(0, 0xFFFF_FFFF, 32), Some(false));
        assert_eq!(serial_lt(0xFFFF_FFF0, 5, 32), Some(true));
        // Exactly half apart: undefined.
        assert_eq!(serial_lt(0, 0x8000_0000, 32), None);
        // 16-bit space.
        assert_eq!(serial_lt(0xFFFE, 1, 16), Some(true));
        assert_eq!(serial_lt(7, 7, 16), Some(false));
    }
}

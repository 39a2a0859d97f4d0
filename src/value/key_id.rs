//! MIKEY key identifiers compared as the numbers they are, not as the octets that spell them.
//!
//! RFC 4563 carries each Key ID with its own length, and TS 26.346 carries the MSK's in XML
//! as base64, so one identifier can be spelled in more than one width: `68c90000` and
//! `0068c90000` are MSK ID 0x68c90000. TS 33.246 gives each a width (6.3.2.1: the Key
//! Domain ID is 3 octets, the MSK ID 4; the MTK ID is 4 octets in every implementation
//! read, `../shared/reference/mikey-wire-format.md` 6.1). Two key IDs of one type are equal
//! when they are the same unsigned big-endian number within that width. A spelling wider
//! than the width with a non-zero octet beyond it has no value of the type and is compared
//! as its octets, leading zeros aside; the width itself is judged by its own rules
//! (MBMS-KEY-02, MBMS-KEY-03), once.

/// The Key ID types of TS 33.246 (RFC 4563 3: Key ID types 0, 1, 2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyIdType {
    KeyDomain,
    Msk,
    Mtk,
}

/// A key ID in its value space.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum KeyIdValue {
    /// The number, within the type's width.
    Number(u32),
    /// Wider than the type: the octets after the leading zeros.
    Wide(Vec<u8>),
}

impl KeyIdType {
    /// The width of the type on the wire, in octets.
    pub fn octets(self) -> usize {
        match self {
            KeyIdType::KeyDomain => 3,
            KeyIdType::Msk | KeyIdType::Mtk => 4,
        }
    }

    /// The number `octets` spell (big-endian, leading zeros insignificant), when it fits the
    /// type's width.
    pub fn number(self, octets: &[u8]) -> Option<u32> {
        let first = octets.iter().position(|b| *b != 0).unwrap_or(octets.len());
        let digits = &octets[first..];
        (digits.len() <= self.octets())
            .then(|| digits.iter().fold(0u32, |n, b| (n << 8) | u32::from(*b)))
    }

    /// What a key ID is compared as.
    pub fn value(self, octets: &[u8]) -> KeyIdValue {
        match self.number(octets) {
            Some(n) => KeyIdValue::Number(n),
            None => {
                let first = octets.iter().position(|b| *b != 0).unwrap_or(octets.len());
                KeyIdValue::Wide(octets[first..].to_vec())
            }
        }
    }

    /// Whether two spellings name the same key ID.
    pub fn same(self, a: &[u8], b: &[u8]) -> bool {
        self.value(a) == self.value(b)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_ids_compare_as_numbers_of_their_width() {
        let msk = KeyIdType::Msk;
        assert!(msk.same(&[0x68, 0xc9, 0, 0], &[0, 0x68, 0xc9, 0, 0]));
        assert!(msk.same(&[0, 0, 0, 1], &[1]));
        assert!(!msk.same(&[0x68, 0xc9, 0, 0], &[0x68, 0xc9, 0, 1]));
        assert_eq!(msk.number(&[1, 0, 0, 0, 0]), None);
        // Wider than the type: compared as octets, leading zeros aside.
        assert!(msk.same(&[0, 1, 0, 0, 0, 0], &[1, 0, 0, 0, 0]));
        assert!(!msk.same(&[1, 0, 0, 0, 0], &[0, 0, 0, 0]));
        let domain = KeyIdType::KeyDomain;
        assert_eq!(domain.number(&[0, 0xb8, 0x70, 0x9d]), Some(0xb8709d));
        assert_eq!(domain.number(&[1, 0xb8, 0x70, 0x9d]), None);
        assert!(KeyIdType::Mtk.same(&[0, 5], &[0, 0, 0, 5]));
        assert!(KeyIdType::Mtk.same(&[], &[0]));
    }
}

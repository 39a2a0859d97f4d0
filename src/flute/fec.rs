//! FEC Object Transmission Information and where each source symbol goes in its object, for
//! the two FEC schemes read here: Compact No-Code (FEC Encoding ID 0, RFC 5445 3) and Raptor
//! (FEC Encoding ID 1, RFC 5053), whose source symbols are sent as they are (it is
//! systematic, RFC 5053 1: "all the source symbols are among the encoding symbols"), so an
//! object is read from its source symbols without decoding. Repair symbols are not decoded.
//!
//! EXT_FTI layouts (RFC 5775 5.1.1 with the scheme's encoded FEC OTI):
//! - Compact No-Code (RFC 5445 3.2.2): Transfer Length (48 bits), Reserved (16), Encoding
//!   Symbol Length (16), Maximum Source Block Length (32). HEL 4.
//! - Raptor (RFC 5053 3.2.2, 3.2.3): Transfer Length F (40 bits), Reserved (8), Symbol Size
//!   T (16), then the scheme-specific Z (16, source blocks), N (8, sub-blocks), Al (8,
//!   alignment), padded. HEL 4. (Read the same way by github.com/ypo/flute, alcraptor.rs.)

/// The FEC Encoding IDs read here.
pub const COMPACT_NO_CODE: u8 = 0;
pub const RAPTOR: u8 = 1;

/// A piece of a source symbol: (offset in the object, offset in the symbol, length).
pub type Piece = (u64, usize, usize);

/// An object's FEC Object Transmission Information.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fti {
    /// Compact No-Code: symbol length E, maximum source block length B (in symbols).
    CompactNoCode {
        transfer_length: u64,
        symbol_len: u16,
        max_block: u32,
    },
    /// Raptor: symbol size T, Z source blocks, N sub-blocks, alignment Al.
    Raptor {
        transfer_length: u64,
        symbol_len: u16,
        blocks: u16,
        sub_blocks: u8,
        alignment: u8,
    },
}

/// The name of a FEC Encoding ID (IANA "Reliable Multicast Transport (RMT) FEC Encoding IDs").
pub fn scheme_name(id: u8) -> &'static str {
    match id {
        0 => "Compact No-Code (RFC 5445)",
        1 => "Raptor (RFC 5053)",
        2 => "Reed-Solomon over GF(2^m) (RFC 5510)",
        3 => "LDPC Staircase (RFC 5170)",
        4 => "LDPC Triangle (RFC 5170)",
        5 => "Reed-Solomon over GF(2^8) (RFC 5510)",
        6 => "RaptorQ (RFC 6330)",
        128 => "Small Block, Large Block and Expandable (RFC 5445)",
        129 => "Small Block Systematic (RFC 5445)",
        130 => "Compact (RFC 5445)",
        _ => "an unknown FEC scheme",
    }
}

fn be(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0u64, |n, b| (n << 8) | u64::from(*b))
}

impl Fti {
    /// Reads EXT_FTI's content (the octets after HET and HEL) for FEC Encoding ID `id`.
    pub fn from_ext(id: u8, c: &[u8]) -> Result<Fti, String> {
        let short = || format!("EXT_FTI of {} octets is too short", c.len() + 2);
        let fti = match id {
            COMPACT_NO_CODE => {
                let c = c.get(..14).ok_or_else(short)?;
                Fti::CompactNoCode {
                    transfer_length: be(&c[..6]),
                    symbol_len: u16::from_be_bytes([c[8], c[9]]),
                    max_block: u32::from_be_bytes([c[10], c[11], c[12], c[13]]),
                }
            }
            RAPTOR => {
                let c = c.get(..12).ok_or_else(short)?;
                Fti::Raptor {
                    transfer_length: be(&c[..5]),
                    symbol_len: u16::from_be_bytes([c[6], c[7]]),
                    blocks: u16::from_be_bytes([c[8], c[9]]),
                    sub_blocks: c[10],
                    alignment: c[11],
                }
            }
            other => return Err(format!("FEC Encoding ID {other} is not read")),
        };
        fti.valid()
    }

    /// The object's transfer length in octets.
    pub fn transfer_length(&self) -> u64 {
        match *self {
            Fti::CompactNoCode {
                transfer_length, ..
            }
            | Fti::Raptor {
                transfer_length, ..
            } => transfer_length,
        }
    }

    /// The octets of one encoding symbol.
    pub fn symbol_len(&self) -> usize {
        match *self {
            Fti::CompactNoCode { symbol_len, .. } | Fti::Raptor { symbol_len, .. } => {
                usize::from(symbol_len)
            }
        }
    }

    /// The FTI if its parameters make a partition possible.
    pub fn valid(self) -> Result<Fti, String> {
        let bad = match self {
            Fti::CompactNoCode { symbol_len: 0, .. } => "an Encoding Symbol Length of 0",
            Fti::CompactNoCode { max_block: 0, .. } => "a Maximum Source Block Length of 0",
            Fti::Raptor { symbol_len: 0, .. } => "a Symbol Size of 0",
            Fti::Raptor { blocks: 0, .. } => "Z = 0 source blocks",
            Fti::Raptor { sub_blocks: 0, .. } => "N = 0 sub-blocks",
            Fti::Raptor { alignment: 0, .. } => "an alignment Al of 0",
            Fti::Raptor {
                symbol_len,
                alignment,
                sub_blocks,
                ..
            } if symbol_len % u16::from(alignment) != 0
                || u16::from(sub_blocks) > symbol_len / u16::from(alignment) =>
            {
                "a Symbol Size that is not a multiple of Al or fewer aligned units than N"
            }
            _ => return Ok(self),
        };
        Err(format!("FEC Object Transmission Information with {bad}"))
    }

    /// How many source symbols the object has (RFC 5052 9.1 / RFC 5053 5.3.1.2: ceil(L/E)).
    pub fn source_symbols(&self) -> u64 {
        self.transfer_length().div_ceil(self.symbol_len() as u64)
    }

    /// The source blocks: (how many, their sizes in symbols: the first `large` blocks hold
    /// `a_large`, the rest `a_small`). RFC 5052 9.1's block partitioning for Compact No-Code;
    /// RFC 5053 5.3.1.2's Partition[Kt, Z] for Raptor: the same arithmetic.
    fn blocks(&self) -> (u64, u64, u64, u64) {
        let t = self.source_symbols();
        let n = match *self {
            Fti::CompactNoCode { max_block, .. } => t.div_ceil(u64::from(max_block)),
            Fti::Raptor { blocks, .. } => u64::from(blocks),
        }
        .max(1);
        let a_large = t.div_ceil(n);
        let a_small = t / n;
        let large = t - a_small * n;
        (n, large, a_large, a_small)
    }

    /// The first symbol index and the size in symbols of source block `sbn`.
    fn block(&self, sbn: u64) -> Option<(u64, u64)> {
        let (n, large, a_large, a_small) = self.blocks();
        if sbn >= n {
            return None;
        }
        Some(if sbn < large {
            (sbn * a_large, a_large)
        } else {
            (large * a_large + (sbn - large) * a_small, a_small)
        })
    }

    /// Where source symbol `esi` of block `sbn` goes: its index among the object's source
    /// symbols, and the (object offset, symbol offset, length) pieces to copy — one for
    /// Compact No-Code; one per sub-block for Raptor (RFC 5053 5.3.1.2: an encoding symbol is
    /// the concatenation of the sub-symbols of each sub-block). Pieces are cut at the
    /// transfer length (the last symbol is padded). None for a repair symbol (Raptor ESI of
    /// at least K) or a position outside the object.
    pub fn place(&self, sbn: u32, esi: u32) -> Option<(u64, Vec<Piece>)> {
        let (first, k) = self.block(u64::from(sbn))?;
        let esi = u64::from(esi);
        if esi >= k {
            return None;
        }
        let sym = self.symbol_len() as u64;
        let block_start = first.checked_mul(sym)?;
        let length = self.transfer_length();
        let mut pieces = Vec::new();
        let mut push = |object_at: u64, symbol_at: usize, len: u64| {
            if object_at < length {
                let len = len.min(length - object_at) as usize;
                pieces.push((object_at, symbol_at, len));
            }
        };
        match *self {
            Fti::CompactNoCode { .. } => push(block_start + esi * sym, 0, sym),
            Fti::Raptor {
                sub_blocks,
                alignment,
                ..
            } => {
                // Partition[T/Al, N] = (TL, TS, NL, NS): the first NL sub-blocks have
                // sub-symbols of TL*Al octets, the rest TS*Al.
                let al = u64::from(alignment);
                let n = u64::from(sub_blocks);
                let units = sym / al;
                let (tl, ts) = (units.div_ceil(n), units / n);
                let nl = units - ts * n;
                let mut sub_block_start = block_start;
                let mut symbol_at = 0usize;
                for j in 0..n {
                    let size = if j < nl { tl * al } else { ts * al };
                    push(sub_block_start + esi * size, symbol_at, size);
                    sub_block_start += k * size;
                    symbol_at += size as usize;
                }
            }
        }
        Some((first + esi, pieces))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compact_no_code_blocks_follow_rfc_5052_partitioning() {
        // L = 10 octets, E = 3: T = 4 symbols; B = 3: N = 2 blocks of 2 symbols each.
        let f = Fti::CompactNoCode {
            transfer_length: 10,
            symbol_len: 3,
            max_block: 3,
        };
        assert_eq!(f.place(0, 0), Some((0, vec![(0, 0, 3)])));
        assert_eq!(f.place(0, 1), Some((1, vec![(3, 0, 3)])));
        assert_eq!(f.place(1, 0), Some((2, vec![(6, 0, 3)])));
        assert_eq!(f.place(1, 1), Some((3, vec![(9, 0, 1)])));
        assert_eq!(f.place(1, 2), None);
        assert_eq!(f.place(2, 0), None);
    }

    #[test]
    fn raptor_sub_symbols_are_spread_over_sub_blocks() {
        // F = 8, T = 4, Z = 1, N = 2, Al = 1: K = 2; sub-blocks of 2 octets per symbol.
        let f = Fti::Raptor {
            transfer_length: 8,
            symbol_len: 4,
            blocks: 1,
            sub_blocks: 2,
            alignment: 1,
        };
        // Symbol 0 = sub-block 0 [0..2) + sub-block 1 [4..6).
        assert_eq!(f.place(0, 0), Some((0, vec![(0, 0, 2), (4, 2, 2)])));
        assert_eq!(f.place(0, 1), Some((1, vec![(2, 0, 2), (6, 2, 2)])));
        assert_eq!(f.place(0, 2), None, "a repair symbol");
    }

    #[test]
    fn ext_fti_is_read_and_nonsense_refused() {
        let mut c = vec![0, 0, 0, 0, 0, 100, 0, 0, 0, 10, 0, 0, 0, 64];
        assert_eq!(
            Fti::from_ext(0, &c),
            Ok(Fti::CompactNoCode {
                transfer_length: 100,
                symbol_len: 10,
                max_block: 64
            })
        );
        c[9] = 0;
        assert!(Fti::from_ext(0, &c).is_err());
        let r = [0, 0, 0, 0, 100, 0, 0, 16, 0, 1, 1, 4];
        assert_eq!(
            Fti::from_ext(1, &r),
            Ok(Fti::Raptor {
                transfer_length: 100,
                symbol_len: 16,
                blocks: 1,
                sub_blocks: 1,
                alignment: 4
            })
        );
        assert!(Fti::from_ext(1, &r[..5]).is_err());
        assert!(Fti::from_ext(6, &r).is_err());
    }
}

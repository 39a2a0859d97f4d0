//! One transport object being put together from its source symbols, in any order, within a
//! bound: its buffer is allocated once its FEC Object Transmission Information is known and
//! its transfer length is within the limit; symbols that arrive before that are kept up to
//! the same limit. Each source symbol is counted once; the object is whole when every source
//! symbol has arrived (repair symbols are counted and not decoded).

use super::fec::Fti;
use super::lct::PayloadId;

/// What became of a packet given to an object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Added {
    /// Taken (or a duplicate or repair symbol, counted).
    Ok,
    /// The object cannot be read (its reason); later packets of it are ignored.
    Unreadable(String),
}

/// An object in progress.
#[derive(Debug, Default)]
pub struct Assembly {
    pub fti: Option<Fti>,
    data: Vec<u8>,
    /// One bit per source symbol.
    have: Vec<u64>,
    count: u64,
    total: u64,
    /// Symbols that arrived before the FTI: (payload ID, octets).
    early: Vec<(PayloadId, Vec<u8>)>,
    early_bytes: usize,
    pub packets: usize,
    pub repair_symbols: usize,
    /// Set once the object is unreadable.
    pub unreadable: Option<String>,
}

impl Assembly {
    /// The octets this object holds in memory.
    pub fn cost(&self) -> usize {
        self.data.len() + self.have.len() * 8 + self.early_bytes
    }

    pub fn is_complete(&self) -> bool {
        self.fti.is_some() && self.unreadable.is_none() && self.count == self.total
    }

    /// How many of its source symbols have arrived, of how many (0 of 0 before the FTI).
    pub fn progress(&self) -> (u64, u64) {
        (self.count, self.total)
    }

    /// The object's octets, once complete.
    pub fn take(&mut self) -> Vec<u8> {
        std::mem::take(&mut self.data)
    }

    /// Lets go of what the object holds: it cannot be read, for `why`.
    pub fn give_up(&mut self, why: String) -> Added {
        self.fail(why)
    }

    fn fail(&mut self, why: String) -> Added {
        self.data = Vec::new();
        self.have = Vec::new();
        self.early = Vec::new();
        self.early_bytes = 0;
        self.unreadable = Some(why.clone());
        Added::Unreadable(why)
    }

    /// Sets the FTI (the first one given wins) and places the symbols kept until now.
    pub fn set_fti(&mut self, fti: Fti, max_bytes: usize) -> Added {
        if self.fti.is_some() || self.unreadable.is_some() {
            return Added::Ok;
        }
        let length = fti.transfer_length();
        if length > max_bytes as u64 {
            return self.fail(format!(
                "a transfer length of {length} octets, over the {max_bytes} of setting flute.object_bytes"
            ));
        }
        self.total = fti.source_symbols();
        self.data = vec![0; length as usize];
        self.have = vec![0; self.total.div_ceil(64) as usize];
        self.fti = Some(fti);
        for (id, symbols) in std::mem::take(&mut self.early) {
            self.place(id, &symbols);
        }
        self.early_bytes = 0;
        Added::Ok
    }

    /// Adds one packet's encoding symbols (consecutive ESIs from `id`).
    pub fn add(&mut self, id: PayloadId, symbols: &[u8], max_bytes: usize) -> Added {
        self.packets += 1;
        if self.unreadable.is_some() {
            return Added::Ok;
        }
        if self.fti.is_none() {
            if self.early_bytes + symbols.len() > max_bytes {
                return self.fail(format!(
                    "no FEC Object Transmission Information (EXT_FTI or FDT) within the {max_bytes} octets of setting flute.object_bytes"
                ));
            }
            self.early_bytes += symbols.len();
            self.early.push((id, symbols.to_vec()));
            return Added::Ok;
        }
        self.place(id, symbols);
        Added::Ok
    }

    fn place(&mut self, id: PayloadId, symbols: &[u8]) {
        let Some(fti) = self.fti else { return };
        let size = fti.symbol_len();
        for (i, symbol) in symbols.chunks(size).enumerate() {
            let Some(esi) = u32::try_from(i).ok().and_then(|i| id.esi.checked_add(i)) else {
                return;
            };
            let Some((index, pieces)) = fti.place(id.sbn, esi) else {
                self.repair_symbols += 1;
                continue;
            };
            // A symbol sent short covers only the pieces it holds; it counts when it holds
            // every piece inside the object (the last may be cut at the transfer length).
            let whole = pieces.iter().all(|&(_, at, len)| at + len <= symbol.len());
            let (word, bit) = ((index / 64) as usize, index % 64);
            let Some(w) = self.have.get_mut(word) else {
                continue;
            };
            if !whole || *w & (1 << bit) != 0 {
                continue;
            }
            for (object_at, at, len) in pieces {
                let start = object_at as usize;
                if let (Some(dst), Some(src)) = (
                    self.data.get_mut(start..start + len),
                    symbol.get(at..at + len),
                ) {
                    dst.copy_from_slice(src);
                }
            }
            *w |= 1 << bit;
            self.count += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn symbols_out_of_order_and_repeated_make_the_object_once() {
        let fti = Fti::CompactNoCode {
            transfer_length: 10,
            symbol_len: 4,
            max_block: 64,
        };
        let mut a = Assembly::default();
        let id = |esi| PayloadId { sbn: 0, esi };
        assert_eq!(a.add(id(2), b"89", 100), Added::Ok); // before the FTI: kept
        assert_eq!(a.set_fti(fti, 100), Added::Ok);
        a.add(id(1), b"4567", 100);
        a.add(id(1), b"XXXX", 100);
        assert!(!a.is_complete());
        a.add(id(0), b"0123", 100);
        assert!(a.is_complete());
        assert_eq!(a.take(), b"0123456789");
    }

    #[test]
    fn several_symbols_in_one_packet_and_limits() {
        let fti = Fti::CompactNoCode {
            transfer_length: 6,
            symbol_len: 2,
            max_block: 2,
        };
        let mut a = Assembly::default();
        a.set_fti(fti, 100);
        a.add(PayloadId { sbn: 0, esi: 0 }, b"abcd", 100);
        a.add(PayloadId { sbn: 1, esi: 0 }, b"ef", 100);
        assert!(a.is_complete());
        assert_eq!(a.take(), b"abcdef");
        let mut big = Assembly::default();
        assert!(matches!(big.set_fti(fti, 5), Added::Unreadable(_)));
        let mut early = Assembly::default();
        assert!(matches!(
            early.add(PayloadId { sbn: 0, esi: 0 }, b"abcdef", 5),
            Added::Unreadable(_)
        ));
    }
}

//! One direction of a TCP connection put back in order, within a bounded buffer: the octets
//! read so far in sequence, with segments that came ahead of a gap held until it fills.
//! Shared by the readers of SIP (`sip::capture`) and HTTP (`exchange::stream`) in captures.
//!
//! Sequence numbers are compared modulo 2^32 (RFC 9293 3.4): a segment within 2^31 after the
//! next expected octet is ahead of it, one within 2^31 before it overlaps what was read (a
//! retransmission, whose new octets, if any, are kept). Positions in the stream are counted
//! in u64 with checked additions, so no wrap of the 32-bit space is ever mistaken for an
//! offset. What is held (unread octets plus segments ahead) never exceeds the bound: a
//! direction that would need more is reported full and reads nothing further.

use std::collections::BTreeMap;

/// The octets of one direction of a TCP connection, in order.
#[derive(Debug, Default)]
pub struct Reassembler {
    /// The sequence number of the next octet expected in order (None before the first
    /// segment).
    next: Option<u32>,
    /// The stream position of `next` (octets delivered in order so far).
    pos: u64,
    /// Octets delivered in order and not yet taken by the reader.
    buf: Vec<u8>,
    /// Segments after a gap, by stream position.
    ahead: BTreeMap<u64, Vec<u8>>,
    ahead_bytes: usize,
    /// The stream position just after the FIN, once one was seen.
    fin_at: Option<u64>,
    reset: bool,
    /// Segments whose every octet had been read already.
    pub retransmitted: usize,
}

/// What holding one segment ahead costs besides its octets (its map entry and vector), charged
/// against the bound so that a flood of one-octet segments is bounded as surely as big ones.
const SEGMENT_OVERHEAD: usize = 64;

/// A direction that would hold more than its bound.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Full;

/// The TCP fields of one segment that the reassembly reads.
#[derive(Debug, Clone, Copy, Default)]
pub struct Segment<'p> {
    pub seq: u32,
    pub syn: bool,
    pub fin: bool,
    pub rst: bool,
    pub payload: &'p [u8],
}

impl<'p> Segment<'p> {
    /// The fields of a TCP header as etherparse reads it, with its payload.
    pub fn of(t: &etherparse::TcpSlice<'p>) -> Self {
        Segment {
            seq: t.sequence_number(),
            syn: t.syn(),
            fin: t.fin(),
            rst: t.rst(),
            payload: t.payload(),
        }
    }
}

impl Reassembler {
    /// Adds one segment; `max` bounds the octets held (unread plus ahead).
    pub fn push(&mut self, s: Segment, max: usize) -> Result<(), Full> {
        if s.rst {
            self.reset = true;
        }
        // The SYN takes one sequence number before the first octet (RFC 9293 3.4).
        let seq = s.seq.wrapping_add(u32::from(s.syn));
        let next = *self.next.get_or_insert(seq);
        // Distance from the next expected octet, modulo 2^32, read as signed.
        let d = i64::from(seq.wrapping_sub(next) as i32);
        let len = s.payload.len() as u64;
        if s.fin {
            let end = if d >= 0 {
                self.pos
                    .checked_add(d as u64)
                    .and_then(|p| p.checked_add(len))
            } else {
                self.pos
                    .checked_add(len)
                    .and_then(|p| p.checked_sub(d.unsigned_abs()))
            };
            self.fin_at = self.fin_at.or(end);
        }
        if s.payload.is_empty() {
            return Ok(());
        }
        if d <= 0 {
            // In order, or overlapping what was read: the new octets only.
            let skip = d.unsigned_abs();
            if skip >= len {
                self.retransmitted += 1;
                return Ok(());
            }
            self.deliver(&s.payload[skip as usize..], max)?;
            self.drain(max)
        } else {
            let at = self.pos.checked_add(d as u64).ok_or(Full)?;
            let held = self.ahead.get(&at).map(Vec::len);
            if s.payload.len() <= held.unwrap_or(0) {
                self.retransmitted += 1;
                return Ok(());
            }
            let freed = held.map_or(0, |n| n + SEGMENT_OVERHEAD);
            self.ahead_bytes = self.ahead_bytes - freed + s.payload.len() + SEGMENT_OVERHEAD;
            self.ahead.insert(at, s.payload.to_vec());
            self.check(max)
        }
    }

    fn deliver(&mut self, octets: &[u8], max: usize) -> Result<(), Full> {
        self.buf.extend_from_slice(octets);
        self.pos = self.pos.checked_add(octets.len() as u64).ok_or(Full)?;
        self.next = self.next.map(|n| n.wrapping_add(octets.len() as u32));
        self.check(max)
    }

    /// Moves the segments ahead that the octets read now reach into the buffer.
    fn drain(&mut self, max: usize) -> Result<(), Full> {
        while let Some(entry) = self.ahead.first_entry() {
            let at = *entry.key();
            if at > self.pos {
                break;
            }
            let seg = entry.remove();
            self.ahead_bytes -= seg.len() + SEGMENT_OVERHEAD;
            let overlap = self.pos - at;
            if overlap < seg.len() as u64 {
                self.deliver(&seg[overlap as usize..], max)?;
            } else {
                self.retransmitted += 1;
            }
        }
        Ok(())
    }

    fn check(&self, max: usize) -> Result<(), Full> {
        match self.buf.len().checked_add(self.ahead_bytes) {
            Some(n) if n <= max => Ok(()),
            _ => Err(Full),
        }
    }

    /// The octets read in order and not yet taken.
    pub fn data(&self) -> &[u8] {
        &self.buf
    }

    /// Takes the first `n` unread octets (at most all of them).
    pub fn take(&mut self, n: usize) -> Vec<u8> {
        let n = n.min(self.buf.len());
        let out: Vec<u8> = self.buf.drain(..n).collect();
        if self.buf.is_empty() {
            self.buf = Vec::new(); // give back the memory of what was read
        }
        out
    }

    /// Drops everything held (after `Full`, or when the reader stops reading).
    pub fn clear(&mut self) {
        self.buf = Vec::new();
        self.ahead = BTreeMap::new();
        self.ahead_bytes = 0;
    }

    /// Segments held after a gap that never filled.
    pub fn gaps(&self) -> usize {
        self.ahead.len()
    }

    /// The sender closed this direction (a FIN whose octets before it were all read) or
    /// the connection was reset.
    pub fn closed(&self) -> bool {
        self.reset || self.fin_at.is_some_and(|f| self.pos >= f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seg(seq: u32, payload: &[u8]) -> Segment<'_> {
        Segment {
            seq,
            payload,
            ..Segment::default()
        }
    }

    #[test]
    fn out_of_order_overlapping_and_repeated_segments_read_once_in_order() {
        let mut r = Reassembler::default();
        let syn = Segment {
            seq: u32::MAX - 2,
            syn: true,
            ..Segment::default()
        };
        r.push(syn, 100).unwrap();
        // The first octet is at MAX - 1; the stream crosses the wrap of the sequence space.
        r.push(seg(3, b"fgh"), 100).unwrap(); // ahead
        r.push(seg(u32::MAX - 1, b"ab"), 100).unwrap();
        assert_eq!(r.data(), b"ab");
        r.push(seg(0, b"cde"), 100).unwrap(); // fills the gap; "fgh" follows
        assert_eq!(r.data(), b"abcdefgh");
        r.push(seg(1, b"def"), 100).unwrap(); // a retransmission
        r.push(seg(5, b"hij"), 100).unwrap(); // overlaps: "ij" is new
        assert_eq!(r.data(), b"abcdefghij");
        assert_eq!(r.retransmitted, 1);
        assert_eq!(r.take(4), b"abcd");
        assert_eq!(r.data(), b"efghij");
        assert_eq!(r.gaps(), 0);
    }

    #[test]
    fn a_segment_ahead_overlapping_the_gap_end_is_read_from_its_new_octets() {
        let mut r = Reassembler::default();
        r.push(seg(100, b"ab"), 1000).unwrap();
        r.push(seg(104, b"ef"), 1000).unwrap();
        r.push(seg(103, b"def"), 1000).unwrap(); // held at 103, longer than nothing
        r.push(seg(102, b"c"), 1000).unwrap();
        assert_eq!(r.data(), b"abcdef");
        assert_eq!(r.gaps(), 0);
    }

    #[test]
    fn more_than_the_bound_is_full() {
        let mut r = Reassembler::default();
        r.push(seg(0, b"abcd"), 6).unwrap();
        assert_eq!(r.push(seg(10, b"xyz"), 6), Err(Full));
        // Each segment held ahead costs its overhead too: 1-octet segments cannot pile up.
        let mut r = Reassembler::default();
        r.push(seg(0, b"a"), 1000).unwrap();
        let held = (2..100u32).take_while(|i| r.push(seg(2 * i, b"x"), 1000).is_ok());
        assert_eq!(held.count(), 15);
        let mut r = Reassembler::default();
        r.push(seg(0, b"abcd"), 6).unwrap();
        assert_eq!(r.push(seg(4, b"xyz"), 6), Err(Full));
    }

    #[test]
    fn a_fin_closes_once_the_octets_before_it_are_read() {
        let mut r = Reassembler::default();
        r.push(seg(0, b"ab"), 1000).unwrap();
        let fin = Segment {
            seq: 4,
            fin: true,
            payload: b"e",
            ..Segment::default()
        };
        r.push(fin, 1000).unwrap();
        assert!(!r.closed());
        r.push(seg(2, b"cd"), 1000).unwrap();
        assert!(r.closed());
        assert_eq!(r.data(), b"abcde");
    }
}

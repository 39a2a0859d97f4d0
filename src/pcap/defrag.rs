//! IP fragments (IPv4, RFC 791 3.2; IPv6 fragment header, RFC 8200 4.5) put back together
//! within our own bounds: etherparse's `defrag::IpDefragPool` keeps every datagram in
//! progress with no limit on memory (etherparse 0.21, the version this crate uses), so this
//! pool holds at most `limits.fragment_bytes` octets in all (the oldest datagram in progress
//! is let go first) and lets go of a datagram whose first fragment is `limits.fragment_frames`
//! frames old (a timeout counted in frames, so that a run does not depend on the clock;
//! RFC 791's reassembly timer and RFC 8200 4.5's 60 seconds are times). A datagram is at most
//! 65 535 octets. Fragments that overlap with different octets discard their datagram (RFC
//! 5722 requires it for IPv6; for IPv4 there is no right answer, RFC 1858 3).

use std::collections::{BTreeMap, VecDeque};
use std::net::IpAddr;

/// The bounds (settings `limits.fragment_bytes`, `limits.fragment_frames`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FragmentLimits {
    pub bytes: usize,
    pub frames: usize,
}

impl Default for FragmentLimits {
    fn default() -> Self {
        FragmentLimits {
            bytes: 4 * 1024 * 1024,
            frames: 10_000,
        }
    }
}

/// The largest datagram put together (the IPv4 Total Length and IPv6 Payload Length are
/// 16 bits; jumbograms are not fragmented, RFC 2675 5).
const MAX_DATAGRAM: usize = 65_535;

/// A fragment's datagram: addresses, upper protocol (IPv4) or 0 (IPv6, whose fragment
/// header's identification alone names it with the addresses), identification.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct FragmentKey {
    pub src: IpAddr,
    pub dst: IpAddr,
    pub protocol: u8,
    pub id: u32,
}

/// One fragment: its datagram, the protocol of what it carries, where its octets go, and
/// whether more follow.
#[derive(Debug, Clone, Copy)]
pub struct Fragment<'a> {
    pub key: FragmentKey,
    pub next_header: u8,
    pub offset: usize,
    pub more: bool,
    pub payload: &'a [u8],
}

struct Pending {
    first_frame: usize,
    data: Vec<u8>,
    /// Received ranges, sorted and merged.
    have: Vec<(usize, usize)>,
    total: Option<usize>,
    next_header: u8,
    /// Fragments taken (the frames it stands for).
    fragments: usize,
}

/// What became of the fragments that made no datagram, counted in fragments (frames).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Lost {
    /// Fragments of datagrams let go: too old, to make room, too large, overlapping, or
    /// unfinished at the end of the capture.
    pub expired: usize,
    pub evicted: usize,
    pub oversize: usize,
    pub overlapping: usize,
    pub unfinished: usize,
}

/// The fragments in progress.
#[derive(Default)]
pub struct Defrag {
    limits: FragmentLimits,
    pending: BTreeMap<FragmentKey, Pending>,
    /// Datagrams in progress by age (first frame), for the timeout and eviction.
    order: VecDeque<(usize, FragmentKey)>,
    bytes: usize,
    pub lost: Lost,
}

impl Defrag {
    pub fn new(limits: FragmentLimits) -> Defrag {
        Defrag {
            limits,
            ..Defrag::default()
        }
    }

    /// Lets go of a datagram in progress: how many fragments it had.
    fn remove(&mut self, key: &FragmentKey) -> usize {
        match self.pending.remove(key) {
            Some(p) => {
                self.bytes = self.bytes.saturating_sub(p.data.len());
                p.fragments
            }
            None => 0,
        }
    }

    /// Lets go of the datagrams whose first fragment is too old at `frame`.
    fn expire(&mut self, frame: usize) {
        while let Some(&(first, key)) = self.order.front() {
            let live = self
                .pending
                .get(&key)
                .is_some_and(|p| p.first_frame == first);
            if live && frame.saturating_sub(first) <= self.limits.frames {
                break;
            }
            self.order.pop_front();
            if live {
                self.lost.expired += self.remove(&key);
            }
        }
    }

    /// Adds a fragment read at `frame`; the whole datagram's payload (after the IP headers)
    /// and its protocol when this one completes it.
    pub fn add(&mut self, frame: usize, f: Fragment) -> Option<(FragmentKey, u8, Vec<u8>)> {
        self.expire(frame);
        let end = f.offset.checked_add(f.payload.len())?;
        if end > MAX_DATAGRAM || (f.more && !f.payload.len().is_multiple_of(8)) {
            self.lost.oversize += self.remove(&f.key) + 1;
            return None;
        }
        if let std::collections::btree_map::Entry::Vacant(v) = self.pending.entry(f.key) {
            v.insert(Pending {
                first_frame: frame,
                data: Vec::new(),
                have: Vec::new(),
                total: None,
                next_header: f.next_header,
                fragments: 0,
            });
            self.order.push_back((frame, f.key));
        }
        // Room: the oldest datagrams in progress go first.
        let grow = end.saturating_sub(self.pending.get(&f.key).map_or(0, |p| p.data.len()));
        let mut tries = self.order.len();
        while self.bytes + grow > self.limits.bytes && tries > 0 {
            tries -= 1;
            let Some((first, oldest)) = self.order.pop_front() else {
                break;
            };
            if oldest == f.key {
                self.order.push_back((first, oldest));
                continue;
            }
            self.lost.evicted += self.remove(&oldest);
        }
        if self.bytes + grow > self.limits.bytes {
            self.lost.evicted += self.remove(&f.key) + 1;
            return None;
        }
        let p = self.pending.get_mut(&f.key)?;
        if f.offset == 0 {
            p.next_header = f.next_header;
        }
        let bad_total = match (f.more, p.total) {
            (false, Some(t)) => t != end,
            (true, Some(t)) => end > t,
            (false, None) => p.have.last().is_some_and(|&(_, e)| e > end),
            (true, None) => false,
        };
        // Overlap with different octets: the datagram is discarded.
        let conflict = p.have.iter().any(|&(s, e)| {
            let (lo, hi) = (s.max(f.offset), e.min(end));
            lo < hi && p.data[lo..hi] != f.payload[lo - f.offset..hi - f.offset]
        });
        if bad_total || conflict {
            self.lost.overlapping += self.remove(&f.key) + 1;
            return None;
        }
        if !f.more {
            p.total = Some(end);
        }
        if p.data.len() < end {
            self.bytes += end - p.data.len();
            p.data.resize(end, 0);
        }
        p.data[f.offset..end].copy_from_slice(f.payload);
        p.fragments += 1;
        p.have.push((f.offset, end));
        p.have.sort_unstable();
        let mut merged: Vec<(usize, usize)> = Vec::with_capacity(p.have.len());
        for &(s, e) in &p.have {
            match merged.last_mut() {
                Some(last) if s <= last.1 => last.1 = last.1.max(e),
                _ => merged.push((s, e)),
            }
        }
        p.have = merged;
        let whole = p.total.is_some_and(|t| p.have == [(0, t)]);
        if !whole {
            return None;
        }
        let done = self.pending.remove(&f.key)?;
        self.bytes = self.bytes.saturating_sub(done.data.len());
        Some((f.key, done.next_header, done.data))
    }

    /// The end of the capture: what is still in progress is unfinished.
    pub fn finish(&mut self) -> Lost {
        self.lost.unfinished += self.pending.values().map(|p| p.fragments).sum::<usize>();
        self.pending.clear();
        self.order.clear();
        self.bytes = 0;
        self.lost.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::Ipv4Addr;

    fn key(id: u32) -> FragmentKey {
        FragmentKey {
            src: IpAddr::V4(Ipv4Addr::new(10, 0, 0, 1)),
            dst: IpAddr::V4(Ipv4Addr::new(10, 0, 0, 2)),
            protocol: 17,
            id,
        }
    }

    fn frag(id: u32, offset: usize, more: bool, payload: &[u8]) -> Fragment<'_> {
        Fragment {
            key: key(id),
            next_header: 17,
            offset,
            more,
            payload,
        }
    }

    #[test]
    fn fragments_in_any_order_make_the_datagram() {
        let mut d = Defrag::new(FragmentLimits::default());
        assert!(d.add(1, frag(1, 16, false, b"tail")).is_none());
        assert!(d.add(2, frag(1, 0, true, b"01234567")).is_none());
        let (_, proto, data) = d.add(3, frag(1, 8, true, b"89abcdef")).unwrap();
        assert_eq!((proto, data.as_slice()), (17, &b"0123456789abcdeftail"[..]));
        assert_eq!(d.finish(), Lost::default());
    }

    #[test]
    fn conflicting_overlaps_and_oversize_are_discarded_and_bounds_hold() {
        let mut d = Defrag::new(FragmentLimits {
            bytes: 16,
            frames: 2,
        });
        d.add(1, frag(1, 0, true, b"01234567"));
        assert!(d.add(2, frag(1, 0, true, b"XXXXXXXX")).is_none());
        assert_eq!(d.lost.overlapping, 2, "both fragments");
        assert!(d.add(3, frag(2, 65_530, false, b"0123456789")).is_none());
        assert_eq!(d.lost.oversize, 1);
        d.add(4, frag(3, 0, true, b"01234567"));
        d.add(5, frag(4, 0, true, b"01234567"));
        d.add(6, frag(5, 0, true, b"01234567")); // room made: 3 goes
        assert_eq!(d.lost.evicted, 1);
        d.add(20, frag(6, 0, true, b"01234567")); // 4 and 5 are too old
        assert_eq!(d.lost.expired, 2);
        d.add(22, frag(8, 0, true, b"01234567"));
        assert_eq!(d.lost.evicted, 1, "6 and 8 fit");
        d.add(23, frag(9, 0, true, &[0; 24])); // larger than the pool: itself let go
        assert_eq!(d.lost.expired, 3, "6 is too old by now");
        assert_eq!(d.lost.evicted, 3, "8 and the fragment itself");
        assert_eq!(d.finish().unfinished, 0);
    }
}

//! The session engine's table of terminals: each terminal's state found by hashing its
//! address (not by scanning), kept in a slab in least-recently-used order, at most
//! `limits.session_terminals` at once. Past that bound the terminal idle longest is released;
//! one that has events again after its release is remembered as resumed (its earlier state is
//! gone), so the rules that compare with earlier events say they are incomplete for it rather
//! than pass.

use super::fold::Terminal;
use std::collections::HashMap;
use std::hash::BuildHasher;

/// Whose session an event belongs to: a trace is one session; a capture holds one per
/// terminal address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keying {
    /// Every event is the one terminal's (a session trace).
    Single,
    /// The terminal is the address a push goes to, or a verification or request comes from.
    ByAddress,
}

/// A terminal's key: an IPv4 address in four octets, anything else by its text.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Key {
    /// The one terminal of a trace.
    Whole,
    V4(u32),
    Text(Box<str>),
}

impl Key {
    /// The key of an address (without its port).
    pub fn of(addr: &str) -> Key {
        match addr.parse::<std::net::Ipv4Addr>() {
            Ok(a) => Key::V4(u32::from(a)),
            Err(_) => Key::Text(addr.into()),
        }
    }

    /// A multicast group's address (IPv4 224.0.0.0/4, IPv6 ff00::/8): what is sent to it,
    /// every terminal joined to it receives.
    pub fn is_multicast(&self) -> bool {
        match self {
            Key::Whole => false,
            Key::V4(a) => std::net::Ipv4Addr::from(*a).is_multicast(),
            Key::Text(t) => t
                .trim_start_matches('[')
                .trim_end_matches(']')
                .parse::<std::net::Ipv6Addr>()
                .is_ok_and(|a| a.is_multicast()),
        }
    }

    /// How notes and reasons name it.
    pub fn name(&self) -> String {
        match self {
            Key::Whole => "the session".into(),
            Key::V4(a) => std::net::Ipv4Addr::from(*a).to_string(),
            Key::Text(t) => t.to_string(),
        }
    }
}

const NONE: u32 = u32::MAX;

/// One slot of the slab: the terminal and its neighbours in recency order.
struct Slot {
    terminal: Terminal,
    key: Key,
    newer: u32,
    older: u32,
}

/// The terminals with state, most recently seen first.
pub struct Terminals {
    /// Slab positions by key: IPv4 addresses in a map of their own (8 octets a bucket, where
    /// a map of `Key`s takes 32: a million terminals' index in 16 MiB).
    v4: HashMap<u32, u32>,
    other: HashMap<Key, u32>,
    slots: Vec<Slot>,
    free: Vec<u32>,
    newest: u32,
    oldest: u32,
    bound: usize,
    /// The terminals released so far, as a Bloom filter (two bits each, 16 bits per terminal
    /// of the bound): a false positive only makes a terminal count as resumed, incomplete,
    /// never a wrong pass. Empty until the first release.
    released: Vec<u64>,
    /// The input ended ([`Terminals::close`]): the index is gone, the slab is walked alone.
    closed: bool,
}

/// What `Terminals::get` did besides finding the terminal.
pub struct Got<'t> {
    pub terminal: &'t mut Terminal,
    /// Its state was released before and it is seen again.
    pub resumed: bool,
    /// A terminal released to make room, with its key.
    pub released: Option<(Key, Terminal)>,
}

impl Terminals {
    pub fn new(bound: usize) -> Terminals {
        Terminals {
            v4: HashMap::new(),
            other: HashMap::new(),
            slots: Vec::new(),
            free: Vec::new(),
            newest: NONE,
            oldest: NONE,
            bound: bound.max(1),
            released: Vec::new(),
            closed: false,
        }
    }

    /// The two bits of `key` in the filter (a fixed hash: the same capture is judged alike in
    /// every run).
    fn released_bits(&self, key: &Key) -> [usize; 2] {
        let h = std::hash::BuildHasherDefault::<std::hash::DefaultHasher>::default().hash_one(key);
        let mask = self.released.len() * 64 - 1;
        [h as usize & mask, (h >> 32) as usize & mask]
    }

    fn was_released(&self, key: &Key) -> bool {
        !self.released.is_empty()
            && self
                .released_bits(key)
                .iter()
                .all(|&b| self.released[b / 64] & (1 << (b % 64)) != 0)
    }

    fn mark_released(&mut self, key: &Key) {
        if self.released.is_empty() {
            let bits = (16 * self.bound)
                .next_power_of_two()
                .clamp(1 << 20, 1 << 28);
            self.released = vec![0; bits / 64];
        }
        for b in self.released_bits(key) {
            self.released[b / 64] |= 1 << (b % 64);
        }
    }

    fn unlink(&mut self, i: u32) {
        let (newer, older) = (self.slots[i as usize].newer, self.slots[i as usize].older);
        match newer {
            NONE => self.newest = older,
            n => self.slots[n as usize].older = older,
        }
        match older {
            NONE => self.oldest = newer,
            o => self.slots[o as usize].newer = newer,
        }
    }

    fn link_newest(&mut self, i: u32) {
        self.slots[i as usize].newer = NONE;
        self.slots[i as usize].older = self.newest;
        match self.newest {
            NONE => self.oldest = i,
            n => self.slots[n as usize].newer = i,
        }
        self.newest = i;
    }

    fn find(&self, key: &Key) -> Option<u32> {
        match key {
            Key::V4(a) => self.v4.get(a).copied(),
            k => self.other.get(k).copied(),
        }
    }

    /// The terminal of `key`, made the most recent; a new one when it has no state, the
    /// oldest released first when the table is full.
    pub fn get(&mut self, key: Key) -> Got<'_> {
        if let Some(i) = self.find(&key) {
            self.unlink(i);
            self.link_newest(i);
            return Got {
                terminal: &mut self.slots[i as usize].terminal,
                resumed: false,
                released: None,
            };
        }
        let mut released = None;
        if self.len() >= self.bound {
            released = self.take_oldest();
            if let Some((k, _)) = &released {
                self.mark_released(k);
            }
        }
        let resumed = self.was_released(&key);
        let slot = Slot {
            terminal: Terminal::default(),
            key: key.clone(),
            newer: NONE,
            older: NONE,
        };
        let i = match self.free.pop() {
            Some(i) => {
                self.slots[i as usize] = slot;
                i
            }
            None => {
                self.slots.push(slot);
                (self.slots.len() - 1) as u32
            }
        };
        match key {
            Key::V4(a) => {
                self.v4.insert(a, i);
            }
            k => {
                self.other.insert(k, i);
            }
        }
        self.link_newest(i);
        Got {
            terminal: &mut self.slots[i as usize].terminal,
            resumed,
            released,
        }
    }

    /// The terminal idle longest, taken out of the table (at the end of the input, each in
    /// turn: a `Vec` of all would double the peak).
    pub fn take_oldest(&mut self) -> Option<(Key, Terminal)> {
        let i = self.oldest;
        if i == NONE {
            return None;
        }
        self.unlink(i);
        let slot = &mut self.slots[i as usize];
        let key = std::mem::replace(&mut slot.key, Key::Whole);
        let terminal = std::mem::take(&mut slot.terminal);
        if !self.closed {
            match &key {
                Key::V4(a) => self.v4.remove(a),
                k => self.other.remove(k),
            };
            self.free.push(i);
        }
        Some((key, terminal))
    }

    /// The end of the input: no terminal is looked up again, so the index is dropped at once
    /// rather than emptied entry by entry as [`Terminals::take_oldest`] takes each terminal
    /// (a cache miss each, among a million terminals). Only `take_oldest` may follow.
    pub fn close(&mut self) {
        self.v4 = HashMap::new();
        self.other = HashMap::new();
        self.free = Vec::new();
        self.closed = true;
    }

    pub fn len(&self) -> usize {
        self.v4.len() + self.other.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_oldest_is_released_and_a_returning_one_is_resumed() {
        let mut t = Terminals::new(2);
        let a = Key::of("10.0.0.1");
        let b = Key::of("10.0.0.2");
        let c = Key::of("2001:db8::1");
        assert!(!t.get(a.clone()).resumed);
        assert!(!t.get(b.clone()).resumed);
        // a is seen again: b is now the oldest.
        assert!(t.get(a.clone()).released.is_none());
        let got = t.get(c.clone());
        assert_eq!(got.released.map(|(k, _)| k), Some(b.clone()));
        assert!(!got.resumed);
        let got = t.get(b.clone());
        assert!(got.resumed);
        assert_eq!(got.released.map(|(k, _)| k), Some(a.clone()));
        assert_eq!(t.len(), 2);
        let mut closed = Terminals::new(2);
        closed.get(a.clone());
        closed.get(c.clone());
        let keys: Vec<Key> = std::iter::from_fn(|| t.take_oldest().map(|(k, _)| k)).collect();
        assert_eq!(keys, vec![c.clone(), b]);
        assert!(t.is_empty());
        // Closed, the terminals come out in the same order, the index already gone.
        closed.close();
        let keys: Vec<Key> = std::iter::from_fn(|| closed.take_oldest().map(|(k, _)| k)).collect();
        assert_eq!(keys, vec![a, c]);
        assert_eq!(Key::of("10.1.2.3").name(), "10.1.2.3");
    }
}

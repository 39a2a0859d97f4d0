//! The FLUTE sessions of a capture, followed packet by packet. A session is the packets from
//! one source to one destination address and port with one TSI (RFC 6726 2: the TSI scopes
//! the TOIs "for a given sender"). It is found without configuration when its packets go to
//! a multicast group with a valid LCT header and it carries an FDT instance (TOI 0 with
//! EXT_FDT, RFC 6726 3.4.1), and on the ports of setting `flute.ports` whatever the address.
//!
//! What is handed on, as trace events in capture order (`EventBody::Flute`):
//! - each FDT instance once whole (an instance sent again unchanged, as a carousel does, is
//!   not handed on again), its objects empty: judged as an `fdt` input;
//! - each MTK object once whole — typed `application/mikey` by the FDT, or read as a MIKEY
//!   message with an MTK ID — with the FDT instance that describes it: judged as an MTK
//!   message, and the session rules see the FDT it was delivered under. An MTK object whose
//!   FDT entry has not arrived yet is held until one does, or until the capture ends (then
//!   handed on with the latest instance, or none).
//!
//! Objects that cannot be read (another FEC scheme, over a limit, symbols missing at the
//! end) are named in the summary; those that may be MTK objects (typed `application/mikey`,
//! or with no FDT entry) and unreadable FDT instances make the summary's `incomplete` list.

use super::fdt::{self, FdtEntry};
use super::fec::{self, Fti};
use super::lct::{self, AlcPacket};
use super::object::{Added, Assembly};
use super::FluteSettings;
use crate::pcap::UdpDatagram;
use crate::trace::facts::MikeyFacts;
use crate::trace::{Event, EventBody};
use crate::value::MediaType;
use std::collections::{BTreeMap, BTreeSet};
use std::hash::BuildHasher;
use std::net::IpAddr;

/// An event for the session rules, and whether its FDT is new (to be judged as an input):
/// an object's event carries the FDT it was delivered under, judged already.
#[derive(Debug, Clone)]
pub struct Delivered {
    pub event: Event,
    pub new_fdt: bool,
}

/// What the capture's FLUTE sessions came to, once it is read.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    pub sessions: usize,
    pub packets: usize,
    /// What was read and what was not, for the notes.
    pub notes: Vec<String>,
    /// What may hold an MTK object or FDT instance and could not be read.
    pub incomplete: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Key {
    src: IpAddr,
    dst: IpAddr,
    dport: u16,
    tsi: u64,
}

/// An object's identity in its session: the TOI, and the FDT instance ID for TOI 0.
type ObjectId = (u64, u32);

struct Instance {
    id: u32,
    text: String,
    entries: Vec<FdtEntry>,
}

struct InProgress {
    assembly: Assembly,
    fec_id: u8,
}

struct Session {
    name: String,
    from: String,
    to: String,
    /// An FDT instance was seen (or the port is configured).
    confirmed: bool,
    packets: usize,
    objects: BTreeMap<ObjectId, InProgress>,
    done: BTreeSet<ObjectId>,
    /// Whole FDT instances, the latest last (at most MAX_INSTANCES).
    instances: Vec<Instance>,
    /// Whole MTK objects awaiting their FDT entry (or the session's confirmation).
    held: Vec<(u64, Vec<u8>)>,
    /// Objects that could not be read, with why (at most MAX_PROBLEMS kept).
    problems: BTreeMap<ObjectId, String>,
    other_objects: usize,
    /// MTK objects handed on: TOI and a hash of the content.
    mtks: BTreeSet<(u64, u64)>,
    /// An FDT instance could not be kept: an object without an entry may be described by it.
    lost_fdt: bool,
}

const MAX_INSTANCES: usize = 16;
const MAX_PROBLEMS: usize = 64;
/// Objects remembered as done per session, so that a carousel's repeats are not put together
/// again (past this the set starts over: a repeat is put together again, which costs time
/// only, since MTK objects are also remembered by content, MAX_MTKS).
const MAX_DONE: usize = 4096;
/// MTK objects remembered per session by TOI and content: one sent again unchanged (a
/// carousel) is one delivery, not a repeated MTK.
const MAX_MTKS: usize = 4096;

/// The FLUTE reader of one capture.
pub struct Collector {
    settings: FluteSettings,
    sessions: BTreeMap<Key, Session>,
    /// Octets held by all sessions (objects in progress, held objects, FDT instances).
    bytes: usize,
    objects: usize,
    out: Vec<Delivered>,
    /// Datagrams on `flute.ports` that are no ALC packet: count and first reasons.
    not_alc: (usize, Vec<String>),
    /// Packets of sessions over `flute.max_sessions`.
    over_sessions: usize,
    last_frame: usize,
}

fn is_mikey_type(ct: &str) -> bool {
    MediaType::is(ct, "application/mikey")
}

impl Collector {
    pub fn new(settings: &FluteSettings) -> Collector {
        Collector {
            settings: settings.clone(),
            sessions: BTreeMap::new(),
            bytes: 0,
            objects: 0,
            out: Vec::new(),
            not_alc: (0, Vec::new()),
            over_sessions: 0,
            last_frame: 0,
        }
    }

    /// The events handed on since the last call, in capture order.
    pub fn drain(&mut self) -> Vec<Delivered> {
        std::mem::take(&mut self.out)
    }

    /// Reads one UDP datagram; true when it is taken as FLUTE (or as a packet on a FLUTE
    /// port), false when it is left to be counted as other UDP.
    pub fn datagram(&mut self, d: &UdpDatagram) -> bool {
        self.last_frame = d.frame;
        let configured =
            self.settings.ports.contains(&d.dst_port) || self.settings.ports.contains(&d.src_port);
        if !configured && !d.dst.is_multicast() {
            return false;
        }
        let packet = match lct::read_alc(d.payload) {
            Ok(p) => p,
            Err(e) if configured => {
                self.not_alc.0 += 1;
                if self.not_alc.1.len() < 3 {
                    self.not_alc.1.push(format!("frame {}: {e}", d.frame));
                }
                return true;
            }
            Err(_) => return false,
        };
        let key = Key {
            src: d.src,
            dst: d.dst,
            dport: d.dst_port,
            tsi: packet.lct.tsi,
        };
        if !self.sessions.contains_key(&key) {
            if self.sessions.len() >= self.settings.max_sessions {
                self.over_sessions += 1;
                return configured;
            }
            let to = crate::pcap::endpoint(d.dst, d.dst_port);
            let session = Session {
                name: format!("TSI {} to {to}", packet.lct.tsi),
                from: crate::pcap::endpoint(d.src, d.src_port),
                to,
                confirmed: configured,
                packets: 0,
                objects: BTreeMap::new(),
                done: BTreeSet::new(),
                instances: Vec::new(),
                held: Vec::new(),
                problems: BTreeMap::new(),
                other_objects: 0,
                mtks: BTreeSet::new(),
                lost_fdt: false,
            };
            self.sessions.insert(key.clone(), session);
        }
        self.packet(&key, &packet, d.frame);
        true
    }

    fn packet(&mut self, key: &Key, p: &AlcPacket, frame: usize) {
        let Some(s) = self.sessions.get_mut(key) else {
            return;
        };
        s.packets += 1;
        let fdt = p.lct.ext_fdt();
        let id: ObjectId = match (p.lct.toi, fdt) {
            (0, Some(f)) => {
                s.confirmed = true;
                (0, f.instance_id)
            }
            (0, None) => {
                note_problem(
                    s,
                    (0, u32::MAX),
                    "TOI 0 without EXT_FDT (not an FDT instance)",
                );
                return;
            }
            (toi, _) => (toi, 0),
        };
        if s.done.contains(&id) {
            return;
        }
        if !s.objects.contains_key(&id) {
            if self.objects >= self.settings.max_objects {
                note_problem(
                    s,
                    id,
                    &format!(
                        "over the {} objects in progress of setting flute.max_objects",
                        self.settings.max_objects
                    ),
                );
                return;
            }
            self.objects += 1;
            s.objects.insert(
                id,
                InProgress {
                    assembly: Assembly::default(),
                    fec_id: p.fec_encoding_id,
                },
            );
        }
        let Some(o) = s.objects.get_mut(&id) else {
            return;
        };
        if o.assembly.unreadable.is_some() {
            return;
        }
        let before = o.assembly.cost();
        if let Some(cenc) = p.lct.ext_cenc().filter(|c| *c != 0 && id.0 == 0) {
            // RFC 6726 3.4.3: 1 ZLIB, 2 DEFLATE, 3 GZIP. Not decoded: never judged as text.
            let why = format!("content-encoded (EXT_CENC {cenc}), which is not decoded");
            self.bytes = self.bytes.saturating_sub(before);
            o.assembly.give_up(why.clone());
            note_problem(s, id, &why);
            return;
        }
        let from_fdt = latest_entry(&s.instances, id.0).and_then(|e| e.fti);
        let mut added = feed(
            o,
            p,
            from_fdt.filter(|_| id.0 != 0),
            self.settings.object_bytes,
        );
        self.bytes = self.bytes.saturating_sub(before) + o.assembly.cost();
        if self.bytes > self.settings.max_bytes {
            let why = format!(
                "over the {} octets held for all objects of setting flute.max_bytes",
                self.settings.max_bytes
            );
            self.bytes = self.bytes.saturating_sub(o.assembly.cost());
            added = o.assembly.give_up(why);
        }
        if let Added::Unreadable(why) = added {
            note_problem(s, id, &why);
            return;
        }
        if o.assembly.is_complete() {
            self.complete(key, id, frame);
        }
    }

    /// An object whole: an FDT instance, an MTK object, or another object (let go).
    fn complete(&mut self, key: &Key, id: ObjectId, frame: usize) {
        let Some(s) = self.sessions.get_mut(key) else {
            return;
        };
        let Some(mut o) = s.objects.remove(&id) else {
            return;
        };
        self.objects = self.objects.saturating_sub(1);
        self.bytes = self.bytes.saturating_sub(o.assembly.cost());
        if s.done.len() >= MAX_DONE {
            s.done.clear(); // a repeat after this may be read again: bounded, not wrong
        }
        s.done.insert(id);
        let bytes = o.assembly.take();
        if id.0 == 0 {
            self.fdt_instance(key, id.1, bytes, frame);
            return;
        }
        let entry = latest(&s.instances, id.0);
        let encoding = entry.and_then(|(_, e)| e.content_encoding.as_deref());
        let plain =
            |e: &str| ["identity", "null", ""].contains(&e.trim().to_ascii_lowercase().as_str());
        if let Some(enc) = encoding.filter(|e| !plain(e)) {
            // The object is sent encoded (RFC 6726 3.4.2 Content-Encoding): not decoded.
            let why = format!("content-encoded (Content-Encoding {enc}), which is not decoded");
            note_problem(s, id, &why);
            return;
        }
        let typed_mikey = entry
            .and_then(|(_, e)| e.content_type.as_deref())
            .is_some_and(is_mikey_type);
        if !typed_mikey && !MikeyFacts::of(&bytes).is_mtk() {
            s.other_objects += 1;
            return;
        }
        let seen = (id.0, rustc_hash::FxBuildHasher.hash_one(&bytes));
        if s.mtks.contains(&seen) {
            return;
        }
        if s.mtks.len() < MAX_MTKS {
            s.mtks.insert(seen);
        }
        match entry {
            Some((text, _)) if s.confirmed => {
                let event = object_event(s, frame, text.to_string(), id.0, bytes);
                self.out.push(event);
            }
            _ if self.bytes + bytes.len() > self.settings.max_bytes => {
                let why = format!(
                    "held for its FDT entry over the {} octets of setting flute.max_bytes",
                    self.settings.max_bytes
                );
                note_problem(s, id, &why);
            }
            _ => {
                self.bytes += bytes.len();
                s.held.push((id.0, bytes));
            }
        }
    }

    fn fdt_instance(&mut self, key: &Key, instance: u32, bytes: Vec<u8>, frame: usize) {
        let Some(s) = self.sessions.get_mut(key) else {
            return;
        };
        let text = String::from_utf8_lossy(&bytes).into_owned();
        if s.instances
            .iter()
            .any(|i| i.id == instance && i.text == text)
        {
            return;
        }
        let entries = fdt::entries(&text);
        if s.instances.len() >= MAX_INSTANCES {
            let old = s.instances.remove(0);
            self.bytes = self.bytes.saturating_sub(old.text.len());
        }
        let keep = self.bytes + text.len() <= self.settings.max_bytes;
        if keep {
            self.bytes += text.len();
        } else {
            s.lost_fdt = true;
            note_problem(
                s,
                (0, instance),
                &format!(
                    "kept for its objects over the {} octets of setting flute.max_bytes (judged, not kept)",
                    self.settings.max_bytes
                ),
            );
        }
        let event = flute_event(s, frame, text.clone(), BTreeMap::new(), true);
        self.out.push(event);
        // Objects this instance describes: those held, and those waiting for an FTI.
        let described: BTreeSet<u64> = entries.iter().map(|e| e.toi).collect();
        let (now, still): (Vec<_>, Vec<_>) = std::mem::take(&mut s.held)
            .into_iter()
            .partition(|(toi, _)| described.contains(toi));
        s.held = still;
        for (toi, object) in now {
            self.bytes = self.bytes.saturating_sub(object.len());
            let event = object_event(s, frame, text.clone(), toi, object);
            self.out.push(event);
        }
        let waiting: Vec<(ObjectId, Fti)> = s
            .objects
            .iter()
            .filter(|(id, o)| id.0 != 0 && o.assembly.fti.is_none())
            .filter_map(|(id, _)| {
                let e = entries.iter().find(|e| e.toi == id.0)?;
                Some((*id, e.fti?))
            })
            .collect();
        if keep {
            s.instances.push(Instance {
                id: instance,
                text,
                entries,
            });
        }
        self.fti_from_fdt(key, waiting, frame);
    }

    /// Objects whose FTI an FDT instance gives: set, and handed on if that completes them.
    fn fti_from_fdt(&mut self, key: &Key, waiting: Vec<(ObjectId, Fti)>, frame: usize) {
        let limit = self.settings.object_bytes;
        for (id, fti) in waiting {
            let Some(s) = self.sessions.get_mut(key) else {
                return;
            };
            let Some(o) = s.objects.get_mut(&id) else {
                continue;
            };
            let before = o.assembly.cost();
            let added = o.assembly.set_fti(fti, limit);
            self.bytes = self.bytes.saturating_sub(before) + o.assembly.cost();
            if let Added::Unreadable(why) = added {
                note_problem(s, id, &why);
            } else if o.assembly.is_complete() {
                self.complete(key, id, frame);
            }
        }
    }

    /// Ends the capture: held MTK objects are handed on (with the latest FDT instance, or
    /// none), and what could not be read is summed up.
    pub fn finish(&mut self) -> Summary {
        let mut summary = Summary::default();
        let frame = self.last_frame;
        let mut not_flute = Vec::new();
        for s in self.sessions.values_mut() {
            summary.packets += s.packets;
            if !s.confirmed {
                not_flute.push(format!("{} ({} packets)", s.to, s.packets));
                continue;
            }
            summary.sessions += 1;
            let latest_text = s.instances.last().map(|i| i.text.clone());
            for (toi, object) in std::mem::take(&mut s.held) {
                if s.lost_fdt {
                    // Its entry may be in the instance that was not kept: not judged.
                    let why = "an MTK object with no entry in the FDT instances kept";
                    note_problem(s, (toi, 0), why);
                    continue;
                }
                let fdt = latest_text.clone().unwrap_or_default();
                let event = object_event(s, frame, fdt, toi, object);
                self.out.push(event);
            }
            sum_up(s, &mut summary);
        }
        if !not_flute.is_empty() {
            summary.notes.push(format!(
                "UDP to multicast groups with LCT headers but no FDT instance (TOI 0 with EXT_FDT), not read as FLUTE: {}",
                not_flute.join(", ")
            ));
        }
        if self.not_alc.0 > 0 {
            summary.notes.push(format!(
                "{} on the ports of setting flute.ports not ALC/LCT: {}",
                crate::render::counted(self.not_alc.0, "datagram", "datagrams"),
                self.not_alc.1.join("; ")
            ));
        }
        if self.over_sessions > 0 {
            summary.incomplete.push(format!(
                "{} of sessions over the {} of setting flute.max_sessions not read",
                crate::render::counted(self.over_sessions, "packet", "packets"),
                self.settings.max_sessions
            ));
        }
        summary
    }
}

/// A confirmed session's part of the summary: what could not be read (objects still in
/// progress included), an MTK object or FDT instance among it making it incomplete.
fn sum_up(s: &mut Session, summary: &mut Summary) {
    for (id, o) in &s.objects {
        let (have, of) = o.assembly.progress();
        let why = o.assembly.unreadable.clone().unwrap_or_else(|| {
            if o.assembly.fti.is_none() {
                "no FEC Object Transmission Information (EXT_FTI or FDT) seen".into()
            } else {
                format!("{have} of its {of} source symbols seen (repair symbols are not decoded)")
            }
        });
        s.problems.entry(*id).or_insert(why);
    }
    for (id, why) in &s.problems {
        let (what, may_be_mtk) = match id {
            (0, u32::MAX) => ("a TOI 0 packet".to_string(), false),
            (0, instance) => (format!("FDT instance {instance}"), true),
            (toi, _) => {
                let ct = latest_entry(&s.instances, *toi)
                    .map(|e| e.content_type.as_deref().map(is_mikey_type));
                // Typed application/mikey, or with no FDT entry: may be an MTK.
                let may = matches!(ct, Some(Some(true)) | None);
                (format!("object TOI {toi}"), may)
            }
        };
        let line = format!("session {}: {what} not read: {why}", s.name);
        if may_be_mtk {
            summary.incomplete.push(line);
        } else {
            summary.notes.push(line);
        }
    }
    if s.other_objects > 0 {
        summary.notes.push(format!(
            "session {}: {} other than MTK objects read and let go",
            s.name,
            crate::render::counted(s.other_objects, "object", "objects")
        ));
    }
}

/// Gives one packet to its object: the FEC scheme checked, the FTI set (EXT_FTI, else the
/// FDT's `from_fdt`), the symbols placed.
fn feed(o: &mut InProgress, p: &AlcPacket, from_fdt: Option<Fti>, limit: usize) -> Added {
    if o.fec_id != p.fec_encoding_id {
        let why = format!(
            "packets with FEC Encoding IDs {} and {}",
            o.fec_id, p.fec_encoding_id
        );
        return o.assembly.give_up(why);
    }
    let Some(pid) = p.payload_id else {
        let why = format!(
            "FEC Encoding ID {} ({}) is not read: only Compact No-Code (0) and Raptor (1) are",
            p.fec_encoding_id,
            fec::scheme_name(p.fec_encoding_id)
        );
        return o.assembly.give_up(why);
    };
    let fti = match p.lct.extension(lct::EXT_FTI) {
        Some(ext) => match Fti::from_ext(p.fec_encoding_id, ext.content()) {
            Ok(fti) => Some(fti),
            Err(why) => return o.assembly.give_up(why),
        },
        None => from_fdt,
    };
    if let Some(fti) = fti {
        if let Added::Unreadable(why) = o.assembly.set_fti(fti, limit) {
            return Added::Unreadable(why);
        }
    }
    o.assembly.add(pid, p.symbols, limit)
}

fn note_problem(s: &mut Session, id: ObjectId, why: &str) {
    if s.problems.len() < MAX_PROBLEMS || s.problems.contains_key(&id) {
        s.problems.entry(id).or_insert_with(|| why.to_string());
    }
}

/// The latest FDT instance with an entry for `toi`: its text and the entry.
fn latest(instances: &[Instance], toi: u64) -> Option<(&str, &FdtEntry)> {
    instances.iter().rev().find_map(|i| {
        i.entries
            .iter()
            .find(|e| e.toi == toi)
            .map(|e| (i.text.as_str(), e))
    })
}

fn latest_entry(instances: &[Instance], toi: u64) -> Option<&FdtEntry> {
    latest(instances, toi).map(|(_, e)| e)
}

fn object_event(s: &Session, frame: usize, fdt: String, toi: u64, object: Vec<u8>) -> Delivered {
    flute_event(s, frame, fdt, BTreeMap::from([(toi, object)]), false)
}

/// An event of session `s` at `frame`.
fn flute_event(
    s: &Session,
    frame: usize,
    fdt: String,
    objects: BTreeMap<u64, Vec<u8>>,
    new_fdt: bool,
) -> Delivered {
    Delivered {
        event: Event {
            number: frame,
            at: None,
            from: Some(s.from.clone()),
            to: Some(s.to.clone()),
            role: None,
            body: EventBody::Flute {
                session: s.name.clone(),
                fdt,
                objects,
            },
            facts: Default::default(),
        },
        new_fdt,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::Ipv4Addr;

    fn datagram(frame: usize, payload: &[u8]) -> UdpDatagram<'_> {
        UdpDatagram {
            frame,
            src: IpAddr::V4(Ipv4Addr::new(203, 0, 113, 5)),
            dst: IpAddr::V4(Ipv4Addr::new(239, 1, 1, 1)),
            src_port: 4000,
            dst_port: 4001,
            payload,
        }
    }

    /// An FDT packet: V 1, S 1, O 1; EXT_FDT; EXT_FTI (Compact No-Code); SBN 0, ESI 0.
    fn fdt_packet(fdt: &[u8]) -> Vec<u8> {
        let mut p = vec![0x10, 0xa0, 9, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0];
        p.extend_from_slice(&[192, 0x20, 0, 1]);
        p.extend_from_slice(&[64, 4, 0, 0, 0, 0]);
        p.extend_from_slice(&(fdt.len() as u16).to_be_bytes());
        p.extend_from_slice(&[0, 0, 5, 0x78, 0, 0, 0, 64]);
        p.extend_from_slice(&[0, 0, 0, 0]);
        p.extend_from_slice(fdt);
        p
    }

    #[test]
    fn an_fdt_instance_is_handed_on_once_however_often_it_is_sent() {
        let fdt = br#"<FDT-Instance xmlns="urn:ietf:params:xml:ns:fdt" Expires="1"><File TOI="2" Content-Location="k" Content-Type="application/mikey"/></FDT-Instance>"#;
        let p = fdt_packet(fdt);
        let mut c = Collector::new(&FluteSettings::default());
        for frame in 1..=3 {
            assert!(c.datagram(&datagram(frame, &p)));
        }
        let out = c.drain();
        assert_eq!(out.len(), 1);
        assert!(out[0].new_fdt);
        assert_eq!(out[0].event.number, 1);
        let s = c.finish();
        assert_eq!((s.sessions, s.packets), (1, 3));
        assert!(s.incomplete.is_empty(), "{:?}", s.incomplete);
    }

    #[test]
    fn a_content_encoded_fdt_instance_is_not_judged_as_text_but_incomplete() {
        let mut p = fdt_packet(b"\x1f\x8b gzip octets");
        p[2] += 1; // one more header word: EXT_CENC, GZIP
        p.splice(20..20, [193, 3, 0, 0]);
        let mut c = Collector::new(&FluteSettings::default());
        assert!(c.datagram(&datagram(1, &p)));
        assert!(c.drain().is_empty());
        let s = c.finish();
        assert_eq!(s.incomplete.len(), 1, "{:?}", s);
        assert!(s.incomplete[0].contains("EXT_CENC 3"), "{:?}", s.incomplete);
    }

    #[test]
    fn an_object_the_fdt_says_is_content_encoded_is_not_judged_but_incomplete() {
        let fdt = br#"<FDT-Instance xmlns="urn:ietf:params:xml:ns:fdt" Expires="1"><File TOI="2" Content-Location="k" Content-Type="application/mikey" Content-Encoding="gzip"/></FDT-Instance>"#;
        let object = b"\x1f\x8b\x08 not MIKEY";
        let mut p = vec![0x10, 0xa0, 8, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 2];
        p.extend_from_slice(&[64, 4, 0, 0, 0, 0, 0, object.len() as u8]);
        p.extend_from_slice(&[0, 0, 5, 0x78, 0, 0, 0, 64, 0, 0, 0, 0]);
        p.extend_from_slice(object);
        let mut c = Collector::new(&FluteSettings::default());
        c.datagram(&datagram(1, &fdt_packet(fdt)));
        c.datagram(&datagram(2, &p));
        assert_eq!(c.drain().len(), 1, "the FDT instance only");
        let s = c.finish();
        assert!(
            s.incomplete
                .iter()
                .any(|l| l.contains("Content-Encoding gzip")),
            "{s:?}"
        );
    }

    #[test]
    fn mangled_packets_never_panic_and_memory_stays_bounded() {
        let fdt = br#"<FDT-Instance xmlns="urn:ietf:params:xml:ns:fdt" Expires="1"><File TOI="2" Content-Location="k"/></FDT-Instance>"#;
        let base = fdt_packet(fdt);
        let settings = FluteSettings {
            max_bytes: 4096,
            max_objects: 8,
            max_sessions: 4,
            ..FluteSettings::default()
        };
        let mut c = Collector::new(&settings);
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        for frame in 0..20_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let mut p = base.clone();
            let at = (x as usize) % p.len();
            p[at] = (x >> 32) as u8;
            p.truncate(((x >> 40) as usize) % (p.len() + 1));
            c.datagram(&datagram(frame, &p));
            assert!(c.bytes <= settings.max_bytes + 2 * p.len());
            c.drain();
        }
        c.finish();
    }
}

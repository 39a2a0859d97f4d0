//! FLUTE in packet captures: ALC/LCT packets (RFC 5775, RFC 5651) of FLUTE sessions (RFC 3926
//! version 1, RFC 6726 version 2; 3GPP TS 26.346 7.2, MBMS download) read from the UDP
//! datagrams of a capture, their FDT instances and file objects put together from their
//! encoding symbols (Compact No-Code and Raptor source symbols, [`fec`]), within bounds
//! ([`FluteSettings`]), and handed on as trace events (`EventBody::Flute`), the form a
//! session trace's `flute` events have, so that the same rules judge both.
//!
//! - [`lct`]: one packet, read without copying.
//! - [`fec`]: FEC Object Transmission Information and where a source symbol goes.
//! - [`object`]: one object in progress.
//! - [`fdt`]: what the reassembly reads from an FDT instance.
//! - [`session`]: the sessions of a capture, found and followed; the events they give.

pub mod fdt;
pub mod fec;
pub mod lct;
pub mod object;
pub mod session;

use serde::Deserialize;

/// The `flute` settings (rules/settings.yaml).
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, default)]
pub struct FluteSettings {
    /// UDP ports read as ALC/LCT whatever the destination (FLUTE sessions to multicast
    /// groups are found without them).
    pub ports: Vec<u16>,
    /// Largest object (transfer length) put together, in octets.
    pub object_bytes: usize,
    /// Most octets held for all objects in progress and FDT instances kept.
    pub max_bytes: usize,
    /// Most objects in progress at once, over all sessions.
    pub max_objects: usize,
    /// Most sessions (and multicast flows that may be one) followed at once.
    pub max_sessions: usize,
}

impl Default for FluteSettings {
    fn default() -> Self {
        FluteSettings {
            ports: Vec::new(),
            object_bytes: 1024 * 1024,
            max_bytes: 16 * 1024 * 1024,
            max_objects: 4096,
            max_sessions: 256,
        }
    }
}

//! mikeyconf: a conformance test suite and validator for MIKEY-based key management in
//! broadcast and mission-critical services (3GPP MBMS, OMA BCAST, MCVideo).
//!
//! The data's way through: input ([`xml`]) → parse into a tree with positions → judge with
//! the rule tables ([`engine`], [`rules`], [`checks`], [`xsd`]) → [`finding`]s → one
//! renderer per output format ([`render`]).
#![forbid(unsafe_code)]

pub mod baseline;
pub mod bounded;
pub mod charname;
pub mod checks;
pub mod config;
pub mod cpns;
pub mod crypto;
pub mod engine;
pub mod exchange;
pub mod finding;
pub mod flute;
pub mod format;
pub mod keyring;
pub mod line_index;
pub mod mikey;
pub mod pcap;
pub mod per_file_ignores;
pub mod plural;
pub mod profile;
pub mod render;
pub mod requirements;
pub mod rules;
pub mod selection;
pub mod settings;
pub mod sip;
pub mod spec;
pub mod suite;
pub mod tcp;
pub mod trace;
pub mod value;
pub mod vector_outcome;
pub mod xml;
pub mod xsd;
pub mod yaml;

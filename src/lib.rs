//! mikeyconf: a conformance test suite and validator for MIKEY-based key management in
//! broadcast and mission-critical services (3GPP MBMS, OMA BCAST, MCVideo, OMA CPNS).
//!
//! # As a library
//!
//! Build an [`Engine`] once ([`Engine::builtin`], or [`Engine::builder`] for settings, rule
//! tables, an implementation profile, a keyring and a selection of rules), then judge inputs
//! with it: [`Engine::check_bytes`], [`Engine::check_path`], [`Engine::check_reader`]. Each
//! gives a [`Report`]: the [`Verdict`], every [`Finding`] with its clause and place, and each
//! rule's [`Outcome`] (a rule not applied is never passed). [`Engine::decode`] lists the MIKEY
//! messages an input holds. Inputs are named by [`Kind`]; what cannot be built or decoded is
//! an [`Error`].
//!
//! ```
//! use mikeyconf::{Engine, Verdict};
//!
//! let engine = Engine::builtin()?;
//! let report = engine.check_path("vectors/xml/msk-request/mskid-3-octets.xml");
//! assert_eq!(report.verdict(), Verdict::NonConformant);
//! for finding in report.findings() {
//!     println!("{}:{} {} ({}): {}", finding.location.line, finding.location.column,
//!              finding.rule, finding.clause, finding.message);
//! }
//! # Ok::<(), mikeyconf::Error>(())
//! ```
//!
//! `examples/embed.rs` is a vendor's test rig built on it (`cargo run --example embed`).
//!
//! # What is stable
//!
//! The items documented here: [`Engine`], [`EngineBuilder`], [`Report`], [`Decoded`],
//! [`DecodedMessage`], [`RuleInfo`], [`Kind`], [`Error`] and the finding model they hand out ([`Verdict`],
//! [`Finding`], [`Location`], [`Level`], [`Severity`], [`Status`], [`FindingVerdict`],
//! [`RuleOutcome`], [`Outcome`]). Everything else is private to the crate; what its own
//! command line, tests, benches, examples and fuzz targets need of it is reached through one
//! module, `mikeyconf::internals`, hidden from these docs and free to change in any release
//! (ARCHITECTURE.md, "The library's face").
//!
//! The data's way through: input ([`Engine::check_bytes`]) → the format table tells how it is
//! read → a reader (XML, MIKEY, captures, SIP, traces) builds a model with positions → the
//! rule tables and check kinds judge it → findings and rule outcomes → one renderer per
//! output format (the command line's).
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod api;

pub use api::{
    escape_controls, escape_controls_but, set_after_prescan, Baseline, Config, ConfigOptions,
    Decoded, DecodedMessage, Engine, EngineBuilder, Error, Format, Inputs, Kind, ProbeCase,
    ProbeOptions, ProbeRun, ReferenceBsm, Report, ReportOptions, ReportWriter, RuleInfo,
    ServeOptions, Suite, SummaryLine, TraceSources,
};
pub use finding::{
    Finding, FindingVerdict, Level, Location, Outcome, RuleOutcome, Severity, Skipped, Status,
    Verdict,
};

// The internals: private to the crate (`#![warn(missing_docs)]` is for the facade; each
// module's `//!` header says what it does). What the binary, the tests, benches, examples and
// fuzz targets need of them is reached through one door, `internals`, hidden from the docs
// and free to change in any release (ARCHITECTURE.md, "The library's face").
// Their docs may link each other's items (`crate::value::Uri`): the links are for a reader of
// the source and of `cargo doc --document-private-items`, never in the public docs.
#[allow(missing_docs, rustdoc::private_intra_doc_links)]
mod active;
#[allow(missing_docs, rustdoc::private_intra_doc_links)]
mod baseline;
#[allow(missing_docs, rustdoc::private_intra_doc_links)]
mod bounded;
#[allow(missing_docs, rustdoc::private_intra_doc_links)]
mod charname;
#[allow(missing_docs, rustdoc::private_intra_doc_links)]
mod checks;
#[allow(missing_docs, rustdoc::private_intra_doc_links)]
mod config;
#[allow(missing_docs, rustdoc::private_intra_doc_links)]
mod cpns;
#[allow(missing_docs, rustdoc::private_intra_doc_links)]
mod crypto;
#[allow(missing_docs, rustdoc::private_intra_doc_links)]
mod engine;
#[allow(missing_docs, rustdoc::private_intra_doc_links)]
mod exchange;
#[allow(missing_docs, rustdoc::private_intra_doc_links)]
mod finding;
#[allow(missing_docs, rustdoc::private_intra_doc_links)]
mod flute;
#[allow(missing_docs, rustdoc::private_intra_doc_links)]
mod format;
#[allow(missing_docs, rustdoc::private_intra_doc_links)]
mod keyring;
#[allow(missing_docs, rustdoc::private_intra_doc_links)]
mod line_index;
#[allow(missing_docs, rustdoc::private_intra_doc_links)]
mod mikey;
#[allow(missing_docs, rustdoc::private_intra_doc_links)]
mod pcap;
#[allow(missing_docs, rustdoc::private_intra_doc_links)]
mod per_file_ignores;
#[allow(missing_docs, rustdoc::private_intra_doc_links)]
mod plural;
#[allow(missing_docs, rustdoc::private_intra_doc_links)]
mod profile;
#[allow(missing_docs, rustdoc::private_intra_doc_links)]
mod render;
#[allow(missing_docs, rustdoc::private_intra_doc_links)]
mod requirements;
#[allow(missing_docs, rustdoc::private_intra_doc_links)]
mod rules;
#[allow(missing_docs, rustdoc::private_intra_doc_links)]
mod sdp;
#[allow(missing_docs, rustdoc::private_intra_doc_links)]
mod selection;
#[allow(missing_docs, rustdoc::private_intra_doc_links)]
mod settings;
#[allow(missing_docs, rustdoc::private_intra_doc_links)]
mod sip;
#[allow(missing_docs, rustdoc::private_intra_doc_links)]
mod spec;
#[allow(missing_docs, rustdoc::private_intra_doc_links)]
mod suite;
#[allow(missing_docs, rustdoc::private_intra_doc_links)]
mod tcp;
#[allow(missing_docs, rustdoc::private_intra_doc_links)]
mod trace;
#[allow(missing_docs, rustdoc::private_intra_doc_links)]
mod value;
#[allow(missing_docs, rustdoc::private_intra_doc_links)]
mod vector_outcome;
#[allow(missing_docs, rustdoc::private_intra_doc_links)]
mod xml;
#[allow(missing_docs, rustdoc::private_intra_doc_links)]
mod xsd;
#[allow(missing_docs, rustdoc::private_intra_doc_links)]
mod yaml;

/// The crate's internals, for its own command line, tests, benches, examples and fuzz
/// targets: not the library's API, hidden from its docs, free to change in any release.
/// Each module here re-exports the public items of the internal module of the same name.
#[doc(hidden)]
pub mod internals {
    pub mod active {
        pub use crate::active::*;
    }
    pub use crate::api::rules_from_dir;
    pub mod render {
        pub use crate::render::*;
    }
    pub mod engine {
        pub use crate::engine::*;
    }
    pub mod settings {
        pub use crate::settings::*;
    }
    pub mod finding {
        pub use crate::finding::*;
    }
    pub mod mikey {
        pub use crate::mikey::*;
    }
    pub mod rules {
        pub use crate::rules::*;
    }
    pub mod spec {
        pub use crate::spec::*;
    }
    pub mod suite {
        pub use crate::suite::*;
    }
    pub mod pcap {
        pub use crate::pcap::*;
    }
    pub mod xsd {
        pub use crate::xsd::*;
    }
    pub mod format {
        pub use crate::format::*;
    }
    pub mod crypto {
        pub use crate::crypto::*;
    }
    pub mod trace {
        pub use crate::trace::*;
    }
    pub mod config {
        pub use crate::config::*;
    }
    pub mod exchange {
        pub use crate::exchange::*;
    }
    pub mod sip {
        pub use crate::sip::*;
    }
    pub mod keyring {
        pub use crate::keyring::*;
    }
    pub mod requirements {
        pub use crate::requirements::*;
    }
    pub mod bounded {
        pub use crate::bounded::*;
    }
    pub mod baseline {
        pub use crate::baseline::*;
    }
    pub mod yaml {
        pub use crate::yaml::*;
    }
    pub mod xml {
        pub use crate::xml::*;
    }
    pub mod profile {
        pub use crate::profile::*;
    }
    pub mod flute {
        pub use crate::flute::*;
    }
    pub mod checks {
        pub use crate::checks::*;
    }
    pub mod charname {
        pub use crate::charname::*;
    }
}

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
//! [`DecodedMessage`], [`Kind`], [`Error`] and the finding model they hand out ([`Verdict`],
//! [`Finding`], [`Location`], [`Level`], [`Severity`], [`Status`], [`FindingVerdict`],
//! [`RuleOutcome`], [`Outcome`]). Every module (`mikeyconf::engine`, `mikeyconf::mikey`, ...)
//! is the crate's internals: public only so that its own command line, tests, benches and
//! fuzz targets reach them, hidden from these docs, and free to change in any release
//! (ARCHITECTURE.md, "The library's face").
//!
//! The data's way through: input ([`Engine::check_bytes`]) → the format table tells how it is
//! read → a reader (XML, MIKEY, captures, SIP, traces) builds a model with positions → the
//! rule tables and check kinds judge it → findings and rule outcomes → one renderer per
//! output format (the command line's).
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod api;

#[doc(hidden)]
pub use api::rules_from_dir;
pub use api::{Decoded, DecodedMessage, Engine, EngineBuilder, Error, Kind, Report};
pub use finding::{
    Finding, FindingVerdict, Level, Location, Outcome, RuleOutcome, Severity, Status, Verdict,
};

// The internals: `pub` for the binary, tests, benches and fuzz targets at stable paths,
// `#[doc(hidden)]` because none of them is the library's API (ARCHITECTURE.md).
#[doc(hidden)]
pub mod baseline;
#[doc(hidden)]
pub mod bounded;
#[doc(hidden)]
pub mod charname;
#[doc(hidden)]
pub mod checks;
#[doc(hidden)]
pub mod config;
#[doc(hidden)]
pub mod cpns;
#[doc(hidden)]
pub mod crypto;
#[doc(hidden)]
pub mod engine;
#[doc(hidden)]
pub mod exchange;
#[doc(hidden)]
pub mod finding;
#[doc(hidden)]
pub mod flute;
#[doc(hidden)]
pub mod format;
#[doc(hidden)]
pub mod keyring;
#[doc(hidden)]
pub mod line_index;
#[doc(hidden)]
pub mod mikey;
#[doc(hidden)]
pub mod pcap;
#[doc(hidden)]
pub mod per_file_ignores;
#[doc(hidden)]
pub mod plural;
#[doc(hidden)]
pub mod profile;
#[doc(hidden)]
pub mod render;
#[doc(hidden)]
pub mod requirements;
#[doc(hidden)]
pub mod rules;
#[doc(hidden)]
pub mod sdp;
#[doc(hidden)]
pub mod selection;
#[doc(hidden)]
pub mod settings;
#[doc(hidden)]
pub mod sip;
#[doc(hidden)]
pub mod spec;
#[doc(hidden)]
pub mod suite;
#[doc(hidden)]
pub mod tcp;
#[doc(hidden)]
pub mod trace;
#[doc(hidden)]
pub mod value;
#[doc(hidden)]
pub mod vector_outcome;
#[doc(hidden)]
pub mod xml;
#[doc(hidden)]
pub mod xsd;
#[doc(hidden)]
pub mod yaml;

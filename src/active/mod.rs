//! Active testing (issue 25): `mikeyconf serve`, a reference BSM with faults, and
//! `mikeyconf probe`, which plays the terminal against a live BSM and judges every exchange
//! with the engine `check` uses for `.http` files.
//!
//! The server ([`serve`]) builds its answers with the MIKEY encoder and the crypto module only:
//! it names no rule and no check kind, so a wrong rule is not mirrored by a server that reads
//! it. The probe ([`probe`]) owns no expectation of its own: it sends, records the exchange as
//! raw HTTP/1.1 and hands those bytes to the library's facade.

pub mod digest;
pub mod probe;
pub mod serve;

/// `text` with the XML special characters escaped, for the bodies both sides write.
pub fn xml_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

//! The spelling relation: rewrites of a vector that mean the same. XML documents (`xml.rs`),
//! SIP messages (`sip.rs`), the XML bodies of raw HTTP exchanges (`http.rs`), MIKEY text forms and IPv6 addresses in traces (`text.rs`).

mod http;
mod sip;
mod text;
mod xml;
mod xml_tokens;
mod xsd_types;

use crate::subject::{Content, Subject};
use std::sync::OnceLock;

pub struct Variant {
    pub name: &'static str,
    pub bytes: Vec<u8>,
    /// The input it must judge like, when not the vector itself (a trace whose addresses
    /// were moved to IPv6, written one way throughout).
    pub like: Option<Vec<u8>>,
}

impl Variant {
    pub fn of(name: &'static str, bytes: Vec<u8>) -> Variant {
        Variant {
            name,
            bytes,
            like: None,
        }
    }
}

fn schemas() -> &'static mikeyconf::internals::xsd::SchemaSet {
    static SET: OnceLock<mikeyconf::internals::xsd::SchemaSet> = OnceLock::new();
    SET.get_or_init(xsd_types::schemas)
}

pub fn variants(s: &Subject) -> Vec<Variant> {
    match &s.content {
        Content::Xml { .. } => match std::str::from_utf8(&s.bytes) {
            Ok(text) => xml::variants(text, schemas()),
            Err(_) => Vec::new(),
        },
        Content::Mikey(m) => text::mikey_variants(m),
        Content::Sip => sip::variants(&s.bytes),
        Content::Http => http::variants(&s.bytes, schemas()),
        Content::Trace => {
            let mut v = text::trace_variants(&s.bytes);
            v.extend(text::trace_fdt_variants(&s.bytes, schemas()));
            v.extend(text::trace_sip_variants(&s.bytes));
            v
        }
        Content::Other => Vec::new(),
    }
}

/// The SIP text respelled by the spelling named `which` (`sip-compact-forms`, …), when that
/// spelling changes it: for carriers spelled like the SIP vectors.
pub fn sip_respelled(bytes: &[u8], which: &str) -> Option<Vec<u8>> {
    sip::variants(bytes)
        .into_iter()
        .find(|v| v.name == which)
        .map(|v| v.bytes)
}

/// The spelling that changes a value: for the self-test, which must see it differ.
pub fn xml_value_changed(text: &str) -> Option<String> {
    xml::value_changed(text, schemas())
}

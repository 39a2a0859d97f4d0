//! Checks on a session (a trace, or one terminal's events in a capture): what was agreed at
//! registration and later used, the verification messages, where pushes go, key freshness,
//! deregistration, FLUTE delivery of MTKs. One fold ([`fold`]) reads the events in order and
//! keeps per terminal ([`terminals`]) what a later event can still change; each check kind
//! judges the facts it gives ([`Step`]) as soon as they are certain. Each hit names the
//! event it concerns.

pub(crate) use super::exchange::{delivery_types, elements, text};
pub(crate) use super::kind::{CheckKind, TraceCheck};
pub(crate) use crate::settings::Settings;
pub(crate) use crate::trace::facts::MikeyFacts;
pub(crate) use crate::trace::{Event, EventBody};
pub(crate) use crate::xsd::simple::decode_base64;
pub(crate) use fold::{PairedBy, Sort, State, Step};
pub(crate) use serde::Deserialize;
pub(crate) use std::collections::BTreeMap;

pub mod capture_complete;
pub mod delivery_as_agreed;
pub mod dereg_lists_all;
pub mod flute_mtk;
pub mod fold;
pub mod key_freshness;
pub mod no_mtk_verification;
pub mod push_to_registration_source;
pub mod sms_ltkm_is_trigger;
pub mod step;
pub mod terminals;
pub mod verification;

/// What a session check may look at besides the step: the settings, and the trace's name →
/// address map (BCAST-DLV-12).
pub struct StepCtx<'a> {
    pub settings: &'a Settings,
    pub resolve: &'a BTreeMap<String, String>,
}

/// One place in a session where a rule is violated.
#[derive(Debug, Clone)]
pub struct TraceHit {
    pub event: usize,
    pub vars: Vec<(&'static str, String)>,
}

pub(crate) fn hit(event: usize, vars: Vec<(&'static str, String)>) -> TraceHit {
    TraceHit { event, vars }
}

/// Elements of a parsed body by local name.
pub(crate) fn xml_elements<'a, 'd>(
    doc: &'a roxmltree::Document<'d>,
    local: &'a str,
) -> impl Iterator<Item = roxmltree::Node<'a, 'd>> + 'a {
    elements(Some(doc), local)
}

pub(crate) fn code_of(t: &str) -> Option<u16> {
    super::xml::status_code(t)
}

/// Runs `f` on the parsed request and response bodies of an HTTP event.
pub(crate) fn with_docs<R>(
    e: &Event,
    f: impl FnOnce(Option<&roxmltree::Document>, Option<&roxmltree::Document>, u16) -> R,
) -> Option<R> {
    let EventBody::Http(ex) = &e.body else {
        return None;
    };
    let req = String::from_utf8_lossy(&ex.request.body).to_string();
    let resp = String::from_utf8_lossy(&ex.response.body).to_string();
    let rd = crate::xml::parse_bounded(req.trim());
    let pd = crate::xml::parse_bounded(resp.trim());
    Some(f(
        rd.as_ref(),
        pd.as_ref(),
        ex.response.status().unwrap_or(0),
    ))
}

pub(crate) fn root_is(doc: Option<&roxmltree::Document>, local: &str) -> bool {
    doc.is_some_and(|d| d.root_element().tag_name().name() == local)
}

/// A UDP MIKEY message from the BSM that is an LTKM: by role, else by its OMA extension.
pub(crate) fn is_ltkm(e: &Event, message: &[u8]) -> bool {
    match e.role.as_deref() {
        Some(r) => r == "ltkm",
        None => e.facts_of(message).oma_ltkm,
    }
}

pub(crate) fn is_verification(e: &Event, f: &MikeyFacts) -> bool {
    e.role.as_deref() == Some("verification") || (e.role.is_none() && f.is_verification())
}

pub(crate) fn is_mtk(e: &Event, f: &MikeyFacts) -> bool {
    e.role.as_deref() == Some("mtk") || (e.role.is_none() && f.is_mtk())
}

/// A `File` entry of an FDT instance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FdtFile {
    /// The TOI as written.
    pub toi_text: String,
    /// The TOI in its value space (`xs:positiveInteger`, RFC 6726 3.4.2): `TOI="02"` is TOI
    /// 2. None when the attribute is missing or not a positiveInteger.
    pub toi: Option<u64>,
    pub content_type: Option<String>,
}

impl FdtFile {
    /// Whether this entry describes the object of transport object identifier `toi`.
    pub fn is_object(&self, toi: u64) -> bool {
        self.toi == Some(toi)
    }
}

/// The `File` entries of an FDT instance.
pub(crate) fn fdt_files(fdt: &str) -> Vec<FdtFile> {
    let Some(doc) = crate::xml::parse_bounded(fdt.trim()) else {
        return Vec::new();
    };
    let toi_type = crate::value::IntegerType::named("positiveInteger");
    doc.descendants()
        .filter(|n| n.is_element() && n.tag_name().name() == "File")
        .map(|n| {
            let toi_text = n.attribute("TOI").unwrap_or("").to_string();
            FdtFile {
                toi: toi_type
                    .and_then(|t| t.parse(&toi_text))
                    .and_then(|v| u64::try_from(v).ok()),
                toi_text,
                content_type: n.attribute("Content-Type").map(str::to_string),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fdt_files_reads_toi_and_type() {
        let f = fdt_files(
            r#"<FDT-Instance xmlns="urn:ietf:params:xml:ns:fdt" Expires="1"><File TOI="1" Content-Location="a" Content-Type="video/mp4"/><File TOI=" 02" Content-Location="k" Content-Type="application/mikey"/><File TOI="x" Content-Location="b"/></FDT-Instance>"#,
        );
        let tois: Vec<_> = f.iter().map(|e| (e.toi, e.toi_text.as_str())).collect();
        assert_eq!(tois, vec![(Some(1), "1"), (Some(2), " 02"), (None, "x")]);
        assert!(f[1].is_object(2));
        assert_eq!(f[1].content_type.as_deref(), Some("application/mikey"));
        assert_eq!(f[2].content_type, None);
    }
}

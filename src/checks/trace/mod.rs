//! Checks on a whole session trace: what was agreed at registration and later used, the
//! verification messages, where pushes go, key freshness, deregistration, FLUTE delivery of
//! MTKs. Each hit names the event it concerns.

pub(crate) use super::exchange::{delivery_types, elements, text};
pub(crate) use super::kind::{CheckKind, TraceCheck};
pub(crate) use crate::settings::Settings;
pub(crate) use crate::trace::facts::{serial_lt, MikeyFacts};
pub(crate) use crate::trace::{addr, Event, EventBody, Trace};
pub(crate) use crate::xsd::simple::decode_base64;
pub(crate) use serde::Deserialize;
pub(crate) use std::collections::{BTreeMap, BTreeSet};

pub mod delivery_as_agreed;
pub mod dereg_lists_all;
pub mod flute_mtk;
pub mod key_freshness;
pub mod no_mtk_verification;
pub mod push_to_registration_source;
pub mod sms_ltkm_is_trigger;
pub mod verification;

/// What a trace check may look at.
pub struct TraceCtx<'a> {
    pub trace: &'a Trace,
    pub settings: &'a Settings,
}

/// One place in a trace where a rule is violated.
#[derive(Debug, Clone)]
pub struct TraceHit {
    pub event: usize,
    pub vars: Vec<(&'static str, String)>,
}

pub(crate) fn hit(event: usize, vars: Vec<(&'static str, String)>) -> TraceHit {
    TraceHit { event, vars }
}

/// An LTKM of the trace, in processing order: where it came from and what it says.
pub(crate) struct Ltkm {
    pub event: usize,
    pub mechanism: u8,
    pub facts: MikeyFacts,
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
    let rd = roxmltree::Document::parse(req.trim()).ok();
    let pd = roxmltree::Document::parse(resp.trim()).ok();
    Some(f(
        rd.as_ref(),
        pd.as_ref(),
        ex.response.status().unwrap_or(0),
    ))
}

pub(crate) fn root_is(doc: Option<&roxmltree::Document>, local: &str) -> bool {
    doc.is_some_and(|d| d.root_element().tag_name().name() == local)
}

/// The delivery mechanisms a registration exchange agreed, when it was one with status 200.
pub(crate) fn agreed_by(e: &Event) -> Option<Vec<u8>> {
    with_docs(e, |req, resp, status| {
        if !root_is(req, "mbmsSecurityRegister") || status != 200 {
            return None;
        }
        let types = |doc: Option<&roxmltree::Document>, container: &str| -> Option<Vec<u8>> {
            delivery_types(doc, container).map(|t| t.into_iter().map(|(v, _)| v).collect())
        };
        // Without LTKMDelivery in the response, only UDP is used (CR 0821 5.1.6.10.1).
        Some(types(resp, "RegistrationResponseExtension").unwrap_or_else(|| vec![0]))
    })
    .flatten()
}

/// The LTKMs of the trace in processing order (events in order, LTKMs in document order).
pub(crate) fn ltkms(trace: &Trace) -> Vec<Ltkm> {
    let mut out = Vec::new();
    for e in &trace.events {
        match &e.body {
            EventBody::Udp { message } if is_ltkm(e, message) => out.push(Ltkm {
                event: e.number,
                mechanism: 0,
                facts: MikeyFacts::of(message),
            }),
            EventBody::Sms { message } => out.push(Ltkm {
                event: e.number,
                mechanism: 1,
                facts: MikeyFacts::of(message),
            }),
            EventBody::Http(_) => {
                let found = with_docs(e, |_, resp, _| {
                    resp.map(|d| {
                        xml_elements(d, "LTKM")
                            .filter_map(|n| decode_base64(&text(n)).ok())
                            .map(|b| MikeyFacts::of(&b))
                            .collect::<Vec<_>>()
                    })
                    .unwrap_or_default()
                })
                .unwrap_or_default();
                out.extend(found.into_iter().map(|facts| Ltkm {
                    event: e.number,
                    mechanism: 2,
                    facts,
                }));
            }
            _ => {}
        }
    }
    out
}

/// A UDP MIKEY message from the BSM that is an LTKM: by role, else by its OMA extension.
pub(crate) fn is_ltkm(e: &Event, message: &[u8]) -> bool {
    match e.role.as_deref() {
        Some(r) => r == "ltkm",
        None => MikeyFacts::of(message).oma_ltkm,
    }
}

pub(crate) fn is_verification(e: &Event, f: &MikeyFacts) -> bool {
    e.role.as_deref() == Some("verification") || (e.role.is_none() && f.is_verification())
}

pub(crate) fn is_mtk(e: &Event, f: &MikeyFacts) -> bool {
    e.role.as_deref() == Some("mtk") || (e.role.is_none() && f.is_mtk())
}

/// The `File` entries of an FDT instance: (TOI, Content-Type).
pub(crate) fn fdt_files(fdt: &str) -> Vec<(String, Option<String>)> {
    let Ok(doc) = roxmltree::Document::parse(fdt.trim()) else {
        return Vec::new();
    };
    doc.descendants()
        .filter(|n| n.is_element() && n.tag_name().name() == "File")
        .map(|n| {
            (
                n.attribute("TOI").unwrap_or("").to_string(),
                n.attribute("Content-Type").map(str::to_string),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fdt_files_reads_toi_and_type() {
        let f = fdt_files(
            r#"<FDT-Instance xmlns="urn:ietf:params:xml:ns:fdt" Expires="1"><File TOI="1" Content-Location="a" Content-Type="video/mp4"/><File TOI="2" Content-Location="k" Content-Type="application/mikey"/></FDT-Instance>"#,
        );
        assert_eq!(
            f,
            vec![
                ("1".into(), Some("video/mp4".into())),
                ("2".into(), Some("application/mikey".into()))
            ]
        );
    }
}

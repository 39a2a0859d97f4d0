//! Checks on a whole session trace: what was agreed at registration and later used, the
//! verification messages, where pushes go, key freshness, deregistration, FLUTE delivery of
//! MTKs. Each hit names the event it concerns.

pub(crate) use super::exchange::{delivery_types, elements, text};
pub(crate) use super::kind::{CheckKind, TraceCheck};
pub(crate) use crate::settings::Settings;
pub(crate) use crate::trace::facts::{serial_lt, MikeyFacts};
pub(crate) use crate::trace::{Event, EventBody, Trace};
pub(crate) use crate::xsd::simple::decode_base64;
pub(crate) use serde::Deserialize;
pub(crate) use std::collections::{BTreeMap, BTreeSet};

pub mod capture_complete;
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
    /// The mechanisms the registration in force agreed (None: no registration before it).
    pub agreed: Option<Vec<u8>>,
    /// It came in the response of that registration.
    pub in_registration: bool,
}

impl Ltkm {
    /// Delivered by a mechanism the registration in force did not agree: "The terminal MAY
    /// ignore LTKMs delivered by the BSM using other delivery mechanisms" (OMA BCAST
    /// 5.1.6.10.4), so it is not necessarily processed.
    pub fn may_be_ignored(&self) -> bool {
        self.agreed
            .as_ref()
            .is_some_and(|a| !a.contains(&self.mechanism))
    }
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

/// The LTKMs of the trace in processing order (events in order, LTKMs in document order),
/// each with the agreement in force when it arrived.
pub(crate) fn ltkms(trace: &Trace) -> Vec<Ltkm> {
    let mut out = Vec::new();
    let mut agreed: Option<Vec<u8>> = None;
    for e in &trace.events {
        let own = agreed_by(e);
        let in_registration = own.is_some();
        agreed = own.or(agreed);
        let found: Vec<(u8, MikeyFacts)> = match &e.body {
            EventBody::Udp { message } if is_ltkm(e, message) => {
                vec![(0, e.facts_of(message).into_owned())]
            }
            EventBody::Sms { message } => vec![(1, e.facts_of(message).into_owned())],
            EventBody::Http(_) => with_docs(e, |_, resp, _| {
                resp.map(|d| {
                    xml_elements(d, "LTKM")
                        .filter_map(|n| decode_base64(&text(n)).ok())
                        .map(|b| (2, MikeyFacts::of(&b)))
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
            })
            .unwrap_or_default(),
            _ => Vec::new(),
        };
        out.extend(found.into_iter().map(|(mechanism, facts)| Ltkm {
            event: e.number,
            mechanism,
            facts,
            agreed: agreed.clone(),
            in_registration,
        }));
    }
    out
}

/// What a MIKEY message delivered to the terminal is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Sort {
    Ltkm,
    Msk,
    Mtk,
}

/// A MIKEY message delivered to the terminal, in processing order.
pub(crate) struct Delivered {
    pub event: usize,
    pub sort: Sort,
    pub facts: MikeyFacts,
    /// An LTKM the terminal may ignore ([`Ltkm::may_be_ignored`]).
    pub may_be_ignored: bool,
}

/// A verification message and the message it answers.
pub(crate) struct Pairing {
    /// The verification message's event.
    pub event: usize,
    /// The address it was sent to.
    pub to: Option<String>,
    /// The message it answers (an index into [`Verifications::delivered`]): the first, in
    /// processing order, of those that set the V flag, are not MTK messages and are not
    /// answered yet.
    pub answers: Option<usize>,
    /// The messages still awaiting a verification that were processed before that one.
    pub earlier: Vec<usize>,
    /// When it answers no awaiting message, and every message it answers is an MTK message:
    /// the event of the last of those.
    pub mtk: Option<usize>,
    /// How it was paired ([`PairedBy`]).
    pub by: PairedBy,
    /// The verification message's own facts (its CSB ID and T).
    pub facts: MikeyFacts,
}

/// How a verification message was paired with what it answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PairedBy {
    /// The CSB ID and the T of a message delivered before it (RFC 3830 3.1): `answers`, or
    /// `mtk`, or a message already answered.
    CsbIdAndT,
    /// No message before it has its CSB ID and T, but one has its CSB ID: read, provisionally,
    /// as answering that one (index into [`Verifications::delivered`]): the first awaiting a
    /// verification (then also `answers`), else the last delivered (minisip writes a fresh T).
    CsbIdOnly(usize),
    /// No message delivered before it has its CSB ID.
    Nothing,
}

/// The verification messages of a trace, paired with what they answer.
pub(crate) struct Verifications {
    pub delivered: Vec<Delivered>,
    pub pairings: Vec<Pairing>,
    /// Messages that set the V flag (not MTK messages) and that no verification answers.
    pub unanswered: Vec<usize>,
}

/// Pairs each verification message (UDP, from the terminal) with the message it answers, by
/// what RFC 3830 puts in it: the CSB ID and the timestamp ([`MikeyFacts::answers`]).
pub(crate) fn verifications(trace: &Trace) -> Verifications {
    let all = ltkms(trace);
    let mut next = 0;
    let mut delivered: Vec<Delivered> = Vec::new();
    let mut waiting: Vec<usize> = Vec::new();
    let mut pairings = Vec::new();
    // A message that sets the V flag waits for its verification (an MTK message waits for
    // none: MBMS-MTK-02).
    fn deliver(d: Delivered, delivered: &mut Vec<Delivered>, waiting: &mut Vec<usize>) {
        if d.facts.v && d.sort != Sort::Mtk {
            waiting.push(delivered.len());
        }
        delivered.push(d);
    }
    for e in &trace.events {
        while next < all.len() && all[next].event == e.number {
            let l = &all[next];
            let d = Delivered {
                event: l.event,
                sort: Sort::Ltkm,
                facts: l.facts.clone(),
                may_be_ignored: l.may_be_ignored(),
            };
            deliver(d, &mut delivered, &mut waiting);
            next += 1;
        }
        let mut messages: Vec<(&[u8], bool)> = Vec::new();
        match &e.body {
            EventBody::Udp { message } if !is_ltkm(e, message) => {
                messages.push((message, false));
            }
            EventBody::Flute { objects, .. } => {
                messages.extend(objects.values().map(|m| (m.as_slice(), true)))
            }
            _ => {}
        }
        for (message, in_flute) in messages {
            let f = e.facts_of(message).into_owned();
            if in_flute || !is_verification(e, &f) {
                let sort = if in_flute || is_mtk(e, &f) {
                    Sort::Mtk
                } else {
                    Sort::Msk
                };
                let d = Delivered {
                    event: e.number,
                    sort,
                    facts: f,
                    may_be_ignored: false,
                };
                deliver(d, &mut delivered, &mut waiting);
                continue;
            }
            let to = e.to_addr().map(str::to_string);
            pairings.push(pair(e.number, to, f, &delivered, &mut waiting));
        }
    }
    Verifications {
        delivered,
        pairings,
        unanswered: waiting,
    }
}

/// Pairs one verification message: by CSB ID and T with the first message awaiting one, else
/// with any message delivered before it (answered already, or an MTK message); failing that,
/// by CSB ID alone ([`PairedBy::CsbIdOnly`]).
fn pair(
    event: usize,
    to: Option<String>,
    f: MikeyFacts,
    delivered: &[Delivered],
    waiting: &mut Vec<usize>,
) -> Pairing {
    let mut p = Pairing {
        event,
        to,
        answers: None,
        earlier: Vec::new(),
        mtk: None,
        by: PairedBy::CsbIdAndT,
        facts: MikeyFacts::default(),
    };
    if let Some(at) = waiting.iter().position(|i| f.answers(&delivered[*i].facts)) {
        p.answers = Some(waiting.remove(at));
        p.earlier = waiting[..at].to_vec();
    } else if delivered.iter().any(|d| f.answers(&d.facts)) {
        let answered: Vec<&Delivered> = delivered.iter().filter(|d| f.answers(&d.facts)).collect();
        let only_mtk = answered.iter().all(|d| d.sort == Sort::Mtk);
        p.mtk = answered.last().filter(|_| only_mtk).map(|d| d.event);
    } else {
        let same_csb = |d: &Delivered| f.csb_id.is_some() && d.facts.csb_id == f.csb_id;
        if let Some(at) = waiting.iter().position(|i| same_csb(&delivered[*i])) {
            p.by = PairedBy::CsbIdOnly(waiting[at]);
            p.answers = Some(waiting.remove(at));
            p.earlier = waiting[..at].to_vec();
        } else if let Some(i) = delivered.iter().rposition(same_csb) {
            p.by = PairedBy::CsbIdOnly(i);
        } else {
            p.by = PairedBy::Nothing;
        }
    }
    p.facts = f;
    p
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

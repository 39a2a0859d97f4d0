//! Checks on a whole session trace: what was agreed at registration and later used, the
//! verification messages, where pushes go, key freshness, deregistration, FLUTE delivery of
//! MTKs. Each hit names the event it concerns.

use super::exchange::{delivery_types, elements, text};
use crate::settings::Settings;
use crate::trace::facts::{serial_lt, MikeyFacts};
use crate::trace::{addr, Event, EventBody, Trace};
use crate::xsd::simple::decode_base64;
use std::collections::{BTreeMap, BTreeSet};

/// One place in a trace where a rule is violated.
#[derive(Debug, Clone)]
pub struct TraceHit {
    pub event: usize,
    pub vars: Vec<(&'static str, String)>,
}

fn hit(event: usize, vars: Vec<(&'static str, String)>) -> TraceHit {
    TraceHit { event, vars }
}

/// An LTKM of the trace, in processing order: where it came from and what it says.
struct Ltkm {
    event: usize,
    mechanism: u8,
    facts: MikeyFacts,
}

/// Elements of a parsed body by local name.
fn xml_elements<'a, 'd>(
    doc: &'a roxmltree::Document<'d>,
    local: &'a str,
) -> impl Iterator<Item = roxmltree::Node<'a, 'd>> + 'a {
    elements(Some(doc), local)
}

fn code_of(t: &str) -> Option<u16> {
    super::structure::status_code(t)
}

/// Runs `f` on the parsed request and response bodies of an HTTP event.
fn with_docs<R>(
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

fn root_is(doc: Option<&roxmltree::Document>, local: &str) -> bool {
    doc.is_some_and(|d| d.root_element().tag_name().name() == local)
}

/// The delivery mechanisms a registration exchange agreed, when it was one with status 200.
fn agreed_by(e: &Event) -> Option<Vec<u8>> {
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
fn ltkms(trace: &Trace) -> Vec<Ltkm> {
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
fn is_ltkm(e: &Event, message: &[u8]) -> bool {
    match e.role.as_deref() {
        Some(r) => r == "ltkm",
        None => MikeyFacts::of(message).oma_ltkm,
    }
}

fn is_verification(e: &Event, f: &MikeyFacts) -> bool {
    e.role.as_deref() == Some("verification") || (e.role.is_none() && f.is_verification())
}

fn is_mtk(e: &Event, f: &MikeyFacts) -> bool {
    e.role.as_deref() == Some("mtk") || (e.role.is_none() && f.is_mtk())
}

/// BCAST-DLV-04 over the session: each LTKM after a registration travels by a mechanism
/// that registration agreed (HTTP 2 in responses other than the registration's own, UDP 0,
/// SMS 1).
pub fn delivery_as_agreed(trace: &Trace) -> Vec<TraceHit> {
    let mut agreed: Option<Vec<u8>> = None;
    let mut hits = Vec::new();
    let by_event: BTreeMap<usize, Vec<u8>> =
        ltkms(trace).into_iter().fold(BTreeMap::new(), |mut m, l| {
            m.entry(l.event).or_insert_with(Vec::new).push(l.mechanism);
            m
        });
    for e in &trace.events {
        if let Some(a) = agreed_by(e) {
            agreed = Some(a); // the registration's own LTKMs are judged by the exchange rule
            continue;
        }
        let (Some(a), Some(mechs)) = (&agreed, by_event.get(&e.number)) else {
            continue;
        };
        for m in mechs.iter().collect::<BTreeSet<_>>() {
            if !a.contains(m) {
                let name = match m {
                    0 => "UDP (0)",
                    1 => "SMS (1)",
                    _ => "HTTP (2)",
                };
                hits.push(hit(
                    e.number,
                    vec![("value", name.to_string()), ("agreed", format!("{a:?}"))],
                ));
            }
        }
    }
    hits
}

/// BCAST-DLV-12: one verification message over UDP per LTKM with the V flag, in order, to the
/// address the NAF FQDN in IDi resolves to.
pub fn verification_per_v_ltkm(trace: &Trace) -> Vec<TraceHit> {
    let mut pending: Vec<Ltkm> = Vec::new();
    let mut hits = Vec::new();
    let all = ltkms(trace);
    let mut next = 0;
    for e in &trace.events {
        while next < all.len() && all[next].event == e.number {
            if all[next].facts.v {
                pending.push(Ltkm {
                    event: all[next].event,
                    mechanism: all[next].mechanism,
                    facts: all[next].facts.clone(),
                });
            }
            next += 1;
        }
        let EventBody::Udp { message } = &e.body else {
            continue;
        };
        let f = MikeyFacts::of(message);
        if !is_verification(e, &f) || pending.is_empty() {
            continue;
        }
        if let Some(i) = pending.iter().position(|l| l.facts.csb_id == f.csb_id) {
            let l = pending.remove(i);
            if i > 0 {
                hits.push(hit(e.number, vec![("detail", format!("verification for the LTKM of event {} sent before those of earlier LTKMs (processing order)", l.event))]));
            }
            if let Some(name) = &l.facts.idi {
                if let (Some(want), Some(got)) = (trace.resolve.get(name), e.to_addr()) {
                    if addr(want) != got {
                        hits.push(hit(
                            e.number,
                            vec![(
                                "detail",
                                format!(
                                    "verification sent to {got}, but IDi {name} resolves to {want}"
                                ),
                            )],
                        ));
                    }
                }
            }
        }
    }
    for l in pending {
        hits.push(hit(
            l.event,
            vec![(
                "detail",
                format!(
                    "no verification message for an LTKM with the V flag set (CSB ID {:#010x})",
                    l.facts.csb_id.unwrap_or(0)
                ),
            )],
        ));
    }
    hits
}

/// MBMS-MTK-02: no verification message answers an MTK message.
pub fn no_mtk_verification(trace: &Trace) -> Vec<TraceHit> {
    let mut mtk_csb: BTreeMap<u32, usize> = BTreeMap::new();
    let mut hits = Vec::new();
    for e in &trace.events {
        let EventBody::Udp { message } = &e.body else {
            continue;
        };
        let f = MikeyFacts::of(message);
        if is_mtk(e, &f) {
            if let Some(c) = f.csb_id {
                mtk_csb.insert(c, e.number);
            }
        } else if is_verification(e, &f) {
            if let Some(n) = f.csb_id.and_then(|c| mtk_csb.get(&c)) {
                hits.push(hit(e.number, vec![("value", n.to_string())]));
            }
        }
    }
    hits
}

/// MBMS-GEN-04: UDP pushes go to the address the latest registration request came from.
pub fn push_to_registration_source(trace: &Trace) -> Vec<TraceHit> {
    let mut source: Option<String> = None;
    let mut hits = Vec::new();
    for e in &trace.events {
        match &e.body {
            EventBody::Http(_)
                if with_docs(e, |req, _, _| root_is(req, "mbmsSecurityRegister"))
                    .unwrap_or(false) =>
            {
                source = e.from_addr().map(str::to_string);
            }
            EventBody::Udp { message } => {
                let f = MikeyFacts::of(message);
                if is_verification(e, &f) {
                    continue;
                }
                if let (Some(s), Some(to)) = (&source, e.to_addr()) {
                    if s != to {
                        hits.push(hit(
                            e.number,
                            vec![("value", to.to_string()), ("expected", s.clone())],
                        ));
                    }
                }
            }
            _ => {}
        }
    }
    hits
}

/// MBMS-KEY-01: MTK IDs increase under one MSK, and the MIKEY counter (T, COUNTER) of each
/// delivery stream increases in RFC 1982 serial arithmetic.
pub fn key_freshness(trace: &Trace, settings: &Settings) -> Vec<TraceHit> {
    let bits = settings.freshness.counter_bits;
    let mut last_mtk: BTreeMap<(Vec<u8>, Vec<u8>), Vec<u8>> = BTreeMap::new();
    let mut last_counter: BTreeMap<&'static str, u32> = BTreeMap::new();
    let mut hits = Vec::new();
    // MIKEY messages in delivery order: UDP pushes, and MTK objects of FLUTE sessions.
    let mut messages: Vec<(&Event, &[u8], bool)> = Vec::new();
    for e in &trace.events {
        match &e.body {
            EventBody::Udp { message } => messages.push((e, message, false)),
            EventBody::Flute { objects, .. } => {
                messages.extend(objects.values().map(|m| (e, m.as_slice(), true)))
            }
            _ => {}
        }
    }
    for (e, message, in_flute) in messages {
        let f = MikeyFacts::of(message);
        if is_verification(e, &f) {
            continue;
        }
        let mtk = in_flute || is_mtk(e, &f);
        if let (true, Some(d), Some(m), Some(t)) = (mtk, &f.key_domain, &f.msk_id, &f.mtk_id) {
            let key = (d.clone(), m.clone());
            if let Some(prev) = last_mtk.get(&key) {
                let as_num = |b: &[u8]| b.iter().fold(0u64, |a, x| a << 8 | *x as u64);
                if as_num(t) <= as_num(prev) {
                    hits.push(hit(
                        e.number,
                        vec![(
                            "detail",
                            format!(
                                "MTK ID {} is not greater than the previous {} under MSK {}",
                                hex::encode(t),
                                hex::encode(prev),
                                hex::encode(m)
                            ),
                        )],
                    ));
                }
            }
            last_mtk.insert(key, t.clone());
        }
        if let Some(c) = f.counter {
            let stream = if mtk { "MTK" } else { "MSK" };
            if let Some(prev) = last_counter.get(stream) {
                match serial_lt(*prev as u64, c as u64, bits) {
                    Some(true) => {}
                    Some(false) => hits.push(hit(e.number, vec![("detail", format!("{stream} message counter {c} is not greater than the previous {prev} (RFC 1982)"))])),
                    None => hits.push(hit(e.number, vec![("detail", format!("{stream} message counter {c} and the previous {prev} are half the space apart: the order is undefined (RFC 1982), so the message is treated as replayed"))])),
                }
            }
            last_counter.insert(stream, c);
        }
    }
    hits
}

/// BCAST-DEREG-01: a deregistration lists every service the terminal is registered to.
pub fn dereg_lists_all(trace: &Trace) -> Vec<TraceHit> {
    let mut registered: BTreeSet<String> = BTreeSet::new();
    let mut hits = Vec::new();
    for e in &trace.events {
        let outcome = with_docs(e, |req, resp, status| {
            let ids = |d: Option<&roxmltree::Document>| {
                d.map(|d| xml_elements(d, "serviceID").map(text).collect::<Vec<_>>())
                    .unwrap_or_default()
            };
            let ok = resp
                .map(|d| {
                    xml_elements(d, "Response")
                        .filter(|r| {
                            r.children().any(|c| {
                                c.tag_name().name() == "ResponseCode"
                                    && code_of(&text(c)) == Some(200)
                            })
                        })
                        .filter_map(|r| {
                            r.children()
                                .find(|c| c.tag_name().name() == "serviceID")
                                .map(text)
                        })
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default();
            let kind = if root_is(req, "mbmsSecurityRegister") {
                1
            } else if root_is(req, "mbmsSecurityDeregister") {
                2
            } else {
                0
            };
            (kind, ids(req), if status == 200 { ok } else { Vec::new() })
        });
        let Some((kind, listed, ok)) = outcome else {
            continue;
        };
        match kind {
            1 => registered.extend(ok),
            2 => {
                let missing: Vec<&String> =
                    registered.iter().filter(|s| !listed.contains(s)).collect();
                if !missing.is_empty() {
                    hits.push(hit(
                        e.number,
                        vec![(
                            "value",
                            missing
                                .iter()
                                .map(|s| s.as_str())
                                .collect::<Vec<_>>()
                                .join(", "),
                        )],
                    ));
                }
                for s in ok {
                    registered.remove(&s);
                }
            }
            _ => {}
        }
    }
    hits
}

/// BCAST-DLV-09: an LTKM sent over SMS initiates a solicited pull or a registration, so it
/// carries no SEK/PEK (KEMAC Encr Data Len 0, the form CR 0821 5.1.6.10.3 names for such
/// LTKMs).
pub fn sms_ltkm_is_trigger(trace: &Trace) -> Vec<TraceHit> {
    let mut hits = Vec::new();
    for e in &trace.events {
        let EventBody::Sms { message } = &e.body else {
            continue;
        };
        let d = crate::mikey::decode(message);
        let Some(m) = &d.message else { continue };
        let carries = m.payloads.iter().any(
            |p| matches!(&p.body, crate::mikey::PayloadBody::Kemac(k) if k.encr_data_len.value > 0),
        );
        if carries {
            hits.push(hit(e.number, vec![]));
        }
    }
    hits
}

/// The `File` entries of an FDT instance: (TOI, Content-Type).
fn fdt_files(fdt: &str) -> Vec<(String, Option<String>)> {
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

/// MBMS-MTK-03/04/05: each MTK object delivered in a FLUTE session is its own FDT File with its
/// own TOI (04), typed application/mikey (05), in a session that carries the object it
/// protects (03). `which` selects the requirement.
pub fn flute_mtk(trace: &Trace, which: &str) -> Vec<TraceHit> {
    let mut hits = Vec::new();
    for e in &trace.events {
        let EventBody::Flute {
            fdt,
            objects,
            session,
        } = &e.body
        else {
            continue;
        };
        let files = fdt_files(fdt);
        for toi in objects.keys() {
            let t = toi.to_string();
            let entries: Vec<_> = files.iter().filter(|(ft, _)| *ft == t).collect();
            match which {
                "own-object" => {
                    if entries.len() != 1 || *toi == 0 {
                        hits.push(hit(e.number, vec![("detail", format!("MTK object TOI {toi} has {} File entries in the FDT of session {session} (TOI 0 is the FDT itself)", entries.len()))]));
                    }
                }
                "mime-type" => {
                    for (_, ct) in entries {
                        if ct.as_deref() != Some("application/mikey") {
                            hits.push(hit(
                                e.number,
                                vec![(
                                    "detail",
                                    format!(
                                        "MTK object TOI {toi} has Content-Type {}",
                                        ct.as_deref().unwrap_or("none")
                                    ),
                                )],
                            ));
                        }
                    }
                }
                _ => {
                    let others = files.iter().filter(|(ft, _)| *ft != t).count();
                    if others == 0 {
                        hits.push(hit(e.number, vec![("detail", format!("session {session} carries the MTK object TOI {toi} but no object it protects"))]));
                    }
                }
            }
        }
    }
    hits
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

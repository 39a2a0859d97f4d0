//! SPEC-XSD-01 and SPEC-XSD-02 on a well-formed schema fragment. UPA (XSD 1.0 Structures
//! 3.8.6): in a sequence, a particle that may occur a variable number of times competes with
//! the particles after it up to the first required one; in a choice, every branch competes
//! with every other; two competitors that can match the same element name violate the
//! constraint. Terms are element declarations (their namespace from `ref`'s prefix, or the
//! target namespace when qualified by `form`/`elementFormDefault`) and wildcards (their
//! namespace constraint). A type derived by extension from a type of the same fragment is
//! judged as its base's particles followed by its own, the case CR 002's note names (an
//! `##other` wildcard meeting the appended BCAST elements). Nested groups are not expanded:
//! a model holding one is judged up to it only. SPEC-XSD-02: an `xs:any` allowing at most
//! one element (maxOccurs 1, the default) is advice, after CR 002's rationale.

use super::document::Document;
use super::extract::Block;
use super::rules;
use super::wellformed::Prepared;
use crate::finding::Finding;
use roxmltree::Node;

const XS: &str = "http://www.w3.org/2001/XMLSchema";

/// A namespace as a schema component sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Ns {
    /// The schema's target namespace (known or not).
    Target,
    /// No namespace.
    Absent,
    Uri(String),
}

#[derive(Debug, Clone)]
enum Term {
    Element { ns: Ns, local: String },
    Any { constraint: String },
}

#[derive(Debug, Clone)]
struct Particle<'a> {
    node: Node<'a, 'a>,
    min: u64,
    max: Option<u64>,
    term: Term,
}

pub fn lint(doc: &Document, block: &Block, prepared: &Prepared, strict: bool) -> Vec<Finding> {
    let Some(xml) = crate::xml::parse_bounded(&prepared.text) else {
        return Vec::new();
    };
    let place = |n: Node| {
        let p = xml.text_pos_at(n.range().start);
        let (i, c) = prepared.place_row_col(block, p.row, p.col);
        doc.location(i, c)
    };
    let mut out = Vec::new();
    for any in xml.descendants().filter(|n| is_xs(n, "any")) {
        if any.attribute("maxOccurs").is_none_or(|m| m.trim() == "1") {
            let detail = format!(
                "xs:any (namespace {}) admits at most one element (maxOccurs {}): an extension point like this lets a single extension element in, the MBMS wildcard cardinality CR 002 had to work around; maxOccurs=\"unbounded\" leaves room for later extensions",
                any.attribute("namespace").unwrap_or("##any"),
                if any.attribute("maxOccurs").is_some() { "1" } else { "1, the default" }
            );
            out.push(rules::finding("SPEC-XSD-02", &detail, place(any), strict));
        }
    }
    for model in xml
        .descendants()
        .filter(|n| is_xs(n, "sequence") || is_xs(n, "choice"))
    {
        let particles = effective_particles(&xml, model);
        let conflicts = if is_xs(&model, "choice") {
            choice_conflicts(&particles)
        } else {
            sequence_conflicts(&particles)
        };
        for (a, b) in conflicts {
            let pa = xml.text_pos_at(a.node.range().start);
            let (ia, _) = prepared.place_row_col(block, pa.row, pa.col);
            let detail = format!(
                "Unique Particle Attribution is violated: {} and {} at {} can both match {}, so which particle validates such an element cannot be told without looking further",
                describe(&b.term),
                describe(&a.term),
                doc.place(ia),
                shared(&a.term, &b.term)
            );
            out.push(rules::finding(
                "SPEC-XSD-01",
                &detail,
                place(b.node),
                strict,
            ));
        }
    }
    out
}

fn is_xs(n: &Node, local: &str) -> bool {
    n.is_element() && n.tag_name().name() == local && n.tag_name().namespace() == Some(XS)
}

/// The particles of a model group; for the top sequence of an extension of a type in the
/// same fragment, the base type's particles first.
fn effective_particles<'a>(
    xml: &'a roxmltree::Document<'a>,
    model: Node<'a, 'a>,
) -> Vec<Particle<'a>> {
    let mut own = particles(model);
    let ext = model.parent().filter(|p| is_xs(p, "extension"));
    if let Some(base) = ext.and_then(|e| e.attribute("base")) {
        let local = base.rsplit(':').next().unwrap_or(base);
        let base_type = xml
            .descendants()
            .find(|n| is_xs(n, "complexType") && n.attribute("name") == Some(local));
        if let Some(seq) = base_type.and_then(|t| t.children().find(|c| is_xs(c, "sequence"))) {
            let mut all = particles(seq);
            all.append(&mut own);
            return all;
        }
    }
    own
}

/// The element and wildcard particles of a group, up to the first nested group.
fn particles<'a>(model: Node<'a, 'a>) -> Vec<Particle<'a>> {
    let mut out = Vec::new();
    for c in model.children().filter(|c| c.is_element()) {
        let term = if is_xs(&c, "element") {
            Term::Element {
                ns: element_ns(c),
                local: c
                    .attribute("ref")
                    .or(c.attribute("name"))
                    .map(|n| n.rsplit(':').next().unwrap_or(n).to_string())
                    .unwrap_or_default(),
            }
        } else if is_xs(&c, "any") {
            Term::Any {
                constraint: c.attribute("namespace").unwrap_or("##any").to_string(),
            }
        } else if is_xs(&c, "annotation") {
            continue;
        } else {
            break;
        };
        let min = c
            .attribute("minOccurs")
            .and_then(|m| m.trim().parse().ok())
            .unwrap_or(1);
        let max = match c.attribute("maxOccurs").map(str::trim) {
            Some("unbounded") => None,
            Some(m) => Some(m.parse().unwrap_or(1)),
            None => Some(1),
        };
        out.push(Particle {
            node: c,
            min,
            max,
            term,
        });
    }
    out
}

/// An element declaration's namespace.
fn element_ns(e: Node) -> Ns {
    let schema = e.ancestors().find(|a| is_xs(a, "schema"));
    let target = schema.and_then(|s| s.attribute("targetNamespace"));
    let resolve = |uri: Option<&str>| match (uri, target) {
        (None, _) | (Some(""), _) => Ns::Absent,
        (Some(u), Some(t)) if u == t => Ns::Target,
        (Some(u), _) => Ns::Uri(u.to_string()),
    };
    if let Some(r) = e.attribute("ref") {
        let prefix = r.split_once(':').map(|(p, _)| p);
        return resolve(e.lookup_namespace_uri(prefix));
    }
    let top = e.parent().is_some_and(|p| is_xs(&p, "schema"));
    let form = e
        .attribute("form")
        .or_else(|| schema.and_then(|s| s.attribute("elementFormDefault")));
    // A fragment without its xs:schema: local elements taken as qualified, the convention of
    // the 3GPP and OMA schemas (docs/interpretation.md).
    if top || form == Some("qualified") || (schema.is_none() && form.is_none()) {
        Ns::Target
    } else {
        Ns::Absent
    }
}

fn matches(constraint: &str, ns: &Ns) -> bool {
    constraint.split_whitespace().any(|c| match c {
        "##any" => true,
        "##other" => !matches!(ns, Ns::Target | Ns::Absent),
        "##targetNamespace" => *ns == Ns::Target,
        "##local" => *ns == Ns::Absent,
        uri => *ns == Ns::Uri(uri.to_string()),
    })
}

fn overlap(a: &Term, b: &Term) -> bool {
    match (a, b) {
        (Term::Element { ns, local }, Term::Element { ns: n2, local: l2 }) => {
            ns == n2 && local == l2
        }
        (Term::Element { ns, .. }, Term::Any { constraint })
        | (Term::Any { constraint }, Term::Element { ns, .. }) => matches(constraint, ns),
        (Term::Any { constraint: c1 }, Term::Any { constraint: c2 }) => {
            let probe = [
                Ns::Target,
                Ns::Absent,
                Ns::Uri("urn:mikeyconf:some-other".into()),
            ];
            probe.iter().any(|n| matches(c1, n) && matches(c2, n))
                || c1
                    .split_whitespace()
                    .any(|u| !u.starts_with("##") && matches(c2, &Ns::Uri(u.into())))
        }
    }
}

/// Pairs (earlier, later) of competing particles of a sequence.
fn sequence_conflicts<'a>(ps: &[Particle<'a>]) -> Vec<(Particle<'a>, Particle<'a>)> {
    let mut out = Vec::new();
    for (i, a) in ps.iter().enumerate() {
        if a.max == Some(a.min) {
            continue;
        }
        for b in &ps[i + 1..] {
            if overlap(&a.term, &b.term) {
                out.push((a.clone(), b.clone()));
            }
            if b.min > 0 {
                break;
            }
        }
    }
    out
}

fn choice_conflicts<'a>(ps: &[Particle<'a>]) -> Vec<(Particle<'a>, Particle<'a>)> {
    let mut out = Vec::new();
    for (i, a) in ps.iter().enumerate() {
        for b in &ps[i + 1..] {
            if overlap(&a.term, &b.term) {
                out.push((a.clone(), b.clone()));
            }
        }
    }
    out
}

fn describe(t: &Term) -> String {
    match t {
        Term::Element { local, ns } => format!("element {local}{}", ns_label(ns)),
        Term::Any { constraint } => format!("the wildcard xs:any namespace=\"{constraint}\""),
    }
}

fn ns_label(ns: &Ns) -> String {
    match ns {
        Ns::Target => " (target namespace)".into(),
        Ns::Absent => " (no namespace)".into(),
        Ns::Uri(u) => format!(" ({u})"),
    }
}

fn shared(a: &Term, b: &Term) -> String {
    match (a, b) {
        (Term::Element { local, ns }, _) | (_, Term::Element { local, ns }) => {
            format!("an element {local}{}", ns_label(ns))
        }
        _ => "an element of a namespace both admit".into(),
    }
}

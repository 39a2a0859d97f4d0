//! Which values of a document the schemas type as integers or base64 (the tool's own XSD
//! model, `mikeyconf::internals::xsd`): only there may a value be spelled with leading zeros and
//! whitespace (XSD 1.0 Part 2 3.3.13 integer, whiteSpace collapse) or base64 with line
//! breaks (3.2.16 base64Binary, whiteSpace collapse).

use mikeyconf::internals::xsd::model::{ComplexType, Content, QName, Term, TypeDef, TypeRef};
use mikeyconf::internals::xsd::simple::Builtin;
use mikeyconf::internals::xsd::{LoadOptions, SchemaSet};
use roxmltree::Node;
use std::path::Path;

/// What a value's schema type lets it be rewritten as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Typed {
    Integer,
    Base64,
}

/// The schemas the engine judges by, read from the checkout's `schemas/` (the reconstructed
/// RFC 3926 FDT schema left out: it declares the RFC 6726 names again).
pub fn schemas() -> SchemaSet {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas");
    let settings =
        mikeyconf::internals::settings::Settings::load(None, &[]).expect("default settings");
    let opts = LoadOptions {
        element_form: Some((
            settings.bcast_ns().to_string(),
            settings.bcast_children_form == "qualified",
        )),
    };
    let mut set = SchemaSet::default();
    let mut stack = vec![root.clone()];
    let mut files = Vec::new();
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() && !p.ends_with("drivers") {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "xsd")
                && !p.to_string_lossy().contains("RECONSTRUCTED_rfc3926")
            {
                files.push(p);
            }
        }
    }
    files.sort();
    for p in files {
        if let Ok(text) = std::fs::read_to_string(&p) {
            // A schema the model does not read types nothing here.
            let _ = set.add(&p.display().to_string(), &text, &opts);
        }
    }
    set
}

fn qname(node: Node) -> QName {
    QName::new(
        node.tag_name().namespace().unwrap_or(""),
        node.tag_name().name(),
    )
}

fn resolve<'s>(set: &'s SchemaSet, ty: &'s TypeRef) -> Option<Resolved<'s>> {
    match ty {
        TypeRef::Builtin(b) => Some(Resolved::Builtin(*b)),
        TypeRef::Named(q) => resolve(set, set.types.get(q)?),
        TypeRef::Local(i) => Some(Resolved::Def(set.local_types.get(*i)?)),
    }
}

enum Resolved<'s> {
    Builtin(Builtin),
    Def(&'s TypeDef),
}

/// The typed class of a simple type (or a complex type's simple content).
fn class(set: &SchemaSet, ty: &TypeRef, depth: usize) -> Option<Typed> {
    if depth > 16 {
        return None;
    }
    match resolve(set, ty)? {
        Resolved::Builtin(b) if b.is_integer() => Some(Typed::Integer),
        Resolved::Builtin(Builtin::Base64Binary) => Some(Typed::Base64),
        Resolved::Builtin(_) => None,
        Resolved::Def(TypeDef::Simple(st)) if st.list_of.is_none() => {
            class(set, &st.base, depth + 1)
        }
        Resolved::Def(TypeDef::Simple(_)) => None,
        Resolved::Def(TypeDef::Complex(ct)) => match &ct.content {
            Content::Simple(t) => class(set, t, depth + 1),
            _ => None,
        },
    }
}

fn complex<'s>(set: &'s SchemaSet, ty: &'s TypeRef) -> Option<&'s ComplexType> {
    match resolve(set, ty)? {
        Resolved::Def(TypeDef::Complex(ct)) => Some(ct),
        _ => None,
    }
}

/// The declared type of a child named `name` in a content model.
fn child_type<'s>(set: &'s SchemaSet, term: &'s Term, name: &QName) -> Option<&'s TypeRef> {
    match term {
        Term::Element(d) if &d.name == name => Some(&d.ty),
        Term::ElementRef(q) if q == name => set.elements.get(q).map(|d| &d.ty),
        Term::Sequence(ps) | Term::Choice(ps) => {
            ps.iter().find_map(|p| child_type(set, &p.term, name))
        }
        Term::Any(_) => set.elements.get(name).map(|d| &d.ty),
        _ => None,
    }
}

/// Each element's type (document order), found from the root's global declaration down.
fn element_types<'s>(set: &'s SchemaSet, doc: &roxmltree::Document) -> Vec<Option<&'s TypeRef>> {
    fn walk<'s>(
        set: &'s SchemaSet,
        node: Node,
        ty: Option<&'s TypeRef>,
        out: &mut Vec<Option<&'s TypeRef>>,
    ) {
        out.push(ty);
        let parent = ty.and_then(|t| complex(set, t));
        for child in node.children().filter(Node::is_element) {
            let name = qname(child);
            let cty = parent.and_then(|ct| match &ct.content {
                Content::Elements(p) => child_type(set, &p.term, &name),
                _ => None,
            });
            walk(set, child, cty, out);
        }
    }
    let mut out = Vec::new();
    let root = doc.root_element();
    walk(
        set,
        root,
        set.elements.get(&qname(root)).map(|d| &d.ty),
        &mut out,
    );
    out
}

/// Per element in document order: the class of its text, and of each attribute by its
/// name as written.
pub struct DocTypes {
    pub text: Vec<Option<Typed>>,
    pub attrs: Vec<Vec<(String, Typed)>>,
}

pub fn doc_types(set: &SchemaSet, doc: &roxmltree::Document) -> DocTypes {
    let types = element_types(set, doc);
    let mut text = Vec::new();
    let mut attrs = Vec::new();
    let elements = doc.root_element().descendants().filter(Node::is_element);
    for (node, ty) in elements.zip(types) {
        text.push(ty.and_then(|t| class(set, t, 0)));
        let ct = ty.and_then(|t| complex(set, t));
        let mut typed = Vec::new();
        for a in node.attributes() {
            let q = QName::new(a.namespace().unwrap_or(""), a.name());
            let decl = ct.and_then(|ct| ct.attributes.iter().find(|u| u.name == q));
            let ty = decl.map(|u| match (u.reference, set.attributes.get(&u.name)) {
                (true, Some(global)) => &global.ty,
                _ => &u.ty,
            });
            if let Some(c) = ty.and_then(|t| class(set, t, 0)) {
                let written = match a.namespace().and_then(|ns| node.lookup_prefix(ns)) {
                    Some(p) if !p.is_empty() => format!("{p}:{}", a.name()),
                    _ => a.name().to_string(),
                };
                typed.push((written, c));
            }
        }
        attrs.push(typed);
    }
    DocTypes { text, attrs }
}

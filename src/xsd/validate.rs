//! Validates a parsed document against a [`SchemaSet`], recording every violation with the
//! node it concerns. Content models are matched greedily, which is exact for schemas that
//! obey the Unique Particle Attribution rule (as XSD 1.0 requires of every schema).

use super::load::SchemaSet;
use super::model::*;
use super::simple::{check_builtin, collapse, Builtin};
use roxmltree::{Document, Node};

const XSI: &str = "http://www.w3.org/2001/XMLSchema-instance";

/// One way the document departs from the schema.
#[derive(Debug, Clone)]
pub struct Violation<'a, 'i> {
    pub node: Node<'a, 'i>,
    pub message: String,
    /// The violation is about the parent's content model (an element where it is not
    /// expected), so it belongs to whoever owns the parent, not the element itself.
    pub in_parent: bool,
}

/// Validation settings.
#[derive(Debug, Clone, Default)]
pub struct ValidateOptions {
    /// Local names of elements whose children are matched by local name alone, whatever
    /// their namespace: the BCAST containers, whose children's namespace is judged by its
    /// own rule (BCAST-NS-01) so that one misplacement is one finding, not a cascade.
    pub lenient_parents: Vec<String>,
    /// Extensions whose elements are read by local name inside their host, whatever their
    /// namespace: their namespace is judged by its own rule (MCV-XML-01), so that one
    /// misplaced element is one finding and its content is still validated.
    pub extensions: Vec<ExtensionPlacement>,
    /// A namespace read as another (written, read as): the root element's, when it is not
    /// its kind's. The root is reported once (no global declaration), and the document is
    /// then validated as if written in its kind's namespace, so that its content is still
    /// judged and the one defect is one violation, not one per element.
    pub namespace_read_as: Option<(String, String)>,
}

/// Where an extension schema's elements go in another vocabulary's document: `elements`
/// (local names) declared in `namespace`, placed inside `host` elements, possibly nested in
/// one another (TS 24.281 7.4.1.2.2: `selected-user-profile-index` and its
/// `user-profile-index`, in `urn:3gpp:mcsSettings:1.0`, inside a poc-settings `entity`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExtensionPlacement {
    pub host: QName,
    pub namespace: String,
    pub elements: Vec<String>,
}

impl ExtensionPlacement {
    /// Whether `node` is one of the extension's elements by its local name, inside a host
    /// with only extension elements between them. The walk up is bounded by the number of
    /// extension elements (no deeper nesting is meant), so a hostile chain of such elements
    /// costs no more than a well-formed one.
    pub fn covers(&self, node: Node) -> bool {
        let named =
            |n: Node| n.is_element() && self.elements.iter().any(|e| e == n.tag_name().name());
        if !named(node) {
            return false;
        }
        let mut at = node.parent_element();
        for _ in 0..self.elements.len() {
            let Some(parent) = at else {
                return false;
            };
            if qname_of(parent) == self.host {
                return true;
            }
            if !named(parent) {
                return false;
            }
            at = parent.parent_element();
        }
        false
    }
}

/// A name as `QName` holds it, borrowed: matching a child against a content model asks for
/// its name several times, and copying it each time was a tenth of a large document's check.
#[derive(Clone, Copy)]
struct NameRef<'n> {
    ns: &'n str,
    local: &'n str,
}

impl NameRef<'_> {
    fn to_qname(self) -> QName {
        QName::new(self.ns, self.local)
    }
}

/// The number of children from which an element's children are validated in parallel.
const CHILDREN_IN_PARALLEL: usize = 8192;

pub struct Validator<'s> {
    set: &'s SchemaSet,
    opts: &'s ValidateOptions,
}

fn qname_of(node: Node) -> QName {
    QName::new(
        node.tag_name().namespace().unwrap_or(""),
        node.tag_name().name(),
    )
}

/// An element's name for messages, written only if a message is (`display_name`): most
/// elements of a large document are valid, and formatting every name was 4% of its check.
struct Shown<'a, 'i>(Node<'a, 'i>);

impl std::fmt::Display for Shown<'_, '_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&display_name(self.0))
    }
}

/// The element's name as messages print it: `prefix:local` as written, else `local`.
pub fn display_name(node: Node) -> String {
    let tag = node.tag_name();
    match tag.namespace().and_then(|ns| node.lookup_prefix(ns)) {
        Some(p) if !p.is_empty() => format!("{p}:{}", tag.name()),
        _ => tag.name().to_string(),
    }
}

impl<'s> Validator<'s> {
    pub fn new(set: &'s SchemaSet, opts: &'s ValidateOptions) -> Self {
        Validator { set, opts }
    }

    /// The name an element is validated by: an extension's element inside its host is read
    /// as the extension's, whatever namespace it was written in.
    fn effective_name<'n>(&'n self, node: Node<'n, '_>) -> NameRef<'n> {
        let local = node.tag_name().name();
        match self.opts.extensions.iter().find(|e| e.covers(node)) {
            Some(ext) => NameRef {
                ns: &ext.namespace,
                local,
            },
            None => {
                let ns = node.tag_name().namespace().unwrap_or("");
                let ns = match &self.opts.namespace_read_as {
                    Some((written, read)) if written == ns => read.as_str(),
                    _ => ns,
                };
                NameRef { ns, local }
            }
        }
    }

    /// Validates the document from its root element.
    pub fn validate<'a, 'i>(&self, doc: &'a Document<'i>) -> Vec<Violation<'a, 'i>> {
        let mut out = Vec::new();
        let root = doc.root_element();
        match self.set.elements.get(&qname_of(root)) {
            Some(decl) => self.element(root, &decl.ty, &mut out),
            None => {
                out.push(Violation {
                    node: root,
                    message: format!(
                        "Element '{}': No matching global declaration available for the validation root.",
                        qname_of(root).clark()
                    ),
                    in_parent: false,
                });
                let read_as = self.effective_name(root).to_qname();
                if let Some(decl) = self.set.elements.get(&read_as) {
                    self.element(root, &decl.ty, &mut out);
                }
            }
        }
        out
    }

    fn resolve(&self, ty: &TypeRef) -> Option<Resolved<'s>> {
        match ty {
            TypeRef::Builtin(b) => Some(Resolved::Builtin(*b)),
            TypeRef::Local(id) => Some(Resolved::Def(&self.set.local_types[*id])),
            TypeRef::Named(q) => self.set.types.get(q).and_then(|t| self.resolve(t)),
        }
    }

    fn root_builtin(&self, ty: &TypeRef) -> Option<Builtin> {
        match self.resolve(ty)? {
            Resolved::Builtin(b) => Some(b),
            Resolved::Def(TypeDef::Simple(st)) => self.root_builtin(&st.base),
            Resolved::Def(TypeDef::Complex(_)) => None,
        }
    }

    fn element<'a, 'i>(&self, node: Node<'a, 'i>, ty: &TypeRef, out: &mut Vec<Violation<'a, 'i>>) {
        let name = Shown(node);
        let Some(resolved) = self.resolve(ty) else {
            out.push(Violation {
                in_parent: false,
                node,
                message: format!("Element '{name}': its type is not defined in the schema set."),
            });
            return;
        };
        match resolved {
            Resolved::Builtin(Builtin::AnyType) => {} // anything goes, lax below
            Resolved::Builtin(b) => {
                self.attributes(node, &[], None, out);
                self.simple_value(node, &name, &Resolved::Builtin(b), out);
            }
            Resolved::Def(TypeDef::Simple(_)) => {
                self.attributes(node, &[], None, out);
                self.simple_value(node, &name, &resolved, out);
            }
            Resolved::Def(TypeDef::Complex(ct)) => {
                self.attributes(node, &ct.attributes, ct.any_attribute.as_ref(), out);
                match &ct.content {
                    Content::Empty => {
                        if let Some(child) = node.children().find(|c| c.is_element()) {
                            out.push(Violation {
                                node: child,
                                message: format!(
                                    "Element '{}': This element is not expected.",
                                    display_name(child)
                                ),
                                in_parent: true,
                            });
                        }
                    }
                    Content::Simple(st) => match self.resolve(st) {
                        Some(r) => self.simple_value(node, &name, &r, out),
                        None => out.push(Violation {
                            in_parent: false,
                            node,
                            message: format!("Element '{name}': its simple type is not defined."),
                        }),
                    },
                    Content::Elements(p) => self.element_content(node, &name, p, ct.mixed, out),
                }
            }
        }
    }

    fn element_content<'a, 'i>(
        &self,
        node: Node<'a, 'i>,
        name: &Shown,
        p: &Particle,
        mixed: bool,
        out: &mut Vec<Violation<'a, 'i>>,
    ) {
        // One pass over the children: the elements, and whether there is character content.
        let mut kids: Vec<Node> = Vec::new();
        let mut characters = false;
        for c in node.children() {
            if c.is_element() {
                kids.push(c);
            } else if !mixed && !characters && c.is_text() {
                characters = !c.text().unwrap_or("").trim().is_empty();
            }
        }
        if characters {
            out.push(Violation { in_parent: false,
                node,
                message: format!("Element '{name}': Character content other than whitespace is not allowed because the content type is 'element-only'."),
            });
        }
        // Each child's name is asked for by every term tried on it: worked out once.
        let names: Vec<NameRef> = kids.iter().map(|k| self.effective_name(*k)).collect();
        let lenient = self
            .opts
            .lenient_parents
            .iter()
            .any(|l| l == node.tag_name().name());
        let mut m = Matcher {
            v: self,
            kids: &kids,
            names: &names,
            pos: 0,
            lenient,
            matched: Vec::new(),
        };
        let result = m.particle(p);
        let (pos, matched) = (m.pos, std::mem::take(&mut m.matched));
        if matched.len() >= CHILDREN_IN_PARALLEL {
            // A long list of children (a response with 100 000 Responses) is validated in
            // chunks on the thread pool; the violations are gathered in document order.
            use rayon::prelude::*;
            let parts: Vec<Vec<Violation<'a, 'i>>> = matched
                .par_chunks(CHILDREN_IN_PARALLEL / 2)
                .map(|chunk| {
                    let mut part = Vec::new();
                    for (child, how) in chunk {
                        self.child(*child, how, &mut part);
                    }
                    part
                })
                .collect();
            out.extend(parts.into_iter().flatten());
        } else {
            for (child, how) in &matched {
                self.child(*child, how, out);
            }
        }
        match result {
            Err(expected) => out.push(self.unexpected(node, &kids, pos, &expected)),
            Ok(()) if pos < kids.len() => out.push(self.unexpected(node, &kids, pos, &[])),
            Ok(()) => {}
        }
    }

    fn unexpected<'a, 'i>(
        &self,
        parent: Node<'a, 'i>,
        kids: &[Node<'a, 'i>],
        pos: usize,
        expected: &[String],
    ) -> Violation<'a, 'i> {
        let exp = if expected.is_empty() {
            String::new()
        } else {
            format!(" Expected is ( {} ).", expected.join(", "))
        };
        match kids.get(pos) {
            Some(child) => Violation {
                node: *child,
                message: format!(
                    "Element '{}': This element is not expected.{exp}",
                    display_name(*child)
                ),
                in_parent: true,
            },
            None => Violation {
                node: parent,
                message: format!(
                    "Element '{}': Missing child element(s).{exp}",
                    display_name(parent)
                ),
                in_parent: false,
            },
        }
    }

    /// Validates a child as its content model matched it.
    fn child<'a, 'i>(&self, child: Node<'a, 'i>, how: &Matched, out: &mut Vec<Violation<'a, 'i>>) {
        match how {
            Matched::Decl(ty) => self.element(child, ty, out),
            Matched::Wild(process) => self.wildcard_content(child, *process, out),
        }
    }

    fn wildcard_content<'a, 'i>(
        &self,
        child: Node<'a, 'i>,
        process: Process,
        out: &mut Vec<Violation<'a, 'i>>,
    ) {
        if process == Process::Skip {
            return;
        }
        match self.set.elements.get(&self.effective_name(child).to_qname()) {
            Some(decl) => self.element(child, &decl.ty, out),
            None if process == Process::Strict => out.push(Violation {
                node: child,
                message: format!("Element '{}': No matching global element declaration available, but demanded by the strict wildcard.", display_name(child)),
                in_parent: true,
            }),
            None => {}
        }
    }

    fn attributes<'a, 'i>(
        &self,
        node: Node<'a, 'i>,
        uses: &[AttributeUse],
        any: Option<&Wildcard>,
        out: &mut Vec<Violation<'a, 'i>>,
    ) {
        let name = Shown(node);
        for attr in node.attributes() {
            let (ns, local) = (attr.namespace().unwrap_or(""), attr.name());
            if ns == XSI {
                continue;
            }
            if let Some(u) = uses
                .iter()
                .find(|u| u.name.local == local && u.name.ns == ns)
            {
                let ty = if u.reference {
                    self.set.attributes.get(&u.name).map(|g| &g.ty)
                } else {
                    Some(&u.ty)
                };
                if let Some(r) = ty.as_ref().and_then(|t| self.resolve(t)) {
                    if let Err(why) = self.check_value(&r, attr.value()) {
                        out.push(Violation { in_parent: false,
                            node,
                            message: format!("Element '{name}', attribute '{}': '{}' is not a valid value of {why}.", attr.name(), attr.value()),
                        });
                    }
                }
            } else if !any.is_some_and(|w| w.ns.admits(ns)) {
                out.push(Violation {
                    in_parent: false,
                    node,
                    message: format!(
                        "Element '{name}', attribute '{}': The attribute '{}' is not allowed.",
                        attr.name(),
                        attr.name()
                    ),
                });
            }
        }
        for u in uses.iter().filter(|u| u.required) {
            if !node
                .attributes()
                .any(|a| a.name() == u.name.local && a.namespace().unwrap_or("") == u.name.ns)
            {
                out.push(Violation {
                    in_parent: false,
                    node,
                    message: format!(
                        "Element '{name}': The attribute '{}' is required but missing.",
                        u.name.local
                    ),
                });
            }
        }
    }

    fn simple_value<'a, 'i>(
        &self,
        node: Node<'a, 'i>,
        name: &Shown,
        ty: &Resolved,
        out: &mut Vec<Violation<'a, 'i>>,
    ) {
        // One pass over the children: an element is refused; the text children are the
        // value (one, the usual case, borrowed), and comments are no part of it (roxmltree's
        // `text()` gives a comment's text too).
        let mut text: std::borrow::Cow<str> = "".into();
        for c in node.children() {
            if c.is_element() {
                out.push(Violation {
                    node: c,
                    message: format!("Element '{name}': Element content is not allowed, because the content type is a simple type definition."),
                    in_parent: true,
                });
                return;
            }
            match c.text().filter(|_| c.is_text()) {
                Some(t) if text.is_empty() => text = t.into(),
                Some(t) => text.to_mut().push_str(t),
                None => {}
            }
        }
        if let Err(why) = self.check_value(ty, &text) {
            out.push(Violation {
                in_parent: false,
                node,
                message: format!(
                    "Element '{name}': '{}' is not a valid value of {why}.",
                    preview(&text)
                ),
            });
        }
    }

    /// Checks a value; the error names the type and the reason.
    fn check_value(&self, ty: &Resolved, value: &str) -> Result<(), String> {
        match ty {
            Resolved::Builtin(b) => check_builtin(*b, value)
                .map_err(|why| format!("the atomic type '{}' ({why})", b.name())),
            Resolved::Def(TypeDef::Simple(st)) if st.list_of.is_some() => {
                let item = st
                    .list_of
                    .as_ref()
                    .and_then(|t| self.resolve(t))
                    .ok_or("an undefined list item type")?;
                for v in value.split_ascii_whitespace() {
                    self.check_value(&item, v)
                        .map_err(|why| format!("a list item ('{v}' is not {why})"))?;
                }
                Ok(())
            }
            Resolved::Def(TypeDef::Simple(st)) => {
                let base = self.resolve(&st.base).ok_or("an undefined base type")?;
                self.check_value(&base, value)?;
                let v = collapse(value);
                if !st.enumeration.is_empty() && !st.enumeration.iter().any(|e| *e == v) {
                    return Err(format!("the enumeration {{{}}}", st.enumeration.join(", ")));
                }
                let n = super::simple::parse_integer(&v);
                if let (Some(min), Some(n)) = (st.min_inclusive, n) {
                    if n < min {
                        return Err(format!("the restricted type (minimum {min})"));
                    }
                }
                if let (Some(max), Some(n)) = (st.max_inclusive, n) {
                    if n > max {
                        return Err(format!("the restricted type (maximum {max})"));
                    }
                }
                // Length facets count octets for binary types, characters otherwise.
                let len = match self.root_builtin(&st.base) {
                    Some(Builtin::Base64Binary) => {
                        super::simple::decode_base64(&v).map_or(0, |b| b.len())
                    }
                    Some(Builtin::HexBinary) => v.len() / 2,
                    _ => v.chars().count(),
                };
                if st.min_length.is_some_and(|m| len < m) || st.max_length.is_some_and(|m| len > m)
                {
                    return Err("the restricted type (length)".into());
                }
                Ok(())
            }
            Resolved::Def(TypeDef::Complex(_)) => {
                Err("a complex type used where a simple type is needed".into())
            }
        }
    }
}

/// A value shortened for messages (and so that long key material never fills a report).
fn preview(text: &str) -> String {
    let t = collapse(text);
    if t.chars().count() > 40 {
        format!("{}…", t.chars().take(40).collect::<String>())
    } else {
        t.into_owned()
    }
}

enum Resolved<'s> {
    Builtin(Builtin),
    Def(&'s TypeDef),
}

enum Matched<'s> {
    Decl(&'s TypeRef),
    Wild(Process),
}

struct Matcher<'v, 's, 'k, 'a, 'i> {
    v: &'v Validator<'s>,
    kids: &'k [Node<'a, 'i>],
    names: &'k [NameRef<'k>],
    pos: usize,
    lenient: bool,
    matched: Vec<(Node<'a, 'i>, Matched<'s>)>,
}

impl<'s> Matcher<'_, 's, '_, '_, '_> {
    /// Matches a particle at the cursor; on failure returns what was expected there.
    fn particle(&mut self, p: &'s Particle) -> Result<(), Vec<String>> {
        let mut count = 0u32;
        while p.max.is_none_or(|m| count < m) {
            let before = self.pos;
            if !self.can_start(&p.term) {
                break;
            }
            self.term(&p.term)?;
            count += 1;
            if self.pos == before {
                break; // an empty match: repeating it would loop forever
            }
        }
        if count < p.min && !nullable(&p.term) {
            return Err(first_of(&p.term));
        }
        Ok(())
    }

    fn term(&mut self, t: &'s Term) -> Result<(), Vec<String>> {
        match t {
            Term::Element(d) => {
                let node = self.kids[self.pos];
                self.matched.push((node, Matched::Decl(&d.ty)));
                self.pos += 1;
            }
            Term::ElementRef(q) => {
                let node = self.kids[self.pos];
                let ty = self.v.set.elements.get(q).map(|d| &d.ty);
                self.matched.push((
                    node,
                    ty.map(Matched::Decl).unwrap_or(Matched::Wild(Process::Lax)),
                ));
                self.pos += 1;
            }
            Term::Any(w) => {
                let node = self.kids[self.pos];
                self.matched.push((node, Matched::Wild(w.process)));
                self.pos += 1;
            }
            Term::Sequence(items) => {
                for item in items {
                    self.particle(item)?;
                }
            }
            Term::Choice(items) => {
                if let Some(branch) = items.iter().find(|b| self.can_start(&b.term)) {
                    self.particle(branch)?;
                }
            }
        }
        Ok(())
    }

    fn can_start(&self, t: &Term) -> bool {
        let Some(name) = self.names.get(self.pos) else {
            return false;
        };
        starts(t, *name, self.lenient)
    }
}

fn name_matches(decl: &QName, name: NameRef, lenient: bool) -> bool {
    name.local == decl.local && (lenient || name.ns == decl.ns)
}

fn starts(t: &Term, name: NameRef, lenient: bool) -> bool {
    match t {
        Term::Element(d) => name_matches(&d.name, name, lenient),
        Term::ElementRef(q) => name_matches(q, name, lenient),
        Term::Any(w) => w.ns.admits(name.ns),
        Term::Sequence(items) => {
            for p in items {
                if starts(&p.term, name, lenient) {
                    return true;
                }
                if p.min > 0 && !nullable(&p.term) {
                    return false;
                }
            }
            false
        }
        Term::Choice(items) => items.iter().any(|p| starts(&p.term, name, lenient)),
    }
}

fn nullable(t: &Term) -> bool {
    match t {
        Term::Element(_) | Term::ElementRef(_) | Term::Any(_) => false,
        Term::Sequence(items) => items.iter().all(|p| p.min == 0 || nullable(&p.term)),
        Term::Choice(items) => items.iter().any(|p| p.min == 0 || nullable(&p.term)),
    }
}

/// The names that could start a term, for "Expected is ( … )".
fn first_of(t: &Term) -> Vec<String> {
    let mut out = Vec::new();
    collect_first(t, &mut out);
    out
}

fn collect_first(t: &Term, out: &mut Vec<String>) {
    match t {
        Term::Element(d) => out.push(d.name.clark()),
        Term::ElementRef(q) => out.push(q.clark()),
        Term::Any(w) => out.push(match &w.ns {
            NsConstraint::Other(ns) => format!("##other{{{ns}}}*"),
            NsConstraint::Any => "##any".into(),
            NsConstraint::List(l) => format!("{{{}}}*", l.join(" ")),
        }),
        Term::Sequence(items) => {
            for p in items {
                collect_first(&p.term, out);
                if p.min > 0 && !nullable(&p.term) {
                    break;
                }
            }
        }
        Term::Choice(items) => items.iter().for_each(|p| collect_first(&p.term, out)),
    }
}

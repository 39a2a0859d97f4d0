//! The compiled form of the XSD subset we support.

use super::simple::Builtin;

/// A namespace-qualified name; `ns` is empty for no namespace.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct QName {
    pub ns: String,
    pub local: String,
}

impl QName {
    pub fn new(ns: &str, local: &str) -> Self {
        QName {
            ns: ns.to_string(),
            local: local.to_string(),
        }
    }

    /// `{ns}local` as xmllint prints names.
    pub fn clark(&self) -> String {
        if self.ns.is_empty() {
            self.local.clone()
        } else {
            format!("{{{}}}{}", self.ns, self.local)
        }
    }
}

/// A reference to a type: built in, named (resolved when validating) or anonymous.
#[derive(Debug, Clone, PartialEq)]
pub enum TypeRef {
    Builtin(Builtin),
    Named(QName),
    Local(usize),
}

/// A simple type: a built-in base narrowed by facets.
#[derive(Debug, Clone, PartialEq)]
pub struct SimpleType {
    pub base: TypeRef,
    pub enumeration: Vec<String>,
    pub min_inclusive: Option<i128>,
    pub max_inclusive: Option<i128>,
    pub min_length: Option<usize>,
    pub max_length: Option<usize>,
    /// `xs:list`: the value is a whitespace-separated list of this item type.
    pub list_of: Option<TypeRef>,
}

/// How `xs:any` processes what it matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Process {
    Strict,
    Lax,
    Skip,
}

/// The namespaces a wildcard admits.
#[derive(Debug, Clone, PartialEq)]
pub enum NsConstraint {
    Any,
    /// `##other`: any namespace but the target namespace (and, in XSD 1.0, not absent).
    Other(String),
    /// An explicit list; the empty string stands for `##local`.
    List(Vec<String>),
}

impl NsConstraint {
    pub fn admits(&self, ns: &str) -> bool {
        match self {
            NsConstraint::Any => true,
            NsConstraint::Other(target) => ns != target && !ns.is_empty(),
            NsConstraint::List(list) => list.iter().any(|n| n == ns),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Wildcard {
    pub ns: NsConstraint,
    pub process: Process,
}

/// An element declaration, local or global.
#[derive(Debug, Clone, PartialEq)]
pub struct ElementDecl {
    pub name: QName,
    pub ty: TypeRef,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Term {
    Element(ElementDecl),
    /// `<xs:element ref="…">`, resolved against the global declarations when validating.
    ElementRef(QName),
    Sequence(Vec<Particle>),
    Choice(Vec<Particle>),
    Any(Wildcard),
}

/// A term with its occurrence bounds; `max == None` is unbounded.
#[derive(Debug, Clone, PartialEq)]
pub struct Particle {
    pub min: u32,
    pub max: Option<u32>,
    pub term: Term,
}

#[derive(Debug, Clone, PartialEq)]
pub struct AttributeUse {
    pub name: QName,
    pub ty: TypeRef,
    pub required: bool,
    pub default: Option<String>,
    /// `<xs:attribute ref="…">`: the type comes from the global declaration.
    pub reference: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Content {
    Empty,
    /// Text only, of this simple type.
    Simple(TypeRef),
    Elements(Particle),
}

#[derive(Debug, Clone, PartialEq)]
pub struct ComplexType {
    pub content: Content,
    pub mixed: bool,
    pub attributes: Vec<AttributeUse>,
    pub any_attribute: Option<Wildcard>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum TypeDef {
    Simple(SimpleType),
    Complex(ComplexType),
}

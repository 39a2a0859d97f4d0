//! Reads XSD documents into the compiled model. Unsupported constructs are load errors
//! naming the schema file, line and construct, never silently ignored.

use super::model::*;
use super::simple::Builtin;
use roxmltree::{Document, Node};
use rustc_hash::FxHashMap as HashMap;

pub const XS: &str = "http://www.w3.org/2001/XMLSchema";

/// A schema that could not be loaded.
#[derive(Debug, thiserror::Error)]
#[error("{file}:{line}:{column}: {reason}")]
pub struct SchemaError {
    pub file: String,
    pub line: u32,
    pub column: u32,
    pub reason: String,
}

/// All the declarations of a set of schema documents, by qualified name.
#[derive(Debug, Default)]
pub struct SchemaSet {
    pub elements: HashMap<QName, ElementDecl>,
    pub types: HashMap<QName, TypeRef>,
    pub attributes: HashMap<QName, AttributeUse>,
    pub local_types: Vec<TypeDef>,
}

/// Options that change how a schema document is read.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    /// Force `elementFormDefault` for the schema with this target namespace.
    pub element_form: Option<(String, bool)>,
}

struct Ctx<'s> {
    file: &'s str,
    doc: &'s Document<'s>,
    target_ns: String,
    qualified: bool,
}

impl SchemaSet {
    /// Adds one schema document (its text and a name for messages).
    pub fn add(&mut self, file: &str, text: &str, opts: &LoadOptions) -> Result<(), SchemaError> {
        let doc = Document::parse(text).map_err(|e| SchemaError {
            file: file.to_string(),
            line: e.pos().row,
            column: e.pos().col,
            reason: e.to_string(),
        })?;
        let root = doc.root_element();
        let target_ns = root.attribute("targetNamespace").unwrap_or("").to_string();
        let mut qualified = root.attribute("elementFormDefault") == Some("qualified");
        if let Some((ns, q)) = &opts.element_form {
            if *ns == target_ns {
                qualified = *q;
            }
        }
        let ctx = Ctx {
            file,
            doc: &doc,
            target_ns,
            qualified,
        };
        for child in xs_children(root) {
            match child.tag_name().name() {
                "element" => {
                    let decl = self.element_decl(&ctx, child, true)?;
                    self.elements.insert(decl.name.clone(), decl);
                }
                "complexType" => {
                    let name = QName::new(&ctx.target_ns, req_attr(&ctx, child, "name")?);
                    let def = self.complex_type(&ctx, child)?;
                    let id = self.push(TypeDef::Complex(def));
                    self.types.insert(name, TypeRef::Local(id));
                }
                "simpleType" => {
                    let name = QName::new(&ctx.target_ns, req_attr(&ctx, child, "name")?);
                    let def = self.simple_type(&ctx, child)?;
                    let id = self.push(TypeDef::Simple(def));
                    self.types.insert(name, TypeRef::Local(id));
                }
                "attribute" => {
                    let mut at = self.attribute(&ctx, child)?;
                    at.name.ns = ctx.target_ns.clone();
                    self.attributes.insert(at.name.clone(), at);
                }
                // Every schema of a set is loaded explicitly, so locations are not followed.
                "import" | "include" | "annotation" => {}
                other => return Err(unsupported(&ctx, child, other)),
            }
        }
        Ok(())
    }

    fn push(&mut self, def: TypeDef) -> usize {
        self.local_types.push(def);
        self.local_types.len() - 1
    }

    fn element_decl(
        &mut self,
        ctx: &Ctx,
        node: Node,
        global: bool,
    ) -> Result<ElementDecl, SchemaError> {
        let local = req_attr(ctx, node, "name")?;
        let qualified = global
            || match node.attribute("form") {
                Some(f) => f == "qualified",
                None => ctx.qualified,
            };
        let ns = if qualified {
            ctx.target_ns.as_str()
        } else {
            ""
        };
        let ty = if let Some(t) = node.attribute("type") {
            type_ref(ctx, node, t)?
        } else if let Some(ct) = xs_child(node, "complexType") {
            let def = self.complex_type(ctx, ct)?;
            TypeRef::Local(self.push(TypeDef::Complex(def)))
        } else if let Some(st) = xs_child(node, "simpleType") {
            let def = self.simple_type(ctx, st)?;
            TypeRef::Local(self.push(TypeDef::Simple(def)))
        } else {
            TypeRef::Builtin(Builtin::AnyType)
        };
        Ok(ElementDecl {
            name: QName::new(ns, local),
            ty,
        })
    }

    fn complex_type(&mut self, ctx: &Ctx, node: Node) -> Result<ComplexType, SchemaError> {
        let mut ct = ComplexType {
            content: Content::Empty,
            mixed: node.attribute("mixed") == Some("true"),
            attributes: Vec::new(),
            any_attribute: None,
        };
        for child in xs_children(node) {
            match child.tag_name().name() {
                "sequence" | "choice" => ct.content = Content::Elements(self.particle(ctx, child)?),
                "attribute" => {
                    let at = self.attribute(ctx, child)?;
                    ct.attributes.push(at);
                }
                "anyAttribute" => ct.any_attribute = Some(wildcard(ctx, child)?),
                "simpleContent" => self.simple_content(ctx, child, &mut ct)?,
                "annotation" => {}
                other => return Err(unsupported(ctx, child, other)),
            }
        }
        Ok(ct)
    }

    fn simple_content(
        &mut self,
        ctx: &Ctx,
        node: Node,
        ct: &mut ComplexType,
    ) -> Result<(), SchemaError> {
        let ext = xs_child(node, "extension")
            .ok_or_else(|| unsupported(ctx, node, "simpleContent without extension"))?;
        ct.content = Content::Simple(type_ref(ctx, ext, req_attr(ctx, ext, "base")?)?);
        for child in xs_children(ext) {
            match child.tag_name().name() {
                "attribute" => {
                    let at = self.attribute(ctx, child)?;
                    ct.attributes.push(at);
                }
                "anyAttribute" => ct.any_attribute = Some(wildcard(ctx, child)?),
                "annotation" => {}
                other => return Err(unsupported(ctx, child, other)),
            }
        }
        Ok(())
    }

    fn particle(&mut self, ctx: &Ctx, node: Node) -> Result<Particle, SchemaError> {
        let (min, max) = occurs(ctx, node)?;
        let term = match node.tag_name().name() {
            "element" => match node.attribute("ref") {
                Some(r) => Term::ElementRef(qname(ctx, node, r)?),
                None => Term::Element(self.element_decl(ctx, node, false)?),
            },
            "sequence" | "choice" => {
                let mut items = Vec::new();
                for child in xs_children(node) {
                    if child.tag_name().name() != "annotation" {
                        items.push(self.particle(ctx, child)?);
                    }
                }
                if node.tag_name().name() == "sequence" {
                    Term::Sequence(items)
                } else {
                    Term::Choice(items)
                }
            }
            "any" => Term::Any(wildcard(ctx, node)?),
            other => return Err(unsupported(ctx, node, other)),
        };
        Ok(Particle { min, max, term })
    }

    fn attribute(&mut self, ctx: &Ctx, node: Node) -> Result<AttributeUse, SchemaError> {
        if let Some(r) = node.attribute("ref") {
            let name = qname(ctx, node, r)?;
            let required = node.attribute("use") == Some("required");
            return Ok(AttributeUse {
                ty: TypeRef::Builtin(Builtin::AnySimpleType),
                name,
                required,
                default: node.attribute("default").map(str::to_string),
                reference: true,
            });
        }
        let local = req_attr(ctx, node, "name")?;
        let ty = if let Some(t) = node.attribute("type") {
            type_ref(ctx, node, t)?
        } else if let Some(st) = xs_child(node, "simpleType") {
            let def = self.simple_type(ctx, st)?;
            TypeRef::Local(self.push(TypeDef::Simple(def)))
        } else {
            TypeRef::Builtin(Builtin::AnySimpleType)
        };
        let qualified = node.attribute("form") == Some("qualified");
        Ok(AttributeUse {
            name: QName::new(if qualified { &ctx.target_ns } else { "" }, local),
            ty,
            required: node.attribute("use") == Some("required"),
            default: node.attribute("default").map(str::to_string),
            reference: false,
        })
    }

    fn simple_type(&mut self, ctx: &Ctx, node: Node) -> Result<SimpleType, SchemaError> {
        if let Some(list) = xs_child(node, "list") {
            let item = match (list.attribute("itemType"), xs_child(list, "simpleType")) {
                (Some(t), _) => type_ref(ctx, list, t)?,
                (None, Some(st)) => {
                    let def = self.simple_type(ctx, st)?;
                    TypeRef::Local(self.push(TypeDef::Simple(def)))
                }
                (None, None) => return Err(unsupported(ctx, list, "xs:list without an item type")),
            };
            return Ok(SimpleType {
                base: TypeRef::Builtin(Builtin::String),
                enumeration: Vec::new(),
                min_inclusive: None,
                max_inclusive: None,
                min_length: None,
                max_length: None,
                list_of: Some(item),
            });
        }
        let restriction = xs_child(node, "restriction")
            .ok_or_else(|| unsupported(ctx, node, "simpleType other than restriction or list"))?;
        let mut st = SimpleType {
            base: type_ref(ctx, restriction, req_attr(ctx, restriction, "base")?)?,
            enumeration: Vec::new(),
            min_inclusive: None,
            max_inclusive: None,
            min_length: None,
            max_length: None,
            list_of: None,
        };
        for facet in xs_children(restriction) {
            let value = facet.attribute("value").unwrap_or("");
            let bad = || unsupported(ctx, facet, &format!("facet value '{value}'"));
            match facet.tag_name().name() {
                "enumeration" => st.enumeration.push(value.to_string()),
                "minInclusive" => {
                    st.min_inclusive = Some(super::simple::parse_integer(value).ok_or_else(bad)?)
                }
                "maxInclusive" => {
                    st.max_inclusive = Some(super::simple::parse_integer(value).ok_or_else(bad)?)
                }
                "minLength" => st.min_length = Some(value.parse().map_err(|_| bad())?),
                "maxLength" => st.max_length = Some(value.parse().map_err(|_| bad())?),
                "length" => {
                    let n = value.parse().map_err(|_| bad())?;
                    st.min_length = Some(n);
                    st.max_length = Some(n);
                }
                "annotation" => {}
                other => return Err(unsupported(ctx, facet, other)),
            }
        }
        Ok(st)
    }
}

fn xs_children<'a, 'i>(node: Node<'a, 'i>) -> impl Iterator<Item = Node<'a, 'i>> {
    node.children()
        .filter(|c| c.is_element() && c.tag_name().namespace() == Some(XS))
}

fn xs_child<'a, 'i>(node: Node<'a, 'i>, name: &str) -> Option<Node<'a, 'i>> {
    xs_children(node).find(|c| c.tag_name().name() == name)
}

fn err(ctx: &Ctx, node: Node, reason: String) -> SchemaError {
    let pos = ctx.doc.text_pos_at(node.range().start);
    SchemaError {
        file: ctx.file.to_string(),
        line: pos.row,
        column: pos.col,
        reason,
    }
}

fn unsupported(ctx: &Ctx, node: Node, what: &str) -> SchemaError {
    err(ctx, node, format!("unsupported XSD construct: {what}"))
}

fn req_attr<'a>(ctx: &Ctx, node: Node<'a, '_>, name: &str) -> Result<&'a str, SchemaError> {
    node.attribute(name)
        .ok_or_else(|| err(ctx, node, format!("missing attribute '{name}'")))
}

fn qname(ctx: &Ctx, node: Node, raw: &str) -> Result<QName, SchemaError> {
    let (prefix, local) = match raw.split_once(':') {
        Some((p, l)) => (Some(p), l),
        None => (None, raw),
    };
    let ns = node
        .lookup_namespace_uri(prefix)
        .map(str::to_string)
        .or_else(|| prefix.is_none().then(String::new))
        .ok_or_else(|| err(ctx, node, format!("undeclared prefix in '{raw}'")))?;
    Ok(QName::new(&ns, local))
}

fn type_ref(ctx: &Ctx, node: Node, raw: &str) -> Result<TypeRef, SchemaError> {
    let q = qname(ctx, node, raw)?;
    if q.ns == XS {
        Builtin::from_local(&q.local)
            .map(TypeRef::Builtin)
            .ok_or_else(|| unsupported(ctx, node, &format!("built-in type xs:{}", q.local)))
    } else {
        Ok(TypeRef::Named(q))
    }
}

fn occurs(ctx: &Ctx, node: Node) -> Result<(u32, Option<u32>), SchemaError> {
    let min = match node.attribute("minOccurs") {
        Some(v) => v
            .parse()
            .map_err(|_| err(ctx, node, format!("bad minOccurs '{v}'")))?,
        None => 1,
    };
    let max = match node.attribute("maxOccurs") {
        Some("unbounded") => None,
        Some(v) => Some(
            v.parse()
                .map_err(|_| err(ctx, node, format!("bad maxOccurs '{v}'")))?,
        ),
        None => Some(1),
    };
    Ok((min, max))
}

fn wildcard(ctx: &Ctx, node: Node) -> Result<Wildcard, SchemaError> {
    let ns = match node.attribute("namespace").unwrap_or("##any") {
        "##any" => NsConstraint::Any,
        "##other" => NsConstraint::Other(ctx.target_ns.clone()),
        list => NsConstraint::List(
            list.split_ascii_whitespace()
                .map(|n| match n {
                    "##local" => String::new(),
                    "##targetNamespace" => ctx.target_ns.clone(),
                    other => other.to_string(),
                })
                .collect(),
        ),
    };
    let process = match node.attribute("processContents").unwrap_or("strict") {
        "strict" => Process::Strict,
        "lax" => Process::Lax,
        "skip" => Process::Skip,
        other => {
            return Err(unsupported(
                ctx,
                node,
                &format!("processContents '{other}'"),
            ))
        }
    };
    Ok(Wildcard { ns, process })
}

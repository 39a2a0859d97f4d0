//! The declarative checks rule tables name. Each check finds the places a rule is violated
//! and returns them as [`Hit`]s with the values its message template may use; the engine
//! turns hits into findings. Checks never stop at the first problem.

pub mod cpns;
pub mod exchange;
pub mod found;
pub mod kind;
pub mod mikey;
pub mod selector;
pub mod sip;
pub mod trace;
pub mod xml;

use crate::settings::Settings;
use crate::xsd::validate::display_name;
use roxmltree::{Document, Node};
use selector::Selector;

/// One place where a rule is violated.
#[derive(Debug, Clone)]
pub struct Hit {
    /// Byte range in the document of what the finding points at.
    pub span: (usize, usize),
    /// Byte offset inside an embedded binary value, if the problem is there.
    pub byte_offset: Option<usize>,
    /// Values for the message template's `{name}` placeholders.
    pub vars: Vec<(&'static str, String)>,
    /// A reading no source confirms that this hit rests on: a confirmed rule reports such a
    /// hit as provisional (a warning), saying what it assumed.
    pub rests_on: Option<String>,
}

impl Hit {
    pub fn at(node: Node) -> Hit {
        // Point at the element's name, just after '<'.
        let start = node.range().start + 1;
        let len = display_name(node).len();
        Hit {
            span: (start, start + len),
            byte_offset: None,
            vars: vec![("element", display_name(node))],
            rests_on: None,
        }
    }

    /// Marks the hit as resting on a provisional reading.
    pub fn resting_on(mut self, reading: impl Into<String>) -> Hit {
        self.rests_on = Some(reading.into());
        self
    }

    pub fn var(mut self, name: &'static str, value: impl Into<String>) -> Hit {
        self.vars.retain(|(n, _)| *n != name);
        self.vars.push((name, value.into()));
        self
    }
}

/// What a check may look at.
pub struct Ctx<'a, 'i> {
    pub doc: &'a Document<'i>,
    pub settings: &'a Settings,
    /// The kinds the input is read as (two for an ambiguous response).
    pub kinds: &'a [String],
    /// The elements by local name, gathered on the first `select`.
    index: std::sync::OnceLock<ElementIndex>,
}

/// A document's elements by local name, in document order. A rule table selects elements by
/// name a few dozen times per document, and scanning every element each time was a fifth of
/// a large document's check. Names are owned (a borrowed one would make `Ctx` invariant in
/// its lifetimes); a document has few distinct names.
#[derive(Default)]
pub struct ElementIndex(rustc_hash::FxHashMap<Box<str>, Vec<roxmltree::NodeId>>);

impl ElementIndex {
    pub fn of(doc: &Document) -> Self {
        let mut map = rustc_hash::FxHashMap::<Box<str>, Vec<roxmltree::NodeId>>::default();
        for n in doc.descendants().filter(|n| n.is_element()) {
            let name = n.tag_name().name();
            match map.get_mut(name) {
                Some(ids) => ids.push(n.id()),
                None => {
                    map.insert(name.into(), vec![n.id()]);
                }
            }
        }
        ElementIndex(map)
    }

    /// The elements with this local name, in document order.
    pub fn named(&self, local: &str) -> &[roxmltree::NodeId] {
        self.0.get(local).map_or(&[], Vec::as_slice)
    }
}

impl<'a, 'i> Ctx<'a, 'i> {
    pub fn new(doc: &'a Document<'i>, settings: &'a Settings, kinds: &'a [String]) -> Self {
        Ctx {
            doc,
            settings,
            kinds,
            index: std::sync::OnceLock::new(),
        }
    }

    pub fn index(&self) -> &ElementIndex {
        self.index.get_or_init(|| ElementIndex::of(self.doc))
    }

    /// Whether an element matches a selector, reading the root's own namespace as its
    /// kind's: when the root element is in another namespace than the kind it was read as
    /// (read by its name, a note says so), that is one defect, reported at the root by the
    /// schema rule (or by `--as`). The elements in that namespace are then taken for the
    /// kind's, so that every rule judges the content as the kind's, and none blames an
    /// element for its parent's namespace (issue 19: "BCAST-REG-01 … is a child of
    /// mbmsSecurityRegister; it belongs … under mbmsSecurityRegister").
    pub fn matches(&self, sel: &Selector, node: Node) -> bool {
        if !node.is_element() {
            return false;
        }
        // The local name first: it rules out most elements without a prefix lookup.
        if sel.local != "*" && node.tag_name().name() != sel.local {
            return false;
        }
        if sel.prefix == "*" {
            return true;
        }
        let want = self.settings.prefixes.get(&sel.prefix).map(String::as_str);
        let ns = node.tag_name().namespace().unwrap_or("");
        if want == Some(ns) {
            return true;
        }
        self.root_namespace_misread()
            .is_some_and(|(written, read)| ns == written && want == Some(read))
    }

    /// The root element's namespace and its kind's, when they differ.
    pub fn root_namespace_misread(&self) -> Option<(&'a str, &'a str)> {
        let root = self.doc.root_element();
        let actual = root.tag_name().namespace().unwrap_or("");
        let expected = self
            .kinds
            .iter()
            .filter_map(|k| self.settings.kind(k))
            .find(|k| k.root == root.tag_name().name())?
            .namespace
            .as_str();
        (actual != expected).then_some((actual, expected))
    }

    /// Every element whose local name is one of `names`, in document order.
    pub fn named<'s, N: AsRef<str>>(&'s self, names: &[N]) -> Vec<Node<'a, 'i>> {
        let index = self.index();
        let mut ids: Vec<roxmltree::NodeId> = names
            .iter()
            .flat_map(|n| index.named(n.as_ref()).iter().copied())
            .collect();
        // Node ids follow document order; a name listed twice gives its elements once.
        ids.sort_unstable_by_key(|id| id.get_usize());
        ids.dedup();
        ids.into_iter()
            .filter_map(|id| self.doc.get_node(id))
            .collect()
    }

    /// Every element matching a selector, in document order.
    pub fn select<'s>(&'s self, sel: &'s Selector) -> impl Iterator<Item = Node<'a, 'i>> + 's {
        let named: Box<dyn Iterator<Item = Node<'a, 'i>> + 's> = if sel.local == "*" {
            Box::new(self.doc.descendants())
        } else {
            let ids = self.index().named(&sel.local);
            Box::new(ids.iter().filter_map(|&id| self.doc.get_node(id)))
        };
        named.filter(move |n| self.matches(sel, *n))
    }
}

/// The collapsed text content of an element, borrowed from the document where it can be.
/// Text children only: a comment's text is no part of the value (roxmltree's `text()` gives
/// a comment's too).
pub fn text_of<'a>(node: Node<'a, '_>) -> std::borrow::Cow<'a, str> {
    let mut texts = node
        .children()
        .filter(|c| c.is_text())
        .filter_map(|c| c.text());
    match (texts.next(), texts.next()) {
        (None, _) => "".into(),
        // One text node, the usual case: collapsed without gathering it first.
        (Some(only), None) => crate::xsd::simple::collapse(only),
        (Some(first), Some(second)) => {
            let mut raw = String::from(first);
            raw.push_str(second);
            raw.extend(texts);
            crate::xsd::simple::collapse(&raw).into_owned().into()
        }
    }
}

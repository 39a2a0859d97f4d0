//! The built-in schemas, compiled on first use and only as far as a document needs them.
//!
//! Compiling every schema at start-up cost a third of a small file's run. A document needs
//! the declarations of the namespaces its elements use, and of the namespaces those schemas
//! import; a set of that closure declares everything validation can look up for that
//! document, so it gives the same verdicts as the full set. Sets are cached by namespace
//! closure (a corpus of one payload kind compiles its schemas once).

use crate::xsd::{LoadOptions, SchemaError, SchemaSet};
use roxmltree::Document;
use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, Mutex};

/// One schema document and what a cheap scan of its text says it declares and imports.
struct Source {
    name: &'static str,
    text: &'static str,
    target: String,
    imports: Vec<String>,
}

pub(crate) struct SchemaCache {
    sources: Vec<Source>,
    opts: LoadOptions,
    compiled: Mutex<HashMap<BTreeSet<String>, Arc<SchemaSet>>>,
}

impl SchemaCache {
    pub(crate) fn new(files: &[(&'static str, &'static str)], opts: LoadOptions) -> SchemaCache {
        let sources = files
            .iter()
            .map(|&(name, text)| Source {
                name,
                text,
                target: attribute_after(text, "<xs:schema", "targetNamespace").unwrap_or_default(),
                imports: imports(text),
            })
            .collect();
        SchemaCache {
            sources,
            opts,
            compiled: Mutex::new(HashMap::new()),
        }
    }

    /// The schemas the document's namespaces need, compiled (once per namespace closure).
    #[cfg(test)]
    pub(crate) fn for_document(&self, doc: &Document) -> Result<Arc<SchemaSet>, SchemaError> {
        self.for_document_and(doc, &[])
    }

    /// The schemas the document's namespaces need, compiled (once per namespace closure),
    /// for a document whose elements may also be read in the namespaces `also`
    /// (an extension's elements read by local name, `ExtensionPlacement`, whatever namespace
    /// they were written in).
    pub(crate) fn for_document_and(
        &self,
        doc: &Document,
        also: &[&str],
    ) -> Result<Arc<SchemaSet>, SchemaError> {
        // Elements' and attributes' namespaces: global attributes of another namespace (the
        // FDT extensions') are looked up by theirs.
        let mut used: BTreeSet<&str> = also.iter().copied().collect();
        // Neighbouring elements mostly share a namespace, and the tree keeps each namespace
        // once: the same address as the last element's needs no set insert (an insert per
        // element was 3% of a large document's check).
        let mut last: Option<&str> = None;
        for n in doc.descendants().filter(|n| n.is_element()) {
            let ns = n.tag_name().namespace().unwrap_or("");
            if !last.is_some_and(|l| std::ptr::eq(l, ns)) {
                used.insert(ns);
                last = Some(ns);
            }
            used.extend(n.attributes().filter_map(|a| a.namespace()));
        }
        let used = used.into_iter().map(str::to_string).collect();
        let closure = self.closure(used);
        if let Some(set) = self.lock().get(&closure) {
            return Ok(set.clone());
        }
        // Compiled outside the lock: two threads may compile the same set once each, which
        // costs less than making every other thread wait.
        let set = Arc::new(self.compile(|s| closure.contains(&s.target))?);
        self.lock().entry(closure).or_insert(set.clone());
        Ok(set)
    }

    /// Every schema compiled together: what the tests use to prove the built-in schemas
    /// are all valid, and that a document's closure judges as the whole set does.
    #[cfg(test)]
    pub(crate) fn compile_all(&self) -> Result<SchemaSet, SchemaError> {
        self.compile(|_| true)
    }

    /// How many namespace closures have been compiled (for tests of the cache).
    #[cfg(test)]
    fn compiled_sets(&self) -> usize {
        self.lock().len()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<BTreeSet<String>, Arc<SchemaSet>>> {
        // A panic while holding the lock leaves only a cache behind: still usable.
        self.compiled.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The namespaces, with those the schemas declaring them import, transitively.
    fn closure(&self, mut namespaces: BTreeSet<String>) -> BTreeSet<String> {
        let mut todo: Vec<String> = namespaces.iter().cloned().collect();
        while let Some(ns) = todo.pop() {
            for s in self.sources.iter().filter(|s| s.target == ns) {
                for i in &s.imports {
                    if namespaces.insert(i.clone()) {
                        todo.push(i.clone());
                    }
                }
            }
        }
        namespaces
    }

    fn compile(&self, wanted: impl Fn(&Source) -> bool) -> Result<SchemaSet, SchemaError> {
        let mut set = SchemaSet::default();
        for s in self.sources.iter().filter(|s| wanted(s)) {
            set.add(s.name, s.text, &self.opts)?;
        }
        Ok(set)
    }
}

/// The namespaces a schema text imports (`<xs:import namespace="…"`).
fn imports(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find("<xs:import") {
        rest = &rest[at..];
        if let Some(ns) = attribute_after(rest, "<xs:import", "namespace") {
            out.push(ns);
        }
        rest = &rest["<xs:import".len()..];
    }
    out
}

/// The value of `attr` in the first `tag` start tag of `text`. The built-in schemas all use
/// the `xs:` prefix; a test compiles each one alone to prove the scan finds its namespace.
fn attribute_after(text: &str, tag: &str, attr: &str) -> Option<String> {
    let start = text.find(tag)?;
    let end = start + text[start..].find('>')?;
    let tag_text = &text[start..end];
    let mut rest = tag_text;
    while let Some(at) = rest.find(attr) {
        let after = rest[at + attr.len()..].trim_start();
        let preceded_by_space = rest[..at].ends_with(char::is_whitespace);
        if let (true, Some(v)) = (preceded_by_space, after.strip_prefix('=')) {
            let v = v.trim_start();
            let quote = v.chars().next()?;
            let inner = &v[1..];
            return Some(inner[..inner.find(quote)?].to_string());
        }
        rest = &rest[at + attr.len()..];
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_scan_reads_what_the_parser_reads() {
        for (name, text) in super::super::SCHEMA_FILES {
            let doc = Document::parse(text).unwrap();
            let root = doc.root_element();
            assert_eq!(
                attribute_after(text, "<xs:schema", "targetNamespace").unwrap_or_default(),
                root.attribute("targetNamespace").unwrap_or(""),
                "{name}"
            );
            let parsed: Vec<String> = root
                .children()
                .filter(|c| c.tag_name().name() == "import")
                .filter_map(|c| c.attribute("namespace").map(str::to_string))
                .collect();
            assert_eq!(imports(text), parsed, "{name}");
        }
    }

    fn cache(qualified: bool) -> SchemaCache {
        let opts = LoadOptions {
            element_form: Some((
                "urn:oma:xml:bcast:pr:orderqueries:1.0".to_string(),
                qualified,
            )),
        };
        SchemaCache::new(super::super::SCHEMA_FILES, opts)
    }

    fn xml_vectors(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for e in std::fs::read_dir(dir).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                xml_vectors(&p, out);
            } else if p.extension().is_some_and(|x| x == "xml") {
                out.push(p);
            }
        }
    }

    /// The lazily compiled closure gives every XML vector the violations the whole set gives.
    #[test]
    fn a_documents_closure_judges_as_the_whole_set() {
        let mut files = Vec::new();
        xml_vectors(std::path::Path::new("vectors"), &mut files);
        files.sort();
        assert!(files.len() > 50, "{} XML vectors", files.len());
        for qualified in [true, false] {
            let cache = cache(qualified);
            let all = cache.compile_all().unwrap();
            let opts = crate::xsd::ValidateOptions::default();
            let mut compared = 0;
            for f in &files {
                let Ok(text) = std::fs::read_to_string(f) else {
                    continue;
                };
                let Ok(doc) = Document::parse(&text) else {
                    continue;
                };
                let lazy = cache.for_document(&doc).unwrap();
                let show = |set: &SchemaSet| -> Vec<String> {
                    crate::xsd::Validator::new(set, &opts)
                        .validate(&doc)
                        .iter()
                        .map(|v| format!("{:?} {}", v.node.range(), v.message))
                        .collect()
                };
                assert_eq!(show(&lazy), show(&all), "{}", f.display());
                compared += 1;
            }
            assert!(compared > 50);
            assert!(cache.compiled_sets() < compared, "the cache is not shared");
        }
    }

    #[test]
    fn attribute_scan_needs_the_whole_name() {
        let t = r#"<xs:schema xmlns:x="a" XtargetNamespace="no" targetNamespace = 'yes'>"#;
        assert_eq!(
            attribute_after(t, "<xs:schema", "targetNamespace").as_deref(),
            Some("yes")
        );
    }
}

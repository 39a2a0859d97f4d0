//! Finds the XML in a document's text: instance examples and XSD fragments. A block starts
//! at a line that begins with `<?xml` or with a root-looking element (a start tag whose line
//! is markup, not a sentence that names an element) and runs on, across blank lines and
//! paragraph breaks, while its lines read as XML: markup lines, the continuation of a tag
//! left open, or text content inside an element. It ends at prose (a line of words outside
//! any tag) or, for an instance whose root has closed, at the next non-markup line.

use super::document::Document;

/// What a block holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockKind {
    /// An XML instance (an example payload).
    Instance,
    /// XML Schema components (`xs:`/`xsd:` elements, or an `xs:schema`).
    Schema,
}

/// One block: lines `first..=last` of the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    pub first: usize,
    pub last: usize,
    pub kind: BlockKind,
    /// The name of the first element (`mbmsMSKResponse`, `xs:complexType`).
    pub root: String,
}

impl Block {
    /// The block's text, its lines as they are in the document, joined by newlines: line k of
    /// the text is document line `first + k`, column for column.
    pub fn text(&self, doc: &Document) -> String {
        doc.lines[self.first..=self.last]
            .iter()
            .map(|l| l.text.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    }
}

/// The most lines one block may span (a longer run is cut there and reported by the
/// well-formedness check as unterminated).
const MAX_BLOCK_LINES: usize = 20_000;

/// Every block of the document, in order.
pub fn blocks(doc: &Document) -> Vec<Block> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < doc.lines.len() {
        let Some(root) = start_of_block(&doc.lines[i].text) else {
            i += 1;
            continue;
        };
        let last = extent(doc, i);
        let kind = if is_schema_name(&root) || schema_root_follows(doc, i, last) {
            BlockKind::Schema
        } else {
            BlockKind::Instance
        };
        let root = if root == "?xml" {
            first_element(doc, i, last).unwrap_or(root)
        } else {
            root
        };
        out.push(Block {
            first: i,
            last,
            kind,
            root,
        });
        i = last + 1;
    }
    out
}

fn is_schema_name(name: &str) -> bool {
    name.starts_with("xs:") || name.starts_with("xsd:") || name == "schema"
}

/// The block after `<?xml …?>` is a schema if its first element is one.
fn schema_root_follows(doc: &Document, first: usize, last: usize) -> bool {
    first_element(doc, first, last).is_some_and(|n| is_schema_name(&n))
}

fn first_element(doc: &Document, first: usize, last: usize) -> Option<String> {
    doc.lines[first..=last].iter().find_map(|l| {
        let t = l.text.trim_start();
        let name = tag_name(t.strip_prefix('<')?)?;
        (!name.starts_with('?')).then_some(name)
    })
}

/// The name after `<` (`?xml` for the declaration), if the text there is a tag name.
fn tag_name(after_lt: &str) -> Option<String> {
    let name: String = after_lt
        .chars()
        .take_while(|c| c.is_alphanumeric() || matches!(c, ':' | '_' | '-' | '.' | '?'))
        .collect();
    let first = name.chars().next()?;
    (first.is_alphabetic() || first == '_' || (first == '?' && name == "?xml")).then_some(name)
}

/// The root element's name (or `?xml`) when the line starts a block: `<?xml`, or a start tag
/// followed by nothing, attributes, or markup whose text runs only up to an end tag.
fn start_of_block(line: &str) -> Option<String> {
    let t = line.trim();
    let name = tag_name(t.strip_prefix('<')?)?;
    if name == "?xml" {
        return Some(name);
    }
    let after = &t[1 + name.len()..];
    if !(after.is_empty() || after.starts_with(|c: char| c.is_whitespace() || c == '>' || c == '/'))
    {
        return None;
    }
    markup_only(t).then_some(name)
}

/// Whether a line is markup: any text between tags is followed by an end tag (`<a>x</a>`) or
/// ends the line inside an element (`<serviceID>` … on the next lines), never a sentence
/// that goes on after a tag (`<X> element and related <Y> sub-element are defined`).
fn markup_only(t: &str) -> bool {
    let mut rest = t;
    while let Some(lt) = rest.find('<') {
        let text = rest[..lt].trim();
        let after = &rest[lt..];
        if !text.is_empty() && !after.starts_with("</") && !after.starts_with("<!--") {
            return false;
        }
        match after.find('>') {
            Some(gt) => rest = &after[gt + 1..],
            None => return true, // a tag going on past the line
        }
    }
    let tail = rest.trim();
    tail.is_empty() || !tail.contains(' ') || tail.split_whitespace().count() <= 2
}

/// The last line of the block that starts at `first`.
fn extent(doc: &Document, first: usize) -> usize {
    let mut scan = Scan::default();
    let mut last = first;
    let mut i = first;
    let limit = (first + MAX_BLOCK_LINES).min(doc.lines.len());
    while i < limit {
        let text = &doc.lines[i].text;
        let t = text.trim();
        if i > first {
            if t.is_empty() {
                i += 1;
                continue;
            }
            let inside = scan.in_tag || scan.in_comment;
            if !inside {
                if t.starts_with("<?xml") {
                    break;
                }
                let end_tag = t.starts_with("</") && scan.elements > 0;
                let markup = t.starts_with('<')
                    && (scan.depth > 0 || end_tag || start_of_block(t).is_some());
                let content = scan.depth > 0 && !t.starts_with('<') && is_content(doc, i, t);
                let root_closed = scan.depth <= 0 && scan.elements > 0;
                if !(markup || content) || (root_closed && !t.starts_with('<')) {
                    break;
                }
                if root_closed && !scan.schema && !t.starts_with("<!--") && !end_tag {
                    break;
                }
            }
        }
        scan.line(t);
        last = i;
        i += 1;
    }
    last
}

/// A non-markup line inside an element is its text content if it is one token (a URN, a
/// base64 run) or an end tag follows it; a line of words with no end tag after is prose.
fn is_content(doc: &Document, i: usize, t: &str) -> bool {
    let after_start_tag = doc.lines[..i]
        .iter()
        .rev()
        .map(|l| l.text.trim())
        .find(|l| !l.is_empty())
        .is_some_and(|l| {
            let last_tag = l.rfind('<').map_or("", |k| &l[k..]);
            l.ends_with('>') && !l.ends_with("/>") && !last_tag.starts_with("</")
        });
    if after_start_tag && t.split_whitespace().count() == 1 && !t.ends_with('.') {
        return true;
    }
    doc.lines[i + 1..]
        .iter()
        .map(|l| l.text.trim())
        .find(|l| !l.is_empty())
        .is_some_and(|l| l.starts_with("</"))
}

/// A light tag counter for finding a block's end; the well-formedness check parses properly.
#[derive(Default)]
struct Scan {
    depth: i64,
    elements: usize,
    in_tag: bool,
    in_comment: bool,
    quote: Option<char>,
    schema: bool,
}

impl Scan {
    fn line(&mut self, t: &str) {
        let b = t.as_bytes();
        let mut k = 0;
        while k < b.len() {
            if self.in_comment {
                match t[k..].find("-->") {
                    Some(e) => {
                        self.in_comment = false;
                        k += e + 3;
                        continue;
                    }
                    None => return,
                }
            }
            if self.in_tag {
                let c = b[k] as char;
                match self.quote {
                    Some(q) if c == q => self.quote = None,
                    Some(_) => {}
                    None if c == '"' || c == '\'' => self.quote = Some(c),
                    None if c == '>' => {
                        self.in_tag = false;
                        if k > 0 && b[k - 1] == b'/' {
                            self.depth -= 1;
                        }
                    }
                    None => {}
                }
                k += 1;
                continue;
            }
            if b[k] == b'<' {
                let rest = &t[k..];
                if rest.starts_with("<!--") {
                    self.in_comment = true;
                    k += 4;
                    continue;
                }
                if rest.starts_with("</") {
                    self.depth -= 1;
                } else if rest.starts_with("<?") || rest.starts_with("<!") {
                    // a declaration or processing instruction: no depth
                } else {
                    self.depth += 1;
                    self.elements += 1;
                    if is_schema_name(&tag_name(&rest[1..]).unwrap_or_default()) {
                        self.schema = true;
                    }
                }
                self.in_tag = true;
            }
            k += 1;
        }
    }
}

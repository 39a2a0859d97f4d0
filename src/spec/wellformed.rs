//! SPEC-XML-01: is a block well-formed XML? A schema fragment (components without their
//! `xs:schema`) is read inside a wrapper that declares the `xs`/`xsd` prefixes, as the
//! schema it belongs to would. An end tag that does not match is reported at the start tag
//! left open (the defect: `<LTKM>...<LTKM>`), naming the end tag that found it open; other
//! errors where the parser stops.

use super::document::Document;
use super::extract::{Block, BlockKind};
use quick_xml::events::Event;

const WRAPPER: &str = "mikeyconf-fragment";
const XS: &str = "http://www.w3.org/2001/XMLSchema";

/// A block's text as parsed, and how its lines map back to the document.
pub struct Prepared {
    pub text: String,
    /// Lines of the text before the block's first line (the wrapper's start tag).
    pub lead: usize,
}

impl Prepared {
    pub fn of(doc: &Document, block: &Block) -> Prepared {
        let own = block.text(doc);
        let bare_fragment = block.kind == BlockKind::Schema
            && !own.trim_start().starts_with("<?xml")
            && !block.root.ends_with("schema");
        if bare_fragment {
            Prepared {
                text: format!(
                    "<{WRAPPER} xmlns:xs=\"{XS}\" xmlns:xsd=\"{XS}\">\n{own}\n</{WRAPPER}>"
                ),
                lead: 1,
            }
        } else {
            Prepared { text: own, lead: 0 }
        }
    }

    /// The document line index and 1-based column of byte `at` of the text.
    pub fn place(&self, block: &Block, at: usize) -> (usize, u32) {
        let at = at.min(self.text.len());
        let before = &self.text[..at];
        let line = before.matches('\n').count();
        let start = before.rfind('\n').map_or(0, |k| k + 1);
        let column = before[start..].chars().count() as u32 + 1;
        let index = (block.first + line).saturating_sub(self.lead);
        (index.min(block.last), column)
    }

    /// The document place of a 1-based line and column of the text (as roxmltree gives).
    pub fn place_row_col(&self, block: &Block, row: u32, col: u32) -> (usize, u32) {
        let index = (block.first + row as usize)
            .saturating_sub(1)
            .saturating_sub(self.lead);
        (index.clamp(block.first, block.last), col)
    }
}

/// Why a block is not well-formed, at its place in the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotWellFormed {
    pub index: usize,
    pub column: u32,
    pub message: String,
}

/// Checks a block; None when it is well-formed.
pub fn check(doc: &Document, block: &Block, prepared: &Prepared) -> Option<NotWellFormed> {
    if let Some(e) = tag_balance(doc, block, prepared) {
        return Some(e);
    }
    let opts = roxmltree::ParsingOptions {
        allow_dtd: false,
        nodes_limit: 1_000_000,
        ..roxmltree::ParsingOptions::default()
    };
    match roxmltree::Document::parse_with_options(&prepared.text, opts) {
        Ok(_) => None,
        Err(e) => {
            let pos = e.pos();
            let (index, column) = prepared.place_row_col(block, pos.row, pos.col);
            Some(NotWellFormed {
                index,
                column,
                message: format!(
                    "not well-formed XML: {}",
                    unplaced_reason(&prepared.text, &e)
                ),
            })
        }
    }
}

/// Why the parser stopped, without the place roxmltree appends (" at 3:8"): that place is
/// the example's line and column, and the finding already stands at the document's.
fn unplaced_reason(text: &str, e: &roxmltree::Error) -> String {
    let reason = crate::xml::malformed_reason(text, e);
    match reason.strip_suffix(&format!(" at {}", e.pos())) {
        Some(unplaced) => unplaced.to_string(),
        None => reason,
    }
}

/// Start and end tags pair up; the first that does not, reported at the start tag left open.
fn tag_balance(doc: &Document, block: &Block, prepared: &Prepared) -> Option<NotWellFormed> {
    let mut reader = quick_xml::Reader::from_str(&prepared.text);
    reader.config_mut().check_end_names = false;
    let mut open: Vec<(String, usize)> = Vec::new();
    // The last element of each name closed by its own '/>'.
    let mut self_closed: std::collections::HashMap<String, usize> = Default::default();
    loop {
        let at = reader.buffer_position() as usize;
        let event = match reader.read_event() {
            Ok(ev) => ev,
            Err(e) => {
                let (index, column) = prepared.place(block, reader.error_position() as usize);
                return Some(NotWellFormed {
                    index,
                    column,
                    message: format!("not well-formed XML: {e}"),
                });
            }
        };
        match event {
            Event::Start(s) => {
                let name = String::from_utf8_lossy(s.name().as_ref()).into_owned();
                open.push((name, at));
            }
            Event::Empty(s) => {
                let name = String::from_utf8_lossy(s.name().as_ref()).into_owned();
                self_closed.insert(name, at);
            }
            Event::End(e) => {
                let name = String::from_utf8_lossy(e.name().as_ref()).into_owned();
                // The usual case first, in constant time: a search of every open element
                // per end tag took the square of the nesting (90 000 deep: 6 s).
                if open.last().is_some_and(|(n, _)| *n == name) {
                    open.pop();
                    continue;
                }
                if !open.iter().any(|(n, _)| *n == name) {
                    return Some(stray_end(
                        doc,
                        block,
                        prepared,
                        &name,
                        at,
                        self_closed.get(&name),
                    ));
                }
                match open.pop() {
                    Some((n, _)) if n == name => {}
                    Some((n, start)) => {
                        return Some(unclosed(
                            doc,
                            block,
                            prepared,
                            &open,
                            (&n, start),
                            Some((&name, at)),
                        ))
                    }
                    None => {}
                }
            }
            Event::Eof => {
                return open
                    .pop()
                    .map(|(n, start)| unclosed(doc, block, prepared, &open, (&n, start), None));
            }
            _ => {}
        }
    }
}

/// The finding for an end tag whose element is not open, noting an element of that name
/// its own '/>' already closed.
fn stray_end(
    doc: &Document,
    block: &Block,
    prepared: &Prepared,
    name: &str,
    at: usize,
    closed_at: Option<&usize>,
) -> NotWellFormed {
    let (index, column) = prepared.place(block, at);
    let mut message = format!("end tag </{name}> closes no open element");
    if let Some(&c) = closed_at {
        let (i, _) = prepared.place(block, c);
        message.push_str(&format!(
            ": the <{name}> at {} is already closed by its own '/>'",
            doc.place(i)
        ));
    }
    NotWellFormed {
        index,
        column,
        message,
    }
}

/// The finding for start tag `left` never closed: `found` is the end tag met instead (None
/// at the end of the block). A start tag repeating its parent's name is most likely an end
/// tag missing its '/'.
fn unclosed(
    doc: &Document,
    block: &Block,
    prepared: &Prepared,
    outer: &[(String, usize)],
    left: (&str, usize),
    found: Option<(&str, usize)>,
) -> NotWellFormed {
    let (index, column) = prepared.place(block, left.1);
    let mut message = format!("element <{}> is not closed", left.0);
    match found {
        Some((name, at)) => {
            let (i, _) = prepared.place(block, at);
            message.push_str(&format!(
                ": the end tag </{name}> at {} comes first",
                doc.place(i)
            ));
        }
        None => message.push_str(" before the example ends"),
    }
    let parent = outer.last().filter(|(n, _)| n == left.0);
    let follows_text = prepared.text[..left.1]
        .rfind('>')
        .is_some_and(|k| !prepared.text[k + 1..left.1].trim().is_empty());
    if let Some((_, at)) = parent {
        let (i, _) = prepared.place(block, *at);
        message.push_str(&format!(
            "; it repeats the start tag of the <{}> opened at {}: an end tag </{}> missing its '/'?",
            left.0,
            doc.place(i),
            left.0
        ));
    } else if follows_text {
        message.push_str(&format!("; an end tag </{}> missing its '/'?", left.0));
    }
    NotWellFormed {
        index,
        column,
        message,
    }
}

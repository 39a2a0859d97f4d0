//! A YAML document (or one JSON line) as a tree whose every node keeps its line and column,
//! built from the events of `saphyr-parser` (yaml_serde keeps no positions of values). Only
//! what a CPNS trace needs: scalars, sequences, mappings; anchors' aliases are refused (they
//! could multiply a small input into a huge tree), and so is nesting beyond [`MAX_DEPTH`].

use super::CpnsError;
use saphyr_parser::{Event, Parser, ScalarStyle, Span};

/// How deep a trace may nest (an event's `fields.group_key` is 4 levels down).
pub const MAX_DEPTH: usize = 32;

/// One node of the tree.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    /// A scalar: its text, and whether it was quoted (a quoted `4` is text, not a number).
    Scalar {
        text: String,
        quoted: bool,
    },
    Seq(Vec<Marked>),
    /// Keys in document order (a key given twice is refused when read).
    Map(Vec<(Marked, Marked)>),
}

/// A node with its place: 1-based line and column.
#[derive(Debug, Clone, PartialEq)]
pub struct Marked {
    pub node: Node,
    pub line: u32,
    pub column: u32,
}

impl Marked {
    /// A plain `null`, `~` or empty scalar.
    pub fn is_null(&self) -> bool {
        matches!(&self.node, Node::Scalar { text, quoted: false } if matches!(text.as_str(), "" | "null" | "Null" | "NULL" | "~"))
    }

    /// What it is, in a word, for error messages.
    pub fn what(&self) -> &'static str {
        match &self.node {
            _ if self.is_null() => "null",
            Node::Scalar { .. } => "a scalar",
            Node::Seq(_) => "a list",
            Node::Map(_) => "a map",
        }
    }
}

fn place(span: &Span, line_offset: u32) -> (u32, u32) {
    (
        span.start.line() as u32 + line_offset,
        span.start.col() as u32 + 1,
    )
}

/// Parses one YAML document; `line_offset` is added to every line (a JSON line read alone).
pub fn parse(text: &str, line_offset: u32) -> Result<Marked, CpnsError> {
    let mut parser = Parser::new_from_str(text);
    // Open collections: the node being built, and a pending key for maps.
    let mut stack: Vec<(Marked, Option<Marked>)> = Vec::new();
    let mut root: Option<Marked> = None;
    let mut documents = 0;
    for item in &mut parser {
        let (event, span) = item.map_err(|e| {
            let m = e.marker();
            CpnsError::at(
                m.line() as u32 + line_offset,
                m.col() as u32 + 1,
                format!("not valid YAML: {}", e.info()),
            )
        })?;
        let (line, column) = place(&span, line_offset);
        let done = match event {
            Event::DocumentStart(_) => {
                documents += 1;
                if documents > 1 {
                    return Err(CpnsError::at(
                        line,
                        column,
                        "a trace is one YAML document (a second `---` was found)",
                    ));
                }
                None
            }
            Event::Alias(_) => {
                return Err(CpnsError::at(
                    line,
                    column,
                    "aliases (*name) are not accepted in a CPNS trace: write the value out",
                ))
            }
            Event::Scalar(text, style, _, _) => Some(Marked {
                node: Node::Scalar {
                    text: text.into_owned(),
                    quoted: style != ScalarStyle::Plain,
                },
                line,
                column,
            }),
            Event::SequenceStart(..) | Event::MappingStart(..) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(CpnsError::at(
                        line,
                        column,
                        format!("nested more than {MAX_DEPTH} levels deep"),
                    ));
                }
                let node = if matches!(event, Event::SequenceStart(..)) {
                    Node::Seq(Vec::new())
                } else {
                    Node::Map(Vec::new())
                };
                stack.push((marked(node, line, column), None));
                None
            }
            Event::SequenceEnd | Event::MappingEnd => stack.pop().map(|(m, _)| m),
            _ => None,
        };
        let Some(value) = done else { continue };
        match stack.last_mut() {
            None => root = Some(value),
            Some((parent, pending)) => match &mut parent.node {
                Node::Seq(items) => items.push(value),
                Node::Map(entries) => match pending.take() {
                    None => *pending = Some(value),
                    Some(key) => entries.push((key, value)),
                },
                Node::Scalar { .. } => {}
            },
        }
    }
    root.ok_or_else(|| CpnsError::at(1 + line_offset, 1, "the trace is empty"))
}

fn marked(node: Node, line: u32, column: u32) -> Marked {
    Marked { node, line, column }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_positions_of_nested_values() {
        let t = parse("a: 1\nb:\n  - {c: \"4\"}\n", 0).unwrap();
        let Node::Map(entries) = &t.node else {
            panic!("a map")
        };
        let (_, b) = &entries[1];
        let Node::Seq(items) = &b.node else {
            panic!("a list")
        };
        assert_eq!((items[0].line, items[0].column), (3, 5));
        let Node::Map(inner) = &items[0].node else {
            panic!("a map")
        };
        assert_eq!(
            inner[0].1.node,
            Node::Scalar {
                text: "4".into(),
                quoted: true
            }
        );
    }

    #[test]
    fn json_line_is_read_with_its_line_number() {
        let t = parse(r#"{"seq":1,"msg":"SGCreateRequest"}"#, 6).unwrap();
        assert_eq!((t.line, t.column), (7, 1));
        let Node::Map(entries) = &t.node else {
            panic!("a map")
        };
        assert_eq!((entries[1].0.line, entries[1].0.column), (7, 10));
    }

    #[test]
    fn refuses_aliases_depth_and_second_documents() {
        assert!(parse("a: &x 1\nb: *x\n", 0)
            .unwrap_err()
            .reason
            .contains("aliases"));
        let deep = format!("{}1{}", "[".repeat(40), "]".repeat(40));
        assert!(parse(&deep, 0).unwrap_err().reason.contains("nested"));
        assert!(parse("a: 1\n---\nb: 2\n", 0)
            .unwrap_err()
            .reason
            .contains("one YAML document"));
        let bad = parse("a: [1\n", 0).unwrap_err();
        assert!(bad.reason.starts_with("not valid YAML"), "{bad}");
    }
}

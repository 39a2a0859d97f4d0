//! A change request as lines with their places: the one model every reader produces (a
//! .txt's lines, a .docx's paragraphs) and every spec check reads.

use crate::finding::Location;

/// What a document was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceFormat {
    Text,
    Markdown,
    Docx,
}

/// One line of the document's text. A .docx paragraph is one line, or several where it holds
/// line breaks; `number` counts lines through the whole document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub text: String,
    /// 1-based line number in the document's text.
    pub number: u32,
    /// 1-based paragraph number (a .docx's `w:p`, counted through the whole body).
    pub paragraph: Option<u32>,
    /// In a table: a .docx table cell, or a .txt line indented by a tab (how a word processor
    /// flattens a table to text).
    pub in_table: bool,
    /// A .docx paragraph whose style is a heading.
    pub heading_style: bool,
}

/// A clause heading: "5.1.6.8.1 LTKM Response Response Extension".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    /// Index into `Document::lines` of the heading's first line.
    pub index: usize,
    pub number: String,
    pub title: String,
}

impl Heading {
    pub fn label(&self) -> String {
        match (self.number.is_empty(), self.title.is_empty()) {
            (false, false) => format!("clause {} {}", self.number, self.title),
            (false, true) => format!("clause {}", self.number),
            _ => format!("clause \"{}\"", self.title),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Document {
    pub name: String,
    pub format: SourceFormat,
    pub lines: Vec<Line>,
    pub headings: Vec<Heading>,
}

impl Document {
    pub fn new(name: &str, format: SourceFormat, lines: Vec<Line>) -> Document {
        let headings = super::headings::find(&lines, format);
        Document {
            name: name.to_string(),
            format,
            lines,
            headings,
        }
    }

    /// The heading of the clause line `index` is in, if any precedes it.
    pub fn clause_of(&self, index: usize) -> Option<&Heading> {
        // Headings are in document order: the last one at or before `index`.
        let after = self.headings.partition_point(|h| h.index <= index);
        after.checked_sub(1).map(|k| &self.headings[k])
    }

    /// Whether line `index` is a clause heading.
    pub fn is_heading(&self, index: usize) -> bool {
        self.clause_of(index).is_some_and(|h| h.index == index)
    }

    /// The place of character `column` (1-based) of line `index`, with its clause.
    pub fn location(&self, index: usize, column: u32) -> Location {
        let line = &self.lines[index.min(self.lines.len().saturating_sub(1))];
        Location {
            line: line.number,
            column,
            span: None,
            byte_offset: None,
            context: self.clause_of(index).map(Heading::label),
            paragraph: line.paragraph,
        }
    }

    /// The place of byte offset `byte` of line `index`'s text.
    pub fn location_at_byte(&self, index: usize, byte: usize) -> Location {
        let text = &self.lines[index].text;
        let column = text
            .get(..byte.min(text.len()))
            .map_or(1, |s| s.chars().count() + 1);
        self.location(index, column as u32)
    }

    /// Where line `index` is, for messages: "line 95" (and "paragraph 95" for a .docx).
    pub fn place(&self, index: usize) -> String {
        let line = &self.lines[index];
        match line.paragraph {
            Some(p) => format!("line {} (paragraph {p})", line.number),
            None => format!("line {}", line.number),
        }
    }
}

//! A change request as lines with their places: the one model every reader produces (a
//! .txt's lines, a .docx's paragraphs) and every spec check reads; and its clause headings:
//! a line like "5.1.6.7 Registration Procedure", a number alone whose title is the next line
//! ("5.1.6.8.1" / "LTKM Response Response Extension"), a Markdown heading, or a .docx
//! paragraph in a heading style.

use crate::finding::Location;

// The limits every reader keeps to, and why a document could not be read: here, not in
// read.rs, so that docx.rs and read.rs both import them and not each other.

/// The largest document file read (a CR is some hundred KiB).
pub const MAX_BYTES: usize = 32 * 1024 * 1024;
/// The most lines (or paragraphs) a document may have (a whole specification has some tens
/// of thousands).
pub const MAX_LINES: usize = 200_000;
/// The longest line kept whole: longer lines are an error (a CR's lines are some hundred
/// characters; a megabyte line is not a document a person wrote).
pub const MAX_LINE_BYTES: usize = 1024 * 1024;

/// Why a document could not be read, with the place where that is known.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ReadError {
    #[error("{0}")]
    Unsupported(String),
    #[error("{bytes} bytes, over the limit of {limit} for a document")]
    TooLarge { bytes: usize, limit: usize },
    #[error("line {line}: {reason}")]
    BadText { line: usize, reason: String },
    #[error("not a readable .docx: {0}")]
    Docx(String),
}

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
        let headings = find_headings(&lines, format);
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
            lines_in_embedded: false,
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

/// The clause headings of `lines`, in order.
pub fn find_headings(lines: &[Line], format: SourceFormat) -> Vec<Heading> {
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        if line.in_table {
            continue;
        }
        let text = line.text.trim();
        if format == SourceFormat::Markdown && text.starts_with('#') {
            let rest = text.trim_start_matches('#').trim();
            let (number, title) = split_number(rest).unwrap_or((String::new(), rest.to_string()));
            out.push(Heading {
                index: i,
                number,
                title,
            });
            continue;
        }
        if let Some((number, title)) = split_number(text) {
            let title = if title.is_empty() {
                match next_title(lines, i) {
                    Some(t) => t,
                    None => continue,
                }
            } else {
                title
            };
            out.push(Heading {
                index: i,
                number,
                title,
            });
        } else if line.heading_style && !text.is_empty() {
            out.push(Heading {
                index: i,
                number: String::new(),
                title: text.to_string(),
            });
        }
    }
    out
}

/// "5.1.6.7 Title" → ("5.1.6.7", "Title"); "7.y." → ("7.y", ""); a number alone with a dot
/// and a title ("1. Design ...") is a list item, and "0 – UDP" is not a heading.
fn split_number(text: &str) -> Option<(String, String)> {
    let end = text.find(|c: char| c.is_whitespace()).unwrap_or(text.len());
    let (head, rest) = text.split_at(end);
    let rest = rest.trim();
    let trailing_dot = head.ends_with('.');
    let number = head.trim_end_matches('.');
    let parts: Vec<&str> = number.split('.').collect();
    let first_numeric = parts[0].chars().all(|c| c.is_ascii_digit()) && !parts[0].is_empty();
    let others_ok = parts[1..].iter().all(|p| {
        !p.is_empty()
            && (p.chars().all(|c| c.is_ascii_digit())
                || (p.len() == 1 && p.chars().all(|c| c.is_ascii_lowercase())))
    });
    if !first_numeric || !others_ok || parts[0].len() > 3 {
        return None;
    }
    if parts.len() == 1 && trailing_dot {
        return None;
    }
    if !rest.is_empty() && !rest.starts_with(|c: char| c.is_uppercase()) {
        return None;
    }
    if rest.chars().count() > 100 {
        return None;
    }
    Some((number.to_string(), rest.to_string()))
}

/// The title line after a bare clause number: the next non-blank line, if it reads as one.
fn next_title(lines: &[Line], i: usize) -> Option<String> {
    let next = lines[i + 1..]
        .iter()
        .take(3)
        .find(|l| !l.text.trim().is_empty())?;
    let t = next.text.trim();
    let ok = t.starts_with(|c: char| c.is_uppercase()) && t.chars().count() <= 100;
    ok.then(|| t.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_titles_and_non_headings() {
        let s = |t: &str| split_number(t);
        assert_eq!(s("5.1.6.7"), Some(("5.1.6.7".into(), String::new())));
        assert_eq!(
            s("6.3.3.2.1 MTK delivery in download"),
            Some(("6.3.3.2.1".into(), "MTK delivery in download".into()))
        );
        assert_eq!(s("7.y."), Some(("7.y".into(), String::new())));
        assert_eq!(s("2 Impact on Backward Compatibility").unwrap().0, "2");
        assert_eq!(s("1. Design in a BCAST namespace"), None);
        assert_eq!(s("0 – UDP"), None);
        assert_eq!(s("128-255 reserved"), None);
        assert_eq!(s("0x00 identifies BCAST 1.0"), None);
        assert_eq!(s("1)"), None);
    }
}

//! Reading a document: the format by its name (.txt, .md, .docx; a file of another name is
//! read as a .docx only if it is a zip archive), then the text as lines. Every limit is a
//! clear error, never a panic: a document over `MAX_BYTES`, more than `MAX_LINES` lines.

use super::document::{Document, Line, SourceFormat};
pub use super::document::{ReadError, MAX_BYTES, MAX_LINES, MAX_LINE_BYTES};
use super::docx;

/// The format a document's name (or, failing that, its first bytes) gives it.
pub fn format_of(name: &str, bytes: &[u8]) -> Result<SourceFormat, ReadError> {
    let lower = name.to_ascii_lowercase();
    if lower.ends_with(".txt") {
        Ok(SourceFormat::Text)
    } else if lower.ends_with(".md") || lower.ends_with(".markdown") {
        Ok(SourceFormat::Markdown)
    } else if lower.ends_with(".docx") || bytes.starts_with(b"PK\x03\x04") {
        Ok(SourceFormat::Docx)
    } else {
        Err(ReadError::Unsupported(
            "not a change request this command reads: name it .txt, .md or .docx".into(),
        ))
    }
}

/// Reads a document of any supported format.
pub fn read(name: &str, bytes: &[u8]) -> Result<Document, ReadError> {
    if bytes.len() > MAX_BYTES {
        return Err(ReadError::TooLarge {
            bytes: bytes.len(),
            limit: MAX_BYTES,
        });
    }
    let format = format_of(name, bytes)?;
    let lines = match format {
        SourceFormat::Docx => docx::read(bytes)?,
        _ => text_lines(&decode(bytes)?)?,
    };
    Ok(Document::new(name, format, lines))
}

/// A text document's characters: UTF-8 (a BOM is dropped) or UTF-16 with its BOM.
fn decode(bytes: &[u8]) -> Result<String, ReadError> {
    let utf16 = |le: bool| {
        use crate::xml::{decode_utf16, Utf16Error};
        decode_utf16(&bytes[2..], le).map_err(|why| ReadError::BadText {
            line: 1,
            reason: match why {
                Utf16Error::OddLength => "UTF-16 text of an odd number of bytes".into(),
                Utf16Error::Invalid(e) => format!("invalid UTF-16: {e}"),
            },
        })
    };
    match bytes {
        [0xFF, 0xFE, ..] => utf16(true),
        [0xFE, 0xFF, ..] => utf16(false),
        _ => {
            let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
            // UTF-16 without its mark is valid UTF-8 in the ASCII range, a NUL beside each
            // character, and read so it is one text little-endian and another big-endian:
            // refused, in either byte order, at its first NUL (no change request has one).
            if let Some(at) = memchr::memchr(0, body) {
                let line = body[..at].iter().filter(|&&b| b == b'\n').count() + 1;
                return Err(ReadError::BadText {
                    line,
                    reason: format!("a NUL octet at offset {at}: not text, or UTF-16 without its byte order mark (read only with the mark, FF FE or FE FF)"),
                });
            }
            std::str::from_utf8(body).map(str::to_string).map_err(|e| {
                let at = e.valid_up_to();
                let line = body[..at].iter().filter(|&&b| b == b'\n').count() + 1;
                ReadError::BadText {
                    line,
                    reason: format!("not UTF-8 text (invalid byte at offset {at})"),
                }
            })
        }
    }
}

/// The lines of a text: `\n`, `\r\n` or `\r` end a line; a tab-indented line is a table
/// line (how a word processor flattens a table to text).
fn text_lines(text: &str) -> Result<Vec<Line>, ReadError> {
    let mut lines = Vec::new();
    for (i, raw) in text.split('\n').enumerate() {
        if i >= MAX_LINES {
            return Err(ReadError::BadText {
                line: i + 1,
                reason: format!("more than {MAX_LINES} lines"),
            });
        }
        if raw.len() > MAX_LINE_BYTES {
            return Err(ReadError::BadText {
                line: i + 1,
                reason: format!("a line of more than {MAX_LINE_BYTES} bytes"),
            });
        }
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        let clean: String = raw
            .chars()
            .map(|c| if c == '\r' || c == '\u{0}' { ' ' } else { c })
            .collect();
        lines.push(Line {
            in_table: clean.starts_with('\t'),
            text: clean,
            number: (i + 1) as u32,
            paragraph: None,
            heading_style: false,
        });
    }
    // The newline that ends the last line starts no line of its own.
    if lines.len() > 1 && lines.last().is_some_and(|l| l.text.is_empty()) {
        lines.pop();
    }
    Ok(lines)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_limits_and_bad_bytes() {
        assert_eq!(format_of("a.TXT", b"x"), Ok(SourceFormat::Text));
        assert_eq!(format_of("a.md", b"x"), Ok(SourceFormat::Markdown));
        assert_eq!(format_of("a.bin", b"PK\x03\x04"), Ok(SourceFormat::Docx));
        assert!(format_of("a.pdf", b"%PDF").is_err());
        let e = read("a.txt", b"one\ntwo \xff\n").unwrap_err();
        assert_eq!(
            e,
            ReadError::BadText {
                line: 2,
                reason: "not UTF-8 text (invalid byte at offset 8)".into()
            }
        );
        let d = read("a.txt", b"\xEF\xBB\xBFone\r\n\ttwo\n").unwrap();
        assert_eq!(d.lines.len(), 2);
        assert!(d.lines[1].in_table);
        assert_eq!(d.lines[0].text, "one");
    }
}

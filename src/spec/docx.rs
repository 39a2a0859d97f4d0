//! A .docx (Office Open XML) read as its text: the `zip` crate opens the archive,
//! quick-xml reads `word/document.xml`. Each `w:p` is a paragraph, its `w:t` runs its text,
//! `w:tab` a tab and `w:br`/`w:cr` a line break; paragraphs in a `w:tbl` are table lines, and
//! a paragraph styled `Heading…` is a heading. Deleted text (`w:delText`) and field codes
//! (`w:instrText`) are not text. Bounded: the part is read only up to `MAX_PART_BYTES`
//! uncompressed, whatever the archive claims, so a zip bomb is an error, not an exhaustion.

use super::document::{Line, ReadError, MAX_LINES};
use quick_xml::events::Event;
use std::io::Read;

/// The most bytes `word/document.xml` may inflate to.
pub const MAX_PART_BYTES: u64 = 64 * 1024 * 1024;
/// The deepest element nesting read.
const MAX_DEPTH: usize = 256;

/// The document's lines, each with its paragraph number.
pub fn read(bytes: &[u8]) -> Result<Vec<Line>, ReadError> {
    let xml = document_part(bytes)?;
    let paragraphs = paragraphs(&xml)?;
    let mut lines = Vec::new();
    for (i, p) in paragraphs.into_iter().enumerate() {
        for text in p.text.split('\n') {
            if lines.len() >= MAX_LINES {
                return Err(ReadError::Docx(format!("more than {MAX_LINES} lines")));
            }
            lines.push(Line {
                in_table: p.in_table || text.starts_with('\t'),
                text: text.to_string(),
                number: lines.len() as u32 + 1,
                paragraph: Some(i as u32 + 1),
                heading_style: p.heading,
            });
        }
    }
    Ok(lines)
}

/// `word/document.xml`, inflated within the limit.
fn document_part(bytes: &[u8]) -> Result<String, ReadError> {
    let bad = |e: &dyn std::fmt::Display| ReadError::Docx(e.to_string());
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|e| bad(&e))?;
    let part = archive
        .by_name("word/document.xml")
        .map_err(|e| ReadError::Docx(format!("no word/document.xml in the archive ({e})")))?;
    if part.size() > MAX_PART_BYTES {
        return Err(ReadError::Docx(format!(
            "word/document.xml inflates to {} bytes, over the limit of {MAX_PART_BYTES}",
            part.size()
        )));
    }
    let mut out = Vec::new();
    part.take(MAX_PART_BYTES + 1)
        .read_to_end(&mut out)
        .map_err(|e| bad(&e))?;
    if out.len() as u64 > MAX_PART_BYTES {
        return Err(ReadError::Docx(format!(
            "word/document.xml inflates to more than {MAX_PART_BYTES} bytes"
        )));
    }
    String::from_utf8(out).map_err(|e| ReadError::Docx(format!("word/document.xml: {e}")))
}

#[derive(Default)]
struct Paragraph {
    text: String,
    in_table: bool,
    heading: bool,
}

/// The paragraphs of the document part, in document order.
fn paragraphs(xml: &str) -> Result<Vec<Paragraph>, ReadError> {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut done: Vec<Paragraph> = Vec::new();
    // Open paragraphs (a text box's paragraphs nest in another's run), as indices into done.
    let mut open: Vec<usize> = Vec::new();
    let (mut tables, mut depth, mut in_text) = (0usize, 0usize, false);
    loop {
        let at = reader.buffer_position();
        let event = reader
            .read_event()
            .map_err(|e| ReadError::Docx(format!("word/document.xml at byte {at}: {e}")))?;
        match event {
            Event::Start(e) => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Err(ReadError::Docx(format!(
                        "word/document.xml nests deeper than {MAX_DEPTH} elements"
                    )));
                }
                match e.name().as_ref() {
                    b"w:p" => {
                        open.push(done.len());
                        done.push(Paragraph {
                            in_table: tables > 0,
                            ..Paragraph::default()
                        });
                    }
                    b"w:tbl" => tables += 1,
                    b"w:t" => in_text = true,
                    _ => {}
                }
            }
            Event::Empty(e) => {
                let top = open.last().copied();
                match (e.name().as_ref(), top) {
                    (b"w:p", _) => done.push(Paragraph {
                        in_table: tables > 0,
                        ..Paragraph::default()
                    }),
                    (b"w:tab", Some(p)) => done[p].text.push('\t'),
                    (b"w:br" | b"w:cr", Some(p)) => done[p].text.push('\n'),
                    (b"w:pStyle", Some(p)) => {
                        // quick-xml's duplicate check is quadratic (RUSTSEC-2026-0194).
                        let mut attributes = e.attributes();
                        attributes.with_checks(false);
                        let heading = attributes.flatten().any(|a| {
                            a.key.as_ref() == b"w:val"
                                && a.value.to_ascii_lowercase().starts_with(b"heading")
                        });
                        done[p].heading |= heading;
                    }
                    _ => {}
                }
            }
            Event::End(e) => {
                depth = depth.saturating_sub(1);
                match e.name().as_ref() {
                    b"w:p" => {
                        open.pop();
                    }
                    b"w:tbl" => tables = tables.saturating_sub(1),
                    b"w:t" => in_text = false,
                    _ => {}
                }
            }
            Event::Text(t) if in_text => {
                if let Some(&p) = open.last() {
                    let s = t.decode().map_err(|e| ReadError::Docx(e.to_string()))?;
                    done[p].text.push_str(&s);
                }
            }
            Event::GeneralRef(r) if in_text => {
                if let Some(&p) = open.last() {
                    let c = match r.resolve_char_ref() {
                        Ok(Some(c)) => Some(c),
                        _ => match &*r {
                            b"lt" => Some('<'),
                            b"gt" => Some('>'),
                            b"amp" => Some('&'),
                            b"quot" => Some('"'),
                            b"apos" => Some('\''),
                            _ => None,
                        },
                    };
                    if let Some(c) = c {
                        done[p].text.push(c);
                    }
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(done)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_tables_breaks_and_headings() {
        let xml = r#"<w:document xmlns:w="x"><w:body>
<w:p><w:pPr><w:pStyle w:val="Heading2"/></w:pPr><w:r><w:t>5.1 Title</w:t></w:r></w:p>
<w:p><w:r><w:t>&lt;a&gt;</w:t><w:br/><w:t xml:space="preserve">  &lt;/a&gt;</w:t></w:r></w:p>
<w:tbl><w:tr><w:tc><w:p><w:r><w:tab/><w:t>cell</w:t></w:r></w:p></w:tc></w:tr></w:tbl>
<w:p/><w:p><w:r><w:delText>gone</w:delText><w:instrText>PAGE</w:instrText></w:r></w:p>
</w:body></w:document>"#;
        let ps = paragraphs(xml).unwrap();
        let texts: Vec<&str> = ps.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(texts, ["5.1 Title", "<a>\n  </a>", "\tcell", "", ""]);
        assert!(ps[0].heading && !ps[1].heading);
        assert!(ps[2].in_table && !ps[3].in_table);
    }

    #[test]
    fn not_a_zip_and_no_document_part_are_errors() {
        assert!(matches!(read(b"PK\x03\x04junk"), Err(ReadError::Docx(_))));
    }
}

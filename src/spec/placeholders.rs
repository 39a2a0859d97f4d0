//! SPEC-XML-02: elements of an example whose content is a placeholder (`...`, `…`,
//! `[...]`): an informative example elides what it cannot show, so the payload rules must
//! not judge that content (an LTKM of `...` is not "bad base64"). One finding per example,
//! listing every placeholder.

use roxmltree::Document as XmlDoc;

/// The texts read as "content elided".
const PLACEHOLDERS: &[&str] = &["...", "…", "[...]", "[…]", "..", "etc."];

/// A placeholder element: its name and its extent as (line, column) pairs of the example.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placeholder {
    pub element: String,
    pub start: (u32, u32),
    pub end: (u32, u32),
}

impl Placeholder {
    /// Whether a finding at (line, column) of the example lies in this element.
    pub fn covers(&self, at: (u32, u32)) -> bool {
        self.start <= at && at <= self.end
    }
}

/// The example's placeholder elements, in document order.
pub fn find(xml: &XmlDoc) -> Vec<Placeholder> {
    xml.descendants()
        .filter(|n| n.is_element())
        .filter(|n| {
            let text: String = n
                .children()
                .filter(|c| c.is_text())
                .filter_map(|c| c.text())
                .collect();
            n.children().all(|c| !c.is_element()) && PLACEHOLDERS.contains(&text.trim())
        })
        .map(|n| {
            let (s, e) = (
                xml.text_pos_at(n.range().start),
                xml.text_pos_at(n.range().end),
            );
            Placeholder {
                element: n.tag_name().name().to_string(),
                start: (s.row, s.col),
                end: (e.row, e.col),
            }
        })
        .collect()
}

//! An example payload judged by the payload rules, as `check` would judge the file: the
//! Engine reads the example's text (lines as in the document, so each finding maps back line
//! for line), then each finding is moved to its place in the document. Findings about the
//! content of a placeholder element are dropped, and a rule left with no finding but for
//! those is not applicable, not passed: the content it would judge is not there.

use super::document::Document;
use super::extract::Block;
use super::placeholders::{self, Placeholder};
use super::rules;
use crate::engine::Engine;
use crate::finding::{Finding, Outcome, RuleOutcome, Verdict};

/// What the payload rules made of one example.
pub struct Judged {
    /// The kind the example was read as (`msk-response`), if the Engine recognised it.
    pub kind: Option<String>,
    pub findings: Vec<Finding>,
    pub outcomes: Vec<RuleOutcome>,
    pub notes: Vec<String>,
}

/// Judges a well-formed instance example whose text is `text` (line 1 = document line
/// `block.first`).
pub fn judge(engine: &Engine, doc: &Document, block: &Block, text: &str) -> Judged {
    let placeholders = crate::xml::parse_bounded(text)
        .map(|x| placeholders::find(&x))
        .unwrap_or_default();
    let label = format!("{} (example at {})", doc.name, doc.place(block.first));
    let result = engine.check_xml(&label, text.as_bytes(), None);
    let mut judged = Judged {
        kind: None,
        findings: Vec::new(),
        outcomes: Vec::new(),
        notes: result.notes.clone(),
    };
    if result.verdict == Verdict::Error {
        judged.notes.push(format!(
            "the payload rules were not applied: {}",
            result
                .error
                .as_deref()
                .unwrap_or("the example was not recognised")
        ));
        return judged;
    }
    judged.kind = Some(result.kind.clone());
    let mut dropped: Vec<String> = Vec::new();
    for f in result.findings {
        let at = (f.location.line, f.location.column);
        if placeholders.iter().any(|p| p.covers(at)) {
            dropped.push(f.rule.clone());
            continue;
        }
        judged.findings.push(moved(doc, block, f));
    }
    for mut o in std::sync::Arc::unwrap_or_clone(result.rules) {
        let kept = judged.findings.iter().any(|f| f.rule == o.rule);
        if o.applied() && o.outcome != Outcome::Pass && !kept && dropped.contains(&o.rule) {
            o.outcome =
                Outcome::NotApplicable("the only content it judged is a placeholder".into());
        }
        judged.outcomes.push(o);
    }
    if let Some(f) = placeholder_finding(doc, block, &placeholders, engine.strict) {
        judged.findings.push(f);
    }
    judged
}

/// A payload finding at its document place (line k of the example is line `first + k - 1`).
fn moved(doc: &Document, block: &Block, mut f: Finding) -> Finding {
    let index = (block.first + f.location.line.max(1) as usize - 1).min(block.last);
    let within = f.location.context.take();
    let mut at = doc.location(index, f.location.column);
    if let Some(w) = within {
        at.context = Some(match at.context {
            Some(c) => format!("{c}; {w}"),
            None => w,
        });
    }
    at.byte_offset = f.location.byte_offset;
    f.location = at;
    f
}

/// SPEC-XML-02 for the example's placeholders, at the first one.
fn placeholder_finding(
    doc: &Document,
    block: &Block,
    found: &[Placeholder],
    strict: bool,
) -> Option<Finding> {
    let first = found.first()?;
    let places: Vec<String> = found
        .iter()
        .map(|p| {
            let i = block.first + p.start.0 as usize - 1;
            format!("<{}> at {}", p.element, doc.place(i))
        })
        .collect();
    let detail = format!(
        "{} of this example {} a placeholder instead of content ({}); the payload rules did not judge that content",
        crate::plural::counted(found.len(), "element", "elements"),
        if found.len() == 1 { "holds" } else { "hold" },
        places.join(", ")
    );
    let index = block.first + first.start.0 as usize - 1;
    Some(rules::finding(
        "SPEC-XML-02",
        &detail,
        doc.location(index, first.start.1),
        strict,
    ))
}

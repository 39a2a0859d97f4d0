//! `mikeyconf spec FILE...`: a spec editor's linter for change requests (.txt, .md, .docx).
//! A document is read into lines with their places and clause headings ([`read`], [`docx`],
//! [`document`]); its XML examples and schema fragments are found ([`extract`]) and each is
//! checked for well-formedness ([`wellformed`]), an example by the payload rules
//! ([`examples`], [`placeholders`]) and a fragment by the schema lint ([`schema_lint`]);
//! the prose is checked for URNs ([`urns`]), quoted protocol strings ([`quoted`]), list
//! order ([`lists`]) and table placement ([`tables`]). Every finding is placed in the
//! document. The rules are the table rules/spec/spec-editor.yaml ([`rules`]).

pub mod document;
pub mod docx;
pub mod examples;
pub mod extract;
pub mod lists;
pub mod placeholders;
pub mod quoted;
pub mod read;
pub mod rules;
pub mod schema_lint;
pub mod tables;
pub mod urns;
pub mod wellformed;

use crate::engine::Engine;
use crate::finding::{CheckResult, Finding, FindingVerdict, Outcome, RuleOutcome, Verdict};
use document::Document;
use extract::{Block, BlockKind};

/// The kinds of the results `spec` gives, one per example, fragment, and document prose.
pub const KIND_EXAMPLE: &str = "spec-example";
pub const KIND_FRAGMENT: &str = "spec-schema-fragment";
pub const KIND_PROSE: &str = "spec-prose";

/// Rules judged on every example and fragment, and on the prose.
const BLOCK_RULES: &[&str] = &["SPEC-XML-01", "SPEC-URN-01", "SPEC-URN-02"];
const EXAMPLE_RULES: &[&str] = &["SPEC-XML-02"];
const FRAGMENT_RULES: &[&str] = &["SPEC-XSD-01", "SPEC-XSD-02"];
const PROSE_RULES: &[&str] = &[
    "SPEC-URN-01",
    "SPEC-URN-02",
    "SPEC-URN-03",
    "SPEC-TXT-01",
    "SPEC-TXT-02",
    "SPEC-TBL-01",
];

/// An example's root element and its namespace, for comparing with what the text says.
#[derive(Debug, Clone)]
pub struct ExampleRoot {
    pub name: String,
    pub namespace: String,
    pub block: Block,
}

/// Checks one document given as bytes: one result per example or fragment, then one for the
/// prose; a single error result when the document cannot be read.
pub fn check_document(engine: &Engine, name: &str, bytes: &[u8]) -> Vec<CheckResult> {
    match read::read(name, bytes) {
        Ok(doc) => check(engine, &doc),
        Err(e) => vec![CheckResult::error(name, "spec-document", e.to_string())],
    }
}

/// The most examples and fragments one document may hold (a CR has a handful).
pub const MAX_BLOCKS: usize = 500;

/// Checks a document already read.
pub fn check(engine: &Engine, doc: &Document) -> Vec<CheckResult> {
    let strict = engine.strict;
    let blocks = extract::blocks(doc);
    if blocks.len() > MAX_BLOCKS {
        let why = format!(
            "{} XML examples and fragments, over the limit of {MAX_BLOCKS} for a document",
            blocks.len()
        );
        return vec![CheckResult::error(&doc.name, "spec-document", why)];
    }
    let mut results = Vec::new();
    let mut roots = Vec::new();
    for block in &blocks {
        let prepared = wellformed::Prepared::of(doc, block);
        if let Some(refused) = beyond_attribute_bounds(doc, block, &prepared.text) {
            results.push(refused);
            continue;
        }
        let mut findings = Vec::new();
        let mut outcomes = Vec::new();
        let mut notes = vec![format!(
            "{} at lines {}-{}{}",
            match block.kind {
                BlockKind::Instance => "example",
                BlockKind::Schema => "schema fragment",
            },
            doc.lines[block.first].number,
            doc.lines[block.last].number,
            doc.clause_of(block.first)
                .map(|h| format!(" ({})", h.label()))
                .unwrap_or_default()
        )];
        let not_wf = wellformed::check(doc, block, &prepared);
        if let Some(e) = &not_wf {
            let at = doc.location(e.index, e.column);
            findings.push(rules::finding("SPEC-XML-01", &e.message, at, strict));
        }
        let lines: Vec<usize> = (block.first..=block.last).collect();
        findings.extend(urns::syntax_and_registry(doc, &lines, strict));
        let mut rule_ids: Vec<&str> = BLOCK_RULES.to_vec();
        let kind = match block.kind {
            BlockKind::Instance => {
                rule_ids.extend(EXAMPLE_RULES);
                if not_wf.is_none() {
                    if let Some(root) = example_root(block, &prepared.text) {
                        roots.push(root);
                    }
                    let judged = examples::judge(engine, doc, block, &prepared.text);
                    findings.extend(judged.findings);
                    outcomes.extend(judged.outcomes);
                    notes.extend(judged.notes);
                    match judged.kind {
                        Some(k) => format!("{KIND_EXAMPLE}/{k}"),
                        None => KIND_EXAMPLE.to_string(),
                    }
                } else {
                    notes.push("not well-formed: the payload rules were not applied".into());
                    KIND_EXAMPLE.to_string()
                }
            }
            BlockKind::Schema => {
                rule_ids.extend(FRAGMENT_RULES);
                if not_wf.is_none() {
                    findings.extend(schema_lint::lint(doc, block, &prepared, strict));
                }
                KIND_FRAGMENT.to_string()
            }
        };
        let skipped = if not_wf.is_some() {
            &["SPEC-XML-02", "SPEC-XSD-01", "SPEC-XSD-02"][..]
        } else {
            &[][..]
        };
        let mut own = rule_outcomes(&rule_ids, skipped, &findings);
        own.extend(outcomes);
        results.push(result(engine, doc, kind, notes, findings, own));
    }
    let prose: Vec<usize> = (0..doc.lines.len())
        .filter(|i| !blocks.iter().any(|b| (b.first..=b.last).contains(i)))
        .collect();
    let mut findings = urns::syntax_and_registry(doc, &prose, strict);
    findings.extend(urns::against_examples(doc, &prose, &roots, strict));
    findings.extend(quoted::check(doc, &prose, strict));
    findings.extend(lists::check(doc, &prose, strict));
    findings.extend(tables::check(doc, &prose, strict));
    let outcomes = rule_outcomes(PROSE_RULES, &[], &findings);
    let notes = vec![format!(
        "the prose: {} lines outside the {} example(s) and fragment(s)",
        prose.len(),
        blocks.len()
    )];
    results.push(result(
        engine,
        doc,
        KIND_PROSE.into(),
        notes,
        findings,
        outcomes,
    ));
    list_at_most(&mut results, engine.settings.limits.max_findings);
    results
}

/// At most `max` findings listed for the whole document (`limits.max_findings` is per
/// input), in result order; each result past the budget counts its unlisted ones in a note.
fn list_at_most(results: &mut [CheckResult], max: usize) {
    let mut left = max;
    for r in results {
        let listed = r.findings.len().min(left);
        left -= listed;
        if listed == r.findings.len() {
            continue;
        }
        let mut unlisted: std::collections::BTreeMap<&str, usize> = Default::default();
        for f in &r.findings[listed..] {
            *unlisted.entry(f.rule.as_str()).or_default() += 1;
        }
        let note = crate::finding::unlisted_note(max, unlisted.into_iter());
        r.findings.truncate(listed);
        r.findings.shrink_to_fit();
        r.notes.push(format!("{note} (for the whole document)"));
    }
}

/// "Could not check" for a block with an element past the tree parser's attribute or
/// namespace bounds (`xml::MAX_ATTRIBUTES`, `xml::MAX_NAMESPACES`), where its time grows
/// with their square: the block is neither judged well-formed nor not.
fn beyond_attribute_bounds(doc: &Document, block: &Block, text: &str) -> Option<CheckResult> {
    let Err(crate::xml::XmlError::Refused { location, reason }) =
        crate::xml::within_attribute_bounds(text)
    else {
        return None;
    };
    let (what, kind) = match block.kind {
        BlockKind::Instance => ("example", KIND_EXAMPLE),
        BlockKind::Schema => ("schema fragment", KIND_FRAGMENT),
    };
    let line = block.first + (location.line as usize).saturating_sub(1);
    let why = format!(
        "{what} at lines {}-{}: line {}: {reason}",
        doc.lines[block.first].number,
        doc.lines[block.last].number,
        doc.lines.get(line).map_or(0, |l| l.number),
    );
    Some(CheckResult::error(&doc.name, kind, why))
}

/// The root of a well-formed example with the namespace it is in.
fn example_root(block: &Block, text: &str) -> Option<ExampleRoot> {
    let xml = crate::xml::parse_bounded(text)?;
    let root = xml.root_element();
    Some(ExampleRoot {
        name: root.tag_name().name().to_string(),
        namespace: root.tag_name().namespace().unwrap_or("").to_string(),
        block: block.clone(),
    })
}

/// Each rule's outcome: its worst finding's verdict, `pass` with none, `not-applicable` for
/// those in `skipped` (a not well-formed block has nothing more to judge).
fn rule_outcomes(ids: &[&str], skipped: &[&str], findings: &[Finding]) -> Vec<RuleOutcome> {
    ids.iter()
        .map(|id| {
            if skipped.contains(id) {
                return RuleOutcome::not_applicable(*id, "the block is not well-formed XML".into());
            }
            RuleOutcome::new(*id, Outcome::of_findings(id, findings))
        })
        .collect()
}

/// One example's, fragment's or the prose's result. The rules the run leaves out
/// (`--select`, `--ignore`, profile, config file: `Engine::excluded`) are not applicable with
/// the reason and their findings dropped, as `check` reports them; a result on which no rule
/// was applied is one that could not be checked, as in `check`.
fn result(
    engine: &Engine,
    doc: &Document,
    kind: String,
    notes: Vec<String>,
    mut findings: Vec<Finding>,
    mut rules: Vec<RuleOutcome>,
) -> CheckResult {
    findings.retain(|f| engine.excluded(&f.rule).is_none());
    for o in &mut rules {
        if let Some(why) = engine.excluded(&o.rule) {
            *o = RuleOutcome::not_applicable(o.rule.clone(), why.into());
        }
    }
    findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    let source = snippet_source(doc, &findings);
    findings.dedup();
    let failed = findings.iter().any(|f| f.verdict == FindingVerdict::Fail);
    let result = CheckResult {
        input: doc.name.clone(),
        kind,
        verdict: if failed {
            Verdict::NonConformant
        } else {
            Verdict::Conformant
        },
        notes,
        error: None,
        findings,
        rules: rules.into(),
        source,
    };
    engine.unchecked_if_nothing_applied(result)
}

/// The text the renderers cut snippets from: the lines findings point at, in place, the
/// others left empty, up to the last such line. A result without findings needs none (a
/// document of many examples must not hold a copy of itself per example).
fn snippet_source(doc: &Document, findings: &[Finding]) -> Option<String> {
    // The text renderer finds each snippet's line from the start of the source: past this
    // many findings it would take quadratic time, so a flood of findings has no snippets.
    const MAX_SNIPPETS: usize = 1000;
    if findings.len() > MAX_SNIPPETS {
        return None;
    }
    let last = findings.iter().map(|f| f.location.line).max()?;
    let wanted: std::collections::BTreeSet<u32> =
        findings.iter().map(|f| f.location.line).collect();
    let mut s = String::new();
    for l in doc.lines.iter().take_while(|l| l.number <= last) {
        if wanted.contains(&l.number) {
            s.push_str(&l.text);
        }
        s.push('\n');
    }
    Some(s)
}

/// A document's bytes, or why it cannot be read: refused unread over the size limit.
fn read_file(p: &std::path::Path) -> Result<Vec<u8>, String> {
    crate::bounded::read_path(p, DOCUMENT).map_err(|e| e.to_string())
}

/// The limit of a document `spec` reads.
const DOCUMENT: crate::bounded::Limit = crate::bounded::Limit {
    bytes: read::MAX_BYTES,
    name: "the limit for a document",
};

/// Checks each file named (`-` is standard input, read as text): the results of all, in
/// the order given.
pub fn check_paths(engine: &Engine, paths: &[std::path::PathBuf]) -> Vec<CheckResult> {
    let mut out = Vec::new();
    for p in paths {
        let name = p.display().to_string();
        let bytes = if name == "-" {
            match crate::bounded::read_stdin(DOCUMENT) {
                Ok(buf) => buf,
                Err(e) => {
                    out.push(CheckResult::error(&name, "spec-document", e.to_string()));
                    continue;
                }
            }
        } else {
            match read_file(p) {
                Ok(b) => b,
                Err(why) => {
                    out.push(CheckResult::error(&name, "spec-document", why));
                    continue;
                }
            }
        };
        let name = if name == "-" {
            "-.txt".to_string()
        } else {
            name
        };
        out.extend(check_document(engine, &name, &bytes));
    }
    out
}

//! One renderer per output format, all reading the same [`CheckResult`]s: for `check` and
//! `spec`, a streaming `emitter::Emitter` each, chosen by name in one table
//! (`formats::OUTPUT_FORMATS`: a format is a row); for the suite's reports, whole-run renders
//! (`junit_suite`, `markdown`, `html::render_suite`).
//!
//! [`CheckResult`]: crate::finding::CheckResult

pub mod azure;
pub mod concise;
pub mod emitter;
pub mod formats;
pub mod github;
pub mod gitlab;
pub mod html;
pub mod json;
pub mod jsonl;
pub mod junit;
mod junit_spool;
pub mod junit_suite;
pub mod markdown;
pub mod plans;
pub mod sarif;
pub mod snippet;
pub mod text;

use crate::finding::CheckResult;
use std::borrow::Cow;

/// What a report says of the run beside its results: the profile and the config file used
/// (both absent when none was: the report is then as it always was).
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct RunInfo {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub profile: Option<crate::profile::Profile>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub config: Option<String>,
}

pub use crate::plural::counted;

/// Whether `c` must not reach a human-readable report raw: C0 controls, DEL, C1 controls
/// (a terminal acts on ESC and BEL sequences, a newline forges a report line) and the Unicode
/// bidirectional overrides and isolates, which make a name display as another.
fn is_hostile(c: char) -> bool {
    c.is_control()
        || ('\u{202a}'..='\u{202e}').contains(&c)
        || ('\u{2066}'..='\u{2069}').contains(&c)
}

/// `text` with every control character (C0, DEL, C1) and bidi override in a visible form
/// (`\n`, `\r`, `\t`, `\x1b`, `\u{202e}`), but those `keep` says a report may show as they
/// are. Borrowed when nothing needed escaping, so ordinary text costs nothing.
pub fn escape_controls_but(text: &str, keep: impl Fn(char) -> bool) -> Cow<'_, str> {
    if !text.chars().any(|c| is_hostile(c) && !keep(c)) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            c if !is_hostile(c) || keep(c) => out.push(c),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x80 => out.push_str(&format!("\\x{:02x}", c as u32)),
            c => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
        }
    }
    Cow::Owned(out)
}

/// `text` with every control character and bidi override escaped: the one escaping of
/// input-derived text (input names, messages, notes, errors) in every human-readable report.
pub fn escape_controls(text: &str) -> Cow<'_, str> {
    escape_controls_but(text, |_| false)
}

/// `r` with its input-derived text (input name, kind, error, notes, findings' messages and
/// places) escaped by [`escape_controls`]; borrowed when none needed it. The source is left
/// alone: a snippet escapes the one line it shows.
pub fn escaped_result(r: &CheckResult) -> Cow<'_, CheckResult> {
    let hostile = |s: &str| matches!(escape_controls(s), Cow::Owned(_));
    let needs = hostile(&r.input)
        || hostile(&r.kind)
        || r.error.as_deref().is_some_and(hostile)
        || r.notes.iter().any(|n| hostile(n))
        || r.findings
            .iter()
            .any(|f| hostile(&f.message) || f.location.context.as_deref().is_some_and(hostile));
    if !needs {
        return Cow::Borrowed(r);
    }
    let esc = |s: &str| escape_controls(s).into_owned();
    let mut out = r.clone();
    out.input = esc(&r.input);
    out.kind = esc(&r.kind);
    out.error = r.error.as_deref().map(esc);
    out.notes = r.notes.iter().map(|n| esc(n)).collect();
    for f in &mut out.findings {
        f.message = esc(&f.message);
        f.location.context = f.location.context.as_deref().map(esc);
    }
    Cow::Owned(out)
}

//! The one diagnostic model every stage produces and every renderer reads.

use serde::Serialize;
use std::fmt;

/// How strongly the clause words the requirement (RFC 2119 keywords as the specs use them).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize,
)]
pub enum Level {
    #[serde(rename = "SHALL")]
    Shall,
    #[serde(rename = "SHALL NOT")]
    ShallNot,
    #[serde(rename = "SHOULD")]
    Should,
    #[serde(rename = "SHOULD NOT")]
    ShouldNot,
    #[serde(rename = "MAY")]
    May,
    /// No keyword in the text: the rule reports a fact the tester should know (a reserved
    /// value, a repeated entry), never an obligation the text does not state.
    #[serde(rename = "advice")]
    Advice,
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Level::Shall => "SHALL",
            Level::ShallNot => "SHALL NOT",
            Level::Should => "SHOULD",
            Level::ShouldNot => "SHOULD NOT",
            Level::May => "MAY",
            Level::Advice => "advice",
        })
    }
}

/// What a violation of the rule means for the product under test.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        })
    }
}

/// Whether a source confirms the fact the rule rests on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Confirmed,
    /// Rests on an unconfirmed fact: reported as a warning, failing only under `--strict`.
    Provisional,
}

/// The verdict of one finding, after severity, status and `--strict` are taken into account.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum FindingVerdict {
    Fail,
    Warn,
    Info,
}

impl FindingVerdict {
    /// The verdict a violation of a rule gets.
    pub fn of(severity: Severity, status: Status, strict: bool) -> Self {
        match (severity, status) {
            (Severity::Error, Status::Confirmed) => FindingVerdict::Fail,
            (Severity::Error | Severity::Warning, Status::Provisional) if strict => {
                FindingVerdict::Fail
            }
            (Severity::Error | Severity::Warning, _) => FindingVerdict::Warn,
            (Severity::Info, _) => FindingVerdict::Info,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            FindingVerdict::Fail => "fail",
            FindingVerdict::Warn => "warn",
            FindingVerdict::Info => "info",
        }
    }
}

/// Where in the input a finding points. Lines and columns are 1-based; columns count
/// characters, as xmllint and editors do.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Location {
    pub line: u32,
    pub column: u32,
    /// Byte range in the input file, for the text renderer's caret.
    #[serde(skip)]
    pub span: Option<(usize, usize)>,
    /// Byte offset inside an embedded binary message (a MIKEY message inside `<LTKM>`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub byte_offset: Option<usize>,
    /// Where in a capture: `$.log.entries[3].response body`, `request`, …
    #[serde(rename = "where", skip_serializing_if = "Option::is_none")]
    pub context: Option<String>,
    /// The paragraph of a .docx document (`mikeyconf spec`), counted through its body.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub paragraph: Option<u32>,
}

/// One violated (or noted) rule at one place.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub rule: String,
    pub requirement: Vec<String>,
    pub clause: String,
    pub level: Level,
    pub severity: Severity,
    pub status: Status,
    pub verdict: FindingVerdict,
    pub message: String,
    #[serde(flatten)]
    pub location: Location,
    /// The party the finding blames: the role(s) whose behaviour the rule binds (its
    /// `requires: {roles}`), e.g. `mcvideo-client`. None for a rule on the form of a message
    /// any party may send: the finding then blames that message's sender.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub party: Option<String>,
}

impl Finding {
    /// Findings are ordered by place, then rule, so output is identical run to run.
    pub fn sort_key(&self) -> (u32, u32, &str, &str) {
        (
            self.location.line,
            self.location.column,
            self.rule.as_str(),
            self.message.as_str(),
        )
    }
}

/// The verdict of one input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    Conformant,
    NonConformant,
    /// No rule failed, but some rule did not run for part of the input (a terminal whose
    /// state went over a limit, a capture cut short): not conformant, and not a failure
    /// either. Exit code 2, as "could not check": the run could not check all of it.
    Incomplete,
    /// The input could not be checked (unreadable, unknown kind, over a limit).
    Error,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Conformant => "conformant",
            Verdict::NonConformant => "non-conformant",
            Verdict::Incomplete => "incomplete",
            Verdict::Error => "error",
        }
    }
}

/// Everything known about one checked input.
#[derive(Debug, Clone, Serialize)]
pub struct CheckResult {
    pub input: String,
    pub kind: String,
    pub verdict: Verdict,
    /// Notes about how the input was read (an ambiguous kind, a setting applied).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// Why the input could not be checked, when `verdict` is `error`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    pub findings: Vec<Finding>,
    /// The rules that applied to this input and their outcome, for per-clause verdicts.
    /// Shared: every input of one kind on which the rules found nothing has the same list
    /// (a corpus of ten thousand clean files keeps one); `Arc::make_mut` to change it.
    pub rules: std::sync::Arc<Vec<RuleOutcome>>,
    /// The input text, kept for the text renderer's source snippets.
    #[serde(skip)]
    pub source: Option<String>,
}

/// The outcome of a rule that was not applied to an input.
pub const NOT_APPLICABLE: &str = "not-applicable";

/// The outcome of a rule that ran on part of an input, found nothing there, and did not run
/// on the rest (the reason says which part and why). Never counted as a pass; it makes the
/// input's verdict `incomplete` unless something failed.
pub const INCOMPLETE: &str = "incomplete";

/// A rule's outcome on one input: `pass`, `fail`, `warn`, `info`, `incomplete` (with the
/// reason) for a rule that ran on part of it only, or `not-applicable` (with the reason) for
/// a rule that did not run on it; neither of the last two is ever counted as a pass.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RuleOutcome {
    pub rule: String,
    pub verdict: &'static str,
    /// Shared: the same reason is given to every input a rule does not apply to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<std::sync::Arc<str>>,
}

impl RuleOutcome {
    /// The order in which merged outcomes win (lower is worse): fail, warn, info,
    /// incomplete, pass, not applicable. An unknown verdict ranks as not applicable.
    pub fn rank(verdict: &str) -> u8 {
        match verdict {
            "fail" => 0,
            "warn" => 1,
            "info" => 2,
            INCOMPLETE => 3,
            "pass" => 4,
            _ => 5,
        }
    }

    /// Whether the rule ran on the input.
    pub fn applied(&self) -> bool {
        self.verdict != NOT_APPLICABLE
    }
}

/// The note on findings not listed past `limits.max_findings`, counted per rule.
pub(crate) fn unlisted_note<'r>(
    max: usize,
    per_rule: impl Iterator<Item = (&'r str, usize)>,
) -> String {
    let counts: Vec<String> = per_rule.map(|(r, n)| format!("{r} {n}")).collect();
    format!(
        "only the first {max} findings are listed (limits.max_findings); not listed: {}",
        counts.join(", ")
    )
}

impl CheckResult {
    /// Keeps the first `max` findings; a note counts the others per rule. The verdict and the
    /// rules' outcomes were taken from the whole list before, and stay as they are.
    pub fn list_at_most(&mut self, max: usize) {
        if self.findings.len() <= max {
            return;
        }
        let mut unlisted: std::collections::BTreeMap<&str, usize> = Default::default();
        for f in &self.findings[max..] {
            *unlisted.entry(f.rule.as_str()).or_default() += 1;
        }
        let note = unlisted_note(max, unlisted.into_iter());
        self.findings.truncate(max);
        self.findings.shrink_to_fit();
        self.notes.push(note);
    }

    /// A result for an input that could not be checked.
    pub fn error(input: &str, kind: &str, reason: String) -> Self {
        CheckResult {
            input: input.to_string(),
            kind: kind.to_string(),
            verdict: Verdict::Error,
            notes: Vec::new(),
            error: Some(reason),
            findings: Vec::new(),
            rules: Default::default(),
            source: None,
        }
    }
}

/// A file found in a folder that was not checked, and why: no input kind recognises it by
/// its name or its content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Skipped {
    pub path: String,
    pub reason: String,
}

/// Exit code for a set of results: 0 all conformant, 1 some non-conformant, 2 could not check.
pub fn exit_code(results: &[CheckResult]) -> i32 {
    if results
        .iter()
        .any(|r| matches!(r.verdict, Verdict::Error | Verdict::Incomplete))
    {
        2
    } else if results.iter().any(|r| r.verdict == Verdict::NonConformant) {
        1
    } else {
        0
    }
}

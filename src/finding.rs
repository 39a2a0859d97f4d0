//! The one diagnostic model every stage produces and every renderer reads.

use serde::Serialize;
use std::fmt;
use std::sync::Arc;

/// How strongly the clause words the requirement (RFC 2119 keywords as the specs use them).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize,
)]
pub enum Level {
    /// SHALL (or MUST): an absolute requirement.
    #[serde(rename = "SHALL")]
    Shall,
    /// SHALL NOT (or MUST NOT): an absolute prohibition.
    #[serde(rename = "SHALL NOT")]
    ShallNot,
    /// SHOULD: a recommendation.
    #[serde(rename = "SHOULD")]
    Should,
    /// SHOULD NOT: a recommendation against.
    #[serde(rename = "SHOULD NOT")]
    ShouldNot,
    /// MAY: an option.
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
    /// A violation makes the input non-conformant (when the rule is confirmed).
    Error,
    /// A violation is reported, but is no failure.
    Warning,
    /// Advice: never a failure.
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
    /// A source confirms the fact the rule rests on.
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
    /// The finding makes the input non-conformant.
    Fail,
    /// The finding is reported, but is no failure.
    Warn,
    /// Advice.
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

    /// The string reports give it: `fail`, `warn` or `info`.
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
    /// The line, from 1; 0 where the finding is on the input as a whole.
    pub line: u32,
    /// The column in characters, from 1; 0 where the finding is on the input as a whole.
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
    /// `line`, `column` and `span` count in content embedded in the input that `context`
    /// names (a HAR entry's body, a trace event's FDT, one part of a multipart body), not in
    /// the input file: a report that places findings in the file (SARIF's physical
    /// location, a GitHub annotation) gives no line then, only the logical place.
    #[serde(skip)]
    pub lines_in_embedded: bool,
}

impl Location {
    /// Whether `line` and `column` are a place in the input file itself.
    pub fn has_file_line(&self) -> bool {
        self.line > 0 && !self.lines_in_embedded
    }
}

/// One violated (or noted) rule at one place.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// The rule's id (`MBMS-KEY-03`).
    pub rule: String,
    /// The ids of the requirements the rule checks (`rules/requirements.yaml`).
    pub requirement: Vec<String>,
    /// The clause the rule cites (`TS 26.346 11.6.1`).
    pub clause: String,
    /// How strongly the clause words it.
    pub level: Level,
    /// What a violation means for the product.
    pub severity: Severity,
    /// Whether the fact the rule rests on is confirmed.
    pub status: Status,
    /// This finding's verdict, after severity, status and strictness.
    pub verdict: FindingVerdict,
    /// What is wrong, for people. Never holds a key.
    pub message: String,
    /// Where in the input.
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

/// The verdict of one input, ordered from best to worst as the verdicts of several
/// judgements of one input merge ([`Verdict::merge`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// Every rule that applies ran on the whole input and none failed.
    Conformant,
    /// No rule failed, but some rule did not run for part of the input (a terminal whose
    /// state went over a limit, a capture cut short): not conformant, and not a failure
    /// either. Exit code 2, as "could not check": the run could not check all of it.
    Incomplete,
    /// A finding fails.
    NonConformant,
    /// The input could not be checked (unreadable, unknown kind, over a limit).
    Error,
}

impl Verdict {
    /// The string reports give it: `conformant`, `non-conformant`, `incomplete`, `error`.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Conformant => "conformant",
            Verdict::NonConformant => "non-conformant",
            Verdict::Incomplete => "incomplete",
            Verdict::Error => "error",
        }
    }

    /// The exit code this verdict asks of a run: 0 conformant, 1 non-conformant, 2 when the
    /// input could not be checked, wholly (`error`) or in part (`incomplete`). A run exits
    /// with the greatest of its inputs' codes ([`exit_code`]).
    pub fn exit_code(self) -> i32 {
        match self {
            Verdict::Conformant => 0,
            Verdict::NonConformant => 1,
            Verdict::Incomplete | Verdict::Error => 2,
        }
    }

    /// The verdict of judgements of parts of one input taken as one: the worst (could not
    /// check, then non-conformant, then incomplete, then conformant).
    pub fn merge(self, other: Verdict) -> Verdict {
        self.max(other)
    }

    /// The verdict of a judged input: non-conformant when a finding fails; else incomplete
    /// when some rule ran on part of the input only ("not applied is not passed", for part
    /// of an input too); else conformant.
    pub fn of(findings: &[Finding], rules: &[RuleOutcome]) -> Verdict {
        if findings.iter().any(|f| f.verdict == FindingVerdict::Fail) {
            Verdict::NonConformant
        } else if rules
            .iter()
            .any(|o| matches!(o.outcome, Outcome::Incomplete(_)))
        {
            Verdict::Incomplete
        } else {
            Verdict::Conformant
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

/// A rule's outcome on one input, ordered from worst to best as merged outcomes win
/// ([`Outcome::is_worse_than`]): fail, warn, info, incomplete, pass, not applicable.
/// Neither of the last two and not `incomplete` is ever counted as a pass. Its JSON string
/// ([`Outcome::as_str`]) is the `verdict` of a rule in every report.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Outcome {
    /// The rule's worst finding fails.
    Fail,
    /// The rule's worst finding warns.
    Warn,
    /// The rule's worst finding is advice.
    Info,
    /// The rule ran on part of the input, found nothing there, and did not run on the rest
    /// (the reason says which part and why). It makes the input's verdict `incomplete`
    /// unless something failed. Shared: the same reason is given to many inputs.
    Incomplete(Arc<str>),
    /// The rule ran on the whole input and found nothing.
    Pass,
    /// The rule did not run on the input, with the reason. Shared: the same reason is given
    /// to every input a rule does not apply to.
    NotApplicable(Arc<str>),
}

impl Outcome {
    /// The outcome of a rule that ran on the whole input: its worst finding's, or pass.
    pub fn of_worst(worst: Option<FindingVerdict>) -> Self {
        worst.map_or(Outcome::Pass, Outcome::from)
    }

    /// The outcome of a rule that ran on the whole input, from its findings' verdicts.
    pub fn of_findings<'f>(rule: &str, findings: impl IntoIterator<Item = &'f Finding>) -> Self {
        let worst = findings
            .into_iter()
            .filter(|f| f.rule == rule)
            .map(|f| f.verdict)
            .min();
        Outcome::of_worst(worst)
    }

    /// The string reports give it.
    pub fn as_str(&self) -> &'static str {
        match self {
            Outcome::Fail => "fail",
            Outcome::Warn => "warn",
            Outcome::Info => "info",
            Outcome::Incomplete(_) => "incomplete",
            Outcome::Pass => "pass",
            Outcome::NotApplicable(_) => "not-applicable",
        }
    }

    /// Why the rule did not run on (all of) the input: for `incomplete` and
    /// `not-applicable`.
    pub fn reason(&self) -> Option<&Arc<str>> {
        match self {
            Outcome::Incomplete(why) | Outcome::NotApplicable(why) => Some(why),
            _ => None,
        }
    }

    /// Whether the rule ran on the input (on part of it, for `incomplete`).
    pub fn applied(&self) -> bool {
        !matches!(self, Outcome::NotApplicable(_))
    }

    /// The one merge order (lower is worse); the reason plays no part.
    fn rank(&self) -> u8 {
        match self {
            Outcome::Fail => 0,
            Outcome::Warn => 1,
            Outcome::Info => 2,
            Outcome::Incomplete(_) => 3,
            Outcome::Pass => 4,
            Outcome::NotApplicable(_) => 5,
        }
    }

    /// Whether this outcome wins over `other` when the outcomes of several judgements of a
    /// rule are merged: the worse wins; at equal rank the first stays.
    pub fn is_worse_than(&self, other: &Outcome) -> bool {
        self.rank() < other.rank()
    }

    /// What a rule's outcome becomes when it did not run on part of the input (for `why`):
    /// a pass or a not-applicable one is incomplete; what it found stands.
    pub fn in_part(self, why: impl FnOnce() -> Arc<str>) -> Outcome {
        match self {
            Outcome::Pass | Outcome::NotApplicable(_) => Outcome::Incomplete(why()),
            other => other,
        }
    }
}

impl From<FindingVerdict> for Outcome {
    fn from(v: FindingVerdict) -> Self {
        match v {
            FindingVerdict::Fail => Outcome::Fail,
            FindingVerdict::Warn => Outcome::Warn,
            FindingVerdict::Info => Outcome::Info,
        }
    }
}

/// Where part of an input was not judged (for `why`): each rule that passed on the rest is
/// incomplete, but those for which `judged_all` holds (a rule the unjudged part is nothing
/// to). What a rule found stands, and a rule nothing applied stays not applicable.
pub fn judged_in_part(
    outcomes: &mut [RuleOutcome],
    why: &Arc<str>,
    judged_all: impl Fn(&str) -> bool,
) {
    for o in outcomes.iter_mut() {
        if o.outcome == Outcome::Pass && !judged_all(&o.rule) {
            o.outcome = Outcome::Incomplete(why.clone());
        }
    }
}

/// A rule's outcome on one input; in reports `{"rule", "verdict", "reason"}` (the reason of
/// `incomplete` and `not-applicable` only).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleOutcome {
    /// The rule's id.
    pub rule: String,
    /// What it gave on the input.
    pub outcome: Outcome,
}

impl RuleOutcome {
    /// A rule's outcome.
    pub fn new(rule: impl Into<String>, outcome: Outcome) -> Self {
        RuleOutcome {
            rule: rule.into(),
            outcome,
        }
    }

    /// A rule that did not run on the input, with the reason.
    pub fn not_applicable(rule: impl Into<String>, why: Arc<str>) -> Self {
        RuleOutcome::new(rule, Outcome::NotApplicable(why))
    }

    /// Whether the rule ran on the input.
    pub fn applied(&self) -> bool {
        self.outcome.applied()
    }
}

impl Serialize for RuleOutcome {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let reason = self.outcome.reason();
        let mut st = s.serialize_struct("RuleOutcome", 2 + usize::from(reason.is_some()))?;
        st.serialize_field("rule", &self.rule)?;
        st.serialize_field("verdict", self.outcome.as_str())?;
        match reason {
            Some(why) => st.serialize_field("reason", why)?,
            None => st.skip_field("reason")?,
        }
        st.end()
    }
}

/// The findings of one input as they are made, at most `max` kept (`limits.max_findings`);
/// the rest only counted per rule, so that an input with millions of findings (a long
/// capture, a trace of many events) keeps no more of them in memory than it lists.
pub(crate) struct Listed {
    pub(crate) findings: Vec<Finding>,
    pub(crate) max: usize,
    pub(crate) unlisted: std::collections::BTreeMap<String, usize>,
}

impl Listed {
    pub(crate) fn new(max: usize) -> Self {
        Listed {
            findings: Vec::new(),
            max,
            unlisted: Default::default(),
        }
    }

    pub(crate) fn push(&mut self, f: Finding) {
        if self.findings.len() < self.max {
            self.findings.push(f);
        } else {
            *self.unlisted.entry(f.rule).or_default() += 1;
        }
    }

    /// The note counting what was not kept, if anything was not.
    pub(crate) fn note(&self) -> Option<String> {
        (!self.unlisted.is_empty()).then(|| {
            unlisted_note(
                self.max,
                self.unlisted.iter().map(|(r, n)| (r.as_str(), *n)),
            )
        })
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
///
/// # Examples
///
/// ```
/// let engine = mikeyconf::Engine::builtin()?;
/// let inputs = engine.inputs("vectors/xml/msk-request");
/// let skipped: &mikeyconf::Skipped = &inputs.skipped[0];
/// assert_eq!(skipped.reason, "not recognised by its name or its content");
/// # Ok::<(), mikeyconf::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Skipped {
    /// The file, as found under the folder given.
    pub path: String,
    /// Why it was not checked.
    pub reason: String,
}

/// Exit code for a set of results: the greatest of their verdicts' ([`Verdict::exit_code`]);
/// 0 for none.
pub fn exit_code(results: &[CheckResult]) -> i32 {
    results
        .iter()
        .map(|r| r.verdict.exit_code())
        .max()
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn every_outcome() -> [Outcome; 6] {
        [
            Outcome::Fail,
            Outcome::Warn,
            Outcome::Info,
            Outcome::Incomplete("part".into()),
            Outcome::Pass,
            Outcome::NotApplicable("none".into()),
        ]
    }

    #[test]
    fn outcomes_merge_worst_first_whatever_the_reason() {
        let all = every_outcome();
        for (i, a) in all.iter().enumerate() {
            for (j, b) in all.iter().enumerate() {
                assert_eq!(a.is_worse_than(b), i < j, "{a:?} over {b:?}");
            }
        }
        let other = Outcome::Incomplete("another part".into());
        assert!(!other.is_worse_than(&all[3]) && !all[3].is_worse_than(&other));
    }

    #[test]
    fn rule_outcomes_serialise_as_before_with_a_reason_only_where_one_is_due() {
        let json: Vec<String> = every_outcome()
            .into_iter()
            .map(|o| serde_json::to_string(&RuleOutcome::new("R-01", o)).unwrap())
            .collect();
        assert_eq!(
            json,
            [
                r#"{"rule":"R-01","verdict":"fail"}"#,
                r#"{"rule":"R-01","verdict":"warn"}"#,
                r#"{"rule":"R-01","verdict":"info"}"#,
                r#"{"rule":"R-01","verdict":"incomplete","reason":"part"}"#,
                r#"{"rule":"R-01","verdict":"pass"}"#,
                r#"{"rule":"R-01","verdict":"not-applicable","reason":"none"}"#,
            ]
        );
    }

    #[test]
    fn a_rule_not_run_on_part_of_the_input_is_incomplete_unless_it_found_something() {
        let why = || Arc::from("frames past the cut");
        assert_eq!(
            Outcome::Pass.in_part(why),
            Outcome::Incomplete("frames past the cut".into())
        );
        assert_eq!(
            Outcome::NotApplicable("x".into()).in_part(why),
            Outcome::Incomplete("frames past the cut".into())
        );
        for found in [Outcome::Fail, Outcome::Warn, Outcome::Info] {
            assert_eq!(found.clone().in_part(why), found);
        }
    }

    #[test]
    fn a_run_exits_with_its_worst_input_code() {
        let with = |v: Verdict| CheckResult {
            verdict: v,
            ..CheckResult::error("a", "k", String::new())
        };
        let code = |vs: &[Verdict]| exit_code(&vs.iter().map(|&v| with(v)).collect::<Vec<_>>());
        assert_eq!(code(&[]), 0);
        assert_eq!(code(&[Verdict::Conformant]), 0);
        assert_eq!(code(&[Verdict::Conformant, Verdict::NonConformant]), 1);
        assert_eq!(code(&[Verdict::NonConformant, Verdict::Incomplete]), 2);
        assert_eq!(code(&[Verdict::Error, Verdict::Conformant]), 2);
        // Merged verdicts of one input: could not check, non-conformant, incomplete.
        assert_eq!(
            Verdict::Incomplete.merge(Verdict::NonConformant),
            Verdict::NonConformant
        );
        assert_eq!(Verdict::Error.merge(Verdict::NonConformant), Verdict::Error);
        assert_eq!(
            Verdict::Conformant.merge(Verdict::Incomplete),
            Verdict::Incomplete
        );
    }
}

/// Outcomes from the strings reports give them, for the renderers' unit tests.
#[cfg(test)]
pub(crate) mod tests_support {
    use super::Outcome;

    /// `fail`, `warn`, `info`, `pass`, `incomplete` (with `reason`), else not applicable.
    pub(crate) fn outcome_of(verdict: &str, reason: Option<&str>) -> Outcome {
        let why = || std::sync::Arc::from(reason.unwrap_or(""));
        match verdict {
            "fail" => Outcome::Fail,
            "warn" => Outcome::Warn,
            "info" => Outcome::Info,
            "pass" => Outcome::Pass,
            "incomplete" => Outcome::Incomplete(why()),
            _ => Outcome::NotApplicable(why()),
        }
    }
}

//! The rules an engine knows, as the library hands them out ([`RuleInfo`]): the rule tables'
//! and the spec editor's, each with its clause, level and whether the engine's selection or
//! profile leaves it out (`mikeyconf rules` prints this list).

use crate::finding::{Level, Severity, Status};

/// One rule an [`Engine`](crate::Engine) knows: its id, title, clause, level, severity and
/// status, and why the engine does not apply it, when its selection or profile leaves it out.
///
/// # Examples
///
/// ```
/// let engine = mikeyconf::Engine::builtin()?;
/// let rule = engine.rules().into_iter().find(|r| r.id == "MBMS-KEY-03").unwrap();
/// assert_eq!(rule.level, mikeyconf::Level::Shall);
/// assert!(rule.clause.starts_with("3GPP TS 26.346"));
/// assert_eq!(rule.left_out, None);
/// # Ok::<(), mikeyconf::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RuleInfo {
    /// The rule's id (`MBMS-KEY-03`).
    pub id: String,
    /// What it requires, in a line.
    pub title: String,
    /// The clause it cites (`3GPP TS 26.346 11.6.1`).
    pub clause: String,
    /// The clause's own word: SHALL, SHOULD, MAY, ...
    pub level: Level,
    /// How a failure is reported.
    pub severity: Severity,
    /// Confirmed, or provisional (an assumption the clause's text does not settle).
    pub status: Status,
    /// Why this engine does not apply it (a selection or a profile left it out), if it does
    /// not.
    pub left_out: Option<String>,
    /// The clause's own text, as the rule quotes it.
    pub clause_text: String,
    /// The requirements (of `../shared/reference/requirements.md`'s catalogue) it checks.
    pub requirements: Vec<String>,
    /// The kinds of input it judges; empty for a rule of the spec editor, which judges
    /// change requests (`mikeyconf spec`).
    pub applies_to: Vec<String>,
    /// What checks it: the check kind of a payload rule, the file of a spec-editor rule.
    pub checked_by: String,
    /// A spec-editor rule's message; `None` for a payload rule, whose messages come from
    /// its check.
    pub message: Option<String>,
    /// The reading it assumes where the clause does not settle it (a provisional rule's).
    pub assumes: Option<String>,
    /// Where a fact it rests on, beyond the clause, comes from.
    pub source: Option<String>,
    /// Whether it is a rule of the spec editor (`mikeyconf spec`).
    pub spec_editor: bool,
}

impl crate::Engine {
    /// Every rule this engine knows, in table order: the payload rules of its tables, then
    /// the spec editor's (`mikeyconf spec`), each with why it is left out, if it is.
    ///
    /// # Examples
    ///
    /// ```
    /// let engine = mikeyconf::Engine::builder().ignore("MBMS-KEY-03").build()?;
    /// let rules = engine.rules();
    /// let left_out = rules.iter().find(|r| r.id == "MBMS-KEY-03").unwrap();
    /// assert!(left_out.left_out.is_some());
    /// assert!(rules.iter().any(|r| r.id.starts_with("SPEC-")));
    /// # Ok::<(), mikeyconf::Error>(())
    /// ```
    pub fn rules(&self) -> Vec<RuleInfo> {
        let inner = self.internal();
        let left_out = |id: &str| inner.excluded(id).map(str::to_string);
        let payload = (inner.rules.rules.iter()).map(|r| RuleInfo {
            id: r.id.clone(),
            title: r.title.clone(),
            clause: r.clause.to_string(),
            level: r.level,
            severity: r.severity,
            status: r.status,
            left_out: left_out(&r.id),
            clause_text: r.clause_text.clone(),
            requirements: r.requirement.clone(),
            applies_to: r.applies_to.clone(),
            checked_by: r.check.name().to_string(),
            message: None,
            assumes: r.assumes.clone(),
            source: r.source.clone(),
            spec_editor: false,
        });
        let spec = crate::spec::rules::all().iter().map(|r| RuleInfo {
            id: r.id.clone(),
            title: r.title.clone(),
            clause: r.clause.to_string(),
            level: r.level,
            severity: r.severity,
            status: r.status,
            left_out: left_out(&r.id),
            clause_text: r.clause_text.clone(),
            requirements: Vec::new(),
            applies_to: Vec::new(),
            checked_by: r.checked_by.to_string(),
            message: Some(r.message.clone()),
            assumes: None,
            source: r.source.clone(),
            spec_editor: true,
        });
        payload.chain(spec).collect()
    }
}

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
        // The fields both kinds of rule have; what differs is set by each.
        let common =
            |id: &String, title: &String, clause: String, text: &String, source| RuleInfo {
                id: id.clone(),
                title: title.clone(),
                clause,
                level: Level::Shall,
                severity: Severity::Error,
                status: Status::Confirmed,
                left_out: inner.excluded(id).map(str::to_string),
                clause_text: text.clone(),
                requirements: Vec::new(),
                applies_to: Vec::new(),
                checked_by: String::new(),
                message: None,
                assumes: None,
                source,
                spec_editor: false,
            };
        let payload = (inner.rules.rules.iter()).map(|r| RuleInfo {
            level: r.level,
            severity: r.severity,
            status: r.status,
            requirements: r.requirement.clone(),
            applies_to: r.applies_to.clone(),
            checked_by: r.check.name().to_string(),
            assumes: r.assumes.clone(),
            ..common(
                &r.id,
                &r.title,
                r.clause.to_string(),
                &r.clause_text,
                r.source.clone(),
            )
        });
        let spec = crate::spec::rules::all().iter().map(|r| RuleInfo {
            level: r.level,
            severity: r.severity,
            status: r.status,
            checked_by: r.checked_by.to_string(),
            message: Some(r.message.clone()),
            spec_editor: true,
            ..common(
                &r.id,
                &r.title,
                r.clause.to_string(),
                &r.clause_text,
                r.source.clone(),
            )
        });
        payload.chain(spec).collect()
    }
}

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
        let info = |id: &str, title: &str, clause: String, level, severity, status| RuleInfo {
            id: id.to_string(),
            title: title.to_string(),
            clause,
            level,
            severity,
            status,
            left_out: inner.excluded(id).map(str::to_string),
        };
        let payload = (inner.rules.rules.iter()).map(|r| {
            info(
                &r.id,
                &r.title,
                r.clause.to_string(),
                r.level,
                r.severity,
                r.status,
            )
        });
        let spec = crate::spec::rules::all().iter().map(|r| {
            info(
                &r.id,
                &r.title,
                r.clause.to_string(),
                r.level,
                r.severity,
                r.status,
            )
        });
        payload.chain(spec).collect()
    }
}

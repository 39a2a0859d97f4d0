//! Checks on an OMA CPNS group-key trace (CR 004, `docs/cpns-trace.md`): the key created with
//! the SG, updated on leave and expel and periodically, delivered to the members and only to
//! them, deleted on release, and deleted by the PNEs. Each hit names the event it concerns.

pub(crate) use super::kind::{CheckKind, CpnsCheck, Needs};
pub(crate) use crate::cpns::life::{Change, Episode, Life};
pub(crate) use crate::cpns::{CpnsTrace, KeyRef, Msg};
pub(crate) use crate::settings::Settings;
pub(crate) use serde::Deserialize;

pub mod key_age;
pub mod key_delivered;
pub mod key_stored;
pub mod key_updated;
pub mod leaver_excluded;
pub mod pne_deletes;
pub mod release_deletes;

/// What a CPNS check may look at: the trace, the key life worked out from it, the settings.
pub struct CpnsCtx<'a> {
    pub trace: &'a CpnsTrace,
    pub life: &'a Life,
    pub settings: &'a Settings,
}

/// One place in a CPNS trace where a rule is violated: the event's index in the trace.
#[derive(Debug, Clone)]
pub struct CpnsHit {
    pub event: usize,
    pub vars: Vec<(&'static str, String)>,
}

pub(crate) fn hit(event: usize, vars: Vec<(&'static str, String)>) -> CpnsHit {
    CpnsHit { event, vars }
}

/// What a CPNS check found: its hits, or why the trace gives it nothing to judge (not
/// applied is not passed), as every domain's checks say it.
pub type CpnsOutcome = crate::checks::found::Found<CpnsHit>;

/// Which membership change a rule judges.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum After {
    /// SGCreateRequest (7.y.1).
    Create,
    /// SGActionRequest with Action 4 or 1 (7.y.2).
    Update,
}

impl After {
    pub fn takes(self, e: &Episode) -> bool {
        (e.change == Change::Create) == (self == After::Create)
    }

    /// Why nothing was judged: the trace has no such change.
    pub fn none_found(self) -> String {
        match self {
            After::Create => "the trace has no SGCreateRequest answered with success".into(),
            After::Update => "the trace has no SGActionRequest with Action 4 from a member or Action 1 from the SG Owner that was not refused".into(),
        }
    }
}

/// `seq N` of an event, for messages.
pub(crate) fn seq(trace: &CpnsTrace, i: usize) -> String {
    format!("seq {}", trace.events[i].seq)
}

/// PNE IDs as a comma-separated list.
pub(crate) fn listed<'a>(ids: impl IntoIterator<Item = &'a str>) -> String {
    ids.into_iter().collect::<Vec<_>>().join(", ")
}

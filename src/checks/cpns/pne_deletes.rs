//! Check kind `cpns_pne_deletes`.

use super::*;
use crate::cpns::deletion::{other_key, shown, window, Shown};
use crate::cpns::life::{PneTrigger, PneTriggerKind};
use crate::settings::{ExpelDeleter, PneInventory};
use std::collections::BTreeMap;

/// A PNE deletes its Group Key on the response to a leave (Action 4) or expel (Action 1)
/// request, or on an SGReleaseNotification (7.y.3): a `GroupKeyDeleted` of that PNE for the
/// SG, or an `InventoryState` of it holding no key, follows the trigger. Who deletes on an
/// expel and what "SG Inventory" means at a PNE are settings (`cpns.expel_deleter`,
/// `cpns.pne_inventory`). A PNE that logs no local event at all cannot show a deletion: it is
/// not judged.
/// The key is the one the PNE held at the trigger, and what it logs counts until its next
/// trigger for the SG (docs/interpretation.md, "Which Group Key a deletion is of").
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PneDeletes {
    pub trigger: PneTriggerKindParam,
}

/// The trigger a rule judges.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PneTriggerKindParam {
    Leave,
    Expel,
    Release,
}

impl PneTriggerKindParam {
    fn kind(self) -> PneTriggerKind {
        match self {
            Self::Leave => PneTriggerKind::Leave,
            Self::Expel => PneTriggerKind::Expel,
            Self::Release => PneTriggerKind::Release,
        }
    }

    fn what(self) -> &'static str {
        match self {
            Self::Leave => "the response to its leave request (Action 4)",
            Self::Expel => "the response to the expel request (Action 1)",
            Self::Release => "an SGReleaseNotification",
        }
    }
}

impl CheckKind for PneDeletes {
    crate::check_kind_judge!(Cpns);
    fn needs(&self) -> Needs {
        // Every field spelt out (README, "Mutation testing"): the reading shows only at load.
        Needs {
            setting: None,
            delivery: None,
            provisional_reading: Some(
                "the SG Inventory a PNE deletes from (7.y.3) is the PNE's own store of the Group Key",
            ),
        }
    }
}

impl CpnsCheck for PneDeletes {
    fn cpns(&self, ctx: &CpnsCtx) -> CpnsOutcome {
        if ctx.settings.cpns.pne_inventory == PneInventory::Server {
            return CpnsOutcome::NotApplicable(
                "cpns.pne_inventory is server: the SG Inventory of 7.y.3 is read as the CPNS Server's, so a PNE has no deletion of its own to show".into(),
            );
        }
        let kind = self.trigger.kind();
        let triggers: Vec<&PneTrigger> = ctx
            .life
            .pne_triggers
            .iter()
            .filter(|t| t.kind == kind)
            .collect();
        if triggers.is_empty() {
            return CpnsOutcome::NotApplicable(format!(
                "no PNE receives {} in the trace",
                self.trigger.what()
            ));
        }
        let mut judged = Vec::new();
        let mut unlogged = std::collections::BTreeSet::new();
        for t in triggers {
            for pne in deleters(ctx, t) {
                if ctx.life.logs_locally(pne) {
                    judged.push((t, pne));
                } else {
                    unlogged.insert(pne);
                }
            }
        }
        if judged.is_empty() {
            return CpnsOutcome::NotApplicable(format!(
                "{} logs no local event (GroupKeyDeleted, InventoryState): the trace cannot show a deletion",
                listed(unlogged)
            ));
        }
        let next = next_triggers(ctx);
        let hits = judged
            .into_iter()
            .filter_map(|(t, pne)| {
                let (at, detail) = self.judge(ctx, t, pne, &next)?;
                Some(hit(
                    at,
                    vec![
                        ("detail", detail),
                        ("deleter", deleter_reading(ctx, self.trigger)),
                    ],
                ))
            })
            .collect();
        CpnsOutcome::Judged(hits)
    }
}

impl PneDeletes {
    /// Where and why `pne` did not delete, after trigger `t`, the Group Key it held then (the
    /// last one delivered to it or shown in its inventory: docs/interpretation.md); None when
    /// it did.
    fn judge(
        &self,
        ctx: &CpnsCtx,
        t: &PneTrigger,
        pne: &str,
        next: &Triggers,
    ) -> Option<(usize, String)> {
        let index = &ctx.life.index;
        let key = index.pne_key_before(pne, &t.sg, t.event);
        let none = Vec::new();
        let all = index
            .pne_local
            .get(&(pne.to_string(), t.sg.clone()))
            .unwrap_or(&none);
        let until = index
            .recreated_after(&t.sg, t.event)
            .min(next_after(next, pne, &t.sg, t.event));
        let events = window(all, t.event, until);
        let after = format!(
            "after {} at {}",
            self.trigger.what(),
            seq(ctx.trace, t.event)
        );
        let its_key = key.map_or("its Group Key".into(), |k| format!("its Group Key {k}"));
        match shown(ctx.trace, events, key) {
            Shown::Deleted => None,
            Shown::Nothing => Some((
                t.event,
                format!(
                    "{pne} did not delete its Group Key of SG {} {after} (no GroupKeyDeleted of PNE:{pne} follows)",
                    t.sg
                ),
            )),
            Shown::StillHeld { at, key, deleted } => {
                let logged = deleted.map_or(String::new(), |d| {
                    format!(" (it logged its deletion at {})", seq(ctx.trace, d))
                });
                let at_seq = seq(ctx.trace, at);
                let detail = format!(
                    "{pne} still holds its Group Key {key} of SG {} at {at_seq}, {after}{logged}",
                    t.sg
                );
                Some((at, detail))
            }
            Shown::OtherKey { at, named } => {
                let given: Vec<&KeyRef> = index
                    .pne_keys
                    .get(&(pne.to_string(), t.sg.clone()))
                    .map(|all| all.iter().map(|(_, k)| k).collect())
                    .unwrap_or_default();
                let what = other_key(&named, &given, &its_key, "given to it");
                let which = key.map_or("its Group Key".into(), |k| k.to_string());
                let detail = format!(
                    "{after}, {pne} deleted {what} of SG {}; nothing shows {which} deleted",
                    t.sg
                );
                Some((at, detail))
            }
        }
    }
}

/// Per (PNE, SG): the events of the triggers on which that PNE must delete, in order.
type Triggers = BTreeMap<(String, String), Vec<usize>>;

/// Every trigger of every kind, by the PNE that must delete on it and the SG.
fn next_triggers(ctx: &CpnsCtx) -> Triggers {
    let mut out = Triggers::new();
    for t in &ctx.life.pne_triggers {
        for pne in deleters(ctx, t) {
            let at = out.entry((pne.to_string(), t.sg.clone())).or_default();
            at.push(t.event);
        }
    }
    out
}

/// Where the next trigger for `pne` and `sg` after event `i` is, else the end: what the PNE
/// logs after it answers that trigger, not this one (and keeps the work linear in the trace).
fn next_after(next: &Triggers, pne: &str, sg: &str, i: usize) -> usize {
    next.get(&(pne.to_string(), sg.to_string()))
        .and_then(|all| all.get(all.partition_point(|&j| j <= i)))
        .copied()
        .unwrap_or(usize::MAX)
}

/// Who must delete for a trigger: the receiver, except on an expel read as the expelled PNEs'.
fn deleters<'t>(ctx: &CpnsCtx, t: &'t PneTrigger) -> Vec<&'t str> {
    match (t.kind, ctx.settings.cpns.expel_deleter) {
        (PneTriggerKind::Expel, ExpelDeleter::Expelled) => {
            t.subjects.iter().map(String::as_str).collect()
        }
        _ => vec![t.receiver.as_str()],
    }
}

/// What the message assumes about who deletes (filled into the rule's `assumes`).
fn deleter_reading(ctx: &CpnsCtx, trigger: PneTriggerKindParam) -> String {
    match (trigger, ctx.settings.cpns.expel_deleter) {
        (PneTriggerKindParam::Expel, ExpelDeleter::Expelled) => {
            "the expelled PNE deletes once the SG Owner has its response (cpns.expel_deleter: expelled)".into()
        }
        (PneTriggerKindParam::Expel, ExpelDeleter::Requester) => {
            "the SG Owner, which receives the response, deletes (cpns.expel_deleter: requester, the literal reading)".into()
        }
        _ => "the PNE that receives it deletes".into(),
    }
}

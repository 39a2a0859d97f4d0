//! Check kind `cpns_release_deletes`.

use super::*;
use crate::cpns::deletion::{other_key, shown, window, Shown};
use crate::cpns::life::Release;

/// On an SGReleaseRequest from the SG Owner the server deletes the Group Key from the SG
/// Inventory (7.y.3), read as the SG's Group Key in force at the release
/// (docs/interpretation.md): judged from what the server logs for the SG after the request
/// (until the SG is created anew). A `GroupKeyDeleted` naming that key, or an
/// `InventoryState` without it, shows the deletion; an `InventoryState` that still holds it
/// shows none, whatever was deleted before; a `GroupKeyDeleted` of another key, or of one never
/// issued, is no deletion of it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReleaseDeletes {}

impl CheckKind for ReleaseDeletes {
    crate::check_kind_judge!(Cpns);
}

impl CpnsCheck for ReleaseDeletes {
    fn cpns(&self, ctx: &CpnsCtx) -> CpnsOutcome {
        let releases = &ctx.life.releases;
        if releases.is_empty() {
            return CpnsOutcome::NotApplicable(
                "the trace has no SGReleaseRequest from the SG Owner that was not refused".into(),
            );
        }
        let mut judged = 0;
        let mut hits = Vec::new();
        for r in releases {
            match judge(ctx, r) {
                Shown::Nothing => {}
                Shown::Deleted => judged += 1,
                other => {
                    judged += 1;
                    hits.push(finding(ctx, r, other));
                }
            }
        }
        if judged == 0 {
            return CpnsOutcome::NotApplicable(
                "no GroupKeyDeleted or InventoryState of the CPNS Server follows a release: the trace does not show the SG Inventory".into(),
            );
        }
        CpnsOutcome::Judged(hits)
    }
}

/// What the server logs for the SG after the release, until the SG is created anew, shows
/// about the key in force at the release.
fn judge(ctx: &CpnsCtx, r: &Release) -> Shown {
    let index = &ctx.life.index;
    let Some(all) = index.server_local.get(&r.sg) else {
        return Shown::Nothing;
    };
    let events = window(all, r.trigger, index.recreated_after(&r.sg, r.trigger));
    shown(ctx.trace, events, r.key.as_ref())
}

/// The finding for a release whose key was not shown deleted.
fn finding(ctx: &CpnsCtx, r: &Release, what: Shown) -> CpnsHit {
    let released = format!("SG {} was released at {}", r.sg, seq(ctx.trace, r.trigger));
    let in_force = match &r.key {
        Some(k) => format!("{k}, the Group Key in force"),
        None => "a Group Key".into(),
    };
    let (at, detail) = match what {
        Shown::StillHeld { at, key, deleted } => {
            let logged = deleted.map_or(String::new(), |d| {
                format!(" (the server logged its deletion at {})", seq(ctx.trace, d))
            });
            let held = if r.key.is_some() {
                in_force
            } else {
                format!("the Group Key {key}")
            };
            let at_seq = seq(ctx.trace, at);
            let detail =
                format!("{released}, but the SG Inventory at {at_seq} still holds {held}{logged}");
            (at, detail)
        }
        Shown::OtherKey { at, named } => {
            let issued = issued_for(ctx, &r.sg, r.trigger);
            let what = other_key(&named, &issued, &in_force, "issued for the SG");
            let which = r
                .key
                .as_ref()
                .map_or("the Group Key".into(), |k| k.to_string());
            let detail =
                format!("{released}, but the server deleted {what}; nothing shows {which} deleted");
            (at, detail)
        }
        Shown::Nothing | Shown::Deleted => (r.trigger, released),
    };
    hit(at, vec![("detail", detail)])
}

/// The keys the server showed for `sg` before event `i`.
fn issued_for<'a>(ctx: &'a CpnsCtx, sg: &str, i: usize) -> Vec<&'a KeyRef> {
    let changes = ctx.life.key_changes.iter();
    changes
        .filter(|(at, s, _)| *at < i && s == sg)
        .map(|(_, _, k)| k)
        .collect()
}

//! Check kind `cpns_release_deletes`.

use super::*;

/// On an SGReleaseRequest from the SG Owner the server deletes the Group Key from the SG
/// Inventory (7.y.3). Judged from what the server logs after the request: a `GroupKeyDeleted`
/// for the SG, or an `InventoryState` that holds no Group Key, shows the deletion; an
/// `InventoryState` that still holds one shows none. The first of these decides.
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
            let Some(k) = ctx.life.index.server_local_after(&r.sg, r.trigger) else {
                continue;
            };
            let e = &ctx.trace.events[k];
            judged += 1;
            if let Some(Some(key)) = &e.fields.group_key {
                let detail = format!(
                    "SG {} was released at {}, but the SG Inventory still holds the Group Key {key}",
                    r.sg,
                    seq(ctx.trace, r.trigger)
                );
                hits.push(hit(k, vec![("detail", detail)]));
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

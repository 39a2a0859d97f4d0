//! Check kind `cpns_leaver_excluded`.

use super::*;

/// The PNE that left or was expelled does not receive the Group Key that replaces the one
/// it held (CPNS-GK-02: derived from 7.y.2 "deliver ... to all member PNEs", which it no
/// longer is; the CR does not say so in words, hence a provisional reading).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LeaverExcluded {}

impl CheckKind for LeaverExcluded {
    crate::check_kind_judge!(Cpns);
    fn needs(&self) -> Needs {
        // Every field spelt out (README, "Mutation testing"): the reading shows only at load.
        Needs {
            setting: None,
            delivery: None,
            provisional_reading: Some(
                "a PNE that left or was expelled is no longer a member, so 7.y.2's delivery to all member PNEs excludes it",
            ),
        }
    }
}

impl CpnsCheck for LeaverExcluded {
    fn cpns(&self, ctx: &CpnsCtx) -> CpnsOutcome {
        let updates: Vec<&Episode> = ctx
            .life
            .episodes
            .iter()
            .filter(|e| After::Update.takes(e))
            .collect();
        if updates.is_empty() {
            return CpnsOutcome::NotApplicable(After::Update.none_found());
        }
        let mut hits = Vec::new();
        for e in updates {
            let old = e.old_key.as_ref();
            for (i, pne, key) in &e.deliveries {
                if e.removed.contains(pne) && !old.is_some_and(|o| o.same_key(key)) {
                    let detail = format!(
                        "SG {}: the Group Key {key} was delivered to {pne}, which the {} at {} removed from the SG",
                        e.sg,
                        e.change.describe(),
                        seq(ctx.trace, e.trigger)
                    );
                    hits.push(hit(*i, vec![("detail", detail)]));
                }
            }
        }
        CpnsOutcome::Judged(hits)
    }
}

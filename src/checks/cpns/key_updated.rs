//! Check kind `cpns_key_updated`.

use super::*;

/// After a leave (Action 4) from a member or an expel (Action 1) from the SG Owner, the
/// server updates the Group Key (7.y.2): it delivers or holds a key that is not the old one
/// (another ID, and another fingerprint where both are given) before the SG's next change.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeyUpdated {}

impl CheckKind for KeyUpdated {
    crate::check_kind_judge!(Cpns);
}

impl CpnsCheck for KeyUpdated {
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
        let hits = updates
            .into_iter()
            .filter(|e| e.new_key.is_none())
            .map(|e| hit(e.trigger, vec![("detail", not_updated(ctx, e))]))
            .collect();
        CpnsOutcome::Judged(hits)
    }
}

fn not_updated(ctx: &CpnsCtx, e: &Episode) -> String {
    let old = e
        .old_key
        .as_ref()
        .map_or("none".to_string(), |k| k.id.clone());
    // A "new" ID on the old fingerprint is the old key: say so when that is what happened.
    let renamed = e
        .deliveries
        .iter()
        .map(|(_, _, k)| k)
        .find(|k| e.old_key.as_ref().is_some_and(|o| o.id != k.id));
    let shown = match renamed {
        Some(k) => format!(
            "; {} carries the fingerprint of {old}, so it is the old key under another ID",
            k.id
        ),
        None => String::new(),
    };
    format!(
        "SG {}: after the {} of {} at {}, no new Group Key was delivered or held (the key in force was {old}){shown}",
        e.sg,
        e.change.describe(),
        listed(e.removed.iter().map(String::as_str)),
        seq(ctx.trace, e.trigger),
    )
}

//! Check kind `cpns_key_stored`.

use super::*;

/// After a create (7.y.1) or an update (7.y.2) the server stores the Group Key in the SG
/// Inventory: the first snapshot of its SG Inventory (`InventoryState` of the CPNS Server)
/// after it delivered the new key holds the key it last delivered. Without such a snapshot
/// the trace cannot show the inventory, and the rule is not applicable.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeyStored {
    pub after: After,
}

impl CheckKind for KeyStored {
    crate::check_kind_judge!(Cpns);
}

impl CpnsCheck for KeyStored {
    fn cpns(&self, ctx: &CpnsCtx) -> CpnsOutcome {
        let episodes: Vec<&Episode> = ctx
            .life
            .episodes
            .iter()
            .filter(|e| self.after.takes(e))
            .collect();
        if episodes.is_empty() {
            return CpnsOutcome::NotApplicable(self.after.none_found());
        }
        let judged: Vec<(usize, &KeyRef, &Episode)> = episodes
            .into_iter()
            .filter_map(|e| snapshot_after_delivery(ctx, e).map(|(j, k)| (j, k, e)))
            .collect();
        if judged.is_empty() {
            return CpnsOutcome::NotApplicable(format!(
                "no InventoryState of the CPNS Server follows the delivery of a Group Key after a {}: the trace does not show the SG Inventory",
                match self.after {
                    After::Create => "creation",
                    After::Update => "leave or expel",
                }
            ));
        }
        let hits = judged
            .into_iter()
            .filter_map(|(j, key, e)| {
                let held = ctx.trace.events[j].fields.group_key.clone().flatten();
                if held.as_ref().is_some_and(|h| h.same_key(key)) {
                    return None;
                }
                let held = held.map_or("no Group Key".to_string(), |h| format!("Group Key {h}"));
                let detail = format!(
                    "SG {}: after its {} at {}, the SG Inventory holds {held}, not the Group Key {key} the server delivered",
                    e.sg,
                    e.change.describe(),
                    seq(ctx.trace, e.trigger)
                );
                Some(hit(j, vec![("detail", detail)]))
            })
            .collect();
        CpnsOutcome::Judged(hits)
    }
}

/// The first server snapshot of the SG after the first delivery of a key other than the old
/// one, with the key the server delivered last before it.
fn snapshot_after_delivery<'e>(ctx: &CpnsCtx, e: &'e Episode) -> Option<(usize, &'e KeyRef)> {
    let is_new = |k: &KeyRef| !e.old_key.as_ref().is_some_and(|o| o.same_key(k));
    let first = e.deliveries.iter().find(|(_, _, k)| is_new(k))?.0;
    // The server's local events for the SG, from the delivery to the episode's end.
    let local = ctx.life.index.server_local.get(&e.sg)?;
    let from = local.partition_point(|&j| j <= first);
    let j = *local[from..]
        .iter()
        .take_while(|&&j| j < e.end)
        .find(|&&j| ctx.trace.events[j].msg == Msg::InventoryState)?;
    let last = e
        .deliveries
        .iter()
        .rev()
        .find(|(i, _, k)| *i < j && is_new(k))?;
    Some((j, &last.2))
}

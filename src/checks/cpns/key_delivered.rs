//! Check kind `cpns_key_delivered`.

use super::*;

/// After a create (7.y.1) or an update on leave or expel (7.y.2), the server delivers the
/// Group Key to every member PNE of the SG. For an update, only episodes where the server
/// showed a new key are judged here (no new key at all is `cpns_key_updated`'s finding).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeyDelivered {
    pub after: After,
}

impl CheckKind for KeyDelivered {
    crate::check_kind_judge!(Cpns);
}

impl CpnsCheck for KeyDelivered {
    fn cpns(&self, ctx: &CpnsCtx) -> CpnsOutcome {
        let episodes: Vec<&Episode> = ctx
            .life
            .episodes
            .iter()
            .filter(|e| self.after.takes(e))
            .filter(|e| self.after == After::Create || e.new_key.is_some())
            .collect();
        if episodes.is_empty() {
            return CpnsOutcome::NotApplicable(match self.after {
                After::Create => self.after.none_found(),
                After::Update => format!(
                    "{}, or none after which the server showed a new Group Key",
                    self.after.none_found()
                ),
            });
        }
        CpnsOutcome::Judged(
            episodes
                .into_iter()
                .filter_map(|e| missing(ctx, e))
                .collect(),
        )
    }
}

/// The members that received no Group Key (other than the old one) in the episode.
fn missing(ctx: &CpnsCtx, e: &Episode) -> Option<CpnsHit> {
    let served = e.served();
    let left: Vec<&str> = e
        .members
        .iter()
        .map(String::as_str)
        .filter(|m| !served.contains(m))
        .collect();
    if left.is_empty() {
        return None;
    }
    let what = match &e.new_key {
        Some((_, k)) => format!("the Group Key {k} was not delivered to {}", listed(left)),
        None => "no Group Key was delivered to any member".to_string(),
    };
    let detail = format!(
        "SG {} after its {} at {}: {what} (members: {})",
        e.sg,
        e.change.describe(),
        seq(ctx.trace, e.trigger),
        listed(e.members.iter().map(String::as_str)),
    );
    Some(hit(e.trigger, vec![("detail", detail)]))
}

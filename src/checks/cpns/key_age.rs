//! Check kind `cpns_key_age`.

use super::*;
use crate::checks::kind::NeededSetting;
use time::format_description::well_known::Rfc3339;
use time::{Duration, OffsetDateTime};

/// The server updates the Group Key periodically (7.y.2, SHOULD): no key stays in force for
/// an SG longer than the tester's `cpns.max_key_age`. A key is in force from the first event
/// at which the server showed it (delivered or held) until the server shows another, the SG
/// is released, or the trace ends. The CR gives no period: without the setting the rule is
/// not applicable.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeyAge {}

impl CheckKind for KeyAge {
    crate::check_kind_judge!(Cpns);
    fn needs(&self) -> Needs {
        Needs {
            setting: Some(NeededSetting {
                name: "cpns.max_key_age",
                supplied: |s| s.cpns.max_key_age.is_some(),
            }),
            ..Needs::default()
        }
    }
}

impl CpnsCheck for KeyAge {
    fn cpns(&self, ctx: &CpnsCtx) -> CpnsOutcome {
        let Some(max) = ctx.settings.cpns.max_key_age else {
            return CpnsOutcome::NotApplicable("cpns.max_key_age is not set".into());
        };
        let changes = &ctx.life.key_changes;
        if changes.is_empty() {
            return CpnsOutcome::NotApplicable("the trace shows no Group Key".into());
        }
        if !changes
            .iter()
            .any(|(i, _, _)| ctx.trace.events[*i].at.is_some())
        {
            return CpnsOutcome::NotApplicable(
                "the events that show a Group Key have no time (t)".into(),
            );
        }
        let max = Duration::seconds(i64::try_from(max).unwrap_or(i64::MAX));
        let times = Times::of(ctx.trace);
        let ends = ends(ctx);
        let hits = changes
            .iter()
            .zip(ends)
            .filter_map(|((i, sg, key), end)| too_old(ctx, &times, (*i, sg, key), end, max))
            .collect();
        CpnsOutcome::Judged(hits)
    }
}

fn stamp(t: OffsetDateTime) -> String {
    t.format(&Rfc3339).unwrap_or_default()
}

/// How a key's time in force ends.
enum End {
    Replaced(usize, KeyRef),
    Released(usize),
    StillInForce,
}

/// For each key change, how that key's time in force ends: the SG's next key change, its
/// release, or the end of the trace (one pass back over the changes, one search per release).
fn ends(ctx: &CpnsCtx) -> Vec<End> {
    let changes = &ctx.life.key_changes;
    let mut releases: std::collections::BTreeMap<&str, Vec<usize>> = Default::default();
    for r in &ctx.life.releases {
        releases.entry(r.sg.as_str()).or_default().push(r.trigger);
    }
    let mut next: std::collections::BTreeMap<&str, usize> = Default::default();
    let mut out: Vec<End> = Vec::with_capacity(changes.len());
    for (k, (i, sg, _)) in changes.iter().enumerate().rev() {
        let replaced = next.get(sg.as_str()).map(|&n| &changes[n]);
        let released = releases.get(sg.as_str()).and_then(|all| {
            let p = all.partition_point(|&r| r <= *i);
            all.get(p).copied()
        });
        out.push(match (replaced, released) {
            (Some((j, _, key)), r) if r.is_none_or(|r| *j < r) => End::Replaced(*j, key.clone()),
            (_, Some(r)) => End::Released(r),
            _ => End::StillInForce,
        });
        next.insert(sg.as_str(), k);
    }
    out.reverse();
    out
}

/// The first event in a range whose time is past a deadline, in logarithmic time: a
/// segment tree of the latest time under each node (events without a time count as none).
struct Times {
    size: usize,
    tree: Vec<Option<OffsetDateTime>>,
}

impl Times {
    fn of(trace: &CpnsTrace) -> Times {
        let size = trace.events.len().next_power_of_two();
        let mut tree = vec![None; 2 * size];
        for (i, e) in trace.events.iter().enumerate() {
            tree[size + i] = e.at;
        }
        for n in (1..size).rev() {
            tree[n] = tree[2 * n].max(tree[2 * n + 1]);
        }
        Times { size, tree }
    }

    /// The first index in `lo..=hi` whose time is after `t`.
    fn first_after(&self, lo: usize, hi: usize, t: OffsetDateTime) -> Option<usize> {
        self.find(1, 0, self.size - 1, lo, hi, t)
    }

    fn find(
        &self,
        n: usize,
        a: usize,
        b: usize,
        lo: usize,
        hi: usize,
        t: OffsetDateTime,
    ) -> Option<usize> {
        if b < lo || a > hi || self.tree[n].is_none_or(|m| m <= t) {
            return None;
        }
        if a == b {
            return Some(a);
        }
        let mid = (a + b) / 2;
        self.find(2 * n, a, mid, lo, hi, t)
            .or_else(|| self.find(2 * n + 1, mid + 1, b, lo, hi, t))
    }
}

/// The first event at which the key shown at `i` is older than `max`, while in force.
fn too_old(
    ctx: &CpnsCtx,
    times: &Times,
    (i, sg, key): (usize, &str, &KeyRef),
    end: End,
    max: Duration,
) -> Option<CpnsHit> {
    let events = &ctx.trace.events;
    let since = events[i].at?;
    let (last, fate) = match end {
        End::Replaced(j, k) => (
            j,
            format!("it was replaced by {k} at {}", seq(ctx.trace, j)),
        ),
        End::Released(r) => (r, format!("the SG was released at {}", seq(ctx.trace, r))),
        End::StillInForce => (
            events.len() - 1,
            "it is still in force at the end of the trace".to_string(),
        ),
    };
    let deadline = since.checked_add(max)?;
    let j = times.first_after(i + 1, last, deadline)?;
    let at = events[j].at.map(stamp).unwrap_or_default();
    let detail = format!(
        "SG {sg}: the Group Key {key}, in force since {} ({}), is older than cpns.max_key_age ({} s) at {} ({at}); {fate}",
        seq(ctx.trace, i),
        stamp(since),
        max.whole_seconds(),
        seq(ctx.trace, j),
    );
    Some(hit(j, vec![("detail", detail)]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_after_finds_the_first_later_time_in_range() {
        let text = "{\"cpns_trace\":1}\n".to_string()
            + &[(1, "10:00:00"), (2, "10:30:00"), (3, ""), (4, "10:10:00"), (5, "11:00:00")]
                .iter()
                .map(|(s, t)| {
                    let at = if t.is_empty() { String::new() } else { format!(",\"t\":\"2026-01-01T{t}Z\"") };
                    format!("{{\"seq\":{s}{at},\"actor\":\"CPNS\",\"dir\":\"local\",\"msg\":\"GroupKeyDeleted\",\"sg_id\":\"s\"}}\n")
                })
                .collect::<String>();
        let trace = crate::cpns::read::read(&text).unwrap();
        let times = Times::of(&trace);
        let t = |h: &str| OffsetDateTime::parse(&format!("2026-01-01T{h}Z"), &Rfc3339).unwrap();
        assert_eq!(times.first_after(0, 4, t("10:05:00")), Some(1));
        assert_eq!(times.first_after(2, 4, t("10:05:00")), Some(3));
        assert_eq!(times.first_after(2, 3, t("10:10:00")), None);
        assert_eq!(times.first_after(0, 4, t("11:00:00")), None);
        assert_eq!(times.first_after(4, 4, t("10:59:59")), Some(4));
    }

    /// The segment tree answers as a scan would, for every range of a trace whose size is not
    /// a power of two, with times out of order and some missing (pins the tree's building and
    /// its pruning under mutation testing).
    #[test]
    fn first_after_agrees_with_a_scan() {
        let minutes = [5, 40, -1, 10, 55, 0, 30, -1, 20, 50, 15, 45, 25];
        let text = "{\"cpns_trace\":1}\n".to_string()
            + &minutes
                .iter()
                .enumerate()
                .map(|(i, m)| {
                    let at = if *m < 0 { String::new() } else { format!(",\"t\":\"2026-01-01T10:{m:02}:00Z\"") };
                    format!("{{\"seq\":{i}{at},\"actor\":\"CPNS\",\"dir\":\"local\",\"msg\":\"GroupKeyDeleted\",\"sg_id\":\"s\"}}\n")
                })
                .collect::<String>();
        let trace = crate::cpns::read::read(&text).unwrap();
        let times = Times::of(&trace);
        let n = minutes.len();
        for m in [-1, 0, 7, 10, 29, 30, 44, 54, 55] {
            let t = OffsetDateTime::parse("2026-01-01T10:00:00Z", &Rfc3339).unwrap()
                + Duration::minutes(m);
            for lo in 0..n {
                for hi in lo..n {
                    let scan = (lo..=hi).find(|&i| trace.events[i].at.is_some_and(|a| a > t));
                    assert_eq!(times.first_after(lo, hi, t), scan, "lo {lo} hi {hi} t {m}");
                }
            }
        }
    }
}

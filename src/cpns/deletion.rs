//! Whether a party's own log shows that it deleted a given Group Key (CR 004 7.y.3), read from
//! its local events (`GroupKeyDeleted`, `InventoryState`) for one SG after a trigger.
//!
//! Reading (docs/interpretation.md, "CPNS", "Which Group Key a deletion is of"): "delete a
//! Group Key" is the key the party holds at the trigger, the SG's key in force at a release.
//! A `GroupKeyDeleted` counts only when it names that key (or names none); an `InventoryState`
//! after the deletion (or after the trigger, when no deletion names the key) that still holds
//! the key shows it was not deleted, whatever else was. A deletion of another key, or of one
//! never issued, is no deletion of the Group Key.

use super::{CpnsTrace, KeyRef, Msg};

/// What the party's local events after the trigger show about the key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Shown {
    /// No local event of the party for the SG after the trigger: nothing to judge.
    Nothing,
    /// A deletion of the key, or an inventory without it, and no later inventory holding it.
    Deleted,
    /// An inventory after the trigger (after the deletion of the key, when there is one) still
    /// holds the key. `deleted` is the deletion it follows, if any.
    StillHeld {
        at: usize,
        key: KeyRef,
        deleted: Option<usize>,
    },
    /// Only deletions of other keys, and no inventory shows the key gone.
    OtherKey { at: usize, named: KeyRef },
}

/// Judges the local events `events` (indices into the trace, ascending, all the party's own
/// for one SG, after the trigger) against `key`, the Group Key that must go. With no key known
/// (a trace that never shows one) any deletion counts and any key held is kept.
pub fn shown(trace: &CpnsTrace, events: &[usize], key: Option<&KeyRef>) -> Shown {
    if events.is_empty() {
        return Shown::Nothing;
    }
    let is_the_key = |k: &KeyRef| key.is_none_or(|want| want.same_key(k));
    let deletion = events.iter().copied().find(|&i| {
        let e = &trace.events[i];
        e.msg == Msg::GroupKeyDeleted && e.fields.key.as_ref().is_none_or(is_the_key)
    });
    let after = deletion.map_or(events, |d| &events[events.partition_point(|&i| i <= d)..]);
    let held = after.iter().find_map(|&i| {
        let e = &trace.events[i];
        match (&e.msg, &e.fields.group_key) {
            (Msg::InventoryState, Some(Some(k))) if is_the_key(k) => Some((i, k.clone())),
            _ => None,
        }
    });
    if let Some((at, key)) = held {
        return Shown::StillHeld {
            at,
            key,
            deleted: deletion,
        };
    }
    if deletion.is_some() {
        return Shown::Deleted;
    }
    // No deletion names the key and no inventory holds it: an inventory shows it gone.
    let gone = events
        .iter()
        .any(|&i| trace.events[i].msg == Msg::InventoryState);
    if gone {
        return Shown::Deleted;
    }
    let other = events.iter().find_map(|&i| {
        let e = &trace.events[i];
        (e.msg == Msg::GroupKeyDeleted)
            .then(|| e.fields.key.clone())
            .flatten()
            .map(|k| (i, k))
    });
    match other {
        Some((at, named)) => Shown::OtherKey { at, named },
        None => Shown::Nothing,
    }
}

/// The events of `all` (ascending) after `from` and before `until`.
pub fn window(all: &[usize], from: usize, until: usize) -> &[usize] {
    let start = all.partition_point(|&i| i <= from);
    let end = all.partition_point(|&i| i < until);
    &all[start..end.max(start)]
}

/// How a finding names a deleted key that is not the one that had to go (`what`): as another
/// of the `known` keys, or as one never known (`never` says to whom: "issued for the SG").
pub fn other_key(named: &KeyRef, known: &[&KeyRef], what: &str, never: &str) -> String {
    if known.iter().any(|k| k.same_key(named)) {
        format!("{named}, which is not {what}")
    } else {
        format!("{named}, a key never {never}, not {what}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cpns::read::read;

    fn trace(events: &[&str]) -> CpnsTrace {
        let mut text = String::from("{\"cpns_trace\":1}\n");
        for (i, e) in events.iter().enumerate() {
            text.push_str(&format!(
                "{{\"seq\":{},\"actor\":\"CPNS\",\"dir\":\"local\",\"sg_id\":\"s\",{e}}}\n",
                i + 1
            ));
        }
        read(&text).unwrap()
    }

    const DEL_K1: &str = r#""msg":"GroupKeyDeleted","fields":{"key_id":"k1"}"#;
    const DEL_K9: &str = r#""msg":"GroupKeyDeleted","fields":{"key_id":"k9"}"#;
    const HOLDS_K1: &str = r#""msg":"InventoryState","fields":{"group_key":{"key_id":"k1"}}"#;
    const EMPTY: &str = r#""msg":"InventoryState","fields":{"group_key":null}"#;

    fn k1() -> KeyRef {
        KeyRef {
            id: "k1".into(),
            fpr: None,
        }
    }

    #[test]
    fn the_key_deleted_and_gone_is_a_deletion() {
        let t = trace(&[DEL_K1, EMPTY]);
        assert_eq!(shown(&t, &[0, 1], Some(&k1())), Shown::Deleted);
        assert_eq!(shown(&t, &[1], Some(&k1())), Shown::Deleted);
        assert_eq!(shown(&t, &[], Some(&k1())), Shown::Nothing);
    }

    #[test]
    fn another_key_deleted_is_not_the_deletion() {
        let t = trace(&[DEL_K9, HOLDS_K1]);
        assert!(matches!(
            shown(&t, &[0, 1], Some(&k1())),
            Shown::StillHeld {
                at: 1,
                deleted: None,
                ..
            }
        ));
        assert!(matches!(
            shown(&t, &[0], Some(&k1())),
            Shown::OtherKey { at: 0, .. }
        ));
        // With no key known, any deletion is the deletion, any key held is kept.
        assert_eq!(shown(&t, &[0], None), Shown::Deleted);
    }

    #[test]
    fn the_key_deleted_but_still_held_is_not_a_deletion() {
        let t = trace(&[DEL_K1, HOLDS_K1]);
        assert!(matches!(
            shown(&t, &[0, 1], Some(&k1())),
            Shown::StillHeld {
                at: 1,
                deleted: Some(0),
                ..
            }
        ));
    }

    #[test]
    fn window_takes_the_events_between() {
        assert_eq!(window(&[1, 3, 5, 7], 3, 7), &[5]);
        assert_eq!(window(&[1, 3], 5, 2), &[] as &[usize]);
    }

    #[test]
    fn the_sg_recreated_ends_the_window_and_keys_are_taken_before_the_trigger() {
        let line = |e: &str| format!("{{\"seq\":0,{e}}}");
        let events = [
            r#""actor":"PNE:a","peer":"CPNS","dir":"send","msg":"SGCreateRequest","fields":{"members":["a","b"]}"#,
            r#""actor":"CPNS","peer":"PNE:a","dir":"send","msg":"SGCreateResponse","sg_id":"s","fields":{"result":"success"}"#,
            r#""actor":"CPNS","peer":"PNE:b","dir":"send","msg":"GroupKeyDelivery","sg_id":"s","fields":{"key_id":"k1"}"#,
            r#""actor":"PNE:a","peer":"CPNS","dir":"send","msg":"SGReleaseRequest","sg_id":"s""#,
            r#""actor":"PNE:b","dir":"local","msg":"InventoryState","sg_id":"s","fields":{"group_key":{"key_id":"k2"}}"#,
            r#""actor":"PNE:a","peer":"CPNS","dir":"send","msg":"SGCreateRequest","fields":{"members":["a"]}"#,
            r#""actor":"CPNS","peer":"PNE:a","dir":"send","msg":"SGCreateResponse","sg_id":"s","fields":{"result":"success"}"#,
        ];
        let mut text = String::from("{\"cpns_trace\":1}\n");
        for (i, e) in events.iter().enumerate() {
            text.push_str(&line(e).replacen("\"seq\":0", &format!("\"seq\":{}", i + 1), 1));
            text.push('\n');
        }
        let life = crate::cpns::life::Life::of(&read(&text).unwrap());
        let index = &life.index;
        assert_eq!(index.recreated_after("s", 3), 6);
        assert_eq!(index.recreated_after("s", 6), usize::MAX);
        assert_eq!(index.recreated_after("t", 0), usize::MAX);
        let id = |k: Option<&KeyRef>| k.map(|k| k.id.clone());
        assert_eq!(id(index.pne_key_before("b", "s", 2)), None);
        assert_eq!(id(index.pne_key_before("b", "s", 3)), Some("k1".into()));
        assert_eq!(id(index.pne_key_before("b", "s", 5)), Some("k2".into()));
        assert_eq!(id(index.pne_key_before("a", "s", 5)), None);
        assert_eq!(
            life.releases[0].key.as_ref().map(|k| k.id.as_str()),
            Some("k1")
        );
    }
}

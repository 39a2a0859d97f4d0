//! The group-key life a CPNS trace shows, worked out once for every rule: which requests
//! changed an SG's membership (CR 004 7.y.1, 7.y.2), what key each change was followed by,
//! to whom the server delivered it, and the PNE-side triggers of 7.y.3.
//!
//! Readings taken here (docs/interpretation.md, "CPNS"): a request whose response reports a
//! failure changed nothing; a leave (Action 4) counts when it comes from a member, an expel
//! (Action 1) when it comes from the SG Owner, as 7.y.2 words them; the SG Owner is the
//! `sg_owner` the create request or response names, else the creating PNE.

use super::{ActionCode, CpnsTrace, KeyRef, Msg, Party};
use std::collections::{BTreeMap, BTreeSet, VecDeque};

/// What started an episode of an SG's key life.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// SGCreateRequest (7.y.1).
    Create,
    /// SGActionRequest, Action 4, from a member (7.y.2).
    Leave,
    /// SGActionRequest, Action 1, from the SG Owner (7.y.2).
    Expel,
}

impl Change {
    pub fn describe(self) -> &'static str {
        match self {
            Change::Create => "creation",
            Change::Leave => "leave (Action 4)",
            Change::Expel => "expel (Action 1)",
        }
    }
}

/// From one membership change to the next (or the release, or the end of the trace).
#[derive(Debug, Clone)]
pub struct Episode {
    pub sg: String,
    pub change: Change,
    /// The request's event index.
    pub trigger: usize,
    pub response: Option<usize>,
    pub requester: String,
    /// The key in force before the change.
    pub old_key: Option<KeyRef>,
    /// Members after the change.
    pub members: BTreeSet<String>,
    /// PNEs the change removed (the leaver, the expelled).
    pub removed: BTreeSet<String>,
    /// Event index where the episode ends (exclusive).
    pub end: usize,
    /// The first key the server showed (delivered, or held in its SG Inventory) in the
    /// episode that is not the old key: (event index, key).
    pub new_key: Option<(usize, KeyRef)>,
    /// The server's deliveries for the SG in the episode: (event index, PNE, key).
    pub deliveries: Vec<(usize, String, KeyRef)>,
}

impl Episode {
    /// PNEs that received a key other than the old one in the episode.
    pub fn served(&self) -> BTreeSet<&str> {
        self.deliveries
            .iter()
            .filter(|(_, _, k)| !self.old_key.as_ref().is_some_and(|o| o.same_key(k)))
            .map(|(_, p, _)| p.as_str())
            .collect()
    }
}

/// An SGReleaseRequest from the SG Owner that was not refused (7.y.3).
#[derive(Debug, Clone)]
pub struct Release {
    pub sg: String,
    pub trigger: usize,
    /// The SG's Group Key in force at the release (None when the trace never showed one).
    pub key: Option<KeyRef>,
}

/// What 7.y.3 says makes a PNE delete its Group Key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PneTriggerKind {
    /// The response to a leave request (Action 4), received by the leaver.
    Leave,
    /// The response to an expel request (Action 1), received by the SG Owner.
    Expel,
    /// An SGReleaseNotification.
    Release,
}

#[derive(Debug, Clone)]
pub struct PneTrigger {
    pub kind: PneTriggerKind,
    /// The event index of the response or notification.
    pub event: usize,
    pub sg: String,
    /// The PNE that received the response or notification.
    pub receiver: String,
    /// The PNEs the action removed (the expelled; the leaver).
    pub subjects: Vec<String>,
}

/// A change of the key in force for an SG: (event index, SG, key).
pub type KeyChange = (usize, String, KeyRef);

#[derive(Debug, Clone, Default)]
pub struct Life {
    pub episodes: Vec<Episode>,
    pub releases: Vec<Release>,
    pub pne_triggers: Vec<PneTrigger>,
    pub key_changes: Vec<KeyChange>,
    /// Indexes, so that no rule scans the trace once per episode or trigger.
    pub index: Index,
}

/// Where the local events are, by SG and by PNE (event indices, ascending).
#[derive(Debug, Clone, Default)]
pub struct Index {
    /// The server's local events (InventoryState, GroupKeyDeleted) per SG.
    pub server_local: BTreeMap<String, Vec<usize>>,
    /// PNEs that log any local event.
    pub pne_logging: BTreeSet<String>,
    /// Per (PNE, SG): the PNE's own local events (GroupKeyDeleted, InventoryState).
    pub pne_local: BTreeMap<(String, String), Vec<usize>>,
    /// Per (PNE, SG): the keys the PNE was given or showed it held (a GroupKeyDelivery to
    /// it, an InventoryState of it holding a key), in order.
    pub pne_keys: BTreeMap<(String, String), Vec<(usize, KeyRef)>>,
    /// Per SG: where the server created it (the create responses), in order.
    pub created: BTreeMap<String, Vec<usize>>,
}

impl Index {
    fn of(trace: &CpnsTrace) -> Index {
        let mut index = Index::default();
        for (i, e) in trace.events.iter().enumerate() {
            let Some(sg) = &e.sg_id else { continue };
            match (e.msg, &e.actor, e.pne(), &e.fields.key) {
                (Msg::SgCreateResponse, _, _, _) if e.succeeded() => {
                    index.created.entry(sg.clone()).or_default().push(i);
                }
                (Msg::GroupKeyDelivery, _, Some(p), Some(k)) => {
                    let at = index.pne_keys.entry((p.to_string(), sg.clone()));
                    at.or_default().push((i, k.clone()));
                }
                _ => {}
            }
            if !e.msg.is_local() {
                continue;
            }
            match &e.actor {
                Party::Server => index.server_local.entry(sg.clone()).or_default().push(i),
                Party::Pne(p) => {
                    index.pne_logging.insert(p.clone());
                    let at = index.pne_local.entry((p.clone(), sg.clone()));
                    at.or_default().push(i);
                    if let Some(Some(k)) = &e.fields.group_key {
                        let at = index.pne_keys.entry((p.clone(), sg.clone()));
                        at.or_default().push((i, k.clone()));
                    }
                }
                Party::Gateway(_) => {}
            }
        }
        index
    }

    /// Where `sg` is next created after event `i` (a new SG under the same ID), else the
    /// end of the trace: what is logged for the SG after a release or a leave belongs to it
    /// until then.
    pub fn recreated_after(&self, sg: &str, i: usize) -> usize {
        self.created
            .get(sg)
            .and_then(|all| all.get(all.partition_point(|&j| j <= i)))
            .copied()
            .unwrap_or(usize::MAX)
    }

    /// The key `pne` last held for `sg` before event `i`: the last one delivered to it or
    /// shown in its own inventory.
    pub fn pne_key_before(&self, pne: &str, sg: &str, i: usize) -> Option<&KeyRef> {
        let all = self.pne_keys.get(&(pne.to_string(), sg.to_string()))?;
        let n = all.partition_point(|(j, _)| *j < i);
        n.checked_sub(1).map(|last| &all[last].1)
    }
}

#[derive(Debug, Default)]
struct SgState {
    owner: Option<String>,
    members: BTreeSet<String>,
    key: Option<KeyRef>,
    open: Option<usize>,
    released: bool,
}

/// Pairs each request with its response: the next response of its kind from the server to
/// the same PNE (and SG, except for a create, whose SG ID the response assigns).
fn responses(trace: &CpnsTrace) -> Vec<Option<usize>> {
    let mut pending: BTreeMap<(u8, String, Option<String>), VecDeque<usize>> = BTreeMap::new();
    let mut out = vec![None; trace.events.len()];
    let kind = |m: Msg| match m {
        Msg::SgCreateRequest | Msg::SgCreateResponse => Some(0u8),
        Msg::SgActionRequest | Msg::SgActionResponse => Some(1),
        Msg::SgReleaseRequest | Msg::SgReleaseResponse => Some(2),
        _ => None,
    };
    for (i, e) in trace.events.iter().enumerate() {
        let (Some(k), Some(pne)) = (kind(e.msg), e.pne()) else {
            continue;
        };
        let sg = if k == 0 { None } else { e.sg_id.clone() };
        let queue = pending.entry((k, pne.to_string(), sg)).or_default();
        if e.msg.is_request() {
            queue.push_back(i);
        } else if let Some(request) = queue.pop_front() {
            out[request] = Some(i);
        }
    }
    out
}

impl Life {
    pub fn of(trace: &CpnsTrace) -> Life {
        let paired = responses(trace);
        let mut sgs: BTreeMap<String, SgState> = BTreeMap::new();
        let mut life = Life {
            index: Index::of(trace),
            ..Life::default()
        };
        for (i, e) in trace.events.iter().enumerate() {
            let response = paired[i];
            let refused = response.is_some_and(|r| !trace.events[r].succeeded());
            match e.msg {
                Msg::SgCreateRequest => life.create(trace, &mut sgs, i, response),
                Msg::SgActionRequest if !refused => life.action(trace, &mut sgs, i, response),
                Msg::SgReleaseRequest if !refused => life.release(trace, &mut sgs, i),
                Msg::SgReleaseNotification => {
                    if let (Some(sg), Some(pne)) = (&e.sg_id, e.pne()) {
                        life.pne_triggers.push(PneTrigger {
                            kind: PneTriggerKind::Release,
                            event: i,
                            sg: sg.clone(),
                            receiver: pne.to_string(),
                            subjects: vec![pne.to_string()],
                        });
                    }
                }
                Msg::GroupKeyDelivery => life.delivered(trace, &mut sgs, i),
                Msg::InventoryState if e.actor == Party::Server => {
                    life.snapshot(trace, &mut sgs, i)
                }
                _ => {}
            }
        }
        let n = trace.events.len();
        for ep in &mut life.episodes {
            ep.end = ep.end.min(n);
        }
        life
    }

    fn open(&mut self, sgs: &mut BTreeMap<String, SgState>, sg: &str, at: usize, ep: Episode) {
        let state = sgs.entry(sg.to_string()).or_default();
        if let Some(prev) = state.open.take() {
            self.episodes[prev].end = at;
        }
        state.open = Some(self.episodes.len());
        self.episodes.push(ep);
    }

    fn create(
        &mut self,
        trace: &CpnsTrace,
        sgs: &mut BTreeMap<String, SgState>,
        i: usize,
        response: Option<usize>,
    ) {
        let req = &trace.events[i];
        let Some(resp) = response.map(|r| &trace.events[r]) else {
            return;
        };
        let (Some(sg), true, Some(requester)) = (&resp.sg_id, resp.succeeded(), req.pne()) else {
            return;
        };
        let members: BTreeSet<String> = resp
            .fields
            .members
            .as_ref()
            .or(req.fields.members.as_ref())
            .map(|m| m.iter().cloned().collect())
            .unwrap_or_default();
        let owner = resp
            .fields
            .sg_owner
            .clone()
            .or(req.fields.sg_owner.clone())
            .unwrap_or_else(|| requester.to_string());
        let ep = Episode {
            sg: sg.clone(),
            change: Change::Create,
            trigger: i,
            response,
            requester: requester.to_string(),
            old_key: None,
            members: members.clone(),
            removed: BTreeSet::new(),
            end: usize::MAX,
            new_key: None,
            deliveries: Vec::new(),
        };
        self.open(sgs, sg, i, ep);
        let state = sgs.entry(sg.clone()).or_default();
        (state.owner, state.members, state.key, state.released) =
            (Some(owner), members, None, false);
    }

    fn action(
        &mut self,
        trace: &CpnsTrace,
        sgs: &mut BTreeMap<String, SgState>,
        i: usize,
        response: Option<usize>,
    ) {
        let e = &trace.events[i];
        let (Some(sg), Some(requester)) = (&e.sg_id, e.pne()) else {
            return;
        };
        let Some(state) = sgs.get(sg).filter(|s| !s.released) else {
            return;
        };
        let (change, removed): (Change, BTreeSet<String>) = match e.fields.action {
            Some(ActionCode::LEAVE) if state.members.contains(requester) => {
                (Change::Leave, [requester.to_string()].into())
            }
            Some(ActionCode::EXPEL) if state.owner.as_deref() == Some(requester) => {
                let targets = e.fields.target_pnes.iter().flatten();
                let gone = targets.filter(|t| state.members.contains(*t)).cloned();
                (Change::Expel, gone.collect())
            }
            _ => return,
        };
        if removed.is_empty() {
            return;
        }
        let members: BTreeSet<String> = state.members.difference(&removed).cloned().collect();
        let ep = Episode {
            sg: sg.clone(),
            change,
            trigger: i,
            response,
            requester: requester.to_string(),
            old_key: state.key.clone(),
            members: members.clone(),
            removed: removed.clone(),
            end: usize::MAX,
            new_key: None,
            deliveries: Vec::new(),
        };
        self.open(sgs, sg, i, ep);
        if let Some(state) = sgs.get_mut(sg) {
            state.members = members;
        }
        if let Some(r) = response {
            self.pne_triggers.push(PneTrigger {
                kind: match change {
                    Change::Expel => PneTriggerKind::Expel,
                    _ => PneTriggerKind::Leave,
                },
                event: r,
                sg: sg.clone(),
                receiver: requester.to_string(),
                subjects: removed.into_iter().collect(),
            });
        }
    }

    fn release(&mut self, trace: &CpnsTrace, sgs: &mut BTreeMap<String, SgState>, i: usize) {
        let e = &trace.events[i];
        let (Some(sg), Some(requester)) = (&e.sg_id, e.pne()) else {
            return;
        };
        let Some(state) = sgs.get_mut(sg) else {
            return;
        };
        if state.released || state.owner.as_deref() != Some(requester) {
            return;
        }
        state.released = true;
        if let Some(prev) = state.open.take() {
            self.episodes[prev].end = i;
        }
        self.releases.push(Release {
            sg: sg.clone(),
            trigger: i,
            key: state.key.clone(),
        });
    }

    /// A key the server showed for an SG (delivered or held): the episode's new key, and a
    /// change of the key in force.
    fn server_key(
        &mut self,
        sgs: &mut BTreeMap<String, SgState>,
        i: usize,
        sg: &str,
        key: &KeyRef,
    ) {
        let Some(state) = sgs.get_mut(sg).filter(|s| !s.released) else {
            return;
        };
        if let Some(ep) = state.open.map(|o| &mut self.episodes[o]) {
            let is_old = ep.old_key.as_ref().is_some_and(|o| o.same_key(key));
            if ep.new_key.is_none() && !is_old {
                ep.new_key = Some((i, key.clone()));
            }
        }
        if !state.key.as_ref().is_some_and(|k| k.same_key(key)) {
            state.key = Some(key.clone());
            self.key_changes.push((i, sg.to_string(), key.clone()));
        }
    }

    fn delivered(&mut self, trace: &CpnsTrace, sgs: &mut BTreeMap<String, SgState>, i: usize) {
        let e = &trace.events[i];
        let (Some(sg), Some(pne), Some(key)) = (&e.sg_id, e.pne(), &e.fields.key) else {
            return;
        };
        self.server_key(sgs, i, sg, key);
        if let Some(o) = sgs.get(sg).filter(|s| !s.released).and_then(|s| s.open) {
            self.episodes[o]
                .deliveries
                .push((i, pne.to_string(), key.clone()));
        }
    }

    /// A snapshot of the server's SG Inventory; one for an SG the trace has not seen created
    /// (a trace that starts mid-life) gives its owner, members and key.
    fn snapshot(&mut self, trace: &CpnsTrace, sgs: &mut BTreeMap<String, SgState>, i: usize) {
        let e = &trace.events[i];
        let Some(sg) = &e.sg_id else { return };
        let held = e.fields.group_key.clone().flatten();
        if !sgs.contains_key(sg) {
            let Some(members) = &e.fields.members else {
                return;
            };
            let state = SgState {
                owner: e.fields.sg_owner.clone(),
                members: members.iter().cloned().collect(),
                key: held.clone(),
                ..SgState::default()
            };
            sgs.insert(sg.clone(), state);
            if let Some(k) = held {
                self.key_changes.push((i, sg.clone(), k));
            }
            return;
        }
        if let Some(k) = held {
            self.server_key(sgs, i, sg, &k);
        }
    }
}

impl Life {
    /// Whether the PNE logs any local event (a deletion, an inventory snapshot): without
    /// one, the trace cannot show what it deleted.
    pub fn logs_locally(&self, pne: &str) -> bool {
        self.index.pne_logging.contains(pne)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cpns::read::read;

    fn life(events: &[&str]) -> Life {
        let mut text = String::from("{\"cpns_trace\":1}\n");
        for (i, e) in events.iter().enumerate() {
            let seq = i + 1;
            text.push_str(&format!("{{\"seq\":{seq},{e}}}\n"));
        }
        Life::of(&read(&text).unwrap())
    }

    const CREATE: &str = r#""actor":"PNE:a","peer":"CPNS","dir":"send","msg":"SGCreateRequest","fields":{"members":["a","b","c"]}"#;
    const CREATED: &str = r#""actor":"CPNS","peer":"PNE:a","dir":"send","msg":"SGCreateResponse","sg_id":"s","fields":{"result":"success"}"#;

    fn server(msg: &str, to: &str, fields: &str) -> String {
        format!(
            r#""actor":"CPNS","peer":"PNE:{to}","dir":"send","msg":"{msg}","sg_id":"s","fields":{fields}"#
        )
    }

    fn request(from: &str, action: u32, targets: &str) -> String {
        format!(
            r#""actor":"PNE:{from}","peer":"CPNS","dir":"send","msg":"SGActionRequest","sg_id":"s","fields":{{"action":{action},"target_pnes":{targets}}}"#
        )
    }

    #[test]
    fn a_create_opens_an_episode_whose_deliveries_serve_members() {
        let gk = server("GroupKeyDelivery", "b", r#"{"key_id":"k1"}"#);
        let l = life(&[CREATE, CREATED, &gk]);
        assert_eq!(l.episodes.len(), 1);
        let e = &l.episodes[0];
        assert_eq!(
            (e.change, e.trigger, e.response, e.end),
            (Change::Create, 0, Some(1), 3)
        );
        assert_eq!(
            e.new_key.as_ref().map(|(i, k)| (*i, k.id.as_str())),
            Some((2, "k1"))
        );
        assert_eq!(e.served(), ["b"].into());
        assert_eq!(l.key_changes.len(), 1);
    }

    #[test]
    fn refused_or_unauthorised_actions_change_nothing() {
        let refused = server("SGActionResponse", "b", r#"{"result":"denied"}"#);
        let l = life(&[CREATE, CREATED, &request("b", 4, "null"), &refused]);
        assert_eq!(l.episodes.len(), 1, "a refused leave is no change");
        // An expel from a member that is not the owner, and a leave from a non-member.
        let l = life(&[
            CREATE,
            CREATED,
            &request("b", 1, "[\"c\"]"),
            &request("z", 4, "null"),
        ]);
        assert_eq!(l.episodes.len(), 1);
        // The owner's expel removes the targets that are members, and names them.
        let ok = server("SGActionResponse", "a", r#"{"result":"success"}"#);
        let l = life(&[CREATE, CREATED, &request("a", 1, "[\"c\",\"z\"]"), &ok]);
        let e = &l.episodes[1];
        assert_eq!((e.change, e.end), (Change::Expel, 4));
        assert_eq!(e.removed, ["c".to_string()].into());
        assert_eq!(e.members, ["a".to_string(), "b".to_string()].into());
        assert_eq!(l.episodes[0].end, 2);
        let t = &l.pne_triggers[0];
        assert_eq!(
            (t.kind, t.event, t.receiver.as_str()),
            (PneTriggerKind::Expel, 3, "a")
        );
        assert_eq!(t.subjects, vec!["c".to_string()]);
    }

    #[test]
    fn a_new_id_on_the_old_fingerprint_is_not_a_new_key() {
        let fpr = "sha256:00112233445566778899";
        let k1 = server(
            "GroupKeyDelivery",
            "a",
            &format!(r#"{{"key_id":"k1","key_fpr":"{fpr}"}}"#),
        );
        let ok = server("SGActionResponse", "b", r#"{"result":"success"}"#);
        let k2 = server(
            "GroupKeyDelivery",
            "a",
            &format!(r#"{{"key_id":"k2","key_fpr":"{fpr}"}}"#),
        );
        let l = life(&[CREATE, CREATED, &k1, &request("b", 4, "null"), &ok, &k2]);
        assert!(l.episodes[1].new_key.is_none());
        assert!(l.episodes[1].served().is_empty());
        assert_eq!(l.key_changes.len(), 1);
    }
}

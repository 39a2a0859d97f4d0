//! The session engine: the one entry point through which every session event passes, from a
//! trace (YAML/JSON) or from a capture as its frames are read. [`SessionFolds::push`] takes
//! one `trace::Event` in order and returns the findings it makes certain;
//! [`SessionFolds::finish`] gives the rest (messages still awaiting a verification, ...) and
//! every session rule's outcome. State is kept per terminal ([`Keying`]), a few dozen octets
//! each, at most `limits.session_terminals` terminals at once; what went past a bound makes
//! the rules resting on it incomplete for that terminal, named in the reason, never passed.

use super::judgement::{Judgement, Streamed};
use super::Engine;
use crate::checks::kind::{Domain, Judge, TraceCheck};
use crate::checks::trace::fold::{Bounds, Fold, GroupMtks, Link, Lost, State, Step};
use crate::checks::trace::terminals::{Key, Terminals};
use crate::checks::trace::{StepCtx, TraceHit};
use crate::finding::{Finding, Location, Outcome, RuleOutcome};
use crate::rules::Rule;
use crate::trace::{Event, EventBody};
use std::collections::BTreeMap;

pub use crate::checks::trace::terminals::Keying;

/// How findings name events: `event N` (a trace), or `frame N (src -> dst)` (a capture).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Naming {
    Events,
    Frames,
}

/// Terminals named in a reason; the rest are counted.
const NAMED: usize = 5;

/// The terminals for which one kind of state was lost.
#[derive(Default)]
struct Gap {
    terminals: usize,
    named: Vec<String>,
}

/// The session rules of one input, folded over its events.
pub struct SessionFolds<'e> {
    engine: &'e Engine,
    applied: Vec<(&'e Rule, &'e dyn TraceCheck)>,
    skipped: Vec<RuleOutcome>,
    keying: Keying,
    naming: Naming,
    bounds: Bounds,
    resolve: BTreeMap<String, String>,
    terminals: Terminals,
    /// MTK messages sent to multicast groups, which every terminal's verification may answer.
    groups: GroupMtks,
    scratch: Vec<u8>,
    /// Each applied rule's findings so far, counted as they are made.
    streamed: Vec<Streamed>,
    /// Whether each applied rule that judges some events only has had one.
    had_one: Vec<bool>,
    gaps: [Gap; 3],
    released: usize,
    /// HTTP events whose request body is not shown, with why (at most NAMED listed).
    unseen: Vec<String>,
    unseen_count: usize,
}

/// What the end of the session gives, in the shape every domain's judging gives: the last
/// findings, every session rule's outcome, and notes on what was judged only in part.
pub type SessionEnd = Judgement;

fn gap_index(s: State) -> usize {
    match s {
        State::Verification => 0,
        State::Freshness => 1,
        State::Registration => 2,
    }
}

/// The terminal an event concerns: the sender of a verification message or an HTTP request,
/// the receiver of anything else (a push from the BSM / BM-SC).
fn terminal_of(e: &Event) -> Key {
    let verification = match &e.body {
        EventBody::Http(_) => true,
        EventBody::Udp { .. } => match e.message_facts() {
            Some(f) => crate::checks::trace::is_verification(e, f),
            None => e.role.as_deref() == Some("verification"),
        },
        _ => false,
    };
    let addr = if verification {
        e.from_addr()
    } else {
        e.to_addr()
    };
    addr.map_or(Key::Whole, Key::of)
}

impl Engine {
    /// The session rules that apply to inputs of `kind` (session-trace, pcap), ready to fold
    /// events keyed by `keying`; `resolve` is the trace's name → address map.
    pub fn session_folds(
        &self,
        kind: &str,
        keying: Keying,
        naming: Naming,
        resolve: BTreeMap<String, String>,
    ) -> SessionFolds<'_> {
        let plan = self.plan(Domain::Trace, &[kind.to_string()], None);
        let applied: Vec<(&Rule, &dyn TraceCheck)> = plan
            .applied
            .iter()
            .filter_map(|r| match r.check.kind().judge() {
                Judge::Trace(c) => Some((*r, c)),
                _ => None,
            })
            .collect();
        let mut skipped = Judgement::default();
        skipped.skipped(&plan);
        let limits = &self.settings.limits;
        SessionFolds {
            engine: self,
            streamed: vec![Streamed::default(); applied.len()],
            had_one: vec![false; applied.len()],
            applied,
            skipped: skipped.outcomes,
            keying,
            naming,
            bounds: Bounds {
                window: limits.session_window.max(1),
                counter_bits: self.settings.freshness.counter_bits,
            },
            resolve,
            terminals: Terminals::new(limits.session_terminals),
            groups: GroupMtks::default(),
            scratch: Vec::new(),
            gaps: Default::default(),
            released: 0,
            unseen: Vec::new(),
            unseen_count: 0,
        }
    }
}

impl SessionFolds<'_> {
    fn gap(&mut self, state: State, terminal: &Key, why: &str) {
        let gap = &mut self.gaps[gap_index(state)];
        gap.terminals += 1;
        if gap.named.len() < NAMED {
            gap.named.push(format!("{} ({why})", terminal.name()));
        }
    }

    /// One event of the session, in order: the findings it makes certain.
    pub fn push(&mut self, e: &Event) -> Vec<Finding> {
        if let EventBody::Http(ex) = &e.body {
            if let Some(why) = &ex.request.unseen.body {
                self.unseen_count += 1;
                if self.unseen.len() < NAMED {
                    self.unseen.push(format!("event {} ({why})", e.number));
                }
            }
        }
        for (i, (_, check)) in self.applied.iter().enumerate() {
            if let Some(only) = check.judges_only() {
                self.had_one[i] |= (only.judges)(e);
            }
        }
        let key = match self.keying {
            Keying::Single => Key::Whole,
            Keying::ByAddress => terminal_of(e),
        };
        let link = Link::of((self.naming == Naming::Frames).then_some(e));
        let bound = self.engine.settings.limits.session_terminals;
        let got = self.terminals.get(key.clone());
        let mut lost = Vec::new();
        if got.resumed {
            got.terminal.resume();
            lost.extend(State::ALL.map(|state| Lost {
                state,
                why: format!("its state was released, more than limits.session_terminals = {bound} terminals being live, and it has events again from event {}", e.number),
            }));
        }
        let released = got.released.map(|(k, t)| (k, t.has_pending()));
        let runner = Runner {
            applied: &self.applied,
            ctx: StepCtx {
                settings: &self.engine.settings,
                resolve: &self.resolve,
            },
            bounds: self.bounds,
        };
        let terminal = got.terminal;
        let shared = Shared {
            scratch: &mut self.scratch,
            groups: &mut self.groups,
            to_group: key.is_multicast(),
        };
        let hits = runner.run(&mut lost, &link, shared, |fold| fold.event(terminal, e));
        if let Some((k, pending)) = &released {
            self.released += 1;
            if *pending {
                let why = format!("its state was released with messages awaiting a verification, more than limits.session_terminals = {bound} terminals being live");
                self.gap(State::Verification, k, &why);
            }
        }
        for l in lost {
            self.gap(l.state, &key, &l.why);
        }
        hits.into_iter()
            .map(|(i, h, other)| {
                let here = if h.event == e.number {
                    link.get().map(str::to_string)
                } else {
                    other
                };
                self.finding(i, h, here.as_deref())
            })
            .collect()
    }

    fn finding(&mut self, i: usize, h: TraceHit, link: Option<&str>) -> Finding {
        let (rule, naming, engine) = (self.applied[i].0, self.naming, self.engine);
        self.streamed[i].finding(h, |h| {
            let context = match (naming, link) {
                (Naming::Events, _) => format!("event {}", h.event),
                (Naming::Frames, Some(l)) => format!("frame {} ({l})", h.event),
                (Naming::Frames, None) => format!("frame {}", h.event),
            };
            let location = Location {
                context: Some(context),
                ..Location::default()
            };
            let mut f = engine.make_finding(rule, h.vars, location);
            if naming == Naming::Frames {
                f.message = name_frames(&f.message, h.event, link);
            }
            f
        })
    }

    /// The end of the input: what still awaits an answer is judged, and every session
    /// rule's outcome given.
    pub fn finish(mut self) -> SessionEnd {
        let mut findings = Vec::new();
        self.terminals.close();
        while let Some((_key, t)) = self.terminals.take_oldest() {
            let runner = Runner {
                applied: &self.applied,
                ctx: StepCtx {
                    settings: &self.engine.settings,
                    resolve: &self.resolve,
                },
                bounds: self.bounds,
            };
            let shared = Shared {
                scratch: &mut self.scratch,
                groups: &mut self.groups,
                to_group: false,
            };
            let hits = runner.run(&mut Vec::new(), &Link::of(None), shared, |fold| {
                fold.finish(&t)
            });
            for (i, h, link) in hits {
                findings.push(self.finding(i, h, link.as_deref()));
            }
        }
        let (outcomes, notes) = self.outcomes();
        SessionEnd {
            findings,
            outcomes,
            notes,
        }
    }

    /// Why the rules that read request bodies judged only in part.
    fn unseen_reason(&self) -> Option<String> {
        if self.unseen_count == 0 {
            return None;
        }
        let more = self.unseen_count - self.unseen.len();
        let more = if more > 0 {
            format!(
                " and {}",
                crate::plural::counted(more, "more event", "more events")
            )
        } else {
            String::new()
        };
        Some(format!(
            "judged without the request body of {}{more}",
            self.unseen.join(", ")
        ))
    }

    /// For each kind of state, the terminals that lost it, named.
    fn gap_reasons(&self) -> Vec<Option<String>> {
        self.gaps
            .iter()
            .map(|g| {
                (g.terminals > 0).then(|| {
                    let more = g.terminals - g.named.len();
                    let more = if more > 0 {
                        format!("; and {more} more")
                    } else {
                        String::new()
                    };
                    format!(
                        "not judged in full for {}: {}{more}",
                        crate::plural::counted(g.terminals, "terminal", "terminals"),
                        g.named.join("; ")
                    )
                })
            })
            .collect()
    }

    fn outcomes(&self) -> (Vec<RuleOutcome>, Vec<String>) {
        let unseen = self.unseen_reason();
        let reasons = self.gap_reasons();
        let mut notes = Vec::new();
        let mut outcomes = Vec::new();
        let mut incomplete: Vec<(&str, &str)> = Vec::new();
        for (i, (rule, check)) in self.applied.iter().enumerate() {
            let mut outcome = self.streamed[i].outcome();
            if let (Some(only), false) = (check.judges_only(), self.had_one[i]) {
                if outcome == Outcome::Pass {
                    let why = format!("no {} in the input", only.what);
                    outcomes.push(RuleOutcome::not_applicable(&rule.id, why.into()));
                    continue;
                }
            }
            if let (Some(why), true) = (&unseen, check.reads_request_bodies()) {
                outcome = outcome.in_part(|| why.as_str().into());
            }
            let gap = check
                .rests_on()
                .and_then(|s| reasons[gap_index(s)].as_deref());
            // A rule that found something keeps its failure; the note still names the part
            // it did not judge.
            if let Some(why) = gap {
                outcome = outcome.in_part(|| why.into());
                incomplete.push((rule.id.as_str(), why));
            }
            outcomes.push(RuleOutcome::new(rule.id.clone(), outcome));
        }
        outcomes.extend(self.skipped.iter().cloned());
        // One note per reason, naming its rules.
        let mut by_reason: Vec<(&str, Vec<&str>)> = Vec::new();
        for (rule, why) in incomplete {
            match by_reason.iter_mut().find(|(w, _)| *w == why) {
                Some((_, rules)) => rules.push(rule),
                None => by_reason.push((why, vec![rule])),
            }
        }
        for (why, rules) in by_reason {
            notes.push(format!(
                "session rules judged only in part ({}): {why}",
                rules.join(", ")
            ));
        }
        if self.released > 0 {
            notes.push(format!(
                "the session state of {} was released, oldest first, to hold at most limits.session_terminals = {} at once",
                crate::plural::counted(self.released, "terminal", "terminals"),
                self.engine.settings.limits.session_terminals
            ));
        }
        debug_assert!(outcomes
            .iter()
            .all(|o| o.applied() || o.outcome.reason().is_some()));
        (outcomes, notes)
    }
}

/// A rule's hit, with the place of the record it judges when that is not the current event.
type PlacedHit = (usize, TraceHit, Option<String>);

/// What the fold of one terminal shares with the others.
struct Shared<'s> {
    scratch: &'s mut Vec<u8>,
    groups: &'s mut GroupMtks,
    to_group: bool,
}

/// Runs the fold on one terminal and gives each step to every applied rule.
struct Runner<'r> {
    applied: &'r [(&'r Rule, &'r dyn TraceCheck)],
    ctx: StepCtx<'r>,
    bounds: Bounds,
}

impl Runner<'_> {
    fn run(
        &self,
        lost: &mut Vec<Lost>,
        link: &Link,
        shared: Shared,
        go: impl FnOnce(&mut Fold),
    ) -> Vec<PlacedHit> {
        let mut hits = Vec::new();
        let mut out = Vec::new();
        let mut sink = |step: &Step| {
            for (i, (_, check)) in self.applied.iter().enumerate() {
                check.step(step, &self.ctx, &mut out);
                if !out.is_empty() {
                    hits.extend(out.drain(..).map(|h| (i, h, step_link(step))));
                }
            }
        };
        let mut fold = Fold {
            bounds: self.bounds,
            sink: &mut sink,
            lost,
            link,
            scratch: shared.scratch,
            groups: shared.groups,
            to_group: shared.to_group,
        };
        go(&mut fold);
        hits
    }
}

/// The place of the record a step judges at the end (a message awaiting a verification, a
/// verification answering nothing), when it is not the current event.
fn step_link(step: &Step) -> Option<String> {
    match step {
        Step::Unanswered(a) => a.link.as_deref().map(str::to_string),
        Step::AnswersNothing(u) => u.link.as_deref().map(str::to_string),
        Step::Paired(p) => p
            .answers
            .and_then(|a| a.link.as_deref())
            .map(str::to_string),
        _ => None,
    }
}

/// `event N` in a capture's finding: `frame N (src -> dst)` for the finding's own frame,
/// `frame N` for another.
fn name_frames(text: &str, own: usize, link: Option<&str>) -> String {
    const EVENT: &str = "event ";
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(EVENT) {
        let after = &rest[at + EVENT.len()..];
        let digits = after.len() - after.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        out.push_str(&rest[..at]);
        match (after[..digits].parse::<usize>().ok(), link) {
            (Some(n), Some(l)) if n == own => out.push_str(&format!("frame {n} ({l})")),
            (Some(n), _) => out.push_str(&format!("frame {n}")),
            (None, _) => out.push_str(&rest[at..at + EVENT.len() + digits]),
        }
        rest = &after[digits..];
    }
    out.push_str(rest);
    out
}

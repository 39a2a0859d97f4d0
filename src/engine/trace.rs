//! Judging a session trace: every event by the rules of its own kind (HTTP exchanges by the
//! exchange and payload rules, UDP MIKEY messages by their profile's rules), then the trace
//! rules over the whole session. Findings name the event (`where`).

use super::{judged, mikey::merge_outcomes, outcomes, Engine};
use crate::checks::kind::{Delivery, Domain, Judge};
use crate::checks::trace::TraceCtx;
use crate::finding::{CheckResult, Finding, Location, RuleOutcome, Verdict};
use crate::trace::{self, EventBody};
use std::path::Path;
use std::sync::Arc;

/// A trace file: YAML or JSON whose first key is `trace`.
pub(crate) fn looks_like_trace(bytes: &[u8]) -> bool {
    if bytes.trim_ascii_start().starts_with(b"<") {
        return false; // markup (XML): its first line is no trace key
    }
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(2048)]);
    head.lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with('#') && l != &"---")
        .is_some_and(|l| {
            l.starts_with("trace:") || l.starts_with("{\"trace\"") || l.starts_with("{ \"trace\"")
        })
}

impl Engine {
    /// Judges a session trace; file references are relative to `base`.
    pub fn check_trace(&self, input: &str, bytes: &[u8], base: &Path) -> CheckResult {
        let text = String::from_utf8_lossy(bytes);
        match trace::read(&text, base) {
            Ok(t) if t.events.is_empty() => CheckResult::error(
                input,
                "session-trace",
                "nothing in it could be checked: the trace has no events".into(),
            ),
            Ok(t) => {
                let mut r = self.judge_trace(input, &t, "session-trace");
                if r.verdict != Verdict::Error {
                    let events = crate::render::counted(t.events.len(), "event", "events");
                    r.notes.insert(0, events);
                }
                r
            }
            Err(e) => CheckResult::error(
                input,
                "session-trace",
                format!("cannot read the trace: {e}"),
            ),
        }
    }

    /// Judges the events of a trace, then the session rules (`kind`: session-trace, pcap).
    pub(super) fn judge_trace(&self, input: &str, t: &trace::Trace, kind: &str) -> CheckResult {
        let mut findings: Vec<Finding> = Vec::new();
        let mut rule_outcomes: Vec<RuleOutcome> = Vec::new();
        let mut notes = Vec::new();
        let mut unjudged = Vec::new();
        let mut sip =
            crate::sip::capture::Collector::new(&[], usize::MAX, self.settings.limits.max_bytes);
        for e in &t.events {
            let place = format!("event {}", e.number);
            match &e.body {
                EventBody::Http(ex) => {
                    let (f, o, n) = self.judge_exchange(ex);
                    findings.extend(f.into_iter().map(|mut f| {
                        f.location.context = Some(format!(
                            "{place}: {}",
                            f.location.context.take().unwrap_or_default()
                        ));
                        f
                    }));
                    merge_outcomes(&mut rule_outcomes, o);
                    notes.extend(n);
                }
                EventBody::Udp { message } | EventBody::Sms { message } => {
                    let r = self.judge_pushed(&place, e, message);
                    if let Some(why) = &r.error {
                        unjudged.push(format!("{place}: {why}"));
                    }
                    findings.extend(r.findings.into_iter().map(|mut f| {
                        f.location.context = Some(place.clone());
                        f
                    }));
                    merge_outcomes(&mut rule_outcomes, Arc::unwrap_or_clone(r.rules));
                }
                EventBody::Flute { .. } => {}
                EventBody::Sip { text } => sip.add(&place, text),
            }
        }
        // The SIP events, judged together: requests pair with responses across events.
        let gathered = sip.finish();
        if !gathered.origins.is_empty() {
            let r = self.judge_sip(input, &gathered.text, Some(&gathered));
            match &r.error {
                Some(why) => unjudged.push(format!("the SIP events: {why}")),
                None => {
                    findings.extend(r.findings);
                    merge_outcomes(&mut rule_outcomes, Arc::unwrap_or_clone(r.rules));
                    notes.extend(r.notes);
                }
            }
        }
        if !unjudged.is_empty() {
            const SHOWN: usize = 3;
            let mut list = unjudged[..unjudged.len().min(SHOWN)].join("; ");
            if unjudged.len() > SHOWN {
                let more = crate::render::counted(unjudged.len() - SHOWN, "event", "events");
                list.push_str(&format!("; and {more} more"));
            }
            if unjudged.len() == t.events.len() {
                return CheckResult::error(
                    input,
                    kind,
                    format!("nothing in it could be checked: {list}"),
                );
            }
            let n = crate::render::counted(unjudged.len(), "event was", "events were");
            notes.push(format!("{n} not judged: {list}"));
        }
        let (own, o) = self.session(t, kind);
        merge_outcomes(&mut rule_outcomes, o);
        findings.extend(own);
        findings.sort_by(|a, b| {
            (event_of(a), &a.rule, &a.message).cmp(&(event_of(b), &b.rule, &b.message))
        });
        let mut result = judged(input, kind.into(), findings, rule_outcomes, notes, None);
        self.complete_outcomes(
            &mut result,
            &[
                Domain::Xml,
                Domain::Mikey,
                Domain::Exchange,
                Domain::Trace,
                Domain::Sip,
            ],
        );
        result
    }
}

impl Engine {
    /// Judges a MIKEY message pushed over UDP or SMS (a trace or capture event) by the rules
    /// of its profile. An LTKM pushed over UDP or SMS may rightly carry no key (a pull
    /// trigger): the delivery is passed on, and BCAST-DLV-08 (HTTP only) does not apply.
    pub(super) fn judge_pushed(
        &self,
        place: &str,
        e: &trace::Event,
        message: &[u8],
    ) -> CheckResult {
        // The profile: the event's role, else what the message shows (Key IDs, data type);
        // the message is read as MIKEY either way, so a broken one gets structure findings.
        let profile = match e.role.as_deref() {
            Some("mtk") => "mtk",
            Some("msk") => "msk",
            None => {
                let facts = trace::facts::MikeyFacts::of(message);
                if facts.is_mtk() {
                    "mtk"
                } else {
                    super::mikey::Inferred::of(&crate::mikey::decode(message)).name()
                }
            }
            _ => "mikey",
        };
        let delivery = match &e.body {
            EventBody::Sms { .. } => Delivery::Sms,
            _ => Delivery::Udp,
        };
        self.check_mikey_delivered(place, message, Some(profile), Some(delivery))
    }

    /// The session rules of `kind` over a whole trace: their findings (each naming its event)
    /// and outcomes.
    pub(super) fn session(&self, t: &trace::Trace, kind: &str) -> (Vec<Finding>, Vec<RuleOutcome>) {
        let plan = self.plan(Domain::Trace, &[kind.to_string()], None);
        let ctx = TraceCtx {
            trace: t,
            settings: &self.settings,
        };
        let mut own = Vec::new();
        for rule in &plan.applied {
            let Judge::Trace(check) = rule.check.kind().judge() else {
                continue;
            };
            for h in check.trace(&ctx) {
                let location = Location {
                    context: Some(format!("event {}", h.event)),
                    ..Location::default()
                };
                own.push(self.make_finding(rule, h.vars, location));
            }
        }
        let o = outcomes(&plan, &own);
        (own, o)
    }
}

/// The event number a finding names, for ordering.
fn event_of(f: &Finding) -> (usize, u32, u32) {
    let n = f
        .location
        .context
        .as_deref()
        .and_then(|c| c.strip_prefix("event "))
        .and_then(|c| c.split(|ch: char| !ch.is_ascii_digit()).next())
        .and_then(|d| d.parse().ok())
        .unwrap_or(0);
    (n, f.location.line, f.location.column)
}

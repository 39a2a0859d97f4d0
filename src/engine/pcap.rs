//! Judging a packet capture as a stream: each UDP MIKEY datagram is judged by the MIKEY rules
//! as it is read and then let go, so a capture of any length is read in flat memory. The
//! session rules that need no HTTP (verification messages, MTK verification, key freshness)
//! judge each terminal's datagrams in order; what they keep per terminal is bounded
//! (`limits.session_events` in all), and a terminal whose datagrams had to be dropped gets
//! those rules reported as not applicable, with a note, never as passed. Findings name the
//! frame.

use super::datagram::{Judged, Plans};
use super::merge::{merge_outcomes, Tally};
use super::{judged, Engine};
use crate::checks::kind::Domain;
use crate::finding::{CheckResult, Finding, FindingVerdict, RuleOutcome, Status, Verdict};
use crate::pcap::{self, Cut, Datagram};
use crate::trace::facts::MikeyFacts;
use crate::trace::{Event, EventBody, Trace};
use std::collections::BTreeMap;
use std::sync::Arc;

/// A datagram as a trace event; its number is its frame number.
pub fn event_of(d: &Datagram) -> Event {
    Event {
        number: d.frame,
        at: Some(pcap::timestamp(d)),
        from: Some(d.src.clone()),
        to: Some(d.dst.clone()),
        role: None,
        body: EventBody::Udp {
            message: d.payload.clone(),
        },
        facts: Default::default(),
    }
}

/// A datagram as a trace event kept for the session rules: no timestamp (they read none),
/// its MIKEY facts already known.
fn event_of_kept(d: Datagram, facts: MikeyFacts) -> Event {
    Event {
        number: d.frame,
        at: None,
        from: Some(d.src),
        to: Some(d.dst),
        role: None,
        body: EventBody::Udp { message: d.payload },
        facts: std::sync::OnceLock::from(facts),
    }
}

/// The datagrams of a capture as trace events (UDP, in capture order).
pub fn events_of(datagrams: &[Datagram]) -> Vec<Event> {
    datagrams.iter().map(event_of).collect()
}

/// The address of the terminal a datagram concerns: the sender of a verification message,
/// the receiver of anything else (a push from the BSM / BM-SC).
fn terminal_of(d: &Datagram, facts: &MikeyFacts) -> String {
    let endpoint = if facts.is_verification() {
        &d.src
    } else {
        &d.dst
    };
    match endpoint.rsplit_once(':') {
        Some((host, _port)) => host.to_string(),
        None => endpoint.clone(),
    }
}

/// What the session rules keep of a capture: each terminal's datagrams, within a budget.
#[derive(Default)]
struct Sessions {
    kept: BTreeMap<String, Vec<Event>>,
    /// Terminals whose datagrams were dropped, with how many had been read for them.
    dropped: BTreeMap<String, usize>,
    total: usize,
}

impl Sessions {
    fn add(&mut self, terminal: String, event: Event, budget: usize) {
        if let Some(n) = self.dropped.get_mut(&terminal) {
            *n += 1;
            return;
        }
        self.kept.entry(terminal).or_default().push(event);
        self.total += 1;
        while self.total > budget {
            // Drop the terminal that holds the most: the fewest terminals lose their verdict.
            let Some(biggest) = self
                .kept
                .iter()
                .max_by_key(|(t, e)| (e.len(), std::cmp::Reverse((*t).clone())))
                .map(|(t, _)| t.clone())
            else {
                break;
            };
            let events = self.kept.remove(&biggest).unwrap_or_default();
            self.total -= events.len();
            self.dropped.insert(biggest, events.len());
        }
    }
}

/// Findings of one input, at most `max` listed; the rest counted per rule.
struct Listed {
    findings: Vec<Finding>,
    max: usize,
    unlisted: BTreeMap<String, usize>,
}

impl Listed {
    fn push(&mut self, f: Finding) {
        if self.findings.len() < self.max {
            self.findings.push(f);
        } else {
            *self.unlisted.entry(f.rule).or_default() += 1;
        }
    }
}

impl Engine {
    pub fn check_pcap(&self, input: &str, bytes: &[u8]) -> CheckResult {
        self.check_pcap_stream(input, bytes)
    }

    /// Judges a capture read from `reader`, in flat memory whatever its length.
    pub fn check_pcap_stream(&self, input: &str, reader: impl std::io::Read + Send) -> CheckResult {
        self.unchecked_if_nothing_applied(self.judge_pcap_stream(input, reader))
    }

    fn judge_pcap_stream(&self, input: &str, reader: impl std::io::Read + Send) -> CheckResult {
        let limits = &self.settings.limits;
        let mut listed = Listed {
            findings: Vec::new(),
            max: limits.max_findings,
            unlisted: BTreeMap::new(),
        };
        let mut tally = Tally::new(self.rules.rules.len());
        let mut plans = Plans::default();
        let mut sessions = Sessions::default();
        let mut read = 0usize;
        let mut unjudged: Vec<String> = Vec::new();
        let mut unjudged_count = 0usize;
        let mut sink = |d: Datagram| {
            read += 1;
            let place = || format!("frame {} ({} -> {})", d.frame, d.src, d.dst);
            let (judged, facts) = self.judge_datagram(&d.payload, &mut plans, &mut tally);
            match judged {
                Judged::Unjudged(why) => {
                    unjudged_count += 1;
                    if unjudged.len() < 3 {
                        unjudged.push(format!("{}: {why}", place()));
                    }
                }
                Judged::Findings(findings) if !findings.is_empty() => {
                    let place = place();
                    for mut f in findings {
                        f.location.context = Some(place.clone());
                        listed.push(f);
                    }
                }
                Judged::Findings(_) => {}
            }
            // The session rules read no timestamps: what is kept stays small.
            let terminal = terminal_of(&d, &facts);
            sessions.add(terminal, event_of_kept(d, facts), limits.session_events);
        };
        let sip = &self.settings.sip;
        let mut collector =
            crate::sip::capture::Collector::new(&sip.ports, sip.max_tcp_buffer, limits.max_bytes);
        let read_capture =
            pcap::stream_observed(reader, &self.settings.pcap_ports, &mut sink, &mut |f| {
                collector.frame(f)
            });
        let capture = match read_capture {
            Ok(c) => c,
            Err(e) => {
                return CheckResult::error(input, "pcap", format!("cannot read the capture: {e}"))
            }
        };
        let gathered = collector.finish();
        let sip_result = (!gathered.origins.is_empty())
            .then(|| self.judge_sip(input, &gathered.text, Some(&gathered)));
        if read == 0 {
            if let Some(mut r) = sip_result {
                // SIP only: the SIP result, with what else the capture held.
                r.kind = "pcap".into();
                r.notes.insert(
                    0,
                    format!(
                        "SIP on ports {:?} (setting sip.ports) of {}",
                        sip.ports,
                        capture.describe()
                    ),
                );
                r.notes.extend(gathered.notes);
                let (cut, o) = self.capture_complete(&capture);
                r.notes.extend(capture.cut.as_ref().map(Cut::to_string));
                r.findings.extend(cut);
                merge_outcomes(Arc::make_mut(&mut r.rules), o);
                self.complete_outcomes(
                    &mut r,
                    &[Domain::Mikey, Domain::Trace, Domain::Sip, Domain::Xml],
                );
                return r;
            }
        }
        let ports = self
            .settings
            .pcap_ports
            .iter()
            .map(u16::to_string)
            .collect::<Vec<_>>()
            .join(", ");
        if read == 0 {
            // Nothing to judge is not conformance: say what the capture held instead.
            return CheckResult::error(
                input,
                "pcap",
                format!(
                    "nothing in it could be checked: {}; no UDP datagram on the MIKEY ports {ports} (setting pcap_ports), no SIP on ports {:?} (setting sip.ports){}{}",
                    capture.describe(),
                    sip.ports,
                    if gathered.notes.is_empty() { String::new() } else { format!(" ({})", gathered.notes.join("; ")) },
                    capture.cut.as_ref().map_or(String::new(), |c| format!("; {c}")),
                ),
            );
        }
        if unjudged_count == read && sip_result.is_none() {
            return CheckResult::error(
                input,
                "pcap",
                format!(
                    "nothing in it could be checked: {}{}{}",
                    unjudged.join("; "),
                    more(unjudged_count, unjudged.len()),
                    capture
                        .cut
                        .as_ref()
                        .map_or(String::new(), |c| format!("; {c}")),
                ),
            );
        }
        let mut notes = Vec::new();
        let frames = crate::plural::counted(capture.frames, "frame", "frames");
        let datagrams = crate::plural::counted(read, "MIKEY datagram", "MIKEY datagrams");
        let others = capture.others();
        let rest = if others.is_empty() {
            String::new()
        } else {
            format!("; not read: {others}")
        };
        notes.push(format!(
            "{datagrams} on UDP ports {ports}, of {frames}{rest}"
        ));
        if unjudged_count > 0 {
            let n = crate::plural::counted(unjudged_count, "datagram was", "datagrams were");
            notes.push(format!(
                "{n} not judged: {}{}",
                unjudged.join("; "),
                more(unjudged_count, unjudged.len())
            ));
        }
        notes.extend(capture.cut.as_ref().map(Cut::to_string));
        let mut rule_outcomes = tally.into_outcomes(&self.rules.rules);
        let (cut, o) = self.capture_complete(&capture);
        cut.into_iter().for_each(|f| listed.push(f));
        merge_outcomes(&mut rule_outcomes, o);
        // The session rules, one terminal at a time.
        for events in std::mem::take(&mut sessions.kept).into_values() {
            let trace = Trace {
                resolve: BTreeMap::new(),
                events,
            };
            let by_number: BTreeMap<usize, &Event> =
                trace.events.iter().map(|e| (e.number, e)).collect();
            let (mut findings, mut o) = self.session(&trace, "pcap");
            if let Some(cut) = &capture.cut {
                self.rest_on_the_whole_capture(&mut findings, &mut o, cut);
            }
            for mut f in findings {
                if let Some(c) = &f.location.context {
                    f.location.context = Some(name_frames(c, &by_number));
                }
                f.message = name_frames(&f.message, &by_number);
                listed.push(f);
            }
            merge_outcomes(&mut rule_outcomes, o);
        }
        if !sessions.dropped.is_empty() {
            let list: Vec<String> = sessions
                .dropped
                .iter()
                .map(|(t, n)| format!("{t} ({n} datagrams)"))
                .collect();
            let why = format!(
                "the session state of {} was dropped (more than limits.session_events = {} MIKEY datagrams kept in all): {}",
                crate::plural::counted(list.len(), "terminal", "terminals"),
                limits.session_events,
                list.join(", ")
            );
            notes.push(format!(
                "session rules not applied to some terminals: {why}"
            ));
            // A session rule that found nothing is incomplete, never a pass: it did not run
            // for the dropped terminals (whether or not it ran for others), so the input's
            // verdict is `incomplete` unless something failed.
            let plan = self.plan(Domain::Trace, &["pcap".to_string()], None);
            for r in plan.applied {
                if r.check.name() == "capture_complete" {
                    continue; // judged from the file as read, not from the sessions
                }
                let outcome = crate::finding::INCOMPLETE;
                match rule_outcomes.iter_mut().find(|o| o.rule == r.id) {
                    Some(o) if o.verdict == "pass" || !o.applied() => {
                        o.verdict = outcome;
                        o.reason = Some(why.as_str().into());
                    }
                    Some(_) => {}
                    None => rule_outcomes.push(RuleOutcome {
                        rule: r.id.clone(),
                        verdict: outcome,
                        reason: Some(why.as_str().into()),
                    }),
                }
            }
        }
        if !listed.unlisted.is_empty() {
            let per_rule = listed.unlisted.iter().map(|(r, n)| (r.as_str(), *n));
            notes.push(crate::finding::unlisted_note(listed.max, per_rule));
        }
        if let Some(r) = sip_result {
            for f in r.findings {
                listed.push(f);
            }
            merge_outcomes(&mut rule_outcomes, Arc::unwrap_or_clone(r.rules));
            notes.extend(r.notes);
            notes.extend(gathered.notes);
        }
        let mut findings = listed.findings;
        findings.sort_by(|a, b| {
            (frame_of(a), &a.rule, &a.message).cmp(&(frame_of(b), &b.rule, &b.message))
        });
        let mut r = judged(input, "pcap".into(), findings, rule_outcomes, notes, None);
        // A capture with unlisted failures is no less non-conformant.
        if r.verdict == Verdict::Conformant && !listed.unlisted.is_empty() {
            r.verdict = Verdict::NonConformant;
        }
        self.complete_outcomes(
            &mut r,
            &[Domain::Mikey, Domain::Trace, Domain::Sip, Domain::Xml],
        );
        r
    }
}

impl Engine {
    /// The rule that a capture ends with a whole block (check `capture_complete`), judged as
    /// the capture was read: its finding at the last frame read whole when the capture is cut
    /// off, and its outcome. Nothing when the run leaves the rule out (it is then reported
    /// not applicable, with the reason).
    fn capture_complete(&self, capture: &pcap::Capture) -> (Vec<Finding>, Vec<RuleOutcome>) {
        let rule = self
            .rules
            .rules
            .iter()
            .find(|r| r.check.name() == "capture_complete");
        let Some(rule) = rule.filter(|r| self.excluded(&r.id).is_none()) else {
            return (Vec::new(), Vec::new());
        };
        let findings: Vec<Finding> = capture
            .cut
            .iter()
            .map(|cut| {
                let location = crate::finding::Location {
                    context: Some(format!("frame {}", cut.after_frame)),
                    ..Default::default()
                };
                let vars = vec![
                    ("detail", cut.to_string()),
                    ("frame", cut.after_frame.to_string()),
                ];
                self.make_finding(rule, vars, location)
            })
            .collect();
        let verdict = findings.first().map_or("pass", |f| f.verdict.as_str());
        let outcome = RuleOutcome {
            rule: rule.id.clone(),
            verdict,
            reason: None,
        };
        (findings, vec![outcome])
    }
}

impl Engine {
    /// The session rules' findings on a capture cut off: each rests on the capture holding
    /// the whole session, which it may not (a verification message may have been after the
    /// cut), so each is provisional, a warning unless `--strict`, and says so. The frames'
    /// own findings (each read whole) stand as they are.
    fn rest_on_the_whole_capture(
        &self,
        findings: &mut [Finding],
        o: &mut [RuleOutcome],
        cut: &Cut,
    ) {
        for f in findings.iter_mut() {
            f.status = Status::Provisional;
            f.verdict = FindingVerdict::of(f.severity, Status::Provisional, self.strict);
            f.message.push_str(&format!(
                " [provisional: assumes the capture holds the whole session; it is cut off after frame {}]",
                cut.after_frame
            ));
        }
        for outcome in o.iter_mut().filter(|o| o.applied()) {
            let worst = findings
                .iter()
                .filter(|f| f.rule == outcome.rule)
                .map(|f| f.verdict)
                .min();
            outcome.verdict = worst.map_or("pass", FindingVerdict::as_str);
        }
    }
}

fn more(total: usize, shown: usize) -> String {
    if total > shown {
        format!("; and {} more", total - shown)
    } else {
        String::new()
    }
}

/// The frame number a finding names, for ordering.
fn frame_of(f: &Finding) -> usize {
    f.location
        .context
        .as_deref()
        .and_then(|c| c.strip_prefix("frame "))
        .and_then(|c| c.split(|ch: char| !ch.is_ascii_digit()).next())
        .and_then(|d| d.parse().ok())
        .unwrap_or(0)
}

/// `event N` (the datagram of frame N) replaced by `frame N (src -> dst)` wherever it occurs.
fn name_frames(text: &str, events: &BTreeMap<usize, &Event>) -> String {
    const EVENT: &str = "event ";
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(EVENT) {
        let after = &rest[at + EVENT.len()..];
        let digits = after.len() - after.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        let event = after[..digits]
            .parse::<usize>()
            .ok()
            .and_then(|n| events.get(&n));
        out.push_str(&rest[..at]);
        match event {
            Some(e) => out.push_str(&format!(
                "frame {} ({} -> {})",
                e.number,
                e.from.as_deref().unwrap_or("?"),
                e.to.as_deref().unwrap_or("?")
            )),
            None => out.push_str(&rest[at..at + EVENT.len() + digits]),
        }
        rest = &after[digits..];
    }
    out.push_str(rest);
    out
}

/// The MIKEY messages of a capture, for `decode`: what `check_pcap_stream` judges, each UDP
/// datagram on the MIKEY ports and each application/mikey body of the SIP on the SIP ports
/// (over UDP and TCP), in frame order; and a note when the capture is cut off (the messages
/// before the cut are listed).
pub(crate) fn messages(
    settings: &crate::settings::Settings,
    bytes: &[u8],
) -> Result<(Vec<super::mikey::FoundMessage>, Vec<String>), String> {
    use super::mikey::FoundMessage;
    let mut found: Vec<(usize, FoundMessage)> = Vec::new();
    let mut sink = |d: Datagram| {
        let place = format!("frame {} ({} -> {})", d.frame, d.src, d.dst);
        let m = FoundMessage {
            frame: Some(d.frame),
            src: Some(d.src),
            dst: Some(d.dst),
            ..FoundMessage::at(place, Ok(d.payload))
        };
        found.push((d.frame, m));
    };
    let sip = &settings.sip;
    let mut collector = crate::sip::capture::Collector::new(
        &sip.ports,
        sip.max_tcp_buffer,
        settings.limits.max_bytes,
    );
    let capture = pcap::stream_observed(bytes, &settings.pcap_ports, &mut sink, &mut |f| {
        collector.frame(f)
    })
    .map_err(|e| format!("cannot read the capture: {e}"))?;
    let gathered = collector.finish();
    if !gathered.origins.is_empty() {
        for m in super::sip::mikey_bodies(settings, &gathered.text, Some(&gathered)) {
            found.push((first_frame(&m.place), m));
        }
    }
    found.sort_by_key(|(frame, _)| *frame);
    let notes = capture.cut.iter().map(Cut::to_string).collect();
    Ok((found.into_iter().map(|(_, m)| m).collect(), notes))
}

/// The first frame number a place names (`frame 7 (UDP …)`, `TCP … (frame 7)`).
fn first_frame(place: &str) -> usize {
    place
        .find("frame ")
        .map(|at| &place[at + "frame ".len()..])
        .and_then(|rest| rest.split(|c: char| !c.is_ascii_digit()).next())
        .and_then(|d| d.parse().ok())
        .unwrap_or(usize::MAX)
}

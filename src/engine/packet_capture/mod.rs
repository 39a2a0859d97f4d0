//! Judging a packet capture (pcap or pcapng; the reader is `crate::pcap`) as a stream: each UDP MIKEY datagram is judged by the MIKEY rules
//! as it is read and then let go, so a capture of any length is read in flat memory. Each
//! datagram is also given, as a `trace::Event`, to the session engine (`engine::session`),
//! which folds the session rules over each terminal's events as they arrive, keeping facts,
//! not messages, within `limits.session_terminals` and `limits.session_window`; what goes past
//! a bound is reported incomplete for the terminal, never passed. Findings name the frame.
//! Its parts: `http.rs` the capture's HTTP exchanges, `flute.rs` its FLUTE sessions,
//! `messages.rs` its MIKEY messages for `decode`; the datagrams' plans and tallies are
//! `super::mikey_stream`.

mod flute;
mod http;
mod messages;

pub(crate) use messages::messages;

use super::merge::{merge_outcomes, Tally};
use super::mikey_stream::{Judged, Plans};
use super::{judged, Engine};
use crate::checks::kind::Domain;
use crate::exchange::stream::Captured;
use crate::finding::{
    CheckResult, Finding, FindingVerdict, Listed, Outcome, RuleOutcome, Status, Verdict,
};
use crate::pcap::{self, Cut, Datagram};
use crate::trace::facts::MikeyFacts;
use crate::trace::{Event, EventBody};
use std::cell::RefCell;
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

/// An HTTP exchange of a capture as a trace event for the session rules: the session engine
/// keys it by its sender, the client (the terminal). Its number is the frame it completed
/// in; a request left without a response is known only when its connection closes or the
/// capture ends, and is given to the session rules then, numbered by the request's last
/// frame.
fn http_event(c: Captured) -> Event {
    Event {
        number: c.frame,
        at: None,
        from: Some(c.client),
        to: Some(c.server),
        role: None,
        body: EventBody::Http(Box::new(c.exchange)),
        facts: Default::default(),
    }
}

/// The datagrams of a capture as trace events (UDP, in capture order).
pub fn events_of(datagrams: &[Datagram]) -> Vec<Event> {
    datagrams.iter().map(event_of).collect()
}

/// What one pass over a capture gathered ([`Engine::read_pass`]), before the result is put
/// together.
struct Pass<'e> {
    listed: Listed,
    tally: Tally,
    folds: super::session::SessionFolds<'e>,
    capture: pcap::Capture,
    /// MIKEY datagrams read, and those that could not be judged (at most 3 named).
    read: usize,
    unjudged: Vec<String>,
    unjudged_count: usize,
    flute: flute::FluteTally,
    flute_summary: crate::flute::session::Summary,
    http_judged: http::HttpJudged,
    http_summary: crate::exchange::stream::Summary,
    gathered: crate::sip::capture::Gathered,
}

impl Engine {
    pub fn check_pcap(&self, input: &str, bytes: &[u8]) -> CheckResult {
        self.check_pcap_stream(input, bytes)
    }

    /// Judges a capture read from `reader`, in flat memory whatever its length.
    pub fn check_pcap_stream(&self, input: &str, reader: impl std::io::Read + Send) -> CheckResult {
        self.unchecked_if_nothing_applied(self.judge_pcap_stream(input, reader))
    }

    /// Reads a capture in one pass: each MIKEY datagram judged and given to the session
    /// folds as it is read, the HTTP exchanges and FLUTE objects likewise, the SIP gathered.
    fn read_pass(&self, reader: impl std::io::Read + Send) -> Result<Pass<'_>, String> {
        let limits = &self.settings.limits;
        // Shared by the reader of UDP datagrams and the reader of every frame (HTTP, SIP).
        let listed = RefCell::new(Listed::new(limits.max_findings));
        let mut tally = Tally::new(self.rules.rules.len());
        let mut plans = Plans::default();
        // The session rules, folded over the datagrams as they are read, per terminal.
        let folds = RefCell::new(self.session_folds(
            "pcap",
            super::session::Keying::ByAddress,
            super::session::Naming::Frames,
            BTreeMap::new(),
        ));
        let mut read = 0usize;
        let mut unjudged: Vec<String> = Vec::new();
        let mut unjudged_count = 0usize;
        // FLUTE packets go to their collector as they are read; the events it hands on are
        // taken in capture order before the next MIKEY datagram (and at the end).
        let flute_collector =
            RefCell::new(crate::flute::session::Collector::new(&self.settings.flute));
        let flute = RefCell::new(flute::FluteTally::default());
        let take_flute = |collector: &mut crate::flute::session::Collector| {
            for e in collector.drain() {
                let (found, event) = self.flute_event(e, &mut flute.borrow_mut());
                let found = found.into_iter().chain(folds.borrow_mut().push(&event));
                found.for_each(|f| listed.borrow_mut().push(f));
            }
        };
        let mut sink = |d: Datagram| {
            take_flute(&mut flute_collector.borrow_mut());
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
                    let mut listed = listed.borrow_mut();
                    for mut f in findings {
                        f.location.context = Some(place.clone());
                        listed.push(f);
                    }
                }
                Judged::Findings(_) => {}
            }
            // The session rules read no timestamps.
            let found = folds.borrow_mut().push(&event_of_kept(d, facts));
            found.into_iter().for_each(|f| listed.borrow_mut().push(f));
        };
        let mut http = crate::exchange::stream::Collector::new(&self.settings.http);
        let mut http_judged = http::HttpJudged::default();
        let mut take_http = |http: &mut crate::exchange::stream::Collector| {
            for c in http.take_ready() {
                for f in self.judge_captured(&c, &mut http_judged) {
                    listed.borrow_mut().push(f);
                }
                let found = folds.borrow_mut().push(&http_event(c));
                found.into_iter().for_each(|f| listed.borrow_mut().push(f));
            }
        };
        let sip = &self.settings.sip;
        let mut collector =
            crate::sip::capture::Collector::new(&sip.ports, sip.max_tcp_buffer, limits.max_bytes);
        let options = pcap::Options {
            ports: &self.settings.pcap_ports,
            fragments: pcap::FragmentLimits {
                bytes: limits.fragment_bytes,
                frames: limits.fragment_frames,
            },
        };
        let read_capture = pcap::stream_with(
            reader,
            &options,
            &mut sink,
            &mut |f| {
                collector.frame(f);
                http.frame(f);
                take_http(&mut http);
            },
            &mut |u| flute_collector.borrow_mut().datagram(u),
        );
        let capture = read_capture.map_err(|e| format!("cannot read the capture: {e}"))?;
        let http_summary = http.finish(capture.frames);
        take_http(&mut http);
        let mut flute_collector = flute_collector.into_inner();
        take_flute(&mut flute_collector);
        let flute_summary = flute_collector.finish();
        take_flute(&mut flute_collector);
        let flute = flute.into_inner();
        let gathered = collector.finish();
        Ok(Pass {
            listed: listed.into_inner(),
            tally,
            folds: folds.into_inner(),
            capture,
            read,
            unjudged,
            unjudged_count,
            flute,
            flute_summary,
            http_judged,
            http_summary,
            gathered,
        })
    }

    fn judge_pcap_stream(&self, input: &str, reader: impl std::io::Read + Send) -> CheckResult {
        let Pass {
            mut listed,
            tally,
            folds,
            mut capture,
            read,
            unjudged,
            unjudged_count,
            mut flute,
            flute_summary,
            http_judged,
            http_summary,
            gathered,
        } = match self.read_pass(reader) {
            Ok(p) => p,
            Err(e) => return CheckResult::error(input, "pcap", e),
        };
        let (flute_notes, flute_incomplete) = self.flute_notes(&flute_summary, &flute);
        let sip_result = (!gathered.origins.is_empty())
            .then(|| self.judge_sip(input, &gathered.text, Some(&gathered)));
        // Something besides MIKEY datagrams and SIP that was judged: HTTP exchanges, FLUTE.
        let http_read = http_summary.exchanges > 0 || flute.judged() > 0;
        if read == 0 && !http_read {
            if let Some(r) = sip_result {
                return self.sip_only(r, &capture, gathered, http_summary);
            }
        }
        let ports = self
            .settings
            .pcap_ports
            .iter()
            .map(u16::to_string)
            .collect::<Vec<_>>()
            .join(", ");
        if read == 0 && !http_read {
            return self.nothing_checked(
                input,
                &capture,
                &ports,
                &flute_notes,
                &gathered,
                &http_summary,
            );
        }
        if read > 0 && unjudged_count == read && sip_result.is_none() && !http_read {
            let cut = capture
                .cut
                .as_ref()
                .map_or(String::new(), |c| format!("; {c}"));
            return CheckResult::error(
                input,
                "pcap",
                format!(
                    "nothing in it could be checked: {}{}{cut}",
                    unjudged.join("; "),
                    more(unjudged_count, unjudged.len()),
                ),
            );
        }
        let mut notes = Vec::new();
        let frames = crate::plural::counted(capture.frames, "frame", "frames");
        let datagrams = crate::plural::counted(read, "MIKEY datagram", "MIKEY datagrams");
        if http_summary.exchanges > 0 {
            // Frames on the HTTP ports were read (as HTTP), not left unread.
            for p in &self.settings.http.ports {
                capture.other.remove(&format!("TCP {p}"));
            }
        }
        let others = capture.others();
        let rest = if others.is_empty() {
            String::new()
        } else {
            format!("; not read: {others}")
        };
        notes.push(format!(
            "{datagrams} on UDP ports {ports}, of {frames}{rest}"
        ));
        notes.extend(flute_notes);
        let mut not_judged = None;
        if unjudged_count > 0 {
            let n = crate::plural::counted(unjudged_count, "datagram was", "datagrams were");
            let note = format!(
                "{n} not judged: {}{}",
                unjudged.join("; "),
                more(unjudged_count, unjudged.len())
            );
            not_judged = Some(Arc::from(note.as_str()));
            notes.push(note);
        }
        notes.extend(capture.cut.as_ref().map(Cut::to_string));
        let mut rule_outcomes = tally.into_outcomes(&self.rules.rules);
        merge_outcomes(&mut rule_outcomes, std::mem::take(&mut flute.outcomes));
        let (cut, o) = self.capture_complete(&capture);
        cut.into_iter().for_each(|f| listed.push(f));
        merge_outcomes(&mut rule_outcomes, o);
        // The session rules' last findings (what still awaits an answer) and outcomes.
        let end = folds.finish();
        end.findings.into_iter().for_each(|f| listed.push(f));
        let mut session_outcomes = end.outcomes;
        if let Some(cut) = &capture.cut {
            self.rest_on_the_whole_capture(&mut listed.findings, &mut session_outcomes, cut);
        }
        merge_outcomes(&mut rule_outcomes, session_outcomes);
        notes.extend(end.notes);
        self.settle_http(http_judged, http_summary, &mut rule_outcomes, &mut notes);
        if let Some(why) = &flute_incomplete {
            self.session_rules_incomplete(&mut rule_outcomes, why);
        }
        notes.extend(listed.note());
        if let Some(r) = sip_result {
            for f in r.findings {
                listed.push(f);
            }
            merge_outcomes(&mut rule_outcomes, Arc::unwrap_or_clone(r.rules));
            notes.extend(r.notes);
            notes.extend(gathered.notes);
        }
        if let Some(c) = &capture.cut {
            self.judged_before_the_cut(&mut rule_outcomes, c);
        }
        if let Some(why) = &not_judged {
            // The MIKEY and session rules did not judge those datagrams.
            crate::finding::judged_in_part(&mut rule_outcomes, why, |id| {
                self.rules.get(id).is_some_and(|r| {
                    !matches!(r.check.domain(), Domain::Mikey | Domain::Trace)
                        || r.check.name() == "capture_complete"
                })
            });
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
    /// A capture in which nothing could be checked: not conformance, an error saying what
    /// the capture held instead.
    fn nothing_checked(
        &self,
        input: &str,
        capture: &pcap::Capture,
        ports: &str,
        flute_notes: &[String],
        gathered: &crate::sip::capture::Gathered,
        http_summary: &crate::exchange::stream::Summary,
    ) -> CheckResult {
        let mut all = flute_notes.to_vec();
        all.extend(gathered.notes.iter().cloned());
        all.extend(http_summary.notes.iter().cloned());
        all.extend(
            http_summary
                .tls
                .iter()
                .map(|c| format!("{c}: TLS, not readable")),
        );
        let held = if all.is_empty() {
            String::new()
        } else {
            format!(" ({})", all.join("; "))
        };
        let cut = capture
            .cut
            .as_ref()
            .map_or(String::new(), |c| format!("; {c}"));
        CheckResult::error(
            input,
            "pcap",
            format!(
                "nothing in it could be checked: {}; no UDP datagram on the MIKEY ports {ports} (setting pcap_ports), no SIP on ports {:?} (setting sip.ports), no HTTP on TCP ports {:?} (setting http.ports), no FLUTE MTK object or FDT instance{held}{cut}",
                capture.describe(),
                self.settings.sip.ports,
                self.settings.http.ports,
            ),
        )
    }

    /// A capture of SIP only: the SIP result, with what else the capture held.
    fn sip_only(
        &self,
        mut r: CheckResult,
        capture: &pcap::Capture,
        gathered: crate::sip::capture::Gathered,
        http_summary: crate::exchange::stream::Summary,
    ) -> CheckResult {
        let sip = &self.settings.sip;
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
        r.notes.extend(http_summary.notes);
        r.notes.extend(
            http_summary
                .tls
                .iter()
                .map(|c| format!("{c}: TLS, not read")),
        );
        let (cut, o) = self.capture_complete(capture);
        r.notes.extend(capture.cut.as_ref().map(Cut::to_string));
        r.findings.extend(cut);
        merge_outcomes(Arc::make_mut(&mut r.rules), o);
        if let (Some(c), false) = (&capture.cut, r.verdict == Verdict::Error) {
            let rules: &mut Vec<RuleOutcome> = Arc::make_mut(&mut r.rules);
            self.judged_before_the_cut(rules, c);
            r.verdict = Verdict::of(&r.findings, &r.rules);
        }
        self.complete_outcomes(
            &mut r,
            &[Domain::Mikey, Domain::Trace, Domain::Sip, Domain::Xml],
        );
        r
    }

    /// Every session rule that found nothing becomes incomplete, for `why`: it did not run on
    /// part of the capture.
    fn session_rules_incomplete(&self, rule_outcomes: &mut Vec<RuleOutcome>, why: &str) {
        let plan = self.plan(Domain::Trace, &["pcap".to_string()], None);
        for r in plan.applied {
            if r.check.name() == "capture_complete" {
                continue; // judged from the file as read, not from the sessions
            }
            let incomplete = || Outcome::Incomplete(why.into());
            match rule_outcomes.iter_mut().find(|o| o.rule == r.id) {
                Some(o) if o.outcome == Outcome::Pass || !o.applied() => o.outcome = incomplete(),
                Some(_) => {}
                None => rule_outcomes.push(RuleOutcome::new(r.id.clone(), incomplete())),
            }
        }
    }

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
        let outcome = RuleOutcome::new(
            rule.id.clone(),
            Outcome::of_worst(findings.first().map(|f| f.verdict)),
        );
        (findings, vec![outcome])
    }
}

impl Engine {
    /// On a capture cut off, a rule that found nothing in the frames before the cut is
    /// incomplete, never a pass: the frames past the cut were not read. What a rule found
    /// stands, and a rule nothing applied stays not applicable; the rule that judges the cut
    /// itself (check `capture_complete`) judged the whole file.
    fn judged_before_the_cut(&self, outcomes: &mut [RuleOutcome], cut: &Cut) {
        let why: Arc<str> = format!(
            "judged up to frame {} only: the capture is cut off there, and what followed was not read",
            cut.after_frame
        )
        .into();
        crate::finding::judged_in_part(outcomes, &why, |id| {
            self.rules
                .get(id)
                .is_some_and(|r| r.check.name() == "capture_complete")
        });
    }

    /// The session rules' findings on a capture cut off: each rests on the capture holding
    /// the whole session, which it may not (a verification message may have been after the
    /// cut), so each is provisional, a warning unless `--strict`, and says so. The frames'
    /// own findings (each read whole) stand as they are. `o` are the session rules' outcomes.
    fn rest_on_the_whole_capture(
        &self,
        findings: &mut [Finding],
        o: &mut [RuleOutcome],
        cut: &Cut,
    ) {
        // Judged from the file as read (capture_complete), not from the sessions.
        let from_sessions = |id: &str| {
            self.rules
                .rules
                .iter()
                .any(|r| r.id == id && r.check.name() != "capture_complete")
        };
        let session_rule =
            |id: &str| from_sessions(id) && o.iter().any(|x| x.rule == id && x.applied());
        for f in findings.iter_mut().filter(|f| session_rule(&f.rule)) {
            f.status = Status::Provisional;
            f.verdict = FindingVerdict::of(f.severity, Status::Provisional, self.strict);
            f.message.push_str(&format!(
                " [provisional: assumes the capture holds the whole session; it is cut off after frame {}]",
                cut.after_frame
            ));
        }
        // A rule with findings (listed or only counted) fails no harder than provisionally.
        for outcome in o
            .iter_mut()
            .filter(|o| o.applied() && from_sessions(&o.rule))
        {
            let found = matches!(
                outcome.outcome,
                Outcome::Fail | Outcome::Warn | Outcome::Info
            );
            let rule = self.rules.rules.iter().find(|r| r.id == outcome.rule);
            if let (true, Some(rule)) = (found, rule) {
                outcome.outcome =
                    FindingVerdict::of(rule.severity, Status::Provisional, self.strict).into();
            }
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

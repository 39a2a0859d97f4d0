//! Judging a session trace: every event by the rules of its own kind (HTTP exchanges by the
//! exchange and payload rules, UDP MIKEY messages by their profile's rules, a FLUTE session's
//! FDT by the FDT rules and its MTK objects by the MTK rules), then the trace rules over the
//! whole session. Findings name the event (`where`).

use super::judgement::Judgement;
use super::{judged, merge::merge_outcomes, Engine};
use crate::checks::kind::{Delivery, Domain};
use crate::finding::{CheckResult, Finding, Outcome, RuleOutcome, Verdict};
use crate::trace::{self, EventBody};
use std::path::Path;
use std::sync::Arc;

impl Engine {
    /// Judges a session trace; file references are relative to `base` and stay inside it,
    /// or inside `--trace-root` when given (`widen_trace_root`).
    pub fn check_trace(&self, input: &str, bytes: &[u8], base: &Path) -> CheckResult {
        let text = String::from_utf8_lossy(bytes);
        // The folder of a trace read from stdin (`-`) or named without one is the current one.
        let base = if base.as_os_str().is_empty() {
            Path::new(".")
        } else {
            base
        };
        let root = self.trace_root.as_deref().unwrap_or(base);
        let folder = trace::Folder { base, root };
        let cannot_read = |e: trace::TraceError| {
            CheckResult::error(
                input,
                "session-trace",
                format!("cannot read the trace: {e}"),
            )
        };
        match trace::open(&text, &folder) {
            Ok(t) if t.is_empty() => CheckResult::error(
                input,
                "session-trace",
                "nothing in it could be checked: the trace has no events".into(),
            ),
            Ok(t) => {
                let n = t.len();
                let mut r = match self.judge_trace(input, t, "session-trace") {
                    Ok(r) => r,
                    Err(e) => return cannot_read(e),
                };
                if r.verdict != Verdict::Error {
                    let events = crate::plural::counted(n, "event", "events");
                    r.notes.insert(0, events);
                }
                r
            }
            Err(e) => cannot_read(e),
        }
    }

    /// Judges the events of a trace one at a time as they are read (each by the rules of
    /// its kind, and folded into the session rules), then the session's end; an event that
    /// cannot be read makes the whole trace unreadable (`Err`). At most
    /// `limits.max_findings` findings are kept.
    pub(super) fn judge_trace(
        &self,
        input: &str,
        events: trace::Opened,
        kind: &str,
    ) -> Result<CheckResult, trace::TraceError> {
        let mut listed = crate::finding::Listed::new(self.settings.limits.max_findings);
        let mut rule_outcomes: Vec<RuleOutcome> = Vec::new();
        let mut notes = Vec::new();
        // The first few events not judged are named, the rest counted.
        let mut unjudged = Vec::new();
        let mut unjudged_count = 0usize;
        let mut exchanges_unjudged = Vec::new();
        let mut sip =
            crate::sip::capture::Collector::new(&[], usize::MAX, self.settings.limits.max_bytes);
        let mut folds = self.session_folds(
            kind,
            super::session::Keying::Single,
            super::session::Naming::Events,
            events.resolve.clone(),
        );
        let total = events.len();
        for e in events {
            let e = e?;
            let place = format!("event {}", e.number);
            match &e.body {
                EventBody::Http(ex) => {
                    let j = self.judge_exchange(ex);
                    for mut f in j.findings {
                        f.location.context = Some(format!(
                            "{place}: {}",
                            f.location.context.take().unwrap_or_default()
                        ));
                        // Lines of the exchange's own text, not of the trace.
                        f.location.lines_in_embedded = true;
                        listed.push(f);
                    }
                    merge_outcomes(&mut rule_outcomes, j.outcomes);
                    notes.extend(j.notes);
                    exchanges_unjudged.extend(j.unjudged.into_iter().map(|mut u| {
                        // A trace labels its exchange by the event already.
                        if !u.place.starts_with(&place) {
                            u.place = match u.place.as_str() {
                                "" => place.clone(),
                                p => format!("{place}: {p}"),
                            };
                        }
                        u
                    }));
                }
                EventBody::Udp { message } | EventBody::Sms { message } => {
                    let r = self.judge_pushed(&place, &e, message);
                    if let Some(why) = &r.error {
                        unjudged_count += 1;
                        if unjudged.len() < UNJUDGED_SHOWN {
                            unjudged.push(format!("{place}: {why}"));
                        }
                    }
                    for mut f in r.findings {
                        f.location.context = Some(place.clone());
                        f.location.lines_in_embedded = true;
                        listed.push(f);
                    }
                    merge_outcomes(&mut rule_outcomes, Arc::unwrap_or_clone(r.rules));
                }
                EventBody::Flute { fdt, objects, .. } => {
                    let (j, not_judged) = self.judge_flute(&place, fdt, objects);
                    j.findings.into_iter().for_each(|f| listed.push(f));
                    merge_outcomes(&mut rule_outcomes, j.outcomes);
                    notes.extend(j.notes);
                    if let Some(why) = not_judged {
                        unjudged_count += 1;
                        if unjudged.len() < UNJUDGED_SHOWN {
                            unjudged.push(why);
                        }
                    }
                }
                EventBody::Sip { text } => sip.add(&place, text),
            }
            folds.push(&e).into_iter().for_each(|f| listed.push(f));
        }
        // The SIP events, judged together: requests pair with responses across events.
        let gathered = sip.finish();
        if !gathered.origins.is_empty() {
            let r = self.judge_sip(input, &gathered.text, Some(&gathered));
            match &r.error {
                Some(why) => {
                    unjudged_count += 1;
                    if unjudged.len() < UNJUDGED_SHOWN {
                        unjudged.push(format!("the SIP events: {why}"));
                    }
                }
                None => {
                    r.findings.into_iter().for_each(|f| listed.push(f));
                    merge_outcomes(&mut rule_outcomes, Arc::unwrap_or_clone(r.rules));
                    notes.extend(r.notes);
                }
            }
        }
        let mut events_not_judged = None;
        if unjudged_count > 0 {
            let mut list = unjudged.join("; ");
            if unjudged_count > UNJUDGED_SHOWN {
                let more =
                    crate::plural::counted(unjudged_count - UNJUDGED_SHOWN, "event", "events");
                list.push_str(&format!("; and {more} more"));
            }
            if unjudged_count == total {
                return Ok(CheckResult::error(
                    input,
                    kind,
                    format!("nothing in it could be checked: {list}"),
                ));
            }
            let n = crate::plural::counted(unjudged_count, "event was", "events were");
            notes.push(format!("{n} not judged: {list}"));
            events_not_judged = Some(Arc::from(format!("{n} not judged: {list}").as_str()));
        }
        super::http_capture::settle_unjudged(&mut rule_outcomes, &mut notes, &exchanges_unjudged);
        let end = folds.finish();
        let (own, o) = (end.findings, end.outcomes);
        notes.extend(end.notes);
        // Session rules judged without a request body (incomplete for that reason; the
        // session's own notes name the other parts not judged).
        let in_part: Vec<&RuleOutcome> = o
            .iter()
            .filter(|x| {
                matches!(&x.outcome, Outcome::Incomplete(why) if why.starts_with("judged without the request body"))
            })
            .collect();
        if let Some(why) = in_part.first().and_then(|x| x.outcome.reason()) {
            let ids: Vec<&str> = in_part.iter().map(|x| x.rule.as_str()).collect();
            notes.push(format!("{}: {why}", ids.join(", ")));
        }
        merge_outcomes(&mut rule_outcomes, o);
        self.no_event_read_as(&mut rule_outcomes);
        if let Some(why) = &events_not_judged {
            // Any rule might have judged the events that could not be.
            crate::finding::judged_in_part(&mut rule_outcomes, why, |_| false);
        }
        own.into_iter().for_each(|f| listed.push(f));
        notes.extend(listed.note());
        let mut findings = listed.findings;
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
        Ok(result)
    }
}

impl Engine {
    /// Judges what a FLUTE session event carries, each by the one entry point of its kind, as
    /// if it were checked alone: the FDT instance by the XML engine (its kind detected as for
    /// a standalone FDT file, so the FDT schema rules and MBMS-MTK-04M apply), and each object
    /// as an MTK message (a FLUTE object of a trace is an MTK object, docs/trace-format.md) by
    /// the MIKEY rules. FLUTE is carried over UDP (RFC 6726 over ALC, RFC 5775), so the
    /// objects are judged as delivered over UDP. Findings name the event and the FDT or object.
    /// Returns their judgement, and why nothing in the event could be judged, if nothing could.
    pub(super) fn judge_flute(
        &self,
        place: &str,
        fdt: &str,
        objects: &std::collections::BTreeMap<u64, Vec<u8>>,
    ) -> (Judgement, Option<String>) {
        let mut results = Vec::new();
        if !fdt.trim().is_empty() {
            results.push(self.check_xml(&format!("{place}, FDT"), fdt.as_bytes(), None));
        }
        for (toi, message) in objects {
            let at = format!("{place}, object TOI {toi}");
            let mut r = self.check_mikey_delivered(&at, message, Some("mtk"), Some(Delivery::Udp));
            // As for a UDP event: how the octets were read is no note of the trace's.
            r.notes.clear();
            results.push(r);
        }
        let mut j = Judgement::default();
        let mut failed = Vec::new();
        for r in results {
            let at = r.input.clone();
            if let Some(why) = &r.error {
                failed.push(format!("{at}: {why}"));
                continue;
            }
            let findings = r.findings.into_iter().map(|mut f| {
                f.location.context = Some(at.clone());
                // Lines of the FDT's (or object's) own text, not of the trace.
                f.location.lines_in_embedded = true;
                f
            });
            j.take(Judgement {
                findings: findings.collect(),
                outcomes: Arc::unwrap_or_clone(r.rules),
                notes: r.notes.iter().map(|n| format!("{at}: {n}")).collect(),
            });
        }
        // An event counts as not judged only when nothing in it was.
        if j.outcomes.is_empty() && !failed.is_empty() {
            return (j, Some(failed.join("; ")));
        }
        j.notes
            .extend(failed.into_iter().map(|f| format!("{f} (not judged)")));
        (j, None)
    }

    /// In a trace, a rule that no event applied is not applicable because nothing in the trace
    /// was read as its kinds: the reason one event gave ("the input was read as
    /// registration-request") is not the trace's, so it becomes the reason of a rule that
    /// nothing was read for.
    fn no_event_read_as(&self, outcomes: &mut [RuleOutcome]) {
        for o in outcomes.iter_mut() {
            let Outcome::NotApplicable(why) = &mut o.outcome else {
                continue;
            };
            if why.contains(super::READ_AS_OTHER_KIND) {
                if let Some(&i) = self.rule_position.get(&o.rule) {
                    *why = self.unread_reasons()[i].clone();
                }
            }
        }
    }

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
                    super::infer::Inferred::of(&crate::mikey::decode(message)).name()
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
}

/// How many events not judged a trace's note names; the rest are counted.
const UNJUDGED_SHOWN: usize = 3;

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

#[cfg(test)]
mod tests {
    use super::*;

    /// A FLUTE event whose FDT is no FDT still has its objects judged; one with nothing
    /// judgeable is an event not judged.
    #[test]
    fn a_flute_event_is_judged_as_far_as_it_can_be() {
        let engine = Engine::shared_builtin();
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("vectors/trace");
        let mtk = "010015800000500000010503000f0003b8709d010468c9000002020005010200000004000200108254c329a92850f6d539dd376f4816ee0162c66a7a5dd70c3146618063c344e531e6d4b59e";
        let trace = format!(
            "trace: 1\nevents:\n- flute:\n    session: s\n    fdt: '<Unknown xmlns=\"urn:x\"/>'\n    objects:\n      2: {{hex: {mtk}}}\n"
        );
        let r = engine.check_trace("t", trace.as_bytes(), &dir);
        assert_eq!(
            r.verdict,
            Verdict::NonConformant,
            "{:?} {:?}",
            r.error,
            r.notes
        );
        assert!(r.findings.iter().any(|f| f.rule == "MBMS-MTK-01"));
        assert!(
            r.notes
                .iter()
                .any(|n| n.starts_with("event 1, FDT: ") && n.ends_with("(not judged)")),
            "{:?}",
            r.notes
        );
        let only_fdt =
            "trace: 1\nevents:\n- flute:\n    session: s\n    fdt: '<Unknown xmlns=\"urn:x\"/>'\n";
        let r = engine.check_trace("t", only_fdt.as_bytes(), &dir);
        assert_eq!(r.verdict, Verdict::Error);
    }

    /// A rule no event applied gives the trace's reason, not one event's kind: over every
    /// trace vector.
    #[test]
    fn a_trace_never_says_it_was_read_as_one_events_kind() {
        let engine = Engine::shared_builtin();
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("vectors/trace");
        let mut checked = 0;
        for entry in std::fs::read_dir(&dir).unwrap() {
            let file = entry.unwrap().path();
            let name = file.file_name().unwrap().to_string_lossy().to_string();
            if !name.ends_with(".trace.yaml") {
                continue;
            }
            // A vector written to be unreadable (its sidecar expects "could not check") says
            // nothing of rule reasons.
            let sidecar = file.with_file_name(name.replace(".trace.yaml", ".yaml"));
            let expect = std::fs::read_to_string(&sidecar).unwrap_or_default();
            if expect.contains("verdict: error") {
                continue;
            }
            let bytes = std::fs::read(&file).unwrap();
            let r = engine.check_trace(&name, &bytes, &dir);
            assert_ne!(r.verdict, Verdict::Error, "{name}: {:?}", r.error);
            checked += 1;
            for o in r.rules.iter() {
                let reason = o.outcome.reason().map_or("", |r| r);
                assert!(
                    !reason.contains(super::super::READ_AS_OTHER_KIND),
                    "{name}: {} {reason}",
                    o.rule
                );
            }
            let fdt = r.rules.iter().find(|o| o.rule == "FDT-XSD-02").unwrap();
            assert_eq!(
                fdt.outcome.reason().map(|r| &**r),
                Some("applies to fdt-3gpp; nothing in the input was read as that"),
                "{name}"
            );
        }
        assert!(checked >= 30, "{checked} traces");
    }
}

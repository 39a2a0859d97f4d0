//! Judging a file of SIP messages: the SIP rules on the messages and their pairing, the
//! MIKEY rules on every application/mikey body (a MESSAGE's as a CSK download), and the XML
//! rules on every XML body. Findings point at file:line:col of the part concerned.

use super::judgement::Judgement;
use super::{infer::infer_kind, judged, merge::merge_outcomes, Engine};
use crate::checks::found::Found;
use crate::checks::kind::{Domain, Judge};
use crate::checks::sip::{SipCtx, SipHit};
use crate::finding::{CheckResult, Finding, Location, Outcome, RuleOutcome};
use crate::sip::capture::Gathered;
use crate::sip::{self, BodyPart, ScanOptions, SipFile, SipMessage};
use std::sync::Arc;

/// Line starts of a file, for line:col of byte offsets.
pub(crate) struct Lines(Vec<usize>);

impl Lines {
    pub(crate) fn new(file: &[u8]) -> Lines {
        let mut starts = vec![0];
        starts.extend(
            file.iter()
                .enumerate()
                .filter(|(_, b)| **b == b'\n')
                .map(|(i, _)| i + 1),
        );
        Lines(starts)
    }

    /// 1-based line and column (characters) of a byte offset.
    pub(crate) fn at(&self, file: &[u8], offset: usize) -> (u32, u32) {
        let line = self.0.partition_point(|&s| s <= offset).max(1);
        let start = self.0[line - 1];
        let col = String::from_utf8_lossy(&file[start..offset.min(file.len())])
            .chars()
            .count()
            + 1;
        (line as u32, col as u32)
    }
}

/// Where offsets of the judged text are, for findings: in the file itself, or (SIP gathered
/// from a capture) in a frame or TCP flow, counted from its start.
pub(crate) struct Place<'a> {
    bytes: &'a [u8],
    lines: Lines,
    gathered: Option<&'a Gathered>,
}

impl Place<'_> {
    /// Line, column and (in a capture) the frame or flow of an offset.
    fn locate(&self, offset: usize) -> (u32, u32, Option<String>) {
        let (line, col) = self.lines.at(self.bytes, offset);
        match self.gathered.and_then(|g| g.origin(offset)) {
            Some((o, _)) => {
                let (first, _) = self.lines.at(self.bytes, o.start);
                (line - first + 1, col, Some(o.place.clone()))
            }
            None => (line, col, None),
        }
    }

    /// A finding's `where`: the frame or flow (in a capture) and the message label.
    fn context(&self, offset: usize, label: String) -> String {
        match self.locate(offset).2 {
            Some(frame) => format!("{frame}: {label}"),
            None => label,
        }
    }
}

/// Under a profile, what a rule that binds no party judges of a SIP file.
struct Stimulus {
    /// The file without the messages other parties sent.
    own: SipFile,
    /// The not-applicable reason when every message is another party's.
    why: String,
    /// By message: the other party that sent it, if another did.
    others: Vec<Option<&'static str>>,
    /// "the profile … declares role …: …", for reasons.
    declared: String,
}

impl Stimulus {
    /// The bodies of another party's message are the stimulus: the findings of rules that
    /// bind no party on them are dropped, and such rules' outcomes on them are not applicable.
    fn leave_bodies(
        &self,
        n: usize,
        label: &str,
        rules: &crate::rules::RuleSet,
        findings: &mut Vec<Finding>,
        outcomes: &mut [RuleOutcome],
    ) {
        let Some(sender) = self.others[n] else {
            return;
        };
        let bound = |id: &str| rules.get(id).is_some_and(|r| r.party().is_some());
        findings.retain(|f| bound(&f.rule));
        let why: Arc<str> = format!(
            "judges the bodies of {label}, which the {sender} sends (rules/profile-options.yaml sip_senders); {}",
            self.declared
        )
        .into();
        for o in outcomes
            .iter_mut()
            .filter(|o| o.applied() && !bound(&o.rule))
        {
            o.outcome = Outcome::NotApplicable(why.clone());
        }
    }
}

/// "message 3 (MESSAGE sip:…)" for a finding's `where`.
fn label(file: &[u8], n: usize, m: &SipMessage) -> String {
    let start = String::from_utf8_lossy(&file[m.start_span.clone()]);
    let short: String = start.chars().take(60).collect();
    format!("message {} ({short})", n + 1)
}

impl Engine {
    /// Judges a file of SIP messages (input kind `sip`).
    pub fn check_sip(&self, input: &str, bytes: &[u8]) -> CheckResult {
        self.judge_sip(input, bytes, None)
    }

    /// Judges SIP text: a file, or the text gathered from a capture (`gathered`), whose
    /// findings then name their frame or TCP flow.
    pub(crate) fn judge_sip(
        &self,
        input: &str,
        bytes: &[u8],
        gathered: Option<&Gathered>,
    ) -> CheckResult {
        let opts = ScanOptions {
            lf_as_crlf: self.settings.sip.lf_as_crlf,
        };
        let file = sip::read(bytes, &opts);
        if file.messages.is_empty() {
            return CheckResult::error(
                input,
                "sip",
                "no SIP message in it: no line reads as a SIP request or status line".into(),
            );
        }
        let lines = Place {
            bytes,
            lines: Lines::new(bytes),
            gathered,
        };
        let mut notes = self.sip_notes(bytes, &file, &lines);
        let stimulus = self.sip_stimulus(bytes, &file);
        let (mut findings, mut outcomes) = self.sip_rules(bytes, &file, &lines, &stimulus);
        for (n, m) in file.messages.iter().enumerate() {
            let (mut f, mut o, more) = self.sip_bodies(bytes, n, m, &lines);
            if let Some(s) = &stimulus {
                s.leave_bodies(n, &label(bytes, n, m), &self.rules, &mut f, &mut o);
            }
            findings.extend(f);
            merge_outcomes(&mut outcomes, o);
            notes.extend(more);
        }
        if let Some(g) = gathered.filter(|g| !g.unread.is_empty()) {
            // The rules judged the SIP that was read only: finding nothing there is no pass.
            let why: Arc<str> = format!(
                "judged without the SIP of the capture that was not read: {}",
                g.unread.join("; ")
            )
            .into();
            crate::finding::judged_in_part(&mut outcomes, &why, |_| false);
        }
        findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        findings.dedup();
        let mut result = judged(input, "sip".into(), findings, outcomes, notes, None);
        self.complete_outcomes(&mut result, &[Domain::Sip, Domain::Mikey, Domain::Xml]);
        result
    }

    fn sip_notes(&self, bytes: &[u8], file: &SipFile, lines: &Place) -> Vec<String> {
        let mut notes = vec![crate::plural::counted(
            file.messages.len(),
            "SIP message",
            "SIP messages",
        )];
        for (n, m) in file.messages.iter().enumerate() {
            let (line, _, _) = lines.locate(m.span.start);
            if m.line_ends.lf_only() {
                let read = if m.framed_as_crlf && self.settings.sip.lf_as_crlf {
                    "; read as CRLF (setting sip.lf_as_crlf)"
                } else {
                    ""
                };
                notes.push(format!("{} at line {line}: its line ends are LF only, where SIP requires CRLF; usually the capture or log converted them (a note about the capture, not a finding){read}", label(bytes, n, m)));
            }
            // Mixed line ends are no carrier's doing: SIP-SYNTAX-01 reports the lone LF.
        }
        for r in &file.skipped {
            let (line, _, _) = lines.locate(r.start);
            notes.push(format!(
                "line {line}: {} octets that are no SIP message were skipped",
                r.len()
            ));
        }
        notes
    }

    /// The SIP rules: each applied rule's hits, or not applicable with the check's reason.
    fn sip_rules(
        &self,
        bytes: &[u8],
        file: &SipFile,
        lines: &Place,
        stimulus: &Option<Stimulus>,
    ) -> (Vec<Finding>, Vec<RuleOutcome>) {
        let ctx = SipCtx {
            file: bytes,
            sip: file,
            settings: &self.settings,
        };
        let plan = self.plan(Domain::Sip, &["sip".to_string()], None);
        let mut j = Judgement::default();
        for rule in &plan.applied {
            let Judge::Sip(check) = rule.check.kind().judge() else {
                continue;
            };
            let found = match (stimulus, rule.party()) {
                (Some(s), None) if s.own.messages.is_empty() => Found::nothing(s.why.clone()),
                (Some(s), None) => check.sip(&SipCtx { sip: &s.own, ..ctx }),
                _ => check.sip(&ctx),
            };
            j.rule(rule, found, |h| {
                self.sip_finding(rule, h, bytes, file, lines)
            });
        }
        j.skipped(&plan);
        (j.findings, j.outcomes)
    }

    /// Under a profile, the file without the messages other parties sent (`sip_senders`),
    /// which a rule that binds no party judges instead of the whole file; None without a
    /// profile or when every message may be the implementation's.
    fn sip_stimulus(&self, bytes: &[u8], file: &SipFile) -> Option<Stimulus> {
        let profile = self.profile.as_ref()?;
        let others: Vec<Option<&'static str>> = (0..file.messages.len())
            .map(|n| crate::checks::sip::sender_of(bytes, file, n).filter(|r| *r != profile.role))
            .collect();
        if others.iter().all(Option::is_none) {
            return None;
        }
        // New positions of the messages kept, for the request each response answers.
        let mut kept_at = vec![None; others.len()];
        let mut own = SipFile {
            skipped: file.skipped.clone(),
            ..SipFile::default()
        };
        for (n, m) in file.messages.iter().enumerate() {
            if others[n].is_none() {
                kept_at[n] = Some(own.messages.len());
                own.messages.push(m.clone());
                own.answers
                    .push(file.answers[n].and_then(|i| kept_at.get(i).copied().flatten()));
            }
        }
        let declared = format!(
            "the profile {} declares role {}: that party's messages are the stimulus, not the implementation under test",
            profile.path, profile.role
        );
        Some(Stimulus {
            own,
            why: format!(
                "the input holds only messages other parties send (rules/profile-options.yaml sip_senders); {declared}"
            ),
            others,
            declared,
        })
    }

    fn sip_finding(
        &self,
        rule: &crate::rules::Rule,
        h: SipHit,
        bytes: &[u8],
        file: &SipFile,
        lines: &Place,
    ) -> Finding {
        let (line, column, _) = lines.locate(h.span.start);
        let context = file
            .messages
            .iter()
            .enumerate()
            .find(|(_, m)| m.span.start <= h.span.start && h.span.start <= m.span.end)
            .map(|(n, m)| lines.context(h.span.start, label(bytes, n, m)));
        let location = Location {
            line,
            column,
            context,
            ..Location::default()
        };
        self.make_finding_resting(rule, h.vars, location, h.rests_on.as_deref())
    }

    /// The bodies of a message (and of the messages nested in it): MIKEY and XML.
    fn sip_bodies(
        &self,
        bytes: &[u8],
        n: usize,
        m: &SipMessage,
        lines: &Place,
    ) -> (Vec<Finding>, Vec<RuleOutcome>, Vec<String>) {
        let (mut findings, mut outcomes, mut notes) = (Vec::new(), Vec::new(), Vec::new());
        for part in m.parts() {
            let (line, column, _) = lines.locate(part.content.start);
            let place = lines.context(
                part.content.start,
                format!(
                    "{} {} body",
                    label(bytes, n, m),
                    part.essence().unwrap_or("untyped")
                ),
            );
            let at = Location {
                line,
                column,
                context: Some(place.clone()),
                ..Location::default()
            };
            if let Some(inner) = part.message() {
                let (f, o, more) = self.sip_bodies(bytes, n, inner, lines);
                findings.extend(f);
                merge_outcomes(&mut outcomes, o);
                notes.extend(more);
            } else if part.essence() == Some("application/mikey") {
                let (f, o) = self.sip_mikey(m, part, bytes, at, &place);
                findings.extend(f);
                merge_outcomes(&mut outcomes, o);
            } else if is_xml(part) {
                let r = self.check_xml_read_as(&place, &bytes[part.content.clone()], None, false);
                if let Some(e) = &r.error {
                    notes.push(format!(
                        "{place} (line {line}): not judged by the XML rules: {e}"
                    ));
                    continue;
                }
                findings.extend(r.findings.into_iter().map(|mut f| {
                    f.location.line += line - 1;
                    f.location.context = Some(place.clone());
                    f
                }));
                merge_outcomes(&mut outcomes, Arc::unwrap_or_clone(r.rules));
            }
        }
        (findings, outcomes, notes)
    }

    /// An application/mikey body: a MESSAGE's is a CSK download (TS 24.281 7.2.5, 7.3.7);
    /// any other's is read by its own content.
    fn sip_mikey(
        &self,
        m: &SipMessage,
        part: &BodyPart,
        bytes: &[u8],
        at: Location,
        place: &str,
    ) -> (Vec<Finding>, Vec<RuleOutcome>) {
        let octets = part.mikey_octets(bytes);
        let kind = if m.method() == Some("MESSAGE") {
            "csk-download"
        } else {
            infer_kind(&crate::mikey::decode(octets)).0
        };
        let label = format!("{place} ({} octets, read as {kind})", octets.len());
        self.delivered_findings(kind, octets, None, at, &label)
    }
}

fn is_xml(part: &BodyPart) -> bool {
    part.essence()
        .is_some_and(|e| e.ends_with("+xml") || e.ends_with("/xml"))
}

/// The MIKEY messages of a SIP file that `check` judges, for `decode`: each application/mikey
/// body and each LTKM of an XML body (nested messages included). In SIP `gathered` from a
/// capture, each is placed in its frame or TCP flow as `check` places its findings.
pub(crate) fn mikey_bodies(
    settings: &crate::settings::Settings,
    bytes: &[u8],
    gathered: Option<&Gathered>,
) -> Vec<super::mikey::FoundMessage> {
    use super::mikey::FoundMessage;
    let file = sip::read(
        bytes,
        &ScanOptions {
            lf_as_crlf: settings.sip.lf_as_crlf,
        },
    );
    let place = Place {
        bytes,
        lines: Lines::new(bytes),
        gathered,
    };
    let mut found = Vec::new();
    fn walk<'m>(m: &'m SipMessage, out: &mut Vec<(&'m SipMessage, &'m BodyPart)>) {
        for p in m.parts() {
            match p.message() {
                Some(inner) => walk(inner, out),
                None if p.essence() == Some("application/mikey") || is_xml(p) => out.push((m, p)),
                None => {}
            }
        }
    }
    for (n, top) in file.messages.iter().enumerate() {
        let mut parts = Vec::new();
        walk(top, &mut parts);
        for (m, p) in parts {
            let (line, column, _) = place.locate(p.content.start);
            let essence = p.essence().unwrap_or("untyped");
            let label = place.context(
                p.content.start,
                format!("{} {essence} body", label(bytes, n, m)),
            );
            if !is_xml(p) {
                found.push(FoundMessage {
                    line: Some(line),
                    column: Some(column),
                    ..FoundMessage::at(label, Ok(p.mikey_octets(bytes).to_vec()))
                });
                continue;
            }
            // The LTKMs `check` judges in an XML body (`check_xml_read_as`).
            let Ok(text) = crate::xml::decode_text(&bytes[p.content.clone()]) else {
                continue;
            };
            let Ok(doc) = crate::xml::parse(&text, &settings.limits) else {
                continue;
            };
            let index = crate::checks::ElementIndex::of(&doc);
            for e in super::mikey::embedded_messages(settings, &doc, &index, &text) {
                found.push(FoundMessage {
                    line: Some(line + e.at.line - 1),
                    column: Some(e.at.column),
                    ..FoundMessage::at(format!("{label}, {} #{}", e.element, e.index), e.bytes)
                });
            }
        }
    }
    found
}

//! Judging HTTP captures (an HTTP exchange, not a packet capture: HAR archives, raw HTTP
//! text, and the exchanges `packet_capture/http.rs` and session traces hand over): every
//! HTTP exchange's bodies by the payload rules (the response read as
//! the kind that answers the request), then the exchange rules. Findings say where in the
//! capture they are (`where`) and, for bodies of raw HTTP text, give the file's own line.

use super::judgement::Judgement;
use super::{judged, merge::merge_outcomes, Engine};
use crate::checks::exchange::{ExchangeCtx, ExchangeHit, Seen, Side};
use crate::checks::found::Found;
use crate::checks::kind::{Delivery, Domain, Judge};
use crate::exchange::{self, Exchange, Message};
use crate::finding::{CheckResult, Finding, Location, Outcome, RuleOutcome, Verdict};
use crate::rules::Rule;
use std::sync::Arc;

/// Whether a body is XML: it opens with markup, after a byte order mark (XML 1.0 F.1; a
/// UTF-16 one says XML by itself), as a file alone is read.
fn body_is_xml(body: &[u8]) -> bool {
    crate::format::opens_with_markup(body)
}

impl Engine {
    /// Judges every exchange of a capture.
    pub fn check_capture(&self, input: &str, bytes: &[u8]) -> CheckResult {
        let exchanges = match exchange::read(bytes) {
            Ok(e) => e,
            Err(e) => {
                return CheckResult::error(
                    input,
                    "http-exchange",
                    format!("cannot read the capture: {e}"),
                )
            }
        };
        if exchanges.is_empty() {
            return CheckResult::error(
                input,
                "http-exchange",
                "nothing in it could be checked: the capture holds no HTTP exchange".into(),
            );
        }
        let mut findings = Vec::new();
        let mut rule_outcomes: Vec<RuleOutcome> = Vec::new();
        let mut notes = vec![crate::plural::counted(
            exchanges.len(),
            "exchange",
            "exchanges",
        )];
        let mut unjudged = Vec::new();
        for ex in &exchanges {
            let j = self.judge_exchange(ex);
            findings.extend(j.findings);
            merge_outcomes(&mut rule_outcomes, j.outcomes);
            notes.extend(j.notes);
            unjudged.extend(j.unjudged);
        }
        settle_unjudged(&mut rule_outcomes, &mut notes, &unjudged);
        let mut result = judged(
            input,
            "http-exchange".into(),
            findings,
            rule_outcomes,
            notes,
            None,
        );
        self.complete_outcomes(&mut result, &[Domain::Xml, Domain::Mikey, Domain::Exchange]);
        result
    }

    pub(super) fn judge_exchange(&self, ex: &Exchange) -> JudgedExchange {
        let mut findings = Vec::new();
        let mut all_outcomes = Vec::new();
        let mut notes = body_notes(ex);
        // Under a profile, the half the implementation under test does not send is the
        // stimulus (`http_senders`): its body is read, not judged.
        let (own_request, own_response) = self
            .profile
            .as_ref()
            .map_or((true, true), |p| p.sends_in_exchange());
        // The request body: its kind decides how the response is read.
        let request = self.judge_body(&ex.request, None, None);
        let request_kind = request.kind.clone();
        let mut unread = Vec::new();
        let (f, o) = self.stimulus_half(own_request, request, &mut unread);
        findings.extend(f);
        merge_outcomes(&mut all_outcomes, o);
        let answer = crate::checks::exchange::answered_kind(
            &self.settings,
            &ex.request,
            request_kind.as_deref(),
        );
        // The body is read as the answer when its root says it is one: an error response may
        // carry anything (a 401's or 404's HTML page), which is no payload to judge, and a 200
        // with another root is HTTP-RSP-01's one finding, not a schema's too.
        let read_as = answer
            .clone()
            .filter(|a| self.body_is_kind(&ex.response, a));
        let response = self.judge_body(
            &ex.response,
            read_as.as_deref(),
            Some(Delivery::HttpResponse),
        );
        let (f, o) = self.stimulus_half(own_response, response, &mut unread);
        findings.extend(f);
        merge_outcomes(&mut all_outcomes, o);
        self.mark_unread(ex, &unread, &mut notes, &mut all_outcomes);
        if let (Some(req), None, Some(named)) = (
            &request_kind,
            &answer,
            crate::checks::exchange::requested_kind(&self.settings, &ex.request),
        ) {
            notes.push(format!(
                "{}: the request body is a {req} but its requesttype is {named}, so the response is read by its own root",
                label(ex)
            ));
        }
        let response_seen = ex.response.absent().is_none();
        if let (Some(req), Some(ans), true) = (&request_kind, &read_as, response_seen) {
            notes.push(format!(
                "{}: a {req}, so the response is read as a {ans}",
                label(ex)
            ));
        }
        let (own, own_outcomes, unjudged) = self.exchange_rules(ex, request_kind);
        merge_outcomes(&mut all_outcomes, own_outcomes);
        findings.extend(own);
        JudgedExchange {
            findings,
            outcomes: all_outcomes,
            notes,
            unjudged,
        }
    }

    /// Whether a message's (first XML) body is a document of payload kind `kind`, by its root
    /// element's name.
    fn body_is_kind(&self, msg: &Message, kind: &str) -> bool {
        let Some(root) = self.settings.kind(kind).map(|k| &k.root) else {
            return false;
        };
        let text = xml_text(msg);
        parse_body(&text, &self.settings)
            .is_some_and(|d| d.root_element().tag_name().name() == root)
    }

    /// A body that could not be read (a DTD, over a limit) was judged by no payload rule: the
    /// well-formedness rule, which judges every XML body, ran on part of the exchange only, so
    /// it is incomplete (the input too, never passed on that body), and a note names the body.
    fn mark_unread(
        &self,
        ex: &Exchange,
        unread: &[String],
        notes: &mut Vec<String>,
        outcomes: &mut Vec<RuleOutcome>,
    ) {
        if unread.is_empty() {
            return;
        }
        for why in unread {
            notes.push(format!("{}: not judged: {why}", label(ex)));
        }
        let why: Arc<str> = format!("a body could not be read ({})", unread.join("; ")).into();
        let carriers = self
            .rules
            .rules
            .iter()
            .filter(|r| r.check.name() == "well_formed" && self.excluded(&r.id).is_none());
        for rule in carriers {
            match outcomes.iter_mut().find(|o| o.rule == rule.id) {
                Some(o) => {
                    let outcome = std::mem::replace(&mut o.outcome, Outcome::Pass);
                    o.outcome = outcome.in_part(|| why.clone());
                }
                None => outcomes.push(RuleOutcome::new(
                    rule.id.clone(),
                    Outcome::Incomplete(why.clone()),
                )),
            }
        }
    }

    /// A half of an exchange's body judgement, as the profile wants it: whole when the
    /// implementation under test sends that half; else (the stimulus) without the rules that
    /// bind no party, whose findings there are dropped (a terminal's malformed request is not
    /// the BSM's finding). A rule that binds a party judges what its clause says wherever it
    /// is, as the same document alone is judged.
    fn stimulus_half(
        &self,
        own: bool,
        body: BodyJudgement,
        unread: &mut Vec<String>,
    ) -> (Vec<Finding>, Vec<RuleOutcome>) {
        let BodyJudgement {
            findings, outcomes, ..
        } = body;
        if own {
            unread.extend(body.unread);
            return (findings, outcomes);
        }
        let bound = |id: &str| self.rules.get(id).is_some_and(|r| r.party().is_some());
        (
            findings.into_iter().filter(|f| bound(&f.rule)).collect(),
            outcomes.into_iter().filter(|o| bound(&o.rule)).collect(),
        )
    }

    /// The exchange rules on one exchange: their findings and outcomes, and the rules that
    /// could not judge it (not applicable here) or judged it in part, for what the capture
    /// does not show.
    fn exchange_rules(
        &self,
        ex: &Exchange,
        request_kind: Option<String>,
    ) -> (Vec<Finding>, Vec<RuleOutcome>, Vec<Unjudged>) {
        let req_text = xml_text(&ex.request);
        let resp_text = xml_text(&ex.response);
        let req_doc = parse_body(&req_text, &self.settings);
        let resp_doc = parse_body(&resp_text, &self.settings);
        let own = self
            .profile
            .as_ref()
            .map_or((true, true), |p| p.sends_in_exchange());
        let ctx = ExchangeCtx {
            exchange: ex,
            settings: &self.settings,
            request_kind,
            request_doc: req_doc.as_ref(),
            response_doc: resp_doc.as_ref(),
            judged: (true, true),
        };
        // A rule that binds no party judges only what the implementation under test sends.
        let own_ctx = ExchangeCtx {
            judged: own,
            request_kind: ctx.request_kind.clone(),
            ..ctx
        };
        let plan = self.plan(Domain::Exchange, &["http-exchange".to_string()], None);
        let mut j = Judgement::default();
        let mut unjudged = Vec::new();
        // Findings in either body are placed in turn: each body's line index is built once.
        let _pins = [&req_text, &resp_text].map(|t| crate::line_index::pin(t.trim_start()));
        // Half an exchange (read alone from a packet capture): no exchange rule judges it,
        // since each reads both halves or settles by the status line; its body was judged.
        let absent = ex.request.absent().or(ex.response.absent());
        for rule in &plan.applied {
            if let Some(why) = absent {
                unjudged.push(Unjudged {
                    rule: rule.id.clone(),
                    place: ex.label.clone(),
                    why: why.to_string(),
                    in_part: false,
                    hidden: true,
                });
                continue;
            }
            let Judge::Exchange(check) = rule.check.kind().judge() else {
                continue;
            };
            let unseen = |why: &str, in_part, hidden| Unjudged {
                rule: rule.id.clone(),
                place: ex.label.clone(),
                why: why.to_string(),
                in_part,
                hidden,
            };
            let ctx = match rule.party() {
                Some(_) => &ctx,
                None => &own_ctx,
            };
            // A rule that could not judge this exchange did not pass it.
            let found = match check.seen(ctx) {
                // Under a role that sends neither half, both are the stimulus.
                _ if ctx.judged == (false, false) => Found::NotApplicable(
                    self.profile
                        .as_ref()
                        .map(|p| p.exchange_stimulus())
                        .unwrap_or_default(),
                ),
                Seen::Whole => Found::Judged(check.exchange(ctx)),
                Seen::Part(why) => {
                    unjudged.push(unseen(&why, true, true));
                    Found::Judged(check.exchange(ctx))
                }
                Seen::Nothing(why) => {
                    unjudged.push(unseen(&why, false, false));
                    Found::NotApplicable(why)
                }
                Seen::Hidden(why) => {
                    unjudged.push(unseen(&why, false, true));
                    Found::NotApplicable(why)
                }
            };
            j.rule(rule, found, |h| {
                let text = match h.side {
                    Side::Request => req_text.trim_start(),
                    Side::Response => resp_text.trim_start(),
                };
                self.exchange_finding(rule, h, ex, text)
            });
        }
        j.skipped(&plan);
        (j.findings, j.outcomes, unjudged)
    }

    /// Judges a message's body, or each part of a multipart body: XML parts by the payload
    /// rules (as `as_kind` when given), MIKEY parts as the same message alone is judged (its
    /// profile inferred), with the `delivery` the message gives. Returns the findings, the
    /// rule outcomes, and the payload kind of the (first) XML part.
    fn judge_body(
        &self,
        msg: &Message,
        as_kind: Option<&str>,
        delivery: Option<Delivery>,
    ) -> BodyJudgement {
        let parts = msg.parts();
        let multipart = parts.len() != 1 || parts[0].label != "body";
        let (mut findings, mut all, mut kind) = (Vec::new(), Vec::new(), None);
        let mut unread = Vec::new();
        for part in parts {
            if part.body.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            let r = if body_is_xml(&part.body) {
                let r = self.check_xml_read_as(&part.label, &part.body, as_kind, false);
                if kind.is_none() && self.settings.kind(&r.kind).is_some() {
                    kind = Some(r.kind.clone());
                }
                // A well-formed document of no payload kind (an HTML error page), or a body
                // typed as no XML, is no payload: nothing is missed. An XML one that could not
                // be read at all (a DOCTYPE, over a limit) was judged by no rule.
                let declared_xml = part.media_type.as_deref().is_none_or(declares_xml);
                if let (Verdict::Error, Some(why), true) = (r.verdict, &r.error, declared_xml) {
                    let limits = &self.settings.limits;
                    let parsed = crate::xml::decode_text(&part.body)
                        .is_ok_and(|t| crate::xml::parse(&t, limits).is_ok());
                    if !parsed {
                        unread.push(format!("{} {}: {why}", msg.place.path, part.label));
                    }
                }
                r
            } else if part
                .media_type
                .as_deref()
                .is_some_and(|m| crate::value::MediaType::is(m, "application/mikey"))
            {
                self.check_mikey_declared(&part.label, &part.body, delivery)
            } else {
                continue;
            };
            findings.extend(r.findings.into_iter().map(|mut f| {
                if multipart {
                    f.location.context = Some(format!("{} {}", msg.place.path, part.label));
                    f.location.span = None;
                    // Its lines count in the part.
                    f.location.lines_in_embedded = true;
                    f
                } else {
                    relocate(f, msg)
                }
            }));
            merge_outcomes(&mut all, Arc::unwrap_or_clone(r.rules));
        }
        BodyJudgement {
            findings,
            outcomes: all,
            kind,
            unread,
        }
    }

    fn exchange_finding(
        &self,
        rule: &Rule,
        h: ExchangeHit,
        ex: &Exchange,
        body_text: &str,
    ) -> Finding {
        let msg = match h.side {
            Side::Request => &ex.request,
            Side::Response => &ex.response,
        };
        let location = match h.body_offset {
            Some(off) => {
                let mut l = crate::xml::location(body_text, off, off);
                l.context = Some(format!("{} body", msg.place.path));
                if msg.body_line > 0 {
                    l.line += msg.body_line - 1 + leading_lines(&msg.body);
                } else {
                    // A body with no line of its own in the file (a HAR entry's): its
                    // lines count in the body.
                    l.lines_in_embedded = true;
                }
                l
            }
            None => Location {
                line: msg.place.line,
                column: if msg.place.line > 0 { 1 } else { 0 },
                context: Some(msg.place.path.clone()),
                ..Location::default()
            },
        };
        self.make_finding_resting(rule, h.vars, location, h.rests_on.as_deref())
    }
}

/// Notes on the bodies of an exchange that no payload rule judges: an empty first POST (curl
/// `--digest` and `-L` send one), and bodies the capture does not show.
fn body_notes(ex: &Exchange) -> Vec<String> {
    let mut notes = Vec::new();
    let declared = ex
        .request
        .header("content-length")
        .and_then(|v| v.trim().parse::<usize>().ok());
    if declared == Some(0)
        && matches!(&ex.request.start, exchange::StartLine::Request { method, .. } if method == "POST")
    {
        notes.push(format!(
            "{}: the request has no body (Content-Length: 0), so no payload of it is judged",
            label(ex)
        ));
    }
    if let Some(why) = &ex.request.unseen.body {
        notes.push(format!(
            "{}: the request payload is not judged ({why}), and the response is read by its own root",
            label(ex)
        ));
    }
    if let Some(why) = &ex.response.unseen.body {
        notes.push(format!(
            "{}: the response payload is not judged ({why})",
            label(ex)
        ));
    }
    notes
}

/// Whether a media type is XML's (RFC 7303: application/xml, text/xml, any +xml suffix): a
/// body typed otherwise (text/html: an error page) that mikeyconf cannot read misses nothing.
fn declares_xml(media_type: &str) -> bool {
    let essence = media_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    essence.ends_with("/xml") || essence.ends_with("+xml")
}

/// What the payload rules gave on one message's body: findings, outcomes, the payload kind of
/// its (first) XML part, and the parts that could not be read (where, and why).
struct BodyJudgement {
    findings: Vec<Finding>,
    outcomes: Vec<RuleOutcome>,
    kind: Option<String>,
    unread: Vec<String>,
}

/// What judging one exchange gives: findings, rule outcomes, notes, and the rules that could
/// not judge it (or judged it only in part) for what the capture does not show.
pub(super) struct JudgedExchange {
    pub findings: Vec<Finding>,
    pub outcomes: Vec<RuleOutcome>,
    pub notes: Vec<String>,
    pub unjudged: Vec<Unjudged>,
}

/// An exchange rule that did not judge an exchange, or judged only part of it.
#[derive(Debug, Clone)]
pub(super) struct Unjudged {
    pub rule: String,
    /// The exchange (`exchanges[1]`, `event 4: entries[0]`); empty for a file's only one.
    pub place: String,
    /// What the capture does not show.
    pub why: String,
    /// Judged what was shown (true), or not judged at all (false).
    pub in_part: bool,
    /// For want of what the capture does not show (true), or for a reason of the rule's own
    /// (false: a setting, an algorithm it cannot verify).
    pub hidden: bool,
}

/// Gives each rule that did not judge every exchange its due: not applicable, with the
/// reasons, where it judged none; where it judged some, `incomplete` with a reason that
/// names the exchanges it did not judge (or judged in part) unless it found something there,
/// and a note that says so.
pub(super) fn settle_unjudged(
    rule_outcomes: &mut [RuleOutcome],
    notes: &mut Vec<String>,
    unjudged: &[Unjudged],
) {
    let mut rules: Vec<&str> = unjudged.iter().map(|u| u.rule.as_str()).collect();
    rules.dedup();
    rules.sort_unstable();
    rules.dedup();
    // Rules with the same reason share one note.
    let mut noted: Vec<(String, Vec<&str>)> = Vec::new();
    for rule in rules {
        let Some(outcome) = rule_outcomes.iter_mut().find(|o| o.rule == rule) else {
            continue;
        };
        let mine: Vec<&Unjudged> = unjudged.iter().filter(|u| u.rule == rule).collect();
        let reason = if outcome.applied() {
            let listed = |in_part: bool| -> Vec<String> {
                mine.iter()
                    .filter(|u| u.in_part == in_part)
                    .map(|u| format!("{} ({})", place_name(&u.place), u.why))
                    .collect()
            };
            let mut parts = Vec::new();
            let (none, some) = (listed(false), listed(true));
            if !none.is_empty() {
                parts.push(format!("not judged for {}", none.join(", ")));
            }
            if !some.is_empty() {
                parts.push(format!("judged only in part for {}", some.join(", ")));
            }
            let reason = parts.join("; ");
            match noted.iter_mut().find(|(r, _)| *r == reason) {
                Some((_, ids)) => ids.push(rule),
                None => noted.push((reason.clone(), vec![rule])),
            }
            reason
        } else {
            let mut each: Vec<String> = mine
                .iter()
                .map(|u| match u.place.as_str() {
                    "" => u.why.clone(),
                    place => format!("{place}: {}", u.why),
                })
                .collect();
            each.dedup();
            each.join("; ")
        };
        // A rule that judged some exchanges and found nothing there is incomplete; what it
        // found stands (the note names what it did not judge). One that judged none is not
        // applicable, unless the capture hid what it needed from an exchange it concerns:
        // then it is incomplete too, never passed.
        let hidden = mine.iter().any(|u| u.hidden);
        outcome.outcome = match std::mem::replace(&mut outcome.outcome, Outcome::Pass) {
            Outcome::NotApplicable(_) if hidden => Outcome::Incomplete(reason.into()),
            Outcome::NotApplicable(_) => Outcome::NotApplicable(reason.into()),
            applied => applied.in_part(|| reason.into()),
        };
    }
    for (reason, ids) in noted {
        notes.push(format!("{}: {reason}", ids.join(", ")));
    }
}

fn place_name(place: &str) -> &str {
    if place.is_empty() {
        "the exchange"
    } else {
        place
    }
}

/// The text the exchange rules read: the body, or the first XML part of a multipart body.
fn xml_text(msg: &Message) -> String {
    let parts = msg.parts();
    let chosen = parts
        .iter()
        .find(|p| body_is_xml(&p.body))
        .map_or(&msg.body, |p| &p.body);
    String::from_utf8_lossy(chosen).to_string()
}

fn parse_body<'t>(
    text: &'t str,
    settings: &crate::settings::Settings,
) -> Option<roxmltree::Document<'t>> {
    if body_is_xml(text.as_bytes()) {
        super::parse(text.trim_start(), settings).ok()
    } else {
        None
    }
}

fn label(ex: &Exchange) -> String {
    if ex.label.is_empty() {
        "the exchange".into()
    } else {
        ex.label.clone()
    }
}

/// Blank lines before a body's first character (the body text is judged trimmed).
fn leading_lines(body: &[u8]) -> u32 {
    let start = body
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(0);
    body[..start].iter().filter(|b| **b == b'\n').count() as u32
}

/// A body finding, moved to its place in the capture.
fn relocate(mut f: Finding, msg: &Message) -> Finding {
    f.location.context = Some(format!("{} body", msg.place.path));
    if msg.body_line > 0 && f.location.line > 0 {
        f.location.line += msg.body_line - 1;
    } else if msg.body_line == 0 {
        // A body with no line of its own in the file (a HAR entry's): its lines count in
        // the body.
        f.location.lines_in_embedded = true;
    }
    f.location.span = None;
    f
}

//! The HTTP exchanges of a packet capture ([`crate::exchange::stream`]): each judged by
//! [`Engine::judge_exchange`], the one code path `.http` files, HAR archives and trace events
//! take, so a capture's exchange gets the findings the same text in a file gets; findings
//! name the frame and the connection. What the capture did not let be read (TLS, no HTTP at
//! all) is settled on the rules that needed it, never left as a pass.

use crate::checks::kind::{Domain, Judge};
use crate::engine::http_capture::{settle_unjudged, Unjudged};
use crate::engine::merge::merge_outcomes;
use crate::engine::Engine;
use crate::exchange::stream::{Captured, Summary};
use crate::finding::{Finding, Outcome, RuleOutcome};

/// The session rules that judge nothing but HTTP exchanges (registrations, deregistrations):
/// in a capture without any, they are not applicable, not passed.
const HTTP_SESSION_CHECKS: &[&str] = &["trace_delivery_as_agreed", "trace_dereg_lists_all"];

/// What the HTTP exchanges of a capture gave, besides their findings.
#[derive(Default)]
pub(super) struct HttpJudged {
    pub outcomes: Vec<RuleOutcome>,
    pub notes: Vec<String>,
    unjudged: Vec<Unjudged>,
}

impl Engine {
    /// Judges one exchange of a capture; returns its findings, each placed at its frame.
    pub(super) fn judge_captured(&self, c: &Captured, into: &mut HttpJudged) -> Vec<Finding> {
        let j = self.judge_exchange(&c.exchange);
        merge_outcomes(&mut into.outcomes, j.outcomes);
        into.notes.extend(j.notes);
        into.unjudged.extend(j.unjudged);
        let place = &c.exchange.label;
        j.findings
            .into_iter()
            .map(|mut f| {
                f.location.context = Some(match f.location.context.take() {
                    Some(within) => format!("{place}: {within}"),
                    None => place.clone(),
                });
                // A line of the exchange's text is no line of the capture: the frame and
                // the message (or its body) say where.
                f.location.line = 0;
                f.location.column = 0;
                f.location.span = None;
                f
            })
            .collect()
    }

    /// Settles what the HTTP reading of a capture could not do on the rules: the exchange
    /// rules that did not judge every exchange, the rules that needed an exchange when there
    /// was none, and, when TLS was seen, every rule that reads HTTP (incomplete where it found
    /// nothing, since what it would have read was encrypted).
    pub(super) fn settle_http(
        &self,
        mut judged: HttpJudged,
        summary: Summary,
        rule_outcomes: &mut Vec<RuleOutcome>,
        notes: &mut Vec<String>,
    ) {
        let ports = format!("{:?} (setting http.ports)", self.settings.http.ports);
        if summary.exchanges > 0 {
            notes.push(format!(
                "{} on TCP ports {ports}",
                crate::plural::counted(summary.exchanges, "HTTP exchange", "HTTP exchanges")
            ));
        }
        settle_unjudged(&mut judged.outcomes, &mut judged.notes, &judged.unjudged);
        merge_outcomes(rule_outcomes, judged.outcomes);
        notes.extend(judged.notes);
        notes.extend(summary.notes);
        let plan = self.plan(Domain::Trace, &["pcap".to_string()], None);
        let reads_http = |id: &str| {
            plan.applied.iter().any(|r| {
                r.id == id
                    && matches!(r.check.kind().judge(), Judge::Trace(c) if c.reads_request_bodies())
            }) || self
                .rules
                .rules
                .iter()
                .any(|r| r.id == id && r.check.domain() == Domain::Exchange)
        };
        if summary.exchanges == 0 {
            let why = format!("no HTTP exchange was read from the capture (TCP ports {ports})");
            for r in plan
                .applied
                .iter()
                .filter(|r| HTTP_SESSION_CHECKS.contains(&r.check.name()))
            {
                set(rule_outcomes, &r.id, false, &why, false);
            }
        }
        if summary.tls_count > 0 {
            let mut named = summary.tls.join(", ");
            if summary.tls_count > summary.tls.len() {
                named.push_str(&format!(
                    ", and {} more",
                    summary.tls_count - summary.tls.len()
                ));
            }
            let why = format!(
                "{} could not be read (TLS: encrypted): {named}",
                crate::plural::counted(summary.tls_count, "TCP connection", "TCP connections")
            );
            notes.push(format!("HTTP not judged: {why}"));
            let ids: Vec<String> = rule_outcomes
                .iter()
                .filter(|o| reads_http(&o.rule))
                .map(|o| o.rule.clone())
                .collect();
            let mut more: Vec<String> = self
                .rules
                .rules
                .iter()
                .filter(|r| r.check.domain() == Domain::Exchange && self.excluded(&r.id).is_none())
                .map(|r| r.id.clone())
                .filter(|id| !ids.contains(id))
                .collect();
            more.extend(ids);
            for id in more {
                set(rule_outcomes, &id, true, &why, true);
            }
        }
    }
}

/// Gives a rule an outcome for what the capture did not let be read: incomplete (when
/// `ran_in_part`) or not applicable where it passed; where it was not applicable, only the
/// reason (when `append`, the reason is added to the one it had). A failure stands.
fn set(outcomes: &mut Vec<RuleOutcome>, id: &str, ran_in_part: bool, why: &str, append: bool) {
    match outcomes.iter_mut().find(|o| o.rule == id) {
        Some(o) if o.outcome == Outcome::Pass => {
            o.outcome = if ran_in_part {
                Outcome::Incomplete(why.into())
            } else {
                Outcome::NotApplicable(why.into())
            };
        }
        Some(o) if !o.applied() => {
            let had = o.outcome.reason().filter(|_| append);
            o.outcome = Outcome::NotApplicable(match had {
                Some(r) => format!("{r}; {why}").into(),
                None => why.into(),
            });
        }
        Some(_) => {}
        // No outcome: it never ran.
        None => outcomes.push(RuleOutcome::not_applicable(id, why.into())),
    }
}

//! Judging MIKEY messages: standalone (a file of raw, hex, base64 or SDP text) and embedded
//! (an LTKM's base64 inside a BCAST XML container).

use super::{judged, outcomes, Engine, Plan};
use crate::checks::kind::{Delivery, Domain, Judge};
use crate::checks::mikey::{MikeyCtx, MikeyHit};
use crate::finding::{CheckResult, Finding, Location, RuleOutcome, NOT_APPLICABLE};
use crate::mikey::{self, ExtType, PayloadBody};
use crate::rules::Rule;

impl Engine {
    /// Judges a standalone MIKEY message. `as_kind` names the profile; without it the
    /// profile is inferred from the message (see `mikey_kinds` in the settings).
    pub fn check_mikey(&self, input: &str, bytes: &[u8], as_kind: Option<&str>) -> CheckResult {
        let mut result = self.check_mikey_delivered(input, bytes, as_kind, None);
        self.complete_outcomes(&mut result, &[Domain::Mikey]);
        result
    }

    /// Judges a MIKEY message that came by `delivery`, when the input says how.
    pub(crate) fn check_mikey_delivered(
        &self,
        input: &str,
        bytes: &[u8],
        as_kind: Option<&str>,
        delivery: Option<Delivery>,
    ) -> CheckResult {
        let (msg, format) = match mikey::input::load(bytes) {
            Ok(x) => x,
            Err(e) => {
                return CheckResult::error(
                    input,
                    as_kind.unwrap_or("mikey"),
                    format!("not a MIKEY message: {e}"),
                )
            }
        };
        let decoded = mikey::decode(&msg);
        let mut notes = vec![format!("read from {format}, {} octets", msg.len())];
        let kind = match as_kind {
            Some(k) => k.to_string(),
            None => {
                let k = infer_kind(&decoded);
                notes.push(format!("read as {k}: name the profile with --as (mikey, ltkm, msk, mtk, mikey-sakke, csk-download) to apply its rules"));
                k.to_string()
            }
        };
        let plan = self.plan(Domain::Mikey, std::slice::from_ref(&kind), delivery);
        let mut findings: Vec<Finding> =
            self.run_mikey(&plan, &decoded, delivery, Location::default(), None);
        findings.sort_by(|a, b| {
            (a.location.byte_offset, &a.rule).cmp(&(b.location.byte_offset, &b.rule))
        });
        findings.dedup();
        let outcomes = outcomes(&plan, &findings);
        judged(input, kind, findings, outcomes, notes, None)
    }

    /// Judges the MIKEY message inside an XML element (an LTKM): findings point at the
    /// element, with the byte offset inside the message.
    pub(super) fn embedded_findings(
        &self,
        kind: &str,
        message: &[u8],
        at: Location,
        label: &str,
    ) -> (Vec<Finding>, Vec<RuleOutcome>) {
        let decoded = mikey::decode(message);
        // The BCAST containers travel only in HTTP responses (OMA BCAST 5.1.6.10.3).
        let delivery = Some(Delivery::HttpResponse);
        let plan = self.plan(Domain::Mikey, &[kind.to_string()], delivery);
        let findings = self.run_mikey(&plan, &decoded, delivery, at, Some(label));
        let outcomes = outcomes(&plan, &findings);
        (findings, outcomes)
    }

    /// Runs the applied MIKEY rules of a plan on a decoded message.
    fn run_mikey(
        &self,
        plan: &Plan,
        decoded: &mikey::Decoded,
        delivery: Option<Delivery>,
        at: Location,
        label: Option<&str>,
    ) -> Vec<Finding> {
        let ctx = MikeyCtx {
            decoded,
            delivery,
            settings: &self.settings,
        };
        let mut findings = Vec::new();
        for rule in &plan.applied {
            if let Judge::Mikey(check) = rule.check.kind().judge() {
                for h in check.mikey(&ctx) {
                    findings.push(self.mikey_finding(rule, h, at.clone(), label));
                }
            }
        }
        findings
    }

    fn mikey_finding(
        &self,
        rule: &Rule,
        hit: MikeyHit,
        mut location: Location,
        label: Option<&str>,
    ) -> Finding {
        location.byte_offset = Some(hit.offset);
        let mut f = self.make_finding(rule, hit.vars, location);
        f.message = match label {
            Some(l) => format!("{l}, byte {}: {}", hit.offset, f.message),
            None => format!("byte {}: {}", hit.offset, f.message),
        };
        f
    }
}

/// The profile a message most likely follows: data type 26 is a MIKEY-SAKKE I_MESSAGE; an
/// OMA BCAST extension (General Extension type 5) with subtype 1 is an LTKM (RFC 5410 3).
fn infer_kind(d: &mikey::Decoded) -> &'static str {
    let Some(m) = &d.message else { return "mikey" };
    if m.header.data_type.value.0 == 26 {
        return "mikey-sakke";
    }
    let ltkm = m.payloads.iter().any(|p| match &p.body {
        PayloadBody::Ext(e) => {
            e.ext_type.value == ExtType(5)
                && matches!(&e.content, Some(mikey::ext::ExtContent::OmaBcast { subtype, .. }) if subtype.value.0 == 1)
        }
        _ => false,
    });
    if ltkm {
        "ltkm"
    } else {
        "mikey"
    }
}

/// Outcomes of several judgements (embedded messages, bodies, events) merged into one: the
/// worst verdict wins, and a rule applied anywhere is no longer not applicable.
pub(super) fn merge_outcomes(into: &mut Vec<RuleOutcome>, more: Vec<RuleOutcome>) {
    let rank = |v: &str| match v {
        "fail" => 0,
        "warn" => 1,
        "info" => 2,
        "pass" => 3,
        NOT_APPLICABLE => 4,
        other => unreachable!("unknown rule outcome {other}"),
    };
    for o in more {
        match into.iter_mut().find(|x| x.rule == o.rule) {
            Some(x) if rank(o.verdict) < rank(x.verdict) => *x = o,
            Some(_) => {}
            None => into.push(o),
        }
    }
}

//! Judging MIKEY messages: standalone (a file of raw, hex, base64 or SDP text) and embedded
//! (an LTKM's base64 inside a BCAST XML container).

use super::infer::infer_kind;
use super::{judged, outcomes, Engine, Plan};
use crate::checks::found::Found;
use crate::checks::kind::{Delivery, Domain, Judge};
use crate::checks::mikey::{MikeyCtx, MikeyHit};
use crate::checks::Hit;
use crate::finding::{CheckResult, Finding, Location, RuleOutcome};
use crate::mikey::{self, ext::ExtContent, PayloadBody};
use crate::rules::Rule;
use crate::settings::Settings;
use roxmltree::Document;
use serde::Serialize;

impl Engine {
    /// Judges a standalone MIKEY message. `as_kind` names the profile; without it the
    /// profile is inferred from the message (see `mikey_kinds` in the settings).
    ///
    /// Without `as_kind` the input must be positively MIKEY (`mikey::input::recognise`):
    /// anything else (a SIP request, other text, other binary data) could not be checked,
    /// rather than be decoded as a broken MIKEY message. A kind the user names is their
    /// choice: the input is then read as MIKEY whatever its header says.
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
        self.judge_mikey(input, bytes, as_kind, as_kind.is_some(), delivery)
    }

    /// Judges a MIKEY message its carrier declares as MIKEY (an `application/mikey` body of
    /// an HTTP message): read as MIKEY whatever its first octet, and by the profile it
    /// shows, as the same message alone ([`Engine::check_mikey`] without `--as`).
    pub(crate) fn check_mikey_declared(
        &self,
        input: &str,
        bytes: &[u8],
        delivery: Option<Delivery>,
    ) -> CheckResult {
        self.judge_mikey(input, bytes, None, true, delivery)
    }

    /// `declared`: the input is read as MIKEY whatever its header says (the user or the
    /// carrier said it is MIKEY); otherwise it must be recognised as MIKEY.
    fn judge_mikey(
        &self,
        input: &str,
        bytes: &[u8],
        as_kind: Option<&str>,
        declared: bool,
        delivery: Option<Delivery>,
    ) -> CheckResult {
        let loaded = if declared {
            mikey::input::load(bytes)
        } else {
            mikey::input::recognise(bytes)
        };
        let (msg, format) = match loaded {
            Ok(x) => x,
            Err(e @ mikey::input::InputError::NotRecognised { .. }) => {
                return CheckResult::error(
                    input,
                    "unknown",
                    format!(
                    "{e}; name the kind with --as (e.g. --as mikey) to read it as that kind anyway"
                ),
                )
            }
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
        notes.extend(wire_notes(&decoded));
        let kind = match as_kind {
            Some(k) => k.to_string(),
            None => {
                let (k, why) = infer_kind(&decoded);
                notes.push(format!("read as {k}: {why}; name the profile with --as (mikey, ltkm, msk, mtk, mikey-sakke, csk-download) to apply another's rules"));
                k.to_string()
            }
        };
        let mut plan = self.plan(Domain::Mikey, std::slice::from_ref(&kind), delivery);
        let mut findings: Vec<Finding> =
            self.run_mikey(&mut plan, &decoded, delivery, Location::default(), None);
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
        // The BCAST containers travel only in HTTP responses (OMA BCAST 5.1.6.10.3).
        self.delivered_findings(kind, message, Some(Delivery::HttpResponse), at, label)
    }

    /// Judges a MIKEY message carried inside another input (an XML element, a SIP body)
    /// by the rules of `kind`: findings point at `at`, with the byte offset inside it.
    pub(super) fn delivered_findings(
        &self,
        kind: &str,
        message: &[u8],
        delivery: Option<Delivery>,
        at: Location,
        label: &str,
    ) -> (Vec<Finding>, Vec<RuleOutcome>) {
        let decoded = mikey::decode(message);
        let mut plan = self.plan(Domain::Mikey, &[kind.to_string()], delivery);
        let findings = self.run_mikey(&mut plan, &decoded, delivery, at, Some(label));
        let outcomes = outcomes(&plan, &findings);
        (findings, outcomes)
    }

    /// Runs the applied MIKEY rules of a plan on a decoded message. A rule whose check finds
    /// nothing to judge in this message moves to the plan's not-applicable list.
    pub(super) fn run_mikey(
        &self,
        plan: &mut Plan,
        decoded: &mikey::Decoded,
        delivery: Option<Delivery>,
        at: Location,
        label: Option<&str>,
    ) -> Vec<Finding> {
        let ctx = MikeyCtx {
            decoded,
            delivery,
            settings: &self.settings,
            sakke: Default::default(),
        };
        let served = self.served(plan.kinds.first().map(String::as_str));
        let mut skipped = Vec::new();
        let mut findings = Vec::new();
        for rule in &plan.applied {
            if let Err(why) = self.run_mikey_rule(rule, &ctx, served, &at, label, &mut findings) {
                skipped.push((*rule, why));
            }
        }
        plan.applied
            .retain(|rule| !skipped.iter().any(|(r, _)| std::ptr::eq(*r, *rule)));
        plan.skipped
            .extend(skipped.into_iter().map(|(r, why)| (r, why.into())));
        findings
    }

    /// The requirements a message of profile `kind` serves: a structure rule shared by every
    /// profile cites only those of the profile the message was read as.
    pub(super) fn served(&self, kind: Option<&str>) -> &[String] {
        kind.and_then(|k| self.settings.mikey_kinds.iter().find(|m| m.name == k))
            .map(|m| m.requirements.as_slice())
            .unwrap_or_default()
    }

    /// Runs one MIKEY rule on a message, adding its findings to `findings`; `Err` with the
    /// reason when it does not apply to this message.
    pub(super) fn run_mikey_rule(
        &self,
        rule: &Rule,
        ctx: &MikeyCtx,
        served: &[String],
        at: &Location,
        label: Option<&str>,
        findings: &mut Vec<Finding>,
    ) -> Result<(), String> {
        let Judge::Mikey(check) = rule.check.kind().judge() else {
            return Ok(());
        };
        let hits = match check.found(ctx) {
            Found::Judged(hits) => hits,
            Found::NotApplicable(why) => return Err(why),
        };
        for h in hits {
            let mut f = self.mikey_finding(rule, h, at.clone(), label);
            let own: Vec<String> = f
                .requirement
                .iter()
                .filter(|r| served.contains(r))
                .cloned()
                .collect();
            if !served.is_empty() && !own.is_empty() {
                f.requirement = own;
            }
            findings.push(f);
        }
        Ok(())
    }

    fn mikey_finding(
        &self,
        rule: &Rule,
        hit: MikeyHit,
        mut location: Location,
        label: Option<&str>,
    ) -> Finding {
        location.byte_offset = Some(hit.offset);
        let mut f = self.make_finding_resting(rule, hit.vars, location, hit.rests_on.as_deref());
        f.message = match label {
            Some(l) => format!("{l}, byte {}: {}", hit.offset, f.message),
            None => format!("byte {}: {}", hit.offset, f.message),
        };
        f
    }
}

/// What the decoder read that no rule judges but a reader should know: a 3GPP key
/// parameters extension whose MCData message type is not the 0x43 of the samples (its
/// layout was recognised by structure; TS 24.282's message type table was not read).
fn wire_notes(d: &mikey::Decoded) -> Vec<String> {
    let Some(m) = &d.message else {
        return Vec::new();
    };
    m.payloads
        .iter()
        .filter_map(|p| match &p.body {
            PayloadBody::Ext(e) => match &e.content {
                Some(ExtContent::KeyParameters(k))
                    if k.message_type.value.0 != mikey::ext::MCDATA_PROTECTED_MESSAGE_TYPE =>
                {
                    Some(format!(
                        "byte {}: the 3GPP key parameters extension (General Extension type 7) opens with MCData message type 0x{:02x}, not the 0x{:02x} of the known samples; it was read as a protected payload by its structure (the payload IE length ends the data, the DPPK-ID equals the CSB ID)",
                        k.message_type.offset,
                        k.message_type.value.0,
                        mikey::ext::MCDATA_PROTECTED_MESSAGE_TYPE
                    ))
                }
                _ => None,
            },
            _ => None,
        })
        .collect()
}

/// An element of an XML document whose content is a MIKEY message (the `embedded_mikey`
/// setting: the LTKMs of the BCAST containers).
pub(crate) struct EmbeddedMessage {
    /// Local name of the element (`LTKM`).
    pub element: String,
    /// The MIKEY kind its content is judged as.
    pub kind: String,
    /// 1-based, among the elements of that name in the parents it counts in.
    pub index: usize,
    /// The element's place in the document.
    pub at: Location,
    /// The element's base64 content decoded, or why it is not base64.
    pub bytes: Result<Vec<u8>, String>,
}

/// Every element of `doc` that the settings name as holding a MIKEY message, in document
/// order per element name.
pub(crate) fn embedded_messages(
    settings: &Settings,
    doc: &Document,
    elements: &crate::checks::ElementIndex,
    text: &str,
) -> Vec<EmbeddedMessage> {
    let mut out = Vec::new();
    // Every element found is placed in turn: the line index is built once (`line_index`).
    let _pin = crate::line_index::pin(text);
    for e in &settings.embedded_mikey {
        let mut index = 0;
        let named = elements.named(&e.element);
        for node in named.iter().filter_map(|&id| doc.get_node(id)) {
            let in_parent = node
                .parent_element()
                .is_some_and(|p| e.parents.iter().any(|x| x == p.tag_name().name()));
            if !in_parent {
                continue;
            }
            index += 1;
            let hit = Hit::at(node);
            out.push(EmbeddedMessage {
                element: e.element.clone(),
                kind: e.kind.clone(),
                index,
                at: crate::xml::location(text, hit.span.0, hit.span.1),
                bytes: crate::xsd::simple::decode_base64(&crate::checks::text_of(node)),
            });
        }
    }
    out
}

/// One MIKEY message found in an input, and where.
#[derive(Debug, Clone, Serialize)]
pub struct FoundMessage {
    /// Where it is, for people: `frame 4 (10.0.0.7:2269 -> 203.0.113.5:2269)`,
    /// `$.log.entries[1].response body, LTKM #1`, `LTKM #2`; empty for a standalone message.
    pub place: String,
    /// The capture frame (pcap), with its UDP endpoints.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub frame: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub src: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dst: Option<String>,
    /// Line and column of the XML element holding it: in the file for an XML payload and the
    /// body of raw HTTP text, in the body for a HAR or a part of a multipart body.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<u32>,
    /// The message, or why the element's content is not one (not base64).
    #[serde(skip)]
    pub message: Result<Vec<u8>, String>,
}

impl FoundMessage {
    pub(crate) fn at(place: String, message: Result<Vec<u8>, String>) -> FoundMessage {
        FoundMessage {
            place,
            frame: None,
            src: None,
            dst: None,
            line: None,
            column: None,
            message,
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::engine::Engine;
    use crate::finding::Verdict;
    use crate::rules::RuleSet;
    use crate::settings::Settings;

    fn engine() -> Engine {
        let settings = Settings::load(None, &[]).expect("settings");
        let rules = RuleSet::builtin(&settings).expect("rules");
        Engine::new(settings, rules, false).expect("engine")
    }

    /// An unfamiliar MCData message type in the key parameters extension is a note, not a
    /// finding; the samples' 0x43 gets none.
    #[test]
    fn key_parameters_message_type_is_a_note() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("vectors/mikey");
        let limit = crate::bounded::Limit::max_bytes(crate::xml::Limits::default().max_bytes);
        let of = |p: &str| crate::format::read_file(&dir.join(p), limit).expect("vector");
        let e = engine();
        let r = e.check(
            "0x40",
            &of("mikey-sakke/key-parameters-message-type-0x40.msg.yaml"),
            None,
        );
        assert_eq!(r.verdict, Verdict::Conformant, "{:?}", r.findings);
        assert!(r.findings.is_empty());
        let notes: Vec<_> = r
            .notes
            .iter()
            .filter(|n| n.contains("MCData message type"))
            .collect();
        assert_eq!(notes.len(), 1, "{:?}", r.notes);
        assert!(
            notes[0].starts_with("byte 495: ") && notes[0].contains("type 0x40"),
            "{}",
            notes[0]
        );
        let r = e.check("csk", &of("real/streamwide-csk.b64"), None);
        assert!(
            !r.notes.iter().any(|n| n.contains("MCData message type")),
            "{:?}",
            r.notes
        );
    }
}

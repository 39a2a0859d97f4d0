//! Judging MIKEY messages: standalone (a file of raw, hex, base64 or SDP text) and embedded
//! (an LTKM's base64 inside a BCAST XML container).

use super::{judged, outcomes, Engine};
use crate::checks::{self, mikey::MikeyHit};
use crate::finding::{CheckResult, Finding, Location, RuleOutcome};
use crate::mikey::{self, ext::ExtContent, ExtType, KeyIdType, PayloadBody};
use crate::rules::Rule;

impl Engine {
    /// Judges a standalone MIKEY message. `as_kind` names the profile; without it the
    /// profile is inferred from the message (see `mikey_kinds` in the settings).
    ///
    /// Without `as_kind` the input must be positively MIKEY (`mikey::input::recognise`):
    /// anything else (a SIP request, other text, other binary data) could not be checked,
    /// rather than be decoded as a broken MIKEY message. A kind the user names is their
    /// choice: the input is then read as MIKEY whatever its header says.
    pub fn check_mikey(&self, input: &str, bytes: &[u8], as_kind: Option<&str>) -> CheckResult {
        let loaded = match as_kind {
            Some(_) => mikey::input::load(bytes),
            None => mikey::input::recognise(bytes),
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
        let mut notes = vec![format!("read as {format:?} input, {} octets", msg.len())];
        let kind = match as_kind {
            Some(k) => k.to_string(),
            None => {
                let (k, why) = infer_kind(&decoded);
                notes.push(format!("read as {k}: {why}; name the profile with --as (mikey, ltkm, msk, mtk, mikey-sakke, csk-download) to apply another's rules"));
                k.to_string()
            }
        };
        let rules = self.rules_for(crate::rules::Domain::Mikey, std::slice::from_ref(&kind));
        let mut findings: Vec<Finding> = Vec::new();
        for rule in &rules {
            for h in checks::run_mikey(&rule.check, &decoded) {
                findings.push(self.mikey_finding(rule, h, Location::default(), None));
            }
        }
        findings.sort_by(|a, b| {
            (a.location.byte_offset, &a.rule).cmp(&(b.location.byte_offset, &b.rule))
        });
        findings.dedup();
        let outcomes = outcomes(&rules, &findings);
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
    ) -> (Vec<Finding>, Vec<&Rule>) {
        let decoded = mikey::decode(message);
        let rules = self.rules_for(crate::rules::Domain::Mikey, &[kind.to_string()]);
        let mut findings = Vec::new();
        for rule in &rules {
            for h in checks::run_mikey(&rule.check, &decoded) {
                findings.push(self.mikey_finding(rule, h, at.clone(), Some(label)));
            }
        }
        (findings, rules)
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

/// The profile a message most likely follows, and what on the wire decided it:
///
/// * HDR data type 26 is a MIKEY-SAKKE I_MESSAGE (RFC 6509 4.1);
/// * an OMA BCAST General Extension (type 5) with subtype 1 is an LTKM (RFC 5410 3);
/// * an RFC 4563 Key ID General Extension (type 3) names the MBMS key the message carries
///   (RFC 4563 4: Key ID type 1 = MBMS Service Key ID, 2 = MBMS Traffic Key ID): with an MTK
///   ID it is an MTK message, with an MSK ID and no MTK ID an MSK message (TS 33.246 6.3.2,
///   6.3.3; the DBC samples carry Key ID types 0+1 in MSK and 0+1+2 in MTK messages, see
///   shared/reference/mikey-wire-format.md 6.2, 6.3). Both are pre-shared-key messages with
///   data type 0 and the empty CS ID map, so neither the data type nor the map tells them
///   apart: only the Key IDs do.
fn infer_kind(d: &mikey::Decoded) -> (&'static str, String) {
    let Some(m) = &d.message else {
        return ("mikey", "the common header could not be decoded".into());
    };
    let dt = &m.header.data_type;
    if dt.value.0 == 26 {
        return (
            "mikey-sakke",
            format!(
                "HDR data type 26 (SAKKE I_MESSAGE, RFC 6509) at byte {}",
                dt.offset
            ),
        );
    }
    let exts = || {
        m.payloads.iter().filter_map(|p| match &p.body {
            PayloadBody::Ext(e) => Some((p.offset, e)),
            _ => None,
        })
    };
    let ltkm = exts().find(|(_, e)| {
        e.ext_type.value == ExtType::OMA_BCAST
            && matches!(&e.content, Some(ExtContent::OmaBcast { subtype, .. }) if subtype.value.0 == 1)
    });
    if let Some((at, _)) = ltkm {
        return (
            "ltkm",
            format!(
                "the General Extension at byte {at} is OMA BCAST (type 5) with subtype 1 (LTKM, RFC 5410)"
            ),
        );
    }
    let key_id = |t: KeyIdType| {
        exts().find_map(|(at, e)| match &e.content {
            Some(ExtContent::KeyIds { key_ids }) if e.ext_type.value == ExtType::KEY_ID => key_ids
                .iter()
                .find(|k| k.key_id_type.value == t)
                .map(|k| (at, k.offset)),
            _ => None,
        })
    };
    if let Some((at, k)) = key_id(KeyIdType::MBMS_MTK_ID) {
        return (
            "mtk",
            format!(
                "the RFC 4563 Key ID General Extension (type 3) at byte {at} carries an MBMS Traffic Key ID (MTK ID, Key ID type 2) at byte {k}"
            ),
        );
    }
    if let Some((at, k)) = key_id(KeyIdType::MBMS_MSK_ID) {
        return (
            "msk",
            format!(
                "the RFC 4563 Key ID General Extension (type 3) at byte {at} carries an MBMS Service Key ID (MSK ID, Key ID type 1) at byte {k} and no MTK ID (Key ID type 2)"
            ),
        );
    }
    (
        "mikey",
        format!(
            "HDR data type {} is not 26 (SAKKE), and no General Extension names a profile (OMA BCAST LTKM, or an RFC 4563 MBMS MSK or MTK ID)",
            dt.value.0
        ),
    )
}

/// Outcomes of embedded-message rules merged into a document's outcomes (worst wins).
pub(super) fn merge_outcomes(into: &mut Vec<RuleOutcome>, more: Vec<RuleOutcome>) {
    let rank = |v: &str| match v {
        "fail" => 0,
        "warn" => 1,
        "info" => 2,
        _ => 3,
    };
    for o in more {
        match into.iter_mut().find(|x| x.rule == o.rule) {
            Some(x) if rank(o.verdict) < rank(x.verdict) => x.verdict = o.verdict,
            Some(_) => {}
            None => into.push(o),
        }
    }
}

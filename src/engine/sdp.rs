//! Judging an SDP session description (`crate::sdp`): each `a=key-mgmt:mikey` attribute's
//! message by the MIKEY rules of the profile it follows (`infer::infer_kind`), as the same
//! message alone in a file would be judged, its findings placed at the attribute's line; the
//! outcomes merged (the worst wins). An attribute of another key management protocol is
//! noted and left alone; an attribute that holds no readable MIKEY message makes the input
//! "could not check", as the message alone would be, never a pass.

use super::infer::infer_kind;
use super::merge::merge_outcomes;
use super::{judged, Engine};
use crate::checks::kind::Domain;
use crate::finding::{CheckResult, Location};
use crate::mikey;

/// The kind an SDP description is read as (rules/settings.yaml `capture_kinds`).
pub const KIND: &str = "sdp";

impl Engine {
    /// Judges the MIKEY messages of an SDP description's `a=key-mgmt` attributes.
    pub fn check_sdp(&self, input: &str, bytes: &[u8]) -> CheckResult {
        let (mut findings, mut outcomes, mut notes) = (Vec::new(), Vec::new(), Vec::new());
        let mut judged_any = false;
        for a in crate::sdp::key_mgmt_attributes(bytes) {
            if !a.protocol.eq_ignore_ascii_case("mikey") {
                notes.push(format!(
                    "line {}: a=key-mgmt of protocol {:?}, not MIKEY: not judged",
                    a.line, a.protocol
                ));
                continue;
            }
            let message = match mikey::input::load(&a.text) {
                Ok((message, _)) => message,
                Err(e) => {
                    let why = format!("line {}: not a MIKEY message: {e}", a.line);
                    return CheckResult::error(input, KIND, why);
                }
            };
            let kind = infer_kind(&mikey::decode(&message)).0;
            let at = Location {
                line: a.line,
                column: a.column,
                ..Location::default()
            };
            let label = format!(
                "a=key-mgmt at line {} ({} octets, read as {kind})",
                a.line,
                message.len()
            );
            notes.push(label.clone());
            let (f, o) = self.delivered_findings(kind, &message, None, at, &label);
            findings.extend(f);
            merge_outcomes(&mut outcomes, o);
            judged_any = true;
        }
        if !judged_any {
            let why = "nothing in it could be checked: the SDP description has no a=key-mgmt:mikey attribute";
            let mut r = CheckResult::error(input, KIND, why.into());
            r.notes = notes;
            return r;
        }
        findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        let source = String::from_utf8(bytes.to_vec()).ok();
        let mut result = judged(input, KIND.into(), findings, outcomes, notes, source);
        self.complete_outcomes(&mut result, &[Domain::Mikey]);
        result
    }
}

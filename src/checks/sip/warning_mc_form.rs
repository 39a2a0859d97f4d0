//! Check kind `sip_warning_mc_form` (provisional): an MC warning travels as warn-code 399 with
//! the 3-digit MC code and its text inside the quoted warn-text,
//! `399 host "101 service authorisation failed"` (TS 24.379 / 24.281 4.4 as secondary
//! sources give it; 24.281 4.4 itself was not read). The MC code in the warn-code slot
//! (`101 host "…"`) is RFC-legal syntax but not that form.

use super::*;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WarningMcForm {
    pub answers: Vec<Answer>,
}

impl CheckKind for WarningMcForm {
    crate::check_kind_judge!(Sip);
    fn needs(&self) -> Needs {
        // Every field spelt out (README, "Mutation testing"): the reading shows only at load.
        Needs { setting: None, delivery: None, provisional_reading: Some("TS 24.281 4.4 carries MC codes as warn-code 399 with the code inside the warn-text (secondary sources)") }
    }
}

impl SipCheck for WarningMcForm {
    fn sip(&self, ctx: &SipCtx) -> SipJudgement {
        let ws: Vec<_> = self.answers.iter().flat_map(|a| a.warnings(ctx)).collect();
        let hits = ws
            .iter()
            .filter(|w| w.code != Some(399) || w.mc_code().is_none())
            .map(|w| hit(w.span.clone(), vec![("value", text(ctx.file, &w.span))]))
            .collect();
        SipJudgement::of(ws.len(), hits, || no_answer(&self.answers))
    }
}

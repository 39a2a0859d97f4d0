//! Check kind `sip_scan_issue`: problems the scanner found with the text itself (framing,
//! grammar, multipart, a base64 application/mikey body), of the classes a rule names.

use super::*;
use crate::sip::IssueClass;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScanIssueCheck {
    pub issues: Vec<IssueClass>,
}

impl CheckKind for ScanIssueCheck {
    crate::check_kind_judge!(Sip);
}

impl SipCheck for ScanIssueCheck {
    fn sip(&self, ctx: &SipCtx) -> SipJudgement {
        let hits = ctx
            .sip
            .messages
            .iter()
            .flat_map(|m| m.all_issues())
            .filter(|i| self.issues.contains(&i.class))
            .map(|i| hit(i.span.clone(), vec![("detail", i.detail.clone())]))
            .collect();
        SipJudgement::hits(hits)
    }
}

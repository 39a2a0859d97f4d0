//! Check kind `sip_answer_warning`: a response of the given status to a selected request
//! carries the Warning the procedure names (7.2.5: 488 with "136 …"; 7.3.2, 7.3.3: 403 with
//! "101 …" or "140 …"). The texts are the `sip.warning_texts` setting.
//!
//! `exact`: every warning that carries one of the codes has one of the code's accepted texts
//! exactly (case and spaces included). `present`: one of the warnings carries one of the
//! codes. `other_spelling`: a warning has an accepted text that is not the table's (the first
//! of the setting's list): an info finding, naming why that spelling is accepted. The code is
//! read inside the quoted warn-text (the MC form) or, failing that, in the warn-code slot:
//! which of the two TS 24.281 4.4 wants rests on secondary sources and is the provisional
//! `sip_warning_mc_form` rule's question, not this one's.

use super::*;

#[derive(Debug, Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    Exact,
    Present,
    OtherSpelling,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnswerWarning {
    pub request: Select,
    pub status: u16,
    pub codes: Vec<u16>,
    pub mode: Mode,
}

impl CheckKind for AnswerWarning {
    crate::check_kind_judge!(Sip);
    fn validate(&self, settings: &Settings) -> Result<(), String> {
        match self
            .codes
            .iter()
            .find(|c| settings.sip.warning_text(**c).is_none())
        {
            Some(c) => Err(format!("warning code {c} has no text in sip.warning_texts")),
            None => Ok(()),
        }
    }
}

/// The MC code of a warning value and the text after it, in either form.
pub(crate) fn code_and_text(w: &crate::sip::warning::WarningValue) -> Option<(u16, String)> {
    if let Some((c, t)) = w.mc_code() {
        return Some((c, t.to_string()));
    }
    Some((w.code?, w.text.clone()?))
}

impl SipCheck for AnswerWarning {
    fn sip(&self, ctx: &SipCtx) -> SipJudgement {
        let mut hits = Vec::new();
        let mut judged = 0;
        let expected = |c: u16| {
            ctx.settings
                .sip
                .warning_text(c)
                .unwrap_or_default()
                .to_string()
        };
        for (i, _) in self.request.requests(ctx.file, ctx.sip) {
            for r in ctx
                .sip
                .responses_to(i)
                .filter(|r| r.status() == Some(self.status))
            {
                judged += 1;
                let ws = warnings(ctx.file, r);
                let ours: Vec<_> = ws
                    .iter()
                    .filter_map(|w| code_and_text(w).map(|ct| (w, ct)))
                    .filter(|(_, (c, _))| self.codes.contains(c))
                    .collect();
                let wanted = self
                    .codes
                    .iter()
                    .map(|c| format!("\"{c} {}\"", expected(*c)))
                    .collect::<Vec<_>>()
                    .join(" or ");
                let accepted = |c: u16, t: &str| {
                    ctx.settings
                        .sip
                        .warning_texts(c)
                        .is_some_and(|ts| ts.iter().any(|a| a == t))
                };
                match self.mode {
                    Mode::OtherSpelling => {
                        for (w, (c, t)) in &ours {
                            if accepted(*c, t) && *t != expected(*c) {
                                hits.push(hit(
                                    w.span.clone(),
                                    vec![
                                        ("value", format!("{c} {t}")),
                                        ("expected", format!("{c} {}", expected(*c))),
                                    ],
                                ));
                            }
                        }
                    }
                    Mode::Exact => {
                        for (w, (c, t)) in &ours {
                            if !accepted(*c, t) {
                                hits.push(hit(
                                    w.span.clone(),
                                    vec![
                                        ("value", format!("{c} {t}")),
                                        ("expected", format!("{c} {}", expected(*c))),
                                    ],
                                ));
                            }
                        }
                    }
                    Mode::Present if ours.is_empty() => {
                        let found = if ws.is_empty() {
                            "no Warning header".to_string()
                        } else {
                            format!(
                                "Warning {}",
                                ws.iter()
                                    .map(|w| w.text.clone().unwrap_or_default())
                                    .collect::<Vec<_>>()
                                    .join(", ")
                            )
                        };
                        hits.push(hit(
                            r.start_span.clone(),
                            vec![("value", found), ("expected", wanted)],
                        ));
                    }
                    Mode::Present => {}
                }
            }
        }
        SipJudgement::of(judged, hits, || {
            format!(
                "the input holds no {} response to {}",
                self.status,
                self.request.describe()
            )
        })
    }
}

//! Checks on a file of SIP messages (MCVideo signalling, TS 24.281 CR 003). Each check
//! selects the messages it is about (a method and the media types of the bodies it
//! carries), judges them, and returns the byte spans of what is wrong — or, when the file
//! holds nothing it judges, why not (the rule is then not applicable, never passed).

pub(crate) use super::kind::{CheckKind, NeededSetting, Needs, SipCheck};
pub(crate) use crate::settings::Settings;
pub(crate) use crate::sip::select::Select;
pub(crate) use crate::sip::{SipFile, SipMessage};
pub(crate) use serde::Deserialize;
use std::ops::Range;

pub mod accept_contact;
pub mod answer_status;
pub mod answer_warning;
pub mod body_parts;
pub mod csk_initiator;
pub mod embedded_register;
pub mod feature_value_grammar;
pub mod grammar;
pub mod header_value;
pub mod notify_follows_publish;
pub mod poc_entities;
pub mod request_uri_registered;
pub mod scan_issue;
pub mod warning_agent;
pub mod warning_grammar;
pub mod warning_mc_form;
pub mod xml_elements;

/// What the SIP checks may look at.
pub struct SipCtx<'a> {
    /// The file's bytes: every span indexes them.
    pub file: &'a [u8],
    pub sip: &'a SipFile,
    pub settings: &'a Settings,
}

/// One place where a rule is violated.
#[derive(Debug, Clone)]
pub struct SipHit {
    pub span: Range<usize>,
    pub vars: Vec<(&'static str, String)>,
    /// A reading no source confirms that this hit rests on.
    pub rests_on: Option<String>,
}

pub(crate) fn hit(span: Range<usize>, vars: Vec<(&'static str, String)>) -> SipHit {
    SipHit {
        span,
        vars,
        rests_on: None,
    }
}

/// A check's result on a file: its hits, or why the file held nothing it judges, as every
/// domain's checks say it.
pub type SipJudgement = crate::checks::found::Found<SipHit>;

/// Responses of a status to selected requests, with the MC warning codes a rule looks at.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Answer {
    pub request: Select,
    pub status: u16,
    pub codes: Vec<u16>,
}

impl Answer {
    /// The warning-values of these responses that carry one of the codes.
    pub(crate) fn warnings(&self, ctx: &SipCtx) -> Vec<crate::sip::warning::WarningValue> {
        let mut out = Vec::new();
        for (i, _) in self.request.requests(ctx.file, ctx.sip) {
            for r in ctx
                .sip
                .responses_to(i)
                .filter(|r| r.status() == Some(self.status))
            {
                out.extend(warnings(ctx.file, r).into_iter().filter(|w| {
                    answer_warning::code_and_text(w).is_some_and(|(c, _)| self.codes.contains(&c))
                }));
            }
        }
        out
    }

    pub(crate) fn describe(&self) -> String {
        let codes: Vec<String> = self.codes.iter().map(u16::to_string).collect();
        format!(
            "a Warning with code {} in a {} response to {}",
            codes.join(" or "),
            self.status,
            self.request.describe()
        )
    }
}

/// "the input holds no Warning with code … in …, nor a Warning …" (the first without its
/// article: "holds no a Warning" was the reason's wording until mutation testing read it).
pub(crate) fn no_answer(answers: &[Answer]) -> String {
    let d: Vec<String> = answers.iter().map(Answer::describe).collect();
    format!(
        "the input holds no {}",
        d.join(", nor ").trim_start_matches("a ")
    )
}

/// The role that sent message `n` of the file, by `sip_senders` of the profile vocabulary: a
/// request's sender, or for a response the role that answers its request. None when no entry
/// matches (the message is then judged whoever sent it).
pub fn sender_of(file: &[u8], sip: &SipFile, n: usize) -> Option<&'static str> {
    let senders = &crate::profile::vocabulary().sip_senders;
    let m = sip.messages.get(n)?;
    if m.method().is_some() {
        return senders
            .iter()
            .find(|s| s.request.matches(file, m))
            .map(|s| s.role.as_str());
    }
    let request = sip.messages.get((*sip.answers.get(n)?)?)?;
    senders
        .iter()
        .find(|s| s.request.matches(file, request))
        .map(|s| s.answered_by.as_str())
}

/// "the file holds no MESSAGE request carrying …".
pub(crate) fn none_selected(s: &Select) -> String {
    format!(
        "the input holds no {}",
        s.describe().trim_start_matches("a ")
    )
}

/// The text of a byte range of a header, each fold read as one SP (RFC 3261 7.3.1).
pub(crate) fn text(file: &[u8], r: &Range<usize>) -> String {
    crate::sip::header_field::unfolded_text(file, r.clone())
}

/// Percent-decodes (RFC 3986 2.1; hex digits in either case).
pub(crate) fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = |c: u8| (c as char).to_digit(16);
        if b[i] == b'%' && i + 2 < b.len() {
            if let (Some(h), Some(l)) = (hex(b[i + 1]), hex(b[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).to_string()
}

/// The warning-values of every Warning header of a message, an empty list element included
/// (with an empty span): RFC 3261 20.43 has no empty elements (`warning-value *(COMMA
/// warning-value)`), so `sip_warning_grammar` reports one; it has no warn-code, so no rule
/// that looks for a code sees it.
pub(crate) fn warnings(file: &[u8], m: &SipMessage) -> Vec<crate::sip::warning::WarningValue> {
    m.headers_named("warning")
        .flat_map(|h| crate::sip::header_field::split(file, h.value_span.clone(), b','))
        .map(|r| crate::sip::warning::parse(file, r))
        .collect()
}

/// A message's XML body of a media type, parsed (None when absent or not well-formed: the
/// XML domain reports that).
pub(crate) fn xml_body(file: &[u8], m: &SipMessage, essence: &str) -> Option<(usize, String)> {
    let part = m.parts_of(essence).into_iter().next()?;
    let raw = &file[part.content.clone()];
    let lead = raw.iter().take_while(|b| b.is_ascii_whitespace()).count();
    let text = std::str::from_utf8(&raw[lead..]).ok()?.trim_end();
    Some((part.content.start + lead, text.to_string()))
}

//! Which SIP requests a rule or a profile entry is about ([`Select`]): a method, the media
//! types of the body, the Event package. Beside the messages it matches, so that the profile
//! vocabulary (`sip_senders`) and the SIP check kinds both import it, not each other.

use super::{SipFile, SipMessage};
use serde::Deserialize;

/// The requests a rule is about: a method, and (when given) a body of one of these media
/// types (e.g. MESSAGE carrying application/mikey: the CSK download of 7.3.7).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Select {
    pub method: String,
    #[serde(default)]
    pub carrying: Vec<String>,
    /// The Event header's package (`poc-settings`), when the rule is about one.
    #[serde(default)]
    pub event: Option<String>,
}

impl Select {
    pub fn matches(&self, file: &[u8], m: &SipMessage) -> bool {
        let carries = |e: &str| self.carrying.iter().any(|c| c == e);
        // RFC 3261 7.1: "The method name is case-sensitive" (`message` is no MESSAGE).
        m.method().is_some_and(|x| x == self.method)
            && (self.carrying.is_empty()
                || m.parts().iter().any(|p| p.essence().is_some_and(carries)))
            // RFC 6665 8.2.1 (and RFC 3265 7.2.1): the event-type "is compared byte by byte"
            // (`POC-Settings` is no poc-settings package, as MCV-PUB-01 says of it).
            && self
                .event
                .as_ref()
                .is_none_or(|want| event_of(file, m).is_some_and(|e| e == *want))
    }

    /// The top-level requests it selects, with their index in the file.
    pub fn requests<'a>(
        &'a self,
        file: &'a [u8],
        sip: &'a SipFile,
    ) -> impl Iterator<Item = (usize, &'a SipMessage)> + 'a {
        sip.messages
            .iter()
            .enumerate()
            .filter(move |(_, m)| self.matches(file, m))
    }

    /// "a MESSAGE carrying application/mikey", for reasons.
    pub fn describe(&self) -> String {
        let mut d = format!("a {} request", self.method);
        if let Some(e) = &self.event {
            d.push_str(&format!(" for event {e}"));
        }
        if !self.carrying.is_empty() {
            d.push_str(&format!(" carrying {}", self.carrying.join(" or ")));
        }
        d
    }
}

/// The event package of a message's Event header (`poc-settings;id=1` → `poc-settings`).
fn event_of(file: &[u8], m: &SipMessage) -> Option<String> {
    let h = m.header("event")?;
    let v = h.values(file).into_iter().next()?;
    Some(super::header_field::unfolded_text(file, v.main.clone()))
}

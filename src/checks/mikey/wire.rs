//! Check kind `mikey_wire`.

use super::*;

/// The decoder found none of these wire problems (`WireIssue` kinds).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Wire {
    pub issues: Vec<String>,
}

impl CheckKind for Wire {
    crate::check_kind_judge!(Mikey);

    fn validate(&self, _settings: &Settings) -> Result<(), String> {
        match self
            .issues
            .iter()
            .find(|i| !crate::mikey::WireIssue::KINDS.contains(&i.as_str()))
        {
            Some(bad) => Err(format!(
                "mikey_wire names unknown issue kind '{bad}' (known: {})",
                crate::mikey::WireIssue::KINDS.join(", ")
            )),
            None => Ok(()),
        }
    }
}

impl MikeyCheck for Wire {
    fn mikey(&self, ctx: &MikeyCtx) -> Vec<MikeyHit> {
        wire(ctx.decoded, &self.issues)
    }
}

/// Decoder issues of the named kinds (`WireIssue::kind`).
fn wire(d: &Decoded, kinds: &[String]) -> Vec<MikeyHit> {
    d.issues
        .iter()
        .filter(|i| kinds.iter().any(|k| k == i.kind()))
        .map(|i| hit(i.offset(), vec![("detail", i.to_string())]))
        .collect()
}

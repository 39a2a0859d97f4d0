//! The `sip` settings (rules/settings.yaml): how SIP text is read and what the MCVideo
//! Warning texts are.

use serde::Deserialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SipSettings {
    /// Read LF-only line ends as CRLF when measuring a body against its Content-Length.
    pub lf_as_crlf: bool,
    /// Ports whose UDP datagrams and TCP streams are read as SIP from packet captures.
    pub ports: Vec<u16>,
    /// Octets of one TCP flow kept while a SIP message completes (docs/scale.md).
    pub max_tcp_buffer: usize,
    /// The MCVideo server's host name, for the warn-agent of its Warning headers (TS 24.281
    /// 4.4.1 as secondary sources give it); none: that provisional rule does not apply.
    #[serde(default)]
    pub server_host: Option<String>,
    /// The Warning texts of TS 24.281 table 4.4.2-2 the CR uses, by MC code: the accepted
    /// spellings, the table's first (a single text is a list of one). Keys are the codes as
    /// text (a YAML mapping's keys pass through JSON at build time).
    pub warning_texts: BTreeMap<String, WarningTexts>,
}

/// The accepted texts of one MC warning code: the table's text first, then the other
/// spellings accepted (the CR's own, where it differs). Written as a list or as one text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WarningTexts(pub Vec<String>);

impl<'de> Deserialize<'de> for WarningTexts {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum OneOrMany {
            One(String),
            Many(Vec<String>),
        }
        let texts = match OneOrMany::deserialize(d)? {
            OneOrMany::One(t) => vec![t],
            OneOrMany::Many(ts) => ts,
        };
        if texts.is_empty() {
            return Err(serde::de::Error::custom(
                "a warning code needs at least one text",
            ));
        }
        Ok(WarningTexts(texts))
    }
}

impl SipSettings {
    /// The table's text of an MC warning code, e.g. 136 → "authentication of the …".
    pub fn warning_text(&self, code: u16) -> Option<&str> {
        self.warning_texts(code)?.first().map(String::as_str)
    }

    /// Every accepted text of an MC warning code, the table's first.
    pub fn warning_texts(&self, code: u16) -> Option<&[String]> {
        self.warning_texts
            .get(&code.to_string())
            .map(|t| t.0.as_slice())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn warning_texts_are_a_list_or_one_text_never_none() {
        let list: WarningTexts = serde_json::from_str(r#"["a", "a "]"#).unwrap();
        assert_eq!(list.0, ["a", "a "]);
        let one: WarningTexts = serde_json::from_str(r#""a""#).unwrap();
        assert_eq!(one.0, ["a"]);
        assert!(serde_json::from_str::<WarningTexts>("[]").is_err());
    }
}

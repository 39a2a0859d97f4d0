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
    /// The Warning texts of TS 24.281 table 4.4.2-2 the CR uses, by MC code.
    /// Keys are the codes as text (a YAML mapping's keys pass through JSON at build time).
    pub warning_texts: BTreeMap<String, String>,
}

impl SipSettings {
    /// The text of an MC warning code, e.g. 136 → "authentication of the …".
    pub fn warning_text(&self, code: u16) -> Option<&str> {
        self.warning_texts
            .get(&code.to_string())
            .map(String::as_str)
    }
}

//! SDP session descriptions (RFC 8866) as carriers of MIKEY: the `a=key-mgmt` attributes
//! (RFC 4567 3.1: `key-mgmt:<prtcl-id> <keymgmt-data>`) of a whole SDP body, at session level
//! and under each `m=` line, each with its line and column. An MCVideo or MCPTT offer (TS
//! 24.281, TS 24.379) or an MBMS session's SDP may carry several; each is one MIKEY message.
//! Only the attribute lines are read: the rest of the description is not judged.

/// One `a=key-mgmt` attribute.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyMgmt {
    /// The attribute's line (from 1) and the column (from 1, in octets) of its data, after
    /// the protocol identifier and its space.
    pub line: u32,
    pub column: u32,
    /// The protocol identifier (`mikey`), as written.
    pub protocol: String,
    /// The whole attribute line, `a=key-mgmt:...` without its line ending: what the MIKEY
    /// input reader (`mikey::input::load`) takes.
    pub text: Vec<u8>,
}

/// Whether the bytes open as an SDP session description: the first line is `v=0` (RFC 8866
/// 5: the version line comes first), ended by CRLF or LF.
pub fn looks_like_sdp(bytes: &[u8]) -> bool {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    bytes.starts_with(b"v=0\r\n") || bytes.starts_with(b"v=0\n")
}

/// Every `a=key-mgmt` attribute of the description, in order (the attribute name compared
/// ignoring case, as `mikey::input` does).
pub fn key_mgmt_attributes(bytes: &[u8]) -> Vec<KeyMgmt> {
    const NAME: &[u8] = b"a=key-mgmt:";
    let mut out = Vec::new();
    for (n, raw) in bytes.split(|&b| b == b'\n').enumerate() {
        let line = raw.strip_suffix(b"\r").unwrap_or(raw);
        if line.len() < NAME.len() || !line[..NAME.len()].eq_ignore_ascii_case(NAME) {
            continue;
        }
        let value = &line[NAME.len()..];
        let protocol_len = value.iter().position(|&b| b == b' ').unwrap_or(value.len());
        out.push(KeyMgmt {
            line: u32::try_from(n + 1).unwrap_or(u32::MAX),
            column: u32::try_from(NAME.len() + protocol_len + 2).unwrap_or(u32::MAX),
            protocol: String::from_utf8_lossy(&value[..protocol_len]).into_owned(),
            text: line.to_vec(),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_mgmt_attribute_with_its_line() {
        let sdp = b"v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\na=key-mgmt:mikey AQID\r\nm=video 5000 RTP/SAVP 96\r\nA=KEY-MGMT:kerberos abc\n";
        assert!(looks_like_sdp(sdp));
        let found = key_mgmt_attributes(sdp);
        assert_eq!(found.len(), 2);
        assert_eq!((found[0].line, found[0].column), (4, 18));
        assert_eq!(found[0].protocol, "mikey");
        assert_eq!(found[0].text, b"a=key-mgmt:mikey AQID");
        assert_eq!((found[1].line, found[1].protocol.as_str()), (6, "kerberos"));
    }

    #[test]
    fn only_a_version_line_first_is_sdp() {
        assert!(!looks_like_sdp(b"a=key-mgmt:mikey AQID\n"));
        assert!(!looks_like_sdp(b"INVITE sip:a@b SIP/2.0\r\n\r\nv=0\r\n"));
        assert!(!looks_like_sdp(b"v=01\n"));
    }
}

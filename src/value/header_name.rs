//! Header field names compared as names, not as the text that spells them.
//!
//! Every protocol the tool reads makes field names case-insensitive: SIP (RFC 3261 7.3.1
//! "field names are always case-insensitive"), HTTP (RFC 9110 5.1), MIME entity headers
//! (RFC 2045 and RFC 5322 1.2.2). SIP alone adds compact forms: a one-letter name that is
//! the same field as its long form (RFC 3261 7.3.3, and the IANA SIP header registry for
//! the forms later RFCs gave). The forms are the SIP message's own: the header section of a
//! MIME body part is RFC 2045's, where `c` is no Content-Type (RFC 2045 9: only
//! `Content-` fields have meaning in a part), so a name is read in the grammar it was
//! written in ([`NameForms`]).

use std::fmt;

/// RFC 3261 7.3.3 compact forms, and the later ones of the IANA SIP header registry used in
/// MC signalling (RFC 3841 `a` `d` `j`, RFC 3892 `b`, RFC 3515 `r`, RFC 6665 `o` `u`,
/// RFC 4028 `x`).
pub const SIP_COMPACT_FORMS: &[(u8, &str)] = &[
    (b'a', "accept-contact"),
    (b'b', "referred-by"),
    (b'c', "content-type"),
    (b'd', "request-disposition"),
    (b'e', "content-encoding"),
    (b'f', "from"),
    (b'i', "call-id"),
    (b'j', "reject-contact"),
    (b'k', "supported"),
    (b'l', "content-length"),
    (b'm', "contact"),
    (b'o', "event"),
    (b'r', "refer-to"),
    (b's', "subject"),
    (b't', "to"),
    (b'u', "allow-events"),
    (b'v', "via"),
    (b'x', "session-expires"),
];

/// The grammar a field name is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameForms {
    /// A SIP message's header section: case-insensitive, compact forms.
    Sip,
    /// HTTP, and the header section of a MIME entity (a body part): case-insensitive only.
    Mime,
}

/// A field name in its value space: the long form, lower-cased.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct HeaderName(String);

impl HeaderName {
    /// The name `raw` spells in `forms`, and whether it was a compact form. Whitespace
    /// around it is not part of it (RFC 3261 25.1 HCOLON allows SP and HTAB before the colon).
    pub fn read(raw: &[u8], forms: NameForms) -> (HeaderName, bool) {
        let raw = raw.trim_ascii();
        if let ([c], NameForms::Sip) = (raw, forms) {
            let c = c.to_ascii_lowercase();
            if let Some((_, long)) = SIP_COMPACT_FORMS.iter().find(|(k, _)| *k == c) {
                return (HeaderName((*long).to_string()), true);
            }
        }
        (
            HeaderName(String::from_utf8_lossy(raw).to_ascii_lowercase()),
            false,
        )
    }

    /// A SIP header name, in any case, long or compact.
    pub fn sip(raw: &str) -> HeaderName {
        HeaderName::read(raw.as_bytes(), NameForms::Sip).0
    }

    /// An HTTP or MIME field name, in any case (the tests' spelling of one).
    #[cfg(test)]
    pub fn mime(raw: &str) -> HeaderName {
        HeaderName::read(raw.as_bytes(), NameForms::Mime).0
    }

    /// The long form, lower-cased.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether `raw`, written in `forms`, names this field.
    pub fn is(&self, raw: &str, forms: NameForms) -> bool {
        HeaderName::read(raw.as_bytes(), forms).0 == *self
    }
}

impl fmt::Display for HeaderName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Whether two HTTP (or MIME) field names are the same field.
pub fn same_http_name(a: &str, b: &str) -> bool {
    a.trim_ascii().eq_ignore_ascii_case(b.trim_ascii())
}

/// A rule table's SIP header name (`header: P-Asserted-Service`, `header: o`): read as the
/// field it names, whatever its case or form.
pub fn deserialize_sip_name<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    let raw = <String as serde::Deserialize>::deserialize(d)?;
    Ok(HeaderName::sip(&raw).0)
}

/// A rule table's SIP parameter name (`param: icsi-ref`): parameter names are
/// case-insensitive (RFC 3261 7.3.1), and the reader keeps them lower-cased.
pub fn deserialize_param_name<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    let raw = <String as serde::Deserialize>::deserialize(d)?;
    Ok(raw.trim().to_ascii_lowercase())
}

/// A list of parameter names, each as [`deserialize_param_name`] reads it.
pub fn deserialize_param_names<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Vec<String>, D::Error> {
    let raw = <Vec<String> as serde::Deserialize>::deserialize(d)?;
    Ok(raw.iter().map(|n| n.trim().to_ascii_lowercase()).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_compare_in_their_grammar() {
        let sip = |s: &str| HeaderName::read(s.as_bytes(), NameForms::Sip);
        assert_eq!(sip("Content-Type").0, sip("c").0);
        assert_eq!(sip("c"), (HeaderName::sip("CONTENT-TYPE"), true));
        assert_eq!(sip(" Via\t").0, HeaderName::sip("v"));
        assert_eq!(sip("X").0.as_str(), "session-expires");
        assert_eq!(sip("Y").0.as_str(), "y");
        // In a MIME part (and HTTP), `c` is only `c`.
        let mime = HeaderName::read(b"c", NameForms::Mime);
        assert_eq!(mime, (HeaderName::mime("C"), false));
        assert!(!HeaderName::sip("content-type").is("c", NameForms::Mime));
        assert!(HeaderName::sip("content-type").is("c", NameForms::Sip));
        assert!(same_http_name("Content-Length", "content-length"));
        assert!(!same_http_name("Content-Length", "l"));
    }
}

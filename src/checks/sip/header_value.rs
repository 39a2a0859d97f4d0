//! Check kind `sip_header_value`: the selected requests carry a header with one of the
//! given values (e.g. P-Asserted-Service = the MCVideo ICSI, Event = poc-settings). A
//! value's leading part is compared, its parameters aside (`poc-settings;id=1`).

use super::*;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HeaderValue {
    pub request: Select,
    /// The header, in any case, long or compact: kept as its lower-case long name
    /// ([`crate::value::HeaderName`]), the name the reader gives every header.
    #[serde(deserialize_with = "crate::value::header_name::deserialize_sip_name")]
    pub header: String,
    pub one_of: Vec<String>,
}

impl CheckKind for HeaderValue {
    crate::check_kind_judge!(Sip);
}

impl SipCheck for HeaderValue {
    fn sip(&self, ctx: &SipCtx) -> SipJudgement {
        let mut hits = Vec::new();
        let mut judged = 0;
        for (_, m) in self.request.requests(ctx.file, ctx.sip) {
            judged += 1;
            let headers: Vec<_> = m.headers_named(&self.header).collect();
            if headers.is_empty() {
                hits.push(hit(
                    m.start_span.clone(),
                    vec![
                        ("value", "absent".into()),
                        ("expected", self.one_of.join(" or ")),
                    ],
                ));
                continue;
            }
            let values: Vec<String> = headers
                .iter()
                .flat_map(|h| h.values(ctx.file))
                .map(|v| text(ctx.file, &v.main))
                .collect();
            if !values.iter().any(|v| self.one_of.contains(v)) {
                hits.push(hit(
                    headers[0].value_span.clone(),
                    vec![
                        ("value", values.join(", ")),
                        ("expected", self.one_of.join(" or ")),
                    ],
                ));
            }
        }
        SipJudgement::of(judged, hits, || none_selected(&self.request))
    }
}

#[cfg(test)]
mod tests {
    use super::HeaderValue;

    /// A rule table may name the header as RFC 3261 writes it, or by its compact form: it is
    /// kept as the name the reader gives the header (a table's `P-Asserted-Service` matched
    /// no header, and every selected request failed as lacking it).
    #[test]
    fn a_table_names_the_header_in_any_case_or_form() {
        for (written, read) in [
            ("P-Asserted-Service", "p-asserted-service"),
            ("o", "event"),
            ("EVENT", "event"),
            ("Accept-Contact", "accept-contact"),
        ] {
            let yaml = format!("request: {{method: PUBLISH}}\nheader: {written}\none_of: [x]\n");
            let c: HeaderValue = serde_yaml::from_str(&yaml).unwrap();
            assert_eq!(c.header, read, "{written}");
        }
    }
}

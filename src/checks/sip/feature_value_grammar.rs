//! Check kind `sip_feature_value_grammar`: the value of a feature parameter in Accept-Contact
//! is a quoted tag-value-list (RFC 3840 9: `token-nobang` admits no ':'), so a URN goes
//! percent-encoded (TS 24.229 7.2A.8: `urn%3Aurn-7%3A…`).

use super::*;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FeatureValueGrammar {
    pub request: Select,
    /// In any case (RFC 3261 7.3.1), kept lower-cased as the reader keeps parameter names.
    #[serde(deserialize_with = "crate::value::header_name::deserialize_param_name")]
    pub feature: String,
}

impl CheckKind for FeatureValueGrammar {
    crate::check_kind_judge!(Sip);
}

fn token_nobang(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"-.%*_+`'~".contains(&b)
}

impl SipCheck for FeatureValueGrammar {
    fn sip(&self, ctx: &SipCtx) -> SipJudgement {
        let mut hits = Vec::new();
        let mut judged = 0;
        for (_, m) in self.request.requests(ctx.file, ctx.sip) {
            for h in m.headers_named("accept-contact") {
                for p in h.values(ctx.file).into_iter().flat_map(|v| v.params) {
                    let (Some(value), Some(span)) = (&p.value, &p.value_span) else {
                        continue;
                    };
                    if p.name != self.feature {
                        continue;
                    }
                    judged += 1;
                    let bad: Vec<char> = value
                        .split(',')
                        .flat_map(|t| t.trim().trim_start_matches('!').bytes())
                        .filter(|b| !token_nobang(*b))
                        .map(char::from)
                        .collect();
                    if !p.quoted || !bad.is_empty() {
                        let hint = if bad.contains(&':') {
                            format!(
                                "a raw ':' is not allowed: percent-encode it, \"{}\"",
                                value.replace(':', "%3A")
                            )
                        } else if !p.quoted {
                            // RFC 3840 9: feature-param = enc-feature-tag [EQUAL LDQUOT
                            // (tag-value-list / string-value) RDQUOT]: the quotes are part
                            // of the grammar, whatever the value.
                            format!(
                                "the value must be enclosed in double quotes (RFC 3840 9: EQUAL LDQUOT tag-value-list RDQUOT), \"{value}\""
                            )
                        } else {
                            format!("characters {bad:?} are outside token-nobang")
                        };
                        // The parameter as written: a message that put quotes round an
                        // unquoted value would show it right where it is wrong.
                        let written = crate::sip::header_field::unfold(&ctx.file[p.span.clone()]);
                        hits.push(hit(
                            span.clone(),
                            vec![
                                ("value", value.clone()),
                                ("written", written),
                                ("hint", hint),
                            ],
                        ));
                    }
                }
            }
        }
        SipJudgement::of(judged, hits, || {
            format!(
                "no {} parameter in an Accept-Contact of {}",
                self.feature,
                self.request.describe()
            )
        })
    }
}

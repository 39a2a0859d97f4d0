//! Rule tables: the spec's requirements as data (`rules/*.yaml`). A malformed table, an
//! unknown check or a bad reference is a startup error naming the file and line.

use crate::finding::{Level, Severity, Status};
use crate::settings::Settings;
use serde::{Deserialize, Deserializer};
use std::collections::BTreeSet;
use std::fmt;

/// An element selector: `prefix:local`, where `*` matches any namespace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selector {
    pub prefix: String,
    pub local: String,
}

impl fmt::Display for Selector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.prefix, self.local)
    }
}

impl<'de> Deserialize<'de> for Selector {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        let (prefix, local) = s.split_once(':').ok_or_else(|| {
            serde::de::Error::custom(format!("selector '{s}' must be prefix:name or *:name"))
        })?;
        let name_ok = local == "*"
            || !local.is_empty()
                && local
                    .chars()
                    .all(|c| c.is_alphanumeric() || "_-.".contains(c));
        let prefix_ok = prefix == "*"
            || (!prefix.is_empty() && prefix.chars().all(|c| c.is_ascii_alphanumeric()));
        if !name_ok || !prefix_ok {
            return Err(serde::de::Error::custom(format!(
                "selector '{s}' is not prefix:name"
            )));
        }
        Ok(Selector {
            prefix: prefix.to_string(),
            local: local.to_string(),
        })
    }
}

/// The spec and clause a rule comes from.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Clause {
    pub spec: String,
    pub section: String,
}

impl fmt::Display for Clause {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.spec, self.section)
    }
}

/// The declarative checks a rule can name. Each is implemented once, in `checks`.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Check {
    /// The document is well-formed XML.
    WellFormed {},
    /// The document validates against the payload's schema; violations inside (or at) an
    /// element matching `scope` belong to this rule, the innermost scope winning; a rule
    /// whose scope is `*:*` takes what no other rule does.
    Schema { scope: Vec<Selector> },
    /// `element` appears only as a child of one of `parents`, at most `max_per_parent` times.
    Placement {
        element: Selector,
        parents: Vec<Selector>,
        #[serde(default)]
        max_per_parent: Option<usize>,
    },
    /// `element`, inside a `within` element, only when that element's sibling `sibling`
    /// carries the status code `code` ("200 OK" carries 200).
    OnlyIfSiblingStatus {
        element: Selector,
        within: Selector,
        sibling: Selector,
        code: u16,
    },
    /// The integer value of `element` lies in `min..=max` (the rule names the class).
    ValueRange {
        element: Selector,
        min: i64,
        max: i64,
    },
    /// No two sibling `element`s carry the same value.
    UniqueValues { element: Selector },
    /// The base64 value of `element` decodes to exactly `octets` octets.
    DecodedLength { element: Selector, octets: usize },
    /// Octets `from..to` of the decoded base64 value of `element` are not all zero.
    DecodedNotZero {
        element: Selector,
        from: usize,
        to: usize,
    },
    /// The base64 value of `element` decodes to something that starts as a MIKEY common
    /// header (RFC 3830 6.1): at least 10 octets, version 1.
    Base64MikeyHeader { element: Selector },
    /// The children named here, inside the BCAST containers, are in the namespace the
    /// `bcast_children_form` setting gives.
    ChildNamespace { children: Vec<String> },
    /// The containers present match the payload kind (registration vs deregistration response).
    KindContainers {},
    /// The status code in `element` ("NNN Reason") is one the `status_codes` setting lists.
    StatusCodeListed { element: Selector },
    /// The status code in `element` is not one the table marks as not used.
    StatusCodeUsed { element: Selector },
    /// `element` has the form "NNN Reason-Phrase", the phrase being the table's.
    StatusCodeForm { element: Selector },
    /// Each `element` (a serviceID) is a GlobalPurchaseItemID followed by a
    /// PurchaseDataReference of the `purchase_catalogue` setting (no finding when the
    /// catalogue is empty: nothing to compare with).
    ServiceIdInCatalogue { element: Selector },
    /// Each LTKM names (RFC 4563 Key ID extension) the Key Domain ID and SEK/PEK ID of the
    /// `MSK` beside its container.
    LtkmKeyMatchesMsk { element: Selector, msk: Selector },
    /// Exchange: each body's Content-Type is the media type of the payload it carries.
    ExchangeContentType {},
    /// Exchange: the request is a POST to /keymanagement?requesttype=… for its payload kind.
    ExchangeRequestTarget {},
    /// Exchange: the response body is the payload that answers the request's.
    ExchangeResponseKind {},
    /// Exchange: the status line's code is 200 or one the `status_codes` setting lists.
    ExchangeStatusListed {},
    /// Exchange: the status line's code is not one the table marks as not used.
    ExchangeStatusUsed {},
    /// Exchange: no LTKM in a response whose status line is not 2xx.
    ExchangeNoLtkmUnsuccessful {},
    /// Exchange: the registration response's LTKMDelivery lists only mechanisms the request
    /// listed (UDP only when it listed none), and is present when the request listed some.
    ExchangeDeliveryAgreed {},
    /// Exchange: LTKMs travel in a registration response only if it agrees HTTP (Type 2).
    ExchangeHttpLtkmAgreed {},
    /// Exchange: a 403 status line registers nothing (no Response says 200 OK).
    ExchangeForbiddenRegistersNothing {},
    /// Exchange: when the request lists mechanisms and every Response is 403 with no
    /// delivery agreement, the refusal belongs on the status line.
    ExchangeRefusalOnStatusLine {},
    /// Exchange: a 401 carries a well-formed Digest challenge (RFC 2617 3.2.1).
    ExchangeDigestChallenge {},
    /// Exchange: the realm of a Digest challenge starts with this prefix.
    ExchangeDigestRealm { prefix: String },
    /// Exchange: an Authorization header is well-formed Digest credentials (RFC 2617 3.2.2).
    ExchangeDigestCredentials {},
    /// Exchange: the Digest response verifies with the `digest_credentials` setting.
    ExchangeDigestValid {},
    /// Trace: each LTKM after a registration travels by a mechanism that registration agreed.
    TraceDeliveryAsAgreed {},
    /// Trace: one verification message per LTKM with the V flag, in order, to IDi's address.
    TraceVerification {},
    /// Trace: no verification message answers an MTK message.
    TraceNoMtkVerification {},
    /// Trace: UDP pushes go to the address the latest registration came from.
    TracePushToRegistrationSource {},
    /// Trace: MTK IDs and MIKEY counters increase (RFC 1982 for counters).
    TraceKeyFreshness {},
    /// Trace: a deregistration lists every registered service.
    TraceDeregListsAll {},
    /// Trace: an LTKM delivered over SMS is a trigger (solicited pull or registration): its
    /// KEMAC carries no SEK/PEK.
    TraceSmsLtkmIsTrigger {},
    /// Trace: MTK objects in FLUTE (`which`: own-object, mime-type, same-session).
    TraceFluteMtk { which: String },
    /// The `attribute` of sibling `element`s is unique.
    UniqueAttribute {
        element: Selector,
        attribute: String,
    },
    /// MIKEY: the decoder found none of these wire problems (`WireIssue` kinds).
    MikeyWire { issues: Vec<String> },
    /// MIKEY: a header field (version, data_type, v, prf, csb_id, purpose_tag, cs_count,
    /// cs_id_map_type) has one of these values.
    MikeyField { field: String, one_of: Vec<u64> },
    /// MIKEY: there is a KEMAC and every KEMAC's Encr Data Len is not 0.
    MikeyKemacCarriesKey {},
    /// MIKEY: the number of payloads of this type lies in `min..=max`.
    MikeyPayloadCount {
        payload: u8,
        min: usize,
        #[serde(default)]
        max: Option<usize>,
    },
    /// MIKEY: the SIGN payload has this S type and signature length.
    MikeySign { sign_type: u8, length: u16 },
    /// MIKEY: the SAKKE payload has this parameter set and identifier scheme.
    MikeySakke { params: Vec<u8>, id_scheme: Vec<u8> },
    /// MIKEY: for each group of roles, an IDR payload with one of them is present.
    MikeyIdrRoles { roles: Vec<Vec<u8>> },
    /// MIKEY: in messages of these data types, the last payload is of this type.
    MikeyLastPayload { data_types: Vec<u8>, payload: u8 },
}

/// What a check judges.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Domain {
    /// One XML document (a payload).
    Xml,
    /// One MIKEY message.
    Mikey,
    /// One HTTP exchange.
    Exchange,
    /// A whole session (a trace or a packet capture).
    Trace,
}

/// Header fields `mikey_field` can name.
pub const MIKEY_FIELDS: &[&str] = &[
    "version",
    "data_type",
    "next_payload",
    "v",
    "prf",
    "csb_id",
    "purpose_tag",
    "cs_count",
    "cs_id_map_type",
];

impl Check {
    pub fn name(&self) -> &'static str {
        match self {
            Check::WellFormed {} => "well_formed",
            Check::Schema { .. } => "schema",
            Check::Placement { .. } => "placement",
            Check::OnlyIfSiblingStatus { .. } => "only_if_sibling_status",
            Check::ValueRange { .. } => "value_range",
            Check::UniqueValues { .. } => "unique_values",
            Check::DecodedLength { .. } => "decoded_length",
            Check::DecodedNotZero { .. } => "decoded_not_zero",
            Check::Base64MikeyHeader { .. } => "base64_mikey_header",
            Check::ChildNamespace { .. } => "child_namespace",
            Check::KindContainers {} => "kind_containers",
            Check::StatusCodeListed { .. } => "status_code_listed",
            Check::StatusCodeUsed { .. } => "status_code_used",
            Check::StatusCodeForm { .. } => "status_code_form",
            Check::ServiceIdInCatalogue { .. } => "service_id_in_catalogue",
            Check::LtkmKeyMatchesMsk { .. } => "ltkm_key_matches_msk",
            Check::ExchangeContentType {} => "exchange_content_type",
            Check::ExchangeRequestTarget {} => "exchange_request_target",
            Check::ExchangeResponseKind {} => "exchange_response_kind",
            Check::ExchangeStatusListed {} => "exchange_status_listed",
            Check::ExchangeStatusUsed {} => "exchange_status_used",
            Check::ExchangeNoLtkmUnsuccessful {} => "exchange_no_ltkm_unsuccessful",
            Check::ExchangeDeliveryAgreed {} => "exchange_delivery_agreed",
            Check::ExchangeHttpLtkmAgreed {} => "exchange_http_ltkm_agreed",
            Check::ExchangeForbiddenRegistersNothing {} => "exchange_forbidden_registers_nothing",
            Check::ExchangeRefusalOnStatusLine {} => "exchange_refusal_on_status_line",
            Check::ExchangeDigestChallenge {} => "exchange_digest_challenge",
            Check::ExchangeDigestRealm { .. } => "exchange_digest_realm",
            Check::ExchangeDigestCredentials {} => "exchange_digest_credentials",
            Check::ExchangeDigestValid {} => "exchange_digest_valid",
            Check::TraceDeliveryAsAgreed {} => "trace_delivery_as_agreed",
            Check::TraceVerification {} => "trace_verification",
            Check::TraceNoMtkVerification {} => "trace_no_mtk_verification",
            Check::TracePushToRegistrationSource {} => "trace_push_to_registration_source",
            Check::TraceKeyFreshness {} => "trace_key_freshness",
            Check::TraceDeregListsAll {} => "trace_dereg_lists_all",
            Check::TraceFluteMtk { .. } => "trace_flute_mtk",
            Check::TraceSmsLtkmIsTrigger {} => "trace_sms_ltkm_is_trigger",
            Check::UniqueAttribute { .. } => "unique_attribute",
            Check::MikeyWire { .. } => "mikey_wire",
            Check::MikeyField { .. } => "mikey_field",
            Check::MikeyKemacCarriesKey {} => "mikey_kemac_carries_key",
            Check::MikeyPayloadCount { .. } => "mikey_payload_count",
            Check::MikeySign { .. } => "mikey_sign",
            Check::MikeySakke { .. } => "mikey_sakke",
            Check::MikeyIdrRoles { .. } => "mikey_idr_roles",
            Check::MikeyLastPayload { .. } => "mikey_last_payload",
        }
    }

    /// What the check judges, from its name's prefix.
    pub fn domain(&self) -> Domain {
        let name = self.name();
        if name.starts_with("mikey_") {
            Domain::Mikey
        } else if name.starts_with("exchange_") {
            Domain::Exchange
        } else if name.starts_with("trace_") {
            Domain::Trace
        } else {
            Domain::Xml
        }
    }

    fn selectors(&self) -> Vec<&Selector> {
        match self {
            Check::Schema { scope } => scope.iter().collect(),
            Check::Placement {
                element, parents, ..
            } => std::iter::once(element).chain(parents).collect(),
            Check::OnlyIfSiblingStatus {
                element,
                within,
                sibling,
                ..
            } => vec![element, within, sibling],
            Check::ValueRange { element, .. }
            | Check::UniqueValues { element }
            | Check::DecodedLength { element, .. }
            | Check::DecodedNotZero { element, .. }
            | Check::Base64MikeyHeader { element }
            | Check::StatusCodeListed { element }
            | Check::StatusCodeUsed { element }
            | Check::StatusCodeForm { element }
            | Check::ServiceIdInCatalogue { element }
            | Check::UniqueAttribute { element, .. } => vec![element],
            Check::LtkmKeyMatchesMsk { element, msk } => vec![element, msk],
            // The other checks name no element.
            _ => vec![],
        }
    }
}

/// One rule: a requirement of a clause, made checkable.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    pub id: String,
    pub title: String,
    pub requirement: Vec<String>,
    pub clause: Clause,
    /// The clause's own words (short quotation), shown by `explain` and in text output.
    pub clause_text: String,
    pub level: Level,
    pub severity: Severity,
    pub status: Status,
    /// Payload kinds the rule applies to.
    pub applies_to: Vec<String>,
    /// Written as a one-key map: `check: {placement: {...}}`.
    #[serde(with = "serde_yaml::with::singleton_map")]
    pub check: Check,
    /// The finding's message; `{name}` placeholders are filled by the check.
    pub message: String,
    /// For provisional rules: what the rule assumes that no source confirms yet.
    #[serde(default)]
    pub assumes: Option<String>,
    /// Where facts beyond the clause came from.
    #[serde(default)]
    pub source: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFile {
    rules: Vec<Rule>,
}

/// A rule table that could not be used.
#[derive(Debug, thiserror::Error)]
#[error("{file}:{line}:{column}: {message}")]
pub struct RuleError {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

/// The rule tables built into the binary.
pub const BUILTIN_TABLES: &[(&str, &str)] = &[
    (
        "rules/xml-structure.yaml",
        include_str!("../rules/xml-structure.yaml"),
    ),
    (
        "rules/bcast-xml.yaml",
        include_str!("../rules/bcast-xml.yaml"),
    ),
    (
        "rules/mbms-xml.yaml",
        include_str!("../rules/mbms-xml.yaml"),
    ),
    (
        "rules/mikey-structure.yaml",
        include_str!("../rules/mikey-structure.yaml"),
    ),
    (
        "rules/mikey-profiles.yaml",
        include_str!("../rules/mikey-profiles.yaml"),
    ),
    (
        "rules/exchange.yaml",
        include_str!("../rules/exchange.yaml"),
    ),
    ("rules/trace.yaml", include_str!("../rules/trace.yaml")),
    ("rules/fdt.yaml", include_str!("../rules/fdt.yaml")),
];

/// All rules, in table order.
#[derive(Debug, Clone)]
pub struct RuleSet {
    pub rules: Vec<Rule>,
}

impl RuleSet {
    /// Loads tables given as (name, text), checking them against the settings.
    pub fn load(tables: &[(String, String)], settings: &Settings) -> Result<RuleSet, RuleError> {
        let mut rules: Vec<Rule> = Vec::new();
        let mut seen = BTreeSet::new();
        for (file, text) in tables {
            let parsed: RuleFile = serde_yaml::from_str(text).map_err(|e| {
                let (line, column) = e.location().map_or((0, 0), |l| (l.line(), l.column()));
                RuleError {
                    file: file.clone(),
                    line,
                    column,
                    message: e.to_string(),
                }
            })?;
            for rule in parsed.rules {
                let at = |message: String| {
                    let line = text
                        .lines()
                        .position(|l| {
                            l.trim_start()
                                .trim_start_matches("- ")
                                .starts_with(&format!("id: {}", rule.id))
                        })
                        .map_or(0, |i| i + 1);
                    RuleError {
                        file: file.clone(),
                        line,
                        column: 1,
                        message: format!("rule {}: {message}", rule.id),
                    }
                };
                if !seen.insert(rule.id.clone()) {
                    return Err(at("duplicate rule id".into()));
                }
                for kind in &rule.applies_to {
                    if kind != "any"
                        && settings.kind(kind).is_none()
                        && !settings.is_mikey_kind(kind)
                        && !settings.is_capture_kind(kind)
                    {
                        return Err(at(format!("applies_to names unknown kind '{kind}'")));
                    }
                }
                if let Check::MikeyField { field, .. } = &rule.check {
                    if !MIKEY_FIELDS.contains(&field.as_str()) {
                        return Err(at(format!(
                            "mikey_field names unknown field '{field}' (known: {})",
                            MIKEY_FIELDS.join(", ")
                        )));
                    }
                }
                if let Check::MikeyWire { issues } = &rule.check {
                    if let Some(bad) = issues
                        .iter()
                        .find(|i| !crate::mikey::WireIssue::KINDS.contains(&i.as_str()))
                    {
                        return Err(at(format!(
                            "mikey_wire names unknown issue kind '{bad}' (known: {})",
                            crate::mikey::WireIssue::KINDS.join(", ")
                        )));
                    }
                }
                for sel in rule.check.selectors() {
                    if sel.prefix != "*" && !settings.prefixes.contains_key(&sel.prefix) {
                        return Err(at(format!("selector '{sel}' uses prefix '{}', which settings.prefixes does not define", sel.prefix)));
                    }
                }
                if rule.status == Status::Provisional && rule.assumes.is_none() {
                    return Err(at(
                        "a provisional rule must say what it assumes (assumes:)".into()
                    ));
                }
                if rule.requirement.is_empty() {
                    return Err(at("a rule must cite at least one requirement".into()));
                }
                rules.push(rule);
            }
        }
        Ok(RuleSet { rules })
    }

    /// The built-in tables.
    pub fn builtin(settings: &Settings) -> Result<RuleSet, RuleError> {
        let tables: Vec<(String, String)> = BUILTIN_TABLES
            .iter()
            .map(|(n, t)| (n.to_string(), t.to_string()))
            .collect();
        Self::load(&tables, settings)
    }

    pub fn get(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.id == id)
    }
}

impl Rule {
    /// Whether the rule applies to an input read as all of `kinds` (one kind, or the two
    /// kinds an ambiguous response could be: then only rules for both apply).
    pub fn applies(&self, kinds: &[String]) -> bool {
        self.applies_to.iter().any(|k| k == "any")
            || kinds.iter().all(|k| self.applies_to.contains(k))
    }
}

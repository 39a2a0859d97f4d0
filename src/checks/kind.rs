//! What a check kind is, and the one list of them.
//!
//! A check kind is one file (under `xml/`, `mikey/`, `exchange/`, `trace/` or `cpns/`): its parameters
//! (deserialised from the rule table), what it needs before it can judge anything, the input
//! it judges and its evaluation. Adding a kind means adding that file and one line to
//! [`REGISTRY`]; nothing else in the engine names it.

use super::cpns::{CpnsCtx, CpnsOutcome};
use super::exchange::{ExchangeCtx, ExchangeHit};
use super::mikey::{MikeyCtx, MikeyHit};
use super::selector::Selector;
use super::sip::{SipCtx, SipJudgement};
use super::trace::{fold::State, fold::Step, StepCtx, TraceHit};
use super::{Ctx, Hit};
use crate::checks::found::Found;
use crate::settings::Settings;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer};
use std::any::Any;
use std::fmt;
use std::sync::Arc;

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
    /// A file of SIP messages (requests paired with their responses).
    Sip,
    /// An OMA CPNS group-key trace (CR 004).
    Cpns,
}

/// How a MIKEY message reached the terminal, where the input says so. Some requirements
/// hold only for one way of delivery (BCAST-DLV-08: LTKMs in HTTP responses).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Delivery {
    /// In the body of an HTTP response (an LTKM inside a BCAST XML container).
    HttpResponse,
    /// A UDP push.
    Udp,
    /// An SMS.
    Sms,
}

impl Delivery {
    pub fn describe(self) -> &'static str {
        match self {
            Delivery::HttpResponse => "carried in an HTTP response",
            Delivery::Udp => "pushed over UDP",
            Delivery::Sms => "delivered over SMS",
        }
    }
}

/// A setting the tester supplies, without which a check has nothing to compare with.
#[derive(Clone, Copy)]
pub struct NeededSetting {
    /// The setting's name, as in `rules/settings.yaml`.
    pub name: &'static str,
    /// Whether the tester supplied it.
    pub supplied: fn(&Settings) -> bool,
}

/// The keyring (`--keys FILE`), which every cryptographic check needs: without it they are
/// not applicable, never passed.
pub const KEYRING: NeededSetting = NeededSetting {
    name: "--keys",
    supplied: |s| s.keys.is_some(),
};

/// What a check needs before it can judge an input. A rule whose needs are not met is
/// reported as not applicable, never as passed.
#[derive(Clone, Copy, Default)]
pub struct Needs {
    /// A setting the tester must supply.
    pub setting: Option<NeededSetting>,
    /// The way of delivery the input must have come by (MIKEY checks).
    pub delivery: Option<Delivery>,
    /// The check always rests on a reading no source confirms: only a provisional rule may
    /// use it (the rule loader enforces this).
    pub provisional_reading: Option<&'static str>,
}

impl Needs {
    /// What every cryptographic check needs: the keyring.
    pub fn keyring() -> Needs {
        Needs {
            setting: Some(KEYRING),
            ..Default::default()
        }
    }
}

/// The evaluation of a check, typed by the input it judges.
pub enum Judge<'k> {
    /// Evaluated by the engine itself while reading the document (well-formedness, schema).
    Document,
    Xml(&'k dyn XmlCheck),
    Mikey(&'k dyn MikeyCheck),
    Exchange(&'k dyn ExchangeCheck),
    Trace(&'k dyn TraceCheck),
    Sip(&'k dyn SipCheck),
    Cpns(&'k dyn CpnsCheck),
}

/// One check kind: what it needs and how it judges.
pub trait CheckKind: fmt::Debug + Send + Sync + Any {
    /// Its evaluation (which also says what it judges).
    fn judge(&self) -> Judge<'_>;
    /// What it needs before it can judge.
    fn needs(&self) -> Needs {
        Needs::default()
    }
    /// The element selectors it names (their prefixes are checked at load time).
    fn selectors(&self) -> Vec<&Selector> {
        Vec::new()
    }
    /// Load-time validation of its parameters against the settings.
    fn validate(&self, _settings: &Settings) -> Result<(), String> {
        Ok(())
    }
    fn as_any(&self) -> &dyn Any;
}

pub trait XmlCheck {
    fn xml(&self, ctx: &Ctx) -> Vec<Hit>;
}

pub trait MikeyCheck {
    /// Whether the check can judge this message, and if not why: a cryptographic check has
    /// nothing to judge with when the keyring holds no key for the message, and that is
    /// reported as not applicable, never as passed.
    fn applicable(&self, _ctx: &MikeyCtx) -> Result<(), String> {
        Ok(())
    }
    fn mikey(&self, ctx: &MikeyCtx) -> Vec<MikeyHit>;
    /// What the check found on the message, as every domain's checks say it (the engine
    /// asks this alone).
    fn found(&self, ctx: &MikeyCtx) -> Found<MikeyHit> {
        match self.applicable(ctx) {
            Ok(()) => Found::Judged(self.mikey(ctx)),
            Err(why) => Found::NotApplicable(why),
        }
    }
}

pub trait ExchangeCheck {
    /// How much of what the check reads the capture shows for this exchange: a check that
    /// cannot see a part it needs does not judge the exchange (not applied is not passed).
    fn seen(&self, ctx: &ExchangeCtx) -> crate::checks::exchange::Seen;
    fn exchange(&self, ctx: &ExchangeCtx) -> Vec<ExchangeHit>;
}

/// A session check: judges the facts the session fold gives ([`Step`]), in event order,
/// adding a hit as soon as one is certain.
pub trait TraceCheck {
    fn step(&self, step: &Step, ctx: &StepCtx, out: &mut Vec<TraceHit>);
    /// The state kept across events that the check rests on: when a terminal's state of that
    /// kind went past a bound, the check is incomplete for that terminal. None for a check
    /// that judges each event alone.
    fn rests_on(&self) -> Option<State> {
        None
    }
    /// Whether the check reads HTTP request bodies (which exchange was a registration or a
    /// deregistration, and what it listed): a trace whose HTTP event does not show one (a
    /// `curl -v` transcript) is judged only in part, and the outcome says so.
    fn reads_request_bodies(&self) -> bool {
        false
    }
    /// For a check that judges some events only (the MTK objects of FLUTE events, SMS
    /// events): which, and what they are called. An input with none leaves the rule not
    /// applicable, saying so; it ran on nothing, which is no pass. None: the check judges the
    /// session as a whole.
    fn judges_only(&self) -> Option<JudgesOnly> {
        None
    }
}

/// The events a session check judges, when not all: a test, and their name ("MTK object
/// delivered in a FLUTE session") for the reason of a rule that had none.
#[derive(Clone, Copy)]
pub struct JudgesOnly {
    pub judges: fn(&crate::trace::Event) -> bool,
    pub what: &'static str,
}

pub trait SipCheck {
    /// The places the rule is violated, or why the file holds nothing it judges.
    fn sip(&self, ctx: &SipCtx) -> SipJudgement;
}

pub trait CpnsCheck {
    /// The hits, or why the trace gives the check nothing to judge.
    fn cpns(&self, ctx: &CpnsCtx) -> CpnsOutcome;
}

/// Implements `CheckKind::as_any` and `judge` for a kind of the given domain. Exported only
/// because a `macro_rules!` macro reaches other modules so: internal, like `checks`.
#[doc(hidden)]
#[macro_export]
macro_rules! check_kind_judge {
    (Document) => {
        fn judge(&self) -> $crate::checks::kind::Judge<'_> {
            $crate::checks::kind::Judge::Document
        }
        fn as_any(&self) -> &dyn std::any::Any {
            self
        }
    };
    ($variant:ident) => {
        fn judge(&self) -> $crate::checks::kind::Judge<'_> {
            $crate::checks::kind::Judge::$variant(self)
        }
        fn as_any(&self) -> &dyn std::any::Any {
            self
        }
    };
}

/// A check's parameters pass through a JSON value, whichever form the table was read from
/// (the built-in tables are JSON, `--rules DIR` YAML): it is the cheaper of the two to build,
/// and start-up reads every rule.
type Parse = fn(serde_json::Value) -> Result<Arc<dyn CheckKind>, serde_json::Error>;

fn parse<T: CheckKind + DeserializeOwned>(
    v: serde_json::Value,
) -> Result<Arc<dyn CheckKind>, serde_json::Error> {
    Ok(Arc::new(serde_json::from_value::<T>(v)?))
}

use super::{cpns as cp, exchange as ex, mikey as mk, sip, trace as tr, xml};

/// Every check kind, by the name rule tables use.
pub const REGISTRY: &[(&str, Parse)] = &[
    ("well_formed", parse::<xml::well_formed::WellFormed>),
    ("schema", parse::<xml::schema::Schema>),
    ("placement", parse::<xml::placement::Placement>),
    (
        "only_if_sibling_status",
        parse::<xml::only_if_sibling_status::OnlyIfSiblingStatus>,
    ),
    ("value_range", parse::<xml::value_range::ValueRange>),
    ("unique_values", parse::<xml::unique_values::UniqueValues>),
    (
        "decoded_length",
        parse::<xml::decoded_length::DecodedLength>,
    ),
    (
        "decoded_not_zero",
        parse::<xml::decoded_not_zero::DecodedNotZero>,
    ),
    (
        "base64_mikey_header",
        parse::<xml::base64_mikey_header::Base64MikeyHeader>,
    ),
    (
        "child_namespace",
        parse::<xml::child_namespace::ChildNamespace>,
    ),
    (
        "container_namespace",
        parse::<xml::container_namespace::ContainerNamespace>,
    ),
    (
        "kind_containers",
        parse::<xml::kind_containers::KindContainers>,
    ),
    (
        "status_code_listed",
        parse::<xml::status_code_listed::StatusCodeListed>,
    ),
    (
        "status_code_used",
        parse::<xml::status_code_used::StatusCodeUsed>,
    ),
    (
        "status_code_form",
        parse::<xml::status_code_form::StatusCodeForm>,
    ),
    (
        "service_id_in_catalogue",
        parse::<xml::service_id_in_catalogue::ServiceIdInCatalogue>,
    ),
    (
        "ltkm_key_matches_msk",
        parse::<xml::ltkm_key_matches_msk::LtkmKeyMatchesMsk>,
    ),
    (
        "unique_attribute",
        parse::<xml::unique_attribute::UniqueAttribute>,
    ),
    (
        "extension_namespace",
        parse::<xml::extension_namespace::ExtensionNamespace>,
    ),
    (
        "exchange_content_type",
        parse::<ex::content_type::ContentType>,
    ),
    (
        "exchange_request_target",
        parse::<ex::request_target::RequestTarget>,
    ),
    (
        "exchange_response_kind",
        parse::<ex::response_kind::ResponseKind>,
    ),
    (
        "exchange_status_listed",
        parse::<ex::status_listed::StatusListed>,
    ),
    ("exchange_status_used", parse::<ex::status_used::StatusUsed>),
    (
        "exchange_malformed_request",
        parse::<ex::malformed_request::MalformedRequest>,
    ),
    (
        "exchange_no_ltkm_unsuccessful",
        parse::<ex::no_ltkm_unsuccessful::NoLtkmUnsuccessful>,
    ),
    (
        "exchange_delivery_agreed",
        parse::<ex::delivery_agreed::DeliveryAgreed>,
    ),
    (
        "exchange_delivery_signalled",
        parse::<ex::delivery_signalled::DeliverySignalled>,
    ),
    (
        "exchange_delivery_lists_requested",
        parse::<ex::delivery_lists_requested::DeliveryListsRequested>,
    ),
    (
        "exchange_http_ltkm_agreed",
        parse::<ex::http_ltkm_agreed::HttpLtkmAgreed>,
    ),
    (
        "exchange_forbidden_registers_nothing",
        parse::<ex::forbidden_registers_nothing::ForbiddenRegistersNothing>,
    ),
    (
        "exchange_digest_challenge",
        parse::<ex::digest_challenge::DigestChallenge>,
    ),
    (
        "exchange_digest_realm",
        parse::<ex::digest_realm::DigestRealm>,
    ),
    (
        "exchange_digest_credentials",
        parse::<ex::digest_credentials::DigestCredentials>,
    ),
    (
        "exchange_digest_valid",
        parse::<ex::digest_valid::DigestValid>,
    ),
    (
        "exchange_digest_refused",
        parse::<ex::digest_refused::DigestRefused>,
    ),
    (
        "trace_delivery_as_agreed",
        parse::<tr::delivery_as_agreed::DeliveryAsAgreed>,
    ),
    (
        "trace_verification",
        parse::<tr::verification::Verification>,
    ),
    (
        "trace_no_mtk_verification",
        parse::<tr::no_mtk_verification::NoMtkVerification>,
    ),
    (
        "trace_push_to_registration_source",
        parse::<tr::push_to_registration_source::PushToRegistrationSource>,
    ),
    (
        "trace_key_freshness",
        parse::<tr::key_freshness::KeyFreshness>,
    ),
    (
        "trace_dereg_lists_all",
        parse::<tr::dereg_lists_all::DeregListsAll>,
    ),
    (
        "trace_sms_ltkm_is_trigger",
        parse::<tr::sms_ltkm_is_trigger::SmsLtkmIsTrigger>,
    ),
    ("trace_flute_mtk", parse::<tr::flute_mtk::FluteMtk>),
    (
        "capture_complete",
        parse::<tr::capture_complete::CaptureComplete>,
    ),
    ("mikey_wire", parse::<mk::wire::Wire>),
    ("mikey_field", parse::<mk::field::Field>),
    (
        "mikey_kemac_carries_key",
        parse::<mk::kemac_carries_key::KemacCarriesKey>,
    ),
    (
        "mikey_payload_count",
        parse::<mk::payload_count::PayloadCount>,
    ),
    ("mikey_sign", parse::<mk::sign::Sign>),
    ("mikey_sakke", parse::<mk::sakke::Sakke>),
    ("mikey_idr_roles", parse::<mk::idr_roles::IdrRoles>),
    ("mikey_last_payload", parse::<mk::last_payload::LastPayload>),
    ("mikey_psk_mac", parse::<mk::psk_mac::PskMac>),
    ("mikey_psk_decrypts", parse::<mk::psk_decrypts::PskDecrypts>),
    ("mikey_key_expected", parse::<mk::key_expected::KeyExpected>),
    (
        "mikey_sakke_signature",
        parse::<mk::sakke_signature::SakkeSignature>,
    ),
    (
        "mikey_sakke_decapsulates",
        parse::<mk::sakke_decapsulates::SakkeDecapsulates>,
    ),
    ("mikey_uid_derived", parse::<mk::uid_derived::UidDerived>),
    (
        "mikey_initiator_psi",
        parse::<mk::initiator_psi::InitiatorPsi>,
    ),
    ("sip_scan_issue", parse::<sip::scan_issue::ScanIssueCheck>),
    ("sip_grammar", parse::<sip::grammar::Grammar>),
    ("sip_header_value", parse::<sip::header_value::HeaderValue>),
    (
        "sip_accept_contact",
        parse::<sip::accept_contact::AcceptContact>,
    ),
    (
        "sip_feature_value_grammar",
        parse::<sip::feature_value_grammar::FeatureValueGrammar>,
    ),
    ("sip_body_parts", parse::<sip::body_parts::BodyParts>),
    ("sip_xml_elements", parse::<sip::xml_elements::XmlElements>),
    (
        "sip_answer_warning",
        parse::<sip::answer_warning::AnswerWarning>,
    ),
    (
        "sip_warning_grammar",
        parse::<sip::warning_grammar::WarningGrammar>,
    ),
    (
        "sip_warning_mc_form",
        parse::<sip::warning_mc_form::WarningMcForm>,
    ),
    (
        "sip_warning_agent",
        parse::<sip::warning_agent::WarningAgent>,
    ),
    (
        "sip_request_uri_registered",
        parse::<sip::request_uri_registered::RequestUriRegistered>,
    ),
    (
        "sip_embedded_register",
        parse::<sip::embedded_register::EmbeddedRegister>,
    ),
    (
        "sip_answer_status",
        parse::<sip::answer_status::AnswerStatus>,
    ),
    ("sip_poc_entities", parse::<sip::poc_entities::PocEntities>),
    (
        "sip_notify_follows_publish",
        parse::<sip::notify_follows_publish::NotifyFollowsPublish>,
    ),
    (
        "sip_csk_initiator",
        parse::<sip::csk_initiator::CskInitiator>,
    ),
    (
        "cpns_key_delivered",
        parse::<cp::key_delivered::KeyDelivered>,
    ),
    ("cpns_key_updated", parse::<cp::key_updated::KeyUpdated>),
    (
        "cpns_leaver_excluded",
        parse::<cp::leaver_excluded::LeaverExcluded>,
    ),
    ("cpns_key_stored", parse::<cp::key_stored::KeyStored>),
    ("cpns_key_age", parse::<cp::key_age::KeyAge>),
    (
        "cpns_release_deletes",
        parse::<cp::release_deletes::ReleaseDeletes>,
    ),
    ("cpns_pne_deletes", parse::<cp::pne_deletes::PneDeletes>),
];

/// A rule's check: a kind from the registry with its parameters. Written in a rule table as
/// a one-key map, `check: {placement: {...}}`.
#[derive(Clone)]
pub struct Check {
    name: &'static str,
    kind: Arc<dyn CheckKind>,
}

impl fmt::Debug for Check {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {:?}", self.name, self.kind)
    }
}

impl Check {
    pub fn name(&self) -> &'static str {
        self.name
    }

    pub fn kind(&self) -> &dyn CheckKind {
        self.kind.as_ref()
    }

    /// The kind's parameters, when it is of type `T`.
    pub fn downcast<T: 'static>(&self) -> Option<&T> {
        self.kind.as_any().downcast_ref::<T>()
    }

    /// What the check judges.
    pub fn domain(&self) -> Domain {
        match self.kind.judge() {
            Judge::Document | Judge::Xml(_) => Domain::Xml,
            Judge::Mikey(_) => Domain::Mikey,
            Judge::Exchange(_) => Domain::Exchange,
            Judge::Trace(_) => Domain::Trace,
            Judge::Sip(_) => Domain::Sip,
            Judge::Cpns(_) => Domain::Cpns,
        }
    }
}

impl<'de> Deserialize<'de> for Check {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        let map = serde_json::Map::<String, serde_json::Value>::deserialize(d)?;
        let known = || {
            REGISTRY
                .iter()
                .map(|(n, _)| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let mut entries = map.into_iter();
        let (Some((name, params)), None) = (entries.next(), entries.next()) else {
            return Err(D::Error::custom(format!(
                "a check is a map with one key, the check's name (one of {})",
                known()
            )));
        };
        let Some((name, parse)) = REGISTRY.iter().find(|(n, _)| *n == name) else {
            return Err(D::Error::custom(format!(
                "unknown variant `{name}`, expected one of {}",
                known()
            )));
        };
        // `well_formed: {}` and `well_formed:` alike.
        let params = if params.is_null() {
            serde_json::Value::Object(Default::default())
        } else {
            params
        };
        let kind = parse(params).map_err(|e| D::Error::custom(format!("{name}: {e}")))?;
        Ok(Check { name, kind })
    }
}

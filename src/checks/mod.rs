//! The declarative checks rule tables name. Each check finds the places a rule is violated
//! and returns them as [`Hit`]s with the values its message template may use; the engine
//! turns hits into findings. Checks never stop at the first problem.

pub mod exchange;
pub mod mikey;
mod structure;
pub mod trace;
mod values;

use crate::rules::{Check, Selector};
use crate::settings::Settings;
use crate::xsd::validate::display_name;
use roxmltree::{Document, Node};

/// One place where a rule is violated.
#[derive(Debug, Clone)]
pub struct Hit {
    /// Byte range in the document of what the finding points at.
    pub span: (usize, usize),
    /// Byte offset inside an embedded binary value, if the problem is there.
    pub byte_offset: Option<usize>,
    /// Values for the message template's `{name}` placeholders.
    pub vars: Vec<(&'static str, String)>,
}

impl Hit {
    pub fn at(node: Node) -> Hit {
        // Point at the element's name, just after '<'.
        let start = node.range().start + 1;
        let len = display_name(node).len();
        Hit {
            span: (start, start + len),
            byte_offset: None,
            vars: vec![("element", display_name(node))],
        }
    }

    pub fn var(mut self, name: &'static str, value: impl Into<String>) -> Hit {
        self.vars.retain(|(n, _)| *n != name);
        self.vars.push((name, value.into()));
        self
    }
}

/// What a check may look at.
pub struct Ctx<'a, 'i> {
    pub doc: &'a Document<'i>,
    pub settings: &'a Settings,
    /// The kinds the input is read as (two for an ambiguous response).
    pub kinds: &'a [String],
}

impl<'a, 'i> Ctx<'a, 'i> {
    /// Whether an element matches a selector.
    pub fn matches(&self, sel: &Selector, node: Node) -> bool {
        if !node.is_element() {
            return false;
        }
        let local_ok = sel.local == "*" || node.tag_name().name() == sel.local;
        let ns_ok = sel.prefix == "*"
            || self.settings.prefixes.get(&sel.prefix).map(String::as_str)
                == Some(node.tag_name().namespace().unwrap_or(""));
        local_ok && ns_ok
    }

    /// Every element matching a selector, in document order.
    pub fn select<'s>(&'s self, sel: &'s Selector) -> impl Iterator<Item = Node<'a, 'i>> + 's {
        self.doc
            .descendants()
            .filter(move |n| self.matches(sel, *n))
    }
}

/// Whether a check can judge anything with these settings: a rule whose input the tester
/// has not supplied (an empty purchase catalogue) is not applied, rather than passed.
pub fn has_input(check: &Check, settings: &Settings) -> bool {
    match check {
        Check::ServiceIdInCatalogue { .. } => !settings.purchase_catalogue.is_empty(),
        Check::ExchangeDigestValid {} => !settings.digest_credentials.is_empty(),
        _ => true,
    }
}

/// Runs one MIKEY check on a decoded message (XML checks give nothing here).
pub fn run_mikey(check: &Check, d: &crate::mikey::Decoded) -> Vec<mikey::MikeyHit> {
    match check {
        Check::MikeyWire { issues } => mikey::wire(d, issues),
        Check::MikeyField { field, one_of } => mikey::field(d, field, one_of),
        Check::MikeyKemacCarriesKey {} => mikey::kemac_carries_key(d),
        Check::MikeyPayloadCount { payload, min, max } => {
            mikey::payload_count(d, *payload, *min, *max)
        }
        Check::MikeySign { sign_type, length } => mikey::sign(d, *sign_type, *length),
        Check::MikeySakke { params, id_scheme } => mikey::sakke(d, params, id_scheme),
        Check::MikeyIdrRoles { roles } => mikey::idr_roles(d, roles),
        Check::MikeyLastPayload {
            data_types,
            payload,
        } => mikey::last_payload(d, data_types, *payload),
        _ => Vec::new(),
    }
}

/// Runs one XML check (all but `well_formed` and `schema`, which the engine runs itself).
pub fn run(check: &Check, ctx: &Ctx) -> Vec<Hit> {
    match check {
        Check::WellFormed {} | Check::Schema { .. } => Vec::new(),
        Check::Placement {
            element,
            parents,
            max_per_parent,
        } => structure::placement(ctx, element, parents, *max_per_parent),
        Check::OnlyIfSiblingStatus {
            element,
            within,
            sibling,
            code,
        } => structure::only_if_sibling_status(ctx, element, within, sibling, *code),
        Check::ChildNamespace { children } => structure::child_namespace(ctx, children),
        Check::KindContainers {} => structure::kind_containers(ctx),
        Check::ValueRange { element, min, max } => values::value_range(ctx, element, *min, *max),
        Check::UniqueValues { element } => values::unique_values(ctx, element),
        Check::DecodedLength { element, octets } => values::decoded_length(ctx, element, *octets),
        Check::DecodedNotZero { element, from, to } => {
            values::decoded_not_zero(ctx, element, *from, *to)
        }
        Check::Base64MikeyHeader { element } => values::mikey_header(ctx, element),
        Check::StatusCodeListed { element } => values::status_code_listed(ctx, element),
        Check::StatusCodeUsed { element } => values::status_code_used(ctx, element),
        Check::StatusCodeForm { element } => values::status_code_form(ctx, element),
        Check::ServiceIdInCatalogue { element } => values::service_id_in_catalogue(ctx, element),
        Check::LtkmKeyMatchesMsk { element, msk } => {
            values::ltkm_key_matches_msk(ctx, element, msk)
        }
        Check::UniqueAttribute { element, attribute } => {
            values::unique_attribute(ctx, element, attribute)
        }
        // MIKEY, exchange and trace checks judge other inputs.
        _ => Vec::new(),
    }
}

/// The collapsed text content of an element.
pub fn text_of(node: Node) -> String {
    let raw: String = node.children().filter_map(|c| c.text()).collect();
    crate::xsd::simple::collapse(&raw)
}

/// Runs one exchange check.
pub fn run_exchange(check: &Check, ctx: &exchange::ExchangeCtx) -> Vec<exchange::ExchangeHit> {
    match check {
        Check::ExchangeContentType {} => exchange::content_type(ctx),
        Check::ExchangeRequestTarget {} => exchange::request_target(ctx),
        Check::ExchangeResponseKind {} => exchange::response_kind(ctx),
        Check::ExchangeStatusListed {} => exchange::status_listed(ctx),
        Check::ExchangeStatusUsed {} => exchange::status_used(ctx),
        Check::ExchangeNoLtkmUnsuccessful {} => exchange::no_ltkm_unsuccessful(ctx),
        Check::ExchangeDeliveryAgreed {} => exchange::delivery_agreed(ctx),
        Check::ExchangeHttpLtkmAgreed {} => exchange::http_ltkm_agreed(ctx),
        Check::ExchangeForbiddenRegistersNothing {} => exchange::forbidden_registers_nothing(ctx),
        Check::ExchangeRefusalOnStatusLine {} => exchange::refusal_on_status_line(ctx),
        Check::ExchangeDigestChallenge {} => exchange::digest_challenge(ctx),
        Check::ExchangeDigestRealm { prefix } => exchange::digest_realm(ctx, prefix),
        Check::ExchangeDigestCredentials {} => exchange::digest_credentials(ctx),
        Check::ExchangeDigestValid {} => exchange::digest_valid(ctx),
        _ => Vec::new(),
    }
}

/// Runs one trace check.
pub fn run_trace(
    check: &Check,
    t: &crate::trace::Trace,
    settings: &Settings,
) -> Vec<trace::TraceHit> {
    match check {
        Check::TraceDeliveryAsAgreed {} => trace::delivery_as_agreed(t),
        Check::TraceVerification {} => trace::verification_per_v_ltkm(t),
        Check::TraceNoMtkVerification {} => trace::no_mtk_verification(t),
        Check::TracePushToRegistrationSource {} => trace::push_to_registration_source(t),
        Check::TraceKeyFreshness {} => trace::key_freshness(t, settings),
        Check::TraceDeregListsAll {} => trace::dereg_lists_all(t),
        Check::TraceFluteMtk { which } => trace::flute_mtk(t, which),
        Check::TraceSmsLtkmIsTrigger {} => trace::sms_ltkm_is_trigger(t),
        _ => Vec::new(),
    }
}

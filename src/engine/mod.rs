//! The judge: takes one input's bytes, asks the format table (`crate::format`) which reader
//! reads it, works out its kinds, plans which rules apply (and why the others do not), runs
//! them and returns one `CheckResult`: findings and every rule's outcome. This file holds the
//! plans, the XML payload judging and the dispatch; each other input has its own file:
//! MIKEY messages (`mikey.rs`, `mikey_stream.rs` for a capture's stream of them; `infer.rs`
//! which profile a message follows), HTTP exchanges: HAR, raw HTTP (`http_capture.rs`),
//! packet captures, pcap and pcapng (`packet_capture/`: `mod.rs` the stream of datagrams,
//! `http.rs` its HTTP exchanges, `flute.rs` its FLUTE sessions, `messages.rs` what `decode`
//! lists), SIP files (`sip.rs`), session traces (`trace.rs`, `session.rs` the per-terminal
//! fold), CPNS traces (`cpns.rs`); `merge.rs` merges rule outcomes, `schemas.rs` caches the
//! XML schemas, `judgement.rs` is what a reader's judging hands back. Knows the readers below it and the
//! findings model; never a renderer. The library's users reach it through the facade
//! (`crate::Engine`, `src/api/`), not directly.

use crate::checks::found::Found;
use crate::checks::kind::Judge;
use crate::checks::kind::{Delivery, Domain};
use crate::checks::xml::extension_namespace::ExtensionNamespace;
use crate::checks::xml::schema::Schema;
use crate::checks::{Ctx, Hit};
use crate::finding::{
    CheckResult, Finding, FindingVerdict, Location, Outcome, RuleOutcome, Status, Verdict,
};
use crate::format::Reader;
use crate::rules::{Rule, RuleSet};
use crate::settings::Settings;
use crate::xml::{self, XmlError};
use crate::xsd::{LoadOptions, SchemaError, ValidateOptions, Validator};
use judgement::Judgement;
use roxmltree::{Document, Node};
use schemas::SchemaCache;
use std::sync::Arc;

pub(crate) mod cpns;
pub(crate) mod http_capture;
mod infer;
mod judgement;
mod merge;
pub mod mikey;
mod mikey_stream;
pub mod packet_capture;
mod schemas;
pub(crate) mod sdp;
pub mod session;
pub mod sip;
pub(crate) mod trace;

/// The project's schemas, built into the binary (see schemas/README.md for their status).
pub(crate) const SCHEMA_FILES: &[(&str, &str)] = &[
    (
        "schemas/3gpp/SecurityRegistration.xsd",
        include_str!("../../schemas/3gpp/SecurityRegistration.xsd"),
    ),
    (
        "schemas/3gpp/SecurityDeregistration.xsd",
        include_str!("../../schemas/3gpp/SecurityDeregistration.xsd"),
    ),
    (
        "schemas/3gpp/securityRegistrationResponse.xsd",
        include_str!("../../schemas/3gpp/securityRegistrationResponse.xsd"),
    ),
    (
        "schemas/3gpp/mskRequest.xsd",
        include_str!("../../schemas/3gpp/mskRequest.xsd"),
    ),
    (
        "schemas/3gpp/mskResponse.xsd",
        include_str!("../../schemas/3gpp/mskResponse.xsd"),
    ),
    (
        "schemas/fdt/rfc6726-fdt.xsd",
        include_str!("../../schemas/fdt/rfc6726-fdt.xsd"),
    ),
    (
        "schemas/fdt/RECONSTRUCTED_rfc3926-fdt.xsd",
        include_str!("../../schemas/fdt/RECONSTRUCTED_rfc3926-fdt.xsd"),
    ),
    (
        "schemas/fdt/3gpp-ts26346/FLUTE-FDT-3GPP-Main.xsd",
        include_str!("../../schemas/fdt/3gpp-ts26346/FLUTE-FDT-3GPP-Main.xsd"),
    ),
    (
        "schemas/fdt/3gpp-ts26346/FLUTE-FDT-3GPP-2005-Extensions.xsd",
        include_str!("../../schemas/fdt/3gpp-ts26346/FLUTE-FDT-3GPP-2005-Extensions.xsd"),
    ),
    (
        "schemas/fdt/3gpp-ts26346/FLUTE-FDT-3GPP-2007-Extensions.xsd",
        include_str!("../../schemas/fdt/3gpp-ts26346/FLUTE-FDT-3GPP-2007-Extensions.xsd"),
    ),
    (
        "schemas/fdt/3gpp-ts26346/FLUTE-FDT-3GPP-2008-Extensions.xsd",
        include_str!("../../schemas/fdt/3gpp-ts26346/FLUTE-FDT-3GPP-2008-Extensions.xsd"),
    ),
    (
        "schemas/fdt/3gpp-ts26346/FLUTE-FDT-3GPP-2009-Extensions.xsd",
        include_str!("../../schemas/fdt/3gpp-ts26346/FLUTE-FDT-3GPP-2009-Extensions.xsd"),
    ),
    (
        "schemas/fdt/3gpp-ts26346/FLUTE-FDT-3GPP-2012-Extensions.xsd",
        include_str!("../../schemas/fdt/3gpp-ts26346/FLUTE-FDT-3GPP-2012-Extensions.xsd"),
    ),
    (
        "schemas/fdt/3gpp-ts26346/FLUTE-FDT-3GPP-2015-Extensions.xsd",
        include_str!("../../schemas/fdt/3gpp-ts26346/FLUTE-FDT-3GPP-2015-Extensions.xsd"),
    ),
    (
        "schemas/fdt/3gpp-ts26346/schema-version.xsd",
        include_str!("../../schemas/fdt/3gpp-ts26346/schema-version.xsd"),
    ),
    (
        "schemas/fdt/3gpp-ts26346/TS26346_FLUTE-FDT_Profiled.xsd",
        include_str!("../../schemas/fdt/3gpp-ts26346/TS26346_FLUTE-FDT_Profiled.xsd"),
    ),
    (
        "schemas/oma/bcast-orderqueries.RECONSTRUCTED.xsd",
        include_str!("../../schemas/oma/bcast-orderqueries.RECONSTRUCTED.xsd"),
    ),
    (
        "schemas/mcx/rfc4354-poc-settings.xsd",
        include_str!("../../schemas/mcx/rfc4354-poc-settings.xsd"),
    ),
    (
        "schemas/mcx/mcsSettings.xsd",
        include_str!("../../schemas/mcx/mcsSettings.xsd"),
    ),
    (
        "schemas/mcx/mcvideoinfo.xsd",
        include_str!("../../schemas/mcx/mcvideoinfo.xsd"),
    ),
    (
        "schemas/mcx/aux-xmlenc.STUB.xsd",
        include_str!("../../schemas/mcx/aux-xmlenc.STUB.xsd"),
    ),
    (
        "schemas/mcx/aux-mcvideoGKTP.STUB.xsd",
        include_str!("../../schemas/mcx/aux-mcvideoGKTP.STUB.xsd"),
    ),
];

/// The size (octets of text) from which an XML document's schema validation and rules run
/// on two threads.
const SIDE_BY_SIDE_FROM: usize = 256 * 1024;

/// Everything needed to judge inputs: settings, rules and compiled schemas.
pub struct Engine {
    pub settings: Settings,
    pub rules: RuleSet,
    schemas: SchemaCache,
    validate_opts: ValidateOptions,
    pub strict: bool,
    /// Each rule's position in the tables, by id: outcomes are listed in table order.
    rule_position: rustc_hash::FxHashMap<String, usize>,
    /// Each rule's reason for being not applicable to an input that held nothing of its
    /// kinds, written once rather than per input.
    unread_reason: std::sync::OnceLock<Vec<Arc<str>>>,
    plans: std::sync::Mutex<Plans>,
    /// Rules this run leaves out (`--select`/`--ignore`, `--profile`), by id, with the reason
    /// they are not applicable: never run, never passed.
    excluded: std::collections::HashMap<String, String>,
    /// The implementation profile of the run (`--profile`): a rule that binds no party is
    /// not applicable to a message kind only the other party sends (`judge_for`).
    profile: Option<crate::profile::Profile>,
    /// See `leave_trees_to_exit`.
    leave_trees_to_exit: bool,
    /// The folder the files a trace names must stay in, when wider than the trace's own
    /// (`--trace-root`).
    trace_root: Option<std::path::PathBuf>,
}

/// A plan as kept by the engine: rules by position, reasons shared.
struct CachedPlan {
    applied: Vec<usize>,
    skipped: Vec<(usize, Arc<str>)>,
    /// The outcomes of an input on which the plan's rules found nothing, completed for the
    /// domains given with them (see `Engine::clean_outcomes`).
    clean: std::sync::OnceLock<(Vec<Domain>, Arc<Vec<RuleOutcome>>)>,
}

/// The plans worked out so far, by domain, kinds and delivery (a handful per run).
type Plans = Vec<(Domain, Vec<String>, Option<Delivery>, Arc<CachedPlan>)>;

/// The rules of one domain for one input: those applied, and those not, each with the
/// reason. A rule that was not applied is reported as not applicable, never as passed.
pub(crate) struct Plan<'r> {
    /// The kinds the input was read as.
    pub kinds: Vec<String>,
    pub applied: Vec<&'r Rule>,
    pub skipped: Vec<(&'r Rule, Arc<str>)>,
    /// The engine's copy, where the plan came from its cache.
    cached: Option<Arc<CachedPlan>>,
}

impl Engine {
    /// Which rules of a domain apply to an input read as `kinds` (delivered by `delivery`,
    /// for MIKEY messages), and why the others do not.
    pub(crate) fn plan(
        &self,
        domain: Domain,
        kinds: &[String],
        delivery: Option<Delivery>,
    ) -> Plan<'_> {
        let cached = self.cached_plan(domain, kinds, delivery);
        let rules = &self.rules.rules;
        Plan {
            kinds: kinds.to_vec(),
            applied: cached.applied.iter().map(|&i| &rules[i]).collect(),
            skipped: cached
                .skipped
                .iter()
                .map(|(i, why)| (&rules[*i], why.clone()))
                .collect(),
            cached: Some(cached),
        }
    }

    /// The outcomes of an input on which the plan's rules found nothing (each applied rule
    /// passed, the others not applicable), completed for `domains`: worked out once per plan
    /// and shared by every such input.
    pub(crate) fn clean_outcomes(&self, plan: &Plan, domains: &[Domain]) -> Arc<Vec<RuleOutcome>> {
        let build = || {
            let mut rules = outcomes(plan, &[]);
            self.complete_rule_list(&mut rules, domains);
            Arc::new(rules)
        };
        let Some(cached) = &plan.cached else {
            return build();
        };
        let (d, rules) = cached.clean.get_or_init(|| (domains.to_vec(), build()));
        if d.as_slice() == domains {
            rules.clone()
        } else {
            build()
        }
    }

    /// The plan for one domain, kinds and delivery, worked out once: a corpus or capture
    /// asks for the same few plans for every input, and writing the reasons for every rule
    /// that does not apply was a tenth of a small file's check.
    fn cached_plan(
        &self,
        domain: Domain,
        kinds: &[String],
        delivery: Option<Delivery>,
    ) -> Arc<CachedPlan> {
        let mut plans = self.plans.lock().unwrap_or_else(|e| e.into_inner());
        let found = plans
            .iter()
            .find(|(d, k, w, _)| *d == domain && k.as_slice() == kinds && *w == delivery);
        if let Some((.., p)) = found {
            return p.clone();
        }
        let mut plan = CachedPlan {
            applied: Vec::new(),
            skipped: Vec::new(),
            clean: std::sync::OnceLock::new(),
        };
        for (i, r) in self.rules.rules.iter().enumerate() {
            if r.check.domain() != domain {
                continue;
            }
            match self.why_not(r, kinds, delivery) {
                None => plan.applied.push(i),
                Some(why) => plan.skipped.push((i, why.into())),
            }
        }
        let plan = Arc::new(plan);
        plans.push((domain, kinds.to_vec(), delivery, plan.clone()));
        plan
    }

    /// Why a rule does not apply, or None when it does.
    fn why_not(&self, r: &Rule, kinds: &[String], delivery: Option<Delivery>) -> Option<String> {
        if let Some(why) = self.excluded.get(&r.id) {
            return Some(why.clone());
        }
        if !r.applies(kinds) {
            return Some(format!(
                "applies to {}{READ_AS_OTHER_KIND}{}",
                r.applies_to.join(", "),
                kinds.join(" or ")
            ));
        }
        if let Some(why) = self.stimulus(r, kinds) {
            return Some(why);
        }
        let needs = r.check.kind().needs();
        if let Some(setting) = needs.setting {
            if !(setting.supplied)(&self.settings) {
                return Some(format!(
                    "needs the {} setting, which was not supplied",
                    setting.name
                ));
            }
        }
        if let Some(want) = needs.delivery {
            if delivery != Some(want) {
                return Some(format!(
                    "applies only to a message {}; {}",
                    want.describe(),
                    match delivery {
                        Some(d) => format!("this one was {}", d.describe()),
                        None => "how this one was delivered is not known".to_string(),
                    }
                ));
            }
        }
        None
    }

    /// Why a rule that binds no party does not apply under the profile: every kind the input
    /// was read as is sent by another party (a rule that binds a party is left out or kept
    /// by its role, `config::Resolved::exclusions`).
    fn stimulus(&self, r: &Rule, kinds: &[String]) -> Option<String> {
        let profile = self.profile.as_ref()?;
        if r.requires.as_ref().is_some_and(|q| !q.roles.is_empty()) || kinds.is_empty() {
            return None;
        }
        let whys: Option<Vec<String>> = kinds.iter().map(|k| profile.why_not_kind(k)).collect();
        whys?.into_iter().next()
    }

    /// Adds a not-applicable outcome for every rule of `domains` the result has none for,
    /// and puts the outcomes in rule-table order.
    pub(crate) fn complete_outcomes(&self, result: &mut CheckResult, domains: &[Domain]) {
        if result.verdict == Verdict::Error {
            return;
        }
        self.complete_rule_list(Arc::make_mut(&mut result.rules), domains);
    }

    /// `complete_outcomes` on a list of outcomes.
    fn complete_rule_list(&self, rules: &mut Vec<RuleOutcome>, domains: &[Domain]) {
        // Rule-table positions, looked up once per outcome (a linear search per comparison
        // made this the most expensive step of a small file's check).
        let position = &self.rule_position;
        let mut present = vec![false; self.rules.rules.len()];
        for o in rules.iter() {
            if let Some(&i) = position.get(&o.rule) {
                present[i] = true;
            }
        }
        for (i, r) in self.rules.rules.iter().enumerate() {
            if !present[i] && domains.contains(&r.check.domain()) {
                rules.push(RuleOutcome::not_applicable(
                    r.id.clone(),
                    self.unread_reasons()[i].clone(),
                ));
            }
        }
        rules.sort_by_cached_key(|o| position.get(&o.rule).copied());
    }
}

/// The words of a not-applicable reason that names the other kind an input was read as (a
/// trace replaces it: one event's kind is not the trace's).
pub(crate) const READ_AS_OTHER_KIND: &str = "; the input was read as ";

/// The kinds an input is read as, with notes on how that was decided.
struct KindChoice {
    kinds: Vec<String>,
    notes: Vec<String>,
}

impl Engine {
    /// The engine with the built-in settings, rules and schemas.
    pub fn builtin(strict: bool) -> Result<Engine, String> {
        let settings = Settings::load(None, &[]).map_err(|e| e.to_string())?;
        let rules = RuleSet::builtin(&settings).map_err(|e| e.to_string())?;
        Engine::new(settings, rules, strict).map_err(|e| e.to_string())
    }

    /// One built-in engine for the whole process (fuzz targets, tools), built on first use.
    pub fn shared_builtin() -> &'static Engine {
        static ENGINE: std::sync::OnceLock<Engine> = std::sync::OnceLock::new();
        ENGINE.get_or_init(|| Engine::builtin(false).expect("the built-in engine builds"))
    }

    pub fn new(settings: Settings, rules: RuleSet, strict: bool) -> Result<Engine, SchemaError> {
        let opts = LoadOptions {
            element_form: Some((
                settings.bcast_ns().to_string(),
                settings.bcast_children_form == "qualified",
            )),
        };
        let schemas = SchemaCache::new(SCHEMA_FILES, opts);
        let validate_opts = ValidateOptions {
            lenient_parents: settings.bcast_containers.clone(),
            extensions: Vec::new(),
            namespace_read_as: None,
        };
        let rule_position = rules
            .rules
            .iter()
            .enumerate()
            .map(|(i, r)| (r.id.clone(), i))
            .collect();
        Ok(Engine {
            plans: Default::default(),
            excluded: std::collections::HashMap::new(),
            profile: None,
            leave_trees_to_exit: false,
            trace_root: None,
            rule_position,
            unread_reason: std::sync::OnceLock::new(),
            settings,
            rules,
            schemas,
            validate_opts,
            strict,
        })
    }

    /// Each rule's reason for being not applicable to an input that held nothing of its
    /// kinds (or the reason the run leaves it out), written on first use.
    fn unread_reasons(&self) -> &[Arc<str>] {
        self.unread_reason.get_or_init(|| {
            self.rules
                .rules
                .iter()
                .map(|r| match self.excluded.get(&r.id) {
                    Some(why) => why.as_str().into(),
                    None => format!(
                        "applies to {}; nothing in the input was read as that",
                        r.applies_to.join(", ")
                    )
                    .into(),
                })
                .collect()
        })
    }

    /// Leaves rules out of this run (rule id → why): each is reported not applicable with
    /// its reason on every input (see `config::Resolved::exclusions`).
    pub fn exclude(&mut self, rules: std::collections::BTreeMap<String, String>) {
        self.excluded.extend(rules);
        self.unread_reason = std::sync::OnceLock::new();
        // Plans worked out before this would still apply the rules left out.
        self.plans
            .get_mut()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
    }

    /// Judges for the implementation a profile declares: messages of a kind only another
    /// party sends are its stimulus, and the rules that bind no party are not applied to them.
    pub fn judge_for(&mut self, profile: Option<crate::profile::Profile>) {
        self.profile = profile;
        self.plans
            .get_mut()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
    }

    /// Why this run leaves the rule out, if it does (`exclude`).
    pub fn excluded(&self, id: &str) -> Option<&str> {
        self.excluded.get(id).map(String::as_str)
    }

    /// Judges one input: an XML payload or a MIKEY message, by `as_kind` or by its first
    /// non-blank character ('<' is XML). At most `limits.max_findings` findings are listed;
    /// a note counts the rest per rule, and the verdict is the whole list's.
    pub fn check(&self, input: &str, bytes: &[u8], as_kind: Option<&str>) -> CheckResult {
        let mut result = self.check_listing_all(input, bytes, as_kind);
        result.list_at_most(self.settings.limits.max_findings);
        self.unchecked_if_nothing_applied(result)
    }

    /// A result in which no rule was applied is no verdict: nothing was checked, so it could
    /// not be checked, with the reason (most often the run's selection, `--select`, `--ignore`,
    /// a profile or the config file, leaving out every rule that applies to the input).
    pub(crate) fn unchecked_if_nothing_applied(&self, result: CheckResult) -> CheckResult {
        if result.verdict == Verdict::Error || result.rules.iter().any(RuleOutcome::applied) {
            return result;
        }
        let left_out: Vec<&RuleOutcome> = result
            .rules
            .iter()
            .filter(|o| self.excluded.contains_key(&o.rule))
            .collect();
        // The example named is one that would have judged this kind of input, where there is
        // one (a SIP file's reason is its own rule's, not a registration schema's).
        let kind = [result.kind.clone()];
        let of_this_kind = left_out.iter().find(|o| {
            self.rules
                .get(&o.rule)
                .is_some_and(|r| r.applies(&kind) && !r.applies_to.iter().any(|k| k == "any"))
        });
        let why = match of_this_kind.or(left_out.first()) {
            None => "no rule applies to it".to_string(),
            Some(first) => format!(
                "this run leaves out {} of the {} rules for it (e.g. {}: {}), and none of the others applies to it",
                left_out.len(),
                result.rules.len(),
                first.rule,
                first.outcome.reason().map_or("left out", |r| r),
            ),
        };
        let mut unchecked = CheckResult::error(
            &result.input,
            &result.kind,
            format!("nothing was checked: {why}"),
        );
        unchecked.notes = result.notes;
        unchecked
    }

    /// Judges one input by the reader its format names (`format::detect`: `--as`, else
    /// its content).
    fn check_listing_all(&self, input: &str, bytes: &[u8], as_kind: Option<&str>) -> CheckResult {
        let format = match crate::format::detect(bytes, as_kind, &self.settings) {
            Ok(f) => f,
            Err(why) => return CheckResult::error(input, as_kind.unwrap_or("unknown"), why),
        };
        // A capture has no size limit: it is read as a stream.
        if format.reader == Reader::Pcap {
            return self.check_pcap(input, bytes);
        }
        let limit = self.settings.limits.max_bytes;
        if bytes.len() > limit {
            return CheckResult::error(
                input,
                as_kind.unwrap_or("unknown"),
                format!(
                    "{} bytes, over the limit of {limit} (setting limits.max_bytes)",
                    bytes.len()
                ),
            );
        }
        match format.reader {
            Reader::Pcap => self.check_pcap(input, bytes),
            Reader::CpnsTrace => self.check_cpns(input, bytes),
            Reader::Sip => self.check_sip(input, bytes),
            Reader::Sdp => self.check_sdp(input, bytes),
            Reader::SessionTrace => {
                let base = std::path::Path::new(input)
                    .parent()
                    .unwrap_or(std::path::Path::new("."));
                self.check_trace(input, bytes, base)
            }
            Reader::HttpExchange => self.check_capture(input, bytes),
            Reader::Mikey => self.check_mikey(input, bytes, as_kind),
            Reader::Xml => self.check_xml(input, bytes, as_kind),
            Reader::SpecDocument => CheckResult::error(
                input,
                format.name,
                "a change request: check it with `mikeyconf spec`".into(),
            ),
        }
    }

    /// Judges one XML payload. `as_kind` (the user's `--as`) overrides detection.
    pub fn check_xml(&self, input: &str, bytes: &[u8], as_kind: Option<&str>) -> CheckResult {
        self.check_xml_read_as(input, bytes, as_kind, true)
    }

    /// Judges one XML payload read as `as_kind`, which the user `named` or the engine
    /// inferred (a response read as the kind that answers its request: there the exchange
    /// rules own a mismatch, so the schema rule does not report it a second time).
    pub(crate) fn check_xml_read_as(
        &self,
        input: &str,
        bytes: &[u8],
        as_kind: Option<&str>,
        named: bool,
    ) -> CheckResult {
        let limits = &self.settings.limits;
        if bytes.len() > limits.max_bytes {
            return CheckResult::error(
                input,
                as_kind.unwrap_or("unknown"),
                format!(
                    "{} bytes, over the limit of {} (setting limits.max_bytes)",
                    bytes.len(),
                    limits.max_bytes
                ),
            );
        }
        if let Some(k) = as_kind {
            if self.settings.kind(k).is_none() {
                return CheckResult::error(input, k, format!("unknown kind '{k}'"));
            }
        }
        let kind_label = as_kind.unwrap_or("unknown").to_string();
        let text = match xml::decode_text(bytes) {
            Ok(t) => t,
            Err(e) => return self.unreadable(input, &kind_label, e, None),
        };
        let (doc, element_names) = match xml::parse_with_names(&text, limits) {
            Ok(d) => d,
            Err(e) => return self.unreadable(input, &kind_label, e, Some(text.to_string())),
        };
        // Every hit of this text is placed (line and column) in turn: its line index is
        // built once and kept while the pin lives (`crate::line_index`).
        let pin = crate::line_index::pin(&text);
        let choice = match as_kind {
            Some(k) => KindChoice {
                kinds: vec![k.to_string()],
                notes: Vec::new(),
            },
            None => match self.detect(doc.root_element(), Some(&element_names)) {
                Ok(c) => c,
                Err(why) => return CheckResult::error(input, "unknown", why),
            },
        };
        // The element index is gathered by the first rule that selects, beside validation.
        let ctx = Ctx::new(&doc, &self.settings, &choice.kinds);
        let plan = self.plan(Domain::Xml, &choice.kinds, None);
        let hits = self.xml_hits(&ctx, &plan, as_kind.filter(|_| named), &text);
        const DOMAINS: &[Domain] = &[Domain::Xml, Domain::Mikey];
        // The LTKMs inside, judged by the MIKEY rules (after the XML rules, whose findings
        // say which are no MIKEY message).
        let mut embedded = None;
        if hits.iter().all(Vec::is_empty) {
            let inside = self.embedded(&ctx, &text, &[]);
            if inside.findings.is_empty() && inside.outcomes.is_empty() {
                // Nothing found and nothing embedded: the outcomes every such input shares,
                // and no text kept, as no snippet will be shown.
                let outcomes = self.clean_outcomes(&plan, DOMAINS);
                let kind = choice.kinds.join("|");
                let result = judged(input, kind, Vec::new(), outcomes, choice.notes, None);
                drop(ctx);
                self.release(doc, text.len());
                return result;
            }
            embedded = Some(inside);
        }
        let mut j = Judgement::default();
        for (rule, hits) in plan.applied.iter().zip(hits) {
            j.rule(rule, Found::Judged(hits), |h| self.finding(rule, h, &text));
        }
        j.skipped(&plan);
        let inside = embedded.unwrap_or_else(|| self.embedded(&ctx, &text, &j.findings));
        j.take(inside);
        j.findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        j.findings.dedup();
        drop(pin);
        drop(ctx);
        self.release(doc, text.len());
        let mut result = judged(
            input,
            choice.kinds.join("|"),
            j.findings,
            j.outcomes,
            choice.notes,
            Some(text.into_owned()),
        );
        self.complete_outcomes(&mut result, DOMAINS);
        result
    }

    /// The hits of each applied rule of the plan (by position): the schema violations, each
    /// given to the schema rule with the innermost scope; with `--as KIND` (`named`), a root
    /// that is not KIND's; and each XML check's own.
    fn xml_hits(&self, ctx: &Ctx, plan: &Plan, named: Option<&str>, text: &str) -> Vec<Vec<Hit>> {
        let schema = || self.schema_hits(ctx, &plan.applied);
        let rules = || -> Vec<Vec<Hit>> {
            let judge = |rule: &&Rule| match rule.check.kind().judge() {
                Judge::Xml(check) => check.xml(ctx),
                _ => Vec::new(),
            };
            plan.applied.iter().map(judge).collect()
        };
        // A large document's schema validation and its rules run side by side (both only
        // read the tree); for a small one a second thread costs more than it saves.
        let (by_schema, by_rules) = if text.len() >= SIDE_BY_SIDE_FROM {
            rayon::join(schema, rules)
        } else {
            (schema(), rules())
        };
        let mut hits: Vec<Vec<Hit>> = plan.applied.iter().map(|_| Vec::new()).collect();
        let at = |rule: &Rule| plan.applied.iter().position(|r| std::ptr::eq(*r, rule));
        for (rule, hit) in by_schema {
            if let Some(i) = at(rule) {
                hits[i].push(hit);
            }
        }
        if let Some((i, root)) = named.and_then(|k| self.root_not_of_kind(ctx, plan, k)) {
            // Unless the validator already rejected the root itself.
            let place = hit_location(&root, text);
            if !hits
                .iter()
                .flatten()
                .any(|h| hit_location(h, text) == place)
            {
                hits[i].push(root);
            }
        }
        for (own, more) in hits.iter_mut().zip(by_rules) {
            own.extend(more);
        }
        hits
    }

    /// Frees a document's tree, or leaves it to the process's exit (`leave_trees_to_exit`):
    /// freeing the tree of a 15 MB document (60 MB of nodes) took 11 ms of a 140 ms check.
    fn release(&self, doc: roxmltree::Document, size: usize) {
        if self.leave_trees_to_exit && size >= SIDE_BY_SIDE_FROM {
            std::mem::forget(doc);
        }
    }

    /// Lets the files a trace names lie anywhere inside `root` (`--trace-root`) rather than
    /// only inside the trace's own folder.
    pub fn widen_trace_root(&mut self, root: std::path::PathBuf) {
        self.trace_root = Some(root);
    }

    /// For a process that exits after one check: the tree of a large document is not freed
    /// but left to the exit, which takes the memory back at once (as clang's driver does with
    /// `-disable-free`). Never for a run of many inputs, whose memory must stay flat.
    pub fn leave_trees_to_exit(&mut self) {
        self.leave_trees_to_exit = true;
    }

    /// MIKEY messages inside the document (LTKMs), judged by the rules of their kind,
    /// wherever their namespace puts them. An element whose value is not base64 or does not
    /// start as a MIKEY message already has that finding and is not judged again.
    fn embedded(&self, ctx: &Ctx, text: &str, so_far: &[Finding]) -> Judgement {
        let mut all = Judgement::default();
        for m in mikey::embedded_messages(&self.settings, ctx.doc, ctx.index(), text) {
            // A value already found not to start as a MIKEY message is not judged again
            // (one problem, one finding); any other finding at the element (its namespace,
            // its place) leaves the message to be judged.
            let not_mikey = so_far.iter().any(|f| {
                f.location.line == m.at.line
                    && f.location.column == m.at.column
                    && self
                        .rules
                        .get(&f.rule)
                        .is_some_and(|r| r.check.name() == "base64_mikey_header")
            });
            if not_mikey {
                continue;
            }
            let Ok(bytes) = m.bytes else {
                continue;
            };
            let label = format!("{} #{} ({} octets)", m.element, m.index, bytes.len());
            let (findings, outcomes) = self.embedded_findings(&m.kind, &bytes, m.at, &label);
            all.take(Judgement {
                findings,
                outcomes,
                notes: Vec::new(),
            });
        }
        all
    }

    /// A document that could not be read: malformed (a finding) or refused (an error).
    fn unreadable(
        &self,
        input: &str,
        kind: &str,
        e: XmlError,
        text: Option<String>,
    ) -> CheckResult {
        match e {
            XmlError::Refused { location, reason } => CheckResult::error(
                input,
                kind,
                format!("{}:{}: {reason}", location.line, location.column),
            ),
            XmlError::Malformed { location, reason } => {
                let Some(rule) = self
                    .rules
                    .rules
                    .iter()
                    .find(|r| r.check.name() == "well_formed")
                else {
                    return CheckResult::error(input, kind, reason);
                };
                // Left out of the run: the document is still unreadable, so not checked.
                if let Some(why) = self.excluded.get(&rule.id) {
                    let why = format!(
                        "{}:{}: {reason} (the rule {} that reports this is {why})",
                        location.line, location.column, rule.id
                    );
                    return CheckResult::error(input, kind, why);
                }
                let finding = self.make_finding(rule, vec![("detail", reason)], location);
                let outcomes = vec![RuleOutcome::new(rule.id.clone(), finding.verdict.into())];
                judged(
                    input,
                    kind.to_string(),
                    vec![finding],
                    outcomes,
                    Vec::new(),
                    text,
                )
            }
        }
    }

    /// With `--as KIND`, a root element that is not KIND's fails KIND's schema rule at the
    /// root, saying what the root is and which kind it would be: a document of another kind
    /// never passes for the one named.
    /// Its hit, for the schema rule at that position of the plan's applied rules.
    fn root_not_of_kind(&self, ctx: &Ctx, plan: &Plan, kind: &str) -> Option<(usize, Hit)> {
        let def = self.settings.kind(kind)?;
        let root = ctx.doc.root_element();
        let (ns, local) = (
            root.tag_name().namespace().unwrap_or(""),
            root.tag_name().name(),
        );
        if ns == def.namespace && local == def.root {
            return None;
        }
        let at = plan.applied.iter().position(|r| {
            r.check
                .downcast::<Schema>()
                .is_some_and(|s| s.is_fallback())
        })?;
        let would_be = match self.detect(root, None) {
            Ok(c) => format!("it is the root of {}", c.kinds.join(" or ")),
            Err(_) => "it is the root of no known payload kind".to_string(),
        };
        let detail = format!(
            "the root element is {{{ns}}}{local}, not {{{}}}{} of a {kind} (--as {kind}); {would_be}",
            def.namespace, def.root
        );
        Some((at, Hit::at(root).var("detail", detail)))
    }

    /// Validates once and gives each violation to the schema rule with the innermost scope.
    fn schema_hits<'r>(&self, ctx: &Ctx, rules: &[&'r Rule]) -> Vec<(&'r Rule, Hit)> {
        let schema_rules: Vec<(&Rule, &Schema)> = rules
            .iter()
            .filter_map(|r| r.check.downcast::<Schema>().map(|s| (*r, s)))
            .collect();
        if schema_rules.is_empty() {
            return Vec::new();
        }
        let fallback = schema_rules
            .iter()
            .find(|(_, s)| s.is_fallback())
            .or(schema_rules.first());
        // An extension's elements whose namespace a rule judges are read by local name, so
        // that rule's finding is the only one for a misplaced element (MCV-XML-01).
        let mut opts = self.validate_opts.clone();
        opts.extensions.extend(
            rules
                .iter()
                .filter_map(|r| r.check.downcast::<ExtensionNamespace>())
                .filter_map(|e| e.placement(&self.settings)),
        );
        // A root in another namespace than its kind's is read in its kind's (one finding,
        // at the root; its content still validated).
        opts.namespace_read_as = ctx
            .root_namespace_misread()
            .map(|(written, read)| (written.to_string(), read.to_string()));
        let also: Vec<&str> = opts
            .extensions
            .iter()
            .map(|e| e.namespace.as_str())
            .chain(
                opts.namespace_read_as
                    .as_ref()
                    .map(|(_, read)| read.as_str()),
            )
            .collect();
        let set = match self.schemas.for_document_and(ctx.doc, &also) {
            Ok(set) => set,
            // The built-in schemas are fixed at build time and a test compiles them all, so
            // this is a defect of the build, reported rather than ignored.
            Err(e) => {
                let detail = format!("the built-in schemas could not be compiled: {e}");
                let root = ctx.doc.root_element();
                return fallback
                    .map(|(r, _)| (*r, Hit::at(root).var("detail", detail)))
                    .into_iter()
                    .collect();
            }
        };
        let violations = Validator::new(&set, &opts).validate(ctx.doc);
        violations
            .into_iter()
            .filter_map(|v| {
                let start = if v.in_parent {
                    v.node.parent().unwrap_or(v.node)
                } else {
                    v.node
                };
                let owner = start
                    .ancestors()
                    .filter(Node::is_element)
                    .find_map(|a| {
                        schema_rules.iter().find(|(_, schema)| {
                            !schema.is_fallback() && schema.scope.iter().any(|s| ctx.matches(s, a))
                        })
                    })
                    .or(fallback)?;
                Some((owner.0, Hit::at(v.node).var("detail", v.message)))
            })
            .collect()
    }

    fn finding(&self, rule: &Rule, hit: Hit, text: &str) -> Finding {
        let location = hit_location(&hit, text);
        self.make_finding_resting(rule, hit.vars, location, hit.rests_on.as_deref())
    }

    pub(crate) fn make_finding(
        &self,
        rule: &Rule,
        vars: Vec<(&'static str, String)>,
        location: Location,
    ) -> Finding {
        self.make_finding_resting(rule, vars, location, None)
    }

    /// A finding of `rule`; one that rests on a provisional reading (`rests_on`) is
    /// provisional whatever the rule's status, so a confirmed rule never fails on it.
    pub(crate) fn make_finding_resting(
        &self,
        rule: &Rule,
        vars: Vec<(&'static str, String)>,
        location: Location,
        rests_on: Option<&str>,
    ) -> Finding {
        let mut message = fill(&rule.message, &vars);
        let mut status = rule.status;
        if let Some(assumes) = &rule.assumes {
            // An assumption may name the setting it rests on: `{form}` and the like.
            let assumes = fill(assumes.trim(), &vars);
            message.push_str(&format!(" [provisional: assumes {assumes}]"));
        }
        if let Some(reading) = rests_on {
            status = Status::Provisional;
            message.push_str(&format!(" [provisional: assumes {}]", reading.trim()));
        }
        Finding {
            rule: rule.id.clone(),
            requirement: rule.requirement.clone(),
            clause: rule.clause.to_string(),
            level: rule.level,
            severity: rule.severity,
            status,
            verdict: FindingVerdict::of(rule.severity, status, self.strict),
            message,
            location,
            party: rule.party(),
        }
    }

    /// The kinds a document is read as, by its root element and, where a root is shared,
    /// the containers it carries (`names`: its elements' local names, when known).
    fn detect(&self, root: Node, names: Option<&xml::ElementNames>) -> Result<KindChoice, String> {
        let (ns, local) = (
            root.tag_name().namespace().unwrap_or(""),
            root.tag_name().name(),
        );
        let mut by_name: Vec<_> = self
            .settings
            .kinds
            .iter()
            .filter(|k| k.root == local)
            .collect();
        // Kinds that share a root name but not a namespace (the FDT schemas) are told apart
        // by the namespace.
        if by_name.iter().any(|k| k.namespace == ns) {
            by_name.retain(|k| k.namespace == ns);
        }
        if by_name.is_empty() {
            let known: Vec<_> = self
                .settings
                .kinds
                .iter()
                .map(|k| k.root.as_str())
                .collect();
            return Err(format!(
                "unknown payload kind: root element {{{ns}}}{local} is none of {}; name the kind with --as",
                known.join(", ")
            ));
        }
        let mut notes = Vec::new();
        if !by_name.iter().any(|k| k.namespace == ns) {
            notes.push(format!(
                "root element {local} is in namespace '{ns}', not '{}'; read as {} by its name",
                by_name[0].namespace, by_name[0].name
            ));
        }
        if by_name.len() == 1 {
            return Ok(KindChoice {
                kinds: vec![by_name[0].name.clone()],
                notes,
            });
        }
        let present: Vec<_> = by_name
            .iter()
            .filter(|k| carries_any(root, names, &k.distinguished_by))
            .collect();
        let names: Vec<String> = by_name.iter().map(|k| k.name.clone()).collect();
        if present.len() == 1 {
            notes.push(format!(
                "read as {}: it carries {}",
                present[0].name,
                present[0].distinguished_by.join(" or ")
            ));
            return Ok(KindChoice {
                kinds: vec![present[0].name.clone()],
                notes,
            });
        }
        notes.push(format!(
            "ambiguous: {local} is the root of both {}; {}; only the rules they share were applied (name the kind with --as)",
            names.join(" and "),
            if present.is_empty() { "no container tells them apart" } else { "containers of both are present" }
        ));
        Ok(KindChoice {
            kinds: names,
            notes,
        })
    }
}

/// Whether the element or any element inside it has one of these local names: read off
/// the prescan's names when it saw every element, else searched in the tree. The containers
/// that tell a root's kinds apart are extensions, written after the payload's content, so
/// the tree search starts at the root's last child.
fn carries_any(root: Node, seen: Option<&xml::ElementNames>, names: &[String]) -> bool {
    let known: Option<Vec<bool>> = seen.and_then(|s| names.iter().map(|d| s.carries(d)).collect());
    if let Some(known) = known {
        return known.contains(&true);
    }
    let named = |n: &Node| n.is_element() && names.iter().any(|d| d == n.tag_name().name());
    named(&root)
        || root
            .children()
            .rev()
            .any(|c| c.descendants().any(|n| named(&n)))
}

/// Where an XML check's hit is, as its finding will say.
fn hit_location(hit: &Hit, text: &str) -> Location {
    let mut location = xml::location(text, hit.span.0, hit.span.1);
    location.byte_offset = hit.byte_offset;
    location
}

/// Fills `{name}` placeholders.
fn fill(template: &str, vars: &[(&'static str, String)]) -> String {
    let mut out = template.to_string();
    for (name, value) in vars {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

/// The result of an input that was judged: its verdict follows from its findings.
pub(crate) fn judged(
    input: &str,
    kind: String,
    findings: Vec<Finding>,
    rules: impl Into<Arc<Vec<RuleOutcome>>>,
    notes: Vec<String>,
    source: Option<String>,
) -> CheckResult {
    let rules = rules.into();
    CheckResult {
        input: input.to_string(),
        kind,
        verdict: Verdict::of(&findings, &rules),
        notes,
        error: None,
        findings,
        rules,
        source,
    }
}

/// Each applied rule's outcome (its worst finding's verdict, or pass), then each skipped
/// rule as not applicable, with the reason.
pub(crate) fn outcomes(plan: &Plan, findings: &[Finding]) -> Vec<RuleOutcome> {
    let applied = plan
        .applied
        .iter()
        .map(|r| RuleOutcome::new(r.id.clone(), Outcome::of_findings(&r.id, findings)));
    let skipped = plan
        .skipped
        .iter()
        .map(|(r, why)| RuleOutcome::not_applicable(r.id.clone(), why.clone()));
    applied.chain(skipped).collect()
}

/// Parses text into a document with the engine's limits (for tools built on the engine).
pub fn parse<'i>(text: &'i str, settings: &Settings) -> Result<Document<'i>, XmlError> {
    xml::parse(text, &settings.limits)
}

impl Engine {
    /// What the start of a file (its first [`SNIFF_BYTES`]) shows it to be, by the sniffs of
    /// the format table (`format::sniffed`): `pcap`, `cpns-trace`, `sip`, `session-trace`,
    /// `http-exchange`, or `xml` for a document that opens with an XML declaration or a
    /// UTF-16 byte order mark, or whose first element is the root of a payload kind. `None`
    /// for anything else: MIKEY text forms (hex, base64) cannot be told from other text by
    /// content.
    pub fn recognise(&self, head: &[u8]) -> Option<&'static str> {
        crate::format::sniffed(head, &self.settings).map(|f| f.name)
    }
}

/// How much of a file [`Engine::recognise`] needs to see.
pub use crate::format::SNIFF_BYTES;

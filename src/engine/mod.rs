//! The judge: reads one XML payload, works out its kind, runs every applicable rule and
//! returns the findings. Knows the parser before it and the findings model after it only.

use crate::checks::{self, Ctx, Hit};
use crate::finding::{CheckResult, Finding, FindingVerdict, Location, RuleOutcome, Verdict};
use crate::rules::{Check, Rule, RuleSet};
use crate::settings::Settings;
use crate::xml::{self, XmlError};
use crate::xsd::{LoadOptions, SchemaError, SchemaSet, ValidateOptions, Validator};
use roxmltree::{Document, Node};

mod capture;
pub mod mikey;
pub mod pcap;
mod trace;

/// The project's schemas, built into the binary (see schemas/README.md for their status).
pub const SCHEMA_FILES: &[(&str, &str)] = &[
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
];

/// Everything needed to judge inputs: settings, rules and compiled schemas.
pub struct Engine {
    pub settings: Settings,
    pub rules: RuleSet,
    schemas: SchemaSet,
    validate_opts: ValidateOptions,
    pub strict: bool,
}

impl Engine {
    /// The rules of a domain that apply to an input read as `kinds` and whose input (a
    /// catalogue, credentials) the tester has supplied.
    pub(crate) fn rules_for(&self, domain: crate::rules::Domain, kinds: &[String]) -> Vec<&Rule> {
        self.rules
            .rules
            .iter()
            .filter(|r| {
                r.check.domain() == domain
                    && r.applies(kinds)
                    && checks::has_input(&r.check, &self.settings)
            })
            .collect()
    }
}

/// The kinds an input is read as, with notes on how that was decided.
struct KindChoice {
    kinds: Vec<String>,
    notes: Vec<String>,
}

impl Engine {
    pub fn new(settings: Settings, rules: RuleSet, strict: bool) -> Result<Engine, SchemaError> {
        let opts = LoadOptions {
            element_form: Some((
                settings.bcast_ns().to_string(),
                settings.bcast_children_form == "qualified",
            )),
        };
        let mut schemas = SchemaSet::default();
        for (name, text) in SCHEMA_FILES {
            schemas.add(name, text, &opts)?;
        }
        let validate_opts = ValidateOptions {
            lenient_parents: settings.bcast_containers.clone(),
        };
        Ok(Engine {
            settings,
            rules,
            schemas,
            validate_opts,
            strict,
        })
    }

    /// Judges one input: an XML payload or a MIKEY message, by `as_kind` or by its first
    /// non-blank character ('<' is XML).
    pub fn check(&self, input: &str, bytes: &[u8], as_kind: Option<&str>) -> CheckResult {
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
        if as_kind == Some("pcap") || (as_kind.is_none() && pcap::looks_like_pcap(bytes)) {
            return self.check_pcap(input, bytes);
        }
        let is_trace = match as_kind {
            Some(k) => k == "session-trace",
            None => trace::looks_like_trace(bytes),
        };
        if is_trace {
            let base = std::path::Path::new(input)
                .parent()
                .unwrap_or(std::path::Path::new("."));
            return self.check_trace(input, bytes, base);
        }
        let is_capture = match as_kind {
            Some(k) => self.settings.is_capture_kind(k),
            None => capture::looks_like_capture(bytes),
        };
        if is_capture {
            return self.check_capture(input, bytes);
        }
        let is_mikey = match as_kind {
            Some(k) => self.settings.is_mikey_kind(k),
            None => !looks_like_xml(bytes),
        };
        if is_mikey {
            self.check_mikey(input, bytes, as_kind)
        } else {
            self.check_xml(input, bytes, as_kind)
        }
    }

    /// Judges one XML payload. `as_kind` overrides detection.
    pub fn check_xml(&self, input: &str, bytes: &[u8], as_kind: Option<&str>) -> CheckResult {
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
        let doc = match xml::parse(&text, limits) {
            Ok(d) => d,
            Err(e) => return self.unreadable(input, &kind_label, e, Some(text.clone())),
        };
        let choice = match as_kind {
            Some(k) => KindChoice {
                kinds: vec![k.to_string()],
                notes: Vec::new(),
            },
            None => match self.detect(doc.root_element()) {
                Ok(c) => c,
                Err(why) => return CheckResult::error(input, "unknown", why),
            },
        };
        let mut findings = Vec::new();
        let mut applied = Vec::new();
        let ctx = Ctx {
            doc: &doc,
            settings: &self.settings,
            kinds: &choice.kinds,
        };
        let rules = self.rules_for(crate::rules::Domain::Xml, &choice.kinds);
        for (rule, hit) in self.schema_hits(&ctx, &rules) {
            findings.push(self.finding(rule, hit, &text));
        }
        for rule in &rules {
            applied.push(*rule);
            for hit in checks::run(&rule.check, &ctx) {
                findings.push(self.finding(rule, hit, &text));
            }
        }
        let (embedded, embedded_rules) = self.embedded(&doc, &text, &findings);
        findings.extend(embedded);
        findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        findings.dedup();
        let mut outcomes = outcomes(&applied, &findings);
        mikey::merge_outcomes(&mut outcomes, self::outcomes(&embedded_rules, &findings));
        judged(
            input,
            choice.kinds.join("|"),
            findings,
            outcomes,
            choice.notes,
            Some(text),
        )
    }

    /// MIKEY messages inside the document (LTKMs), judged by the rules of their kind. An
    /// element that already has a finding (not base64, not a MIKEY header) is not judged
    /// again, so one problem is one finding.
    fn embedded<'r>(
        &'r self,
        doc: &Document,
        text: &str,
        so_far: &[Finding],
    ) -> (Vec<Finding>, Vec<&'r Rule>) {
        let mut findings = Vec::new();
        let mut rules: Vec<&Rule> = Vec::new();
        for m in mikey::embedded_messages(&self.settings, doc, text) {
            if so_far
                .iter()
                .any(|f| f.location.line == m.at.line && f.location.column == m.at.column)
            {
                continue;
            }
            let Ok(bytes) = m.bytes else {
                continue;
            };
            let label = format!("{} #{} ({} octets)", m.element, m.index, bytes.len());
            let (f, r) = self.embedded_findings(&m.kind, &bytes, m.at, &label);
            findings.extend(f);
            for rule in r {
                if !rules.iter().any(|x| x.id == rule.id) {
                    rules.push(rule);
                }
            }
        }
        (findings, rules)
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
                    .find(|r| matches!(r.check, Check::WellFormed {}))
                else {
                    return CheckResult::error(input, kind, reason);
                };
                let finding = self.make_finding(rule, vec![("detail", reason)], location);
                let outcomes = outcomes(&[rule], std::slice::from_ref(&finding));
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

    /// Validates once and gives each violation to the schema rule with the innermost scope.
    fn schema_hits<'r>(&self, ctx: &Ctx, rules: &[&'r Rule]) -> Vec<(&'r Rule, Hit)> {
        let schema_rules: Vec<(&Rule, &Vec<crate::rules::Selector>)> = rules
            .iter()
            .filter_map(|r| match &r.check {
                Check::Schema { scope } => Some((*r, scope)),
                _ => None,
            })
            .collect();
        if schema_rules.is_empty() {
            return Vec::new();
        }
        let is_fallback = |scope: &Vec<crate::rules::Selector>| {
            scope.iter().any(|s| s.prefix == "*" && s.local == "*")
        };
        let fallback = schema_rules
            .iter()
            .find(|(_, s)| is_fallback(s))
            .or(schema_rules.first());
        let violations = Validator::new(&self.schemas, &self.validate_opts).validate(ctx.doc);
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
                        schema_rules.iter().find(|(_, scope)| {
                            !is_fallback(scope) && scope.iter().any(|s| ctx.matches(s, a))
                        })
                    })
                    .or(fallback)?;
                Some((owner.0, Hit::at(v.node).var("detail", v.message)))
            })
            .collect()
    }

    fn finding(&self, rule: &Rule, hit: Hit, text: &str) -> Finding {
        let mut location = xml::location(text, hit.span.0, hit.span.1);
        location.byte_offset = hit.byte_offset;
        self.make_finding(rule, hit.vars, location)
    }

    pub(crate) fn make_finding(
        &self,
        rule: &Rule,
        vars: Vec<(&'static str, String)>,
        location: Location,
    ) -> Finding {
        let mut message = fill(&rule.message, &vars);
        if let Some(assumes) = &rule.assumes {
            message.push_str(&format!(" [provisional: assumes {}]", assumes.trim()));
        }
        Finding {
            rule: rule.id.clone(),
            requirement: rule.requirement.clone(),
            clause: rule.clause.to_string(),
            level: rule.level,
            severity: rule.severity,
            status: rule.status,
            verdict: FindingVerdict::of(rule.severity, rule.status, self.strict),
            message,
            location,
        }
    }

    /// Works out the payload kind from the root element and, for the shared response root,
    /// from the containers present.
    fn detect(&self, root: Node) -> Result<KindChoice, String> {
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
            .filter(|k| {
                root.descendants().any(|n| {
                    n.is_element() && k.distinguished_by.iter().any(|d| d == n.tag_name().name())
                })
            })
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

/// Fills `{name}` placeholders.
fn fill(template: &str, vars: &[(&'static str, String)]) -> String {
    let mut out = template.to_string();
    for (name, value) in vars {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

/// Whether the bytes start (after a BOM and blanks) with '<'.
fn looks_like_xml(bytes: &[u8]) -> bool {
    let b = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
    if b.starts_with(&[0xFF, 0xFE]) || b.starts_with(&[0xFE, 0xFF]) {
        return true; // UTF-16 with a BOM: only XML is read that way
    }
    // Empty input has no root element: judged (and reported) as malformed XML.
    matches!(
        b.iter().find(|c| !c.is_ascii_whitespace()),
        Some(b'<') | None
    )
}

/// The result of an input that was judged: its verdict follows from its findings.
pub(crate) fn judged(
    input: &str,
    kind: String,
    findings: Vec<Finding>,
    rules: Vec<RuleOutcome>,
    notes: Vec<String>,
    source: Option<String>,
) -> CheckResult {
    CheckResult {
        input: input.to_string(),
        kind,
        verdict: verdict_of(&findings),
        notes,
        error: None,
        findings,
        rules,
        source,
    }
}

fn verdict_of(findings: &[Finding]) -> Verdict {
    if findings.iter().any(|f| f.verdict == FindingVerdict::Fail) {
        Verdict::NonConformant
    } else {
        Verdict::Conformant
    }
}

/// Each applied rule's outcome: its worst finding's verdict, or pass.
pub(crate) fn outcomes(applied: &[&Rule], findings: &[Finding]) -> Vec<RuleOutcome> {
    applied
        .iter()
        .map(|r| {
            let worst = findings
                .iter()
                .filter(|f| f.rule == r.id)
                .map(|f| f.verdict)
                .min();
            RuleOutcome {
                rule: r.id.clone(),
                verdict: worst.map_or("pass", FindingVerdict::as_str),
            }
        })
        .collect()
}

/// Parses text into a document with the engine's limits (for tools built on the engine).
pub fn parse<'i>(text: &'i str, settings: &Settings) -> Result<Document<'i>, XmlError> {
    xml::parse(text, &settings.limits)
}

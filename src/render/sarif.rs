//! SARIF 2.1.0: one run, the applied rules as reportingDescriptors (with clause, requirement
//! and status), one result per finding. Inputs that could not be checked become
//! tool-execution notifications, so a code-scanning upload shows them rather than passing.
//! The rules not applied to an input are in the run's property bag, each rule plan's once
//! (see [`super::plans`]), each input naming its plan.
//! Streamed: memory holds one input's findings at a time (see [`SarifEmitter`]).
//!
//! Places: an input's `artifactLocation` is its path relative to the working folder,
//! percent-encoded, against `originalUriBaseIds` `%SRCROOT%` (that folder as a `file://`
//! URI); a region only where the finding has a line of the file itself. A finding inside
//! embedded content (a HAR entry's body, a pcap frame, a trace event, a SIP message of a
//! capture, a MIKEY message's octets) has a logical location naming it, with the offset (and
//! the line within the embedded text) in its properties, never a line of the container.
//! Each result has its `ruleIndex` into the driver's rules (every rule the run knows) and
//! `partialFingerprints` from [`crate::baseline`]'s key, the one a baseline uses.

use super::emitter::{emit_to_string, pretty_at, Emitter, JsonArray, Spool};
use super::plans::PlanTable;
use crate::baseline::{keys_of, relative_path};
use crate::finding::{CheckResult, Finding, FindingVerdict, Skipped, Status, Verdict};
use crate::rules::RuleSet;
use percent_encoding::{utf8_percent_encode, AsciiSet, CONTROLS};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// What a URI path segment may not hold raw (RFC 3986 `pchar` keeps unreserved characters,
/// sub-delimiters, `:` and `@`): the rest is percent-encoded, as is every non-ASCII octet.
const NOT_PCHAR: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'[')
    .add(b'\\')
    .add(b']')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}');

/// The base every artifact's URI is relative to.
const SRCROOT: &str = "%SRCROOT%";

/// The key of `partialFingerprints` (versioned, so that a change of the key is a new one).
const FINGERPRINT: &str = "mikeyconf/v1";

/// `/`-separated `path` with each segment percent-encoded.
fn encode_path(path: &str) -> String {
    path.split('/')
        .map(|seg| utf8_percent_encode(seg, NOT_PCHAR).to_string())
        .collect::<Vec<_>>()
        .join("/")
}

/// The folder `root` as a `file://` URI ending in `/`.
fn file_uri(root: &Path) -> String {
    let path = root.to_string_lossy().replace('\\', "/");
    let path = path.trim_end_matches('/');
    let lead = if path.starts_with('/') { "" } else { "/" };
    format!("file://{lead}{}/", encode_path(path))
}

/// Where an input's URI is taken from: the working folder, shown as `%SRCROOT%`.
#[derive(Debug, Clone)]
pub struct Root {
    dir: PathBuf,
    uri: String,
}

impl Root {
    /// The working folder.
    pub fn working_folder() -> Self {
        Root::at(&std::env::current_dir().unwrap_or_default())
    }

    pub fn at(dir: &Path) -> Self {
        Root {
            dir: dir.to_path_buf(),
            uri: file_uri(dir),
        }
    }

    /// The root as a `file://` URI ending in `/`: `%SRCROOT%`.
    pub fn uri(&self) -> &str {
        &self.uri
    }

    /// The input's path as its key gives it (relative to the root).
    fn relative(&self, input: &str) -> String {
        relative_path(input, &self.dir)
    }

    /// An input's `artifactLocation`: relative to `%SRCROOT%` when it lies under it, else an
    /// absolute `file://` URI; standard input as `-`.
    fn artifact(&self, input: &str) -> Value {
        let rel = self.relative(input);
        if rel == "-" || rel.is_empty() {
            return json!({ "uri": rel });
        }
        if rel.starts_with('/') || rel.starts_with("../") || rel == ".." {
            let uri = file_uri(&crate::baseline::absolute(Path::new(input)));
            return json!({ "uri": uri.trim_end_matches('/') });
        }
        json!({ "uri": encode_path(&rel), "uriBaseId": SRCROOT })
    }
}

/// What a logical location's `kind` is, from the place's first word: `frame 3 (…)`,
/// `event 7`, `$.log.entries[1]…` (a HAR entry), `message 1 (…)`, `seq 10` (a CPNS event).
fn logical_kind(place: &str) -> &'static str {
    let first = place.split([' ', ',', ':']).next().unwrap_or("");
    match first {
        "frame" => "frame",
        "event" | "seq" => "event",
        "message" => "message",
        _ if first.starts_with("$.log.entries") => "entry",
        _ if first.starts_with("exchanges[") || first == "request" || first == "response" => {
            "exchange"
        }
        _ => "element",
    }
}

fn level(v: FindingVerdict) -> &'static str {
    match v {
        FindingVerdict::Fail => "error",
        FindingVerdict::Warn => "warning",
        FindingVerdict::Info => "note",
    }
}

/// A finding's location: the file (with the region of its line when it has one in the file
/// itself), and the embedded content it lies in, as a logical location.
fn location(artifact: &Value, f: &Finding) -> Value {
    let l = &f.location;
    let mut physical = json!({ "artifactLocation": artifact });
    // A line of a .docx is a line of its extracted text, not of the file.
    if l.has_file_line() && l.paragraph.is_none() {
        physical["region"] = json!({"startLine": l.line, "startColumn": l.column.max(1)});
    }
    let mut out = json!({ "physicalLocation": physical });
    let mut within = serde_json::Map::new();
    if let Some(o) = l.byte_offset {
        within.insert("offset".into(), json!(o));
    }
    if l.line > 0 && !l.has_file_line() {
        within.insert("line".into(), json!(l.line));
        within.insert("column".into(), json!(l.column));
    }
    if let Some(p) = l.paragraph {
        within.insert("paragraph".into(), json!(p));
    }
    let logical = match (&l.context, l.has_file_line()) {
        (Some(place), _) => {
            json!({"fullyQualifiedName": place, "kind": logical_kind(place), "name": place})
        }
        // Octets of the message the file is (a .hex, a .msg.yaml).
        (None, false) if l.byte_offset.is_some() => {
            json!({"fullyQualifiedName": "message", "kind": "message", "name": "message"})
        }
        (None, _) => {
            // An offset in an octet string of a document placed by its line.
            if !within.is_empty() {
                out["properties"] = Value::Object(within);
            }
            return out;
        }
    };
    let mut logical = logical;
    if !within.is_empty() {
        logical["properties"] = Value::Object(within);
    }
    out["logicalLocations"] = json!([logical]);
    out
}

pub fn render(results: &[CheckResult], rules: &RuleSet) -> String {
    render_run(results, rules, &[], &super::RunInfo::default())
}

/// The report, the run's profile and config file in the run's property bag (`profile`,
/// `config`) when there were some.
pub fn render_run(
    results: &[CheckResult],
    rules: &RuleSet,
    skipped: &[Skipped],
    run: &super::RunInfo,
) -> String {
    emit_to_string(SarifEmitter::new(rules, skipped, run), results)
}

/// The SARIF report. Its keys are in `serde_json`'s (sorted) order, so the invocation (whose
/// success depends on every input) and the rules not applied come before the results: each
/// input's results, notifications and rules not applied are spooled as it arrives, and the
/// report written around them at the end. Memory holds the plans, not the findings.
pub struct SarifEmitter<'a> {
    rules: &'a RuleSet,
    skipped: &'a [Skipped],
    run: &'a super::RunInfo,
    /// Every rule the run knows, in the order of the driver's descriptors: its index there.
    index: HashMap<String, usize>,
    /// Rules beyond the rule tables (the spec-editor rules), described after them.
    more: Vec<RuleMeta>,
    root: Root,
    execution_successful: bool,
    notifications: (JsonArray, Spool),
    not_applicable: (JsonArray, Spool),
    plans: PlanTable,
    results: (JsonArray, Spool),
}

impl<'a> SarifEmitter<'a> {
    pub fn new(rules: &'a RuleSet, skipped: &'a [Skipped], run: &'a super::RunInfo) -> Self {
        let index = rules
            .rules
            .iter()
            .enumerate()
            .map(|(i, r)| (r.id.clone(), i))
            .collect();
        SarifEmitter {
            rules,
            skipped,
            run,
            index,
            more: Vec::new(),
            root: Root::working_folder(),
            execution_successful: true,
            notifications: (JsonArray::new(&" ".repeat(12)), Spool::default()),
            not_applicable: (JsonArray::new(&" ".repeat(10)), Spool::default()),
            plans: PlanTable::default(),
            results: (JsonArray::new(&" ".repeat(8)), Spool::default()),
        }
    }

    /// Also describes these rules (the spec-editor rules, which are in no rule table).
    pub fn describing(mut self, more: impl IntoIterator<Item = RuleMeta>) -> Self {
        for m in more {
            if !self.index.contains_key(&m.id) {
                self.index
                    .insert(m.id.clone(), self.rules.rules.len() + self.more.len());
                self.more.push(m);
            }
        }
        self
    }

    /// Places inputs relative to `root` instead of the working folder.
    pub fn rooted_at(mut self, root: Root) -> Self {
        self.root = root;
        self
    }
}

/// A rule's metadata as its descriptor gives it: a rule table's rule or a spec-editor rule.
#[derive(Debug, Clone)]
pub struct RuleMeta {
    pub id: String,
    pub title: String,
    pub clause: String,
    pub clause_text: String,
    pub level: crate::finding::Level,
    pub severity: crate::finding::Severity,
    pub status: Status,
    pub requirement: Vec<String>,
}

impl From<&crate::rules::Rule> for RuleMeta {
    fn from(r: &crate::rules::Rule) -> Self {
        RuleMeta {
            id: r.id.clone(),
            title: r.title.clone(),
            clause: r.clause.to_string(),
            clause_text: r.clause_text.clone(),
            level: r.level,
            severity: r.severity,
            status: r.status,
            requirement: r.requirement.clone(),
        }
    }
}

impl Emitter for SarifEmitter<'_> {
    fn start(&mut self, _out: &mut dyn Write) -> io::Result<()> {
        Ok(())
    }

    fn result(&mut self, _out: &mut dyn Write, r: &CheckResult) -> io::Result<()> {
        if r.verdict == Verdict::Error {
            self.execution_successful = false;
            let text = format!(
                "could not check {}: {}",
                r.input,
                r.error.as_deref().unwrap_or("")
            );
            let artifact = self.root.artifact(&r.input);
            let (list, spool) = &mut self.notifications;
            list.push(spool, &notification("error", &text, &artifact))?;
        }
        if !r.findings.is_empty() {
            let artifact = self.root.artifact(&r.input);
            let keys = keys_of(&r.findings, &self.root.relative(&r.input));
            for (f, key) in r.findings.iter().zip(keys) {
                let mut result = sarif_result(r, f, &artifact);
                result["partialFingerprints"] = json!({ FINGERPRINT: key.fingerprint() });
                if let Some(&i) = self.index.get(&f.rule) {
                    result["ruleIndex"] = json!(i);
                }
                let (list, spool) = &mut self.results;
                list.push(spool, &result)?;
            }
        }
        let plan = self.plans.plan_of(r).map(|p| p.id.clone());
        if r.rules.iter().all(|o| o.applied()) {
            return Ok(());
        }
        // The rules not applied: the input's plan, which lists them with their reasons, or
        // (past the plans a report lists) the rules themselves.
        let entry = match plan {
            Some(id) => json!({"input": r.input, "plan": id}),
            None => json!({"input": r.input, "rules": not_applied(r.rules.iter())}),
        };
        let (list, spool) = &mut self.not_applicable;
        list.push(spool, &entry)
    }

    fn finish(&mut self, out: &mut dyn Write) -> io::Result<()> {
        write!(
            out,
            "{{\n  \"$schema\": \"https://json.schemastore.org/sarif-2.1.0.json\",\n  \"runs\": [\n    {{\n"
        )?;
        // Columns count characters, as editors do (SARIF's default is UTF-16 code units).
        writeln!(out, "      \"columnKind\": \"unicodeCodePoints\",")?;
        self.invocations(out)?;
        let bases = json!({ SRCROOT: {"uri": self.root.uri} });
        write!(
            out,
            ",\n      \"originalUriBaseIds\": {}",
            pretty_at(&bases, "      ")?
        )?;
        self.properties(out)?;
        write!(out, ",\n      \"results\": [")?;
        let (list, spool) = &mut self.results;
        spool.drain_into(out)?;
        list.close(out)?;
        self.tool(out)?;
        writeln!(out, "\n    }}\n  ],\n  \"version\": \"2.1.0\"\n}}")
    }
}

impl SarifEmitter<'_> {
    /// `"invocations"`: whether every input could be checked, and the notifications: inputs
    /// that could not be, then files skipped.
    fn invocations(&mut self, out: &mut dyn Write) -> io::Result<()> {
        write!(
            out,
            "      \"invocations\": [\n        {{\n          \"executionSuccessful\": {},\n          \"toolExecutionNotifications\": [",
            self.execution_successful
        )?;
        let (list, spool) = &mut self.notifications;
        spool.drain_into(out)?;
        for s in self.skipped {
            let text = format!("skipped {}: {}", s.path, s.reason);
            let artifact = self.root.artifact(&s.path);
            list.push(out, &notification("note", &text, &artifact))?;
        }
        list.close(out)?;
        write!(out, "\n        }}\n      ]")
    }

    /// `"properties"`: the run's config file, the rules that did not run on an input (in the
    /// run's property bag, not as results, so that code scanning shows them as neither
    /// alerts nor passes): `notApplicable` names each input's plan, `plans` lists each plan's
    /// rules not applied with the reason; and the run's profile.
    fn properties(&mut self, out: &mut dyn Write) -> io::Result<()> {
        write!(out, ",\n      \"properties\": {{\n")?;
        let inner = " ".repeat(8);
        if let Some(c) = &self.run.config {
            writeln!(out, "{inner}\"config\": {},", pretty_at(&json!(c), &inner)?)?;
        }
        write!(out, "{inner}\"notApplicable\": [")?;
        let (list, spool) = &mut self.not_applicable;
        spool.drain_into(out)?;
        list.close(out)?;
        write!(out, ",\n{inner}\"plans\": {{")?;
        let mut listed = 0;
        // In key order, as the rest of the report.
        let mut plans: Vec<_> = self.plans.plans().iter().collect();
        plans.sort_by(|a, b| a.id.cmp(&b.id));
        for plan in plans {
            let rules = not_applied(plan.not_applied());
            if rules.is_empty() {
                continue;
            }
            let sep = if listed == 0 { "" } else { "," };
            listed += 1;
            let id = serde_json::to_string(&plan.id).map_err(io::Error::other)?;
            let text = pretty_at(&rules, &format!("{inner}  "))?;
            write!(out, "{sep}\n{inner}  {id}: {text}")?;
        }
        match listed {
            0 => write!(out, "}}")?,
            _ => write!(out, "\n{inner}}}")?,
        }
        if let Some(p) = &self.run.profile {
            write!(
                out,
                ",\n{inner}\"profile\": {}",
                pretty_at(&json!(p), &inner)?
            )?;
        }
        write!(out, "\n      }}")
    }

    /// `"tool"`: the driver, with a descriptor for every rule the run knows (whose index in
    /// the list is a result's `ruleIndex`).
    fn tool(&self, out: &mut dyn Write) -> io::Result<()> {
        let version = serde_json::to_string(env!("CARGO_PKG_VERSION")).map_err(io::Error::other)?;
        write!(
            out,
            ",\n      \"tool\": {{\n        \"driver\": {{\n          \"name\": \"mikeyconf\",\n          \"rules\": ["
        )?;
        let mut list = JsonArray::new(&" ".repeat(12));
        for rule in &self.rules.rules {
            list.push(out, &descriptor(&RuleMeta::from(rule)))?;
        }
        for rule in &self.more {
            list.push(out, &descriptor(rule))?;
        }
        list.close(out)?;
        write!(
            out,
            ",\n          \"version\": {version}\n        }}\n      }}"
        )
    }
}

/// Rules not applied, as the property bag lists them: `{"reason", "rule"}` each.
fn not_applied<'r>(outcomes: impl Iterator<Item = &'r crate::finding::RuleOutcome>) -> Vec<Value> {
    outcomes
        .filter(|o| !o.applied())
        .map(|o| json!({"rule": o.rule, "reason": o.outcome.reason().map_or("", |why| why)}))
        .collect()
}

/// A tool-execution notification about one file.
fn notification(level: &str, text: &str, artifact: &Value) -> Value {
    json!({
        "level": level,
        "message": {"text": text},
        "locations": [{"physicalLocation": {"artifactLocation": artifact}}],
    })
}

/// One finding as a SARIF result.
fn sarif_result(r: &CheckResult, f: &Finding, artifact: &Value) -> Value {
    json!({
        "ruleId": f.rule,
        "level": level(f.verdict),
        "message": {"text": f.message},
        "locations": [location(artifact, f)],
        "properties": finding_properties(f, &r.kind),
    })
}

/// A rule's reportingDescriptor, with its clause, requirement, level and status.
fn descriptor(rule: &RuleMeta) -> Value {
    json!({
        "id": rule.id,
        "name": rule.title,
        "shortDescription": {"text": rule.title},
        "fullDescription": {"text": format!("{} ({}): {}", rule.clause, rule.level, rule.clause_text.trim())},
        "defaultConfiguration": {"level": match (rule.severity, rule.status) {
            (crate::finding::Severity::Error, Status::Confirmed) => "error",
            (crate::finding::Severity::Info, _) => "note",
            _ => "warning",
        }},
        "properties": {
            "clause": rule.clause,
            "requirement": rule.requirement,
            "level": rule.level.to_string(),
            "status": match rule.status { Status::Confirmed => "confirmed", Status::Provisional => "provisional" },
        },
    })
}

/// A result's properties: clause, requirement, the input's kind and, for a rule that binds a
/// party, the party the finding blames.
fn finding_properties(f: &crate::finding::Finding, kind: &str) -> serde_json::Value {
    let mut p = json!({"clause": f.clause, "requirement": f.requirement, "kind": kind});
    if let Some(party) = &f.party {
        p["party"] = json!(party);
    }
    p
}

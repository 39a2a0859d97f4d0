//! Every output format on a fixed synthetic set of results (several inputs of two kinds, an
//! input that could not be checked, findings with and without positions, a byte offset, a
//! capture context, a blamed party, notes, rules not applied), compared byte for byte with
//! the output the renderers gave before they became streaming emitters (the files under
//! `tests/emitters/` were captured from the old `String` renderers).

use mikeyconf::internals::finding::{
    CheckResult, Finding, FindingVerdict, Level, Location, Outcome, RuleOutcome, Severity, Skipped,
    Status, Verdict,
};
use mikeyconf::internals::render::{self, RunInfo};
use mikeyconf::internals::rules::RuleSet;
use mikeyconf::internals::settings::Settings;
use std::sync::Arc;

fn rules() -> RuleSet {
    RuleSet::builtin(&Settings::load(None, &[]).unwrap()).unwrap()
}

/// The first `n` rule ids of the tables, so descriptors and clause texts are real ones.
fn rule_ids(rules: &RuleSet, n: usize) -> Vec<String> {
    rules.rules.iter().take(n).map(|r| r.id.clone()).collect()
}

fn finding(rule: &str, verdict: FindingVerdict, line: u32, location: Location) -> Finding {
    Finding {
        rule: rule.into(),
        requirement: vec![format!("REQ-{rule}")],
        clause: "TS 33.246 6.3.2".into(),
        level: Level::Shall,
        severity: Severity::Error,
        status: Status::Confirmed,
        verdict,
        message: format!("synthetic <finding> \"{line}\" of {rule}, 50% & more"),
        location: Location {
            line,
            column: if line > 0 { 7 } else { 0 },
            ..location
        },
        party: None,
    }
}

const NOT_APPLICABLE: &str = "not-applicable";

fn outcomes(ids: &[String], verdicts: &[&'static str]) -> Arc<Vec<RuleOutcome>> {
    let list = ids
        .iter()
        .zip(verdicts.iter().cycle())
        .map(|(id, v)| {
            let outcome = match *v {
                "fail" => Outcome::Fail,
                "warn" => Outcome::Warn,
                "info" => Outcome::Info,
                "pass" => Outcome::Pass,
                NOT_APPLICABLE => Outcome::NotApplicable("no <MSK> element in the input".into()),
                other => panic!("no outcome {other}"),
            };
            RuleOutcome::new(id.clone(), outcome)
        })
        .collect();
    Arc::new(list)
}

fn result(input: &str, kind: &str, verdict: Verdict, findings: Vec<Finding>) -> CheckResult {
    CheckResult {
        input: input.into(),
        kind: kind.into(),
        verdict,
        notes: Vec::new(),
        error: None,
        findings,
        rules: Default::default(),
        source: None,
    }
}

/// Four inputs: a non-conformant XML input with a source (positions and carets), a capture
/// input with contexts, a byte offset, no position and a party, a conformant input with a
/// note, and one that could not be checked.
fn synthetic(rules: &RuleSet) -> Vec<CheckResult> {
    let ids = rule_ids(rules, 6);
    let source = "<a>\n  <b x=\"1\"/>\n  <c>text</c>\n</a>\n".to_string();
    let mut first = result(
        "in/one.xml",
        "msk-response",
        Verdict::NonConformant,
        vec![
            finding(
                &ids[0],
                FindingVerdict::Fail,
                2,
                Location {
                    span: Some((6, 16)),
                    ..Default::default()
                },
            ),
            finding(
                &ids[0],
                FindingVerdict::Fail,
                3,
                Location {
                    span: Some((20, 31)),
                    ..Default::default()
                },
            ),
            finding(&ids[1], FindingVerdict::Warn, 3, Location::default()),
            finding(&ids[2], FindingVerdict::Info, 1, Location::default()),
        ],
    );
    first.source = Some(source);
    first.rules = outcomes(
        &ids,
        &["fail", "warn", "info", "pass", NOT_APPLICABLE, "pass"],
    );
    let mut party = finding(&ids[3], FindingVerdict::Fail, 0, Location::default());
    party.party = Some("mcvideo-client".into());
    let mut second = result(
        "in/two.har",
        "har",
        Verdict::NonConformant,
        vec![
            finding(
                &ids[0],
                FindingVerdict::Fail,
                0,
                Location {
                    byte_offset: Some(42),
                    ..Default::default()
                },
            ),
            finding(
                &ids[1],
                FindingVerdict::Warn,
                4,
                Location {
                    context: Some("$.log.entries[3].response body".into()),
                    ..Default::default()
                },
            ),
            party,
        ],
    );
    second.rules = outcomes(
        &ids,
        &[
            "fail",
            "warn",
            "pass",
            "fail",
            NOT_APPLICABLE,
            NOT_APPLICABLE,
        ],
    );
    second.notes.push("read as a HAR capture: 2 entries".into());
    let mut third = result(
        "in/three.xml",
        "msk-response",
        Verdict::Conformant,
        Vec::new(),
    );
    third.rules = outcomes(&ids, &["pass", NOT_APPLICABLE]);
    third.notes.push("kind msk-response chosen of two".into());
    let error = CheckResult::error(
        "in/<bad>.xml",
        "unknown",
        "cannot read: denied & gone".into(),
    );
    vec![first, second, third, error]
}

/// Compares `out` byte for byte with `tests/emitters/NAME.out`, the old renderer's output
/// (`MIKEYCONF_BLESS=1` writes it instead: only to capture a deliberate change).
fn same(name: &str, out: &str) {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("tests/emitters/{name}.out"));
    if std::env::var_os("MIKEYCONF_BLESS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, out).unwrap();
    }
    let old = std::fs::read_to_string(&path).unwrap();
    assert!(old == out, "{name}: output differs from {}", path.display());
}

fn skipped() -> Vec<Skipped> {
    vec![Skipped {
        path: "in/README.md".into(),
        reason: "not recognised".into(),
    }]
}

fn run_info() -> RunInfo {
    RunInfo {
        profile: None,
        config: Some("mikeyconf.toml".into()),
    }
}

#[test]
fn text() {
    let rules = rules();
    let r = synthetic(&rules);
    same("text", &render::text::render(&r, &rules));
    for (colour, quiet) in [(false, false), (true, false), (false, true), (true, true)] {
        let opts = render::text::TextOptions { colour, quiet };
        let name = format!("text_run_colour_{colour}_quiet_{quiet}");
        same(
            &name,
            &render::text::render_run(&r, &rules, 1, &opts, &run_info()),
        );
    }
}

#[test]
fn json() {
    let rules = rules();
    let r = synthetic(&rules);
    same("json", &render::json::render(&r));
    same(
        "json_run",
        &render::json::render_run(&r, &skipped(), &run_info()),
    );
}

#[test]
fn junit() {
    let rules = rules();
    let r = synthetic(&rules);
    same("junit", &render::junit::render(&r));
    same("junit_run", &render::junit::render_run(&r, &run_info()));
}

/// A SARIF report as on any machine: `%SRCROOT%` (the working folder) as `file:///SRCROOT/`.
fn portable(sarif: String) -> String {
    let here = std::env::current_dir().unwrap();
    let uri = render::sarif::Root::at(&here).uri().to_string();
    sarif.replace(&uri, "file:///SRCROOT/")
}

#[test]
fn sarif() {
    let all = rules();
    let r = synthetic(&all);
    // The rules the results name: a report describes every rule it is given.
    let rules = RuleSet {
        rules: all.rules[..6].to_vec(),
    };
    same("sarif", &portable(render::sarif::render(&r, &rules)));
    let run = render::sarif::render_run(&r, &rules, &skipped(), &run_info());
    same("sarif_run", &portable(run));
    // No input could be checked but the error: the run is still unsuccessful.
    same(
        "sarif_error_only",
        &portable(render::sarif::render(&r[3..], &rules)),
    );
    same("sarif_empty", &portable(render::sarif::render(&[], &rules)));
}

#[test]
fn github() {
    let rules = rules();
    let r = synthetic(&rules);
    same("github", &render::github::render(&r));
    same("github_run", &render::github::render_run(&r, &run_info()));
}

/// `--format azure`: a `##vso[task.logissue]` per failure and warning (on the file's line
/// only when the finding has one), a plain `note:` line per note, an error for the input that
/// could not be checked; `%`, `;`, `]` and line breaks escaped as the agent decodes them.
#[test]
fn azure() {
    let rules = rules();
    let r = synthetic(&rules);
    let out = render::azure::render(&r);
    same("azure", &out);
    let issues = out
        .lines()
        .filter(|l| l.starts_with("##vso[task.logissue "));
    let failing: usize = (r.iter().flat_map(|r| &r.findings))
        .filter(|f| f.verdict != FindingVerdict::Info)
        .count();
    assert_eq!(issues.count(), failing + 1, "{out}");
    assert!(out.contains("50%AZP25 & more"), "{out}");
    same("azure_empty", &render::azure::render(&[]));
}

#[test]
fn html() {
    let rules = rules();
    let r = synthetic(&rules);
    same("html", &render::html::render(&r, &rules));
    let run = render::html::render_run(&r, &rules, &skipped(), &run_info());
    same("html_run", &run);
}

#[test]
fn no_results() {
    let rules = rules();
    let opts = render::text::TextOptions::default();
    same(
        "text_empty",
        &render::text::render_run(&[], &rules, 0, &opts, &run_info()),
    );
    same("json_empty", &render::json::render(&[]));
    same("junit_empty", &render::junit::render(&[]));
    same("github_empty", &render::github::render(&[]));
    same("html_empty", &render::html::render(&[], &rules));
}

#[test]
fn a_sarif_report_past_the_spool_memory_reads_as_serde_json_writes_it() {
    // The SARIF report was one `serde_json::Value` pretty-printed; streamed, its results go
    // through a temporary file past a few megabytes. Printed again from its own parse, the
    // report must be the same bytes, and hold every finding in input order.
    let rules = rules();
    let one = synthetic(&rules);
    let many: Vec<CheckResult> = (0..1200)
        .flat_map(|i| {
            one.iter().map(move |r| CheckResult {
                input: format!("{i}/{}", r.input),
                ..r.clone()
            })
        })
        .collect();
    let report = render::sarif::render_run(&many, &rules, &skipped(), &run_info());
    assert!(report.len() > 6 << 20, "{} bytes", report.len());
    let value: serde_json::Value = serde_json::from_str(&report).unwrap();
    assert_eq!(serde_json::to_string_pretty(&value).unwrap() + "\n", report);
    let results = value["runs"][0]["results"].as_array().unwrap();
    let findings: usize = many.iter().map(|r| r.findings.len()).sum();
    assert_eq!(results.len(), findings);
    let uri = |k: usize| {
        results[k]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].clone()
    };
    assert_eq!(uri(0), "0/in/one.xml");
    assert_eq!(uri(results.len() - 1), "1199/in/two.har");
}

/// The vectors of a few folders checked by the engine: XML of several kinds, HTTP captures
/// (whose passes can carry a reason: the parts a rule could not judge), MIKEY messages.
fn checked_vectors(folders: &[&str]) -> Vec<CheckResult> {
    let settings = Settings::load(None, &[]).unwrap();
    let engine = mikeyconf::internals::engine::Engine::new(settings, rules(), false).unwrap();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut paths: Vec<_> = folders
        .iter()
        .flat_map(|f| std::fs::read_dir(root.join(f)).unwrap())
        .map(|e| e.unwrap().path())
        .filter(|p| !p.to_string_lossy().ends_with(".yaml"))
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|p| {
            let bytes = mikeyconf::internals::suite::input_bytes(p).unwrap();
            engine.check(&p.display().to_string(), &bytes, None)
        })
        .collect()
}

/// The synthetic set and the vectors of a few folders.
fn synthetic_and_checked() -> Vec<CheckResult> {
    let mut results = synthetic(&rules());
    results.extend(checked_vectors(&[
        "vectors/exchange",
        "vectors/xml/registration-response",
        "vectors/xml/msk-response",
        "vectors/mikey/mbms",
    ]));
    results
}

#[test]
fn the_json_plans_give_every_input_its_every_outcome_back() {
    // Each plan is listed once and an input lists what differs from it: read back through
    // the plan, an input's outcomes are its own, in its order, reasons and all.
    let results = synthetic_and_checked();
    assert!(results.len() > 100, "{} inputs", results.len());
    assert!(
        results.iter().any(|r| r
            .rules
            .iter()
            .any(|o| o.applied() && o.outcome.reason().is_some())),
        "some outcome that ran says which part it did not judge"
    );
    let report: serde_json::Value = serde_json::from_str(&render::json::render(&results)).unwrap();
    let entries = report["results"].as_array().unwrap();
    assert_eq!(entries.len(), results.len());
    let mut listed = 0;
    for (r, entry) in results.iter().zip(entries) {
        let own = serde_json::to_value(r.rules.as_ref()).unwrap();
        let read_back = render::json::outcomes_of(&report, entry);
        assert_eq!(serde_json::Value::Array(read_back), own, "{}", r.input);
        listed += entry["rules"]["except"].as_array().unwrap().len();
    }
    let all: usize = results.iter().map(|r| r.rules.len()).sum();
    let plans = report["plans"].as_object().unwrap().len();
    assert!(
        plans * 4 < results.len() && listed * 10 < all,
        "{plans} plans for {} inputs, {listed} of {all} outcomes listed with their input",
        results.len()
    );
}

#[test]
fn the_sarif_plans_give_every_input_its_rules_not_applied_back() {
    // SARIF lists the rules not applied in the run's property bag: each input names its
    // plan, each plan its rules not applied with the reason, once.
    let rules = rules();
    let results = synthetic_and_checked();
    let report: serde_json::Value =
        serde_json::from_str(&render::sarif::render(&results, &rules)).unwrap();
    let properties = &report["runs"][0]["properties"];
    let entries = properties["notApplicable"].as_array().unwrap();
    let mut entries = entries.iter();
    for r in &results {
        let own: Vec<serde_json::Value> = r
            .rules
            .iter()
            .filter(|o| !o.applied())
            .map(|o| serde_json::json!({"rule": o.rule, "reason": o.outcome.reason().map_or("", |why| why)}))
            .collect();
        if own.is_empty() {
            continue;
        }
        let entry = entries.next().unwrap();
        assert_eq!(entry["input"], r.input.as_str());
        let plan = entry["plan"].as_str().unwrap();
        assert_eq!(
            properties["plans"][plan],
            serde_json::Value::Array(own),
            "{}",
            r.input
        );
    }
    assert!(entries.next().is_none());
    let plans = properties["plans"].as_object().unwrap().len();
    assert!(plans * 4 < results.len(), "{plans} plans");
}

#[test]
fn past_the_most_plans_an_input_lists_its_outcomes_in_full() {
    // Inputs whose every reason is their own would each make a plan: past the most a report
    // holds, a new one lists its outcomes itself, in JSON and in SARIF alike.
    use render::plans::MAX_PLANS;
    let ids = rule_ids(&rules(), 2);
    let results: Vec<CheckResult> = (0..MAX_PLANS + 2)
        .map(|n| {
            let mut r = result(&format!("in/{n}.xml"), "k", Verdict::Conformant, Vec::new());
            r.rules = Arc::new(vec![
                RuleOutcome::new(ids[0].clone(), mikeyconf::internals::finding::Outcome::Pass),
                RuleOutcome::not_applicable(ids[1].clone(), Arc::from(format!("no part {n}"))),
            ]);
            r
        })
        .collect();
    let json: serde_json::Value = serde_json::from_str(&render::json::render(&results)).unwrap();
    assert_eq!(json["plans"].as_object().unwrap().len(), MAX_PLANS);
    let last = &json["results"][MAX_PLANS + 1];
    assert!(last["rules"].get("plan").is_none());
    assert_eq!(last["rules"]["except"].as_array().unwrap().len(), 2);
    assert_eq!(
        serde_json::Value::Array(render::json::outcomes_of(&json, last)),
        serde_json::to_value(results[MAX_PLANS + 1].rules.as_ref()).unwrap()
    );
    let sarif: serde_json::Value =
        serde_json::from_str(&render::sarif::render(&results, &rules())).unwrap();
    let properties = &sarif["runs"][0]["properties"];
    let last = &properties["notApplicable"][MAX_PLANS + 1];
    assert!(last.get("plan").is_none());
    assert_eq!(
        last["rules"][0]["reason"],
        format!("no part {}", MAX_PLANS + 1)
    );
    assert_eq!(properties["notApplicable"][7]["plan"], "k#8");
}

/// `--format concise`: one line per finding (`path:line:col: RULE message`, a finding with
/// no line of the file placed at the file alone), one for the input that could not be
/// checked, and the summary; every message on its one line.
#[test]
fn concise() {
    let rules = rules();
    let r = synthetic(&rules);
    let out = render::concise::render(&r);
    same("concise", &out);
    let findings: usize = r.iter().map(|r| r.findings.len()).sum();
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), findings + 1 + 1, "{out}");
    let first = &r[0].findings[0];
    assert!(
        lines[0].starts_with(&format!("in/one.xml:2:7: {} synthetic", first.rule)),
        "{out}"
    );
    assert!(lines[2].contains(" [warn] "), "{out}");
    // A byte offset and a place inside a capture make up no line of the file.
    assert!(lines[4].starts_with("in/two.har: "), "{out}");
    assert!(lines[4].ends_with("(at byte 42)"), "{out}");
    assert!(lines[5].starts_with("in/two.har: "), "{out}");
    assert!(
        lines[5].ends_with("(in $.log.entries[3].response body, line 4 column 7)"),
        "{out}"
    );
    assert_eq!(
        lines[7], "in/<bad>.xml: error: cannot read: denied & gone",
        "{out}"
    );
    assert_eq!(
        lines[8],
        "Found 7 findings (4 failed, 2 warnings, 1 note) in 4 inputs; 1 input could not be checked.",
    );
    assert_eq!(
        render::concise::render(&r[2..3]),
        "No findings in 1 input.\n"
    );
}

/// `--format jsonl`: one line per input, each the JSON report's entry for it with every
/// rule outcome listed, so a line says what the report says of that input.
#[test]
fn jsonl() {
    let rules = rules();
    let r = synthetic(&rules);
    let out = render::jsonl::render(&r);
    same("jsonl", &out);
    let report: serde_json::Value =
        serde_json::from_str(&render::json::render(&r)).expect("the JSON report parses");
    let entries = report["results"].as_array().unwrap();
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), r.len(), "{out}");
    for (line, entry) in lines.iter().zip(entries) {
        let object: serde_json::Value = serde_json::from_str(line).expect("each line parses");
        for field in ["input", "kind", "verdict", "notes", "error", "findings"] {
            assert_eq!(object[field], entry[field], "{field} of {line}");
        }
        assert!(object["rules"]["plan"].is_null(), "{line}");
        assert_eq!(
            object["rules"]["except"]
                .as_array()
                .cloned()
                .unwrap_or_default(),
            render::json::outcomes_of(&report, entry),
            "{line}"
        );
    }
    assert_eq!(render::jsonl::render(&[]), "");
}

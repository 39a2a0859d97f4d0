//! Snapshot tests of every renderer (insta), on inputs that exercise each kind of finding:
//! XML positions, a provisional warning, an LTKM byte offset, a standalone MIKEY message and
//! an input that could not be checked. Output must also be identical run to run.

use mikeyconf::internals::engine::Engine;
use mikeyconf::internals::finding::{CheckResult, Skipped};
use mikeyconf::internals::render::RunInfo;
use mikeyconf::internals::rules::RuleSet;
use mikeyconf::internals::settings::Settings;
use mikeyconf::internals::{render, suite};

const INPUTS: &[(&str, Option<&str>)] = &[
    (
        "vectors/xml/registration-response/ltkm-beside-403.xml",
        None,
    ),
    (
        "vectors/xml/cr-examples/registration-request-rationale.xml",
        None,
    ),
    ("vectors/xml/msk-response/ltkm-encr-data-len-0.xml", None),
    (
        "vectors/mikey/mikey-sakke/csk-purpose-tag-0.msg.yaml",
        Some("csk-download"),
    ),
    ("vectors/xml/hostile/doctype-external-entity.xml", None),
];

fn results() -> (Vec<CheckResult>, RuleSet) {
    let settings = Settings::load(None, &[]).unwrap();
    let rules = RuleSet::builtin(&settings).unwrap();
    let engine = Engine::new(settings, rules.clone(), false).unwrap();
    let results = INPUTS
        .iter()
        .map(|(path, kind)| {
            let full = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
            let bytes = suite::input_bytes(&full).unwrap();
            engine.check(path, &bytes, *kind)
        })
        .collect();
    (results, rules)
}

#[test]
fn text() {
    let (r, rules) = results();
    insta::assert_snapshot!(render::text::render(&r, &rules));
}

#[test]
fn json() {
    let (r, _) = results();
    insta::assert_snapshot!(render::json::render(&r));
}

#[test]
fn junit() {
    let (r, _) = results();
    insta::assert_snapshot!(render::junit::render(&r));
}

/// The rules some result names, in table order: a SARIF report describes every rule it is
/// given, and the snapshot needs only these.
fn named(r: &[CheckResult], rules: &RuleSet) -> RuleSet {
    let rules = rules
        .rules
        .iter()
        .filter(|rule| {
            r.iter()
                .any(|x| x.findings.iter().any(|f| f.rule == rule.id))
        })
        .cloned()
        .collect();
    RuleSet { rules }
}

/// A SARIF report as on any machine: `%SRCROOT%` (the working folder) as `file:///SRCROOT/`.
fn portable(sarif: String) -> String {
    let here = std::env::current_dir().unwrap();
    let uri = render::sarif::Root::at(&here).uri().to_string();
    sarif.replace(&uri, "file:///SRCROOT/")
}

#[test]
fn sarif() {
    let (r, rules) = results();
    let text = portable(render::sarif::render(&r, &named(&r, &rules)));
    let v: serde_json::Value = serde_json::from_str(&text).expect("SARIF is JSON");
    assert_eq!(v["version"], "2.1.0");
    insta::assert_snapshot!(text);
}

#[test]
fn github() {
    let (r, _) = results();
    insta::assert_snapshot!(render::github::render(&r));
}

#[test]
fn html() {
    let (r, rules) = results();
    insta::assert_snapshot!(render::html::render(&r, &rules));
}

/// Hostile inputs: a file name and content made of markup come out as text, never as
/// elements (the browser test checks the same in Chromium's DOM).
#[test]
fn html_escapes_markup_in_names_and_content() {
    let settings = Settings::load(None, &[]).unwrap();
    let rules = RuleSet::builtin(&settings).unwrap();
    let engine = Engine::new(settings, rules.clone(), false).unwrap();
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("vectors/xml/registration-response/ltkm-beside-403.xml");
    let content = std::fs::read_to_string(path).unwrap().replace(
        "<ResponseCode>403 Forbidden</ResponseCode>",
        "<ResponseCode>403 Forbidden</ResponseCode><script>alert(\"x\")</script>",
    );
    let name = "<script>alert(1)<img src=x onerror=alert(2)>.xml";
    let r = engine.check(name, content.as_bytes(), None);
    // The element is a schema finding whose snippet shows it.
    assert!(r.findings.iter().any(|f| f.message.contains("'script'")));
    let html = render::html::render_run(&[r], &rules, &skipped_named(name), &RunInfo::default());
    assert!(
        !html.contains("<script"),
        "a <script> element in the report"
    );
    assert!(!html.contains("<img"), "an <img> element in the report");
    assert!(html.contains("&lt;script&gt;alert(1)&lt;img src=x onerror=alert(2)&gt;.xml"));
    assert!(html.contains("&gt;alert(&quot;x&quot;)&lt;/script&gt;"));
}

/// The suite's report: each vector marked as expected or not, the mismatch's difference and
/// the coverage gaps, escaped.
#[test]
fn html_suite_report_shows_mismatches_and_gaps() {
    let (r, rules) = results();
    let outcomes: Vec<suite::VectorOutcome> = r
        .into_iter()
        .enumerate()
        .map(|(i, result)| suite::VectorOutcome {
            name: result.input.clone(),
            matched: i != 1,
            diff: if i == 1 {
                "-<expected/>\n+<actual/>\n".into()
            } else {
                String::new()
            },
            result,
        })
        .collect();
    let gaps = vec!["RULE-X <b>: no vector fails it".to_string()];
    let html = render::html::render_suite(&outcomes, &rules, &gaps);
    assert!(html.contains("4 of 5 vectors gave exactly their expected findings; "));
    assert!(html.contains("<pre>-&lt;expected/&gt;\n+&lt;actual/&gt;\n</pre>"));
    assert!(html.contains("<li>RULE-X &lt;b&gt;: no vector fails it</li>"));
    assert!(html.contains("<caption>Exit code: <strong>1</strong></caption>"));
    assert_eq!(
        html.matches("title=\"other findings than expected").count(),
        1
    );
    assert_eq!(html.matches("title=\"the expected findings\"").count(), 3);
}

fn skipped_named(name: &str) -> Vec<Skipped> {
    vec![Skipped {
        path: format!("out/{name}"),
        reason: "not recognised by its name or its content".into(),
    }]
}

/// Files a folder held that were not checked, as `check` lists them.
fn skipped() -> Vec<Skipped> {
    ["out/README.md", "out/ltkm-beside-403.yaml"]
        .iter()
        .map(|p| Skipped {
            path: p.to_string(),
            reason: "not recognised by its name or its content".into(),
        })
        .collect()
}

#[test]
fn json_with_skipped_files() {
    let (r, _) = results();
    // The input that could not be checked (the last): small, and an error beside the notes.
    insta::assert_snapshot!(render::json::render_run(
        &r[4..],
        &skipped(),
        &RunInfo::default()
    ));
}

#[test]
fn sarif_with_skipped_files() {
    let (r, rules) = results();
    insta::assert_snapshot!(portable(render::sarif::render_run(
        &r[4..],
        &named(&r[4..], &rules),
        &skipped(),
        &RunInfo::default()
    )));
}

#[test]
fn output_is_identical_run_to_run() {
    let (a, rules) = results();
    let (b, _) = results();
    assert_eq!(
        render::text::render(&a, &rules),
        render::text::render(&b, &rules)
    );
    assert_eq!(render::json::render(&a), render::json::render(&b));
    assert_eq!(render::junit::render(&a), render::junit::render(&b));
    assert_eq!(
        render::html::render(&a, &rules),
        render::html::render(&b, &rules)
    );
}

#[test]
fn no_key_material_in_any_report() {
    // The CSK's encapsulated SAKKE data and the LTKM ciphertext must not appear in reports.
    let (r, rules) = results();
    let all = [
        render::text::render(&r, &rules),
        render::json::render(&r),
        render::junit::render(&r),
        render::html::render(&r, &rules),
    ]
    .concat();
    let sakke_data = "047d091d2780583bf3b6587639719f0764c00c9b";
    assert!(!all.contains(sakke_data), "SAKKE data leaked into a report");
    let ltkm_base64 = "AQAFAAoLDA0AAQsCAAAABxUQ";
    assert!(
        !all.contains(ltkm_base64),
        "an LTKM's base64 leaked into a report"
    );
}

/// A rule judged for some exchanges only is incomplete, with a reason naming the others;
/// JUnit reports it as an error case with that reason, never as a pass.
#[test]
fn junit_says_which_exchanges_an_incomplete_rule_did_not_judge() {
    let settings = Settings::load(None, &[]).unwrap();
    let rules = RuleSet::builtin(&settings).unwrap();
    let engine = Engine::new(settings, rules, false).unwrap();
    let path = "vectors/exchange/curl-digest-register.http";
    let full = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
    let r = engine.check(path, &suite::input_bytes(&full).unwrap(), None);
    let out = render::junit::render(&[r]);
    assert!(
        out.contains("not judged for exchanges[1] (curl -v does not show the request body)"),
        "{out}"
    );
    assert!(
        out.contains(r#"<testcase name="BCAST-DLV-03""#)
            && out.contains("<error message=\"not judged for exchanges[1]"),
        "{out}"
    );
}

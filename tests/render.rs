//! Snapshot tests of every renderer (insta), on inputs that exercise each kind of finding:
//! XML positions, a provisional warning, an LTKM byte offset, a standalone MIKEY message and
//! an input that could not be checked. Output must also be identical run to run.

use mikeyconf::engine::Engine;
use mikeyconf::finding::{CheckResult, Skipped};
use mikeyconf::rules::RuleSet;
use mikeyconf::settings::Settings;
use mikeyconf::{render, suite};

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

#[test]
fn sarif() {
    let (r, rules) = results();
    let text = render::sarif::render(&r, &rules);
    let v: serde_json::Value = serde_json::from_str(&text).expect("SARIF is JSON");
    assert_eq!(v["version"], "2.1.0");
    insta::assert_snapshot!(text);
}

#[test]
fn github() {
    let (r, _) = results();
    insta::assert_snapshot!(render::github::render(&r));
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
    insta::assert_snapshot!(render::json::render_with_skipped(&r[4..], &skipped()));
}

#[test]
fn sarif_with_skipped_files() {
    let (r, rules) = results();
    insta::assert_snapshot!(render::sarif::render_with_skipped(
        &r[4..],
        &rules,
        &skipped()
    ));
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
}

#[test]
fn no_key_material_in_any_report() {
    // The CSK's encapsulated SAKKE data and the LTKM ciphertext must not appear in reports.
    let (r, rules) = results();
    let all = [
        render::text::render(&r, &rules),
        render::json::render(&r),
        render::junit::render(&r),
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

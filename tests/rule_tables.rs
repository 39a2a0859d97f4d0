//! A malformed rule table is a clear startup error naming the file and the line.

use mikeyconf::internals::rules::RuleSet;
use mikeyconf::internals::settings::Settings;

const GOOD: &str = r#"rules:
  - id: T-01
    title: t
    requirement: [BCAST-REG-01]
    clause: {spec: "OMA BCAST Services", section: "5.1.6.7.1"}
    clause_text: text
    level: SHALL
    severity: error
    status: confirmed
    applies_to: [registration-request]
    check: {unique_values: {element: "*:Type"}}
    message: m
"#;

fn load(text: &str) -> Result<RuleSet, String> {
    let settings = Settings::load(None, &[]).unwrap();
    RuleSet::load(&[("t.yaml".to_string(), text.to_string())], &settings).map_err(|e| e.to_string())
}

#[test]
fn a_good_table_loads() {
    assert_eq!(load(GOOD).unwrap().rules.len(), 1);
}

#[test]
fn an_unknown_check_names_file_line_and_the_known_checks() {
    let e = load(&GOOD.replace("unique_values", "unique_valuez")).unwrap_err();
    assert!(e.starts_with("t.yaml:11:"), "{e}");
    assert!(
        e.contains("unknown variant `unique_valuez`") && e.contains("`unique_values`"),
        "{e}"
    );
}

#[test]
fn semantic_errors_name_the_rule_and_its_line() {
    let cases = [
        (
            GOOD.replace("[registration-request]", "[registration-requestt]"),
            "unknown kind 'registration-requestt'",
        ),
        (
            GOOD.replace("\"*:Type\"", "\"nope:Type\""),
            "selector 'nope:Type' uses prefix 'nope'",
        ),
        (
            GOOD.replace("status: confirmed", "status: provisional"),
            "must say what it assumes",
        ),
        (
            GOOD.replace("requirement: [BCAST-REG-01]", "requirement: []"),
            "at least one requirement",
        ),
        (
            format!("{GOOD}{}", GOOD.replace("rules:\n", "")),
            "duplicate rule id",
        ),
    ];
    for (text, want) in cases {
        let e = load(&text).unwrap_err();
        assert!(e.starts_with("t.yaml:2:1: rule T-01: "), "{e}");
        assert!(e.contains(want), "{e}");
    }
}

/// An element selector is `prefix:name`: a prefix of ASCII letters and digits (or `*`) and a
/// name of letters, digits, `_`, `-`, `.` (or `*`), neither empty.
#[test]
fn a_selector_is_prefix_colon_name() {
    for good in ["*:Type", "*:*", "*:a_b-c.d"] {
        assert!(load(&GOOD.replace("*:Type", good)).is_ok(), "{good}");
    }
    for (bad, why) in [
        ("Type", "must be prefix:name"),
        (":Type", "is not prefix:name"),
        ("*:", "is not prefix:name"),
        ("b-cast:Type", "is not prefix:name"),
        ("*:Ty pe", "is not prefix:name"),
    ] {
        let e = load(&GOOD.replace("*:Type", bad)).unwrap_err();
        assert!(e.contains(&format!("selector '{bad}' {why}")), "{bad}: {e}");
    }
}

/// `extension_namespace` names one host element, a namespace prefix of the settings and at
/// least one element.
#[test]
fn an_extension_namespace_check_is_validated_at_load() {
    let check = |host: &str, ns: &str, elements: &str| {
        let c = format!("{{extension_namespace: {{host: \"{host}\", namespace: {ns}, elements: {elements}, reasons: {{host_namespace: h, other_namespace: o}}}}}}");
        load(&GOOD.replace("{unique_values: {element: \"*:Type\"}}", &c))
    };
    assert!(check("poc:entity", "mcs", "[a]").is_ok());
    for (host, ns, elements, want) in [
        (
            "*:entity",
            "mcs",
            "[a]",
            "host '*:entity' must name one element",
        ),
        ("poc:*", "mcs", "[a]", "host 'poc:*' must name one element"),
        (
            "poc:entity",
            "nope",
            "[a]",
            "namespace prefix 'nope' is not in the settings",
        ),
        ("poc:entity", "mcs", "[]", "`elements` is empty"),
    ] {
        let e = check(host, ns, elements).unwrap_err();
        assert!(e.contains(want), "{host} {ns} {elements}: {e}");
    }
}

#[test]
fn a_missing_field_and_an_unknown_field_are_errors() {
    assert!(load(&GOOD.replace("    message: m\n", ""))
        .unwrap_err()
        .contains("missing field `message`"));
    assert!(
        load(&GOOD.replace("    message: m\n", "    message: m\n    severty: error\n"))
            .unwrap_err()
            .contains("unknown field `severty`")
    );
}

/// `requires:` may name only the roles and options of rules/profile-options.yaml, with values
/// of the option's type.
#[test]
fn requires_names_only_the_profile_vocabulary() {
    let with = |req: &str| GOOD.replace("    check:", &format!("    requires: {req}\n    check:"));
    let ok = load(&with("{roles: [bsm], supports: {ltkm_delivery: sms}}")).unwrap();
    assert_eq!(ok.rules[0].requires.as_ref().unwrap().roles, ["bsm"]);
    let cases = [
        ("{roles: [bsc]}", "unknown role 'bsc'"),
        ("{supports: {teleport: true}}", "unknown option 'teleport'"),
        (
            "{supports: {ltkm_delivery: fax}}",
            "'fax' is not one of its values",
        ),
        (
            "{supports: {ltkm_delivery: true}}",
            "does not fit the option",
        ),
        (
            "{supports: {mcvideo_csk_download: false}}",
            "does not fit the option",
        ),
    ];
    for (req, want) in cases {
        let e = load(&with(req)).unwrap_err();
        assert!(e.starts_with("t.yaml:2:1: rule T-01: "), "{e}");
        assert!(e.contains(want), "{req}: {e}");
    }
    let e = load(&with("{role: [bsm]}")).unwrap_err();
    assert!(e.contains("unknown field `role`"), "{e}");
}

/// A check kind that rests on a provisional reading (its `needs()`) cannot sit in a confirmed
/// rule: the loader refuses it, naming the reading. One case per such CPNS, SIP and session
/// kind (the built-in tables, which the vectors run, put each in a provisional rule).
#[test]
fn a_confirmed_rule_on_a_provisional_reading_is_refused() {
    let answers = "{answers: [{request: {method: MESSAGE}, status: 488, codes: [136]}]}";
    let cases = [
        (
            "cpns-trace",
            "{cpns_leaver_excluded: {}}".to_string(),
            "no longer a member",
        ),
        (
            "cpns-trace",
            "{cpns_pne_deletes: {trigger: leave}}".to_string(),
            "the PNE's own store",
        ),
        (
            "sip",
            format!("{{sip_warning_agent: {answers}}}"),
            "host name",
        ),
        (
            "sip",
            format!("{{sip_warning_mc_form: {answers}}}"),
            "warn-code 399",
        ),
        (
            "session-trace",
            "{trace_verification: {which: csb-id-only}}".to_string(),
            "but not its T, answers that message",
        ),
    ];
    for (kind, check, reading) in cases {
        let text = GOOD
            .replace("[registration-request]", &format!("[{kind}]"))
            .replace("{unique_values: {element: \"*:Type\"}}", &check);
        let e = load(&text).unwrap_err();
        assert!(
            e.contains("rests on a provisional reading ("),
            "{check}: {e}"
        );
        assert!(e.contains(reading), "{check}: {e}");
        assert!(
            e.contains("the rule must be status: provisional"),
            "{check}: {e}"
        );
    }
}

/// A Warning rule may name only codes that `sip.warning_texts` gives a text for: checked when
/// the table loads (the built-in tables, which the vectors run, always pass).
#[test]
fn a_warning_code_without_a_text_is_refused() {
    let check = "{sip_answer_warning: {request: {method: MESSAGE}, status: 488, codes: [999], mode: exact}}";
    let text = GOOD
        .replace("[registration-request]", "[sip]")
        .replace("{unique_values: {element: \"*:Type\"}}", check);
    let e = load(&text).unwrap_err();
    assert!(
        e.contains("warning code 999 has no text in sip.warning_texts"),
        "{e}"
    );
    assert!(load(&text.replace("[999]", "[136]")).is_ok());
}

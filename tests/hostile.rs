//! Hostile inputs too large to keep as files: each gets a clear verdict, without a panic and
//! without reading or building more than the limits allow. (Time and memory are measured by
//! hand with `/usr/bin/time -v`, not asserted here; see the README.)

use mikeyconf::engine::Engine;
use mikeyconf::finding::Verdict;
use mikeyconf::rules::RuleSet;
use mikeyconf::settings::Settings;

fn engine() -> Engine {
    let settings = Settings::load(None, &[]).unwrap();
    let rules = RuleSet::builtin(&settings).unwrap();
    Engine::new(settings, rules, false).unwrap()
}

const REG: &str = "urn:3GPP:metadata:2005:MBMS:securityRegistration";

#[test]
fn nesting_100000_deep_is_refused_with_its_place() {
    let mut doc = format!("<mbmsSecurityRegister xmlns=\"{REG}\"><serviceID>x</serviceID>");
    doc.push_str(&"<x:a xmlns:x=\"urn:x\">".repeat(100_000));
    doc.push_str(&"</x:a>".repeat(100_000));
    doc.push_str("</mbmsSecurityRegister>");
    let r = engine().check_xml("deep.xml", doc.as_bytes(), None);
    assert_eq!(r.verdict, Verdict::Error);
    let e = r.error.unwrap();
    assert!(e.contains("nesting deeper than 256"), "{e}");
    assert!(e.starts_with("1:"), "names the place: {e}");
}

#[test]
fn nesting_within_the_limit_is_checked() {
    let mut doc = format!("<mbmsSecurityRegister xmlns=\"{REG}\"><serviceID>x</serviceID>");
    doc.push_str(&"<x:a xmlns:x=\"urn:x\">".repeat(200));
    doc.push_str(&"</x:a>".repeat(200));
    doc.push_str("</mbmsSecurityRegister>");
    let r = engine().check_xml("deep-ok.xml", doc.as_bytes(), None);
    assert_eq!(r.verdict, Verdict::Conformant, "{:?}", r.findings);
}

#[test]
fn fifty_megabyte_document_is_refused_unparsed() {
    let mut doc = format!("<mbmsSecurityRegister xmlns=\"{REG}\">");
    let entry = "<serviceID>urn:3gpp:mbms:example:service:identification:0123456789</serviceID>\n";
    while doc.len() < 50 * 1024 * 1024 {
        doc.push_str(entry);
    }
    doc.push_str("</mbmsSecurityRegister>");
    let r = engine().check_xml("big.xml", doc.as_bytes(), None);
    assert_eq!(r.verdict, Verdict::Error);
    assert!(r.error.unwrap().contains("limits.max_bytes"));
}

#[test]
fn many_nodes_are_bounded_by_the_node_limit() {
    let mut doc = format!("<mbmsSecurityRegister xmlns=\"{REG}\">");
    doc.push_str(&"<serviceID>u</serviceID>".repeat(600_000));
    doc.push_str("</mbmsSecurityRegister>");
    let r = engine().check_xml("wide.xml", doc.as_bytes(), None);
    assert_eq!(r.verdict, Verdict::Error, "{:?}", r.error);
    assert!(r.error.unwrap().contains("max_nodes"));
}

#[test]
fn truncated_at_every_length_never_panics() {
    let doc = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/vectors/xml/registration-response/valid-http-ltkms.xml"
    ))
    .unwrap();
    let e = engine();
    let complete = doc.iter().rposition(|b| *b == b'>').unwrap() + 1;
    for cut in 0..complete {
        let r = e.check_xml("cut.xml", &doc[..cut], None);
        assert_ne!(
            r.verdict,
            Verdict::Conformant,
            "a document cut at {cut} bytes cannot conform"
        );
    }
}

#[test]
fn huge_ltkm_value_is_checked_without_echoing_it() {
    let ltkm = "A".repeat(4 * 1024 * 1024);
    let doc = format!(
        "<mbmsSecurityRegisterResponse xmlns=\"urn:3GPP:metadata:2005:MBMS:securityRegistrationResponse\" xmlns:b=\"urn:oma:xml:bcast:pr:orderqueries:1.0\"><Response><serviceID>s</serviceID><ResponseCode>200 OK</ResponseCode><b:RegistrationResponseResponseExtension><b:LTKM>{ltkm}</b:LTKM></b:RegistrationResponseResponseExtension></Response></mbmsSecurityRegisterResponse>"
    );
    let r = engine().check_xml("huge-ltkm.xml", doc.as_bytes(), None);
    assert_eq!(r.verdict, Verdict::NonConformant);
    let json = mikeyconf::render::json::render(std::slice::from_ref(&r));
    // The report lists every rule's outcome, so it grows with the rule tables; the value
    // (4 MiB) must not be in it, not even a part of it.
    assert!(
        json.len() < 100_000 && !json.contains(&ltkm[..256]),
        "the report must not carry the value: {} bytes",
        json.len()
    );
}

#[test]
fn a_trace_cannot_make_a_read_unbounded() {
    let dir = std::env::temp_dir();
    for name in ["/dev/zero", "/proc/self", "/nonexistent/file"] {
        let trace = format!("trace: 1\nevents:\n  - udp: {{file: \"{name}\"}}\n");
        let r = engine().check_trace("t.trace.yaml", trace.as_bytes(), &dir);
        assert_eq!(r.verdict, Verdict::Error, "{name}");
        assert!(
            r.error.as_deref().unwrap_or("").contains("event 1"),
            "{:?}",
            r.error
        );
    }
}

/// A registration response of `n` Responses, one per line (line i + 2 for Response i),
/// those in `broken` without their serviceID.
fn responses(n: usize, broken: &[usize]) -> String {
    let ns = "urn:3GPP:metadata:2005:MBMS:securityRegistrationResponse";
    let mut doc = format!("<mbmsSecurityRegisterResponse xmlns=\"{ns}\">\n");
    for i in 0..n {
        if broken.contains(&i) {
            doc.push_str("<Response><ResponseCode>200 OK</ResponseCode></Response>\n");
        } else {
            doc.push_str(&format!(
                "<Response><serviceID>urn:x:{i}</serviceID><ResponseCode>200 OK</ResponseCode></Response>\n"
            ));
        }
    }
    doc.push_str("</mbmsSecurityRegisterResponse>\n");
    doc
}

#[test]
fn a_long_list_validated_in_parallel_reports_what_a_short_one_does_in_document_order() {
    // 20 000 children are validated in chunks on the thread pool (CHILDREN_IN_PARALLEL);
    // a short list on one thread. Both must report each broken Response, in order.
    let lines = |n: usize, broken: &[usize]| -> Vec<(u32, String, String)> {
        let doc = responses(n, broken);
        let r = engine().check_xml("long.xml", doc.as_bytes(), Some("registration-response"));
        r.findings
            .iter()
            .map(|f| (f.location.line, f.rule.clone(), f.message.clone()))
            .collect()
    };
    let long = lines(20_000, &[2, 9_000, 19_999]);
    let short = lines(100, &[2, 50, 99]);
    let at: Vec<u32> = long.iter().map(|f| f.0).collect();
    assert_eq!(at, [4, 9_002, 20_001], "{long:#?}");
    assert_eq!(short.iter().map(|f| f.0).collect::<Vec<_>>(), [4, 52, 101]);
    for (l, s) in long.iter().zip(&short) {
        assert_eq!((&l.1, &l.2), (&s.1, &s.2));
    }
}

/// A registration request whose one LTKMDelivery lists 100 000 Types (0, 1, 2, 0, 1, 2, ...),
/// all on one line: every Type after the third repeats one before it.
fn a_hundred_thousand_types() -> String {
    let types: String = (0..100_000)
        .map(|i| format!("<Type>{}</Type>", i % 3))
        .collect();
    format!(
        r#"<mbmsSecurityRegister xmlns="urn:3GPP:metadata:2005:MBMS:securityRegistration" xmlns:bcast="urn:oma:xml:bcast:pr:orderqueries:1.0"><serviceID>urn:3gpp:mbms:example:service:identification:1</serviceID><bcast:RegistrationRequestExtension><LTKMDelivery>{types}</LTKMDelivery></bcast:RegistrationRequestExtension></mbmsSecurityRegister>"#
    )
}

#[test]
fn a_hundred_thousand_sibling_types_are_judged_in_one_pass() {
    // BCAST-TYPE-03 (each mechanism listed once) compared each Type with all its earlier
    // siblings: 100 000 Types took minutes. Now one pass with the values seen so far; the
    // repeats are still each found, and listed up to the findings limit.
    let doc = a_hundred_thousand_types();
    let engine = engine();
    let r = engine.check_xml("types.xml", doc.as_bytes(), None);
    let repeats: Vec<_> = r
        .findings
        .iter()
        .filter(|f| f.rule == "BCAST-TYPE-03")
        .collect();
    assert!(
        !repeats.is_empty(),
        "{:#?}",
        r.findings.iter().take(5).collect::<Vec<_>>()
    );
    // The first repeat is the fourth Type (value 0 again); the first three are not repeats.
    assert!(
        repeats[0].message.contains("Type 0 "),
        "{}",
        repeats[0].message
    );
    let first_col = repeats[0].location.column;
    assert!(
        first_col
            > doc
                .find("<Type>0</Type><Type>1</Type><Type>2</Type><Type>0")
                .unwrap() as u32
    );
    // All on one line of 1.5 MB: each finding's snippet is a window of that line, and
    // showing them collected the whole line's characters once per finding (93 s).
    let opts = mikeyconf::render::text::TextOptions {
        colour: false,
        quiet: true,
    };
    let zeros = repeats
        .iter()
        .filter(|f| f.message.contains("Type 0 "))
        .count();
    let results = [r];
    let text =
        mikeyconf::render::text::render_run(&results, &engine.rules, 0, &opts, &Default::default());
    let shown = text
        .matches("warning[BCAST-TYPE-03]: Type 0 is listed")
        .count();
    assert_eq!(shown, zeros);
    assert!(text.contains("<Type>2</Type><Type>0</Type>"));
}

#[test]
fn an_input_lists_at_most_the_findings_limit_and_counts_the_rest() {
    // 99 997 repeated Types are each a finding; the listing stops at limits.max_findings
    // (10 000) for every kind, as it did for captures and CPNS traces only. The verdict and
    // the rules' outcomes stay the whole list's.
    let doc = a_hundred_thousand_types();
    let engine = engine();
    let all = engine.check_xml("types.xml", doc.as_bytes(), None);
    let listed = engine.check("types.xml", doc.as_bytes(), None);
    assert!(all.findings.len() > 10_000, "{}", all.findings.len());
    assert_eq!(listed.findings.len(), 10_000);
    assert_eq!(listed.findings[..], all.findings[..10_000]);
    assert_eq!(listed.verdict, all.verdict);
    assert_eq!(listed.rules, all.rules);
    let note = listed.notes.last().unwrap();
    let unlisted = all.findings.len() - 10_000;
    assert!(
        note.starts_with("only the first 10000 findings are listed (limits.max_findings)")
            && note.contains(&format!("BCAST-TYPE-03 {unlisted}")),
        "{note}"
    );
}

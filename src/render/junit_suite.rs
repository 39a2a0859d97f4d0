//! JUnit XML of `mikeyconf run`, the bundled suite: one test case per vector, failing only
//! when the vector did not give exactly its expected findings. A vector written to be
//! non-conformant that is judged non-conformant passes: its own verdict is said in the case's
//! `<system-out>`, not by the case's status. (`--format junit` of `check` is another report,
//! one suite per input and one case per rule: see `junit.rs`.)
//!
//! Written by hand, not with `quick_junit`, so that the report validates against the Jenkins
//! JUnit schema (`junit-10.xsd`, tests/junit/), which a CI publisher reads it by: that schema
//! allows `<properties>` only in a `<testsuite>` and no `disabled` attribute, both of which
//! `quick_junit` writes.

use quick_xml::escape::escape;
use std::fmt::Write as _;

/// What the suite report needs of one vector's run.
#[derive(Debug, Clone, Copy)]
pub struct VectorCase<'a> {
    /// The vector's name: its path under `vectors/` without the extension, its folders
    /// joined by `::` as the suite names them (`xml::msk_response::keydomain_2_octets`).
    pub name: &'a str,
    /// Whether its findings and verdict were exactly those its sidecar expects.
    pub matched: bool,
    /// Expected against actual, as a unified diff, when they differ.
    pub diff: &'a str,
    /// The verdict the vector itself got (`conformant`, `non-conformant`, …).
    pub verdict: &'a str,
    /// How many findings it gave.
    pub findings: usize,
}

/// The report: one test suite per vector folder (`xml/msk`, `trace`, …), in the order the
/// vectors come, one case per vector.
///
/// ```
/// use mikeyconf::internals::render::junit_suite::{render, VectorCase};
/// let case = VectorCase { name: "xml::a", matched: false, diff: "-x\n+y\n", verdict: "conformant", findings: 0 };
/// let xml = render(&[case]);
/// assert!(xml.contains(r#"failures="1""#));
/// ```
pub fn render(cases: &[VectorCase]) -> String {
    let failures = cases.iter().filter(|c| !c.matched).count();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"mikeyconf vectors\" tests=\"{}\" failures=\"{failures}\" errors=\"0\">",
        cases.len()
    );
    let mut rest = cases;
    while let Some(first) = rest.first() {
        let folder = folder_of(first.name);
        let n = rest
            .iter()
            .position(|c| folder_of(c.name) != folder)
            .unwrap_or(rest.len());
        let (suite, after) = rest.split_at(n);
        test_suite(&mut out, folder, suite);
        rest = after;
    }
    out.push_str("</testsuites>\n");
    out
}

/// One folder's consecutive vectors as a `<testsuite>`.
fn test_suite(out: &mut String, folder: &str, cases: &[VectorCase]) {
    let failures = cases.iter().filter(|c| !c.matched).count();
    let _ = writeln!(
        out,
        "    <testsuite name=\"{}\" tests=\"{}\" failures=\"{failures}\" errors=\"0\">",
        text(folder),
        cases.len()
    );
    for case in cases {
        test_case(out, case, folder);
    }
    out.push_str("    </testsuite>\n");
}

/// `s` as XML character data or an attribute value: markup escaped, and every control
/// character but line breaks and tabs shown escaped (XML 1.0 allows no other C0 control).
fn text(s: &str) -> String {
    let visible = super::escape_controls_but(s, |c| c == '\n' || c == '\t');
    escape(visible.as_ref()).into_owned()
}

/// The vector's folder: its name up to the last `::` (the suite's names, `xml::msk_response::x`)
/// or `/` (a path).
fn folder_of(name: &str) -> &str {
    name.rsplit_once("::")
        .or_else(|| name.rsplit_once('/'))
        .map_or("", |(folder, _)| folder)
}

fn test_case(out: &mut String, case: &VectorCase, folder: &str) {
    let _ = writeln!(
        out,
        "        <testcase name=\"{}\" classname=\"{}\">",
        text(case.name),
        text(folder)
    );
    if !case.matched {
        let _ = writeln!(
            out,
            "            <failure message=\"the findings differ from the vector's expected findings\" type=\"expectation\">{}</failure>",
            text(case.diff)
        );
    }
    let findings = crate::plural::counted(case.findings, "finding", "findings");
    let _ = writeln!(
        out,
        "            <system-out>verdict: {}; {findings}</system-out>",
        text(case.verdict)
    );
    out.push_str("        </testcase>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn case<'a>(name: &'a str, matched: bool, verdict: &'a str) -> VectorCase<'a> {
        VectorCase {
            name,
            matched,
            diff: if matched { "" } else { "-a\n+b\n" },
            verdict,
            findings: 1,
        }
    }

    #[test]
    fn a_non_conformant_vector_that_met_its_expectation_passes() {
        let xml = render(&[
            case("xml::msk::a", true, "non-conformant"),
            case("xml::msk::b", true, "conformant"),
            case("trace::c", false, "conformant"),
        ]);
        assert!(xml.contains(r#"tests="3""#), "{xml}");
        assert!(xml.contains(r#"failures="1""#), "{xml}");
        assert!(
            xml.contains(r#"<testsuite name="xml::msk" tests="2""#),
            "{xml}"
        );
        assert!(
            xml.contains(r#"<testsuite name="trace" tests="1""#),
            "{xml}"
        );
        assert_eq!(folder_of("a/b/c"), "a/b");
        assert!(
            xml.contains("<system-out>verdict: non-conformant; 1 finding</system-out>"),
            "{xml}"
        );
        assert!(xml.contains("-a\n+b"), "{xml}");
    }
}

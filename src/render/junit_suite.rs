//! JUnit XML of `mikeyconf run`, the bundled suite: one test case per vector, failing only
//! when the vector did not give exactly its expected findings. A vector written to be
//! non-conformant that is judged non-conformant passes: its own verdict is a property of the
//! case, not the case's status. (`--format junit` of `check` is another report, one suite per
//! input and one case per rule: see `junit.rs`.)

use quick_junit::{NonSuccessKind, Property, Report, TestCase, TestCaseStatus, TestSuite};

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
/// use mikeyconf::render::junit_suite::{render, VectorCase};
/// let case = VectorCase { name: "xml::a", matched: false, diff: "-x\n+y\n", verdict: "conformant", findings: 0 };
/// let xml = render(&[case]);
/// assert!(xml.contains(r#"failures="1""#));
/// ```
pub fn render(cases: &[VectorCase]) -> String {
    let mut report = Report::new("mikeyconf vectors");
    let mut current: Option<TestSuite> = None;
    for case in cases {
        let folder = folder_of(case.name);
        if current.as_ref().is_some_and(|s| s.name.as_str() != folder) {
            report.add_test_suite(current.take().expect("checked above"));
        }
        let suite = current.get_or_insert_with(|| TestSuite::new(folder));
        suite.add_test_case(test_case(case, folder));
    }
    if let Some(s) = current {
        report.add_test_suite(s);
    }
    report
        .to_string()
        .unwrap_or_else(|e| format!("<!-- the JUnit report could not be written: {e} -->\n"))
}

/// The vector's folder: its name up to the last `::` (the suite's names, `xml::msk_response::x`)
/// or `/` (a path).
fn folder_of(name: &str) -> &str {
    name.rsplit_once("::")
        .or_else(|| name.rsplit_once('/'))
        .map_or("", |(folder, _)| folder)
}

fn test_case(case: &VectorCase, folder: &str) -> TestCase {
    let mut tc = if case.matched {
        TestCase::new(case.name, TestCaseStatus::success())
    } else {
        let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
        status.set_message("the findings differ from the vector's expected findings");
        status.set_description(
            super::escape_controls_but(case.diff, |c| c == '\n' || c == '\t').into_owned(),
        );
        TestCase::new(case.name, status)
    };
    tc.set_classname(folder);
    tc.add_property(Property::new("mikeyconf.verdict", case.verdict));
    tc.add_property(Property::new(
        "mikeyconf.findings",
        case.findings.to_string(),
    ));
    tc
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
            xml.contains(r#"name="mikeyconf.verdict" value="non-conformant""#),
            "{xml}"
        );
        assert!(xml.contains("-a\n+b"), "{xml}");
    }
}

//! JUnit XML: one test suite per input, one test case per rule, so a CI server shows a verdict
//! per clause. Warnings pass, with the message in system-out; a rule that was not applied to
//! the input is a skipped test case, never a passing one.

use super::RunInfo;
use crate::finding::{CheckResult, FindingVerdict, Verdict};
use quick_junit::{NonSuccessKind, Property, Report, TestCase, TestCaseStatus, TestSuite};

pub fn render(results: &[CheckResult]) -> String {
    render_run(results, &RunInfo::default())
}

/// The report, each test suite with the run's profile and config file as properties
/// (`mikeyconf.profile`, `mikeyconf.config`) when there were some.
pub fn render_run(results: &[CheckResult], run: &RunInfo) -> String {
    let mut report = Report::new("mikeyconf");
    for r in results {
        let mut suite = TestSuite::new(r.input.as_str());
        if let Some(p) = &run.profile {
            suite.add_property(Property::new("mikeyconf.profile", p.describe()));
        }
        if let Some(c) = &run.config {
            suite.add_property(Property::new("mikeyconf.config", c.as_str()));
        }
        if r.verdict == Verdict::Error {
            let mut status = TestCaseStatus::non_success(NonSuccessKind::Error);
            status.set_message(r.error.clone().unwrap_or_default());
            let mut case = TestCase::new("check", status);
            case.set_classname(r.input.as_str());
            suite.add_test_case(case);
        }
        for outcome in r.rules.iter() {
            if !outcome.applied() {
                // Not applied is not passed: a skipped test case, with the reason.
                let mut status = TestCaseStatus::skipped();
                status.set_message(outcome.reason.clone().unwrap_or_default());
                let mut case = TestCase::new(outcome.rule.as_str(), status);
                case.set_classname(format!("{} ({})", r.input, r.kind));
                suite.add_test_case(case);
                continue;
            }
            let findings: Vec<_> = r
                .findings
                .iter()
                .filter(|f| f.rule == outcome.rule)
                .collect();
            // A rule applied to part of the input says to which part it was not.
            let text = findings
                .iter()
                .map(|f| {
                    format!(
                        "{}:{}:{}: {}",
                        r.input, f.location.line, f.location.column, f.message
                    )
                })
                .chain(
                    outcome
                        .reason
                        .iter()
                        .map(|why| format!("{}: {why}", r.input)),
                )
                .collect::<Vec<_>>()
                .join("\n");
            let failed = findings.iter().any(|f| f.verdict == FindingVerdict::Fail);
            let mut case = if failed {
                let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
                status.set_message(findings[0].message.clone());
                status.set_description(text);
                TestCase::new(outcome.rule.as_str(), status)
            } else {
                let mut c = TestCase::new(outcome.rule.as_str(), TestCaseStatus::success());
                if !text.is_empty() {
                    c.set_system_out(text);
                }
                c
            };
            case.set_classname(format!("{} ({})", r.input, r.kind));
            suite.add_test_case(case);
        }
        report.add_test_suite(suite);
    }
    report
        .to_string()
        .unwrap_or_else(|e| format!("<!-- {e} -->"))
}

//! JUnit XML: one test suite per input, one test case per rule, so a CI server shows a verdict
//! per clause. Warnings pass, with the message in system-out; a rule that was not applied to
//! the input is a skipped test case, never a passing one. The `<testsuites>` element opens
//! with the run's totals, so each input's suite is spooled as it arrives and the totals kept.

use super::emitter::{emit_to_string, Emitter, Spool};
use super::RunInfo;
use crate::finding::{CheckResult, FindingVerdict, RuleOutcome, Verdict};
use quick_junit::{NonSuccessKind, Property, Report, TestCase, TestCaseStatus, TestSuite};
use std::io::{self, Write};

pub fn render(results: &[CheckResult]) -> String {
    render_run(results, &RunInfo::default())
}

/// The report, each test suite with the run's profile and config file as properties
/// (`mikeyconf.profile`, `mikeyconf.config`) when there were some.
pub fn render_run(results: &[CheckResult], run: &RunInfo) -> String {
    emit_to_string(JunitEmitter::new(run), results)
}

/// The JUnit report: the suites spooled as they arrive, written after the totals.
pub struct JunitEmitter<'a> {
    run: &'a RunInfo,
    /// The report's totals (no suites: those are in `suites`).
    totals: Report,
    suites: Spool,
}

impl<'a> JunitEmitter<'a> {
    pub fn new(run: &'a RunInfo) -> Self {
        JunitEmitter {
            run,
            totals: Report::new("mikeyconf"),
            suites: Spool::default(),
        }
    }
}

/// A report as quick-junit writes it, cut around its suites: what comes before them (the
/// declaration and the `<testsuites>` start tag), the suites, and what comes after.
fn xml_of(report: &Report) -> io::Result<String> {
    report.to_string().map_err(io::Error::other)
}

/// The position just after the `<testsuites …>` start tag's line, and of the end tag.
fn cut(xml: &str) -> (usize, usize) {
    let open = xml
        .find("<testsuites")
        .and_then(|i| xml[i..].find('\n').map(|j| i + j + 1))
        .unwrap_or(0);
    let close = xml.rfind("</testsuites>").unwrap_or(xml.len());
    (open, close)
}

impl Emitter for JunitEmitter<'_> {
    fn start(&mut self, _out: &mut dyn Write) -> io::Result<()> {
        Ok(())
    }

    fn result(&mut self, _out: &mut dyn Write, r: &CheckResult) -> io::Result<()> {
        let mut one = Report::new("mikeyconf");
        one.add_test_suite(suite(r, self.run));
        self.totals.tests += one.tests;
        self.totals.failures += one.failures;
        self.totals.errors += one.errors;
        let xml = xml_of(&one)?;
        let (open, close) = cut(&xml);
        self.suites.write_all(&xml.as_bytes()[open..close])
    }

    fn finish(&mut self, out: &mut dyn Write) -> io::Result<()> {
        let xml = xml_of(&self.totals)?;
        let (open, close) = cut(&xml);
        out.write_all(&xml.as_bytes()[..open])?;
        self.suites.drain_into(out)?;
        out.write_all(&xml.as_bytes()[close..])
    }
}

/// One input's test suite: an error case when it could not be checked, one case per rule.
fn suite(r: &CheckResult, run: &RunInfo) -> TestSuite {
    // Control characters escaped as in every other report: quick-junit drops C0 controls
    // (so "a\x01.sip" and "a.sip" became one suite name) and writes a line feed raw into an
    // attribute, where an XML reader turns it into a space (XML 1.0 3.3.3).
    let r = &*super::escaped_result(r);
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
        let mut case = if outcome.applied() {
            applied_case(r, outcome)
        } else {
            // Not applied is not passed: a skipped test case, with the reason.
            let mut status = TestCaseStatus::skipped();
            status.set_message(outcome.reason.as_deref().unwrap_or_default());
            TestCase::new(outcome.rule.as_str(), status)
        };
        case.set_classname(format!("{} ({})", r.input, r.kind));
        suite.add_test_case(case);
    }
    suite
}

/// The test case of a rule that ran: failed when a finding of it fails, else passed with its
/// findings (warnings, notes) in system-out.
fn applied_case(r: &CheckResult, outcome: &RuleOutcome) -> TestCase {
    let rule = outcome.rule.as_str();
    let findings: Vec<_> = r.findings.iter().filter(|f| f.rule == rule).collect();
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
    if failed {
        let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
        status.set_message(findings[0].message.clone());
        status.set_description(text);
        return TestCase::new(rule, status);
    }
    // A rule that ran on part of the input only did not check the rest: an error, as an
    // input that could not be checked is, never a success.
    if outcome.verdict == crate::finding::INCOMPLETE {
        let mut status = TestCaseStatus::non_success(NonSuccessKind::Error);
        status.set_message(
            outcome
                .reason
                .as_deref()
                .unwrap_or("incomplete")
                .to_string(),
        );
        status.set_description(text);
        return TestCase::new(rule, status);
    }
    let mut c = TestCase::new(rule, TestCaseStatus::success());
    if !text.is_empty() {
        c.set_system_out(text);
    }
    c
}

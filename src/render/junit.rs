//! JUnit XML: one test suite per input, one test case per rule, so a CI server shows a verdict
//! per clause. Warnings pass, with the message in system-out; a rule that was not applied to
//! the input is a skipped test case, never a passing one. The `<testsuites>` element opens
//! with the run's totals, so each input's suite is spooled as it arrives and the totals kept
//! (`junit_spool`: a case that says nothing of its input is kept once for the run).
//!
//! Written here rather than through quick-junit's `Report` (which the report used to be
//! built with, and whose layout it keeps byte for byte: see `Xml`): a corpus's suites hold
//! a hundred test cases per input, and building, cleaning and serialising each one as an
//! object took eight times the text report's time.

use super::emitter::{emit_to_string, Emitter};
use super::junit_spool::{Case, Suites};
use super::RunInfo;
use crate::finding::{CheckResult, Finding, FindingVerdict, Outcome, RuleOutcome, Verdict};
use rustc_hash::FxHashMap;
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
    /// The run's totals: test cases, failures, errors.
    totals: Counts,
    suites: Suites,
    /// One suite's header and one test case's XML, reused from case to case.
    scratch: Vec<u8>,
}

impl<'a> JunitEmitter<'a> {
    pub fn new(run: &'a RunInfo) -> Self {
        JunitEmitter {
            run,
            totals: Counts::default(),
            suites: Suites::default(),
            scratch: Vec::new(),
        }
    }
}

impl Emitter for JunitEmitter<'_> {
    fn start(&mut self, _out: &mut dyn Write) -> io::Result<()> {
        Ok(())
    }

    fn result(&mut self, _out: &mut dyn Write, r: &CheckResult) -> io::Result<()> {
        let counts = suite(&mut self.suites, &mut self.scratch, r, self.run)?;
        self.totals.tests += counts.tests;
        self.totals.failures += counts.failures;
        self.totals.errors += counts.errors;
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write) -> io::Result<()> {
        let mut head = Vec::new();
        head.extend_from_slice(br#"<?xml version="1.0" encoding="UTF-8"?>"#);
        let mut xml = Xml::new(&mut head);
        xml.start(
            "testsuites",
            &[
                ("name", "mikeyconf"),
                ("tests", &self.totals.tests.to_string()),
                ("failures", &self.totals.failures.to_string()),
                ("errors", &self.totals.errors.to_string()),
            ],
        );
        out.write_all(&head)?;
        self.suites.drain_into(out)?;
        // What quick-xml writes after the suites: the end tag on its own line, a newline.
        out.write_all(b"\n</testsuites>\n")
    }
}

/// A suite's (or the run's) test cases and how many of them failed, erred or were skipped.
#[derive(Debug, Default, Clone, Copy)]
struct Counts {
    tests: usize,
    skipped: usize,
    errors: usize,
    failures: usize,
}

/// How a rule's test case ends.
enum Status<'a> {
    /// Passed, with its findings (warnings, notes) and reason, if any, in system-out.
    Success(String),
    Failure {
        message: &'a str,
        text: String,
    },
    Error {
        message: &'a str,
        text: String,
    },
    Skipped {
        message: &'a str,
    },
}

/// The findings of one input by rule.
type ByRule<'a> = FxHashMap<&'a str, Vec<&'a Finding>>;

/// One input's test suite: an error case when it could not be checked, one case per rule.
/// Written at one level of indentation, as it stands in the report, into `suites` (`scratch`
/// holds each part as it is written); its counts returned.
fn suite(
    suites: &mut Suites,
    scratch: &mut Vec<u8>,
    r: &CheckResult,
    run: &RunInfo,
) -> io::Result<Counts> {
    // Control characters escaped as in every other report: a C0 control would be dropped (so
    // "a\x01.sip" and "a.sip" became one suite name) and a line feed in an attribute turns
    // into a space for an XML reader (XML 1.0 3.3.3).
    let r = &*super::escaped_result(r);
    let mut by_rule: ByRule = FxHashMap::default();
    for f in &r.findings {
        by_rule.entry(f.rule.as_str()).or_default().push(f);
    }
    let cases: Vec<(&str, Status)> = r
        .rules
        .iter()
        .map(|o| (o.rule.as_str(), status(r, o, &by_rule)))
        .collect();
    let error = (r.verdict == Verdict::Error).then(|| r.error.as_deref().unwrap_or_default());
    let mut counts = Counts {
        tests: cases.len() + usize::from(error.is_some()),
        errors: usize::from(error.is_some()),
        ..Counts::default()
    };
    for (_, s) in &cases {
        match s {
            Status::Success(_) => {}
            Status::Failure { .. } => counts.failures += 1,
            Status::Error { .. } => counts.errors += 1,
            Status::Skipped { .. } => counts.skipped += 1,
        }
    }
    scratch.clear();
    let mut xml = Xml::at(scratch, 1);
    xml.start(
        "testsuite",
        &[
            ("name", &r.input),
            ("tests", &counts.tests.to_string()),
            // `skipped`, not `disabled`: the Jenkins schema (tests/junit/junit-10.xsd) has
            // no `disabled` attribute on a testsuite, and publishers count skipped cases.
            ("skipped", &counts.skipped.to_string()),
            ("errors", &counts.errors.to_string()),
            ("failures", &counts.failures.to_string()),
        ],
    );
    properties(&mut xml, run);
    if let Some(message) = error {
        xml.start("testcase", &[("name", "check"), ("classname", &r.input)]);
        xml.empty("error", &[("message", message)]);
        xml.end("testcase");
    }
    // The classname of every case, cleaned and escaped once.
    let classname = attribute_value(&format!("{} ({})", r.input, r.kind));
    suites.start(scratch, &classname)?;
    // An input with nothing found whose outcomes are a list the engine shares between such
    // inputs (`Engine::clean_outcomes`) has the cases an earlier one had.
    let plain = r.findings.is_empty() && error.is_none();
    if !(plain && suites.known_cases(&r.rules)?) {
        let ids = test_cases(suites, scratch, &cases)?;
        if let Some(ids) = ids.filter(|_| plain) {
            suites.learn_cases(&r.rules, ids);
        }
    }
    suites.end()?;
    Ok(counts)
}

/// A suite's test cases, into `suites`; their numbers, when every one is shared.
fn test_cases(
    suites: &mut Suites,
    scratch: &mut Vec<u8>,
    cases: &[(&str, Status)],
) -> io::Result<Option<Vec<u32>>> {
    let mut ids = Some(Vec::with_capacity(cases.len()));
    for (rule, status) in cases {
        scratch.clear();
        let mut xml = Xml::at(scratch, 2);
        let hole = xml.start_with_hole("testcase", &[("name", rule)], "classname");
        match status {
            Status::Success(text) if text.is_empty() => {}
            Status::Success(text) => xml.text_element("system-out", &[], text),
            Status::Failure { message, text } => {
                xml.text_element("failure", &[("message", message)], text)
            }
            Status::Error { message, text } => {
                xml.text_element("error", &[("message", message)], text)
            }
            Status::Skipped { message } => xml.empty("skipped", &[("message", message)]),
        }
        xml.end("testcase");
        // What a skipped or silently passed case says depends on the rule and its reason
        // only: one copy serves every input.
        let shareable = match status {
            Status::Success(text) => text.is_empty(),
            Status::Skipped { .. } => true,
            Status::Failure { .. } | Status::Error { .. } => false,
        };
        let case = Case {
            bytes: scratch,
            hole,
        };
        let id = suites.case(case, shareable)?;
        match (&mut ids, id) {
            (Some(ids), Some(id)) => ids.push(id),
            _ => ids = None,
        }
    }
    Ok(ids)
}

/// The run's profile and config file as the suite's properties, when there were some.
fn properties(xml: &mut Xml, run: &RunInfo) {
    let profile = run.profile.as_ref().map(|p| p.describe());
    let listed = [
        ("mikeyconf.profile", profile.as_deref()),
        ("mikeyconf.config", run.config.as_deref()),
    ];
    if listed.iter().all(|(_, v)| v.is_none()) {
        return;
    }
    xml.start("properties", &[]);
    for (name, value) in listed {
        if let Some(value) = value {
            xml.empty("property", &[("name", name), ("value", value)]);
        }
    }
    xml.end("properties");
}

/// The test case of a rule: skipped when it was not applied (not applied is not passed, the
/// reason said); failed when a finding of it fails; an error when it ran on part of the input
/// only; else passed with its findings (warnings, notes) in system-out.
fn status<'a>(r: &'a CheckResult, outcome: &'a RuleOutcome, by_rule: &ByRule<'a>) -> Status<'a> {
    if !outcome.applied() {
        let message = outcome.outcome.reason().map_or("", |why| why);
        return Status::Skipped { message };
    }
    let findings = by_rule
        .get(outcome.rule.as_str())
        .map(Vec::as_slice)
        .unwrap_or_default();
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
                .outcome
                .reason()
                .into_iter()
                .map(|why| format!("{}: {why}", r.input)),
        )
        .collect::<Vec<_>>()
        .join("\n");
    if let Some(first) = findings
        .first()
        .filter(|_| findings.iter().any(|f| f.verdict == FindingVerdict::Fail))
    {
        let message = first.message.as_str();
        return Status::Failure { message, text };
    }
    // A rule that ran on part of the input only did not check the rest: an error, as an
    // input that could not be checked is, never a success.
    if let Outcome::Incomplete(why) = &outcome.outcome {
        return Status::Error { message: why, text };
    }
    Status::Success(text)
}

/// `text` as quick-junit's `XmlString` keeps it (ANSI escapes and the control characters XML
/// 1.0 forbids removed), then escaped as quick-xml escapes text and attribute values: `<`,
/// `>`, `&`, `'` and `"`. Plain printable ASCII, which is nearly all a report holds, is taken
/// as it is without the escape-sequence parser.
fn put_cleaned(out: &mut Vec<u8>, text: &str) {
    let plain = text
        .bytes()
        .all(|b| b == b'\n' || (b' '..=b'~').contains(&b));
    if plain {
        put_escaped(out, text);
    } else {
        put_escaped(out, quick_junit::XmlString::new(text).as_str());
    }
}

fn put_escaped(out: &mut Vec<u8>, text: &str) {
    let mut from = 0;
    for (i, b) in text.bytes().enumerate() {
        let entity: &[u8] = match b {
            b'<' => b"&lt;",
            b'>' => b"&gt;",
            b'&' => b"&amp;",
            b'\'' => b"&apos;",
            b'"' => b"&quot;",
            _ => continue,
        };
        out.extend_from_slice(&text.as_bytes()[from..i]);
        out.extend_from_slice(entity);
        from = i + 1;
    }
    out.extend_from_slice(&text.as_bytes()[from..]);
}

/// An attribute value cleaned and escaped, for one written many times.
fn attribute_value(text: &str) -> Vec<u8> {
    let mut v = Vec::with_capacity(text.len());
    put_cleaned(&mut v, text);
    v
}

/// An XML writer laid out as quick-xml's indenting writer (four spaces a level) lays out
/// quick-junit's reports: each start, empty and end tag on a new line at its depth, but an
/// end tag right after text, which follows it on the same line.
struct Xml<'o> {
    out: &'o mut Vec<u8>,
    depth: usize,
    /// Whether the next tag starts a new line (not right after text, nor at the very start).
    line_break: bool,
}

impl<'o> Xml<'o> {
    /// A writer at the start of a document (after the XML declaration).
    fn new(out: &'o mut Vec<u8>) -> Self {
        Xml {
            out,
            depth: 0,
            line_break: true,
        }
    }

    /// A writer inside `depth` open elements, after a tag.
    fn at(out: &'o mut Vec<u8>, depth: usize) -> Self {
        Xml {
            out,
            depth,
            line_break: true,
        }
    }

    fn indent(&mut self) {
        if self.line_break {
            self.out.push(b'\n');
            self.out.resize(self.out.len() + 4 * self.depth, b' ');
        }
    }

    fn open(&mut self, tag: &str, attributes: &[(&str, &str)]) {
        self.indent();
        self.out.push(b'<');
        self.out.extend_from_slice(tag.as_bytes());
        for (name, value) in attributes {
            self.out.push(b' ');
            self.out.extend_from_slice(name.as_bytes());
            self.out.extend_from_slice(b"=\"");
            put_cleaned(self.out, value);
            self.out.push(b'"');
        }
    }

    fn start(&mut self, tag: &str, attributes: &[(&str, &str)]) {
        self.open(tag, attributes);
        self.out.push(b'>');
        self.depth += 1;
        self.line_break = true;
    }

    /// A start tag whose last attribute's value is left out, to be put in later: the offset
    /// at which it goes.
    fn start_with_hole(&mut self, tag: &str, attributes: &[(&str, &str)], last: &str) -> usize {
        self.open(tag, attributes);
        self.out.push(b' ');
        self.out.extend_from_slice(last.as_bytes());
        self.out.extend_from_slice(b"=\"");
        let hole = self.out.len();
        self.out.extend_from_slice(b"\">");
        self.depth += 1;
        self.line_break = true;
        hole
    }

    fn empty(&mut self, tag: &str, attributes: &[(&str, &str)]) {
        self.open(tag, attributes);
        self.out.extend_from_slice(b"/>");
        self.line_break = true;
    }

    fn end(&mut self, tag: &str) {
        self.depth -= 1;
        self.indent();
        self.out.extend_from_slice(b"</");
        self.out.extend_from_slice(tag.as_bytes());
        self.out.push(b'>');
        self.line_break = true;
    }

    /// An element holding text (possibly empty): `<tag …>text</tag>`.
    fn text_element(&mut self, tag: &str, attributes: &[(&str, &str)], text: &str) {
        self.start(tag, attributes);
        put_cleaned(self.out, text);
        self.line_break = false;
        self.end(tag);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_cleaned_and_escaped_as_quick_junit_and_quick_xml_do() {
        let samples = [
            "plain <a href='x'>&amp; \"q\"</a>",
            "line\nbreak\ttab\rreturn",
            "\x1b[31mred\x1b[0m and \x07bell \x00nul \x7fdel",
            "caf\u{e9} \u{20ac} \u{202e}rtl \u{85}nel \u{9b}csi \u{a0}nbsp \u{1f600}",
            "",
        ];
        for s in samples {
            let mut ours = Vec::new();
            put_cleaned(&mut ours, s);
            let cleaned = quick_junit::XmlString::new(s);
            let theirs = quick_xml::escape::escape(cleaned.as_str());
            assert_eq!(String::from_utf8(ours).unwrap(), theirs, "{s:?}");
        }
    }

    /// A corpus's suites repeat the same skipped and silently passed cases: the spool holds
    /// each once, so it is a small part of the report (it was all of it, through a temporary
    /// file past 4 MB), and the report reads the same whether the inputs share one list of
    /// outcomes (as the engine gives them: each suite's cases known from the first) or not.
    #[test]
    fn the_spool_of_a_corpus_is_a_small_part_of_its_report() {
        let reason = "applies to msk-request; the input was read as registration-response";
        let mut rules: Vec<RuleOutcome> = (0..46)
            .map(|n| RuleOutcome::not_applicable(format!("R-{n}"), reason.into()))
            .collect();
        rules.extend((46..70).map(|n| RuleOutcome::new(format!("R-{n}"), Outcome::Pass)));
        let shared = std::sync::Arc::new(rules);
        let results: Vec<CheckResult> = (0..2000)
            .map(|n| {
                let input = format!("corpus/r{n:05}.xml");
                let mut r = CheckResult::error(&input, "registration-response", String::new());
                r.verdict = Verdict::Conformant;
                r.error = None;
                r.rules = shared.clone();
                r
            })
            .collect();
        let run = RunInfo::default();
        let mut emitter = JunitEmitter::new(&run);
        let mut out = Vec::new();
        for r in &results {
            emitter.result(&mut out, r).unwrap();
        }
        let spooled = emitter
            .suites
            .in_memory()
            .expect("the spool stays in memory");
        emitter.finish(&mut out).unwrap();
        assert!(out.len() > 2000 * 9000, "{} octets", out.len());
        assert!(
            spooled * 20 < out.len(),
            "{spooled} octets spooled of {}",
            out.len()
        );
        let own_lists: Vec<CheckResult> = results
            .into_iter()
            .map(|mut r| {
                r.rules = std::sync::Arc::new((*r.rules).clone());
                r
            })
            .collect();
        assert!(out == render(&own_lists).into_bytes());
    }

    #[test]
    fn a_hostile_name_and_reason_read_as_quick_junit_writes_them() {
        // The report as quick-junit's own writer gives it, for an input whose name and
        // reason carry escape sequences, controls and markup (the name with its controls
        // escaped first, as in every report: `escaped_result`).
        use quick_junit::{Report, TestCase, TestCaseStatus, TestSuite};
        let raw_input = "in/\x1b]0;title\x07<a>&\u{85}'\"\t.xml";
        let escaped = crate::render::escape_controls(raw_input).into_owned();
        let input = escaped.as_str();
        let reason = "no <MSK>\x1b[2J here\r\nat all";
        let mut r = CheckResult::error(raw_input, "k", String::new());
        r.verdict = Verdict::Conformant;
        r.rules = std::sync::Arc::new(vec![RuleOutcome::not_applicable("R-1", reason.into())]);
        let mut status = TestCaseStatus::skipped();
        status.set_message(reason);
        let mut case = TestCase::new("R-1", status);
        case.set_classname(format!("{input} (k)"));
        let mut suite = TestSuite::new(input);
        suite.add_test_case(case);
        let mut report = Report::new("mikeyconf");
        report.add_test_suite(suite);
        // quick-junit counts skipped cases as `disabled`, which the Jenkins schema does not
        // have on a testsuite; this report says `skipped` in its place.
        let expected = report
            .to_string()
            .unwrap()
            .replace(" disabled=\"", " skipped=\"");
        assert_eq!(render(&[r]), expected);
    }
}

//! The HTML report written as results arrive. Its summary and matrix come before the
//! findings, so each input's findings section is spooled as it arrives and only a summary of
//! the input kept (its verdict, rule outcomes, and the first finding and count per rule) for
//! the matrix, with the run's counts and the rules named.

use super::{findings, input_classes, page, run_summary};
use crate::finding::{CheckResult, FindingVerdict, RuleOutcome, Skipped, Verdict};
use crate::render::emitter::{Emitter, Spool, Tally};
use crate::render::RunInfo;
use crate::rules::RuleSet;
use std::collections::{BTreeMap, BTreeSet};
use std::io::{self, Write};
use std::sync::Arc;

/// One input as the summary and the matrix need it: no findings, no source.
pub(super) struct Row {
    pub input: String,
    pub kind: String,
    pub verdict: Verdict,
    pub error: Option<String>,
    /// The CSS classes of the input's row, for the filters.
    pub classes: String,
    pub rules: Arc<Vec<RuleOutcome>>,
    /// For each rule with findings: the index of its first finding, and how many it has.
    pub findings: BTreeMap<String, (usize, usize)>,
}

impl Row {
    fn of(r: &CheckResult) -> Self {
        let mut findings: BTreeMap<String, (usize, usize)> = BTreeMap::new();
        for (j, f) in r.findings.iter().enumerate() {
            findings.entry(f.rule.clone()).or_insert((j, 0)).1 += 1;
        }
        Row {
            input: r.input.clone(),
            kind: r.kind.clone(),
            verdict: r.verdict,
            error: r.error.clone(),
            classes: input_classes(r),
            rules: r.rules.clone(),
            findings,
        }
    }
}

/// The run's counts for the summary: inputs by verdict, findings by verdict, rule outcomes.
#[derive(Default)]
pub(super) struct Counts {
    pub inputs: Tally,
    pub fail: usize,
    pub warn: usize,
    pub info: usize,
    pub applied: usize,
    pub not_applicable: usize,
}

/// Everything the page needs of the results seen so far.
#[derive(Default)]
pub(super) struct Collected {
    pub rows: Vec<Row>,
    pub counts: Counts,
    /// The rules any result names, for the rules section.
    pub named: BTreeSet<String>,
    /// The inputs' findings sections, in input order.
    pub inputs: Spool,
}

impl Collected {
    pub fn add(&mut self, r: &CheckResult, rules: &RuleSet) -> io::Result<()> {
        let i = self.rows.len();
        self.inputs
            .write_all(findings::input(i, r, rules).as_bytes())?;
        let c = &mut self.counts;
        c.inputs.add(r);
        for f in &r.findings {
            match f.verdict {
                FindingVerdict::Fail => c.fail += 1,
                FindingVerdict::Warn => c.warn += 1,
                FindingVerdict::Info => c.info += 1,
            }
        }
        let applied = r.rules.iter().filter(|o| o.applied()).count();
        c.applied += applied;
        c.not_applicable += r.rules.len() - applied;
        let named = r
            .rules
            .iter()
            .map(|o| &o.rule)
            .chain(r.findings.iter().map(|f| &f.rule));
        for id in named {
            if !self.named.contains(id) {
                self.named.insert(id.clone());
            }
        }
        self.rows.push(Row::of(r));
        Ok(())
    }
}

/// The report of `check --format html`.
pub struct HtmlEmitter<'a> {
    rules: &'a RuleSet,
    skipped: &'a [Skipped],
    run: &'a RunInfo,
    seen: Collected,
}

impl<'a> HtmlEmitter<'a> {
    pub fn new(rules: &'a RuleSet, skipped: &'a [Skipped], run: &'a RunInfo) -> Self {
        HtmlEmitter {
            rules,
            skipped,
            run,
            seen: Collected::default(),
        }
    }
}

impl Emitter for HtmlEmitter<'_> {
    fn start(&mut self, _out: &mut dyn Write) -> io::Result<()> {
        Ok(())
    }

    fn result(&mut self, _out: &mut dyn Write, r: &CheckResult) -> io::Result<()> {
        self.seen.add(&crate::render::escaped_result(r), self.rules)
    }

    fn finish(&mut self, out: &mut dyn Write) -> io::Result<()> {
        let summary = run_summary(&self.seen.counts, self.skipped, self.run);
        let title = "mikeyconf conformance report";
        page(out, title, &summary, &mut self.seen, self.rules, None)
    }
}

//! Metamorphic tests (issue 19, design change 4): what a message says decides its verdict,
//! never the way it came into the tool or how it is spelled. Over every vector:
//!
//! - *carrier*: a MIKEY message, an XML payload or an FDT wrapped in every carrier the tool
//!   reads for its kind (`carrier.rs`) gets the content-level rule outcomes it gets alone;
//! - *spelling*: a vector rewritten into forms that mean the same (`spelling/`) gets the
//!   same outcome for every rule;
//! - *mutation*: a vector that fails rules still fails exactly those rules in every spelling.
//!
//! Outcomes are compared without positions (`outcome.rs`). A difference a rule cannot avoid
//! is listed with its reason in `tests/metamorphic-exclusions.yaml`; an entry that excuses
//! nothing in a full run fails the test. The run prints how many variants it generated and
//! compared.

mod capture;
mod carrier;
mod exclusions;
mod outcome;
mod selftest;
mod spelling;
mod subject;
mod wire;

use exclusions::Exclusions;
use libtest_mimic::{Arguments, Failed, Trial};
use outcome::{compare, Outcome, RuleDiff};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};
use subject::Subject;

/// How many variants were generated and compared, per relation.
#[derive(Default)]
struct Counts {
    carrier: AtomicUsize,
    spelling: AtomicUsize,
    mutation: AtomicUsize,
    excused: AtomicUsize,
    /// Vectors with no spelling: not well-formed XML, a DOCTYPE, no field a spelling
    /// changes.
    unspelled: AtomicUsize,
}

struct Shared {
    exclusions: Exclusions,
    counts: Counts,
}

fn main() {
    let args = Arguments::from_args();
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let shared = Arc::new(Shared {
        exclusions: Exclusions::load(&manifest.join("tests/metamorphic-exclusions.yaml"))
            .expect("the exclusions file reads"),
        counts: Counts::default(),
    });
    let settings =
        mikeyconf::internals::settings::Settings::load(None, &[]).expect("default settings");
    let tables = mikeyconf::internals::suite::builtin_tables();
    let mut trials = selftest::trials();
    for v in mikeyconf::internals::suite::discover(&manifest.join("vectors")) {
        let name = v.name.clone();
        let relations = subject::relations(&v.input);
        let load = Arc::new(Loader {
            vector: v,
            settings: settings.clone(),
            tables: tables.clone(),
            subject: OnceLock::new(),
        });
        let spellings = Arc::new(OnceLock::new());
        for &relation in relations {
            let (load, shared, spellings) = (load.clone(), shared.clone(), spellings.clone());
            trials.push(Trial::test(format!("{relation}::{name}"), move || {
                let s = load.get()?;
                match relation {
                    "carrier" => carrier_relation(s, &shared),
                    "spelling" => spelling_relation(s, &shared, &spellings),
                    _ => mutation_relation(s, &shared, &spellings),
                }
            }));
        }
    }
    let full_run = args.filter.is_none() && args.skip.is_empty() && !args.list;
    let conclusion = libtest_mimic::run(&args, trials);
    let c = &shared.counts;
    if !args.list {
        println!(
            "metamorphic: {} carrier variants, {} spelling variants ({} vectors have none), {} mutation checks compared; {} differences excused by {} listed exclusions",
            c.carrier.load(Ordering::Relaxed),
            c.spelling.load(Ordering::Relaxed),
            c.unspelled.load(Ordering::Relaxed),
            c.mutation.load(Ordering::Relaxed),
            c.excused.load(Ordering::Relaxed),
            shared.exclusions.len(),
        );
    }
    let stale = shared.exclusions.stale();
    if full_run && !conclusion.has_failed() && !stale.is_empty() {
        eprintln!(
            "tests/metamorphic-exclusions.yaml: entries that excuse nothing now (remove them):"
        );
        for e in stale {
            eprintln!("  {e}");
        }
        std::process::exit(101);
    }
    conclusion.exit();
}

/// A vector's subject, loaded by the first of its trials that runs.
struct Loader {
    vector: mikeyconf::internals::suite::Vector,
    settings: mikeyconf::internals::settings::Settings,
    tables: Vec<(String, String)>,
    subject: OnceLock<Result<Subject, String>>,
}

impl Loader {
    fn get(&self) -> Result<&Subject, Failed> {
        self.subject
            .get_or_init(|| Subject::load(self.vector.clone(), &self.settings, &self.tables))
            .as_ref()
            .map_err(|e| Failed::from(e.as_str()))
    }
}

/// The differences no exclusion excuses, as one failure message line each.
fn unexcused(
    shared: &Shared,
    relation: &str,
    variant: &str,
    vector: &str,
    diffs: Vec<RuleDiff>,
) -> Vec<String> {
    diffs
        .into_iter()
        .filter(|d| {
            let excused = shared
                .exclusions
                .excuse(relation, variant, vector, &d.rule)
                .is_some();
            if excused {
                shared.counts.excused.fetch_add(1, Ordering::Relaxed);
            }
            !excused
        })
        .map(|d| {
            format!(
                "{relation} {variant}: {}: alone {}, here {}",
                d.rule, d.want, d.got
            )
        })
        .collect()
}

/// With `METAMORPHIC_DUMP=DIR`, each variant is written to DIR (to run it by hand).
fn dump(s: &Subject, relation: &str, variant: &str, bytes: &[u8]) {
    if let Some(dir) = std::env::var_os("METAMORPHIC_DUMP") {
        let name = format!("{}.{relation}.{variant}", s.name().replace("::", "."));
        let _ = std::fs::create_dir_all(&dir);
        let _ = std::fs::write(Path::new(&dir).join(name), bytes);
    }
}

fn verdict(problems: Vec<String>) -> Result<(), Failed> {
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n").into())
    }
}

fn carrier_relation(s: &Subject, shared: &Shared) -> Result<(), Failed> {
    let content = s.content_rules();
    let mut problems = Vec::new();
    let mut baselines = std::collections::HashMap::new();
    for v in carrier::variants(s) {
        let want = baselines
            .entry(carrier::baseline_key(&v))
            .or_insert_with(|| carrier::baseline(s, &v));
        let got = carrier::judge(s, &v)?;
        dump(s, "carrier", v.name, &v.bytes);
        shared.counts.carrier.fetch_add(1, Ordering::Relaxed);
        // A file and standard input carry nothing else: every rule, not only the content's.
        let whole = matches!(v.how, carrier::How::File | carrier::How::Stdin);
        let rules = (!whole).then_some(&content);
        let diffs = compare(want, &got, rules);
        problems.extend(unexcused(shared, "carrier", v.name, s.name(), diffs));
    }
    verdict(problems)
}

/// Each spelling of a vector, judged: its name, the outcome it must have when that is not
/// the vector's own, and its outcome.
type Spelled = Vec<(&'static str, Option<Outcome>, Outcome)>;

fn spelled<'c>(s: &Subject, cell: &'c OnceLock<Spelled>) -> &'c Spelled {
    cell.get_or_init(|| {
        let as_kind = s.side.as_kind.as_deref();
        spelling::variants(s)
            .into_iter()
            .map(|v| {
                dump(s, "spelling", v.name, &v.bytes);
                let got = Outcome::of(&s.check(&v.bytes, as_kind));
                let want = v.like.as_ref().map(|b| Outcome::of(&s.check(b, as_kind)));
                (v.name, want, got)
            })
            .collect()
    })
}

fn spelling_relation(s: &Subject, shared: &Shared, cell: &OnceLock<Spelled>) -> Result<(), Failed> {
    let own = Outcome::of(&s.own());
    let mut problems = Vec::new();
    let all = spelled(s, cell);
    if all.is_empty() {
        shared.counts.unspelled.fetch_add(1, Ordering::Relaxed);
    }
    for (name, like, got) in all {
        shared.counts.spelling.fetch_add(1, Ordering::Relaxed);
        let diffs = compare(like.as_ref().unwrap_or(&own), got, None);
        problems.extend(unexcused(shared, "spelling", name, s.name(), diffs));
    }
    verdict(problems)
}

fn mutation_relation(s: &Subject, shared: &Shared, cell: &OnceLock<Spelled>) -> Result<(), Failed> {
    let own = Outcome::of(&s.own());
    let mut problems = Vec::new();
    for (name, like, got) in spelled(s, cell) {
        let want = like.as_ref().unwrap_or(&own).failing();
        if want.is_empty() {
            continue;
        }
        shared.counts.mutation.fetch_add(1, Ordering::Relaxed);
        let have = got.failing();
        let diffs: Vec<RuleDiff> = want
            .symmetric_difference(&have)
            .map(|rule| RuleDiff {
                rule: rule.clone(),
                want: if want.contains(rule) {
                    "fail"
                } else {
                    "no fail"
                }
                .into(),
                got: if have.contains(rule) {
                    "fail"
                } else {
                    "no fail"
                }
                .into(),
            })
            .collect();
        problems.extend(unexcused(shared, "mutation", name, s.name(), diffs));
    }
    verdict(problems)
}

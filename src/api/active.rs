//! Active testing (issue 25) through the facade: [`Engine::probe`] plays the terminal against
//! a live BSM, case by numbered case, each exchange judged as [`Engine::check_path`] judges a
//! `.http` file; [`ReferenceBsm`] is the reference BSM with faults (`mikeyconf serve`). Their
//! options are the command line's (`clap::Args`), also built by hand.

use super::{Engine, Error, Report};

pub use crate::active::probe::ProbeArgs as ProbeOptions;
pub use crate::active::serve::ServeArgs as ServeOptions;

/// What a probe run found: each case chosen, in case order, then the recorded session's
/// report.
///
/// # Examples
///
/// ```no_run
/// use clap::Parser;
/// #[derive(Parser)]
/// struct Cli {
///     #[command(flatten)]
///     probe: mikeyconf::ProbeOptions,
/// }
/// let cli = Cli::parse_from(["probe", "http://127.0.0.1:8080/keymanagement", "--user", "tid", "--password", "bXJr"]);
/// let engine = mikeyconf::Engine::builder().profile_yaml("bsm", "role: bsm\n").build()?;
/// let run = engine.probe(&cli.probe, &[], &[])?;
/// for case in &run.cases {
///     match &case.outcome {
///         Ok(report) => println!("{} {}: {:?}", case.id, case.name, report.verdict()),
///         Err(why) => println!("{} {}: not applicable: {why}", case.id, case.name),
///     }
/// }
/// # Ok::<(), mikeyconf::Error>(())
/// ```
#[derive(Debug)]
#[non_exhaustive]
pub struct ProbeRun {
    /// The cases run or not, in case order.
    pub cases: Vec<ProbeCase>,
    /// The whole recorded session judged as a session trace, when any exchange was made.
    pub session: Option<Report>,
}

/// One case of a probe run: its id (`P01`), its name, and its report, or why it was not run
/// (what the BSM or the options lack for it).
///
/// # Examples
///
/// ```
/// let listed = mikeyconf::ProbeCase::list();
/// assert!(listed.starts_with("P01"));
/// ```
#[derive(Debug)]
#[non_exhaustive]
pub struct ProbeCase {
    /// The case's id, `P01`…
    pub id: String,
    /// Its short name (`register-udp-only`).
    pub name: String,
    /// Its report, or why it was not applicable.
    pub outcome: Result<Report, String>,
}

impl ProbeCase {
    /// Every case, one line each: id, name, clause and requirements (`probe --list`).
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(mikeyconf::ProbeCase::list().lines().count() >= 10);
    /// ```
    pub fn list() -> String {
        crate::active::probe::list()
    }

    /// Whether `select` and `ignore` (case patterns) leave no case to run.
    ///
    /// # Examples
    ///
    /// ```
    /// use mikeyconf::ProbeCase;
    /// assert!(ProbeCase::is_none_selected(&["P99".into()], &[]));
    /// assert!(!ProbeCase::is_none_selected(&[], &["P01".into()]));
    /// ```
    pub fn is_none_selected(select: &[String], ignore: &[String]) -> bool {
        crate::active::probe::selected(select, ignore).is_empty()
    }

    /// Whether a `--select`/`--ignore` pattern names cases (`P07`, `P1`) rather than rules.
    ///
    /// # Examples
    ///
    /// ```
    /// use mikeyconf::ProbeCase;
    /// assert!(ProbeCase::is_pattern("P07") && ProbeCase::is_pattern("p1"));
    /// assert!(!ProbeCase::is_pattern("HTTP-AUTH-03"));
    /// ```
    pub fn is_pattern(pattern: &str) -> bool {
        crate::active::probe::cases::is_case_pattern(pattern)
    }
}

impl Engine {
    /// Plays the terminal against the BSM `options.url` names: the cases `select` names
    /// (all when empty; patterns as [`ProbeCase::is_pattern`] takes them) but those `ignore`
    /// names, then the recorded session. An error when no case is left or the probe cannot
    /// start (no URL, no UDP port, a CA file that cannot be read).
    ///
    /// # Examples
    ///
    /// ```
    /// use clap::Parser;
    /// #[derive(Parser)]
    /// struct Cli {
    ///     #[command(flatten)]
    ///     probe: mikeyconf::ProbeOptions,
    /// }
    /// let cli = Cli::parse_from(["probe", "http://127.0.0.1:9/"]);
    /// let engine = mikeyconf::Engine::builtin()?;
    /// let none = engine.probe(&cli.probe, &["P99".to_string()], &[]).unwrap_err();
    /// assert!(none.to_string().contains("no test case"));
    /// # Ok::<(), mikeyconf::Error>(())
    /// ```
    pub fn probe(
        &self,
        options: &ProbeOptions,
        select: &[String],
        ignore: &[String],
    ) -> Result<ProbeRun, Error> {
        use crate::active::probe::{self, CaseOutcome};
        let chosen = probe::selected(select, ignore);
        if chosen.is_empty() {
            let why = "--select/--ignore leave no test case (see probe --list)";
            return Err(Error::Probe(why.to_string()));
        }
        let run = probe::run(options, self, &chosen).map_err(Error::Probe)?;
        let cases = (run.cases.into_iter())
            .map(|(case, outcome)| ProbeCase {
                id: case.id.to_string(),
                name: case.name.to_string(),
                outcome: match outcome {
                    CaseOutcome::Judged(r) => Ok(Report::new(r)),
                    CaseOutcome::NotApplicable(why) => Err(why),
                },
            })
            .collect();
        Ok(ProbeRun {
            cases,
            session: run.session.map(Report::new),
        })
    }
}

/// The reference BSM (`mikeyconf serve`): the BSM side of the CRs over HTTP with Digest
/// authentication and UDP pushes, configured by a YAML of services, MSKs and terminals, with
/// at most one fault staged.
///
/// # Examples
///
/// ```
/// assert!(mikeyconf::ReferenceBsm::faults().contains("ltkm-beside-403"));
/// ```
#[derive(Debug)]
pub struct ReferenceBsm;

impl ReferenceBsm {
    /// Every fault it can stage, one line each with what it breaks (`serve --list-faults`).
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(!mikeyconf::ReferenceBsm::faults().is_empty());
    /// ```
    pub fn faults() -> String {
        crate::active::serve::list_faults()
    }

    /// Serves until the process ends; an error when it cannot start (its configuration or
    /// keyring, its ports).
    ///
    /// # Examples
    ///
    /// ```
    /// use clap::Parser;
    /// #[derive(Parser)]
    /// struct Cli {
    ///     #[command(flatten)]
    ///     serve: mikeyconf::ServeOptions,
    /// }
    /// let cli = Cli::parse_from(["serve", "--config", "no/such/bsm.yaml", "--keys", "no/such/keys.yaml"]);
    /// assert!(mikeyconf::ReferenceBsm::serve(&cli.serve).is_err());
    /// ```
    pub fn serve(options: &ServeOptions) -> Result<(), Error> {
        crate::active::serve::run(options).map_err(Error::Serve)
    }
}

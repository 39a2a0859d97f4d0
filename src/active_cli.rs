//! `mikeyconf serve` and `mikeyconf probe` on the command line (issue 25): the options and
//! the reporting; the work is the library's ([`mikeyconf::Engine::probe`],
//! [`mikeyconf::ReferenceBsm`]). The probe's results go through the same report writers as
//! `check`'s, its not-applicable cases as skipped inputs with the reason, and its exit code
//! is `check`'s (0 conformant, 1 a failure, 2 not checked).

use super::check_cli::Reporting;
use super::{check_format, engine_builder, load_config, Common, OutputArgs};
use mikeyconf::{ProbeCase, ProbeOptions, ReportOptions, Skipped, SummaryLine};

/// The profile a probe run judges with when none is given: the implementation under test is
/// a BSM supporting the mandatory UDP delivery, so the probe's own requests (a terminal's)
/// are the stimulus, not judged.
const DEFAULT_PROFILE: &str = "role: bsm\nsupports:\n  ltkm_delivery: [udp]\n";

/// The file a recording writes the profile it was judged with into.
pub const RECORDED_PROFILE: &str = "probe-profile.yml";

pub fn probe(
    args: ProbeOptions,
    format: Option<String>,
    strict: bool,
    output: &OutputArgs,
    mut common: Common,
) -> Result<i32, String> {
    if args.list {
        use std::io::Write as _;
        if let Err(e) = std::io::stdout()
            .lock()
            .write_all(ProbeCase::list().as_bytes())
        {
            super::output_failed(&e);
        }
        return Ok(0);
    }
    // `P…` patterns select cases; the others, rules.
    let split = |v: &mut Vec<String>| {
        let all: Vec<String> = v
            .iter()
            .flat_map(|s| s.split(',').map(str::trim).map(String::from))
            .filter(|s| !s.is_empty())
            .collect();
        let (c, r): (Vec<String>, Vec<String>) =
            all.into_iter().partition(|p| ProbeCase::is_pattern(p));
        *v = r;
        c
    };
    let select_cases = split(&mut common.config.select);
    let ignore_cases = split(&mut common.config.ignore);
    let mut config = load_config(&common)?;
    let profile_text = match config.profile_role() {
        Some(role) if role != "bsm" => {
            return Err(format!(
                "the probe judges a BSM, but the profile declares role {role}"
            ))
        }
        Some(_) => None,
        None => {
            (config.set_profile_yaml("probe default (role bsm)", DEFAULT_PROFILE))
                .map_err(|e| e.to_string())?;
            Some(DEFAULT_PROFILE)
        }
    };
    let mut builder = engine_builder(&common, &config, strict);
    // The probe's own credentials verify its digests (HTTP-AUTH-05 judges the BSM's answer to
    // the wrong ones of case P11); a `digest_credentials` setting for the user wins.
    if let (Some(user), Some(password)) = (&args.user, &args.password) {
        builder = builder.digest_credential(user, password);
    }
    let engine = builder.build().map_err(|e| e.to_string())?;
    let format = check_format(format, &config)?;
    if ProbeCase::is_none_selected(&select_cases, &ignore_cases) {
        return Err("--select/--ignore leave no test case (see probe --list)".to_string());
    }
    if let (Some(dir), Some(text)) = (&args.record, profile_text) {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        let path = dir.join(RECORDED_PROFILE);
        std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    let run = (engine.probe(&args, &select_cases, &ignore_cases)).map_err(|e| e.to_string())?;
    let mut options = ReportOptions::default();
    options.colour = output.colour();
    options.quiet = output.quiet;
    options.summary = SummaryLine::Always;
    let mut reports = Vec::new();
    for case in run.cases {
        match case.outcome {
            Ok(report) => reports.push(report),
            Err(why) => {
                if !output.quiet {
                    eprintln!("{}-{}: not applicable: {why}", case.id, case.name);
                }
                options.skipped.push(Skipped {
                    path: format!("{}-{}", case.id, case.name),
                    reason: format!("not applicable: {why}"),
                })
            }
        }
    }
    reports.extend(run.session);
    let mut report = Reporting::start(engine.report_writer(format, &options));
    reports.iter().for_each(|r| report.result(r));
    Ok(report.finish())
}

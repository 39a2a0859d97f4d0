//! `mikeyconf serve` and `mikeyconf probe` on the command line (issue 25): the options and
//! the reporting; the work is the library's `mikeyconf::active`. The probe's results go
//! through the same emitters as `check`'s, its not-applicable cases as skipped inputs with
//! the reason, and its exit code is `check`'s (0 conformant, 1 a failure, 2 not checked).

use super::{check_format, engine_for, report_context, spec_rule_metas, Common, Reporting};
use mikeyconf::internals::active::probe::{self, cases, CaseOutcome, ProbeArgs};
use mikeyconf::internals::finding::Skipped;
use mikeyconf::internals::render;
use mikeyconf::internals::render::text::RunSummary;

/// The profile a probe run judges with when none is given: the implementation under test is
/// a BSM supporting the mandatory UDP delivery, so the probe's own requests (a terminal's)
/// are the stimulus, not judged.
const DEFAULT_PROFILE: &str = "role: bsm\nsupports:\n  ltkm_delivery: [udp]\n";

/// The file a recording writes the profile it was judged with into.
pub const RECORDED_PROFILE: &str = "probe-profile.yml";

pub fn probe(
    args: ProbeArgs,
    format: Option<String>,
    strict: bool,
    output: &mikeyconf::internals::config::OutputArgs,
    mut common: Common,
) -> Result<i32, String> {
    if args.list {
        use std::io::Write as _;
        if let Err(e) = std::io::stdout().lock().write_all(probe::list().as_bytes()) {
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
            all.into_iter().partition(|p| cases::is_case_pattern(p));
        *v = r;
        c
    };
    let select_cases = split(&mut common.config.select);
    let ignore_cases = split(&mut common.config.ignore);
    let mut resolved = mikeyconf::internals::config::resolve(&common.config)?;
    let profile_text = match &resolved.profile {
        Some(p) if p.role != "bsm" => {
            return Err(format!(
                "the probe judges a BSM, but the profile declares role {}",
                p.role
            ))
        }
        Some(_) => None,
        None => {
            let p = mikeyconf::internals::profile::Profile::parse(
                "probe default (role bsm)",
                DEFAULT_PROFILE,
            )?;
            resolved.profile = Some(p);
            Some(DEFAULT_PROFILE)
        }
    };
    let mut engine = engine_for(&common, &resolved, strict)?;
    // The probe's own credentials verify its digests (HTTP-AUTH-05 judges the BSM's answer to
    // the wrong ones of case P11); a `digest_credentials` setting for the user wins.
    if let (Some(user), Some(password)) = (&args.user, &args.password) {
        let creds = &mut engine.settings.digest_credentials;
        if !creds.iter().any(|c| &c.username == user) {
            creds.push(mikeyconf::internals::settings::DigestCredential {
                username: user.clone(),
                password: password.clone(),
            });
        }
    }
    let format = check_format(format, &resolved)?;
    let run_info = resolved.run_info();
    let engine = mikeyconf::Engine::from_internal(engine);
    let chosen = probe::selected(&select_cases, &ignore_cases);
    if chosen.is_empty() {
        return Err("--select/--ignore leave no test case (see probe --list)".to_string());
    }
    if let (Some(dir), Some(text)) = (&args.record, profile_text) {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        let path = dir.join(RECORDED_PROFILE);
        std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    let run = probe::run(&args, &engine, &chosen)?;
    let outcomes = run.cases;
    let mut skipped = Vec::new();
    let mut results = Vec::new();
    for (case, outcome) in outcomes {
        match outcome {
            CaseOutcome::Judged(r) => results.push(r),
            CaseOutcome::NotApplicable(why) => {
                if !output.quiet {
                    eprintln!("{}-{}: not applicable: {why}", case.id, case.name);
                }
                skipped.push(Skipped {
                    path: format!("{}-{}", case.id, case.name),
                    reason: format!("not applicable: {why}"),
                })
            }
        }
    }
    let rules = &engine.internal().rules;
    let text = render::text::TextOptions {
        colour: output.colour(),
        quiet: output.quiet,
    };
    let more = spec_rule_metas();
    let to = report_context(rules, &skipped, &run_info, text, RunSummary::Always, &more);
    let mut report = Reporting::start(format.emitter(&to));
    results.extend(run.session);
    results.iter().for_each(|r| report.result(r));
    Ok(report.finish())
}

//! The `mikeyconf` command line.

mod active_cli;
mod install;
mod ordered;
mod prefault;

#[global_allocator]
static ALLOCATOR: prefault::Recording = prefault::Recording;

use clap::builder::PossibleValue;
use clap::{CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};
use mikeyconf::internals::bounded;
use mikeyconf::internals::engine::Engine;
use mikeyconf::internals::finding::{CheckResult, Skipped};
use mikeyconf::internals::format;
use mikeyconf::internals::render;
use mikeyconf::internals::render::emitter::{Emitter, Tally};
use mikeyconf::internals::render::formats::{self, OutputFormat};
use mikeyconf::internals::render::text::RunSummary;
use mikeyconf::internals::rules::RuleSet;
use mikeyconf::internals::settings::Settings;
use mikeyconf::internals::suite;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// `print!` that survives a reader that has gone away (`mikeyconf check … | head`): the rest
/// of the output is dropped and the run still ends with its verdict's exit code, where
/// `print!` would panic. Other write errors are reported once ([`output_failed`]).
macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        if let Err(e) = write!(std::io::stdout().lock(), $($arg)*) {
            output_failed(&e);
        }
    }};
}

/// Set once a write to standard output failed for another reason than its reader going
/// away (a full disk, `> /dev/full`): the report is lost, so the run exits 2 whatever its
/// verdict, rather than a 0 that says all is well.
static OUTPUT_LOST: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Notes a failed write to standard output: said on stderr the first time; a closed pipe
/// (`| head`) is no failure.
fn output_failed(e: &std::io::Error) {
    use std::sync::atomic::Ordering;
    if e.kind() != std::io::ErrorKind::BrokenPipe && !OUTPUT_LOST.swap(true, Ordering::Relaxed) {
        eprintln!("mikeyconf: cannot write the output: {e}");
    }
}

/// The exit code once standard output is flushed: 2 when any of it was lost.
fn after_flush(code: u8) -> ExitCode {
    use std::io::Write as _;
    if let Err(e) = std::io::stdout().flush() {
        output_failed(&e);
    }
    if OUTPUT_LOST.load(std::sync::atomic::Ordering::Relaxed) {
        return ExitCode::from(2);
    }
    ExitCode::from(code)
}

/// `println!` as `out!`.
macro_rules! outln {
    ($($arg:tt)*) => {{
        out!($($arg)*);
        out!("\n");
    }};
}

#[derive(Parser)]
#[command(
    name = "mikeyconf",
    version,
    about = "Conformance checks for MIKEY-based key management payloads (3GPP MBMS, OMA BCAST)"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, ValueEnum)]
enum DecodeFormat {
    /// A field tree with offsets, like `tshark -V`.
    Text,
    Json,
    /// An editable YAML description (`.msg.yaml`) that `check` and the suite encode back to
    /// the same bytes. It CONTAINS KEY MATERIAL: for authoring test vectors, not for reports.
    Spec,
}

#[derive(clap::Args)]
struct Common {
    /// A YAML file of settings, merged over the defaults (see `rules/settings.yaml`).
    #[arg(long, value_name = "FILE")]
    settings: Option<PathBuf>,
    /// Override one setting, e.g. `--set bcast_children_form=unqualified`.
    #[arg(long = "set", value_name = "KEY=VALUE")]
    assignments: Vec<String>,
    /// Read the rule tables from this folder (every `*.yaml` but settings.yaml) instead of
    /// the built-in ones: for editing rules without rebuilding.
    #[arg(long, value_name = "DIR")]
    rules: Option<PathBuf>,
    /// A keyring of the tester's keys (KMS public keys, users' RSK, pre-shared keys, expected
    /// keys), for the cryptographic checks; see docs/keyring.md. Reports show fingerprints
    /// only.
    #[arg(long, value_name = "FILE")]
    keys: Option<PathBuf>,
    /// `--config`, `--no-config`, `--profile`, `--select`, `--ignore` (src/config.rs).
    #[command(flatten)]
    config: mikeyconf::internals::config::ConfigArgs,
}

/// The rule tables: the built-in ones, or those of `--rules DIR`.
fn load_rules(common: &Common, settings: &Settings) -> Result<RuleSet, String> {
    let Some(dir) = &common.rules else {
        return RuleSet::builtin(settings).map_err(|e| e.to_string());
    };
    mikeyconf::internals::rules_from_dir(dir, settings)
}

#[derive(Subcommand)]
enum Command {
    /// Check payload files (or folders of them, or `-` for stdin).
    Check {
        /// Input kind; detected from the content when omitted. The kinds are listed at run
        /// time from the settings (see `as_kind_help`).
        #[arg(long = "as", value_name = "KIND")]
        as_kind: Option<String>,
        /// Output format [default: text, or the config file's `format`].
        #[arg(long, value_parser = output_formats())]
        format: Option<String>,
        /// Provisional rules fail instead of warn.
        #[arg(long)]
        strict: bool,
        #[command(flatten)]
        output: mikeyconf::internals::config::OutputArgs,
        /// How many inputs to check at once (default: one per core). The report is the same,
        /// byte for byte, whatever the number.
        #[arg(long, value_name = "N")]
        jobs: Option<usize>,
        /// The folder the files a session trace names may lie in (default: the trace's own
        /// folder): a file outside it, by absolute path, `..` or symbolic link, is refused.
        #[arg(long, value_name = "DIR")]
        trace_root: Option<PathBuf>,
        /// Fail only on findings not in this baseline (written by `--write-baseline`): the
        /// findings it knows are left out of the report and the verdict. Inputs that could
        /// not be checked still exit 2.
        #[arg(long, value_name = "FILE", conflicts_with = "write_baseline")]
        baseline: Option<PathBuf>,
        /// Record today's findings in this baseline file (paths relative to its folder) and
        /// report as `--baseline FILE` would then: every finding known.
        #[arg(long, value_name = "FILE")]
        write_baseline: Option<PathBuf>,
        #[command(flatten)]
        common: Common,
        /// A file, `-` for stdin, or a folder (the help is the format table's:
        /// `format::paths_help`).
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<PathBuf>,
    },
    /// List the rules.
    Rules {
        #[command(flatten)]
        common: Common,
    },
    /// Print one rule with its clause text.
    Explain {
        rule: String,
        #[command(flatten)]
        common: Common,
    },
    /// Decode MIKEY messages and print them field by field with offsets, like `tshark -V`:
    /// a message (raw, hex, base64, or an SDP `a=key-mgmt:mikey` value), the datagrams of a
    /// pcap/pcapng capture, the LTKMs of an HTTP exchange (HAR, raw HTTP, `curl -v`) or of an
    /// XML payload. Key material is never printed (except by `--format spec`).
    Decode {
        #[arg(long, value_enum, default_value = "text")]
        format: DecodeFormat,
        /// Read the input as this kind instead of detecting it; a MIKEY kind (e.g. `mikey`)
        /// decodes it as one message whatever its header says.
        #[arg(long = "as", value_name = "KIND")]
        as_kind: Option<String>,
        #[command(flatten)]
        common: Common,
        #[arg(value_name = "FILE")]
        path: PathBuf,
    },
    /// Build a session trace (YAML) from captures: HAR archives and pcap/pcapng files, merged
    /// in time order. Check it with `mikeyconf check TRACE`.
    Trace {
        /// A HAR 1.2 archive (repeatable).
        #[arg(long, value_name = "FILE")]
        har: Vec<PathBuf>,
        /// A pcap or pcapng capture of the UDP MIKEY traffic (repeatable).
        #[arg(long, value_name = "FILE")]
        pcap: Vec<PathBuf>,
        /// The terminal's address, recorded as the source of each HTTP request.
        #[arg(long, value_name = "ADDR")]
        terminal: Option<String>,
        /// Resolve a NAF FQDN (as found in IDi) to an address, e.g. `bsm.example.com=203.0.113.5`.
        #[arg(long, value_name = "NAME=ADDR")]
        resolve: Vec<String>,
        /// Write the trace here (HAR paths in it are made relative to its folder).
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
        #[command(flatten)]
        common: Common,
    },
    /// Lint change requests (.txt, .md, .docx) as a spec editor would: their XML examples and
    /// schema fragments (well-formed, judged by the payload rules, UPA), URNs, quoted protocol
    /// strings, list order and table placement. Findings are placed in the document.
    Spec {
        /// Output format [default: text, or the config file's `format`].
        #[arg(long, value_parser = output_formats())]
        format: Option<String>,
        /// Provisional rules fail instead of warn.
        #[arg(long)]
        strict: bool,
        #[command(flatten)]
        common: Common,
        #[arg(required = true, value_name = "FILE")]
        paths: Vec<PathBuf>,
    },
    /// Run the bundled suite and write reports (JSON, JUnit, Markdown summary, and the HTML
    /// report index.html).
    Run {
        /// Folder of vectors.
        #[arg(long, value_name = "DIR")]
        vectors: Option<PathBuf>,
        /// Folder for the reports.
        #[arg(long, value_name = "DIR", default_value = "reports")]
        reports: PathBuf,
    },
    /// Play the terminal against a live BSM: numbered test cases (registration variants, MSK
    /// requests, deregistration, authentication), each exchange judged as `check` judges a
    /// `.http` file (README, "Testing a live BSM").
    Probe {
        #[command(flatten)]
        probe: mikeyconf::internals::active::probe::ProbeArgs,
        /// Output format [default: text, or the config file's `format`].
        #[arg(long, value_parser = output_formats())]
        format: Option<String>,
        /// Provisional rules fail instead of warn.
        #[arg(long)]
        strict: bool,
        #[command(flatten)]
        output: mikeyconf::internals::config::OutputArgs,
        #[command(flatten)]
        common: Common,
    },
    /// A reference BSM over HTTP with Digest authentication, optionally with one fault
    /// staged (`--list-faults`), for testing the probe or a terminal.
    Serve {
        #[command(flatten)]
        serve: mikeyconf::internals::active::serve::ServeArgs,
    },
    /// Print a shell completion script (README, "Installing").
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page mikeyconf(1) in roff, or with --dir write it and one page per
    /// subcommand (mikeyconf-check.1, ...) into a folder (README, "Installing").
    Man {
        /// Write every page into this folder (created when missing), e.g. ~/.local/share/man/man1.
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
    },
}

fn main() -> ExitCode {
    // The kinds' help reads the settings: only worth it when help may be shown (a check
    // of one small file starts faster without it).
    let help_asked = std::env::args_os()
        .skip(1)
        .any(|a| a == "-h" || a == "--help" || a == "help");
    let command = if help_asked {
        command_with_kind_help()
    } else {
        Cli::command()
    };
    let matches = match command.try_get_matches() {
        Ok(m) => m,
        // Help and version go to standard output, where a write can fail like any other
        // (clap's own `exit` ignores that); usage errors go to stderr as clap prints them.
        Err(e) if !e.use_stderr() => {
            if let Err(w) = e.print() {
                output_failed(&w);
            }
            return after_flush(e.exit_code() as u8);
        }
        Err(e) => e.exit(),
    };
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(e) => e.exit(),
    };
    match run(cli) {
        Ok(code) => after_flush(code as u8),
        Err(e) => {
            // An error may span lines; any other control (from a file name) is shown escaped.
            let e = e.to_string();
            let e = mikeyconf::internals::render::escape_controls_but(&e, |c| c == '\n');
            eprintln!("mikeyconf: {e}");
            ExitCode::from(2)
        }
    }
}

/// The command with `check --as`'s help listing every kind, and `check PATH`'s every ending
/// the format table takes: for `--help` and the man pages.
fn command_with_kind_help() -> clap::Command {
    let (short, long) = as_kind_help();
    let paths = format::paths_help();
    Cli::command().mut_subcommand("check", |c| {
        c.mut_arg("as_kind", |a| a.help(short).long_help(long))
            .mut_arg("paths", |a| a.help(paths.clone()).long_help(paths))
    })
}

/// The help of `check --as`: every kind the default settings define (payloads, MIKEY
/// profiles, captures), from the settings themselves. Short form: the names; long form: one
/// line each with what it is.
fn as_kind_help() -> (String, String) {
    let intro = "Input kind; detected from the content when omitted";
    let Ok(settings) = Settings::load(None, &[]) else {
        return (intro.to_string(), intro.to_string());
    };
    let mut kinds: Vec<(String, String)> = settings
        .kinds
        .iter()
        .map(|k| {
            let what = format!("XML, root {} ({})", k.root, k.defined_in);
            (k.name.clone(), what)
        })
        .collect();
    for k in settings.mikey_kinds.iter().chain(&settings.capture_kinds) {
        kinds.push((k.name.clone(), k.description.clone()));
    }
    let names: Vec<&str> = kinds.iter().map(|(n, _)| n.as_str()).collect();
    let short = format!("{intro}. One of: {}", names.join(", "));
    let width = names.iter().map(|n| n.len()).max().unwrap_or(0);
    let mut long = format!("{intro}. KIND is one of (and any kind a --settings file adds):");
    for (name, what) in &kinds {
        long.push_str(&format!("\n  {name:<width$}  {what}"));
    }
    (short, long)
}

/// The settings of a command that judges nothing (`decode`, `trace`): a selection means
/// nothing to it, but a pattern naming no rule is still refused, as `check` and `spec`
/// refuse it, rather than taken without a word.
fn load_settings(common: &Common) -> Result<Settings, String> {
    let resolved = mikeyconf::internals::config::resolve(&common.config)?;
    let settings = load_settings_with(common, &resolved)?;
    if !resolved.selection.is_empty() {
        resolved.exclusions(&load_rules(common, &settings)?)?;
    }
    Ok(settings)
}

/// The settings: defaults, the config file's `[settings]`, `--settings FILE`, `--set`.
fn load_settings_with(
    common: &Common,
    resolved: &mikeyconf::internals::config::Resolved,
) -> Result<Settings, String> {
    let user = match &common.settings {
        Some(p) => Some((
            p.display().to_string(),
            bounded::read_text(p, &p.display().to_string(), bounded::CONFIG_FILE)?,
        )),
        None => None,
    };
    let layers: Vec<(&str, &str)> = resolved
        .settings_layer
        .iter()
        .chain(user.as_ref())
        .map(|(n, t)| (n.as_str(), t.as_str()))
        .collect();
    let mut settings =
        Settings::load_layers(&layers, &common.assignments).map_err(|e| e.to_string())?;
    if let Some(path) = &common.keys {
        let keys = mikeyconf::internals::keyring::load(path).map_err(|e| e.to_string())?;
        settings.keys = Some(std::sync::Arc::new(keys));
    }
    Ok(settings)
}

/// The engine of a run: settings, rules and the rules the configuration leaves out (config
/// file, `--profile`, `--select`, `--ignore`); `strict` is the command line's or the file's.
fn configured_engine(
    common: &Common,
    strict: bool,
) -> Result<(Engine, mikeyconf::internals::config::Resolved), String> {
    let resolved = mikeyconf::internals::config::resolve(&common.config)?;
    Ok((engine_for(common, &resolved, strict)?, resolved))
}

/// The engine of a resolved configuration (`configured_engine`'s, and the probe's with its
/// default profile).
fn engine_for(
    common: &Common,
    resolved: &mikeyconf::internals::config::Resolved,
    strict: bool,
) -> Result<Engine, String> {
    let settings = load_settings_with(common, resolved)?;
    let rules = load_rules(common, &settings)?;
    let excluded = resolved.exclusions(&rules)?;
    let strict = strict || resolved.strict;
    let mut engine = Engine::new(settings, rules, strict).map_err(|e| e.to_string())?;
    engine.exclude(excluded);
    engine.judge_for(resolved.profile.clone());
    Ok(engine)
}

/// `--format`'s values: the output format table's rows.
fn output_formats() -> clap::builder::PossibleValuesParser {
    let values = formats::OUTPUT_FORMATS.iter();
    clap::builder::PossibleValuesParser::new(
        values.map(|f| PossibleValue::new(f.name).help(f.help)),
    )
}

/// The output format: the command line's, else the config file's, else text.
fn check_format(
    given: Option<String>,
    resolved: &mikeyconf::internals::config::Resolved,
) -> Result<&'static OutputFormat, String> {
    let Some(name) = given.as_ref().or(resolved.format.as_ref()) else {
        return Ok(&formats::OUTPUT_FORMATS[0]);
    };
    formats::by_name(name).ok_or_else(|| {
        format!(
            "{}: format = {} is not one of {}",
            resolved.config.as_deref().unwrap_or("config"),
            mikeyconf::internals::yaml::shown_name(name, '"'),
            formats::names().collect::<Vec<_>>().join(", ")
        )
    })
}

fn run(cli: Cli) -> Result<i32, String> {
    match cli.command {
        Command::Check {
            as_kind,
            format,
            strict,
            output,
            jobs,
            trace_root,
            baseline,
            write_baseline,
            common,
            paths,
        } => {
            let (mut engine, resolved) = configured_engine(&common, strict)?;
            let mut gate = match (&baseline, &write_baseline) {
                (Some(file), _) => Some(mikeyconf::internals::baseline::Gate::read(file)?),
                (None, Some(file)) => Some(mikeyconf::internals::baseline::Gate::write_to(file)),
                (None, None) => None,
            };
            // Refused once, up front, not once per input.
            if let Some(k) = &as_kind {
                mikeyconf::internals::format::known_kind(k, &engine.settings)?;
            }
            if let Some(root) = trace_root {
                engine.widen_trace_root(root);
            }
            // One input, not a folder: the process exits after its check, and the other core
            // is free for the tree parser's page faults (a folder's inputs keep both busy).
            if let [only] = paths.as_slice() {
                if !only.is_dir() {
                    engine.leave_trees_to_exit();
                    mikeyconf::internals::xml::set_after_prescan(prefault::populate_while);
                }
            }
            let format = check_format(format, &resolved)?;
            let run = resolved.run_info();
            // Paths are checked through the library's facade, as an embedding rig checks them.
            let engine = mikeyconf::Engine::from_internal(engine);
            let how = Checking {
                engine: &engine,
                as_kind: as_kind.as_deref(),
                jobs,
                quiet: output.quiet,
            };
            let ignores = &resolved.per_file_ignores;
            let code = check_command(&how, &paths, format, output.colour(), &run, &mut |r| {
                let r = ignores.apply(r);
                match &mut gate {
                    Some(g) => g.pass(r),
                    None => r,
                }
            })?;
            if let (Some(g), Some(file)) = (gate, &write_baseline) {
                if let Some(n) = g.finish()? {
                    if !output.quiet {
                        let n = mikeyconf::internals::render::counted(n, "finding", "findings");
                        eprintln!("wrote {n} to the baseline {}", file.display());
                    }
                }
            }
            Ok(code)
        }
        Command::Rules { common } => {
            let (engine, _) = configured_engine(&common, false)?;
            // Through the facade: the payload rules, then the spec editor's.
            for r in mikeyconf::Engine::from_internal(engine).rules() {
                let status = match r.status {
                    mikeyconf::Status::Provisional => " (provisional)",
                    _ => "",
                };
                let left_out = (r.left_out.as_ref())
                    .map(|why| format!(" (not applicable: {why})"))
                    .unwrap_or_default();
                outln!(
                    "{:<18} {:<9} {:<8} {} [{}]{}{left_out}",
                    r.id,
                    r.level.to_string(),
                    r.severity.to_string(),
                    r.title,
                    r.clause,
                    status
                );
            }
            Ok(0)
        }
        Command::Explain { rule, common } => {
            let (engine, _) = configured_engine(&common, false)?;
            let rules = &engine.rules;
            let found = rules
                .rules
                .iter()
                .find(|r| r.id.eq_ignore_ascii_case(&rule));
            let Some(r) = found else {
                let spec = mikeyconf::internals::spec::rules::all()
                    .iter()
                    .find(|r| r.id.eq_ignore_ascii_case(&rule))
                    .ok_or_else(|| format!("no rule '{rule}' (see `mikeyconf rules`)"))?;
                explain_spec_rule(spec, engine.excluded(&spec.id));
                return Ok(0);
            };
            outln!("{}: {}", r.id, r.title);
            outln!("clause:      {} ({})", r.clause, r.level);
            outln!("requirement: {}", r.requirement.join(", "));
            outln!("severity:    {}", r.severity);
            let status = match r.status {
                mikeyconf::internals::finding::Status::Confirmed => "confirmed",
                mikeyconf::internals::finding::Status::Provisional => "provisional",
            };
            outln!("status:      {status}");
            outln!("applies to:  {}", r.applies_to.join(", "));
            outln!("check:       {}", r.check.name());
            if let Some(a) = &r.assumes {
                outln!("assumes:     {}", a.trim());
            }
            if let Some(s) = &r.source {
                outln!("source:      {}", s.trim());
            }
            if let Some(why) = engine.excluded(&r.id) {
                outln!("this run:    not applicable: {why}");
            }
            outln!("\n  \"{}\"", r.clause_text.trim());
            Ok(0)
        }
        Command::Decode {
            format,
            as_kind,
            common,
            path,
        } => decode(&path, format, as_kind.as_deref(), &common),
        Command::Trace {
            har,
            pcap,
            terminal,
            resolve,
            output,
            common,
        } => build_trace(
            &har,
            &pcap,
            terminal.as_deref(),
            &resolve,
            output.as_deref(),
            &common,
        ),
        Command::Spec {
            format,
            strict,
            common,
            paths,
        } => {
            // The selection, profile and config file as `check` takes them (an unknown
            // pattern refused up front); the spec editor's rules are selected with the rest.
            let (engine, resolved) = configured_engine(&common, strict)?;
            let format = check_format(format, &resolved)?;
            let results = mikeyconf::internals::spec::check_paths(&engine, &paths);
            let run = resolved.run_info();
            let text = render::text::TextOptions::default();
            let more = spec_rule_metas();
            let to = report_context(&engine.rules, &[], &run, text, RunSummary::Always, &more);
            let mut report = Reporting::start(format.emitter(&to));
            results.iter().for_each(|r| report.result(r));
            Ok(report.finish())
        }
        Command::Run { vectors, reports } => {
            run_suite(vectors.unwrap_or_else(suite::default_vectors_dir), &reports)
        }
        Command::Probe {
            probe,
            format,
            strict,
            output,
            common,
        } => active_cli::probe(probe, format, strict, &output, common),
        Command::Serve { serve } if serve.list_faults => {
            out!("{}", mikeyconf::internals::active::serve::list_faults());
            Ok(0)
        }
        Command::Serve { serve } => mikeyconf::internals::active::serve::run(&serve).map(|()| 0),
        Command::Completions { shell } => {
            let mut buffer = Vec::new();
            install::completions(shell, Cli::command(), &mut buffer);
            out!("{}", String::from_utf8_lossy(&buffer));
            Ok(0)
        }
        Command::Man { dir: None } => {
            let mut page = Vec::new();
            install::man_page(command_with_kind_help(), &mut page).map_err(|e| e.to_string())?;
            out!("{}", String::from_utf8_lossy(&page));
            Ok(0)
        }
        Command::Man { dir: Some(dir) } => {
            let written = install::man_pages_to(command_with_kind_help(), &dir)
                .map_err(|e| format!("{}: {e}", dir.display()))?;
            for page in written {
                outln!("{}", page.display());
            }
            Ok(0)
        }
    }
}

/// `explain` of a spec-editor rule: the fields a payload rule's explanation shows, with the
/// documents it applies to and the file that checks it in place of a check kind.
fn explain_spec_rule(r: &mikeyconf::internals::spec::rules::SpecRule, excluded: Option<&str>) {
    outln!("{}: {}", r.id, r.title);
    outln!("clause:      {} ({})", r.clause, r.level);
    outln!("severity:    {}", r.severity);
    let status = match r.status {
        mikeyconf::internals::finding::Status::Confirmed => "confirmed",
        mikeyconf::internals::finding::Status::Provisional => "provisional",
    };
    outln!("status:      {status}");
    outln!("applies to:  change requests (`mikeyconf spec`)");
    outln!("checked by:  {}", r.checked_by);
    outln!("message:     {}", r.message.trim());
    if let Some(s) = &r.source {
        outln!("source:      {}", s.trim());
    }
    if let Some(why) = excluded {
        outln!("this run:    not applicable: {why}");
    }
    outln!("\n  \"{}\"", r.clause_text.trim());
}

/// A path as written into a trace at `out` (relative to its folder when possible).
fn relative_to(path: &Path, out: Option<&Path>) -> String {
    let Some(dir) = out.and_then(Path::parent) else {
        return path.display().to_string();
    };
    let (abs, base) = (std::path::absolute(path), std::path::absolute(dir));
    match (abs, base) {
        (Ok(a), Ok(b)) => a
            .strip_prefix(&b)
            .map_or(a.display().to_string(), |r| r.display().to_string()),
        _ => path.display().to_string(),
    }
}

fn build_trace(
    hars: &[PathBuf],
    pcaps: &[PathBuf],
    terminal: Option<&str>,
    resolve: &[String],
    out: Option<&Path>,
    common: &Common,
) -> Result<i32, String> {
    let settings = load_settings(common)?;
    let limit = bounded::Limit::max_bytes(settings.limits.max_bytes);
    let mut har_inputs = Vec::new();
    for h in hars {
        let bytes = bounded::read_path(h, limit).map_err(|e| format!("{}: {e}", h.display()))?;
        har_inputs.push(mikeyconf::internals::trace::build::HarInput {
            path: relative_to(h, out),
            bytes,
        });
    }
    let mut datagrams = Vec::new();
    for p in pcaps {
        let bytes = bounded::read_path(p, limit).map_err(|e| format!("{}: {e}", p.display()))?;
        datagrams.extend(
            mikeyconf::internals::pcap::read_udp(&bytes, &settings.pcap_ports)
                .map_err(|e| format!("{}: {e}", p.display()))?,
        );
    }
    let mut names = std::collections::BTreeMap::new();
    for r in resolve {
        let (n, a) = r
            .split_once('=')
            .ok_or_else(|| format!("--resolve {r}: expected NAME=ADDR"))?;
        names.insert(n.to_string(), a.to_string());
    }
    let text = mikeyconf::internals::trace::build::build(&har_inputs, &datagrams, terminal, names)?;
    match out {
        Some(o) => std::fs::write(o, text).map_err(|e| format!("{}: {e}", o.display()))?,
        None => out!("{text}"),
    }
    Ok(0)
}

use mikeyconf::internals::checks::mikey::keyed;

fn decode(
    path: &Path,
    format: DecodeFormat,
    as_kind: Option<&str>,
    common: &Common,
) -> Result<i32, String> {
    let settings = load_settings(common)?;
    let limit = bounded::Limit::max_bytes(settings.limits.max_bytes);
    let bytes = if path.as_os_str() == "-" {
        bounded::read_stdin(limit).map_err(|e| format!("-: {e}"))?
    } else {
        format::read_file(path, limit)?
    };
    let found = mikeyconf::internals::format::discover::find_messages(&settings, &bytes, as_kind)
        .map_err(|e| format!("{}: {e}", path.display()))?;
    for note in &found.notes {
        eprintln!(
            "note: {}: {}",
            render::escape_controls(&path.display().to_string()),
            render::escape_controls(note)
        );
    }
    let standalone = found.container == "mikey";
    let mut clean = true;
    let mut text = String::new();
    let mut json = Vec::new();
    if !standalone {
        text.push_str(&format!(
            "{}{}: {}, {} MIKEY message(s)\n",
            if matches!(format, DecodeFormat::Spec) {
                "# "
            } else {
                ""
            },
            path.display(),
            found.container,
            found.messages.len()
        ));
    }
    for m in &found.messages {
        let at = match (m.line, m.column) {
            (Some(l), Some(c)) => format!(" at {l}:{c}"),
            _ => String::new(),
        };
        let bytes = match &m.message {
            Ok(b) => b,
            Err(e) => {
                clean = false;
                let why = format!("not a MIKEY message: {e}");
                text.push_str(&match format {
                    DecodeFormat::Spec => format!("---\n# {}{at}: {why}\n", m.place),
                    _ => format!("\n{}{at}: {why}\n", m.place),
                });
                let mut j = serde_json::to_value(m).map_err(|e| e.to_string())?;
                j["error"] = why.into();
                json.push(j);
                continue;
            }
        };
        let decoded = mikeyconf::internals::mikey::decode(bytes);
        clean &= decoded.is_clean();
        match format {
            DecodeFormat::Text => {
                if !standalone {
                    text.push_str(&format!("\n{}{at}\n", m.place));
                }
                text.push_str(&mikeyconf::internals::mikey::render::to_text_tree(&decoded));
                if let Some(ring) = &settings.keys {
                    text.push_str(&format!("  With the keyring {}:\n", ring.source));
                    for (step, result) in keyed::describe(&decoded, &settings) {
                        text.push_str(&format!("    {step}: {result}\n"));
                    }
                }
            }
            DecodeFormat::Json => {
                let mut tree = mikeyconf::internals::mikey::render::to_json(&decoded);
                if settings.keys.is_some() {
                    let steps: Vec<serde_json::Value> = keyed::describe(&decoded, &settings)
                        .into_iter()
                        .map(|(step, result)| serde_json::json!({"step": step, "result": result}))
                        .collect();
                    tree["keyring"] = steps.into();
                }
                if standalone {
                    json.push(tree);
                } else {
                    let mut j = serde_json::to_value(m).map_err(|e| e.to_string())?;
                    j["message"] = tree;
                    json.push(j);
                }
            }
            DecodeFormat::Spec => {
                let msg = decoded.message.as_ref().ok_or_else(|| {
                    format!(
                        "{}{}{at}: the header could not be decoded",
                        path.display(),
                        if standalone {
                            String::new()
                        } else {
                            format!(" [{}]", m.place)
                        }
                    )
                })?;
                let spec =
                    serde_yaml::to_string(&mikeyconf::internals::mikey::MessageSpec::from(msg))
                        .map_err(|e| e.to_string())?;
                if !standalone {
                    text.push_str(&format!("---\n# {}{at}\n", m.place));
                }
                text.push_str(&spec);
            }
        }
    }
    match format {
        DecodeFormat::Json if standalone => outln!(
            "{}",
            serde_json::to_string_pretty(&json[0]).map_err(|e| e.to_string())?
        ),
        DecodeFormat::Json => {
            let out = serde_json::json!({
                "input": path.display().to_string(),
                "container": found.container,
                "messages": json,
            });
            outln!(
                "{}",
                serde_json::to_string_pretty(&out).map_err(|e| e.to_string())?
            )
        }
        DecodeFormat::Text | DecodeFormat::Spec => out!("{text}"),
    }
    Ok(if clean { 0 } else { 1 })
}

/// What a path given to `check` expands to.
#[derive(Default)]
struct Expansion {
    /// The files to check, sorted.
    inputs: Vec<PathBuf>,
    /// Files of a folder left out, sorted by path.
    skipped: Vec<Skipped>,
    /// Could-not-check results: folders that could not be read (they may hold inputs), or
    /// a folder in which nothing is checkable.
    errors: Vec<CheckResult>,
}

/// The inputs for a path: a file (or `-`, stdin) is itself, whatever its name. A folder is
/// walked into every subfolder, at any depth; symbolic links to folders are not followed. Of
/// its files, those whose names end in an extension of a format `check` reads (the format
/// table, `mikeyconf::internals::format`) are taken; any other is taken if its first bytes are a
/// format's by its sniff (`Engine::recognise`), and listed as skipped if not.
fn expand(engine: &Engine, path: &Path) -> Expansion {
    let mut found = Expansion::default();
    if !path.is_dir() {
        found.inputs.push(path.to_path_buf());
        return found;
    }
    let mut stack = vec![path.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let entries = match std::fs::read_dir(&dir) {
            Ok(e) => e,
            Err(e) => {
                let name = dir.display().to_string();
                let why = format!("cannot read the folder: {e}");
                found.errors.push(CheckResult::error(&name, "folder", why));
                continue;
            }
        };
        for entry in entries {
            let entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    let name = dir.display().to_string();
                    let why = format!("cannot list the folder: {e}");
                    found.errors.push(CheckResult::error(&name, "folder", why));
                    break;
                }
            };
            let p = entry.path();
            let skip = |reason: &str| Skipped {
                path: p.display().to_string(),
                reason: reason.to_string(),
            };
            let Ok(file_type) = entry.file_type() else {
                found.skipped.push(skip("cannot tell what it is"));
                continue;
            };
            if file_type.is_dir() {
                stack.push(p);
                continue;
            }
            // A symbolic link is read as what it points to, but never walked into. (A
            // regular file needs no look at its metadata: the folder listing told.)
            if !file_type.is_file() {
                let meta = match std::fs::metadata(&p) {
                    Ok(m) => m,
                    Err(e) => {
                        found.skipped.push(skip(&format!("cannot read: {e}")));
                        continue;
                    }
                };
                if meta.is_dir() {
                    found
                        .skipped
                        .push(skip("a symbolic link to a folder (not followed)"));
                    continue;
                }
                if !meta.is_file() {
                    found.skipped.push(skip("not a regular file"));
                    continue;
                }
            }
            let name = p
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            if format::by_name(&name).is_some_and(|f| f.checked) {
                found.inputs.push(p);
                continue;
            }
            match head(&p) {
                Ok(h) if engine.recognise(&h).is_some() => found.inputs.push(p),
                Ok(_) => found
                    .skipped
                    .push(skip("not recognised by its name or its content")),
                Err(e) => found.skipped.push(skip(&format!("cannot read: {e}"))),
            }
        }
    }
    found.inputs.sort();
    found.skipped.sort_by(|a, b| a.path.cmp(&b.path));
    found.errors.sort_by(|a, b| a.input.cmp(&b.input));
    if found.inputs.is_empty() && found.errors.is_empty() {
        found
            .errors
            .push(nothing_to_check(path, found.skipped.len()));
    }
    found
}

/// The first bytes of a file, as much as content recognition needs.
fn head(path: &Path) -> std::io::Result<Vec<u8>> {
    let mut buf = Vec::new();
    std::fs::File::open(path)?
        .take(mikeyconf::internals::engine::SNIFF_BYTES as u64)
        .read_to_end(&mut buf)?;
    Ok(buf)
}

/// The result for a folder in which nothing could be checked: empty, or holding only files
/// no input kind recognises.
fn nothing_to_check(folder: &Path, skipped: usize) -> CheckResult {
    let why = if skipped == 0 {
        "the folder holds no files".to_string()
    } else {
        format!(
            "no file in the folder is an input mikeyconf recognises ({} skipped)",
            skipped
        )
    };
    CheckResult::error(&folder.display().to_string(), "folder", why)
}

/// `check`: the paths expanded, their inputs checked and the report written as the results
/// come; the files skipped listed on stderr; the exit code.
fn check_command(
    how: &Checking,
    paths: &[PathBuf],
    format: &OutputFormat,
    colour: bool,
    run: &render::RunInfo,
    // What each result goes through before the report: per-file ignores, a baseline.
    filter: &mut dyn FnMut(CheckResult) -> CheckResult,
) -> Result<i32, String> {
    let quiet = how.quiet;
    let found: Vec<Expansion> = (paths.iter())
        .map(|p| expand(how.engine.internal(), p))
        .collect();
    let skipped: Vec<Skipped> = found.iter().flat_map(|f| f.skipped.clone()).collect();
    let text = render::text::TextOptions { colour, quiet };
    let more = spec_rule_metas();
    let to = report_context(
        &how.engine.internal().rules,
        &skipped,
        run,
        text,
        RunSummary::Several,
        &more,
    );
    let mut report = Reporting::start(format.emitter(&to));
    check_all(how, found, &mut |r, bar| {
        let r = filter(r);
        match bar {
            // The bar is cleared while a result is written, when both share a terminal.
            Some(bar) => bar.suspend(|| report.result(&r)),
            None => report.result(&r),
        }
    })?;
    let code = report.finish();
    // Skipped files are listed on stderr whatever the format (JSON and SARIF also carry
    // them); stdout stays the report alone. `--quiet` drops the list.
    if !skipped.is_empty() && !quiet {
        eprintln!(
            "note: {} not checked:",
            mikeyconf::internals::render::counted(skipped.len(), "file", "files")
        );
        for s in &skipped {
            eprintln!(
                "  {}: {}",
                render::escape_controls(&s.path),
                render::escape_controls(&s.reason)
            );
        }
    }
    Ok(code)
}

/// What a report is written against (`formats::Context`), with the spec editor's rules that
/// a report describing every rule describes beside the rule set's.
fn report_context<'a>(
    rules: &'a RuleSet,
    skipped: &'a [Skipped],
    run: &'a render::RunInfo,
    text: render::text::TextOptions,
    summary: RunSummary,
    more_rules: &'a [render::sarif::RuleMeta],
) -> formats::Context<'a> {
    formats::Context {
        rules,
        skipped,
        run,
        text,
        summary,
        more_rules,
    }
}

/// The rules of the spec editor, described in a report beside the rule set's.
fn spec_rule_metas() -> Vec<render::sarif::RuleMeta> {
    mikeyconf::internals::spec::rules::all()
        .iter()
        .map(|r| r.meta())
        .collect()
}

/// How a run's inputs are checked: on `jobs` threads (or one per core), a progress bar on
/// stderr when it is a terminal and there are many inputs.
struct Checking<'a> {
    engine: &'a mikeyconf::Engine,
    as_kind: Option<&'a str>,
    jobs: Option<usize>,
    quiet: bool,
}

/// How many results may wait for an earlier input per checking thread: enough to keep the
/// threads busy past a slow input, few enough that memory holds a handful of inputs' findings.
const WAITING_PER_THREAD: usize = 4;

/// Checks every input the paths expanded to, in parallel, and hands each result to `sink` as
/// soon as every earlier one was, in the order a serial run gives: each path's inputs in
/// expansion order, then the path's own errors. The results are not kept.
fn check_all(
    how: &Checking,
    found: Vec<Expansion>,
    sink: &mut dyn FnMut(CheckResult, Option<&indicatif::ProgressBar>),
) -> Result<(), String> {
    let total: usize = found.iter().map(|f| f.inputs.len()).sum();
    let progress = progress_bar(total, how.quiet);
    // One input needs no threads (a CI gate checks one small file per step): it is checked
    // on this one, with no pool started.
    let pool = if total <= 1 {
        None
    } else {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(how.jobs.unwrap_or(0))
            .build()
            .map_err(|e| format!("--jobs: {e}"))?;
        Some(pool)
    };
    let check = |input: &PathBuf| {
        let r = how.engine.check_path_named(input, how.as_kind);
        if let Some(bar) = &progress {
            bar.inc(1);
        }
        r
    };
    for f in found {
        match &pool {
            None => f
                .inputs
                .iter()
                .for_each(|i| sink(check(i), progress.as_ref())),
            Some(pool) => {
                // Each thread checks inside the pool, so a check's own parallel parts keep
                // to `--jobs` threads too.
                let threads = pool.current_num_threads();
                ordered::map_in_order(
                    &f.inputs,
                    threads,
                    threads * WAITING_PER_THREAD,
                    |input| pool.install(|| check(input)),
                    &mut |r| sink(r, progress.as_ref()),
                );
            }
        }
        f.errors
            .into_iter()
            .for_each(|r| sink(r, progress.as_ref()));
    }
    if let Some(bar) = progress {
        bar.finish_and_clear();
    }
    Ok(())
}

/// A progress bar on stderr, when it is a terminal and there are many inputs.
fn progress_bar(total: usize, quiet: bool) -> Option<indicatif::ProgressBar> {
    use std::io::IsTerminal;
    (!quiet && std::io::stderr().is_terminal() && total >= PROGRESS_FROM).then(|| {
        let bar = indicatif::ProgressBar::new(total as u64);
        bar.set_style(
            indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} inputs {elapsed}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        bar
    })
}

/// Standard output for a streamed report: buffered, and quiet once its reader has gone away
/// (`mikeyconf check … | head`): the rest of the report is dropped and the run still ends
/// with its verdict's exit code. Another write error is reported on stderr, once.
struct ReportOut {
    out: std::io::BufWriter<std::io::Stdout>,
    gone: bool,
}

impl ReportOut {
    fn new() -> Self {
        ReportOut {
            // 64 KiB: standard output is line-buffered underneath, and each write it is given
            // is searched for its last line break and written through.
            out: std::io::BufWriter::with_capacity(64 << 10, std::io::stdout()),
            gone: false,
        }
    }

    fn failed(&mut self, e: std::io::Error) {
        if !self.gone {
            output_failed(&e);
        }
        self.gone = true;
    }
}

impl std::io::Write for ReportOut {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if !self.gone {
            if let Err(e) = self.out.write_all(buf) {
                self.failed(e);
            }
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        if !self.gone {
            if let Err(e) = self.out.flush() {
                self.failed(e);
            }
        }
        Ok(())
    }
}

/// A report being written: the results go to the emitter as they come, counted for the exit
/// code; after a failure (which is reported) the rest is dropped.
struct Reporting<'a> {
    emitter: Box<dyn Emitter + 'a>,
    out: ReportOut,
    tally: Tally,
}

impl<'a> Reporting<'a> {
    fn start(emitter: Box<dyn Emitter + 'a>) -> Self {
        let mut r = Reporting {
            emitter,
            out: ReportOut::new(),
            tally: Tally::default(),
        };
        let started = r.emitter.start(&mut r.out);
        r.check(started);
        r
    }

    fn check(&mut self, written: std::io::Result<()>) {
        if let Err(e) = written {
            self.out.failed(e);
        }
    }

    fn result(&mut self, r: &CheckResult) {
        self.tally.add(r);
        if !self.out.gone {
            let written = self.emitter.result(&mut self.out, r);
            self.check(written);
        }
    }

    /// Ends the report; the run's exit code.
    fn finish(mut self) -> i32 {
        if !self.out.gone {
            let written = self.emitter.finish(&mut self.out);
            self.check(written);
        }
        let _ = std::io::Write::flush(&mut self.out);
        self.tally.exit_code()
    }
}

/// The number of inputs from which a run shows a progress bar (on a terminal only).
const PROGRESS_FROM: usize = 200;

fn run_suite(dir: PathBuf, reports: &Path) -> Result<i32, String> {
    let settings = Settings::load(None, &[]).map_err(|e| e.to_string())?;
    let tables = suite::builtin_tables();
    let rules = RuleSet::load(&tables, &settings).map_err(|e| e.to_string())?;
    let vectors = suite::discover(&dir);
    if vectors.is_empty() {
        return Err(format!("no vectors under {}", dir.display()));
    }
    let mut outcomes = Vec::new();
    for v in &vectors {
        match suite::run_vector(v, &settings, &tables) {
            Ok(o) => {
                if !o.matched {
                    eprintln!("MISMATCH {}\n{}", o.name, o.diff);
                }
                outcomes.push(o);
            }
            Err(e) => return Err(format!("vector {}: {e}", v.name)),
        }
    }
    let mut gaps = suite::coverage_gaps(&outcomes, &rules);
    let catalogue = mikeyconf::internals::requirements::builtin();
    let (requirements, unknown) = mikeyconf::internals::requirements::coverage(&catalogue, &rules);
    gaps.extend(requirements.iter().filter_map(|c| c.problem()));
    gaps.extend(
        unknown
            .iter()
            .map(|u| format!("{u}: not in the requirements catalogue")),
    );
    std::fs::create_dir_all(reports).map_err(|e| format!("{}: {e}", reports.display()))?;
    let results: Vec<CheckResult> = outcomes.iter().map(|o| o.result.clone()).collect();
    let write = |name: &str, text: String| {
        let p = reports.join(name);
        std::fs::write(&p, text).map_err(|e| format!("{}: {e}", p.display()))
    };
    write(
        "suite.json",
        serde_json::to_string_pretty(&outcomes).map_err(|e| e.to_string())? + "\n",
    )?;
    write("results.json", render::json::render(&results))?;
    // One case per vector, failing only when the vector missed its expectation: a CI's JUnit
    // publisher must go red exactly when this run's exit code does.
    let cases: Vec<render::junit_suite::VectorCase> = outcomes
        .iter()
        .map(|o| render::junit_suite::VectorCase {
            name: &o.name,
            matched: o.matched,
            diff: &o.diff,
            verdict: o.result.verdict.as_str(),
            findings: o.result.findings.len(),
        })
        .collect();
    write("junit.xml", render::junit_suite::render(&cases))?;
    write(
        "summary.md",
        render::markdown::render(&outcomes, &rules, &gaps, &requirements),
    )?;
    write(
        "index.html",
        render::html::render_suite(&outcomes, &rules, &gaps),
    )?;
    let matched = outcomes.iter().filter(|o| o.matched).count();
    outln!(
        "{matched} of {} vectors gave exactly their expected findings; {} rules, {} coverage gaps; reports in {}",
        outcomes.len(),
        rules.rules.len(),
        gaps.len(),
        reports.display()
    );
    for g in &gaps {
        outln!("  gap: {g}");
    }
    Ok(if matched == outcomes.len() && gaps.is_empty() {
        0
    } else {
        1
    })
}

//! The `mikeyconf` command line.

mod active_cli;
mod cli_args;
mod install;
mod ordered;
mod prefault;

#[global_allocator]
static ALLOCATOR: prefault::Recording = prefault::Recording;

use clap::builder::PossibleValue;
use clap::{CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};
use cli_args::{ConfigArgs, OutputArgs};
use mikeyconf::{
    Config, Engine, EngineBuilder, Format, Inputs, Report, ReportOptions, SummaryLine,
};
use std::path::PathBuf;
use std::process::ExitCode;

/// `print!` that survives a reader that has gone away (`mikeyconf check … | head`): the rest
/// of the output is dropped and the run still ends with its verdict's exit code, where
/// `print!` would panic. Other write errors are reported once ([`output_failed`]).
macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        if let Err(e) = write!(std::io::stdout().lock(), $($arg)*) {
            $crate::output_failed(&e);
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

mod check_cli;
mod decode_cli;

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
    /// `--config`, `--no-config`, `--profile`, `--select`, `--ignore` (src/cli_args.rs).
    #[command(flatten)]
    config: ConfigArgs,
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
        output: OutputArgs,
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
        probe: mikeyconf::ProbeOptions,
        /// Output format [default: text, or the config file's `format`].
        #[arg(long, value_parser = output_formats())]
        format: Option<String>,
        /// Provisional rules fail instead of warn.
        #[arg(long)]
        strict: bool,
        #[command(flatten)]
        output: OutputArgs,
        #[command(flatten)]
        common: Common,
    },
    /// A reference BSM over HTTP with Digest authentication, optionally with one fault
    /// staged (`--list-faults`), for testing the probe or a terminal.
    Serve {
        #[command(flatten)]
        serve: mikeyconf::ServeOptions,
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
            let e = mikeyconf::escape_controls_but(&e, |c| c == '\n');
            eprintln!("mikeyconf: {e}");
            ExitCode::from(2)
        }
    }
}

/// The command with `check --as`'s help listing every kind, and `check PATH`'s every ending
/// the format table takes: for `--help` and the man pages.
fn command_with_kind_help() -> clap::Command {
    let (short, long) = as_kind_help();
    let paths = Inputs::paths_help();
    Cli::command().mut_subcommand("check", |c| {
        c.mut_arg("as_kind", |a| a.help(short).long_help(long))
            .mut_arg("paths", |a| a.help(paths.clone()).long_help(paths))
    })
}

/// The help of `check --as`: every kind the default settings define (payloads, MIKEY
/// profiles, captures), from the engine itself. Short form: the names; long form: one line
/// each with what it is.
fn as_kind_help() -> (String, String) {
    let intro = "Input kind; detected from the content when omitted";
    let Ok(engine) = Engine::builtin() else {
        return (intro.to_string(), intro.to_string());
    };
    let kinds = engine.kinds_described();
    let names: Vec<&str> = kinds.iter().map(|(k, _)| k.name()).collect();
    let short = format!("{intro}. One of: {}", names.join(", "));
    let width = names.iter().map(|n| n.len()).max().unwrap_or(0);
    let mut long = format!("{intro}. KIND is one of (and any kind a --settings file adds):");
    for (kind, what) in &kinds {
        long.push_str(&format!("\n  {:<width$}  {what}", kind.name()));
    }
    (short, long)
}

/// The configuration of a run: `mikeyconf.toml` (found, given or none) with the command
/// line's profile and selection over it.
fn load_config(common: &Common) -> Result<Config, String> {
    Config::load(&common.config.options()).map_err(|e| e.to_string())
}

/// The engine of a configuration: its settings, `--settings FILE` and `--set` over them, the
/// rule tables (built-in or `--rules DIR`), the keyring, the profile and selection; `strict`
/// is the command line's or the file's.
fn engine_builder(common: &Common, config: &Config, strict: bool) -> EngineBuilder {
    let mut builder = Engine::builder().config(config).strict(strict);
    if let Some(file) = &common.settings {
        builder = builder.settings_file(file);
    }
    for assignment in &common.assignments {
        builder = builder.assignment(assignment);
    }
    if let Some(dir) = &common.rules {
        builder = builder.rules_dir(dir);
    }
    if let Some(keys) = &common.keys {
        builder = builder.keyring_file(keys);
    }
    builder
}

/// The engine of a run and its configuration.
fn configured_engine(common: &Common, strict: bool) -> Result<(Engine, Config), String> {
    let config = load_config(common)?;
    let engine = engine_builder(common, &config, strict)
        .build()
        .map_err(|e| e.to_string())?;
    Ok((engine, config))
}

/// `--format`'s values: the output format table's rows.
fn output_formats() -> clap::builder::PossibleValuesParser {
    clap::builder::PossibleValuesParser::new(
        Format::all().map(|f| PossibleValue::new(f.name()).help(f.help())),
    )
}

/// The output format: the command line's, else the config file's, else text.
fn check_format(given: Option<String>, config: &Config) -> Result<Format, String> {
    config
        .output_format(given.as_deref())
        .map_err(|e| e.to_string())
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
            let config = load_config(&common)?;
            let mut gate = match (&baseline, &write_baseline) {
                (Some(file), _) => {
                    Some(mikeyconf::Baseline::read(file).map_err(|e| e.to_string())?)
                }
                (None, Some(file)) => Some(mikeyconf::Baseline::record_to(file)),
                (None, None) => None,
            };
            let mut builder = engine_builder(&common, &config, strict);
            if let Some(root) = trace_root {
                builder = builder.trace_root(root);
            }
            // One input, not a folder: the process exits after its check, and the other core
            // is free for the tree parser's page faults (a folder's inputs keep both busy).
            if let [only] = paths.as_slice() {
                if !only.is_dir() {
                    builder = builder.leave_trees_to_exit();
                    mikeyconf::set_after_prescan(prefault::populate_while);
                }
            }
            let engine = builder.build().map_err(|e| e.to_string())?;
            // Refused once, up front, not once per input.
            let kind = match &as_kind {
                Some(k) => Some(engine.kind(k).map_err(|e| format!("--as: {e}"))?),
                None => None,
            };
            let format = check_format(format, &config)?;
            let how = check_cli::Checking {
                engine: &engine,
                kind: kind.as_ref(),
                jobs,
                quiet: output.quiet,
            };
            let code = check_cli::check_command(&how, &paths, format, output.colour(), &mut |r| {
                match &mut gate {
                    Some(g) => g.filter(r),
                    None => r,
                }
            })?;
            if let (Some(g), Some(file)) = (gate, &write_baseline) {
                if let Some(n) = g.finish().map_err(|e| e.to_string())? {
                    if !output.quiet {
                        let n = check_cli::counted(n, "finding", "findings");
                        eprintln!("wrote {n} to the baseline {}", file.display());
                    }
                }
            }
            Ok(code)
        }
        Command::Rules { common } => {
            let (engine, _) = configured_engine(&common, false)?;
            // The payload rules, then the spec editor's.
            for r in engine.rules() {
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
            let found = (engine.rules().into_iter()).find(|r| r.id.eq_ignore_ascii_case(&rule));
            let r = found.ok_or_else(|| format!("no rule '{rule}' (see `mikeyconf rules`)"))?;
            explain(&r);
            Ok(0)
        }
        Command::Decode {
            format,
            as_kind,
            common,
            path,
        } => decode_cli::decode(&path, format, as_kind.as_deref(), &common),
        Command::Trace {
            har,
            pcap,
            terminal,
            resolve,
            output,
            common,
        } => decode_cli::build_trace(
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
            let (engine, config) = configured_engine(&common, strict)?;
            let format = check_format(format, &config)?;
            let reports: Vec<Report> = paths
                .iter()
                .flat_map(|p| engine.check_document(p))
                .collect();
            let mut options = ReportOptions::default();
            options.summary = SummaryLine::Always;
            let mut report = check_cli::Reporting::start(engine.report_writer(format, &options));
            reports.iter().for_each(|r| report.result(r));
            Ok(report.finish())
        }
        Command::Run { vectors, reports } => {
            let dir = vectors.unwrap_or_else(mikeyconf::Suite::default_vectors);
            let suite = mikeyconf::Suite::run(&dir, &reports).map_err(|e| e.to_string())?;
            for (name, diff) in &suite.mismatches {
                eprintln!("MISMATCH {name}\n{diff}");
            }
            outln!(
                "{} of {} vectors gave exactly their expected findings; {} rules, {} coverage gaps; reports in {}",
                suite.matched,
                suite.vectors,
                suite.rules,
                suite.gaps.len(),
                reports.display()
            );
            for g in &suite.gaps {
                outln!("  gap: {g}");
            }
            Ok(suite.exit_code())
        }
        Command::Probe {
            probe,
            format,
            strict,
            output,
            common,
        } => active_cli::probe(probe, format, strict, &output, common),
        Command::Serve { serve } if serve.list_faults => {
            out!("{}", mikeyconf::ReferenceBsm::faults());
            Ok(0)
        }
        Command::Serve { serve } => mikeyconf::ReferenceBsm::serve(&serve)
            .map(|()| 0)
            .map_err(|e| e.to_string()),
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

/// `explain`: a rule with its clause text. A spec-editor rule shows the documents it
/// applies to and the file that checks it in place of a check kind.
fn explain(r: &mikeyconf::RuleInfo) {
    outln!("{}: {}", r.id, r.title);
    outln!("clause:      {} ({})", r.clause, r.level);
    if !r.spec_editor {
        outln!("requirement: {}", r.requirements.join(", "));
    }
    outln!("severity:    {}", r.severity);
    let status = match r.status {
        mikeyconf::Status::Confirmed => "confirmed",
        mikeyconf::Status::Provisional => "provisional",
    };
    outln!("status:      {status}");
    if r.spec_editor {
        outln!("applies to:  change requests (`mikeyconf spec`)");
        outln!("checked by:  {}", r.checked_by);
        outln!("message:     {}", r.message.as_deref().unwrap_or("").trim());
    } else {
        outln!("applies to:  {}", r.applies_to.join(", "));
        outln!("check:       {}", r.checked_by);
        if let Some(a) = &r.assumes {
            outln!("assumes:     {}", a.trim());
        }
    }
    if let Some(s) = &r.source {
        outln!("source:      {}", s.trim());
    }
    if let Some(why) = &r.left_out {
        outln!("this run:    not applicable: {why}");
    }
    outln!("\n  \"{}\"", r.clause_text.trim());
}

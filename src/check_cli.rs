//! `mikeyconf check` on the command line: the paths expanded ([`mikeyconf::Engine::inputs`]),
//! their inputs checked on `--jobs` threads and reported in input order as they come, through
//! the library's report writers, to a standard output that survives a closed pipe.

use super::{ordered, output_failed};
use mikeyconf::{
    escape_controls, Engine, Format, Inputs, Report, ReportOptions, ReportWriter, Skipped,
    SummaryLine,
};
use std::path::PathBuf;

/// `check`: the paths expanded, their inputs checked and the report written as the results
/// come; the files skipped listed on stderr; the exit code.
pub fn check_command(
    how: &Checking,
    paths: &[PathBuf],
    format: Format,
    colour: bool,
    // What each result goes through before the report: a baseline.
    filter: &mut dyn FnMut(Report) -> Report,
) -> Result<i32, String> {
    let quiet = how.quiet;
    let found: Vec<Inputs> = paths.iter().map(|p| how.engine.inputs(p)).collect();
    let skipped: Vec<Skipped> = found.iter().flat_map(|f| f.skipped.clone()).collect();
    let mut options = ReportOptions::default();
    options.colour = colour;
    options.quiet = quiet;
    options.summary = SummaryLine::WhenSeveral;
    options.skipped = skipped;
    let mut report = Reporting::start(how.engine.report_writer(format, &options));
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
    let skipped = &options.skipped;
    if !skipped.is_empty() && !quiet {
        eprintln!(
            "note: {} not checked:",
            counted(skipped.len(), "file", "files")
        );
        for s in skipped {
            eprintln!(
                "  {}: {}",
                escape_controls(&s.path),
                escape_controls(&s.reason)
            );
        }
    }
    Ok(code)
}

/// A count with its noun in agreement: `1 file`, `2 files`.
pub fn counted(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// How a run's inputs are checked: on `jobs` threads (or one per core), a progress bar on
/// stderr when it is a terminal and there are many inputs.
pub struct Checking<'a> {
    pub engine: &'a Engine,
    pub kind: Option<&'a mikeyconf::Kind>,
    pub jobs: Option<usize>,
    pub quiet: bool,
}

/// How many results may wait for an earlier input per checking thread: enough to keep the
/// threads busy past a slow input, few enough that memory holds a handful of inputs' findings.
const WAITING_PER_THREAD: usize = 4;

/// Checks every input the paths expanded to, in parallel, and hands each result to `sink` as
/// soon as every earlier one was, in the order a serial run gives: each path's inputs in
/// expansion order, then the path's own errors. The results are not kept.
fn check_all(
    how: &Checking,
    found: Vec<Inputs>,
    sink: &mut dyn FnMut(Report, Option<&indicatif::ProgressBar>),
) -> Result<(), String> {
    let total: usize = found.iter().map(|f| f.files.len()).sum();
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
        let r = match how.kind {
            Some(kind) => how.engine.check_path_as(input, kind),
            None => how.engine.check_path(input),
        };
        if let Some(bar) = &progress {
            bar.inc(1);
        }
        r
    };
    for f in found {
        match &pool {
            None => f
                .files
                .iter()
                .for_each(|i| sink(check(i), progress.as_ref())),
            Some(pool) => {
                // Each thread checks inside the pool, so a check's own parallel parts keep
                // to `--jobs` threads too.
                let threads = pool.current_num_threads();
                ordered::map_in_order(
                    &f.files,
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

/// A report being written to standard output: the results go to the writer as they come,
/// counted for the exit code; after a failure (which is reported) the rest is dropped.
pub struct Reporting<'a> {
    writer: ReportWriter<'a>,
    out: ReportOut,
}

impl<'a> Reporting<'a> {
    pub fn start(writer: ReportWriter<'a>) -> Self {
        let mut r = Reporting {
            writer,
            out: ReportOut::new(),
        };
        let started = r.writer.start(&mut r.out);
        r.check(started);
        r
    }

    fn check(&mut self, written: std::io::Result<()>) {
        if let Err(e) = written {
            self.out.failed(e);
        }
    }

    pub fn result(&mut self, r: &Report) {
        if self.out.gone {
            self.writer.count(r);
        } else {
            let written = self.writer.write(&mut self.out, r);
            self.check(written);
        }
    }

    /// Ends the report; the run's exit code.
    pub fn finish(mut self) -> i32 {
        if !self.out.gone {
            let written = self.writer.finish(&mut self.out);
            self.check(written);
        }
        let _ = std::io::Write::flush(&mut self.out);
        self.writer.exit_code()
    }
}

/// The number of inputs from which a run shows a progress bar (on a terminal only).
const PROGRESS_FROM: usize = 200;

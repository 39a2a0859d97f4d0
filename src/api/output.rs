//! Reports in the command line's output formats ([`Format`]: text, JSON, JUnit, SARIF,
//! GitHub and GitLab annotations, HTML, …), written as the inputs are judged
//! ([`ReportWriter`]): memory holds one input's findings, never the whole report's. Each
//! format is a row of the internal table (`render::formats`); this is its stable face.

use super::{Engine, Report};
use crate::render::emitter::{Emitter, Tally};
use crate::render::formats::{self, OutputFormat};
use crate::render::text::{RunSummary, TextOptions};
use std::fmt;
use std::io::{self, Write};

/// One output format of a report, by its name on the command line (`--format`).
///
/// # Examples
///
/// ```
/// use mikeyconf::Format;
/// assert_eq!(Format::default().name(), "text");
/// assert_eq!(Format::named("SARIF").map(|f| f.name()), Some("sarif"));
/// assert!(Format::all().any(|f| f.name() == "junit"));
/// assert!(Format::named("pdf").is_none());
/// ```
#[derive(Clone, Copy)]
pub struct Format {
    row: &'static OutputFormat,
}

impl Format {
    /// Every format, in the order `mikeyconf check --help` lists them; the first is the
    /// default (text).
    ///
    /// # Examples
    ///
    /// ```
    /// let names: Vec<&str> = mikeyconf::Format::all().map(|f| f.name()).collect();
    /// assert_eq!(names[..4], ["text", "json", "junit", "sarif"]);
    /// ```
    pub fn all() -> impl Iterator<Item = Format> {
        formats::OUTPUT_FORMATS.iter().map(|row| Format { row })
    }

    /// The format named `name`, ignoring case (as a config file may spell it).
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(mikeyconf::Format::named("Json").unwrap().name(), "json");
    /// ```
    pub fn named(name: &str) -> Option<Format> {
        formats::by_name(name).map(|row| Format { row })
    }

    /// Its name: the value of `--format` and of `format` in `mikeyconf.toml`.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(mikeyconf::Format::named("html").unwrap().name(), "html");
    /// ```
    pub fn name(&self) -> &'static str {
        self.row.name
    }

    /// What it is, in a line (for a command line's help).
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(mikeyconf::Format::named("sarif").unwrap().help().contains("SARIF 2.1.0"));
    /// ```
    pub fn help(&self) -> &'static str {
        self.row.help
    }
}

/// The text format.
impl Default for Format {
    fn default() -> Format {
        Format {
            row: &formats::OUTPUT_FORMATS[0],
        }
    }
}

impl fmt::Debug for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Format").field(&self.row.name).finish()
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.row.name)
    }
}

/// When the text report closes with the run's summary line (with `quiet`, always).
///
/// # Examples
///
/// ```
/// assert_eq!(mikeyconf::SummaryLine::default(), mikeyconf::SummaryLine::WhenSeveral);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum SummaryLine {
    /// Never (but under `quiet`).
    Never,
    /// When several inputs, or files skipped, make one useful (`mikeyconf check`).
    #[default]
    WhenSeveral,
    /// Always (`mikeyconf spec`, `mikeyconf probe`).
    Always,
}

/// How a report is written beyond its format: colour and quietness of the text format, its
/// summary line, and the files of a folder the run left out (listed by the text, JSON, SARIF
/// and HTML reports).
///
/// # Examples
///
/// ```
/// let mut options = mikeyconf::ReportOptions::default();
/// options.quiet = true;
/// assert!(!options.colour);
/// ```
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct ReportOptions {
    /// ANSI colours in the text report (for a terminal).
    pub colour: bool,
    /// The text report shows only failing and warning findings and one summary line.
    pub quiet: bool,
    /// When the text report ends with the run's summary line.
    pub summary: SummaryLine,
    /// Files the run left out, each with why ([`Inputs::skipped`](crate::Inputs::skipped)).
    pub skipped: Vec<crate::Skipped>,
}

/// A report being written in one [`Format`]: [`ReportWriter::start`], then each input's
/// [`Report`] in input order, then [`ReportWriter::finish`]. It counts the verdicts for the
/// run's exit code ([`ReportWriter::exit_code`]) whether or not the writes succeed.
///
/// # Examples
///
/// ```
/// use mikeyconf::{Engine, Format, ReportOptions};
///
/// let engine = Engine::builtin()?;
/// let options = ReportOptions::default();
/// let mut writer = engine.report_writer(Format::named("json").unwrap(), &options);
/// let mut out = Vec::new();
/// writer.start(&mut out)?;
/// writer.write(&mut out, &engine.check_path("vectors/xml/msk-request/mskid-3-octets.xml"))?;
/// writer.finish(&mut out)?;
/// let json: serde_json::Value = serde_json::from_slice(&out)?;
/// assert_eq!(json["results"][0]["verdict"], "non-conformant");
/// assert_eq!(writer.exit_code(), 1);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct ReportWriter<'a> {
    emitter: Box<dyn Emitter + 'a>,
    tally: Tally,
}

impl Engine {
    /// A writer of this engine's run in `format`: the report describes its rules, its
    /// profile and config file, and the spec editor's rules a report of every rule lists.
    ///
    /// # Examples
    ///
    /// ```
    /// use mikeyconf::{Engine, Format, ReportOptions};
    /// let engine = Engine::builtin()?;
    /// let options = ReportOptions::default();
    /// let mut writer = engine.report_writer(Format::default(), &options);
    /// let mut out = Vec::new();
    /// writer.start(&mut out)?;
    /// writer.write(&mut out, &engine.check_bytes("empty.xml", b"", None))?;
    /// writer.finish(&mut out)?;
    /// assert!(String::from_utf8(out)?.contains("empty.xml"));
    /// assert_eq!(writer.exit_code(), 2);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn report_writer<'a>(
        &'a self,
        format: Format,
        options: &'a ReportOptions,
    ) -> ReportWriter<'a> {
        let cx = formats::Context {
            rules: &self.inner.rules,
            skipped: &options.skipped,
            run: &self.run,
            text: TextOptions {
                colour: options.colour,
                quiet: options.quiet,
            },
            summary: match options.summary {
                SummaryLine::Never => RunSummary::Never,
                SummaryLine::WhenSeveral => RunSummary::Several,
                SummaryLine::Always => RunSummary::Always,
            },
            more_rules: self.spec_rule_metas(),
        };
        ReportWriter {
            emitter: format.row.emitter(&cx),
            tally: Tally::default(),
        }
    }
}

impl ReportWriter<'_> {
    /// Writes what comes before the first input's report.
    ///
    /// # Examples
    ///
    /// ```
    /// # use mikeyconf::{Engine, Format, ReportOptions};
    /// let engine = Engine::builtin()?;
    /// let options = ReportOptions::default();
    /// let mut writer = engine.report_writer(Format::named("junit").unwrap(), &options);
    /// let mut out = Vec::new();
    /// writer.start(&mut out)?;
    /// writer.finish(&mut out)?;
    /// assert!(String::from_utf8(out)?.starts_with("<?xml"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn start(&mut self, out: &mut dyn Write) -> io::Result<()> {
        self.emitter.start(out)
    }

    /// Writes one input's report (the next in input order) and counts its verdict.
    ///
    /// # Examples
    ///
    /// ```
    /// # use mikeyconf::{Engine, Format, ReportOptions};
    /// let engine = Engine::builtin()?;
    /// let options = ReportOptions::default();
    /// let mut writer = engine.report_writer(Format::named("concise").unwrap(), &options);
    /// let mut out = Vec::new();
    /// let report = engine.check_path("vectors/xml/msk-request/mskid-3-octets.xml");
    /// writer.write(&mut out, &report)?;
    /// assert!(String::from_utf8(out)?.contains("MBMS-KEY-03"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn write(&mut self, out: &mut dyn Write, report: &Report) -> io::Result<()> {
        self.count(report);
        self.emitter.result(out, report.check_result())
    }

    /// Counts `report`'s verdict for the exit code without writing it: for a writer whose
    /// output has gone (a closed pipe), so that the run still ends with its verdict's code.
    ///
    /// # Examples
    ///
    /// ```
    /// # use mikeyconf::{Engine, Format, ReportOptions};
    /// let engine = Engine::builtin()?;
    /// let options = ReportOptions::default();
    /// let mut writer = engine.report_writer(Format::default(), &options);
    /// writer.count(&engine.check_path("vectors/xml/msk-request/mskid-3-octets.xml"));
    /// assert_eq!(writer.exit_code(), 1);
    /// # Ok::<(), mikeyconf::Error>(())
    /// ```
    pub fn count(&mut self, report: &Report) {
        self.tally.add(report.check_result());
    }

    /// Writes what comes after the last input's report (a summary, totals, closing tags).
    ///
    /// # Examples
    ///
    /// ```
    /// # use mikeyconf::{Engine, Format, ReportOptions};
    /// let engine = Engine::builtin()?;
    /// let options = ReportOptions::default();
    /// let mut writer = engine.report_writer(Format::named("json").unwrap(), &options);
    /// let mut out = Vec::new();
    /// writer.start(&mut out)?;
    /// writer.finish(&mut out)?;
    /// let json: serde_json::Value = serde_json::from_slice(&out)?;
    /// assert_eq!(json["results"], serde_json::json!([]));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn finish(&mut self, out: &mut dyn Write) -> io::Result<()> {
        self.emitter.finish(out)
    }

    /// The run's exit code from the verdicts counted so far: 0 when every input is
    /// conformant (or there was none), 1 when one is not, 2 when one could not be checked.
    ///
    /// # Examples
    ///
    /// ```
    /// # use mikeyconf::{Engine, Format, ReportOptions};
    /// let engine = Engine::builtin()?;
    /// let options = ReportOptions::default();
    /// let writer = engine.report_writer(Format::default(), &options);
    /// assert_eq!(writer.exit_code(), 0);
    /// # Ok::<(), mikeyconf::Error>(())
    /// ```
    pub fn exit_code(&self) -> i32 {
        self.tally.exit_code()
    }
}

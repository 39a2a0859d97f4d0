//! [`Baseline`]: the findings a project has accepted for now (`check --baseline FILE`),
//! left out of the reports and verdicts of later runs, so that a CI gate fails only on new
//! ones; or a new baseline recorded from a run (`--write-baseline FILE`). Findings are keyed
//! by rule, path (relative to the baseline's folder), place and message, never by line alone.

use super::{Error, Report};

/// A baseline being read from or recorded into a file.
///
/// # Examples
///
/// ```
/// use mikeyconf::{Baseline, Engine, Verdict};
/// let engine = Engine::builtin()?;
/// let file = std::env::temp_dir().join(format!("mikeyconf-baseline-doc-{}.json", std::process::id()));
/// let input = "vectors/xml/msk-request/mskid-3-octets.xml";
///
/// let mut recording = Baseline::record_to(&file);
/// let passed = recording.filter(engine.check_path(input));
/// assert_eq!(passed.verdict(), Verdict::Conformant);
/// assert_eq!(recording.finish()?, Some(1));
///
/// let mut known = Baseline::read(&file)?;
/// assert_eq!(known.filter(engine.check_path(input)).verdict(), Verdict::Conformant);
/// # std::fs::remove_file(&file)?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct Baseline {
    gate: crate::baseline::Gate,
}

impl Baseline {
    /// The baseline in `file`, as `--baseline FILE` reads it.
    ///
    /// # Examples
    ///
    /// ```
    /// let err = mikeyconf::Baseline::read("no/such/baseline.json").err().unwrap();
    /// assert!(matches!(err, mikeyconf::Error::Baseline(_)));
    /// ```
    pub fn read(file: impl AsRef<std::path::Path>) -> Result<Baseline, Error> {
        let gate = crate::baseline::Gate::read(file.as_ref()).map_err(Error::Baseline)?;
        Ok(Baseline { gate })
    }

    /// A baseline recording every finding it is shown, written to `file` by
    /// [`Baseline::finish`] (`--write-baseline FILE`). Its run reports as the next one on the
    /// same inputs will: every finding known.
    ///
    /// # Examples
    ///
    /// ```
    /// let recording = mikeyconf::Baseline::record_to("unused.json");
    /// # drop(recording);
    /// ```
    pub fn record_to(file: impl AsRef<std::path::Path>) -> Baseline {
        let gate = crate::baseline::Gate::write_to(file.as_ref());
        Baseline { gate }
    }

    /// `report` with the findings the baseline knows left out (every one, when recording),
    /// a note counting them, and its verdict taken again from those left. Each rule's
    /// outcome stays what it found; a report that could not be checked stays so.
    ///
    /// # Examples
    ///
    /// ```
    /// let engine = mikeyconf::Engine::builtin()?;
    /// let mut recording = mikeyconf::Baseline::record_to("unused.json");
    /// let report = recording.filter(engine.check_path("vectors/xml/msk-request/mskid-3-octets.xml"));
    /// assert!(report.findings().is_empty());
    /// assert!(report.notes().iter().any(|n| n.contains("in the baseline")));
    /// # Ok::<(), mikeyconf::Error>(())
    /// ```
    pub fn filter(&mut self, report: Report) -> Report {
        Report::new(self.gate.pass(report.into_check_result()))
    }

    /// Writes the baseline when recording one: the number of findings written, else `None`.
    ///
    /// # Examples
    ///
    /// ```
    /// let file = std::env::temp_dir().join(format!("mikeyconf-baseline-finish-{}.json", std::process::id()));
    /// assert_eq!(mikeyconf::Baseline::record_to(&file).finish()?, Some(0));
    /// # std::fs::remove_file(&file)?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn finish(self) -> Result<Option<usize>, Error> {
        self.gate.finish().map_err(Error::Baseline)
    }
}

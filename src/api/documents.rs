//! [`Engine::check_document`]: a change request linted as a spec editor would
//! (`mikeyconf spec`): its XML examples and schema fragments (well-formed, judged by the
//! payload rules, unique particle attribution), URNs, quoted protocol strings, list order and
//! table placement, each finding placed in the document.

use super::{Engine, Report};

impl Engine {
    /// Lints the change request at `path` (`.txt`, `.md` or `.docx`; `-` is standard input,
    /// read as text) with the spec editor's rules and the payload rules on its examples: a
    /// report for its prose, then one for each XML example or schema fragment in it (one
    /// report that could not be checked when the file cannot be read).
    ///
    /// # Examples
    ///
    /// ```
    /// use mikeyconf::Verdict;
    /// let engine = mikeyconf::Engine::builtin()?;
    /// let reports = engine.check_document("no/such/cr.md");
    /// assert_eq!(reports.len(), 1);
    /// assert_eq!(reports[0].verdict(), Verdict::Error);
    /// # Ok::<(), mikeyconf::Error>(())
    /// ```
    pub fn check_document(&self, path: impl AsRef<std::path::Path>) -> Vec<Report> {
        let paths = [path.as_ref().to_path_buf()];
        (crate::spec::check_paths(&self.inner, &paths).into_iter())
            .map(|r| self.report(r))
            .collect()
    }
}

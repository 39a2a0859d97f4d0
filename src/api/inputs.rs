//! [`Inputs`]: what a path given to `check` stands for. A file (or `-`, standard input) is
//! itself, whatever its name; a folder is walked into every subfolder, at any depth, without
//! following symbolic links to folders. Of a folder's files, those whose names end in an
//! extension of a format the engine reads (the format table, `format/`) are taken; any other
//! is taken when its first bytes are a format's by its sniff, and listed as skipped if not.

use super::{Engine, Report};
use crate::finding::{CheckResult, Skipped};
use std::io::Read;
use std::path::{Path, PathBuf};

/// The inputs a path stands for ([`Engine::inputs`]): the files to check, in path order; the
/// files of a folder left out, with why; and a report that could not be checked for each
/// folder that could not be read, or in which nothing is checkable.
///
/// # Examples
///
/// ```
/// let engine = mikeyconf::Engine::builtin()?;
/// let inputs = engine.inputs("vectors/xml/msk-request");
/// assert!(inputs.files.iter().any(|f| f.ends_with("valid-two-keys.xml")));
/// // The expectations beside each vector are no inputs.
/// assert!(inputs.skipped.iter().any(|s| s.path.ends_with("valid-two-keys.yaml")));
/// assert!(inputs.errors.is_empty());
/// # Ok::<(), mikeyconf::Error>(())
/// ```
#[derive(Debug, Default)]
#[non_exhaustive]
pub struct Inputs {
    /// The files to check, sorted.
    pub files: Vec<PathBuf>,
    /// Files of a folder left out, sorted by path, each with why.
    pub skipped: Vec<Skipped>,
    /// Reports of inputs that could not be checked (verdict
    /// [`Verdict::Error`](crate::Verdict::Error)): folders that could not be read (they may
    /// hold inputs), or a folder in which nothing is checkable.
    pub errors: Vec<Report>,
}

impl Inputs {
    /// What a path given to `check` may be, in a paragraph: every file ending and content the
    /// format table takes (for a command line's help).
    ///
    /// # Examples
    ///
    /// ```
    /// let help = mikeyconf::Inputs::paths_help();
    /// assert!(help.contains("*.pcap") && help.contains("stdin"));
    /// ```
    pub fn paths_help() -> String {
        crate::format::paths_help()
    }
}

impl Engine {
    /// The inputs `path` stands for, as `mikeyconf check PATH` finds them.
    ///
    /// # Examples
    ///
    /// ```
    /// let engine = mikeyconf::Engine::builtin()?;
    /// let file = engine.inputs("README.md");
    /// assert_eq!(file.files, [std::path::PathBuf::from("README.md")]);
    /// let empty = std::env::temp_dir().join(format!("mikeyconf-inputs-doc-{}", std::process::id()));
    /// std::fs::create_dir_all(&empty)?;
    /// let none = engine.inputs(&empty);
    /// assert_eq!(none.errors[0].verdict(), mikeyconf::Verdict::Error);
    /// # std::fs::remove_dir(&empty)?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn inputs(&self, path: impl AsRef<Path>) -> Inputs {
        let path = path.as_ref();
        let mut found = Walk::default();
        if !path.is_dir() {
            found.files.push(path.to_path_buf());
        } else {
            found.walk(&self.inner, path);
        }
        found.files.sort();
        found.skipped.sort_by(|a, b| a.path.cmp(&b.path));
        found.errors.sort_by(|a, b| a.input.cmp(&b.input));
        if found.files.is_empty() && found.errors.is_empty() {
            (found.errors).push(nothing_to_check(path, found.skipped.len()));
        }
        Inputs {
            files: found.files,
            skipped: found.skipped,
            errors: found.errors.into_iter().map(|e| self.report(e)).collect(),
        }
    }
}

/// A folder's walk so far.
#[derive(Default)]
struct Walk {
    files: Vec<PathBuf>,
    skipped: Vec<Skipped>,
    errors: Vec<CheckResult>,
}

impl Walk {
    /// Every file under `root`, taken, skipped, or its folder an error.
    fn walk(&mut self, engine: &crate::engine::Engine, root: &Path) {
        let mut stack = vec![root.to_path_buf()];
        while let Some(dir) = stack.pop() {
            let entries = match std::fs::read_dir(&dir) {
                Ok(e) => e,
                Err(e) => {
                    let why = format!("cannot read the folder: {e}");
                    self.error(&dir, why);
                    continue;
                }
            };
            for entry in entries {
                let entry = match entry {
                    Ok(e) => e,
                    Err(e) => {
                        self.error(&dir, format!("cannot list the folder: {e}"));
                        break;
                    }
                };
                if let Some(sub) = self.entry(engine, &entry) {
                    stack.push(sub);
                }
            }
        }
    }

    /// One entry of a folder: taken or skipped; a subfolder is handed back to be walked.
    fn entry(
        &mut self,
        engine: &crate::engine::Engine,
        entry: &std::fs::DirEntry,
    ) -> Option<PathBuf> {
        let p = entry.path();
        let Ok(file_type) = entry.file_type() else {
            self.skip(&p, "cannot tell what it is");
            return None;
        };
        if file_type.is_dir() {
            return Some(p);
        }
        // A symbolic link is read as what it points to, but never walked into. (A regular
        // file needs no look at its metadata: the folder listing told.)
        if !file_type.is_file() {
            match std::fs::metadata(&p) {
                Err(e) => {
                    self.skip(&p, &format!("cannot read: {e}"));
                    return None;
                }
                Ok(m) if m.is_dir() => {
                    self.skip(&p, "a symbolic link to a folder (not followed)");
                    return None;
                }
                Ok(m) if !m.is_file() => {
                    self.skip(&p, "not a regular file");
                    return None;
                }
                Ok(_) => {}
            }
        }
        let name = (p.file_name())
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if crate::format::by_name(&name).is_some_and(|f| f.checked) {
            self.files.push(p);
            return None;
        }
        match head(&p) {
            Ok(h) if engine.recognise(&h).is_some() => self.files.push(p),
            Ok(_) => self.skip(&p, "not recognised by its name or its content"),
            Err(e) => self.skip(&p, &format!("cannot read: {e}")),
        }
        None
    }

    fn skip(&mut self, path: &Path, reason: &str) {
        self.skipped.push(Skipped {
            path: path.display().to_string(),
            reason: reason.to_string(),
        });
    }

    fn error(&mut self, folder: &Path, why: String) {
        let name = folder.display().to_string();
        self.errors.push(CheckResult::error(&name, "folder", why));
    }
}

/// The first bytes of a file, as much as content recognition needs.
fn head(path: &Path) -> std::io::Result<Vec<u8>> {
    let mut buf = Vec::new();
    std::fs::File::open(path)?
        .take(crate::format::SNIFF_BYTES as u64)
        .read_to_end(&mut buf)?;
    Ok(buf)
}

/// The result for a folder in which nothing could be checked: empty, or holding only files
/// no input kind recognises.
fn nothing_to_check(folder: &Path, skipped: usize) -> CheckResult {
    let why = if skipped == 0 {
        "the folder holds no files".to_string()
    } else {
        format!("no file in the folder is an input mikeyconf recognises ({skipped} skipped)")
    };
    CheckResult::error(&folder.display().to_string(), "folder", why)
}

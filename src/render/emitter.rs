//! The shape every output format shares (after ruff's `Emitter`): a report is written as the
//! results arrive, one input at a time and in input order, so memory holds one input's
//! findings, never the whole report's. A format whose header needs the whole run (SARIF's
//! invocation, JUnit's totals, HTML's summary and matrix) keeps per-input summaries and
//! spools the rest (see [`Spool`]) until [`Emitter::finish`].

use crate::finding::{CheckResult, Verdict};
use serde::Serialize;
use std::io::{self, Seek, SeekFrom, Write};

/// One output format, fed the results of a run in input order.
pub trait Emitter {
    /// Before the first result.
    fn start(&mut self, out: &mut dyn Write) -> io::Result<()>;
    /// One input's result, in input order.
    fn result(&mut self, out: &mut dyn Write, r: &CheckResult) -> io::Result<()>;
    /// After the last result.
    fn finish(&mut self, out: &mut dyn Write) -> io::Result<()>;
}

/// A whole report as a string: the results through `emitter` (for the suite's reports and
/// the tests, which have them all at hand).
pub fn emit_to_string(mut emitter: impl Emitter, results: &[CheckResult]) -> String {
    let mut out = Vec::new();
    let written = emit_all(&mut emitter, &mut out, results);
    let mut text = String::from_utf8(out).unwrap_or_else(|e| {
        // Every emitter writes UTF-8; a broken one shows rather than panics.
        String::from_utf8_lossy(e.as_bytes()).into_owned()
    });
    if let Err(e) = written {
        text.push_str(&format!("\nmikeyconf: cannot write the report: {e}\n"));
    }
    text
}

fn emit_all(e: &mut dyn Emitter, out: &mut dyn Write, results: &[CheckResult]) -> io::Result<()> {
    e.start(out)?;
    for r in results {
        e.result(out, r)?;
    }
    e.finish(out)
}

/// `value` as `serde_json::to_string_pretty` writes it, each line after the first indented by
/// `indent` more: how it reads nested at that depth of a pretty-printed document (a JSON
/// string never holds a raw line break, so lines are the document's own).
pub fn pretty_at(value: &impl Serialize, indent: &str) -> io::Result<String> {
    let text = serde_json::to_string_pretty(value).map_err(io::Error::other)?;
    Ok(text.replace('\n', &format!("\n{indent}")))
}

/// The elements of a pretty-printed JSON array, written one at a time: `[]` when none, else
/// each on its own lines at `indent`, the closing bracket one level out.
pub struct JsonArray {
    indent: String,
    count: usize,
}

impl JsonArray {
    /// An array whose elements stand at `indent` (its closing bracket two spaces less).
    pub fn new(indent: &str) -> Self {
        JsonArray {
            indent: indent.to_string(),
            count: 0,
        }
    }

    /// One element, after the `[` the caller wrote (or will write: see [`JsonArray::close`]).
    pub fn push(&mut self, out: &mut dyn Write, value: &impl Serialize) -> io::Result<()> {
        let sep = if self.count == 0 { "" } else { "," };
        self.count += 1;
        let text = pretty_at(value, &self.indent)?;
        write!(out, "{sep}\n{}{text}", self.indent)
    }

    /// What follows the elements: `]`, on its own line when there were some.
    pub fn close(&self, out: &mut dyn Write) -> io::Result<()> {
        if self.count == 0 {
            return write!(out, "]");
        }
        let outer = &self.indent[..self.indent.len().saturating_sub(2)];
        write!(out, "\n{outer}]")
    }

    pub fn is_empty(&self) -> bool {
        self.count == 0
    }
}

/// The inputs of a run counted by verdict, as they arrive: for summary lines and the exit
/// code, without keeping the results.
#[derive(Debug, Clone, Copy, Default)]
pub struct Tally {
    pub inputs: usize,
    pub conformant: usize,
    pub non_conformant: usize,
    /// Inputs on which nothing failed but some rule did not run for part of them.
    pub incomplete: usize,
    pub error: usize,
}

impl Tally {
    pub fn add(&mut self, r: &CheckResult) {
        self.inputs += 1;
        match r.verdict {
            Verdict::Conformant => self.conformant += 1,
            Verdict::NonConformant => self.non_conformant += 1,
            Verdict::Incomplete => self.incomplete += 1,
            Verdict::Error => self.error += 1,
        }
    }

    pub fn of(results: &[CheckResult]) -> Self {
        let mut t = Tally::default();
        results.iter().for_each(|r| t.add(r));
        t
    }

    /// The exit code of the run, as [`crate::finding::exit_code`] gives it: the greatest of
    /// the counted verdicts' codes.
    pub fn exit_code(&self) -> i32 {
        [
            (Verdict::Conformant, self.conformant),
            (Verdict::NonConformant, self.non_conformant),
            (Verdict::Incomplete, self.incomplete),
            (Verdict::Error, self.error),
        ]
        .into_iter()
        .filter(|&(_, n)| n > 0)
        .map(|(v, _)| v.exit_code())
        .max()
        .unwrap_or(0)
    }
}

/// The first octets a spool keeps in memory before it moves to a temporary file.
const SPOOL_IN_MEMORY: usize = 4 << 20;

/// Output held back until a header that needs the whole run is written: in memory while
/// small, then in an unnamed temporary file (removed as soon as it is open), so a report of
/// any size costs its summaries, not its findings. If no temporary file can be made, it stays
/// in memory, as the report did before.
#[derive(Default)]
pub struct Spool {
    memory: Vec<u8>,
    file: Option<io::BufWriter<std::fs::File>>,
    /// No temporary file could be made: not tried again.
    in_memory_only: bool,
}

impl Write for Spool {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if let Some(f) = &mut self.file {
            return f.write(buf);
        }
        self.memory.extend_from_slice(buf);
        if self.memory.len() > SPOOL_IN_MEMORY && !self.in_memory_only {
            match temporary_file().map(io::BufWriter::new) {
                Some(mut f) => {
                    f.write_all(&self.memory)?;
                    self.memory = Vec::new();
                    self.file = Some(f);
                }
                None => self.in_memory_only = true,
            }
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        match &mut self.file {
            Some(f) => f.flush(),
            None => Ok(()),
        }
    }
}

impl Spool {
    /// Writes what was spooled to `out`, and empties the spool.
    pub fn drain_into(&mut self, out: &mut dyn Write) -> io::Result<()> {
        out.write_all(&std::mem::take(&mut self.memory))?;
        let Some(f) = self.file.take() else {
            return Ok(());
        };
        let mut file = f.into_inner().map_err(|e| e.into_error())?;
        file.seek(SeekFrom::Start(0))?;
        io::copy(&mut file, out)?;
        Ok(())
    }
}

impl Spool {
    /// How many octets it holds in memory, when it has not moved to a file.
    #[cfg(test)]
    pub fn in_memory(&self) -> Option<usize> {
        self.file.is_none().then_some(self.memory.len())
    }

    /// What was spooled, to be read from its start; the spool is emptied.
    pub fn read_back(&mut self) -> io::Result<Box<dyn io::BufRead>> {
        let memory = io::Cursor::new(std::mem::take(&mut self.memory));
        let Some(f) = self.file.take() else {
            return Ok(Box::new(memory));
        };
        let mut file = f.into_inner().map_err(|e| e.into_error())?;
        file.seek(SeekFrom::Start(0))?;
        Ok(Box::new(io::Read::chain(memory, io::BufReader::new(file))))
    }
}

/// A new temporary file, open for reading and writing, already unlinked where the system
/// allows it (elsewhere it is left in the temporary folder).
fn temporary_file() -> Option<std::fs::File> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir();
    for _ in 0..16 {
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let path = dir.join(format!("mikeyconf-spool-{}-{n}", std::process::id()));
        let opened = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create_new(true)
            .open(&path);
        if let Ok(file) = opened {
            let _ = std::fs::remove_file(&path);
            return Some(file);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_spool_gives_back_what_it_was_given_in_memory_and_in_a_file() {
        let mut spool = Spool::default();
        let chunk = vec![b'x'; 1 << 20];
        for i in 0..6u8 {
            spool.write_all(&[i]).unwrap();
            spool.write_all(&chunk).unwrap();
        }
        assert!(
            spool.file.is_some(),
            "over the memory limit, the spool is a file"
        );
        let mut out = Vec::new();
        spool.drain_into(&mut out).unwrap();
        assert_eq!(out.len(), 6 * ((1 << 20) + 1));
        assert_eq!(out[(1 << 20) + 1], 1);
        let mut again = Vec::new();
        spool.drain_into(&mut again).unwrap();
        assert!(again.is_empty());
    }

    #[test]
    fn a_tally_exits_as_the_results_it_counted() {
        use crate::finding::exit_code;
        let all = [
            Verdict::Conformant,
            Verdict::NonConformant,
            Verdict::Incomplete,
            Verdict::Error,
        ];
        for mask in 0..16u8 {
            let results: Vec<CheckResult> = (0..4)
                .filter(|i| mask & (1 << i) != 0)
                .map(|i| CheckResult {
                    verdict: all[i],
                    ..CheckResult::error("a", "k", String::new())
                })
                .collect();
            assert_eq!(
                Tally::of(&results).exit_code(),
                exit_code(&results),
                "{mask}"
            );
        }
    }

    #[test]
    fn a_json_array_reads_as_serde_json_pretty_prints_it() {
        let value = serde_json::json!({"a": [{"b": 1, "c": [1, 2]}, {"d": []}], "e": []});
        let mut out = Vec::new();
        write!(out, "{{\n  \"a\": [").unwrap();
        let mut a = JsonArray::new("    ");
        for v in value["a"].as_array().unwrap() {
            a.push(&mut out, v).unwrap();
        }
        a.close(&mut out).unwrap();
        write!(out, ",\n  \"e\": [").unwrap();
        JsonArray::new("    ").close(&mut out).unwrap();
        write!(out, "\n}}").unwrap();
        let expected = serde_json::to_string_pretty(&value).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), expected);
    }
}

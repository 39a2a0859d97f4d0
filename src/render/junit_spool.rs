//! Where the JUnit report keeps its test suites until the run's totals, which open the
//! `<testsuites>` tag, are known. Each suite is kept as its header (the `<testsuite>` tag with
//! its counts, its properties, the error case of an input that could not be checked), its
//! class name once, and its test cases; a case that says nothing of its input but the class
//! name (a skipped rule with its reason, a rule passed silently) is kept once for the whole
//! run and referred to by number. Those are nearly all of a corpus's cases (46 of its 70 are
//! skipped with the same reason on every input): the report of 10 000 small responses is
//! 144 MB, its spool 4 MB. The whole report went through a temporary file before, which
//! doubled what the run wrote and read back, and took the JUnit report to 1.85 times the
//! text report's time.
//!
//! Memory: the shared cases are at most [`SHARED_BYTES`] (past that, a case is kept with its
//! suite, as any other), and the spool moves to a temporary file past its own bound, as
//! [`Spool`] does: one input's suite at a time, whatever the run's size.

use super::emitter::Spool;
use crate::finding::RuleOutcome;
use rustc_hash::FxHashMap;
use std::io::{self, BufRead, Read, Write};
use std::sync::Arc;

/// The most octets of test cases kept once for the run (a rule table's worth of reasons is a
/// few dozen kilobytes).
const SHARED_BYTES: usize = 8 << 20;

/// One test case as written, but for the value of its `classname` attribute, which goes at
/// `hole`.
#[derive(Debug, Clone, Copy)]
pub(super) struct Case<'a> {
    pub bytes: &'a [u8],
    pub hole: usize,
}

/// The suites of a run, held back: see the module's documentation.
#[derive(Default)]
pub(super) struct Suites {
    records: Spool,
    /// The cases kept once, by their octets (the hole's offset first), with their number.
    ids: FxHashMap<Arc<[u8]>, u32>,
    /// The same cases by number.
    shared: Vec<Arc<[u8]>>,
    shared_bytes: usize,
    /// A case's key, reused from case to case (a corpus has a hundred cases an input).
    key: Vec<u8>,
    /// The shared cases of an input with nothing found, by its list of outcomes: the engine
    /// gives every such input of one plan the same list (`Engine::clean_outcomes`), and its
    /// cases are the same (a list kept here is never freed, so its address is not reused).
    known: Vec<(Arc<Vec<RuleOutcome>>, Vec<u32>)>,
}

/// The most lists of cases kept by their outcomes (a run has a handful of plans).
const KNOWN_LISTS: usize = 64;

/// What a record of the spool is.
const SUITE: u8 = b'S';
const SHARED: u8 = b'C';
const OWN: u8 = b'I';
const END: u8 = b'E';

/// How a suite ends, at one level of indentation (as `junit::Xml` ends it).
const SUITE_END: &[u8] = b"\n    </testsuite>";

impl Suites {
    /// A suite starts: its header, then its cases' class name (cleaned and escaped).
    pub fn start(&mut self, header: &[u8], classname: &[u8]) -> io::Result<()> {
        self.records.write_all(&[SUITE])?;
        put_bytes(&mut self.records, header)?;
        put_bytes(&mut self.records, classname)
    }

    /// A test case of the suite; `shareable` when it says nothing of the input but the class
    /// name. Its number, when it is kept once for the run.
    pub fn case(&mut self, case: Case, shareable: bool) -> io::Result<Option<u32>> {
        if shareable {
            if let Some(id) = self.shared_id(case) {
                self.put_shared(id)?;
                return Ok(Some(id));
            }
        }
        self.records.write_all(&[OWN])?;
        self.records.write_all(&len32(case.hole)?.to_le_bytes())?;
        put_bytes(&mut self.records, case.bytes)?;
        Ok(None)
    }

    fn put_shared(&mut self, id: u32) -> io::Result<()> {
        self.records.write_all(&[SHARED])?;
        self.records.write_all(&id.to_le_bytes())
    }

    /// The cases of a suite with nothing found whose outcomes are `rules`, when an earlier
    /// such suite had the same list (the same `Arc`): written, and true; else false.
    pub fn known_cases(&mut self, rules: &Arc<Vec<RuleOutcome>>) -> io::Result<bool> {
        let Some(at) = self.known.iter().position(|(l, _)| Arc::ptr_eq(l, rules)) else {
            return Ok(false);
        };
        for i in 0..self.known[at].1.len() {
            let id = self.known[at].1[i];
            self.put_shared(id)?;
        }
        Ok(true)
    }

    /// Keeps the shared cases of a suite with nothing found, by its list of outcomes.
    pub fn learn_cases(&mut self, rules: &Arc<Vec<RuleOutcome>>, ids: Vec<u32>) {
        if self.known.len() < KNOWN_LISTS {
            self.known.push((rules.clone(), ids));
        }
    }

    pub fn end(&mut self) -> io::Result<()> {
        self.records.write_all(&[END])
    }

    /// The number of a shared case, kept now if it is new and there is room.
    fn shared_id(&mut self, case: Case) -> Option<u32> {
        let key = &mut self.key;
        key.clear();
        key.extend_from_slice(&len32(case.hole).ok()?.to_le_bytes());
        key.extend_from_slice(case.bytes);
        if let Some(&id) = self.ids.get(key.as_slice()) {
            return Some(id);
        }
        if self.shared_bytes + key.len() > SHARED_BYTES {
            return None;
        }
        let id = u32::try_from(self.shared.len()).ok()?;
        self.shared_bytes += key.len();
        let key: Arc<[u8]> = key.as_slice().into();
        self.ids.insert(key.clone(), id);
        self.shared.push(key);
        Some(id)
    }

    /// How many octets the spool holds in memory, when it has not moved to a file.
    #[cfg(test)]
    pub fn in_memory(&self) -> Option<usize> {
        self.records.in_memory()
    }

    /// Writes the suites to `out`, each as it was given (put together, then written at
    /// once), and empties the spool.
    pub fn drain_into(&mut self, out: &mut dyn Write) -> io::Result<()> {
        let mut records = self.records.read_back()?;
        let (mut header, mut classname, mut own) = (Vec::new(), Vec::new(), Vec::new());
        let mut suite = Vec::new();
        let broken = || io::Error::other("the JUnit spool holds a record it never wrote");
        loop {
            let mut tag = [0u8];
            if records.read(&mut tag)? == 0 {
                return out.write_all(&suite);
            }
            match tag[0] {
                SUITE => {
                    get_bytes(&mut records, &mut header)?;
                    get_bytes(&mut records, &mut classname)?;
                    suite.extend_from_slice(&header);
                }
                SHARED => {
                    let id = get_u32(&mut records)? as usize;
                    let key = self.shared.get(id).ok_or_else(broken)?;
                    let hole = u32::from_le_bytes(key[..4].try_into().map_err(|_| broken())?);
                    put_case(&mut suite, &key[4..], hole as usize, &classname)?;
                }
                OWN => {
                    let hole = get_u32(&mut records)? as usize;
                    get_bytes(&mut records, &mut own)?;
                    put_case(&mut suite, &own, hole, &classname)?;
                }
                END => {
                    suite.extend_from_slice(SUITE_END);
                    out.write_all(&suite)?;
                    suite.clear();
                }
                _ => return Err(broken()),
            }
        }
    }
}

/// A case with its class name put in its hole.
fn put_case(out: &mut Vec<u8>, bytes: &[u8], hole: usize, classname: &[u8]) -> io::Result<()> {
    let (before, after) = bytes
        .split_at_checked(hole)
        .ok_or_else(|| io::Error::other("a JUnit test case's class name lies outside the case"))?;
    out.extend_from_slice(before);
    out.extend_from_slice(classname);
    out.extend_from_slice(after);
    Ok(())
}

fn len32(n: usize) -> io::Result<u32> {
    u32::try_from(n).map_err(|_| io::Error::other("a JUnit test suite of 4 GB or more"))
}

fn put_bytes(out: &mut impl Write, bytes: &[u8]) -> io::Result<()> {
    out.write_all(&len32(bytes.len())?.to_le_bytes())?;
    out.write_all(bytes)
}

fn get_u32(from: &mut impl BufRead) -> io::Result<u32> {
    let mut n = [0u8; 4];
    from.read_exact(&mut n)?;
    Ok(u32::from_le_bytes(n))
}

fn get_bytes(from: &mut impl BufRead, into: &mut Vec<u8>) -> io::Result<()> {
    let len = get_u32(from)? as usize;
    into.clear();
    into.resize(len, 0);
    from.read_exact(into)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A case written with `|` where its class name goes, as the spool is given it.
    fn with_hole(text: &str) -> (Vec<u8>, usize) {
        let hole = text.find('|').unwrap();
        (text.replacen('|', "", 1).into_bytes(), hole)
    }

    fn put(spool: &mut Suites, text: &str, shareable: bool) {
        let (bytes, hole) = with_hole(text);
        let case = Case {
            bytes: &bytes,
            hole,
        };
        spool.case(case, shareable).unwrap();
    }

    /// Suites come back as given, shared cases with each suite's own class name, own cases
    /// as they were, through memory and through the temporary file alike.
    #[test]
    fn suites_come_back_as_they_were_given() {
        for suites in [1, 20_000] {
            let mut spool = Suites::default();
            let mut expected = Vec::new();
            for n in 0..suites {
                let name = format!("in{n}");
                spool.start(b"<s>", name.as_bytes()).unwrap();
                expected.extend_from_slice(b"<s>");
                for (text, shareable) in [("<c a=\"|\"/>", true), ("<o|>", false)] {
                    put(&mut spool, text, shareable);
                    expected.extend_from_slice(text.replace('|', &name).as_bytes());
                }
                let own = format!("<f {n}=\"|\"/>");
                put(&mut spool, &own, false);
                expected.extend_from_slice(own.replace('|', &name).as_bytes());
                spool.end().unwrap();
                expected.extend_from_slice(SUITE_END);
            }
            assert_eq!(spool.shared.len(), 1);
            let mut out = Vec::new();
            spool.drain_into(&mut out).unwrap();
            assert!(out == expected, "{suites} suites");
        }
    }

    /// Past its bound, a shareable case is kept with its suite.
    #[test]
    fn the_shared_cases_are_bounded() {
        let mut spool = Suites::default();
        let big = format!("<c|{}>", "x".repeat(SHARED_BYTES / 3));
        spool.start(b"", b"n").unwrap();
        for k in 0..4 {
            let text = format!("{big}{k}");
            put(&mut spool, &text, true);
        }
        spool.end().unwrap();
        assert_eq!(spool.shared.len(), 2);
        assert!(spool.shared_bytes <= SHARED_BYTES);
        let mut out = Vec::new();
        spool.drain_into(&mut out).unwrap();
        assert_eq!(
            out.len(),
            4 * (big.len() + 1) + SUITE_END.len(),
            "each case with its class name, n"
        );
    }
}

//! Baselines (`check --baseline FILE`, `--write-baseline FILE`) and the one key that says
//! whether two findings of two runs are the same finding, which SARIF's
//! `partialFingerprints` and GitLab's `fingerprint` also give.
//!
//! A finding's key is its rule, its input's path (relative to the baseline file's folder, or
//! to the working folder for a report), its logical place without line or column (the
//! `where` of a capture, trace or SIP message: `frame 3 (…)`, `event 7`, `message 1 (…)`;
//! empty for a finding of the document itself), its message with the numbers that depend on
//! where it stands removed ([`normalise_message`]), and an ordinal among the findings of the
//! same input with the same key, in report order. A line inserted above a finding changes
//! none of these: it is the same finding, not a new one.

use crate::finding::{CheckResult, Finding, Verdict};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::{HashMap, HashSet};
use std::path::{Component, Path, PathBuf};

/// What makes two findings of two runs the same, but the ordinal.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct FindingKey {
    pub rule: String,
    pub path: String,
    pub place: String,
    pub message: String,
    /// The finding's rank among the input's findings with the same key (0 for the first).
    pub ordinal: u32,
}

impl FindingKey {
    /// The key as a short stable hash: 32 hex digits of SHA-256 over its parts.
    pub fn fingerprint(&self) -> String {
        let mut h = Sha256::new();
        for part in [&self.rule, &self.path, &self.place, &self.message] {
            h.update(part.as_bytes());
            h.update([0]);
        }
        h.update(self.ordinal.to_be_bytes());
        hex::encode(&h.finalize()[..16])
    }
}

/// The keys of an input's findings, in their order, `path` being the input's path as the
/// key gives it.
pub fn keys_of(findings: &[Finding], path: &str) -> Vec<FindingKey> {
    let mut seen: HashMap<(&str, &str, String), u32> = HashMap::new();
    findings
        .iter()
        .map(|f| {
            let place = f.location.context.as_deref().unwrap_or("");
            let message = normalise_message(&f.message);
            let n = seen
                .entry((f.rule.as_str(), place, message.clone()))
                .or_insert(0);
            let ordinal = *n;
            *n += 1;
            FindingKey {
                rule: f.rule.clone(),
                path: path.to_string(),
                place: place.to_string(),
                message,
                ordinal,
            }
        })
        .collect()
}

/// Words after which a number is a place in the input (`line 12`, `at offset 183`, `byte
/// 177`), which moves when the input is edited above the finding.
const PLACE_WORDS: [&str; 8] = [
    "line", "lines", "column", "col", "offset", "byte", "position", "at",
];

/// A message with what depends on where the finding stands replaced by `#`: a number after
/// one of `PLACE_WORDS`, and a `line:column` pair (`at 2:22`, `'2:22'`). Other numbers (a
/// PRF number, a status code, an octet count) say what the defect is and stay.
pub fn normalise_message(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut last_word = String::new();
    let mut chars = message.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c.is_ascii_digit() {
            let start = i;
            let mut end = i + 1;
            while let Some(&(j, d)) = chars.peek() {
                if d.is_ascii_digit() || (d == ':' && next_is_digit(message, j)) {
                    end = j + d.len_utf8();
                    chars.next();
                } else {
                    break;
                }
            }
            let number = &message[start..end];
            let after_place_word = PLACE_WORDS.contains(&last_word.to_ascii_lowercase().as_str())
                && message[..start].ends_with(' ');
            if after_place_word || number.contains(':') {
                out.push('#');
            } else {
                out.push_str(number);
            }
            last_word.clear();
            continue;
        }
        out.push(c);
        if c.is_alphabetic() {
            if !message[..i].ends_with(char::is_alphabetic) {
                last_word.clear();
            }
            last_word.push(c);
        } else if c != ' ' {
            last_word.clear();
        }
    }
    out
}

fn next_is_digit(s: &str, colon: usize) -> bool {
    s.as_bytes().get(colon + 1).is_some_and(u8::is_ascii_digit)
}

/// `path` made absolute against the working folder, with `.` and `..` taken away lexically
/// (no symbolic link is followed: the input may be gone, or `-`).
pub fn absolute(path: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    let mut out = PathBuf::new();
    for c in joined.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// `input` relative to the folder `base`, with `/` between its parts (`../x.xml` when it
/// lies beside it): the path a key gives an input. Standard input stays `-`.
pub fn relative_path(input: &str, base: &Path) -> String {
    if input == "-" || input.is_empty() {
        return input.to_string();
    }
    let (to, from) = (absolute(Path::new(input)), absolute(base));
    let to_parts: Vec<_> = to.components().collect();
    let from_parts: Vec<_> = from.components().collect();
    let common = to_parts
        .iter()
        .zip(&from_parts)
        .take_while(|(a, b)| a == b)
        .count();
    if common == 0 {
        return to.to_string_lossy().replace('\\', "/");
    }
    let mut parts: Vec<String> = vec!["..".into(); from_parts.len() - common];
    parts.extend(
        to_parts[common..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    parts.join("/")
}

/// A baseline file as written: its format version and the findings it knows.
#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct BaselineFile {
    #[serde(rename = "mikeyconf-baseline")]
    version: u32,
    findings: Vec<FindingKey>,
}

/// The one version of the baseline file.
const VERSION: u32 = 1;

/// What a run does with a baseline: leave out the findings it knows (`--baseline`), or
/// record every finding in a new one (`--write-baseline`, whose run then leaves them all out
/// too, so that it passes as the next run on the same inputs will).
pub struct Gate {
    file: PathBuf,
    base: PathBuf,
    known: HashSet<FindingKey>,
    /// `Some` when writing: every finding seen, keyed.
    recorded: Option<Vec<FindingKey>>,
}

impl Gate {
    /// Reads the baseline `file` (`--baseline`).
    pub fn read(file: &Path) -> Result<Self, String> {
        let shown = file.display().to_string();
        let text = crate::bounded::read_text(file, &shown, crate::bounded::CONFIG_FILE)?;
        let parsed: BaselineFile =
            serde_json::from_str(&text).map_err(|e| format!("{shown}: not a baseline: {e}"))?;
        if parsed.version != VERSION {
            return Err(format!(
                "{shown}: baseline version {} (this mikeyconf reads version {VERSION})",
                parsed.version
            ));
        }
        Ok(Gate {
            base: base_of(file),
            file: file.to_path_buf(),
            known: parsed.findings.into_iter().collect(),
            recorded: None,
        })
    }

    /// A gate that records every finding, to be written to `file` (`--write-baseline`).
    pub fn write_to(file: &Path) -> Self {
        Gate {
            base: base_of(file),
            file: file.to_path_buf(),
            known: HashSet::new(),
            recorded: Some(Vec::new()),
        }
    }

    /// The result with the findings the baseline knows left out (all of them, when writing
    /// one), a note counting them, and its verdict taken again from the findings left. The
    /// rules' outcomes stay what the rules found. An input that could not be checked stays
    /// so.
    pub fn pass(&mut self, mut r: CheckResult) -> CheckResult {
        if r.findings.is_empty() {
            return r;
        }
        let keys = keys_of(&r.findings, &relative_path(&r.input, &self.base));
        let known: Vec<bool> = match &mut self.recorded {
            Some(all) => {
                all.extend(keys);
                vec![true; r.findings.len()]
            }
            None => keys.iter().map(|k| self.known.contains(k)).collect(),
        };
        let left_out = known.iter().filter(|k| **k).count();
        if left_out == 0 {
            return r;
        }
        let mut flags = known.into_iter();
        r.findings.retain(|_| !flags.next().unwrap_or(false));
        if r.verdict != Verdict::Error {
            r.verdict = Verdict::of(&r.findings, &r.rules);
        }
        r.notes.push(format!(
            "{} in the baseline {} not listed",
            crate::plural::counted(left_out, "finding", "findings"),
            self.file.display()
        ));
        r
    }

    /// Writes the baseline when recording one; the number of findings written.
    pub fn finish(self) -> Result<Option<usize>, String> {
        let Some(mut all) = self.recorded else {
            return Ok(None);
        };
        all.sort();
        let count = all.len();
        let file = BaselineFile {
            version: VERSION,
            findings: all,
        };
        let mut text = serde_json::to_string_pretty(&file).map_err(|e| e.to_string())?;
        text.push('\n');
        std::fs::write(&self.file, text).map_err(|e| format!("{}: {e}", self.file.display()))?;
        Ok(Some(count))
    }
}

/// The folder a baseline file's paths are relative to: its own.
fn base_of(file: &Path) -> PathBuf {
    match file.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_are_taken_out_of_messages_and_what_the_defect_is_stays() {
        assert_eq!(
            normalise_message("not well-formed XML: expected a whitespace not 'x' at 2:22"),
            "not well-formed XML: expected a whitespace not 'x' at #"
        );
        assert_eq!(
            normalise_message("invalid UTF-8 at byte 177 (the document declares UTF-8)"),
            "invalid UTF-8 at byte # (the document declares UTF-8)"
        );
        assert_eq!(
            normalise_message("byte 3: PRF func is 5, not 1 (PRF-HMAC-SHA-256)"),
            "byte #: PRF func is 5, not 1 (PRF-HMAC-SHA-256)"
        );
        assert_eq!(
            normalise_message("the block at offset 183 ends, 86 octets into it; on line 12"),
            "the block at offset # ends, 86 octets into it; on line #"
        );
        assert_eq!(
            normalise_message("ResponseCode 999 Whatever"),
            "ResponseCode 999 Whatever"
        );
    }

    #[test]
    fn identical_keys_are_told_apart_by_their_rank() {
        let f = |msg: &str| Finding {
            rule: "R-01".into(),
            requirement: vec![],
            clause: String::new(),
            level: crate::finding::Level::Shall,
            severity: crate::finding::Severity::Error,
            status: crate::finding::Status::Confirmed,
            verdict: crate::finding::FindingVerdict::Fail,
            message: msg.into(),
            location: Default::default(),
            party: None,
        };
        let keys = keys_of(&[f("a at line 3"), f("b"), f("a at line 9")], "x.xml");
        assert_eq!(keys[0].ordinal, 0);
        assert_eq!(keys[1].ordinal, 0);
        assert_eq!(keys[2].ordinal, 1);
        assert_eq!(keys[0].message, keys[2].message);
        assert_ne!(keys[0].fingerprint(), keys[2].fingerprint());
    }

    #[test]
    fn paths_are_relative_to_the_base_folder() {
        let cwd = std::env::current_dir().unwrap();
        assert_eq!(relative_path("a/b.xml", Path::new(".")), "a/b.xml");
        assert_eq!(relative_path("a/b.xml", Path::new("a")), "b.xml");
        assert_eq!(relative_path("a/b.xml", Path::new("c")), "../a/b.xml");
        let abs = cwd.join("a/./b.xml");
        assert_eq!(relative_path(abs.to_str().unwrap(), &cwd), "a/b.xml");
        assert_eq!(relative_path("-", Path::new("c")), "-");
    }
}

//! Lines and columns of findings through the built binary: each input's positions are its own
//! (`mikeyconf::line_index` keeps an index only for a text it has pinned, so one freed and
//! another of the same length allocated at its address is never read with the first's), and
//! an error placed at the end of a text of whole 4096-octet blocks has its column.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn mikeyconf(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_mikeyconf"))
        .args(args)
        .current_dir(ROOT)
        .output()
        .unwrap()
}

/// A fresh, empty folder for one test.
fn folder(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("cli_lines")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The `xml_check` fuzz crash: invalid UTF-8 right after 4096 valid octets. The error is placed
/// at the end of the valid prefix, which a debug build counted as 0 characters in, and
/// panicked (`attempt to subtract with overflow` in `line_index::chars_between`).
#[test]
fn an_error_at_the_end_of_4096_valid_octets_is_placed_without_a_panic() {
    let input = "tests/fuzz-regressions/xml_check-line-index-end-of-whole-block.bin";
    let o = mikeyconf(&["check", "--as", "msk-response", input]);
    let (stdout, stderr) = (
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr),
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(
        matches!(o.status.code(), Some(0..=2)),
        "{:?} {stderr}",
        o.status
    );
    // Line 84, after its 317 characters: where the valid prefix ends.
    assert!(stdout.contains(&format!("{input}:84:318:")), "{stdout}");
}

/// The 1-based line and character column of byte `at` in `text`, counted directly.
fn line_col(text: &str, at: usize) -> (usize, usize) {
    let before = &text[..at];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (
        before.matches('\n').count() + 1,
        before[line_start..].chars().count() + 1,
    )
}

/// Two files of one length with different lines, checked in one run (the allocator may give
/// the second the first's freed block): each finding is placed in its own file's lines.
#[test]
fn equal_length_files_of_one_run_each_get_their_own_lines_and_columns() {
    let a = std::fs::read_to_string(
        Path::new(ROOT)
            .join("vectors/xml/cr-examples/msk-response-layout-ltkm-encr-data-len-0.xml"),
    )
    .unwrap();
    // The same length: the declaration's line end becomes a space, and a space before each
    // LTKM a line end, so lines and columns both move.
    let b = a
        .replacen("?>\n", "?> ", 1)
        .replace("         <LTKM>", "\n        <LTKM>");
    assert_eq!(a.len(), b.len());
    assert_ne!(a, b);
    let dir = folder("equal-length");
    // Several pairs, so some pair is likely to share an address.
    for i in 0..4 {
        std::fs::write(dir.join(format!("{i}-a.xml")), &a).unwrap();
        std::fs::write(dir.join(format!("{i}-b.xml")), &b).unwrap();
    }
    let o = mikeyconf(&["check", dir.to_str().unwrap()]);
    let stdout = String::from_utf8_lossy(&o.stdout);
    for i in 0..4 {
        for (name, text) in [(format!("{i}-a.xml"), &a), (format!("{i}-b.xml"), &b)] {
            let path = dir.join(&name).display().to_string();
            let prefix = format!("{path}:");
            let mut placed = 0;
            for line in stdout.lines().filter_map(|l| l.strip_prefix(&prefix)) {
                let mut parts = line.splitn(3, ':');
                let (Some(l), Some(c)) = (parts.next(), parts.next()) else {
                    continue;
                };
                let (Ok(l), Ok(c)) = (l.parse::<usize>(), c.parse::<usize>()) else {
                    continue;
                };
                // Every finding here is at an element: its column is just after a '<'.
                let source_line: Vec<char> = text.lines().nth(l - 1).unwrap().chars().collect();
                assert_eq!(source_line.get(c - 2), Some(&'<'), "{name} {l}:{c}");
                placed += 1;
            }
            for (at, _) in text.match_indices("<LTKM>") {
                let (l, c) = line_col(text, at + 1);
                assert!(
                    stdout.contains(&format!("{path}:{l}:{c}: fail [BCAST-NS-02]")),
                    "{name}: {l}:{c}\n{stdout}"
                );
            }
            assert!(placed >= 2, "{name}\n{stdout}");
        }
    }
}

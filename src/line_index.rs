//! Where the lines of a text start, worked out once per text and thread.
//!
//! Findings are placed (byte offset to line and column) and shown (line to its text) one at a
//! time; counting lines from the start of the text for each made a document with tens of
//! thousands of findings quadratic (a 2 MB document with 40 000 findings took 19 s). The line
//! starts of the last text asked about are kept per thread, keyed by the text's address and
//! length: the engine places every finding of one input, then the renderer shows them, each
//! asking about the same text many times in a row. So are the characters before every
//! block of `BLOCK` octets, for columns: counting them from the line's start for each made a
//! one-line document quadratic too (1.5 MB on one line with 100 000 findings: 93 s).

use std::cell::RefCell;

/// Octets between two character-count checkpoints: a column costs at most two scans of this.
const BLOCK: usize = 4096;

#[derive(Default)]
struct Index {
    key: (usize, usize),
    /// Where each line starts (the first is 0); empty until built.
    starts: Vec<usize>,
    /// The number of characters before octet `k * BLOCK`, for each block.
    chars_before: Vec<usize>,
}

thread_local! {
    static INDEX: RefCell<Index> = const {
        RefCell::new(Index {
            key: (0, 0),
            starts: Vec::new(),
            chars_before: Vec::new(),
        })
    };
}

fn with_index<R>(text: &str, f: impl FnOnce(&Index) -> R) -> R {
    let key = (text.as_ptr() as usize, text.len());
    INDEX.with(|cell| {
        let mut cached = cell.borrow_mut();
        if cached.key != key || cached.starts.is_empty() {
            let mut starts = vec![0];
            starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
            let mut chars_before = Vec::with_capacity(text.len() / BLOCK + 1);
            let mut count = 0;
            for block in text.as_bytes().chunks(BLOCK) {
                chars_before.push(count);
                count += starts_of_chars(block);
            }
            *cached = Index {
                key,
                starts,
                chars_before,
            };
        }
        f(&cached)
    })
}

fn with_starts<R>(text: &str, f: impl FnOnce(&[usize]) -> R) -> R {
    with_index(text, |index| f(&index.starts))
}

/// The characters that start in these octets (every octet but UTF-8 continuation octets).
fn starts_of_chars(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| (b as i8) >= -0x40).count()
}

/// The number of characters before byte `offset` (a character boundary).
fn chars_before(text: &str, index: &Index, offset: usize) -> usize {
    let block = offset / BLOCK;
    let counted = index.chars_before.get(block).copied().unwrap_or(0);
    let from = (block * BLOCK).min(offset);
    counted + starts_of_chars(&text.as_bytes()[from..offset])
}

/// The number of characters between two character boundaries `from <= to`.
pub fn chars_between(text: &str, from: usize, to: usize) -> usize {
    with_index(text, |index| {
        chars_before(text, index, to) - chars_before(text, index, from)
    })
}

/// The 1-based number of the line holding byte `offset`, and the byte where that line starts.
pub fn line_of(text: &str, offset: usize) -> (usize, usize) {
    with_starts(text, |starts| {
        let i = starts.partition_point(|&s| s <= offset).max(1) - 1;
        (i + 1, starts[i])
    })
}

/// The byte range of line `n` (0-based) without its line end, or None past the last line;
/// lines as `str::lines` counts them (no empty line after a final newline).
pub fn line_range(text: &str, n: usize) -> Option<(usize, usize)> {
    let (start, end) = with_starts(text, |starts| {
        let start = *starts.get(n)?;
        Some((start, starts.get(n + 1).map_or(text.len(), |next| next - 1)))
    })?;
    (start < text.len()).then_some((start, end))
}

#[cfg(test)]
mod tests {
    use super::{line_of, line_range};

    #[test]
    fn lines_are_those_str_lines_gives() {
        for text in [
            "",
            "a",
            "a\n",
            "a\nb",
            "a\r\nb\r\n",
            "\n\n",
            "x\n\ny\r\n\r\nz",
            "\r\n",
        ] {
            let expected: Vec<&str> = text.lines().collect();
            for n in 0..expected.len() + 2 {
                let got = line_range(text, n).map(|(a, b)| {
                    let l = &text[a..b];
                    l.strip_suffix('\r').unwrap_or(l)
                });
                assert_eq!(got, expected.get(n).copied(), "{text:?} line {n}");
            }
        }
    }

    #[test]
    fn characters_are_counted_across_blocks_as_chars_counts_them() {
        // Multi-octet characters straddle the block boundaries (4096 is no multiple of 3).
        let text: String = (0..5000)
            .map(|i| ["a", "é", "€", "𝄞", "\n"][i % 5])
            .collect();
        let bounds: Vec<usize> = (0..=text.len())
            .filter(|&i| text.is_char_boundary(i))
            .collect();
        for &from in bounds.iter().step_by(97) {
            for &to in bounds.iter().filter(|&&t| t >= from).step_by(89) {
                assert_eq!(
                    super::chars_between(&text, from, to),
                    text[from..to].chars().count(),
                    "{from}..{to}"
                );
            }
        }
    }

    #[test]
    fn offsets_fall_in_their_lines() {
        let text = "ab\ncd\n\nef";
        let want = [
            (1, 0),
            (1, 0),
            (1, 0),
            (2, 3),
            (2, 3),
            (2, 3),
            (3, 6),
            (4, 7),
            (4, 7),
            (4, 7),
        ];
        for (offset, w) in want.iter().enumerate() {
            assert_eq!(line_of(text, offset), *w, "offset {offset}");
        }
        // Another text in between: the cache follows the text asked about.
        assert_eq!(line_of("x\ny", 2), (2, 2));
        assert_eq!(line_of(text, 8), (4, 7));
    }
}

//! Where the lines of a text start, worked out once per text and thread.
//!
//! Findings are placed (byte offset to line and column) and shown (line to its text) one at a
//! time; counting lines from the start of the text for each made a document with tens of
//! thousands of findings quadratic (a 2 MB document with 40 000 findings took 19 s). The line
//! starts of the last text asked about are kept per thread, keyed by the text's address and
//! length: the engine places every finding of one input, then the renderer shows them, each
//! asking about the same text many times in a row.

use std::cell::RefCell;

thread_local! {
    static STARTS: RefCell<(usize, usize, Vec<usize>)> = const { RefCell::new((0, 0, Vec::new())) };
}

fn with_starts<R>(text: &str, f: impl FnOnce(&[usize]) -> R) -> R {
    let key = (text.as_ptr() as usize, text.len());
    STARTS.with(|cell| {
        let mut cached = cell.borrow_mut();
        if (cached.0, cached.1) != key || cached.2.is_empty() {
            let mut starts = vec![0];
            starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
            *cached = (key.0, key.1, starts);
        }
        f(&cached.2)
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

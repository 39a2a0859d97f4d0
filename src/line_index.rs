//! Where the lines of a text start, worked out once per *pinned* text.
//!
//! Findings are placed (byte offset to line and column) and shown (line to its text) one at a
//! time; counting lines from the start of the text for each made a document with tens of
//! thousands of findings quadratic (a 2 MB document with 40 000 findings took 19 s). So the
//! code that asks about many positions of one text in a row (the engine placing every hit of
//! an input, a renderer showing every finding of a result) first *pins* the text
//! ([`pin`]): while the [`Pin`] lives, the line starts of that text are worked out once and
//! kept, and so are the characters before every block of `BLOCK` octets, for columns
//! (counting them from the line's start for each made a one-line document quadratic too:
//! 1.5 MB on one line with 100 000 findings took 93 s).
//!
//! The kept index is found again by the text's address and length. That key is sound only
//! while the text cannot be freed: a text freed and another of the same length allocated at
//! the same address (libFuzzer reuses its buffer; two equal-length files of one folder can
//! get the same allocation) would otherwise be read with the first text's index (the
//! `xml_check` fuzz target found this: a column underflowed). A pin borrows its text, so
//! while it lives no other text can have that address; when the last pin of a text drops,
//! its index goes. A text asked about while unpinned is scanned directly (linear in the
//! offset: right for a one-off position such as a parse error). Pins of different texts nest
//! (a HTTP exchange's request and response bodies are placed in turn) and each keeps its own
//! index. Nothing may `mem::forget` a [`Pin`]: that is the one way to outlive its borrow.

use std::cell::RefCell;

/// Octets between two character-count checkpoints: a column costs at most two scans of this.
const BLOCK: usize = 4096;

/// The index of one pinned text.
struct Index {
    /// Where each line starts (the first is 0).
    starts: Vec<usize>,
    /// The number of characters before octet `k * BLOCK`, for each block, and then all of
    /// them: the end of a text of whole blocks is the start of a block it lacks (without it,
    /// the end of a 4096-octet text was counted as 0 characters in: the `xml_check` crash).
    chars_before: Vec<usize>,
}

impl Index {
    fn of(text: &str) -> Index {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        let mut chars_before = Vec::with_capacity(text.len() / BLOCK + 1);
        let mut count = 0;
        for block in text.as_bytes().chunks(BLOCK) {
            chars_before.push(count);
            count += starts_of_chars(block);
        }
        chars_before.push(count);
        Index {
            starts,
            chars_before,
        }
    }
}

/// One pinned text: its key (address, length), how many live pins hold it, a serial that is
/// never reused (so a cache keyed by it dies with the pin), and its index once asked for.
struct Pinned {
    key: (usize, usize),
    pins: usize,
    serial: u64,
    index: Option<Index>,
}

#[derive(Default)]
struct PinTable {
    /// The texts pinned on this thread, innermost last (a handful at most).
    pinned: Vec<Pinned>,
    next_serial: u64,
}

thread_local! {
    static PINNED: RefCell<PinTable> = RefCell::new(PinTable::default());
}

fn key_of(text: &str) -> (usize, usize) {
    (text.as_ptr() as usize, text.len())
}

/// A text pinned for position look-ups: while this lives, [`line_of`], [`line_range`] and
/// [`chars_between`] on this text use an index built once (and `render::snippet` keeps the
/// characters of its lines). Dropping the last pin of a text frees its index.
#[must_use = "a pin helps only while it lives: bind it with `let _pin = ...`"]
pub struct Pin<'a> {
    key: (usize, usize),
    _text: std::marker::PhantomData<&'a str>,
}

/// Pins `text` (see [`Pin`]); pin where many positions of one text are asked in a row.
pub fn pin(text: &str) -> Pin<'_> {
    let key = key_of(text);
    PINNED.with(|cell| {
        let mut table = cell.borrow_mut();
        if let Some(p) = table.pinned.iter_mut().find(|p| p.key == key) {
            p.pins += 1;
        } else {
            let serial = table.next_serial;
            table.next_serial += 1;
            table.pinned.push(Pinned {
                key,
                pins: 1,
                serial,
                index: None,
            });
        }
    });
    Pin {
        key,
        _text: std::marker::PhantomData,
    }
}

impl Drop for Pin<'_> {
    fn drop(&mut self) {
        // A thread's locals may already be gone when a pin drops during its exit.
        let _ = PINNED.try_with(|cell| {
            let mut table = cell.borrow_mut();
            if let Some(at) = table.pinned.iter().position(|p| p.key == self.key) {
                table.pinned[at].pins -= 1;
                if table.pinned[at].pins == 0 {
                    table.pinned.remove(at);
                }
            }
        });
    }
}

/// The serial of the pinned text whose memory holds all of `part` (a slice of it), if any:
/// a cache keyed by this serial and `part`'s address and length is sound while it lives.
pub(crate) fn pinned_serial(part: &str) -> Option<u64> {
    let (start, len) = key_of(part);
    PINNED.with(|cell| {
        let table = cell.borrow();
        table
            .pinned
            .iter()
            .find(|p| p.key.0 <= start && start + len <= p.key.0 + p.key.1)
            .map(|p| p.serial)
    })
}

/// Runs `f` on the index of `text` when `text` is pinned (built on first use), else `None`.
fn with_index<R>(text: &str, f: impl FnOnce(&Index) -> R) -> Option<R> {
    let key = key_of(text);
    PINNED.with(|cell| {
        let mut table = cell.borrow_mut();
        let pinned = table.pinned.iter_mut().find(|p| p.key == key)?;
        Some(f(pinned.index.get_or_insert_with(|| Index::of(text))))
    })
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
    .unwrap_or_else(|| starts_of_chars(&text.as_bytes()[from..to]))
}

/// The 1-based number of the line holding byte `offset`, and the byte where that line starts.
pub fn line_of(text: &str, offset: usize) -> (usize, usize) {
    with_index(text, |index| {
        let starts = &index.starts;
        let i = starts.partition_point(|&s| s <= offset).max(1) - 1;
        (i + 1, starts[i])
    })
    .unwrap_or_else(|| {
        let before = &text.as_bytes()[..offset.min(text.len())];
        let line = 1 + before.iter().filter(|&&b| b == b'\n').count();
        let start = before
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1);
        (line, start)
    })
}

/// The byte range of line `n` (0-based) without its line end, or None past the last line;
/// lines as `str::lines` counts them (no empty line after a final newline).
pub fn line_range(text: &str, n: usize) -> Option<(usize, usize)> {
    let (start, end) = with_index(text, |index| {
        let start = *index.starts.get(n)?;
        Some((
            start,
            index.starts.get(n + 1).map_or(text.len(), |next| next - 1),
        ))
    })
    .unwrap_or_else(|| {
        let start = match n {
            0 => 0,
            _ => text.match_indices('\n').nth(n - 1)?.0 + 1,
        };
        Some((
            start,
            text[start..].find('\n').map_or(text.len(), |i| start + i),
        ))
    })?;
    (start < text.len()).then_some((start, end))
}

#[cfg(test)]
mod tests {
    use super::{chars_between, line_of, line_range, pin};

    #[test]
    fn lines_are_those_str_lines_gives() {
        for (text, pinned) in [
            "",
            "a",
            "a\n",
            "a\nb",
            "a\r\nb\r\n",
            "\n\n",
            "x\n\ny\r\n\r\nz",
            "\r\n",
        ]
        .into_iter()
        .flat_map(|t| [(t, false), (t, true)])
        {
            let _pin = pinned.then(|| pin(text));
            let expected: Vec<&str> = text.lines().collect();
            for n in 0..expected.len() + 2 {
                let got = line_range(text, n).map(|(a, b)| {
                    let l = &text[a..b];
                    l.strip_suffix('\r').unwrap_or(l)
                });
                assert_eq!(got, expected.get(n).copied(), "{text:?} line {n} {pinned}");
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
        for pinned in [false, true] {
            let _pin = pinned.then(|| pin(&text));
            for &from in bounds.iter().step_by(97) {
                for &to in bounds.iter().filter(|&&t| t >= from).step_by(89) {
                    assert_eq!(
                        chars_between(&text, from, to),
                        text[from..to].chars().count(),
                        "{from}..{to} {pinned}"
                    );
                }
            }
        }
    }

    #[test]
    fn offsets_fall_in_their_lines() {
        let text = "ab\ncd\n\nef";
        let _pin = pin(text);
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
        // Another text in between, pinned or not, takes nothing from the pinned one.
        assert_eq!(line_of("x\ny", 2), (2, 2));
        let other = String::from("p\nq\nr");
        {
            let _inner = pin(&other);
            assert_eq!(line_of(&other, 4), (3, 4));
            assert_eq!(line_of(text, 8), (4, 7));
        }
        assert_eq!(line_of(text, 8), (4, 7));
        assert_eq!(line_of(&other, 4), (3, 4));
    }

    #[test]
    fn the_end_of_a_text_of_whole_blocks_has_its_column() {
        // The `xml_check` crash: invalid UTF-8 after 4096 valid octets, the error placed at
        // the end of the valid prefix, on its line 84.
        for blocks in 1..=2 {
            let text = format!("{}\n{}", "a".repeat(4096 * blocks - 319), "b".repeat(318));
            for pinned in [false, true] {
                let _pin = pinned.then(|| pin(&text));
                let (line, start) = line_of(&text, text.len());
                assert_eq!((line, start), (2, text.len() - 318), "{blocks} {pinned}");
                assert_eq!(chars_between(&text, start, text.len()), 318);
                assert_eq!(chars_between(&text, 0, text.len()), text.len());
            }
        }
    }

    /// Two texts of one length at one address, one after the other, the way libFuzzer (one
    /// buffer overwritten in place) or an allocator reusing a freed block gives them.
    fn one_buffer_two_texts(pinned: bool) {
        // The first: two lines, and two-octet characters filling the first block; the
        // second: ASCII on nine lines, so the first's block counts would overcount it.
        let first = format!("{}\n{}", "é".repeat(2100), "x".repeat(3999));
        let second = "a\n".repeat(4100);
        assert_eq!(first.len(), second.len());
        let mut buffer = first.clone().into_bytes();
        let ask = |buffer: &[u8]| {
            let text = std::str::from_utf8(buffer).unwrap();
            let _pin = pinned.then(|| pin(text));
            (
                line_of(text, 8100),
                chars_between(text, 4000, 4200),
                line_range(text, 1),
            )
        };
        let got_first = ask(&buffer);
        assert_eq!(got_first, ((2, 4201), 100, Some((4201, first.len()))));
        buffer.copy_from_slice(second.as_bytes());
        let got_second = ask(&buffer);
        assert_eq!(
            got_second,
            ((4051, 8100), 200, Some((2, 3))),
            "pinned {pinned}"
        );
    }

    #[test]
    fn an_unpinned_text_at_the_address_of_an_earlier_one_gets_its_own_lines() {
        one_buffer_two_texts(false);
    }

    #[test]
    fn a_text_pinned_at_the_address_of_an_earlier_pinned_one_gets_its_own_lines() {
        one_buffer_two_texts(true);
    }
}

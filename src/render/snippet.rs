//! The source line of a finding, as every renderer that shows one shows it: windowed around
//! the finding's column, with long base64 runs (key material in XML payloads) masked, and the
//! place of the caret inside the window.

use crate::finding::Finding;

/// The most characters of a source line a snippet shows.
const WINDOW: usize = 100;

/// Characters base64 uses; runs of them are masked (key material in XML payloads is base64).
fn is_b64(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '+' || c == '/' || c == '='
}

/// Line `n` (0-based) of `source`, as `str::lines` gives it (line starts kept while the source
/// is pinned: `crate::line_index`).
fn nth_line(source: &str, n: usize) -> Option<&str> {
    let (start, end) = crate::line_index::line_range(source, n)?;
    let line = &source[start..end];
    Some(line.strip_suffix('\r').unwrap_or(line))
}

/// The source line of a finding, windowed to at most WINDOW characters around the column,
/// with the caret's byte range inside it. Runs of 24 or more base64 characters are replaced
/// by `[base64, N chars]`, N counting the whole run in the source, even where the window cuts
/// it. A run that reaches into the caret is not masked, so the caret never points at a mask.
pub fn source_window(source: &str, f: &Finding) -> Option<(String, std::ops::Range<usize>)> {
    let line = nth_line(source, f.location.line.checked_sub(1)? as usize)?;
    with_chars(line, |chars| window_of(source, chars, f))
}

/// Which line a kept `Vec<char>` is: the pinned text's serial, the line's address and length.
type LineKey = (u64, usize, usize);

thread_local! {
    /// The characters of the last line shown, keyed by the serial of the pinned text that
    /// holds it (`crate::line_index::pin`) and the line's address and length: findings are
    /// shown in order, many on one line, and collecting a 1.5 MB line's characters for each
    /// of its 100 000 findings took 93 s. The key is sound only while the pin keeps the line
    /// from being freed (a line of another text could take its address and length after),
    /// and a serial is never reused; a line of no pinned text is not kept.
    static LINE_CHARS: std::cell::RefCell<Option<(LineKey, Vec<char>)>> =
        const { std::cell::RefCell::new(None) };
}

fn with_chars<R>(line: &str, f: impl FnOnce(&[char]) -> R) -> R {
    let Some(serial) = crate::line_index::pinned_serial(line) else {
        return f(&line.chars().collect::<Vec<char>>());
    };
    let key = (serial, line.as_ptr() as usize, line.len());
    LINE_CHARS.with(|cell| {
        let mut cached = cell.borrow_mut();
        let chars = match cached.take() {
            Some((k, chars)) if k == key => chars,
            _ => line.chars().collect(),
        };
        let out = f(&chars);
        *cached = Some((key, chars));
        out
    })
}

fn window_of(
    source: &str,
    chars: &[char],
    f: &Finding,
) -> Option<(String, std::ops::Range<usize>)> {
    const MIN_RUN: usize = 24;
    let col = (f.location.column as usize)
        .saturating_sub(1)
        .min(chars.len());
    let span_chars = f.location.span.map_or(1, |(a, b)| {
        source.get(a..b).map_or(1, |s| s.chars().count().max(1))
    });
    let start = col.saturating_sub(WINDOW / 4);
    let end = (start + WINDOW).min(chars.len());
    // The caret, in characters of the line.
    let caret = col..(col + span_chars).min(end);
    let mut text = String::with_capacity(WINDOW * 2);
    if start > 0 {
        text.push('…');
    }
    let (mut caret_start, mut caret_end) = (None, None);
    let mut mark = |at: usize, text: &String| {
        if at == caret.start {
            caret_start = Some(text.len());
        }
        if at == caret.end {
            caret_end = Some(text.len());
        }
    };
    let mut i = start;
    while i < end {
        if !is_b64(chars[i]) {
            mark(i, &text);
            // A control in the line is shown escaped; a tab stays (the renderers expand it).
            let one = chars[i].encode_utf8(&mut [0; 4]).to_string();
            text.push_str(&super::escape_controls_but(&one, |c| c == '\t'));
            i += 1;
            continue;
        }
        // The whole run in the line, which may begin before the window and end after it.
        let mut run_start = i;
        while run_start > 0 && is_b64(chars[run_start - 1]) {
            run_start -= 1;
        }
        let mut run_end = i;
        while run_end < chars.len() && is_b64(chars[run_end]) {
            run_end += 1;
        }
        let shown_end = run_end.min(end);
        let run = &chars[run_start..run_end];
        // Long element names are runs too; base64 data almost always has a digit or + / =.
        let looks_encoded = run.iter().any(|c| c.is_ascii_digit() || "+/=".contains(*c));
        let clear_of_caret = shown_end <= caret.start || i >= caret.end;
        if run.len() >= MIN_RUN && looks_encoded && clear_of_caret {
            text.push_str(&format!("[base64, {} chars]", run.len()));
        } else {
            for (k, c) in chars.iter().enumerate().take(shown_end).skip(i) {
                mark(k, &text);
                text.push(*c);
            }
        }
        i = shown_end;
    }
    mark(end, &text);
    let shown_len = text.len();
    if end < chars.len() {
        text.push('…');
    }
    let caret_start = caret_start.unwrap_or(shown_len);
    let caret_end = caret_end
        .unwrap_or(shown_len)
        .max(caret_start + 1)
        .min(text.len());
    Some(visible_leading_space_under_caret(
        text,
        caret_start..caret_end,
    ))
}

/// `text` as annotate-snippets 0.11 can draw a caret under: its tabs as four spaces (it
/// draws a tab four columns wide but counts it zero when it places the caret, so a caret
/// after a tab stood too far left), the rest of its leading white space as plain spaces, and,
/// when the caret points into that white space, every character of it shown (`→` a tab, `·`
/// another). It trims a long line's leading white space and subtracts its width from the
/// caret's end, which underflowed when the caret lay inside it or after leading tabs: a panic
/// in a debug build, the caret at column 1 in a release one
/// (`tests/fuzz-regressions/xml_check-caret-in-leading-tabs.bin`; the same Margin bug was
/// fixed upstream after 0.11 by rust-lang/annotate-snippets-rs#334).
fn visible_leading_space_under_caret(
    text: String,
    caret: std::ops::Range<usize>,
) -> (String, std::ops::Range<usize>) {
    let lead_end = text
        .char_indices()
        .find(|(_, c)| !c.is_whitespace())
        .map_or(text.len(), |(i, _)| i);
    let caret_in_lead = caret.start < lead_end;
    if !caret_in_lead && !text.contains('\t') && text[..lead_end].bytes().all(|b| b == b' ') {
        return (text, caret);
    }
    let mut out = String::with_capacity(text.len() + 3 * lead_end);
    let (mut start, mut end) = (None, None);
    for (i, c) in text.char_indices() {
        if i == caret.start {
            start = Some(out.len());
        }
        if i == caret.end {
            end = Some(out.len());
        }
        match (c, i < lead_end) {
            ('\t', true) if caret_in_lead => out.push('→'),
            ('\t', _) => out.push_str("    "),
            (_, true) if caret_in_lead => out.push('·'),
            (_, true) => out.push(' '),
            (c, false) => out.push(c),
        }
    }
    let start = start.unwrap_or(out.len());
    let end = end.unwrap_or(out.len()).max(start);
    (out, start..end)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::{FindingVerdict, Level as ClauseLevel, Location, Severity, Status};

    fn at(line: u32, column: u32) -> Finding {
        Finding {
            rule: "X-01".into(),
            requirement: Vec::new(),
            clause: String::new(),
            level: ClauseLevel::Shall,
            severity: Severity::Error,
            status: Status::Confirmed,
            verdict: FindingVerdict::Fail,
            message: String::new(),
            location: Location {
                line,
                column,
                ..Location::default()
            },
            party: None,
        }
    }

    /// 220 base64 characters (with digits, so they read as encoded).
    fn key() -> String {
        "AbC0+/".repeat(37)[..220].to_string()
    }

    /// Tabs become four spaces, the caret moving with them, so annotate-snippets places it
    /// under the character it is about.
    #[test]
    fn tabs_are_four_spaces_and_the_caret_follows() {
        let source = "\t\t<a>\tb</a>";
        let (text, caret) = source_window(source, &at(1, 7)).unwrap();
        assert_eq!(text, "        <a>    b</a>");
        assert_eq!(&text[caret], "b");
    }

    /// A caret inside the leading white space shows that white space: nothing is left for
    /// the renderer to trim.
    #[test]
    fn a_caret_in_leading_white_space_shows_it() {
        let source = " \t  <a/>";
        let (text, caret) = source_window(source, &at(1, 2)).unwrap();
        assert_eq!(text, "·→··<a/>");
        assert_eq!(&text[caret], "→");
    }

    #[test]
    fn a_masked_run_cut_by_the_window_start_counts_every_character() {
        let source = format!("<a>{}</a><b>x</b>", key());
        let col = source.find("<b>").unwrap() as u32 + 1;
        let (text, caret) = source_window(&source, &at(1, col)).unwrap();
        assert_eq!(text, "…[base64, 220 chars]</a><b>x</b>");
        assert_eq!(&text[caret], "<");
    }

    #[test]
    fn a_masked_run_cut_by_the_window_end_counts_every_character() {
        let source = format!("<b>x</b><a>{}</a>", key());
        let (text, caret) = source_window(&source, &at(1, 1)).unwrap();
        assert_eq!(text, "<b>x</b><a>[base64, 220 chars]…");
        assert_eq!(&text[caret], "<");
    }

    #[test]
    fn a_run_under_the_caret_is_shown_and_short_runs_are_kept() {
        let source = format!("<a>{}</a> <c>ABCD1234</c>", key());
        let (text, caret) = source_window(&source, &at(1, 4)).unwrap();
        assert!(text.starts_with("<a>AbC0+/"), "{text}");
        assert!(text.ends_with('…'));
        assert_eq!(caret, 3..4);
        let source = "<c>ABCD1234</c>";
        assert_eq!(source_window(source, &at(1, 1)).unwrap().0, source);
    }

    /// Two sources of one length at one address, one after the other (one buffer
    /// overwritten in place, as libFuzzer does, or a freed block reused by the allocator).
    fn one_buffer_two_sources(pinned: bool) {
        let first = "<a>one</a>";
        let second = "<b>two</b>";
        let mut buffer = first.as_bytes().to_vec();
        let show = |buffer: &[u8]| {
            let source = std::str::from_utf8(buffer).unwrap();
            let _pin = pinned.then(|| crate::line_index::pin(source));
            source_window(source, &at(1, 1)).unwrap().0
        };
        assert_eq!(show(&buffer), first);
        buffer.copy_from_slice(second.as_bytes());
        assert_eq!(show(&buffer), second, "pinned {pinned}");
    }

    #[test]
    fn an_unpinned_source_at_the_address_of_an_earlier_one_shows_its_own_line() {
        one_buffer_two_sources(false);
    }

    #[test]
    fn a_source_pinned_at_the_address_of_an_earlier_pinned_one_shows_its_own_line() {
        one_buffer_two_sources(true);
    }
}

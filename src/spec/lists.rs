//! SPEC-TXT-02: list items out of order. A marker begins a line: `1)`, `a)`, `i)` (3GPP's
//! three levels) or `1.`; a number starts its level again below it (a new `1)` resets the
//! letters and romans, a letter the romans). Each marker must be the one after the last of
//! its level, or the first (a list may start again). `i)`, `v)`, `x)` are letters only right
//! after `h)`, `u)`, `w)`; otherwise romans. State starts afresh at each clause heading.

use super::document::Document;
use super::rules;
use crate::finding::Finding;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Style {
    Number,
    NumberDot,
    Letter,
    Roman,
}

/// A marker's style, value (1-based) and text, if the line begins with one.
fn marker(line: &str, last_letter: Option<u32>) -> Option<(Style, u32, String)> {
    let t = line.trim_start();
    let end = t.find([')', '.'])?;
    let (head, delim) = (&t[..end], &t[end..end + 1]);
    let after = &t[end + 1..];
    if head.is_empty() || !(after.is_empty() || after.starts_with(char::is_whitespace)) {
        return None;
    }
    let text = format!("{head}{delim}");
    if head.chars().all(|c| c.is_ascii_digit()) && head.len() <= 3 {
        let v = head.parse().ok()?;
        let style = if delim == ")" {
            Style::Number
        } else {
            Style::NumberDot
        };
        if style == Style::NumberDot && after.trim().is_empty() {
            return None;
        }
        return Some((style, v, text));
    }
    if delim != ")" {
        return None;
    }
    let roman = roman_value(head);
    if head.len() == 1 && head.chars().all(|c| c.is_ascii_lowercase()) {
        let letter = head.as_bytes()[0] as u32 - b'a' as u32 + 1;
        let letter_follows = last_letter == Some(letter - 1);
        if roman.is_none() || letter_follows {
            return Some((Style::Letter, letter, text));
        }
    }
    roman.map(|v| (Style::Roman, v, text))
}

fn roman_value(s: &str) -> Option<u32> {
    const R: &[&str] = &[
        "i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii",
    ];
    R.iter().position(|r| *r == s).map(|p| p as u32 + 1)
}

fn name(style: Style, v: u32) -> String {
    match style {
        Style::Number => format!("{v})"),
        Style::NumberDot => format!("{v}."),
        Style::Letter => format!("{})", (b'a' + (v - 1).min(25) as u8) as char),
        Style::Roman => {
            const R: &[&str] = &[
                "i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii",
            ];
            format!("{})", R.get(v as usize - 1).unwrap_or(&"?"))
        }
    }
}

pub fn check(doc: &Document, lines: &[usize], strict: bool) -> Vec<Finding> {
    let mut out = Vec::new();
    // Last value and line of each style; the clause they belong to.
    let mut last: [Option<(u32, usize)>; 4] = [None; 4];
    let mut clause = None;
    for &i in lines {
        let here = doc.clause_of(i).map(|h| h.index);
        if here != clause {
            last = [None; 4];
            clause = here;
        }
        if doc.is_heading(i) {
            continue;
        }
        let letter = last[Style::Letter as usize].map(|l| l.0);
        let Some((style, v, text)) = marker(&doc.lines[i].text, letter) else {
            continue;
        };
        match style {
            Style::Number => {
                last[Style::Letter as usize] = None;
                last[Style::Roman as usize] = None;
            }
            Style::Letter => last[Style::Roman as usize] = None,
            _ => {}
        }
        let prev = last[style as usize];
        let expected = prev.map_or(1, |p| p.0 + 1);
        if v != expected && v != 1 {
            let after = match prev {
                Some((pv, pi)) => format!("after {} at {}", name(style, pv), doc.place(pi)),
                None => {
                    let parents: &[Style] = match style {
                        Style::Roman => &[Style::Letter, Style::Number],
                        Style::Letter => &[Style::Number],
                        _ => &[],
                    };
                    match parents
                        .iter()
                        .find_map(|p| last[*p as usize].map(|l| (*p, l)))
                    {
                        Some((ps, (pv, pi))) => format!(
                            "first in the list under {} at {}",
                            name(ps, pv),
                            doc.place(pi)
                        ),
                        None => "first in its list".to_string(),
                    }
                }
            };
            let detail = format!(
                "list item {text} comes {after}, where {} was expected: the items run out of order",
                name(style, expected)
            );
            let column = (doc.lines[i].text.len() - doc.lines[i].text.trim_start().len()) as u32;
            out.push(rules::finding(
                "SPEC-TXT-02",
                &detail,
                doc.location(i, column + 1),
                strict,
            ));
        }
        last[style as usize] = Some((v, i));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers() {
        assert_eq!(marker("ii)", None).map(|m| m.1), Some(2));
        assert_eq!(marker("i)", Some(1)).map(|m| m.0), Some(Style::Roman));
        assert_eq!(marker("i)", Some(8)).map(|m| m.0), Some(Style::Letter));
        assert_eq!(
            marker("c) ", None).map(|m| (m.0, m.1)),
            Some((Style::Letter, 3))
        );
        assert_eq!(
            marker("1. Design", None).map(|m| m.0),
            Some(Style::NumberDot)
        );
        assert_eq!(marker("5.1.6.7", None), None);
        assert_eq!(marker("0x00 identifies", None), None);
        assert_eq!(marker("e.g. this", None), None);
    }
}

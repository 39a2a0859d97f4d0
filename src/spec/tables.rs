//! SPEC-TBL-01: a table row that places an element somewhere its own clause text does not.
//! Tables are read only for this: within one clause, the places the prose gives ("at the
//! `<Response>` level", "at `<mbmsMSKResponse>` level") and those a table line gives are
//! compared; a table place the prose never names, where the prose names one, is reported
//! with the table's caption ("Table 23: …", the next caption after the row).

use super::document::Document;
use super::rules;
use crate::finding::Finding;

/// The `<NAME>` of each "at (the) `<NAME>` level" of a line, with its byte offset.
fn levels(line: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(k) = line[from..].find("at ") {
        let at = from + k;
        from = at + 3;
        let rest = line[at + 3..]
            .strip_prefix("the ")
            .unwrap_or(&line[at + 3..]);
        let Some(inner) = rest.strip_prefix('<') else {
            continue;
        };
        let Some(gt) = inner.find('>') else { continue };
        let name = &inner[..gt];
        let level_follows = inner[gt + 1..].trim_start().starts_with("level");
        let boundary = at == 0 || !line.as_bytes()[at - 1].is_ascii_alphanumeric();
        if level_follows && boundary && !name.is_empty() && !name.contains(' ') {
            let offset = line.len() - inner.len() - 1;
            out.push((offset, name));
        }
    }
    out
}

pub fn check(doc: &Document, lines: &[usize], strict: bool) -> Vec<Finding> {
    let mut out = Vec::new();
    // Group the lines by clause (the index of its heading).
    let mut groups: Vec<(Option<usize>, Vec<usize>)> = Vec::new();
    for &i in lines {
        let clause = doc.clause_of(i).map(|h| h.index);
        match groups.last_mut() {
            Some((c, v)) if *c == clause => v.push(i),
            _ => groups.push((clause, vec![i])),
        }
    }
    for (_, group) in &groups {
        let prose: Vec<(usize, &str)> = group
            .iter()
            .filter(|&&i| !doc.lines[i].in_table)
            .flat_map(|&i| {
                levels(&doc.lines[i].text)
                    .into_iter()
                    .map(move |(_, n)| (i, n))
            })
            .collect();
        if prose.is_empty() {
            continue;
        }
        for &i in group.iter().filter(|&&i| doc.lines[i].in_table) {
            for (offset, name) in levels(&doc.lines[i].text) {
                if prose.iter().any(|(_, n)| *n == name) {
                    continue;
                }
                let said: Vec<String> = prose
                    .iter()
                    .map(|(pi, n)| format!("<{n}> (at {})", doc.place(*pi)))
                    .collect();
                let caption = group
                    .iter()
                    .filter(|&&k| k > i)
                    .map(|&k| doc.lines[k].text.trim())
                    .find(|t| t.starts_with("Table ") && t.contains(':'))
                    .map(|t| format!(" ({t})"))
                    .unwrap_or_default();
                let detail = format!(
                    "the table row{caption} places the element at the <{name}> level, but its clause text places it at the level of {}",
                    said.join(", ")
                );
                out.push(rules::finding(
                    "SPEC-TBL-01",
                    &detail,
                    doc.location_at_byte(i, offset),
                    strict,
                ));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn level_phrases() {
        let l = levels("inclusion at <Response> level of X, or at the <mbmsMSKResponse> level.");
        let names: Vec<&str> = l.iter().map(|x| x.1).collect();
        assert_eq!(names, ["Response", "mbmsMSKResponse"]);
        assert_eq!(l[0].0, 13);
        assert!(levels("that <Response> level").is_empty());
    }
}

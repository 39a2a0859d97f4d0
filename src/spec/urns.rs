//! SPEC-URN-01..03: the URNs and namespace URIs of a document. A quoted URN or namespace
//! URI must have no space inside (RFC 8141 2; RFC 3986 admits none in a URI); every URN's
//! namespace identifier must be registered with IANA (rules/spec/urn-namespaces.txt, or the
//! informal `urn-<number>` form); and a namespace the text gives a message ("the
//! “mbmsSecurityRegister” message defined according to XML schema “urn:…”") must be the one
//! the document's example of that message uses.

use super::document::Document;
use super::rules;
use super::ExampleRoot;
use crate::finding::Finding;
use std::collections::BTreeSet;
use std::sync::OnceLock;

const REGISTRY: &str = include_str!("../../rules/spec/urn-namespaces.txt");

/// The registered formal NIDs, lower case.
fn registered() -> &'static BTreeSet<String> {
    static SET: OnceLock<BTreeSet<String>> = OnceLock::new();
    SET.get_or_init(|| {
        REGISTRY
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(str::to_ascii_lowercase)
            .collect()
    })
}

/// Whether an NID is registered: a listed formal NID or an informal `urn-<n>`.
pub fn is_registered(nid: &str) -> bool {
    let nid = nid.to_ascii_lowercase();
    let informal = nid
        .strip_prefix("urn-")
        .is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()));
    informal || registered().contains(&nid)
}

/// A quoted string on a line: its content and the byte offset of its first character.
pub struct Quoted<'a> {
    pub text: &'a str,
    pub start: usize,
}

/// The strings of a line in double quotes (straight, or curly opening and closing). A quote
/// left open runs to nothing: it is not a quoted string.
pub fn quoted(line: &str) -> Vec<Quoted<'_>> {
    let mut out = Vec::new();
    let mut rest = 0;
    while let Some(k) = line[rest..].find(['"', '“']) {
        let open = rest + k;
        let close_char = if line[open..].starts_with('“') {
            '”'
        } else {
            '"'
        };
        let start = open + line[open..].chars().next().map_or(1, char::len_utf8);
        let Some(len) = line[start..].find(close_char) else {
            break;
        };
        out.push(Quoted {
            text: &line[start..start + len],
            start,
        });
        rest = start + len + close_char.len_utf8();
    }
    out
}

fn is_namespace_like(s: &str) -> bool {
    let l = s.trim_start().to_ascii_lowercase();
    l.starts_with("urn:") || l.starts_with("http://") || l.starts_with("https://")
}

/// SPEC-URN-01 (a quoted URN or namespace URI with a space) and SPEC-URN-02 (an unregistered
/// NID) on the given lines.
pub fn syntax_and_registry(doc: &Document, lines: &[usize], strict: bool) -> Vec<Finding> {
    let mut out = Vec::new();
    for &i in lines {
        let line = &doc.lines[i].text;
        for q in quoted(line) {
            if is_namespace_like(q.text) && q.text.contains(char::is_whitespace) {
                let space = q.start + q.text.find(char::is_whitespace).unwrap_or(0);
                let joined: String = q.text.split_whitespace().collect();
                let detail = format!(
                    "“{}” has a space inside: a URN or URI has none (RFC 8141 2, RFC 3986 2); read without it, it is {joined}",
                    q.text
                );
                out.push(rules::finding(
                    "SPEC-URN-01",
                    &detail,
                    doc.location_at_byte(i, space),
                    strict,
                ));
            }
        }
        for (at, nid, urn) in urn_nids(line) {
            if !is_registered(nid) {
                let hint = nearest(nid)
                    .map(|n| format!("; did you mean '{n}'?"))
                    .unwrap_or_default();
                let detail = format!(
                    "the URN namespace identifier '{nid}' (in {urn}) is not registered with IANA (RFC 8141 5){hint}"
                );
                out.push(rules::finding(
                    "SPEC-URN-02",
                    &detail,
                    doc.location_at_byte(i, at),
                    strict,
                ));
            }
        }
    }
    out
}

/// Each `urn:NID:` of a line: the byte offset of "urn", the NID, and the URN up to the next
/// space, quote or angle bracket.
fn urn_nids(line: &str) -> Vec<(usize, &str, &str)> {
    let lower = line.to_ascii_lowercase();
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(k) = lower[from..].find("urn:") {
        let at = from + k;
        from = at + 4;
        let boundary = line[..at]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_alphanumeric() && c != '-');
        let rest = &line[at + 4..];
        let Some(colon) = rest.find(':') else {
            continue;
        };
        let nid = &rest[..colon];
        let nid_form = !nid.is_empty()
            && nid.len() <= 32
            && nid.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
        if !boundary || !nid_form {
            continue;
        }
        let end = line[at..]
            .find(|c: char| c.is_whitespace() || matches!(c, '"' | '”' | '<' | '>' | '\''))
            .map_or(line.len(), |e| at + e);
        let urn = line[at..end].trim_end_matches(['.', ',', ';', ')', ':']);
        out.push((at, nid, urn));
        from = at + 4 + colon;
    }
    out
}

/// A registered NID one edit away, the likely intended one.
fn nearest(nid: &str) -> Option<&'static str> {
    let nid = nid.to_ascii_lowercase();
    registered()
        .iter()
        .find(|r| one_edit(&nid, r))
        .map(String::as_str)
}

fn one_edit(a: &str, b: &str) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let (short, long) = if a.len() <= b.len() {
        (&a, &b)
    } else {
        (&b, &a)
    };
    match long.len() - short.len() {
        0 => a.iter().zip(&b).filter(|(x, y)| x != y).count() == 1,
        1 => (0..long.len()).any(|k| {
            let mut l = long.clone();
            l.remove(k);
            l == *short
        }),
        _ => false,
    }
}

/// SPEC-URN-03: a quoted message name ("“mbmsSecurityRegister” message") followed, in the
/// same line and with "schema" or "namespace" between, by a quoted namespace that is not the
/// one the document's example of that message uses (spaces removed: SPEC-URN-01 reports
/// those).
pub fn against_examples(
    doc: &Document,
    lines: &[usize],
    roots: &[ExampleRoot],
    strict: bool,
) -> Vec<Finding> {
    let mut out = Vec::new();
    for &i in lines {
        let line = &doc.lines[i].text;
        let qs = quoted(line);
        for pair in qs.windows(2) {
            let (name, ns) = (&pair[0], &pair[1]);
            let between = &line[name.start + name.text.len()..ns.start];
            let linked = between.contains("schema") || between.contains("namespace");
            if !linked || !is_namespace_like(ns.text) {
                continue;
            }
            let said: String = ns.text.split_whitespace().collect();
            let uses: Vec<&ExampleRoot> = roots.iter().filter(|r| r.name == name.text).collect();
            if uses.is_empty() || uses.iter().any(|r| r.namespace == said) {
                continue;
            }
            let r = uses[0];
            let detail = format!(
                "the text gives the “{}” message the namespace {said}, but the example of it at lines {}-{} uses {}",
                name.text,
                doc.lines[r.block.first].number,
                doc.lines[r.block.last].number,
                r.namespace
            );
            out.push(rules::finding(
                "SPEC-URN-03",
                &detail,
                doc.location_at_byte(i, ns.start),
                strict,
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registry_informal_and_suggestions() {
        assert!(is_registered("3GPP") && is_registered("oma") && is_registered("urn-7"));
        assert!(!is_registered("uuuid") && !is_registered("urn-x"));
        assert_eq!(nearest("uuuid"), Some("uuid"));
        let found = urn_nids(r#"<entity id="urn:uuuid:do39">, "urn:urn-7:3gpp-service.x""#);
        let nids: Vec<&str> = found.iter().map(|f| f.1).collect();
        assert_eq!(nids, ["uuuid", "urn-7"]);
        assert_eq!(found[0].2, "urn:uuuid:do39");
    }

    #[test]
    fn quoted_strings_straight_and_curly() {
        let q = quoted(r#"say "a b" and “c ” but “open"#);
        let texts: Vec<&str> = q.iter().map(|q| q.text).collect();
        assert_eq!(texts, ["a b", "c "]);
    }
}

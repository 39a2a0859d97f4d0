//! Spellings of raw HTTP exchanges: each XML body respelled as `xml.rs` respells a document,
//! its Content-Length moved by the octets the spelling added. The exchange rules, which read
//! the request and the response together, must judge the same.

use super::{xml, Variant};
use mikeyconf::internals::xsd::SchemaSet;
use std::collections::BTreeMap;
use std::ops::Range;

/// One message of the file: where its Content-Length value and its XML body are.
struct Message {
    length: Option<Range<usize>>,
    xml: Option<Range<usize>>,
}

fn is_start_line(line: &str) -> bool {
    let line = line.trim_end();
    if line.starts_with("HTTP/1.") {
        return true;
    }
    let mut words = line.split(' ');
    let method = words.next().unwrap_or("");
    !method.is_empty()
        && method.bytes().all(|b| b.is_ascii_uppercase())
        && (line.ends_with("HTTP/1.1") || line.ends_with("HTTP/1.0"))
}

/// The messages of raw HTTP text: start line, headers, then a body up to the next start line.
fn messages(text: &str) -> Vec<Message> {
    let mut lines = Vec::new();
    let mut at = 0;
    for l in text.split_inclusive('\n') {
        lines.push((at, l));
        at += l.len();
    }
    let starts: Vec<usize> = (0..lines.len())
        .filter(|&i| is_start_line(lines[i].1))
        .collect();
    let mut out = Vec::new();
    for (k, &first) in starts.iter().enumerate() {
        let end = starts.get(k + 1).map_or(text.len(), |&n| lines[n].0);
        let mut length = None;
        let mut i = first + 1;
        while i < lines.len() && lines[i].0 < end && !lines[i].1.trim().is_empty() {
            let (off, l) = lines[i];
            if let Some((name, value)) = l.split_once(':') {
                if name.trim().eq_ignore_ascii_case("content-length") {
                    let v_start = off + name.len() + 1;
                    let v = value.trim_end();
                    let lead = v.len() - v.trim_start().len();
                    length = Some(v_start + lead..v_start + v.len());
                }
            }
            i += 1;
        }
        let body_start = lines.get(i + 1).map_or(end, |l| l.0).min(end);
        let body = &text[body_start..end];
        let xml = match (body.find('<'), body.rfind('>')) {
            (Some(a), Some(b)) if a < b && body[..a].trim().is_empty() => {
                Some(body_start + a..body_start + b + 1)
            }
            _ => None,
        };
        out.push(Message { length, xml });
    }
    out
}

/// A body's range, its new text, and the range of its Content-Length value.
type BodyEdit = (Range<usize>, String, Range<usize>);

pub fn variants(bytes: &[u8], schemas: &SchemaSet) -> Vec<Variant> {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return Vec::new();
    };
    let msgs = messages(text);
    // Per spelling name: the edits of every body it changes.
    let mut by_name: BTreeMap<&'static str, Vec<BodyEdit>> = BTreeMap::new();
    for m in &msgs {
        let (Some(xml_range), Some(len_range)) = (m.xml.clone(), m.length.clone()) else {
            continue;
        };
        for v in xml::variants(&text[xml_range.clone()], schemas) {
            let new = String::from_utf8(v.bytes).unwrap_or_default();
            by_name
                .entry(v.name)
                .or_default()
                .push((xml_range.clone(), new, len_range.clone()));
        }
    }
    by_name
        .into_iter()
        .filter_map(|(name, edits)| Some(Variant::of(name, apply(text, edits)?.into_bytes())))
        .collect()
}

/// The text with each body replaced and its Content-Length moved by the difference.
fn apply(text: &str, edits: Vec<BodyEdit>) -> Option<String> {
    let mut all: Vec<(Range<usize>, String)> = Vec::new();
    for (body, new, len) in edits {
        let old: i64 = text[len.clone()].parse().ok()?;
        let moved = old + new.len() as i64 - body.len() as i64;
        all.push((len, moved.to_string()));
        all.push((body, new));
    }
    all.sort_by_key(|(r, _)| std::cmp::Reverse(r.start));
    let mut out = text.to_string();
    for (r, new) in all {
        out.replace_range(r, &new);
    }
    Some(out)
}

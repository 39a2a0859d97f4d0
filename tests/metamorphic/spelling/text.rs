//! Spellings of text forms: a MIKEY message's base64 broken into lines and its hex spaced
//! (the readers skip whitespace); a trace's addresses in IPv6, written compressed and
//! expanded (RFC 4291 2.2: the same address); a trace's FDTs and SIP messages in the XML
//! and SIP spellings.

use super::Variant;
use base64::Engine as _;
use std::net::{Ipv4Addr, Ipv6Addr};

pub fn mikey_variants(m: &[u8]) -> Vec<Variant> {
    if m.is_empty() {
        return Vec::new();
    }
    let b64 = base64::engine::general_purpose::STANDARD.encode(m);
    let lines = |width: usize, eol: &str| {
        b64.as_bytes()
            .chunks(width)
            .map(|c| String::from_utf8_lossy(c).to_string())
            .collect::<Vec<_>>()
            .join(eol)
    };
    let spaced: Vec<String> = m
        .chunks(16)
        .map(|line| {
            line.iter()
                .map(|b| format!("{b:02x}"))
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect();
    vec![
        Variant::of(
            "base64-lines-76-crlf",
            format!("{}\r\n", lines(76, "\r\n")).into(),
        ),
        Variant::of(
            "base64-lines-64-lf",
            format!("{}\n", lines(64, "\n")).into(),
        ),
        Variant::of(
            "hex-spaced-lines",
            format!("{}\n", spaced.join("\n")).into(),
        ),
        Variant::of(
            "hex-upper-case",
            format!("{}\n", hex::encode_upper(m)).into(),
        ),
    ]
}

/// The IPv6 address an IPv4 address moves to: 2001:db8::a.b.c.d's 32 bits.
fn moved(v4: Ipv4Addr) -> Ipv6Addr {
    let [a, b, c, d] = v4.octets();
    Ipv6Addr::new(
        0x2001,
        0x0db8,
        0,
        0,
        0,
        0,
        u16::from_be_bytes([a, b]),
        u16::from_be_bytes([c, d]),
    )
}

/// Every full eight-group spelling of an address, leading zeros included.
fn expanded(a: Ipv6Addr) -> String {
    a.segments()
        .iter()
        .map(|s| format!("{s:04x}"))
        .collect::<Vec<_>>()
        .join(":")
}

/// The trace with each IPv4 address of its `from`, `to` and `resolve` values written as
/// IPv6, by `spell`.
fn trace_in_ipv6(text: &str, spell: &dyn Fn(Ipv6Addr, usize) -> String) -> Option<String> {
    let mut out = String::new();
    let mut n = 0;
    let mut in_resolve = false;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        let indent = &line[..line.len() - trimmed.len()];
        if !line.starts_with(' ') {
            in_resolve = trimmed.starts_with("resolve:");
        }
        let key_value = trimmed
            .strip_prefix("- ")
            .unwrap_or(trimmed)
            .split_once(": ");
        let field = match key_value {
            Some((k, v)) if k == "from" || k == "to" || (in_resolve && indent.len() >= 2) => {
                Some((k, v.trim()))
            }
            _ => None,
        };
        let Some((key, value)) = field else {
            out.push_str(line);
            continue;
        };
        let (host, port) = match value.rsplit_once(':') {
            Some((h, p)) if p.bytes().all(|b| b.is_ascii_digit()) => (h, Some(p)),
            _ => (value, None),
        };
        let Ok(v4) = host.trim_matches(['\'', '"']).parse::<Ipv4Addr>() else {
            out.push_str(line);
            continue;
        };
        let v6 = spell(moved(v4), n);
        n += 1;
        let new = match port {
            Some(p) => format!("'[{v6}]:{p}'"),
            None => format!("'{v6}'"),
        };
        let head = &line[..line.len() - trimmed.len()];
        let dash = if trimmed.starts_with("- ") { "- " } else { "" };
        out.push_str(&format!("{head}{dash}{key}: {new}\n"));
    }
    (n > 0).then_some(out)
}

pub fn trace_variants(bytes: &[u8]) -> Vec<Variant> {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return Vec::new();
    };
    let Some(compressed) = trace_in_ipv6(text, &|a, _| a.to_string()) else {
        return Vec::new();
    };
    let like = Some(compressed.into_bytes());
    let mut out = Vec::new();
    if let Some(t) = trace_in_ipv6(text, &|a, _| expanded(a)) {
        out.push(Variant {
            name: "ipv6-expanded",
            bytes: t.into_bytes(),
            like: like.clone(),
        });
    }
    // The same address spelled both ways within one trace.
    if let Some(t) = trace_in_ipv6(text, &|a, n| {
        if n % 2 == 1 {
            expanded(a)
        } else {
            a.to_string()
        }
    }) {
        out.push(Variant {
            name: "ipv6-mixed",
            bytes: t.into_bytes(),
            like,
        });
    }
    out
}

/// The trace with each FLUTE event's FDT respelled by the XML spellings (`xml.rs`).
pub fn trace_fdt_variants(
    bytes: &[u8],
    schemas: &mikeyconf::internals::xsd::SchemaSet,
) -> Vec<Variant> {
    let spell = |fdt: &str| -> Vec<(&'static str, String)> {
        super::xml::variants(fdt, schemas)
            .into_iter()
            .map(|v| (v.name, String::from_utf8(v.bytes).unwrap_or_default()))
            .collect()
    };
    trace_field_variants(bytes, ("flute", "fdt"), "xml-", "fdt-in-trace-", &spell)
}

/// The trace with each SIP event's messages respelled by the SIP spellings (`sip.rs`).
pub fn trace_sip_variants(bytes: &[u8]) -> Vec<Variant> {
    let spell = |raw: &str| -> Vec<(&'static str, String)> {
        super::sip::variants(raw.as_bytes())
            .into_iter()
            .map(|v| (v.name, String::from_utf8(v.bytes).unwrap_or_default()))
            .collect()
    };
    trace_field_variants(bytes, ("sip", "raw"), "sip-", "sip-in-trace-", &spell)
}

/// The trace with the text at `events[*].OUTER.INNER` respelled by `spell`, one spelling at
/// a time (named `prefix` + its name less `strip`), each judged like the trace rewritten with
/// those texts as they are (the YAML is written anew either way).
fn trace_field_variants(
    bytes: &[u8],
    (outer, inner): (&str, &str),
    strip: &str,
    prefix: &str,
    spell: &dyn Fn(&str) -> Vec<(&'static str, String)>,
) -> Vec<Variant> {
    let Ok(trace) = serde_yaml::from_slice::<serde_yaml::Value>(bytes) else {
        return Vec::new();
    };
    let texts: Vec<String> = events(&trace)
        .filter_map(|e| e[outer][inner].as_str().map(str::to_string))
        .collect();
    if texts.is_empty() {
        return Vec::new();
    }
    let Ok(unchanged) = serde_yaml::to_string(&trace) else {
        return Vec::new();
    };
    // Per text, its spellings; a spelling that does not change a text leaves it as it is.
    let spelled: Vec<Vec<(&'static str, String)>> = texts.iter().map(|t| spell(t)).collect();
    let mut names: Vec<&'static str> = Vec::new();
    for (n, _) in spelled.iter().flatten() {
        if !names.contains(n) {
            names.push(n);
        }
    }
    names
        .into_iter()
        .filter_map(|name| {
            let mut t = trace.clone();
            let mut i = 0;
            for e in events_mut(&mut t) {
                if e[outer][inner].as_str().is_some() {
                    if let Some((_, new)) = spelled[i].iter().find(|(n, _)| *n == name) {
                        e[outer][inner] = serde_yaml::Value::String(new.clone());
                    }
                    i += 1;
                }
            }
            let text = serde_yaml::to_string(&t).ok()?;
            let rest = name.strip_prefix(strip).unwrap_or(name);
            Some(Variant {
                name: format!("{prefix}{rest}").leak(),
                bytes: text.into_bytes(),
                like: Some(unchanged.clone().into_bytes()),
            })
        })
        .collect()
}

fn events(trace: &serde_yaml::Value) -> impl Iterator<Item = &serde_yaml::Value> {
    trace["events"].as_sequence().into_iter().flatten()
}

fn events_mut(trace: &mut serde_yaml::Value) -> impl Iterator<Item = &mut serde_yaml::Value> {
    trace
        .get_mut("events")
        .and_then(serde_yaml::Value::as_sequence_mut)
        .into_iter()
        .flatten()
}

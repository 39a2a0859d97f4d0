//! Reports: a `tshark -V`-like text tree and a JSON value. Key material is
//! never shown: the model's `Secret` fields serialise as length plus a
//! 32-bit SHA-256 fingerprint, and ciphertext as a truncated prefix.

use super::codes::{DataType, PurposeTag};
use super::field::FieldValue;
use super::Decoded;
use serde_json::{json, Map, Value};

/// JSON shape: `{"input_len", "complete", "header": {...}, "payloads": [...],
/// "issues": [...]}`. Every decoded field is `{"value", "offset", "len"}`
/// plus `"meaning"` for code points and printable byte strings.
pub fn to_json(d: &Decoded<'_>) -> Value {
    let mut root = Map::new();
    root.insert("input_len".into(), json!(d.input.len()));
    root.insert("complete".into(), json!(d.is_clean()));
    match &d.message {
        Some(m) => {
            let mut h = serde_json::to_value(&m.header).unwrap_or(Value::Null);
            if let (Value::Object(o), true) = (&mut h, m.header.data_type.value == DataType::SAKKE)
            {
                let tag = PurposeTag::of_key_id(m.header.csb_id.value);
                o.insert(
                    "csb_id_purpose_tag".into(),
                    json!({
                        "value": tag.0,
                        "offset": m.header.csb_id.offset,
                        "len": 1,
                        "meaning": format!("MCX purpose tag (4 MSBs of CSB ID): {}", tag.meaning().unwrap_or_default()),
                    }),
                );
            }
            root.insert("header".into(), h);
            let payloads: Vec<Value> = m
                .payloads
                .iter()
                .map(|p| {
                    let mut v = serde_json::to_value(p).unwrap_or(Value::Null);
                    if let Value::Object(o) = &mut v {
                        o.insert(
                            "name".into(),
                            json!(p.payload_type.name().unwrap_or("unknown")),
                        );
                    }
                    v
                })
                .collect();
            root.insert("payloads".into(), Value::Array(payloads));
        }
        None => {
            root.insert("header".into(), Value::Null);
            root.insert("payloads".into(), json!([]));
        }
    }
    let issues: Vec<Value> = d
        .issues
        .iter()
        .map(|i| {
            let mut v = serde_json::to_value(i).unwrap_or(Value::Null);
            if let Value::Object(o) = &mut v {
                o.insert("message".into(), json!(i.to_string()));
            }
            v
        })
        .collect();
    root.insert("issues".into(), Value::Array(issues));
    Value::Object(root)
}

/// Text tree, one line per field, indented by payload, in wire order:
/// `name: value (meaning) [offset N, len M]`.
pub fn to_text_tree(d: &Decoded<'_>) -> String {
    let j = to_json(d);
    let mut out = String::new();
    let npay = j["payloads"].as_array().map(|a| a.len()).unwrap_or(0);
    out.push_str(&format!(
        "MIKEY message: {} octets, {} payloads, {} issues\n",
        d.input.len(),
        npay,
        d.issues.len()
    ));
    if let Value::Object(h) = &j["header"] {
        out.push_str(&format!(
            "  Common Header (HDR) [offset {}, len {}]\n",
            h.get("offset").and_then(Value::as_u64).unwrap_or(0),
            h.get("len").and_then(Value::as_u64).unwrap_or(0)
        ));
        render_members(h, 2, &mut out);
    }
    if let Some(ps) = j["payloads"].as_array() {
        for p in ps {
            if let Value::Object(o) = p {
                out.push_str(&format!(
                    "  {} (type {}) [offset {}, len {}]\n",
                    o.get("name").and_then(Value::as_str).unwrap_or("?"),
                    o.get("type").and_then(Value::as_u64).unwrap_or(0),
                    o.get("offset").and_then(Value::as_u64).unwrap_or(0),
                    o.get("len").and_then(Value::as_u64).unwrap_or(0)
                ));
                render_members(o, 2, &mut out);
            }
        }
    }
    if !d.issues.is_empty() {
        out.push_str("Issues:\n");
        for i in &d.issues {
            out.push_str(&format!("  [offset {}] {}: {}\n", i.offset(), i.kind(), i));
        }
    }
    out
}

/// 32-bit identifiers shown in hex in the text tree.
const HEX_KEYS: &[&str] = &["csb_id", "dppk_id", "ssrc", "payload_id"];

fn is_field(o: &Map<String, Value>) -> bool {
    o.contains_key("value") && o.contains_key("offset") && o.contains_key("len")
}

fn first_offset(v: &Value) -> Option<u64> {
    match v {
        Value::Object(o) => {
            if let Some(x) = o.get("offset").and_then(Value::as_u64) {
                return Some(x);
            }
            o.values().filter_map(first_offset).min()
        }
        Value::Array(a) => a.iter().filter_map(first_offset).min(),
        _ => None,
    }
}

fn label(k: &str) -> String {
    k.replace('_', " ")
}

fn scalar(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn render_members(o: &Map<String, Value>, depth: usize, out: &mut String) {
    let skip: &[&str] = if depth == 2 {
        &["offset", "len", "type", "name", "kind"]
    } else {
        &["offset", "len", "kind"]
    };
    let mut entries: Vec<(&String, &Value)> = o
        .iter()
        .filter(|(k, v)| !skip.contains(&k.as_str()) && !v.is_null())
        .collect();
    // Wire order; on a tie, plain fields before nested structures.
    entries.sort_by_key(|(_, v)| {
        let nested = matches!(v, Value::Object(f) if !is_field(f)) || v.is_array();
        (first_offset(v).unwrap_or(u64::MAX), nested)
    });
    for (k, v) in entries {
        render_value(k, v, depth, out);
    }
}

fn render_value(k: &str, v: &Value, depth: usize, out: &mut String) {
    let pad = "  ".repeat(depth);
    match v {
        Value::Object(f) if is_field(f) => {
            let raw = &f["value"];
            let shown = if HEX_KEYS.contains(&k) {
                raw.as_u64()
                    .map(|x| format!("0x{x:08x}"))
                    .unwrap_or_else(|| scalar(raw))
            } else {
                scalar(raw)
            };
            let meaning = f
                .get("meaning")
                .and_then(Value::as_str)
                .map(|m| format!(" ({m})"))
                .unwrap_or_default();
            out.push_str(&format!(
                "{pad}{}: {shown}{meaning} [offset {}, len {}]\n",
                label(k),
                f["offset"],
                f["len"]
            ));
        }
        Value::Object(f) => {
            let kind = f
                .get("kind")
                .and_then(Value::as_str)
                .map(|s| format!(": {s}"))
                .unwrap_or_default();
            let span = match (f.get("offset"), f.get("len")) {
                (Some(o), Some(l)) => format!(" [offset {o}, len {l}]"),
                _ => String::new(),
            };
            out.push_str(&format!("{pad}{}{kind}{span}\n", label(k)));
            render_members(f, depth + 1, out);
        }
        Value::Array(a) => {
            out.push_str(&format!("{pad}{}: {} entries\n", label(k), a.len()));
            for (i, e) in a.iter().enumerate() {
                render_value(&format!("{k}[{i}]"), e, depth + 1, out);
            }
        }
        Value::Null => {}
        other => out.push_str(&format!("{pad}{}: {}\n", label(k), scalar(other))),
    }
}

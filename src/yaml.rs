//! The one YAML reader for what the tool is given (traces, `.msg.yaml`/`.psk.yaml`,
//! keyrings, settings, profiles, rule tables, sidecars), with limits, and errors that never
//! quote the input's values.
//!
//! Limits: before `yaml_serde` sees a text, its events are scanned once with
//! `saphyr-parser` (the parser CPNS traces already use, [`crate::cpns`]): any alias (`*name`)
//! is refused, and nesting deeper than [`MAX_DEPTH`]. Aliases are refused outright rather
//! than bounded because no vector, rule table or documented file uses one, and a bound on
//! their count alone does not bound the expansion (nine aliases to a list of nine aliases,
//! ten levels deep, is 9^10 nodes); refusing them costs nothing and bounds everything. The
//! scan is linear and stops at the first excess, so a document 100 000 levels deep is
//! refused in milliseconds.
//!
//! Errors: serde's messages quote the offending value (`invalid type: string "5ec2…",
//! expected …`), which in a keyring is the key itself. [`redact`] keeps the place, the
//! field path and the expected type and drops the value.

use saphyr_parser::{Event, Parser};
use serde::de::DeserializeOwned;

/// How deep a YAML document may nest (the deepest legitimate file, a MIKEY message
/// description, nests under ten levels).
pub const MAX_DEPTH: usize = 64;

/// Why a YAML text was not read: the place (1-based) when known, and a message that names
/// no value of the input.
#[derive(Debug, Clone, PartialEq)]
pub struct YamlError {
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
}

impl std::fmt::Display for YamlError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (self.line, self.column) {
            (Some(l), Some(c)) => write!(f, "line {l} column {c}: {}", self.message),
            _ => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for YamlError {}

/// Reads a YAML (or JSON) text into `T`, within the limits.
pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, YamlError> {
    guard(text)?;
    serde_yaml::from_str(text).map_err(|e| from_serde(&e))
}

/// A `yaml_serde` error without the values it quotes, its place kept apart.
pub fn from_serde(e: &serde_yaml::Error) -> YamlError {
    let loc = e.location();
    let mut message = e.to_string();
    if let Some(l) = &loc {
        let suffix = format!(" at line {} column {}", l.line(), l.column());
        if let Some(cut) = message.find(&suffix) {
            message.replace_range(cut..cut + suffix.len(), "");
        }
    }
    YamlError {
        line: loc.as_ref().map(|l| l.line()),
        column: loc.as_ref().map(|l| l.column()),
        message: redact(&message),
    }
}

/// Refuses aliases and nesting beyond [`MAX_DEPTH`]. Syntax errors are left to the
/// deserializer, which reports them in its own words.
pub fn guard(text: &str) -> Result<(), YamlError> {
    let mut depth = 0usize;
    for item in Parser::new_from_str(text) {
        let (event, span) = match item {
            Ok(e) => e,
            // The scanner's own bound on nesting (a block sequence `- - - …` is refused by
            // it before any event): a refusal of depth like ours.
            Err(e) if e.info().contains("recursion limit") => {
                return Err(YamlError {
                    line: Some(e.marker().line()),
                    column: Some(e.marker().col() + 1),
                    message: format!("nested more than {MAX_DEPTH} levels deep"),
                })
            }
            Err(_) => return Ok(()),
        };
        let at = |message: String| YamlError {
            line: Some(span.start.line()),
            column: Some(span.start.col() + 1),
            message,
        };
        match event {
            Event::Alias(_) => {
                return Err(at(
                    "aliases (*name) are not accepted: write the value out (an alias can multiply a small file into a huge one)".into(),
                ))
            }
            Event::SequenceStart(..) | Event::MappingStart(..) => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Err(at(format!("nested more than {MAX_DEPTH} levels deep")));
                }
            }
            Event::SequenceEnd | Event::MappingEnd => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Ok(())
}

/// A serde error message with the input's values taken out: `invalid type: string "…",
/// expected X` becomes `invalid type: a string, expected X`; an unknown field or variant
/// is named only when it looks like a name (not a run of hex digits that could be a key).
pub fn redact(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    // Only the part before ", expected" carries input; what follows is the schema's. The last
    // one: a name from the input may itself hold ", expected" (the schema's part never does).
    let (input_part, expected) = match rest.rfind(", expected") {
        Some(i) => rest.split_at(i),
        None => (rest, ""),
    };
    // serde_yaml puts the field path first (`supports.ltkm_delivery[0]: …`): its names
    // come from the input, so each is shown only when it looks like a name.
    let (path, message_part) = split_path(input_part);
    out.push_str(&path);
    rest = message_part;
    for (prefix, kind) in [
        ("string \"", "a string"),
        ("integer `", "an integer"),
        ("floating point `", "a number"),
        ("boolean `", "a boolean"),
        ("character `", "a character"),
        ("char '", "a character"),
    ] {
        if let Some(i) = rest.find(prefix) {
            out.push_str(&rest[..i]);
            out.push_str(kind);
            rest = "";
            break;
        }
    }
    if !rest.is_empty() {
        out.push_str(&redact_duplicate_key(&redact_quoted_names(rest)));
    }
    // Whatever else of the input is left: no run of 16 hex digits or more (a key's shape)
    // is shown, wherever serde put it.
    let mut out = hide_hex_runs(&out);
    out.push_str(expected);
    out
}

/// How serde messages start, after the field path serde_yaml puts before them.
const SERDE_MESSAGES: &[&str] = &[
    "invalid type: ",
    "invalid value: ",
    "invalid length ",
    "unknown field ",
    "unknown variant ",
    "missing field ",
    "duplicate field ",
    "duplicate entry ",
];

/// The field path before a serde message (`a.b[0]: invalid type: …`), each of its names
/// shown only when it looks like one, with its `: `; and the message. No path when the text
/// does not start a known message after one.
fn split_path(text: &str) -> (String, &str) {
    let found = SERDE_MESSAGES
        .iter()
        .filter_map(|m| text.find(&format!(": {m}")))
        .min();
    let Some(at) = found else {
        return (String::new(), text);
    };
    let (path, message) = (&text[..at], &text[at + 2..]);
    let mut shown = String::new();
    for (i, segment) in path.split('.').enumerate() {
        if i > 0 {
            shown.push('.');
        }
        // A sequence's index (`[0]`) follows its key: kept when it is a number.
        let (name, index) = match segment.find('[') {
            Some(b)
                if segment.ends_with(']')
                    && segment[b + 1..segment.len() - 1]
                        .bytes()
                        .all(|c| c.is_ascii_digit()) =>
            {
                segment.split_at(b)
            }
            _ => (segment, ""),
        };
        if name.is_empty() || name == "?" || looks_like_a_name(name) {
            shown.push_str(name);
        } else {
            shown.push_str("(a name not shown)");
        }
        shown.push_str(index);
    }
    shown.push_str(": ");
    (shown, message)
}

/// serde_yaml's `duplicate entry with key "…"`: the key shown only when it looks like a name.
fn redact_duplicate_key(text: &str) -> String {
    const DUPLICATE: &str = "duplicate entry with key \"";
    match text.find(DUPLICATE) {
        Some(i) if text.ends_with('"') && text.len() > i + DUPLICATE.len() => {
            let key = &text[i + DUPLICATE.len()..text.len() - 1];
            format!(
                "{}duplicate entry with key {}",
                &text[..i],
                shown_name(key, '"')
            )
        }
        Some(i) => format!("{}duplicate entry with a key not shown", &text[..i]),
        None => text.to_string(),
    }
}

/// `text` with every run of 16 hex digits or more replaced by `(not shown)`.
fn hide_hex_runs(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut run = String::new();
    let flush = |run: &mut String, out: &mut String| {
        if run.len() >= 16 {
            out.push_str("(not shown)");
        } else {
            out.push_str(run);
        }
        run.clear();
    };
    for c in text.chars() {
        if c.is_ascii_hexdigit() {
            run.push(c);
        } else {
            flush(&mut run, &mut out);
            out.push(c);
        }
    }
    flush(&mut run, &mut out);
    out
}

/// Short, of letters, digits and `_-.`, and not a run of hex digits that could be a key.
fn looks_like_a_name(name: &str) -> bool {
    let hexish = name.chars().filter(char::is_ascii_hexdigit).count() >= 16;
    let plain = name.len() <= 64
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
    plain && !hexish
}

/// A name from the input, quoted with `quote`, when it looks like a name (short, letters,
/// digits, `_-.`, and not a run of hex digits that could be a key); else a placeholder.
pub fn shown_name(name: &str, quote: char) -> String {
    if looks_like_a_name(name) {
        format!("{quote}{name}{quote}")
    } else {
        "(a name not shown)".to_string()
    }
}

/// The backquoted name (`unknown field `x``) kept when it looks like a name, else replaced.
/// The name runs from the first backquote to the last: a name from the input may hold
/// backquotes itself (serde quotes it without escaping), and splitting at each of them
/// showed the rest of such a name (found by the keyring_parse fuzz target). One backquote
/// alone hides all after it.
fn redact_quoted_names(text: &str) -> String {
    match (text.find('`'), text.rfind('`')) {
        (Some(open), Some(close)) if close > open => {
            // Serde leaves nothing after the name; whatever is there came from the input.
            let after = &text[close + 1..];
            let after_hexish = after.chars().filter(char::is_ascii_hexdigit).count() >= 16;
            format!(
                "{}{}{}",
                &text[..open],
                shown_name(&text[open + 1..close], '`'),
                if after_hexish { "" } else { after }
            )
        }
        (Some(open), _) => format!("{}(a name not shown)", &text[..open]),
        _ => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_holding_backquotes_or_expected_is_not_shown() {
        let key = "0123456789abcdef0123";
        for message in [
            format!("unknown field `dd`{key}`, expected `role` or `supports`"),
            format!("unknown field `x, expected {key}`, expected `role` or `supports`"),
            format!("unknown field `x`{key}"),
            format!("unknown field `{key}"),
        ] {
            let shown = redact(&message);
            assert!(!shown.contains(key), "{message} -> {shown}");
        }
        assert_eq!(
            redact("unknown field `rol`, expected `role` or `supports`"),
            "unknown field `rol`, expected `role` or `supports`"
        );
    }

    /// Found by the keyring_parse fuzz target (7914b6f's binaries): a field path holding a
    /// hex run, and a duplicate key, were shown whole.
    #[test]
    fn names_in_a_field_path_or_a_duplicate_key_are_not_shown_when_key_like() {
        let key = "640e1df4ccbdd2794c505efcb05caf2290bf15ee45c15";
        for message in [
            format!("supports.lzkm_in{key}sk[0]: duplicate entry with key \"ssk\""),
            format!("psk: duplicate entry with key \"{key}\""),
            format!("a.{key}[3]: invalid type: string \"x\", expected a sequence"),
            format!("custom message naming {key}"),
        ] {
            let shown = redact(&message);
            assert!(!shown.contains(&key[..16]), "{message} -> {shown}");
        }
        assert_eq!(
            redact("supports.ltkm_delivery[0]: unknown variant `smss`, expected one of `udp`"),
            "supports.ltkm_delivery[0]: unknown variant `smss`, expected one of `udp`"
        );
        assert_eq!(
            redact("supports.lzkm_in640e1df4ccbdd2794c505efcb05caf2290bf15ee45c15sk[0]: duplicate entry with key \"ssk\""),
            "supports.(a name not shown)[0]: duplicate entry with key \"ssk\""
        );
    }

    #[test]
    fn aliases_are_refused_with_their_place() {
        let e = guard("a: &x [1, 2]\nb: *x\n").unwrap_err();
        assert_eq!((e.line, e.column), (Some(2), Some(4)));
        assert!(e.message.contains("aliases"));
        assert!(
            guard("a: &x 1\nb: 2\n").is_ok(),
            "an anchor alone is harmless"
        );
    }

    #[test]
    fn a_billion_laughs_is_refused_at_once() {
        let mut doc = String::from(
            "a0: &a0 [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
        );
        for i in 1..10 {
            let p = i - 1;
            doc.push_str(&format!(
                "a{i}: &a{i} [*a{p},*a{p},*a{p},*a{p},*a{p},*a{p},*a{p},*a{p},*a{p}]\n"
            ));
        }
        let e = from_str::<serde_yaml::Value>(&doc).unwrap_err();
        assert!(e.message.contains("aliases"), "{e}");
    }

    #[test]
    fn deep_nesting_is_refused_fast() {
        let n = 100_000;
        for doc in [
            format!("{}1{}", "[".repeat(n), "]".repeat(n)),
            format!("{}1{}", "{a: ".repeat(n), "}".repeat(n)),
            "- ".repeat(n) + "1",
        ] {
            let started = std::time::Instant::now();
            let e = from_str::<serde_yaml::Value>(&doc).unwrap_err();
            assert!(e.message.contains("nested more than 64"), "{e}");
            assert!(
                started.elapsed().as_millis() < 500,
                "{:?}",
                started.elapsed()
            );
        }
        let ok = format!("{}1{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        assert!(from_str::<serde_yaml::Value>(&ok).is_ok());
    }

    #[test]
    fn values_are_taken_out_of_messages() {
        let key = "5ec2e7a1b2c3d4e5f60718293a4b5c6d";
        #[derive(Debug, serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)]
        struct S {
            n: u32,
            m: Option<std::collections::BTreeMap<String, u32>>,
        }
        for doc in [
            format!("{key}\n"),
            format!("n: {key}\n"),
            format!("n: 1\n{key}: 2\n"),
            format!("n: 1\nm: {{a: {key}}}\n"),
            format!("- {key}\n"),
        ] {
            let e = from_str::<S>(&doc).unwrap_err();
            assert!(!e.to_string().contains(key), "{e}");
            assert!(e.to_string().contains("expected"), "{e}");
        }
        let e = from_str::<S>("n: 1\ncolour: 2\n").unwrap_err();
        assert!(e.message.contains("unknown field `colour`"), "{e}");
    }
}

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
    rest = input_part;
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
        out.push_str(&redact_quoted_names(rest));
    }
    out.push_str(expected);
    out
}

/// A name from the input, quoted with `quote`, when it looks like a name (short, letters,
/// digits, `_-.`, and not a run of hex digits that could be a key); else a placeholder.
pub fn shown_name(name: &str, quote: char) -> String {
    let hexish = name.chars().filter(char::is_ascii_hexdigit).count() >= 16;
    let plain = name.len() <= 64
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
    if plain && !hexish {
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

//! Spellings of an XML document that keep its infoset as the schemas read it (XML 1.0,
//! Namespaces in XML 1.0, XSD 1.0 Part 2 whiteSpace): prefixes renamed, a default namespace
//! written as a prefix and back, attributes reordered and single-quoted, characters as
//! character references, text as CDATA, comments between elements, integers with leading
//! zeros and whitespace, base64 broken into lines.

use super::xml_tokens::{split_name, tokenize, unescape, write, Attr, Token};
use super::xsd_types::{doc_types, DocTypes, Typed};
use super::Variant;
use mikeyconf::internals::xsd::SchemaSet;
use std::collections::{BTreeSet, HashMap};

/// One rewrite of a document's tokens; None when it would change nothing.
type Rewrite = fn(&[Token], &DocTypes) -> Option<Vec<Token>>;

/// The spellings of `text`; none for a document that is not well-formed or has a DOCTYPE.
pub fn variants(text: &str, schemas: &SchemaSet) -> Vec<Variant> {
    let Ok(doc) = roxmltree::Document::parse(text) else {
        return Vec::new();
    };
    let Some(tokens) = tokenize(text) else {
        return Vec::new();
    };
    let types = doc_types(schemas, &doc);
    let rewrites: [(&'static str, Rewrite); 11] = [
        ("xml-prefixes-renamed", prefixes_renamed),
        ("xml-default-namespace-as-prefix", default_as_prefix),
        ("xml-prefix-as-default-namespace", prefix_as_default),
        ("xml-attributes-reversed", attributes_reversed),
        ("xml-single-quotes", single_quotes),
        ("xml-character-references", character_references),
        ("xml-text-as-cdata", text_as_cdata),
        ("xml-comments-between-elements", comments_between_elements),
        ("xml-integers-padded", integers_padded),
        (
            "xml-integers-padded-alternately",
            integers_padded_alternately,
        ),
        ("xml-base64-lines", base64_lines),
    ];
    rewrites
        .into_iter()
        .filter_map(|(name, f)| {
            let t = f(&tokens, &types)?;
            Some(Variant::of(name, write(&t).into_bytes()))
        })
        .collect()
}

/// Every prefix the document uses or declares.
fn prefixes(tokens: &[Token]) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for t in tokens {
        if let Token::Start { name, attrs, .. } = t {
            out.extend(split_name(name).0.map(str::to_string));
            for a in attrs {
                out.extend(split_name(&a.name).0.map(str::to_string));
                if let Some(p) = a.name.strip_prefix("xmlns:") {
                    out.insert(p.to_string());
                }
            }
        }
    }
    out.remove("xml");
    out.remove("xmlns");
    out
}

/// A prefix the document does not use.
fn fresh(tokens: &[Token], stem: &str) -> String {
    let used = prefixes(tokens);
    (0..)
        .map(|i| format!("{stem}{i}"))
        .find(|p| !used.contains(p))
        .expect("a free prefix")
}

fn rename(name: &str, map: &HashMap<String, String>) -> String {
    match split_name(name) {
        (Some("xmlns"), local) if map.contains_key(local) => format!("xmlns:{}", map[local]),
        (Some(p), local) if map.contains_key(p) => format!("{}:{local}", map[p]),
        _ => name.to_string(),
    }
}

fn prefixes_renamed(tokens: &[Token], _: &DocTypes) -> Option<Vec<Token>> {
    let used = prefixes(tokens);
    if used.is_empty() {
        return None;
    }
    let map: HashMap<String, String> = used
        .iter()
        .enumerate()
        .map(|(i, p)| (p.clone(), format!("r{i}{p}")))
        .collect();
    Some(
        tokens
            .iter()
            .map(|t| match t {
                Token::Start { name, attrs, empty } => Token::Start {
                    name: rename(name, &map),
                    attrs: attrs
                        .iter()
                        .map(|a| Attr {
                            name: rename(&a.name, &map),
                            ..a.clone()
                        })
                        .collect(),
                    empty: *empty,
                },
                Token::End { name } => Token::End {
                    name: rename(name, &map),
                },
                other => other.clone(),
            })
            .collect(),
    )
}

/// Every `xmlns="URI"` becomes `xmlns:dN="URI"`, and the unprefixed elements in its scope
/// take the prefix (unprefixed attributes are in no namespace either way).
fn default_as_prefix(tokens: &[Token], _: &DocTypes) -> Option<Vec<Token>> {
    let stem = fresh(tokens, "d");
    let mut scopes: Vec<Option<String>> = Vec::new(); // the prefix of the default in force
    let mut any = false;
    let mut out = Vec::new();
    for t in tokens {
        match t {
            Token::Start { name, attrs, empty } => {
                let mut current = scopes.last().cloned().flatten();
                let mut attrs = attrs.clone();
                for a in attrs.iter_mut() {
                    if a.name == "xmlns" {
                        if a.value.is_empty() {
                            current = None;
                            continue;
                        }
                        let p = format!("{stem}{}", out.len());
                        a.name = format!("xmlns:{p}");
                        current = Some(p);
                        any = true;
                    }
                }
                // `xmlns=""` undeclares the default: keep it, the names stay unprefixed.
                let name = match (&current, split_name(name).0) {
                    (Some(p), None) => format!("{p}:{name}"),
                    _ => name.clone(),
                };
                if !*empty {
                    scopes.push(current);
                }
                out.push(Token::Start {
                    name,
                    attrs,
                    empty: *empty,
                });
            }
            Token::End { name } => {
                let current = scopes.pop().flatten();
                let name = match (&current, split_name(name).0) {
                    (Some(p), None) => format!("{p}:{name}"),
                    _ => name.clone(),
                };
                out.push(Token::End { name });
            }
            other => out.push(other.clone()),
        }
    }
    any.then_some(out)
}

/// The root's prefix made the default namespace, when no element is unprefixed and no
/// default is declared: its elements lose the prefix (the declaration stays, for prefixed
/// attributes and values).
fn prefix_as_default(tokens: &[Token], _: &DocTypes) -> Option<Vec<Token>> {
    let mut starts = tokens.iter().filter_map(|t| match t {
        Token::Start { name, attrs, .. } => Some((name, attrs)),
        _ => None,
    });
    let (root, root_attrs) = starts.next()?;
    let prefix = split_name(root).0?;
    let uri = root_attrs
        .iter()
        .find(|a| a.name == format!("xmlns:{prefix}"))?
        .value
        .clone();
    let blocked = tokens.iter().any(|t| match t {
        Token::Start { name, attrs, .. } => {
            split_name(name).0.is_none()
                || attrs
                    .iter()
                    .any(|a| a.name == "xmlns" || a.name == format!("xmlns:{prefix}"))
                    && !std::ptr::eq(attrs, root_attrs)
        }
        _ => false,
    });
    if blocked {
        return None;
    }
    let strip = |name: &str| match split_name(name) {
        (Some(p), local) if p == prefix => local.to_string(),
        _ => name.to_string(),
    };
    let mut first = true;
    Some(
        tokens
            .iter()
            .map(|t| match t {
                Token::Start { name, attrs, empty } => {
                    let mut attrs = attrs.clone();
                    if std::mem::take(&mut first) {
                        attrs.insert(
                            0,
                            Attr {
                                name: "xmlns".into(),
                                quote: '"',
                                value: uri.clone(),
                            },
                        );
                    }
                    Token::Start {
                        name: strip(name),
                        attrs,
                        empty: *empty,
                    }
                }
                Token::End { name } => Token::End { name: strip(name) },
                other => other.clone(),
            })
            .collect(),
    )
}

fn map_attrs(tokens: &[Token], f: impl Fn(&mut Vec<Attr>)) -> Option<Vec<Token>> {
    let mut changed = false;
    let out = tokens
        .iter()
        .map(|t| match t {
            Token::Start { name, attrs, empty } => {
                let mut attrs = attrs.clone();
                f(&mut attrs);
                changed |= attrs.len() > 1 || attrs.iter().any(|a| a.quote == '\'');
                Token::Start {
                    name: name.clone(),
                    attrs,
                    empty: *empty,
                }
            }
            other => other.clone(),
        })
        .collect();
    changed.then_some(out)
}

fn attributes_reversed(tokens: &[Token], _: &DocTypes) -> Option<Vec<Token>> {
    map_attrs(tokens, |a| a.reverse())
}

fn single_quotes(tokens: &[Token], _: &DocTypes) -> Option<Vec<Token>> {
    map_attrs(tokens, |attrs| {
        for a in attrs {
            if a.quote == '"' {
                a.quote = '\'';
                a.value = a.value.replace('\'', "&apos;");
            }
        }
    })
}

/// ASCII letters and digits as hexadecimal character references.
fn references(raw: &str) -> String {
    raw.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                format!("&#x{:X};", c as u32)
            } else {
                c.to_string()
            }
        })
        .collect()
}

fn character_references(tokens: &[Token], _: &DocTypes) -> Option<Vec<Token>> {
    Some(
        tokens
            .iter()
            .map(|t| match t {
                Token::Text(s) => Token::Text(references(s)),
                Token::Start { name, attrs, empty } => Token::Start {
                    name: name.clone(),
                    attrs: attrs
                        .iter()
                        .map(|a| Attr {
                            value: if a.name == "xmlns" || a.name.starts_with("xmlns:") {
                                a.value.clone()
                            } else {
                                references(&a.value)
                            },
                            ..a.clone()
                        })
                        .collect(),
                    empty: *empty,
                },
                other => other.clone(),
            })
            .collect(),
    )
}

fn text_as_cdata(tokens: &[Token], _: &DocTypes) -> Option<Vec<Token>> {
    let mut depth = 0usize;
    let mut out = Vec::new();
    for t in tokens {
        match t {
            Token::Start { empty: false, .. } => depth += 1,
            Token::End { .. } => depth = depth.saturating_sub(1),
            _ => {}
        }
        match t {
            Token::Text(s) if depth > 0 && !s.trim().is_empty() => {
                let text = unescape(s)?;
                // `]]>` cannot stand in a CDATA section: split it across two.
                for (i, piece) in text.split("]]>").enumerate() {
                    if i > 0 {
                        out.push(Token::CData("]]".into()));
                        out.push(Token::Text("&gt;".into()));
                    }
                    out.push(Token::CData(piece.to_string()));
                }
            }
            other => out.push(other.clone()),
        }
    }
    Some(out)
}

fn comments_between_elements(tokens: &[Token], _: &DocTypes) -> Option<Vec<Token>> {
    let comment = || Token::Other("<!-- metamorphic -->".into());
    let mut depth = 0usize;
    let mut out = Vec::new();
    for t in tokens {
        match t {
            Token::Start { empty, .. } => {
                if depth > 0 {
                    out.push(comment());
                }
                out.push(t.clone());
                if *empty && depth > 0 {
                    out.push(comment());
                }
                if !empty {
                    depth += 1;
                }
            }
            Token::End { .. } => {
                out.push(t.clone());
                depth = depth.saturating_sub(1);
                if depth > 0 {
                    out.push(comment());
                }
            }
            other => out.push(other.clone()),
        }
    }
    Some(out)
}

/// `-12` as ` -0012 `, or None when the value is not an integer's canonical-ish spelling.
fn pad_integer(value: &str, space: &str) -> Option<String> {
    let v = value.trim();
    let (sign, digits) = match v.strip_prefix('-') {
        Some(d) => ("-", d),
        None => ("", v.strip_prefix('+').unwrap_or(v)),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(format!("{space}{sign}00{digits}{space}"))
}

/// Rewrites the text of each element whose type is `class` (simple content: one text token
/// between its tags) with `f`; None when no value changed.
fn typed_text(
    tokens: &[Token],
    types: &DocTypes,
    class: Typed,
    f: impl Fn(&str) -> Option<String>,
) -> Option<Vec<Token>> {
    let mut out: Vec<Token> = tokens.to_vec();
    let mut element = 0usize;
    let mut changed = false;
    for i in 0..out.len() {
        let Token::Start { empty, .. } = &out[i] else {
            continue;
        };
        let me = element;
        element += 1;
        if *empty || types.text.get(me).copied().flatten() != Some(class) {
            continue;
        }
        if let (Some(Token::Text(s)), Some(Token::End { .. })) = (out.get(i + 1), out.get(i + 2)) {
            if let Some(new) = f(s) {
                out[i + 1] = Token::Text(new);
                changed = true;
            }
        }
    }
    changed.then_some(out)
}

fn integers_padded(tokens: &[Token], types: &DocTypes) -> Option<Vec<Token>> {
    padded(tokens, types, &|_| true)
}

/// Every other integer value padded: the same number spelled two ways in one document
/// (`TOI="2"` and `TOI="02"`).
fn integers_padded_alternately(tokens: &[Token], types: &DocTypes) -> Option<Vec<Token>> {
    let seen = std::cell::RefCell::new(HashMap::<String, usize>::new());
    padded(tokens, types, &|name| {
        let mut seen = seen.borrow_mut();
        let n = seen.entry(name.to_string()).or_default();
        *n += 1;
        n.is_multiple_of(2)
    })
}

/// Integer values, in elements then attributes, padded where `pick` says; it is asked once
/// per value with the name the value belongs to (the attribute's, or `#text`).
fn padded(tokens: &[Token], types: &DocTypes, pick: &dyn Fn(&str) -> bool) -> Option<Vec<Token>> {
    let texts = typed_text(tokens, types, Typed::Integer, |s| {
        pick("#text").then(|| pad_integer(s, "\n  ")).flatten()
    });
    let base = texts.as_deref().unwrap_or(tokens);
    let mut element = 0usize;
    let mut changed = texts.is_some();
    let out = base
        .iter()
        .map(|t| match t {
            Token::Start { name, attrs, empty } => {
                let typed = types.attrs.get(element).cloned().unwrap_or_default();
                element += 1;
                let attrs = attrs
                    .iter()
                    .map(|a| {
                        let is_int = typed
                            .iter()
                            .any(|(n, c)| *n == a.name && *c == Typed::Integer);
                        let pad = is_int && pick(&a.name);
                        match pad.then(|| pad_integer(&a.value, " ")).flatten() {
                            Some(v) => {
                                changed = true;
                                Attr {
                                    value: v,
                                    ..a.clone()
                                }
                            }
                            None => a.clone(),
                        }
                    })
                    .collect();
                Token::Start {
                    name: name.clone(),
                    attrs,
                    empty: *empty,
                }
            }
            other => other.clone(),
        })
        .collect();
    changed.then_some(out)
}

fn base64_lines(tokens: &[Token], types: &DocTypes) -> Option<Vec<Token>> {
    typed_text(tokens, types, Typed::Base64, |s| {
        let v = s.trim();
        if v.len() <= 16 || v.contains(char::is_whitespace) {
            return None;
        }
        let lines: Vec<&str> = v
            .as_bytes()
            .chunks(16)
            .map(|c| std::str::from_utf8(c).unwrap_or(""))
            .collect();
        Some(format!("\n        {}\n      ", lines.join("\n        ")))
    })
}

/// The document with its first integer-typed element value changed to one no bounded
/// integer type holds: not a spelling but a different document, for the self-test.
pub fn value_changed(text: &str, schemas: &SchemaSet) -> Option<String> {
    let doc = roxmltree::Document::parse(text).ok()?;
    let tokens = tokenize(text)?;
    let types = doc_types(schemas, &doc);
    let done = std::cell::Cell::new(false);
    let t = typed_text(&tokens, &types, Typed::Integer, |_| {
        (!done.replace(true)).then(|| "99999999999999999999".to_string())
    })?;
    Some(write(&t))
}

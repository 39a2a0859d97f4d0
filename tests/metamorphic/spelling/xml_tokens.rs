//! A lossless tokenizer of well-formed XML (checked by roxmltree first), for rewriting a
//! document's spelling: every token keeps its text, so writing the tokens back gives the
//! document byte for byte, and a rewrite changes only what it means to.

/// One attribute as written: name, quote character and raw (escaped) value.
#[derive(Debug, Clone)]
pub struct Attr {
    pub name: String,
    pub quote: char,
    pub value: String,
}

#[derive(Debug, Clone)]
pub enum Token {
    /// Character data as written (references unresolved).
    Text(String),
    CData(String),
    /// Comments, processing instructions and the XML declaration, as written.
    Other(String),
    Start {
        name: String,
        attrs: Vec<Attr>,
        empty: bool,
    },
    End {
        name: String,
    },
}

/// The tokens of `text`, or None for what this tokenizer does not rewrite (a DOCTYPE, which
/// may declare entities, or anything it cannot read).
pub fn tokenize(text: &str) -> Option<Vec<Token>> {
    let mut out = Vec::new();
    let mut rest = text;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix("<!--") {
            let end = after.find("-->")? + 3;
            out.push(Token::Other(rest[..4 + end].to_string()));
            rest = &after[end..];
        } else if let Some(after) = rest.strip_prefix("<![CDATA[") {
            let end = after.find("]]>")?;
            out.push(Token::CData(after[..end].to_string()));
            rest = &after[end + 3..];
        } else if rest.starts_with("<!") {
            return None;
        } else if let Some(after) = rest.strip_prefix("<?") {
            let end = after.find("?>")? + 2;
            out.push(Token::Other(rest[..2 + end].to_string()));
            rest = &after[end..];
        } else if let Some(after) = rest.strip_prefix("</") {
            let end = after.find('>')?;
            out.push(Token::End {
                name: after[..end].trim().to_string(),
            });
            rest = &after[end + 1..];
        } else if let Some(after) = rest.strip_prefix('<') {
            let (token, used) = start_tag(after)?;
            out.push(token);
            rest = &after[used..];
        } else {
            let end = rest.find('<').unwrap_or(rest.len());
            out.push(Token::Text(rest[..end].to_string()));
            rest = &rest[end..];
        }
    }
    Some(out)
}

/// A start tag after its `<`: the token and the octets it used, `>` included.
fn start_tag(s: &str) -> Option<(Token, usize)> {
    let name_end = s.find(|c: char| c.is_whitespace() || c == '>' || c == '/')?;
    let name = s[..name_end].to_string();
    let mut at = name_end;
    let mut attrs = Vec::new();
    loop {
        let rest = &s[at..];
        let trimmed = rest.trim_start();
        at += rest.len() - trimmed.len();
        if let Some(r) = trimmed.strip_prefix("/>") {
            let _ = r;
            let token = Token::Start {
                name,
                attrs,
                empty: true,
            };
            return Some((token, at + 2));
        }
        if trimmed.starts_with('>') {
            let token = Token::Start {
                name,
                attrs,
                empty: false,
            };
            return Some((token, at + 1));
        }
        let eq = trimmed.find('=')?;
        let attr_name = trimmed[..eq].trim().to_string();
        let after_eq = &trimmed[eq + 1..];
        let value_start = after_eq.len() - after_eq.trim_start().len();
        let quoted = &after_eq[value_start..];
        let quote = quoted.chars().next()?;
        if quote != '"' && quote != '\'' {
            return None;
        }
        let close = quoted[1..].find(quote)?;
        attrs.push(Attr {
            name: attr_name,
            quote,
            value: quoted[1..1 + close].to_string(),
        });
        at += eq + 1 + value_start + close + 2;
    }
}

/// The document the tokens spell.
pub fn write(tokens: &[Token]) -> String {
    let mut out = String::new();
    for t in tokens {
        match t {
            Token::Text(s) | Token::Other(s) => out.push_str(s),
            Token::CData(s) => {
                out.push_str("<![CDATA[");
                out.push_str(s);
                out.push_str("]]>");
            }
            Token::Start { name, attrs, empty } => {
                out.push('<');
                out.push_str(name);
                for a in attrs {
                    let value = match a.quote {
                        '\'' => a.value.replace('\'', "&apos;"),
                        _ => a.value.replace('"', "&quot;"),
                    };
                    out.push_str(&format!(" {}={}{}{}", a.name, a.quote, value, a.quote));
                }
                out.push_str(if *empty { "/>" } else { ">" });
            }
            Token::End { name } => {
                out.push_str("</");
                out.push_str(name);
                out.push('>');
            }
        }
    }
    out
}

/// The text of character data with its references resolved, or None for a reference this
/// tokenizer does not know (a DTD's entity).
pub fn unescape(raw: &str) -> Option<String> {
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        let end = rest[at..].find(';')? + at;
        let name = &rest[at + 1..end];
        let c = match name {
            "lt" => '<',
            "gt" => '>',
            "amp" => '&',
            "quot" => '"',
            "apos" => '\'',
            _ => {
                let code = if let Some(h) = name.strip_prefix("#x") {
                    u32::from_str_radix(h, 16).ok()?
                } else {
                    name.strip_prefix('#')?.parse().ok()?
                };
                char::from_u32(code)?
            }
        };
        out.push(c);
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    Some(out)
}

/// The prefix and local part of a qualified name.
pub fn split_name(name: &str) -> (Option<&str>, &str) {
    match name.split_once(':') {
        Some((p, l)) => (Some(p), l),
        None => (None, name),
    }
}

//! A trace's top level found without reading the whole document into memory: where its
//! `trace` version, its `resolve` map and each of its events stand in the text, so that the
//! events can then be read one at a time, each from its own piece of the text.
//!
//! Why: `yaml_serde` loads every YAML event of a document before it deserializes any of it
//! (its loader keeps them to resolve aliases), about 1.6 KB for each event of a small trace:
//! a 16 MiB trace of 300 000 events held 500 MB before the first was judged. `saphyr-parser`
//! streams its events with their places, so one pass finds the pieces, and `yaml_serde`
//! reads each piece alone. A piece is valid YAML on its own: a flow collection (`{…}`, a
//! JSON trace's events) as it is, a block collection with its first line indented as it was
//! (the spaces before it restored), a scalar as it is.

use saphyr_parser::{Event, Parser, ScalarStyle, Span};

/// A value's place in the text: octets `start..end`, and its first line (1-based) and
/// column (0-based, in characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Piece {
    start: usize,
    end: usize,
    pub(super) line: usize,
    column: usize,
}

impl Piece {
    /// The piece as a YAML document of its own, its lines where they were.
    pub(super) fn text(self, doc: &str) -> String {
        let body = &doc[self.start..self.end];
        let flow = body.starts_with(['{', '[', '"', '\'']);
        let indent = if flow { 0 } else { self.column };
        let mut s = String::with_capacity(indent + body.len());
        s.extend(std::iter::repeat_n(' ', indent));
        s.push_str(body);
        s
    }
}

/// The top level of a trace: its format version, where its `resolve` map is, and where each
/// event is.
#[derive(Debug, Default)]
pub(super) struct Spans {
    /// The `trace` value, when it is a plain scalar that reads as a version number.
    pub(super) version: Option<Result<u32, String>>,
    pub(super) resolve: Option<Piece>,
    /// None when the document has no `events` key.
    pub(super) events: Option<Vec<Piece>>,
}

/// The most columns a block event may be indented by (a piece is re-indented by as many
/// spaces; a deeper one is read with the whole document instead).
const MAX_INDENT: usize = 1024;

/// Octet offsets of saphyr's character indexes, found moving forward through the text.
struct Offsets<'t> {
    text: &'t str,
    ascii: bool,
    char_at: usize,
    byte_at: usize,
}

impl Offsets<'_> {
    fn byte(&mut self, char_index: usize) -> usize {
        if self.ascii {
            return char_index.min(self.text.len());
        }
        if char_index < self.char_at {
            (self.char_at, self.byte_at) = (0, 0);
        }
        let mut chars = self.text[self.byte_at..].chars();
        while self.char_at < char_index {
            match chars.next() {
                Some(c) => {
                    self.byte_at += c.len_utf8();
                    self.char_at += 1;
                }
                None => break,
            }
        }
        self.byte_at
    }
}

/// Why the pieces could not be found (the caller reads the whole document instead, or
/// reports this).
pub(super) type SplitError = String;

type Item<'t> = (Event<'t>, Span);

struct Walk<'t> {
    parser: Parser<'t, saphyr_parser::StrInput<'t>>,
    offsets: Offsets<'t>,
}

impl<'t> Walk<'t> {
    fn next(&mut self) -> Result<Item<'t>, SplitError> {
        match self.parser.next() {
            Some(Ok(item)) => Ok(item),
            Some(Err(e)) => Err(format!(
                "line {}, column {}: not valid YAML: {}",
                e.marker().line(),
                e.marker().col() + 1,
                e.info()
            )),
            None => Err("the document ended early".into()),
        }
    }

    /// The value that starts with `first`: a scalar, or a collection up to its end.
    fn value(&mut self, first: Item<'t>) -> Result<Piece, SplitError> {
        let (event, span) = first;
        let mut end = span.end.index();
        match event {
            Event::Scalar(..) => {}
            Event::SequenceStart(..) | Event::MappingStart(..) => {
                let mut depth = 1usize;
                while depth > 0 {
                    let (event, inner) = self.next()?;
                    end = end.max(inner.end.index());
                    match event {
                        Event::SequenceStart(..) | Event::MappingStart(..) => depth += 1,
                        Event::SequenceEnd | Event::MappingEnd => depth -= 1,
                        Event::Alias(_) => return Err("an alias".into()),
                        _ => {}
                    }
                }
            }
            _ => return Err("a value that is neither a scalar nor a collection".into()),
        }
        if span.start.col() > MAX_INDENT {
            return Err("an event indented too deep to read alone".into());
        }
        let start = self.offsets.byte(span.start.index());
        let end = self.offsets.byte(end);
        Ok(Piece {
            start,
            end,
            line: span.start.line(),
            column: span.start.col(),
        })
    }
}

/// Finds the top level of a trace: a mapping of `trace`, `resolve` and `events` (a
/// sequence), in one document. Anything else is an error, for the whole-document reader to
/// word (or to accept, if it reads the text otherwise).
pub(super) fn split(text: &str) -> Result<Spans, SplitError> {
    let mut walk = Walk {
        parser: Parser::new_from_str(text),
        offsets: Offsets {
            text,
            ascii: text.is_ascii(),
            char_at: 0,
            byte_at: 0,
        },
    };
    loop {
        match walk.next()?.0 {
            Event::StreamStart | Event::DocumentStart(_) => {}
            Event::MappingStart(..) => break,
            _ => return Err("the trace is not a mapping".into()),
        }
    }
    let mut spans = Spans::default();
    loop {
        let (event, _) = walk.next()?;
        let key = match event {
            Event::MappingEnd => break,
            Event::Scalar(
                key,
                ScalarStyle::Plain | ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted,
                ..,
            ) => key.into_owned(),
            _ => return Err("a key that is not a name".into()),
        };
        let first = walk.next()?;
        match key.as_str() {
            "trace" if spans.version.is_none() => {
                spans.version = Some(match &first.0 {
                    Event::Scalar(v, ScalarStyle::Plain, ..) => v
                        .parse::<u32>()
                        .map_err(|_| "the format version is not a number".to_string()),
                    _ => Err("the format version is not a number".to_string()),
                });
                walk.value(first)?;
            }
            "resolve" if spans.resolve.is_none() => spans.resolve = Some(walk.value(first)?),
            "events" if spans.events.is_none() => {
                if !matches!(first.0, Event::SequenceStart(..)) {
                    return Err("`events` is not a list".into());
                }
                let mut events = Vec::new();
                loop {
                    let item = walk.next()?;
                    if matches!(item.0, Event::SequenceEnd) {
                        break;
                    }
                    events.push(walk.value(item)?);
                }
                spans.events = Some(events);
            }
            _ => return Err(format!("the key `{key}` (unknown or given twice)")),
        }
    }
    loop {
        match walk.parser.next() {
            None => break,
            Some(Ok((Event::DocumentEnd | Event::StreamEnd, _))) => {}
            Some(_) => return Err("more than one document".into()),
        }
    }
    Ok(spans)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pieces(text: &str) -> Vec<String> {
        let spans = split(text).unwrap();
        spans
            .events
            .unwrap()
            .into_iter()
            // A block collection's piece runs to the next token: the line ends and comments
            // after it are part of it, and harmless.
            .map(|p| p.text(text).trim_end().to_string())
            .collect()
    }

    #[test]
    fn block_events_keep_their_indentation() {
        let text = "trace: 1\nevents:\n- at: 'x'\n  udp: {hex: \"01\"}\n-   from: a\n    to: 'b'\n# c\nresolve:\n  a: b\n";
        assert_eq!(
            pieces(text),
            [
                "  at: 'x'\n  udp: {hex: \"01\"}",
                "    from: a\n    to: 'b'\n# c"
            ]
        );
        let spans = split(text).unwrap();
        assert_eq!(spans.version, Some(Ok(1)));
        assert_eq!(spans.resolve.unwrap().text(text).trim_end(), "  a: b");
        assert_eq!(spans.events.unwrap()[1].line, 5);
    }

    #[test]
    fn flow_and_json_events_are_read_as_they_are() {
        let text = "{\"trace\": 1, \"events\": [{\"udp\": {\"hex\": \"01\"}}, {\"sip\": {\"raw\": \"é\"}}]}";
        assert_eq!(
            pieces(text),
            [
                "{\"udp\": {\"hex\": \"01\"}}",
                "{\"sip\": {\"raw\": \"é\"}}"
            ]
        );
    }

    #[test]
    fn a_block_scalar_ends_with_its_event() {
        let text = "trace: 1\nevents:\n  - sip:\n      raw: |\n        INVITE x\n        To: y\n  - udp: {hex: '01'}\n";
        let p = pieces(text);
        assert!(
            p[0].starts_with("    sip:\n      raw: |\n        INVITE x\n        To: y"),
            "{p:?}"
        );
        assert_eq!(p[1], "    udp: {hex: '01'}");
    }

    #[test]
    fn what_is_not_a_trace_is_left_to_the_whole_reader() {
        assert!(split("- a\n- b\n").is_err());
        assert!(split("trace: 1\nevents: 3\n").is_err());
        assert!(split("trace: 1\nother: 2\nevents: []\n").is_err());
        assert!(split("trace: 1\nevents: []\n---\ntrace: 2\n").is_err());
        assert_eq!(
            split("trace: '1'\nevents: []\n").unwrap().version,
            Some(Err("the format version is not a number".into()))
        );
    }
}

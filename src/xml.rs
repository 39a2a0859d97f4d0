//! Reading an XML payload: bytes to text (BOMs, UTF-16), explicit limits, a streaming
//! pre-scan (quick-xml) that bounds nesting before any tree is built, then roxmltree with
//! DTDs refused, so entity expansion can never happen.

use crate::finding::Location;
use serde::Deserialize;
use std::sync::atomic::AtomicBool;

/// Limits on what one document may cost. Exceeding one means "could not check" (exit 2),
/// not "non-conformant": the document may be fine, we just will not spend more on it.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Limits {
    /// Largest document, in bytes.
    pub max_bytes: usize,
    /// Deepest element nesting.
    pub max_depth: usize,
    /// Most nodes (elements, attributes, text) in one document.
    pub max_nodes: u32,
    /// Most terminals whose session state is kept at once (a few dozen octets each, more for
    /// a terminal with messages awaiting a verification or MTK streams): past it, the one idle
    /// longest is released, and if it has events again the session rules resting on its
    /// earlier state are incomplete for it.
    #[serde(default = "default_session_terminals")]
    pub session_terminals: usize,
    /// Per terminal: most messages awaiting a verification, delivered messages a verification
    /// may answer, verifications answering nothing yet, MSKs with MTK streams, registered
    /// services. Past it, the rules resting on that state are incomplete for the terminal.
    #[serde(default = "default_session_window")]
    pub session_window: usize,
    /// Most findings listed for one input; the rest are counted per rule in a note.
    #[serde(default = "default_max_findings")]
    pub max_findings: usize,
    /// Most octets of fragmented IP datagrams held in a capture while they complete.
    #[serde(default = "default_fragment_bytes")]
    pub fragment_bytes: usize,
    /// Frames after its first fragment that a fragmented IP datagram is waited for.
    #[serde(default = "default_fragment_frames")]
    pub fragment_frames: usize,
}

fn default_fragment_bytes() -> usize {
    crate::pcap::FragmentLimits::default().bytes
}

fn default_fragment_frames() -> usize {
    crate::pcap::FragmentLimits::default().frames
}

fn default_session_terminals() -> usize {
    1_048_576
}

fn default_session_window() -> usize {
    256
}

fn default_max_findings() -> usize {
    10_000
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_bytes: 16 * 1024 * 1024,
            max_depth: 256,
            max_nodes: 1_000_000,
            session_terminals: default_session_terminals(),
            session_window: default_session_window(),
            max_findings: default_max_findings(),
            fragment_bytes: default_fragment_bytes(),
            fragment_frames: default_fragment_frames(),
        }
    }
}

/// Why a document could not be read as XML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum XmlError {
    /// Not well-formed: the document is non-conformant. `location` says where.
    Malformed { location: Location, reason: String },
    /// Over a limit or using a feature we refuse (DTDs): the document could not be checked.
    Refused { location: Location, reason: String },
}

/// Why bytes after a byte-order mark are not UTF-16 text.
pub enum Utf16Error {
    OddLength,
    Invalid(std::char::DecodeUtf16Error),
}

/// UTF-16 text (after its byte-order mark) as a string: documents and change requests alike.
pub fn decode_utf16(body: &[u8], little_endian: bool) -> Result<String, Utf16Error> {
    if !body.len().is_multiple_of(2) {
        return Err(Utf16Error::OddLength);
    }
    let units = body.chunks_exact(2).map(|c| {
        if little_endian {
            u16::from_le_bytes([c[0], c[1]])
        } else {
            u16::from_be_bytes([c[0], c[1]])
        }
    });
    char::decode_utf16(units)
        .collect::<Result<String, _>>()
        .map_err(Utf16Error::Invalid)
}

/// 1-based line and character column of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (u32, u32) {
    let offset = offset.min(text.len());
    let offset = floor_char_boundary(text, offset);
    let (line, line_start) = crate::line_index::line_of(text, offset);
    let column = crate::line_index::chars_between(text, line_start, offset) as u32 + 1;
    (line as u32, column)
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

pub fn location(text: &str, offset: usize, end: usize) -> Location {
    let (line, column) = line_col(text, offset);
    Location {
        line,
        column,
        span: Some((offset, end.max(offset))),
        byte_offset: None,
        context: None,
        paragraph: None,
        lines_in_embedded: false,
    }
}

/// Turns the raw bytes into text: UTF-8 (with or without BOM) or UTF-16 with a BOM.
/// UTF-8 is borrowed, not copied (a large document is checked without a second copy).
pub fn decode_text(bytes: &[u8]) -> Result<std::borrow::Cow<'_, str>, XmlError> {
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return utf8(rest);
    }
    let utf16 = |le: bool| -> Result<std::borrow::Cow<'_, str>, XmlError> {
        decode_utf16(&bytes[2..], le)
            .map(Into::into)
            .map_err(|why| match why {
                Utf16Error::OddLength => {
                    malformed_at_start("UTF-16 document has an odd number of bytes")
                }
                Utf16Error::Invalid(e) => malformed_at_start(&format!("invalid UTF-16: {e}")),
            })
    };
    match bytes {
        [0xFF, 0xFE, ..] => utf16(true),
        [0xFE, 0xFF, ..] => utf16(false),
        _ => match utf16_without_bom(bytes) {
            Some(little_endian) => Err(XmlError::Refused {
                location: Location {
                    line: 1,
                    column: 1,
                    ..Location::default()
                },
                reason: format!(
                    "UTF-16 ({}) without a byte order mark: XML 1.0 4.3.3 requires the mark on UTF-16 (Appendix F: \"strictly speaking, in error\"), so the document is not checked, in either byte order; add the mark (FF FE or FE FF) or save it as UTF-8",
                    if little_endian { "little-endian" } else { "big-endian" }
                ),
            }),
            None => utf8(bytes),
        },
    }
}

/// UTF-16 without a byte order mark, told by its first markup as XML 1.0 Appendix F tells
/// it (`3C 00 3F 00` little-endian, `00 3C 00 3F` big-endian: "<?"), widened to any first
/// `<` after white space: `Some(true)` little-endian, `Some(false)` big-endian. A NUL
/// beside the `<` cannot be UTF-8 XML (XML 1.0 2.2 excludes #x0), so nothing else matches.
pub fn utf16_without_bom(bytes: &[u8]) -> Option<bool> {
    let is_space = |b: u8| matches!(b, b' ' | b'\t' | b'\r' | b'\n');
    let units = bytes.chunks_exact(2).take(SNIFF_UNITS);
    let first = |little: bool| {
        units
            .clone()
            .map(|u| if little { (u[0], u[1]) } else { (u[1], u[0]) })
            .find(|&(low, high)| !(high == 0 && is_space(low)))
    };
    match (first(true), first(false)) {
        (Some((b'<', 0)), _) => Some(true),
        (_, Some((b'<', 0))) => Some(false),
        _ => None,
    }
}

/// How many leading UTF-16 code units [`utf16_without_bom`] looks through for the `<`.
const SNIFF_UNITS: usize = 256;

fn malformed_at_start(reason: &str) -> XmlError {
    XmlError::Malformed {
        location: Location {
            line: 1,
            column: 1,
            ..Location::default()
        },
        reason: reason.to_string(),
    }
}

fn utf8(bytes: &[u8]) -> Result<std::borrow::Cow<'_, str>, XmlError> {
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(s.into()),
        Err(e) => {
            let good = &bytes[..e.valid_up_to()];
            // Safe: the prefix was validated by from_utf8.
            let text = std::str::from_utf8(good).unwrap_or("");
            let (line, column) = line_col(text, text.len());
            Err(XmlError::Malformed {
                location: Location {
                    line,
                    column,
                    span: None,
                    byte_offset: Some(e.valid_up_to()),
                    context: None,
                    paragraph: None,
                    lines_in_embedded: false,
                },
                reason: format!(
                    "invalid UTF-8 at byte {} (the document declares or defaults to UTF-8)",
                    e.valid_up_to()
                ),
            })
        }
    }
}

/// The local names of a document's elements, gathered by the prescan: what kind detection
/// asks of a document ("does it carry an element named …?") without a walk of its tree.
#[derive(Debug, Default)]
pub struct ElementNames<'i> {
    names: rustc_hash::FxHashSet<&'i str>,
    /// Whether every element was seen: the prescan leaves syntax errors to the tree parser
    /// and stops at the first, so after one the set may lack names the tree has.
    complete: bool,
}

impl ElementNames<'_> {
    /// Whether an element of the document has this local name; `None` when the prescan
    /// stopped early and cannot tell.
    pub fn carries(&self, local: &str) -> Option<bool> {
        self.complete.then(|| self.names.contains(local))
    }
}

/// Most attributes (namespace declarations included) on one element. roxmltree checks
/// each attribute against the element's earlier ones (duplicate attributes) and each
/// namespace declaration against the element's earlier declarations: k² comparisons for k
/// attributes on one element (100 000 attributes took 40 s). With k bounded, the tree
/// costs at most k comparisons per attribute: linear in the document's size. The MBMS, BCAST
/// and MCVideo payloads carry a handful of attributes per element.
pub const MAX_ATTRIBUTES: usize = 256;

/// Most namespace declarations in scope at once (on an element and its ancestors).
/// roxmltree copies the namespaces in scope into every element that declares one more, and
/// searches them for every prefixed name: bounded, each costs at most this many steps.
pub const MAX_NAMESPACES: usize = 256;

/// The bounds [`MAX_ATTRIBUTES`] and [`MAX_NAMESPACES`] kept over a stream of start and end
/// tags, each tag's attributes read once (quick-xml's own duplicate check, quadratic too,
/// turned off).
#[derive(Default)]
struct AttributeBounds {
    /// Namespace declarations of each open element.
    declared: Vec<usize>,
    in_scope: usize,
}

impl AttributeBounds {
    /// An element opens: its attributes counted; `Err` names the bound it exceeds.
    fn open(&mut self, tag: &quick_xml::events::BytesStart) -> Result<(), String> {
        let (mut attributes, mut declarations) = (0usize, 0usize);
        // A malformed attribute ends the count: the tree parser refuses the element there.
        for a in tag.attributes().with_checks(false).map_while(Result::ok) {
            attributes += 1;
            let key = a.key.as_ref();
            declarations += usize::from(key == b"xmlns" || key.starts_with(b"xmlns:"));
            if attributes > MAX_ATTRIBUTES {
                return Err(format!(
                    "more than {MAX_ATTRIBUTES} attributes on one element (a fixed limit: the tree parser's work grows with their square)"
                ));
            }
        }
        self.in_scope += declarations;
        self.declared.push(declarations);
        if self.in_scope > MAX_NAMESPACES {
            return Err(format!(
                "more than {MAX_NAMESPACES} namespace declarations in scope (a fixed limit: the tree parser's work grows with their square)"
            ));
        }
        Ok(())
    }

    fn close(&mut self) {
        self.in_scope -= self.declared.pop().unwrap_or(0);
    }
}

/// Whether every element of `text` is surely within [`MAX_ATTRIBUTES`] and
/// [`MAX_NAMESPACES`], from a search of its bytes (SIMD, far quicker than reading its tags):
/// each attribute has its own '=' after the '<' of its tag, with no '<' between (a '<' in an
/// attribute value is not well-formed, and the tree parser stops there), and each namespace
/// declaration is spelled `xmlns`. `false` only means the tags must be read to tell.
fn surely_within_attribute_bounds(text: &str) -> bool {
    let bytes = text.as_bytes();
    if memchr::memchr_iter(b'=', bytes)
        .nth(MAX_ATTRIBUTES)
        .is_none()
    {
        return true;
    }
    let mut since_tag = 0usize;
    for at in memchr::memchr2_iter(b'<', b'=', bytes) {
        if bytes[at] == b'<' {
            since_tag = 0;
        } else {
            since_tag += 1;
            if since_tag > MAX_ATTRIBUTES {
                return false;
            }
        }
    }
    memchr::memmem::find_iter(bytes, b"xmlns")
        .nth(MAX_NAMESPACES)
        .is_none()
}

/// Whether roxmltree may parse `text` within [`MAX_ATTRIBUTES`] and [`MAX_NAMESPACES`]
/// (a linear scan of its tags when a search of its bytes cannot tell), for a large
/// document before its tree and for the places that parse a text with roxmltree directly
/// (a SIP body, an example in a change request). A syntax error ends the scan: the tree
/// parser stops at the same place.
pub fn within_attribute_bounds(text: &str) -> Result<(), XmlError> {
    attribute_scan(text, usize::MAX)
}

/// [`within_attribute_bounds`], up to the first element nested deeper than `max_depth`:
/// there the prescan refuses the document for its depth, as it did before the bounds.
fn attribute_scan(text: &str, max_depth: usize) -> Result<(), XmlError> {
    use quick_xml::events::Event;
    if surely_within_attribute_bounds(text) {
        return Ok(());
    }
    let mut reader = quick_xml::Reader::from_str(text);
    reader.config_mut().check_end_names = false;
    let mut bounds = AttributeBounds::default();
    loop {
        let at = reader.buffer_position() as usize;
        let refused = |reason| XmlError::Refused {
            location: location(text, at, at),
            reason,
        };
        match reader.read_event() {
            Ok(Event::Start(_)) if bounds.declared.len() >= max_depth => return Ok(()),
            Ok(Event::Start(e)) => bounds.open(&e).map_err(refused)?,
            Ok(Event::Empty(e)) => {
                bounds.open(&e).map_err(refused)?;
                bounds.close();
            }
            Ok(Event::End(_)) => bounds.close(),
            Ok(Event::Eof) | Err(_) => return Ok(()),
            Ok(_) => {}
        }
    }
}

/// `roxmltree::Document::parse` for a text from the input, refused (`None`) past
/// [`MAX_ATTRIBUTES`] or [`MAX_NAMESPACES`], where its time grows with their square.
pub fn parse_bounded(text: &str) -> Option<roxmltree::Document<'_>> {
    within_attribute_bounds(text).ok()?;
    roxmltree::Document::parse(text).ok()
}

/// Streams the document once to refuse DTDs, excessive nesting and elements past
/// [`MAX_ATTRIBUTES`] or [`MAX_NAMESPACES`] before building a tree, and gathers its
/// elements' local names.
pub fn prescan<'i>(text: &'i str, limits: &Limits) -> Result<ElementNames<'i>, XmlError> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(text);
    reader.config_mut().check_end_names = false;
    // Open elements: (name, byte offset of '<'), to name the unclosed one on a mismatch.
    // The names are slices of the text (after the '<'): no copy per element.
    let mut open: Vec<(&[u8], usize)> = Vec::new();
    let mut seen = ElementNames::default();
    let mut bounds = AttributeBounds::default();
    let refused = |at: usize, reason: String| XmlError::Refused {
        location: location(text, at, at),
        reason,
    };
    // The qualified name after '<', as a slice of the text, with its local part noted.
    fn note<'i>(text: &'i str, seen: &mut ElementNames<'i>, at: usize, len: usize) -> &'i [u8] {
        let qname = text.get(at + 1..at + 1 + len).unwrap_or_default();
        seen.names
            .insert(qname.rsplit_once(':').map_or(qname, |(_, local)| local));
        qname.as_bytes()
    }
    loop {
        let at = reader.buffer_position() as usize;
        match reader.read_event() {
            Ok(Event::Empty(e)) => {
                note(text, &mut seen, at, e.name().as_ref().len());
                bounds.open(&e).map_err(|why| refused(at, why))?;
                bounds.close();
            }
            Ok(Event::Start(e)) => {
                let name = note(text, &mut seen, at, e.name().as_ref().len());
                open.push((name, at));
                if open.len() > limits.max_depth {
                    return Err(XmlError::Refused {
                        location: location(text, at, at),
                        reason: format!(
                            "element nesting deeper than {} levels (limit max_depth)",
                            limits.max_depth
                        ),
                    });
                }
                bounds.open(&e).map_err(|why| refused(at, why))?;
            }
            Ok(Event::End(e)) => {
                bounds.close();
                let Some((name, opened)) = open.pop() else {
                    continue;
                };
                if name != e.name().as_ref() {
                    let name = name.to_vec();
                    let (el, cl) = (line_col(text, opened + 1), line_col(text, at));
                    return Err(XmlError::Malformed {
                        location: location(text, opened + 1, opened + 1 + name.len()),
                        reason: format!(
                            "element <{}> opened at {}:{} is never closed; </{}> at {}:{} closes an element opened before it",
                            String::from_utf8_lossy(&name),
                            el.0,
                            el.1,
                            String::from_utf8_lossy(e.name().as_ref()),
                            cl.0,
                            cl.1
                        ),
                    });
                }
            }
            Ok(Event::DocType(_)) => {
                return Err(XmlError::Refused {
                    location: location(text, at, at),
                    reason: "the document has a DOCTYPE; DTDs are not processed (entity expansion and external entities are refused), and the MBMS/BCAST payloads are defined by schemas, not DTDs".into(),
                })
            }
            Ok(Event::Eof) => {
                seen.complete = true;
                return Ok(seen);
            }
            Ok(_) => {}
            // Syntax errors are reported by the tree parser, with its clearer messages.
            Err(_) => return Ok(seen),
        }
    }
}

/// Parses the text into a tree with positions, within the limits.
pub fn parse<'i>(text: &'i str, limits: &Limits) -> Result<roxmltree::Document<'i>, XmlError> {
    parse_with_names(text, limits).map(|(doc, _)| doc)
}

/// Parses the text into a tree with positions, within the limits, with the local names of
/// its elements (from the prescan, which reads every start tag anyway).
pub fn parse_with_names<'i>(
    text: &'i str,
    limits: &Limits,
) -> Result<(roxmltree::Document<'i>, ElementNames<'i>), XmlError> {
    // A large document's prescan and tree run side by side; the prescan's refusal still
    // wins. The tree parser is safe on what the prescan refuses: it refuses a DOCTYPE
    // itself, stops at max_nodes, and keeps open elements on a heap stack, not the call
    // stack (tests/hostile.rs: 100 000-deep nesting).
    if text.len() >= PRESCAN_BESIDE_FROM {
        // The tree parser's time grows with the square of the attributes on one element:
        // bounded before it starts, as the prescan beside it would refuse too late.
        attribute_scan(text, limits.max_depth)?;
        // The tree is the join's first half, run on this thread at once; the prescan (and the
        // work after it) is the half another thread takes when it is free. So the work, which
        // waits for the parse to end, only ever waits on a parse that is running: with no
        // free thread the prescan runs after the tree, and the work finds it done.
        let parsing = AtomicBool::new(true);
        let scan_then_work = || {
            let scan = prescan(text, limits);
            if let (Ok(_), Some(work)) = (&scan, AFTER_PRESCAN.get()) {
                work(&parsing);
            }
            scan
        };
        let tree_then_done = || {
            let tree = tree(text, limits);
            parsing.store(false, std::sync::atomic::Ordering::Release);
            tree
        };
        let (tree, scan) = rayon::join(tree_then_done, scan_then_work);
        let names = scan?;
        return Ok((tree?, names));
    }
    let names = prescan(text, limits)?;
    Ok((tree(text, limits)?, names))
}

/// Work for the prescan's thread once it is done, while the tree parser still runs: the
/// binary registers one that faults in the parser's node memory (`src/prefault.rs`).
/// It is given a flag that stays true while the tree parser runs.
static AFTER_PRESCAN: std::sync::OnceLock<fn(&AtomicBool)> = std::sync::OnceLock::new();

/// Registers the work the prescan's thread does after a large document's prescan, while
/// the flag it is given is true (the tree parser still runs).
pub fn set_after_prescan(work: fn(&AtomicBool)) {
    let _ = AFTER_PRESCAN.set(work);
}

/// The size (octets of text) from which the prescan runs beside the tree parser.
const PRESCAN_BESIDE_FROM: usize = 256 * 1024;

fn tree<'i>(text: &'i str, limits: &Limits) -> Result<roxmltree::Document<'i>, XmlError> {
    let opts = roxmltree::ParsingOptions {
        allow_dtd: false,
        nodes_limit: limits.max_nodes,
        ..roxmltree::ParsingOptions::default()
    };
    roxmltree::Document::parse_with_options(text, opts).map_err(|e| {
        let pos = e.pos();
        let location = Location {
            line: pos.row,
            column: pos.col,
            ..Location::default()
        };
        match e {
            roxmltree::Error::NodesLimitReached => XmlError::Refused {
                location,
                reason: format!("more than {} nodes (limit max_nodes)", limits.max_nodes),
            },
            roxmltree::Error::DtdDetected => XmlError::Refused {
                location,
                reason: "the document has a DOCTYPE; DTDs are not processed".into(),
            },
            other => XmlError::Malformed {
                location,
                reason: malformed_reason(text, &other),
            },
        }
    })
}

/// roxmltree's reason, with the character it stopped at named when that is not ASCII:
/// roxmltree shows only its first octet as a Latin-1 character (`expected a quote not 'â'`
/// for a `“`), and a typographic quote, dash or no-break space pasted from a word processor
/// is the commonest defect of examples in CRs.
pub fn malformed_reason(text: &str, e: &roxmltree::Error) -> String {
    let (expected, first, pos) = match e {
        roxmltree::Error::InvalidChar(want, got, pos) => {
            (format!("'{}'", *want as char), *got, pos)
        }
        roxmltree::Error::InvalidChar2(want, got, pos) => (want.to_string(), *got, pos),
        other => return other.to_string(),
    };
    let found = text
        .lines()
        .nth((pos.row as usize).saturating_sub(1))
        .and_then(|line| line.chars().nth((pos.col as usize).saturating_sub(1)));
    match found {
        Some(c) if !c.is_ascii() && c.to_string().as_bytes()[0] == first => format!(
            "found '{c}' {} where {expected} belongs at {pos}",
            crate::charname::describe(c)
        ),
        _ => e.to_string(),
    }
}

#[cfg(test)]
mod malformed_reason_tests {
    fn reason(text: &str) -> String {
        let e = roxmltree::Document::parse(text).unwrap_err();
        super::malformed_reason(text, &e)
    }

    #[test]
    fn a_typographic_quote_is_named_where_a_quote_belongs() {
        assert_eq!(
            reason("<a>\n <b c=\u{201C}x\u{201D}/></a>"),
            "found '\u{201C}' U+201C LEFT DOUBLE QUOTATION MARK where a quote belongs at 2:7"
        );
    }

    #[test]
    fn an_ascii_defect_keeps_roxmltree_s_words() {
        assert_eq!(reason("<a b=x/>"), "expected a quote not 'x' at 1:6");
    }
}

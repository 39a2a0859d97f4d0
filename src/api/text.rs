//! Text from inputs made safe to show: control characters and bidirectional overrides in a
//! visible form, as every human-readable report shows them.

use std::borrow::Cow;

/// `text` with every control character (C0, DEL, C1) and Unicode bidirectional override or
/// isolate in a visible form (`\n`, `\x1b`, `\u{202e}`): a terminal acts on ESC and BEL
/// sequences, a newline forges a report line, and an override makes a name display as
/// another. Borrowed when nothing needed escaping.
///
/// # Examples
///
/// ```
/// assert_eq!(mikeyconf::escape_controls("a\x1b[2Jb"), "a\\x1b[2Jb");
/// assert!(matches!(mikeyconf::escape_controls("plain"), std::borrow::Cow::Borrowed(_)));
/// ```
pub fn escape_controls(text: &str) -> Cow<'_, str> {
    crate::render::escape_controls(text)
}

/// [`escape_controls`], but the characters `keep` says may be shown as they are (an error
/// message's own line breaks).
///
/// # Examples
///
/// ```
/// let shown = mikeyconf::escape_controls_but("one\ntwo\r", |c| c == '\n');
/// assert_eq!(shown, "one\ntwo\\r");
/// ```
pub fn escape_controls_but(text: &str, keep: impl Fn(char) -> bool) -> Cow<'_, str> {
    crate::render::escape_controls_but(text, keep)
}

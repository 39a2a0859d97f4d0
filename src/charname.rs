//! Names of characters a report points at: `U+201C LEFT DOUBLE QUOTATION MARK`. Only the
//! characters a word processor substitutes for ASCII markup (typographic quotes, dashes,
//! spaces) are named; any other is given by its code point alone. (A full Unicode name table
//! would be a large dependency for the handful that matter in a CR's examples.)

/// The characters word processors put where ASCII markup belongs, with their Unicode names
/// (The Unicode Standard, code charts U+0080, U+2000, U+FE70).
const NAMED: &[(char, &str)] = &[
    ('\u{00A0}', "NO-BREAK SPACE"),
    ('\u{00AB}', "LEFT-POINTING DOUBLE ANGLE QUOTATION MARK"),
    ('\u{00B4}', "ACUTE ACCENT"),
    ('\u{00BB}', "RIGHT-POINTING DOUBLE ANGLE QUOTATION MARK"),
    ('\u{2002}', "EN SPACE"),
    ('\u{2003}', "EM SPACE"),
    ('\u{2009}', "THIN SPACE"),
    ('\u{200B}', "ZERO WIDTH SPACE"),
    ('\u{2010}', "HYPHEN"),
    ('\u{2011}', "NON-BREAKING HYPHEN"),
    ('\u{2013}', "EN DASH"),
    ('\u{2014}', "EM DASH"),
    ('\u{2018}', "LEFT SINGLE QUOTATION MARK"),
    ('\u{2019}', "RIGHT SINGLE QUOTATION MARK"),
    ('\u{201A}', "SINGLE LOW-9 QUOTATION MARK"),
    ('\u{201C}', "LEFT DOUBLE QUOTATION MARK"),
    ('\u{201D}', "RIGHT DOUBLE QUOTATION MARK"),
    ('\u{201E}', "DOUBLE LOW-9 QUOTATION MARK"),
    ('\u{2026}', "HORIZONTAL ELLIPSIS"),
    ('\u{2032}', "PRIME"),
    ('\u{2033}', "DOUBLE PRIME"),
    ('\u{2039}', "SINGLE LEFT-POINTING ANGLE QUOTATION MARK"),
    ('\u{203A}', "SINGLE RIGHT-POINTING ANGLE QUOTATION MARK"),
    ('\u{2212}', "MINUS SIGN"),
    ('\u{FEFF}', "ZERO WIDTH NO-BREAK SPACE"),
    ('\u{FF1C}', "FULLWIDTH LESS-THAN SIGN"),
    ('\u{FF1E}', "FULLWIDTH GREATER-THAN SIGN"),
];

/// `U+201C LEFT DOUBLE QUOTATION MARK` for a named character, `U+00E9` for another.
///
/// ```
/// assert_eq!(mikeyconf::internals::charname::describe('“'), "U+201C LEFT DOUBLE QUOTATION MARK");
/// assert_eq!(mikeyconf::internals::charname::describe('é'), "U+00E9");
/// ```
pub fn describe(c: char) -> String {
    match NAMED.iter().find(|(n, _)| *n == c) {
        Some((_, name)) => format!("U+{:04X} {name}", c as u32),
        None => format!("U+{:04X}", c as u32),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_table_is_sorted_and_unique() {
        let codes: Vec<u32> = super::NAMED.iter().map(|(c, _)| *c as u32).collect();
        assert!(codes.windows(2).all(|w| w[0] < w[1]), "{codes:x?}");
    }
}

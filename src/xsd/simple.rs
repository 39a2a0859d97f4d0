//! Built-in XML Schema simple types and the facets our schemas use.
//!
//! Values are checked after the whitespace processing XSD prescribes (`collapse` for every
//! type here but `string`). base64Binary is checked strictly (alphabet, padding, canonical
//! trailing bits), which is stricter than libxml2 2.9.x: see docs/interpretation.md.

use base64::Engine;

/// The built-in types the project's schemas may name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Builtin {
    AnyType,
    AnySimpleType,
    String,
    NormalizedString,
    Token,
    Language,
    NcName,
    Name,
    AnyUri,
    Boolean,
    Base64Binary,
    HexBinary,
    Integer,
    NonNegativeInteger,
    PositiveInteger,
    Long,
    Int,
    Short,
    Byte,
    UnsignedLong,
    UnsignedInt,
    UnsignedShort,
    UnsignedByte,
    DateTime,
    Date,
    Decimal,
}

impl Builtin {
    /// The built-in type of an `xs:` local name, if we support it.
    pub fn from_local(name: &str) -> Option<Builtin> {
        use Builtin::*;
        Some(match name {
            "anyType" => AnyType,
            "anySimpleType" => AnySimpleType,
            "string" => String,
            "normalizedString" => NormalizedString,
            "token" => Token,
            "language" => Language,
            "NCName" => NcName,
            "Name" => Name,
            "anyURI" => AnyUri,
            "boolean" => Boolean,
            "base64Binary" => Base64Binary,
            "hexBinary" => HexBinary,
            "integer" => Integer,
            "nonNegativeInteger" => NonNegativeInteger,
            "positiveInteger" => PositiveInteger,
            "long" => Long,
            "int" => Int,
            "short" => Short,
            "byte" => Byte,
            "unsignedLong" => UnsignedLong,
            "unsignedInt" => UnsignedInt,
            "unsignedShort" => UnsignedShort,
            "unsignedByte" => UnsignedByte,
            "dateTime" => DateTime,
            "date" => Date,
            "decimal" => Decimal,
            _ => return None,
        })
    }

    /// The `xs:` name, as messages print it.
    pub fn name(self) -> &'static str {
        use Builtin::*;
        match self {
            AnyType => "xs:anyType",
            AnySimpleType => "xs:anySimpleType",
            String => "xs:string",
            NormalizedString => "xs:normalizedString",
            Token => "xs:token",
            Language => "xs:language",
            NcName => "xs:NCName",
            Name => "xs:Name",
            AnyUri => "xs:anyURI",
            Boolean => "xs:boolean",
            Base64Binary => "xs:base64Binary",
            HexBinary => "xs:hexBinary",
            Integer => "xs:integer",
            NonNegativeInteger => "xs:nonNegativeInteger",
            PositiveInteger => "xs:positiveInteger",
            Long => "xs:long",
            Int => "xs:int",
            Short => "xs:short",
            Byte => "xs:byte",
            UnsignedLong => "xs:unsignedLong",
            UnsignedInt => "xs:unsignedInt",
            UnsignedShort => "xs:unsignedShort",
            UnsignedByte => "xs:unsignedByte",
            DateTime => "xs:dateTime",
            Date => "xs:date",
            Decimal => "xs:decimal",
        }
    }

    /// Integer range of the integer-derived types, as (min, max).
    fn integer_range(self) -> Option<(i128, i128)> {
        use Builtin::*;
        Some(match self {
            Integer => (i128::MIN, i128::MAX),
            NonNegativeInteger => (0, i128::MAX),
            PositiveInteger => (1, i128::MAX),
            Long => (i64::MIN as i128, i64::MAX as i128),
            Int => (i32::MIN as i128, i32::MAX as i128),
            Short => (i16::MIN as i128, i16::MAX as i128),
            Byte => (i8::MIN as i128, i8::MAX as i128),
            UnsignedLong => (0, u64::MAX as i128),
            UnsignedInt => (0, u32::MAX as i128),
            UnsignedShort => (0, u16::MAX as i128),
            UnsignedByte => (0, u8::MAX as i128),
            _ => return None,
        })
    }

    /// Whether the value space is numeric (so min/maxInclusive facets apply).
    pub fn is_integer(self) -> bool {
        self.integer_range().is_some()
    }
}

/// XSD `collapse` whitespace processing.
pub fn collapse(value: &str) -> std::borrow::Cow<'_, str> {
    // Most values are collapsed already (no whitespace but single inner spaces): those are
    // borrowed, as a large document collapses the text of every element.
    let b = value.as_bytes();
    let collapsed = b.iter().enumerate().all(|(i, &c)| {
        !c.is_ascii_whitespace() || (c == b' ' && i > 0 && i + 1 < b.len() && b[i - 1] != b' ')
    });
    if collapsed {
        return value.into();
    }
    // Written word by word: no list of the words first.
    let mut out = String::with_capacity(value.len());
    for word in value.split_ascii_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out.into()
}

/// Parses an XSD integer lexical form (optional sign, digits) into a number.
pub fn parse_integer(s: &str) -> Option<i128> {
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    // Leading zeros are legal; cap the length so parsing stays in range.
    let trimmed = digits.trim_start_matches('0');
    if trimmed.len() > 38 {
        return None;
    }
    let magnitude: i128 = if trimmed.is_empty() {
        0
    } else {
        trimmed.parse().ok()?
    };
    Some(if s.starts_with('-') {
        -magnitude
    } else {
        magnitude
    })
}

/// Decodes an `xs:base64Binary` value strictly: whitespace between characters is allowed,
/// the alphabet is the standard one, padding is required and trailing bits must be zero.
pub fn decode_base64(value: &str) -> Result<Vec<u8>, String> {
    let compact: String = value.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    if let Some((i, c)) = compact
        .char_indices()
        .find(|(_, c)| !(c.is_ascii_alphanumeric() || *c == '+' || *c == '/' || *c == '='))
    {
        return Err(format!(
            "character '{c}' at position {} is outside the base64 alphabet",
            i + 1
        ));
    }
    base64::engine::general_purpose::STANDARD
        .decode(compact.as_bytes())
        .map_err(|e| format!("not canonical base64 ({e})"))
}

/// Checks a value against a built-in type; returns a reason when it does not conform.
pub fn check_builtin(ty: Builtin, raw: &str) -> Result<(), String> {
    use Builtin::*;
    if matches!(ty, String | AnyType | AnySimpleType) {
        return Ok(());
    }
    let v = collapse(raw);
    if let Some((min, max)) = ty.integer_range() {
        return match parse_integer(&v) {
            Some(n) if n >= min && n <= max => Ok(()),
            Some(_) => Err("out of range".into()),
            None => Err("not an integer".into()),
        };
    }
    match ty {
        NormalizedString | Token => Ok(()),
        Boolean => match &*v {
            "true" | "false" | "1" | "0" => Ok(()),
            _ => Err("not a boolean (true, false, 1, 0)".into()),
        },
        Base64Binary => decode_base64(&v).map(|_| ()),
        HexBinary => {
            if v.len().is_multiple_of(2) && v.bytes().all(|b| b.is_ascii_hexdigit()) {
                Ok(())
            } else {
                Err("not an even number of hex digits".into())
            }
        }
        AnyUri => {
            if v.chars().any(|c| c.is_control()) {
                Err("contains control characters".into())
            } else {
                Ok(())
            }
        }
        NcName | Name | Language => {
            let ok = !v.is_empty()
                && !v.contains(' ')
                && (ty != NcName || !v.contains(':'))
                && !v.starts_with(|c: char| c.is_ascii_digit() || c == '-' || c == '.');
            if ok {
                Ok(())
            } else {
                Err(format!("not a valid {}", ty.name()))
            }
        }
        Decimal => {
            let body = v.strip_prefix(['+', '-']).unwrap_or(&v);
            let mut parts = body.splitn(2, '.');
            let int = parts.next().unwrap_or("");
            let frac = parts.next().unwrap_or("");
            let ok = !(int.is_empty() && frac.is_empty())
                && int.bytes().all(|b| b.is_ascii_digit())
                && frac.bytes().all(|b| b.is_ascii_digit());
            if ok {
                Ok(())
            } else {
                Err("not a decimal".into())
            }
        }
        DateTime => check_datetime(&v, true),
        Date => check_datetime(&v, false),
        _ => Ok(()),
    }
}

/// Shape check of `xs:dateTime` / `xs:date` (YYYY-MM-DD[Thh:mm:ss[.s]][zone]).
fn check_datetime(v: &str, with_time: bool) -> Result<(), String> {
    let b = v.as_bytes();
    let digits = |r: std::ops::Range<usize>| {
        b.get(r.clone())
            .is_some_and(|s| s.iter().all(u8::is_ascii_digit))
    };
    let date_ok = b.len() >= 10
        && digits(0..4)
        && b[4] == b'-'
        && digits(5..7)
        && b[7] == b'-'
        && digits(8..10);
    let rest = if date_ok { &v[10..] } else { "" };
    let time_ok = if with_time {
        let t = rest.as_bytes();
        t.len() >= 9
            && t[0] == b'T'
            && t[3] == b':'
            && t[6] == b':'
            && t[1..3]
                .iter()
                .chain(&t[4..6])
                .chain(&t[7..9])
                .all(u8::is_ascii_digit)
    } else {
        true
    };
    if date_ok && time_ok {
        Ok(())
    } else {
        Err(format!(
            "not a valid {}",
            if with_time { "xs:dateTime" } else { "xs:date" }
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unsigned_byte_bounds() {
        assert!(check_builtin(Builtin::UnsignedByte, "255").is_ok());
        assert!(check_builtin(Builtin::UnsignedByte, " 0 ").is_ok());
        assert!(check_builtin(Builtin::UnsignedByte, "256").is_err());
        assert!(check_builtin(Builtin::UnsignedByte, "-1").is_err());
        assert!(check_builtin(Builtin::UnsignedByte, "two").is_err());
        assert!(check_builtin(Builtin::UnsignedByte, "").is_err());
    }

    #[test]
    fn base64_is_strict() {
        assert_eq!(decode_base64("uHCd").unwrap().len(), 3);
        assert_eq!(decode_base64("aMkA AA==").unwrap().len(), 4);
        assert!(decode_base64("***").is_err());
        assert!(decode_base64("ab#cd").is_err());
        assert!(decode_base64("aMkAAA").is_err(), "padding is required");
        assert!(
            decode_base64("aMkAAB==").is_err(),
            "trailing bits must be zero"
        );
        assert!(decode_base64("...").is_err());
    }
}

//! Reading the keyring file: the YAML into [`RawKeyring`], then each value checked and
//! converted, with the line of the field that is wrong.
//!
//! The YAML crate gives positions only for syntax and shape errors, so the line of a value
//! that parses but is wrong (bad hex, a point of the wrong length) is found by
//! [`locate`], a small reader of block-style YAML paths (`users[1].rsk`). A keyring written in
//! flow style still gets the field's path, just not its line.

use super::{
    Expect, Keyring, KeyringError, Kms, Psk, RawExpect, RawKeyring, RawKms, RawPsk, RawUser,
    Secret, User,
};

/// Lengths the values must have, in octets.
const KPAK_LEN: usize = 65; // uncompressed P-256 point (RFC 6507, RFC 6509)
const SAKKE_POINT_LEN: usize = 257; // uncompressed point over the 1024-bit field (RFC 6509 A)
const SSK_LEN: usize = 32; // ECCSI secret signing key, N = 32 (RFC 6507 with P-256)

pub(crate) fn parse(text: &str, file: &str) -> Result<Keyring, KeyringError> {
    let raw: RawKeyring = if text.trim().is_empty() {
        RawKeyring::default()
    } else {
        // The YAML reader's errors name the place, the field and the expected type, never
        // the value (which in a keyring is the key).
        crate::yaml::from_str(text).map_err(|e| KeyringError {
            file: file.to_string(),
            line: e.line,
            column: e.column,
            field: String::new(),
            reason: e.message,
        })?
    };
    let reader = Reader { text, file };
    let kms = enumerate(&raw.kms, |i, k| reader.kms(i, k))?;
    let users = enumerate(&raw.users, |i, u| reader.user(i, u, &kms))?;
    let psk = enumerate(&raw.psk, |i, p| reader.psk(i, p))?;
    let expect = enumerate(&raw.expect, |i, e| reader.expect(i, e))?;
    reader.unique(&kms, |k| &k.uri, "kms", "uri")?;
    reader.unique(&users, |u| &u.uri, "users", "uri")?;
    Ok(Keyring {
        source: file.to_string(),
        kms,
        users,
        psk,
        expect,
        participating_psi: raw.participating_psi,
    })
}

fn enumerate<R, T>(
    items: &[R],
    mut f: impl FnMut(usize, &R) -> Result<T, KeyringError>,
) -> Result<Vec<T>, KeyringError> {
    items.iter().enumerate().map(|(i, r)| f(i, r)).collect()
}

struct Reader<'a> {
    text: &'a str,
    file: &'a str,
}

impl Reader<'_> {
    fn error(&self, field: String, reason: impl Into<String>) -> KeyringError {
        KeyringError {
            file: self.file.to_string(),
            line: locate(self.text, &field),
            column: None,
            field,
            reason: reason.into(),
        }
    }

    fn kms(&self, i: usize, k: &RawKms) -> Result<Kms, KeyringError> {
        let at = |f: &str| format!("kms[{i}].{f}");
        let kpak = self.point(&at("kpak"), &k.kpak, KPAK_LEN, "an ECCSI KPAK")?;
        let z = self.point(&at("z"), &k.z, SAKKE_POINT_LEN, "a SAKKE public key Z")?;
        let user_key_period = self.number(&at("user_key_period"), &k.user_key_period)?;
        if user_key_period == 0 {
            return Err(self.error(at("user_key_period"), "must be at least 1 second"));
        }
        let user_key_offset = match &k.user_key_offset {
            Some(v) => self.number(&at("user_key_offset"), v)?,
            None => 0,
        };
        Ok(Kms {
            uri: k.uri.clone(),
            kpak,
            z,
            user_key_period,
            user_key_offset,
        })
    }

    fn user(&self, i: usize, u: &RawUser, kms: &[Kms]) -> Result<User, KeyringError> {
        let at = |f: &str| format!("users[{i}].{f}");
        if !kms.iter().any(|k| k.uri == u.kms) {
            return Err(self.error(
                at("kms"),
                "names no KMS of the keyring's `kms` list (by its uri)",
            ));
        }
        let rsk = match &u.rsk {
            Some(v) => Some(Secret::new(self.point(
                &at("rsk"),
                v,
                SAKKE_POINT_LEN,
                "a SAKKE RSK",
            )?)),
            None => None,
        };
        let ssk = match &u.ssk {
            Some(v) => Some(Secret::new(self.exact(&at("ssk"), v, SSK_LEN)?)),
            None => None,
        };
        let pvt = match &u.pvt {
            Some(v) => Some(self.point(&at("pvt"), v, KPAK_LEN, "an ECCSI PVT")?),
            None => None,
        };
        Ok(User {
            uri: u.uri.clone(),
            kms: u.kms.clone(),
            rsk,
            ssk,
            pvt,
        })
    }

    fn psk(&self, i: usize, p: &RawPsk) -> Result<Psk, KeyringError> {
        let at = |f: &str| format!("psk[{i}].{f}");
        Ok(Psk {
            key: Secret::new(self.key(&at("key"), &p.key)?),
            csb_id: self.opt_u32(&at("csb_id"), &p.csb_id)?,
            name: p.name.clone(),
        })
    }

    fn expect(&self, i: usize, e: &RawExpect) -> Result<Expect, KeyringError> {
        let at = |f: &str| format!("expect[{i}].{f}");
        Ok(Expect {
            csb_id: self.u32(&at("csb_id"), &e.csb_id)?,
            msk_id: self.opt_u32(&at("msk_id"), &e.msk_id)?,
            mtk_id: self.opt_u32(&at("mtk_id"), &e.mtk_id)?,
            key: Secret::new(self.key(&at("key"), &e.key)?),
        })
    }

    /// Hex octets, with or without `0x`, spaces and colons allowed between octets.
    fn hex(&self, field: &str, value: &str) -> Result<Vec<u8>, KeyringError> {
        let v = value.trim();
        let v = v
            .strip_prefix("0x")
            .or_else(|| v.strip_prefix("0X"))
            .unwrap_or(v);
        let digits: String = v
            .chars()
            .filter(|c| !c.is_whitespace() && *c != ':')
            .collect();
        if let Some(bad) = digits.chars().find(|c| !c.is_ascii_hexdigit()) {
            return Err(self.error(
                field.to_string(),
                format!("expected hex octets, found the character {bad:?}"),
            ));
        }
        if digits.len() % 2 == 1 {
            return Err(self.error(
                field.to_string(),
                format!("odd number of hex digits ({})", digits.len()),
            ));
        }
        hex::decode(&digits).map_err(|e| self.error(field.to_string(), e.to_string()))
    }

    fn exact(&self, field: &str, value: &str, len: usize) -> Result<Vec<u8>, KeyringError> {
        let b = self.hex(field, value)?;
        if b.len() != len {
            return Err(self.error(
                field.to_string(),
                format!("expected {len} octets, found {}", b.len()),
            ));
        }
        Ok(b)
    }

    /// An uncompressed point: `04 || x || y`.
    fn point(
        &self,
        field: &str,
        value: &str,
        len: usize,
        what: &str,
    ) -> Result<Vec<u8>, KeyringError> {
        let b = self.exact(field, value, len)?;
        if b[0] != 0x04 {
            return Err(self.error(
                field.to_string(),
                format!(
                    "{what} is an uncompressed point starting with 04, not {:02x}",
                    b[0]
                ),
            ));
        }
        Ok(b)
    }

    /// A symmetric key: any non-empty length (MUK, MSK and SMK are 16 octets; SSVs 16 or 32).
    fn key(&self, field: &str, value: &str) -> Result<Vec<u8>, KeyringError> {
        let b = self.hex(field, value)?;
        if b.is_empty() {
            return Err(self.error(field.to_string(), "the key is empty"));
        }
        Ok(b)
    }

    fn number(&self, field: &str, value: &str) -> Result<u64, KeyringError> {
        let v = value.trim().replace('_', "");
        let parsed = match v.strip_prefix("0x").or_else(|| v.strip_prefix("0X")) {
            Some(h) => u64::from_str_radix(h, 16),
            None => v.parse::<u64>(),
        };
        parsed.map_err(|_| {
            self.error(
                field.to_string(),
                // The value is not quoted: a key written in the wrong field would be shown.
                format!(
                    "expected a non-negative integer (decimal or 0x hex), found {} characters that are not one",
                    value.chars().count()
                ),
            )
        })
    }

    fn u32(&self, field: &str, value: &str) -> Result<u32, KeyringError> {
        let n = self.number(field, value)?;
        u32::try_from(n).map_err(|_| {
            self.error(
                field.to_string(),
                "the number does not fit the 32 bits of a CSB ID or Key ID",
            )
        })
    }

    fn opt_u32(&self, field: &str, value: &Option<String>) -> Result<Option<u32>, KeyringError> {
        value.as_ref().map(|v| self.u32(field, v)).transpose()
    }

    fn unique<T>(
        &self,
        items: &[T],
        key: impl Fn(&T) -> &String,
        list: &str,
        field: &str,
    ) -> Result<(), KeyringError> {
        for (i, item) in items.iter().enumerate() {
            if let Some(j) = items[..i].iter().position(|o| key(o) == key(item)) {
                return Err(self.error(
                    format!("{list}[{i}].{field}"),
                    format!("the same {field} as {list}[{j}]"),
                ));
            }
        }
        Ok(())
    }
}

/// The 1-based line of a block-style YAML path such as `users[1].rsk` or `participating_psi`.
/// None when the text is not laid out in block style (the caller still names the field).
pub(crate) fn locate(text: &str, path: &str) -> Option<usize> {
    let lines: Vec<&str> = text.lines().collect();
    // The lines the current node spans, and the column its keys start at.
    let mut span = 0..lines.len();
    let mut column = 0;
    for part in path.split('.') {
        let (key, index) = match part.split_once('[') {
            Some((k, i)) => (k, Some(i.trim_end_matches(']').parse::<usize>().ok()?)),
            None => (part, None),
        };
        let at = span.clone().find(|&n| {
            let (col, rest) = key_start(lines[n]);
            col == column
                && rest
                    .strip_prefix(key)
                    .is_some_and(|r| r.trim_start().starts_with(':'))
        })?;
        span = at..block_end(&lines, at, column);
        if let Some(i) = index {
            // The items of a block sequence: the dashes at the shallowest indent of the block.
            let dashes: Vec<usize> = span
                .clone()
                .skip(1)
                .filter(|&n| lines[n].trim_start().starts_with('-'))
                .collect();
            let dash_indent = dashes.iter().map(|&n| indent(lines[n])).min()?;
            let item = *dashes
                .iter()
                .filter(|&&n| indent(lines[n]) == dash_indent)
                .nth(i)?;
            column = key_start(lines[item]).0;
            span = item..block_end(&lines, item, dash_indent + 1);
        } else {
            let child = span.clone().skip(1).find(|&n| {
                let t = lines[n].trim_start();
                !t.is_empty() && !t.starts_with('#')
            });
            column = child.map_or(0, |n| key_start(lines[n]).0);
        }
    }
    Some(span.start + 1)
}

fn indent(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

/// The column a line's key starts at (after a sequence dash), and the text from there.
fn key_start(line: &str) -> (usize, &str) {
    let mut col = indent(line);
    let mut rest = &line[col..];
    while let Some(r) = rest.strip_prefix('-') {
        let spaces = r.len() - r.trim_start_matches(' ').len();
        if spaces == 0 {
            break;
        }
        col += 1 + spaces;
        rest = &r[spaces..];
    }
    (col, rest)
}

/// The end of the block that starts at line `at`: the first later line, not blank nor a
/// comment, that starts left of `column` (or at it, unless it is a sequence item of a key
/// written at `column`, which YAML allows).
fn block_end(lines: &[&str], at: usize, column: usize) -> usize {
    let opened_by_key = key_start(lines[at]).0 == column;
    (at + 1..lines.len())
        .find(|&n| {
            let t = lines[n].trim_start();
            if t.is_empty() || t.starts_with('#') {
                return false;
            }
            let i = indent(lines[n]);
            i < column || (i == column && !(opened_by_key && t.starts_with('-')))
        })
        .unwrap_or(lines.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn point(first: &str, len: usize) -> String {
        format!("{first}{}", "ab".repeat(len - 1))
    }

    fn sample() -> String {
        format!(
            "kms:\n  - uri: sip:kms.example.org\n    kpak: {}\n    z: '{}'\n    user_key_period: 2592000\n\
             users:\n  - uri: sip:alice@example.org\n    kms: sip:kms.example.org\n    rsk: {}\n\
             \x20 - uri: sip:bob@example.org\n    kms: sip:kms.example.org\n    ssk: {}\n\
             psk:\n  - key: 00112233445566778899001122334455\n    csb_id: 0x0000beef\n    name: muk-ue-1\n\
             \x20 - key: \"0x00 11 22 33 44 55 66 77 88 99 aa bb cc dd ee ff\"\n\
             expect:\n  - csb_id: 48879\n    msk_id: 0x01\n    key: 0123456789abcdef0123456789abcdef\n\
             participating_psi: sip:mcvideo-psi@example.org\n",
            point("04", 65),
            point("04", 257),
            point("04", 257),
            "cd".repeat(32)
        )
    }

    #[test]
    fn reads_every_section() {
        let k = parse(&sample(), "k.yaml").unwrap();
        assert_eq!(k.kms[0].user_key_period, 2592000);
        assert_eq!(k.kms[0].user_key_offset, 0);
        assert_eq!(k.users.len(), 2);
        assert!(k.users[0].rsk.is_some() && k.users[1].rsk.is_none());
        assert_eq!(k.psk[0].csb_id, Some(0xbeef));
        // Unquoted all-digit hex keeps its leading zeros: it is read as text, not a number.
        assert_eq!(k.psk[0].key.expose()[0], 0x00);
        assert_eq!(k.psk[0].key.len(), 16);
        assert_eq!(k.psk[1].key.len(), 16);
        assert_eq!(
            k.psk[1].label(),
            format!("pre-shared key {}", k.psk[1].key.fingerprint())
        );
        assert_eq!(k.expect[0].csb_id, 0xbeef);
        assert_eq!(
            k.participating_psi.as_deref(),
            Some("sip:mcvideo-psi@example.org")
        );
        assert_eq!(k.psk_for(0xbeef).count(), 2);
        assert_eq!(k.psk_for(1).count(), 1);
        assert!(k.expect_for(0xbeef, Some(1), None).is_some());
        assert!(k.expect_for(0xbeef, Some(2), None).is_none());
    }

    #[test]
    fn expectation_naming_the_key_id_wins() {
        let text = "expect:\n  - csb_id: 7\n    key: aa\n  - csb_id: 7\n    mtk_id: 3\n    key: bb\n  - csb_id: 7\n    msk_id: 9\n    key: cc\n";
        let k = parse(text, "k").unwrap();
        let key = |msk, mtk| k.expect_for(7, msk, mtk).unwrap().key.expose().to_vec();
        assert_eq!(key(Some(9), Some(3)), [0xbb]); // an MTK message of MSK 9
        assert_eq!(key(Some(9), Some(4)), [0xaa]);
        assert_eq!(key(Some(9), None), [0xcc]); // the MSK message of MSK 9
        assert_eq!(key(None, None), [0xaa]);
    }

    fn error_of(text: &str) -> KeyringError {
        parse(text, "k.yaml").unwrap_err()
    }

    #[test]
    fn a_bad_value_is_named_with_its_line() {
        let text = sample().replace("rsk: 04", "rsk: 05");
        let e = error_of(&text);
        assert_eq!(e.field, "users[0].rsk");
        assert_eq!(e.line, Some(9));
        assert!(e.reason.contains("starting with 04"), "{e}");
        let e = error_of(&sample().replace("ssk: cd", "ssk: cdcd"));
        assert_eq!((e.field.as_str(), e.line), ("users[1].ssk", Some(12)));
        assert!(
            e.to_string().starts_with(
                "keyring k.yaml:12: field `users[1].ssk`: expected 32 octets, found 33"
            ),
            "{e}"
        );
        let e = error_of(&sample().replace("csb_id: 48879", "csb_id: 0x1ffffffff"));
        assert_eq!((e.field.as_str(), e.line), ("expect[0].csb_id", Some(19)));
        let e = error_of(&sample().replace("name: muk-ue-1", "name: muk-ue-1\n    csb: 1"));
        assert_eq!(e.line, Some(17), "{e}");
        assert!(!e.to_string().contains("at line"), "{e}");
        assert!(e.reason.contains("unknown field `csb`"), "{e}");
    }

    #[test]
    fn bad_hex_and_references_are_refused() {
        let e = error_of("psk:\n  - key: 0g\n");
        assert_eq!((e.field.as_str(), e.line), ("psk[0].key", Some(2)));
        let e = error_of("psk:\n  - key: abc\n");
        assert!(e.reason.contains("odd number"), "{e}");
        let text = sample().replace(
            "kms: sip:kms.example.org\n    ssk",
            "kms: sip:other\n    ssk",
        );
        let e = error_of(&text);
        assert_eq!((e.field.as_str(), e.line), ("users[1].kms", Some(11)));
        let text = sample().replace("sip:bob@example.org", "sip:alice@example.org");
        assert_eq!(error_of(&text).field, "users[1].uri");
    }

    #[test]
    fn secrets_print_only_fingerprints() {
        let k = parse(&sample(), "k.yaml").unwrap();
        let shown = format!("{k:?}");
        for s in k.secrets() {
            assert!(!shown.contains(&hex::encode(s)), "a secret is in {shown}");
        }
        assert!(shown.contains("<redacted: 16 octets, sha256:"));
    }

    #[test]
    fn locates_compact_sequences_too() {
        let text = "users:\n- uri: a\n  kms: b\n- uri: c\n  kms: d\n";
        assert_eq!(locate(text, "users[1].kms"), Some(5));
        assert_eq!(locate(text, "users[2].kms"), None);
        assert_eq!(locate("{users: []}", "users[0].kms"), None);
    }
}

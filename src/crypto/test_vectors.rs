//! Readers for the vector files copied into `vectors/crypto/` (from ../shared/vectors, with
//! their provenance headers), shared by the crypto unit tests.

pub const RFC6507: &str = include_str!("../../vectors/crypto/rfc6507.txt");
pub const RFC6508: &str = include_str!("../../vectors/crypto/rfc6508.txt");
pub const TS33180: &str = include_str!("../../vectors/crypto/ts33180_mikey_sakke.txt");

fn hex_only(s: &str) -> Option<String> {
    let compact: String = s.split_whitespace().collect();
    compact
        .chars()
        .all(|c| c.is_ascii_hexdigit())
        .then_some(compact)
}

/// The hex value labelled `label` (a line starting with it, in the RFC files' `name = hex`
/// layout): what follows the line's last `=`, plus the indented hex lines below it.
pub fn rfc_value(text: &str, label: &str) -> Vec<u8> {
    let mut lines = text.lines().skip_while(|l| !l.starts_with(label));
    let first = lines
        .next()
        .unwrap_or_else(|| panic!("no line starts with {label:?}"));
    let after = first.rsplit('=').next().unwrap_or("");
    let mut hex = String::new();
    if let Some(h) = after.split_whitespace().next().and_then(hex_only) {
        hex.push_str(&h);
    }
    for line in lines {
        match hex_only(line) {
            Some(h) if line.starts_with(' ') && !h.is_empty() => hex.push_str(&h),
            _ => break,
        }
    }
    if hex.len() % 2 == 1 {
        // Small values such as RFC 6507's KSAK = 12345 (hex) have an odd digit count.
        hex.insert(0, '0');
    }
    hex::decode(&hex).unwrap_or_else(|e| panic!("{label}: {e}"))
}

/// `Key : value` pairs of the TS 33.180 file, in order, with the section (User / Test line)
/// they belong to.
pub fn ts33180_entries() -> Vec<(String, String, String)> {
    let mut section = String::new();
    let mut out = Vec::new();
    for line in TS33180.lines() {
        if line.starts_with("User ") || line.starts_with("Test ") {
            section = line.trim_end_matches(':').to_string();
            continue;
        }
        if line.starts_with("  ") {
            if let Some((k, v)) = line.split_once(':') {
                out.push((section.clone(), k.trim().to_string(), v.trim().to_string()));
            }
        } else if let Some((k, v)) = line.split_once(':') {
            out.push((String::new(), k.trim().to_string(), v.trim().to_string()));
        }
    }
    out
}

/// The value of `key` in `section` ("" for the KMS lines).
pub fn ts33180(section: &str, key: &str) -> String {
    ts33180_entries()
        .into_iter()
        .find(|(s, k, _)| s == section && k == key)
        .map(|(_, _, v)| v)
        .unwrap_or_else(|| panic!("no {key:?} in {section:?}"))
}

/// A hex value of the TS 33.180 file (the text before any blank or parenthesis).
pub fn ts33180_hex(section: &str, key: &str) -> Vec<u8> {
    let v = ts33180(section, key);
    let first = v.split_whitespace().next().unwrap_or("");
    hex::decode(first).unwrap_or_else(|e| panic!("{section} {key}: {e}"))
}

/// The I_MESSAGE of a test, decoded from its `mikey BASE64` form.
pub fn ts33180_message(section: &str) -> Vec<u8> {
    use base64::Engine;
    let v = ts33180(section, "I-MESSAGE");
    let b64 = v.trim_start_matches("mikey ").trim();
    base64::engine::general_purpose::STANDARD
        .decode(b64)
        .expect("I-MESSAGE base64")
}

/// A message test of the TS 33.180 file and the KMS it was made under.
pub struct MessageVector {
    /// The `Test N: …` section.
    pub section: &'static str,
    /// The label of the key the SSV must equal (GMK, CSK, PCK).
    pub key: &'static str,
    /// The prefix of the KMS lines: "" for Set 1, "Set 2 " for Set 2.
    pub kms: &'static str,
    pub kms_uri: &'static str,
    pub user_key_period: u64,
    pub key_period_number: u64,
}

const SET1: (&str, &str, u64, u64) = ("", "kms.mydev.streamwide.com", 16_777_215, 236);
const SET2: (&str, &str, u64, u64) = ("Set 2 ", "sip:common_kms.test.org", 914_544_000, 4);

const fn message(
    section: &'static str,
    key: &'static str,
    set: (&'static str, &'static str, u64, u64),
) -> MessageVector {
    MessageVector {
        section,
        key,
        kms: set.0,
        kms_uri: set.1,
        user_key_period: set.2,
        key_period_number: set.3,
    }
}

/// The six messages: Set 1 (Streamwide v5) and Set 2 (ALEA v3).
pub const MESSAGE_TESTS: [MessageVector; 6] = [
    message("Test 1: GMK", "GMK", SET1),
    message("Test 2: CSK", "CSK", SET1),
    message("Test 3: PCK", "PCK", SET1),
    message("Test 4: GMK (legacy format for IWF)", "GMK", SET1),
    message("Test 5: GMK (ALEA v3)", "GMK", SET2),
    message("Test 6: CSK (ALEA v3)", "CSK", SET2),
];

impl MessageVector {
    pub fn kpak(&self) -> Vec<u8> {
        ts33180_hex("", &format!("{}KPAK (PubAuthKey)", self.kms))
    }

    pub fn z(&self) -> Vec<u8> {
        ts33180_hex("", &format!("{}Z (PubEncKey)", self.kms))
    }

    /// The `User …` section of the initiator or responder (`role` = "Initiator URI" / …).
    pub fn user(&self, role: &str) -> String {
        format!("User {}", ts33180(self.section, role))
    }
}

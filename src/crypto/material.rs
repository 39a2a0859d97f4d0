//! Owned key material (derived keys, decrypted keys and salts) that never prints its bytes.

use crate::mikey::field::{fingerprint, secret_summary};
use std::fmt;
use zeroize::Zeroizing;

/// Key octets. Debug and Display show the length and a labelled SHA-256 fingerprint (the
/// form `mikeyconf decode` prints for keys, [`secret_summary`]); the bytes are reachable only
/// through [`KeyMaterial::expose`], for comparisons and further derivation. Comparing two
/// values with `==` is constant-time in the contents; the octets are wiped when dropped (as
/// the keyring's `Secret`).
#[derive(Clone)]
pub struct KeyMaterial(Zeroizing<Vec<u8>>);

impl KeyMaterial {
    pub fn new(bytes: Vec<u8>) -> Self {
        KeyMaterial(Zeroizing::new(bytes))
    }
    /// The key octets. Never write them to a report.
    pub fn expose(&self) -> &[u8] {
        &self.0
    }
    pub fn len(&self) -> usize {
        self.0.len()
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    /// `sha256:` and the first 4 octets of the SHA-256 of the key, as hex (the form of the
    /// keyring's `Secret::fingerprint`; `decode` prints the same value).
    pub fn fingerprint(&self) -> String {
        format!("sha256:{}", fingerprint(&self.0))
    }
    /// Constant-time equality with other key octets (false when the lengths differ).
    pub fn ct_eq_bytes(&self, other: &[u8]) -> bool {
        use subtle::ConstantTimeEq;
        self.0.len() == other.len() && bool::from(self.0.as_slice().ct_eq(other))
    }
}

impl PartialEq for KeyMaterial {
    fn eq(&self, other: &Self) -> bool {
        self.ct_eq_bytes(&other.0)
    }
}

impl Eq for KeyMaterial {}

impl fmt::Debug for KeyMaterial {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&secret_summary(&self.0))
    }
}

impl fmt::Display for KeyMaterial {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&secret_summary(&self.0))
    }
}

impl serde::Serialize for KeyMaterial {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&secret_summary(&self.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_display_and_json_show_only_length_and_fingerprint() {
        let k = KeyMaterial::new(b"abc".to_vec());
        let want = "<redacted: 3 octets, sha256:ba7816bf>";
        assert_eq!(format!("{k:?}"), want);
        assert_eq!(format!("{k}"), want);
        assert_eq!(serde_json::to_string(&k).unwrap(), format!("\"{want}\""));
        assert_eq!(k.fingerprint(), "sha256:ba7816bf");
    }

    #[test]
    fn equality_compares_contents_and_length() {
        let k = KeyMaterial::new(vec![1, 2, 3]);
        assert!(k.ct_eq_bytes(&[1, 2, 3]));
        assert!(!k.ct_eq_bytes(&[1, 2, 4]));
        assert!(!k.ct_eq_bytes(&[1, 2]));
        assert_eq!(k, KeyMaterial::new(vec![1, 2, 3]));
        assert_ne!(k, KeyMaterial::new(vec![1, 2, 3, 0]));
    }
}

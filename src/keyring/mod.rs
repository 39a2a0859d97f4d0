//! The tester's keyring (`--keys FILE`): the KMS public keys, the secret keys of the users the
//! tester holds, pre-shared keys for PSK-mode MIKEY, and the keys the messages must carry.
//! Its shape is documented in `docs/keyring.md`.
//!
//! It is read once at start-up. A malformed keyring is an error naming the file, the line and
//! the field. Secret values are held in [`Secret`], which has no `Display`, no `Serialize`, a
//! `Debug` that prints only a fingerprint, and which wipes its bytes when dropped: nothing in a
//! report or a `decode` tree can show one by accident.

mod file;

use serde::Deserialize;
use std::fmt;
use std::path::Path;

/// Key material from the keyring: the crypto module's key type, whose Debug and Display
/// print only a fingerprint, whose octets only [`Secret::expose`] gives (to the crypto code),
/// and which is wiped when dropped.
pub type Secret = crate::crypto::KeyMaterial;

/// A MIKEY-SAKKE key management server, as the tester knows it.
#[derive(Debug, Clone)]
pub struct Kms {
    /// As in the IDR payload with role KMS (IDRkmsi / IDRkmsr).
    pub uri: String,
    /// ECCSI KMS Public Authentication Key: an uncompressed P-256 point, 65 octets.
    pub kpak: Vec<u8>,
    /// SAKKE KMS public key Z_T: an uncompressed point of RFC 6509 parameter set 1, 257 octets.
    pub z: Vec<u8>,
    /// User key period and offset in seconds, for the TS 33.180 F.2.1 UID.
    pub user_key_period: u64,
    pub user_key_offset: u64,
}

/// An MC service user or function whose keys the tester holds.
#[derive(Debug, Clone)]
pub struct User {
    pub uri: String,
    /// The URI of its KMS (one of [`Keyring::kms`]).
    pub kms: String,
    /// SAKKE Receiver Secret Key: decrypts what is sent to this user (257 octets).
    pub rsk: Option<Secret>,
    /// ECCSI Secret Signing Key (32 octets), for building vectors.
    pub ssk: Option<Secret>,
    /// ECCSI Public Validation Token (65 octets).
    pub pvt: Option<Vec<u8>>,
}

/// A pre-shared key of PSK-mode MIKEY: a MUK (protects MSK messages), an MSK (protects MTK
/// messages) or an SMK (OMA BCAST LTKMs).
#[derive(Debug, Clone)]
pub struct Psk {
    pub key: Secret,
    /// The CSB ID of the messages it protects; none: try it on every message.
    pub csb_id: Option<u32>,
    /// Shown in findings instead of the key.
    pub name: Option<String>,
}

impl Psk {
    /// How findings name this key: its name, else its fingerprint.
    pub fn label(&self) -> String {
        match &self.name {
            Some(n) => n.clone(),
            None => format!("pre-shared key {}", self.key.fingerprint()),
        }
    }

    /// Whether it may protect a message with this CSB ID.
    pub fn may_protect(&self, csb_id: u32) -> bool {
        self.csb_id.is_none_or(|c| c == csb_id)
    }
}

/// A key a message must carry.
#[derive(Debug, Clone)]
pub struct Expect {
    /// The header CSB ID the expectation applies to.
    pub csb_id: u32,
    /// MBMS MSK and MTK messages can share a CSB ID: the Key ID (RFC 4563) it applies to.
    pub msk_id: Option<u32>,
    pub mtk_id: Option<u32>,
    /// The key (SSV / TEK / MSK / MTK).
    pub key: Secret,
}

/// Everything the tester supplied.
#[derive(Debug, Clone, Default)]
pub struct Keyring {
    /// The file it was read from, as given.
    pub source: String,
    pub kms: Vec<Kms>,
    pub users: Vec<User>,
    pub psk: Vec<Psk>,
    pub expect: Vec<Expect>,
    /// The participating MCVideo function's public service identity (MCV-CSK-02/03).
    pub participating_psi: Option<String>,
}

impl Keyring {
    pub fn kms_by_uri(&self, uri: &str) -> Option<&Kms> {
        self.kms.iter().find(|k| k.uri == uri)
    }

    pub fn user_by_uri(&self, uri: &str) -> Option<&User> {
        self.users.iter().find(|u| u.uri == uri)
    }

    /// The pre-shared keys that may protect a message with this CSB ID, in file order.
    pub fn psk_for(&self, csb_id: u32) -> impl Iterator<Item = &Psk> {
        self.psk.iter().filter(move |p| p.may_protect(csb_id))
    }

    /// The expectation for a message with this CSB ID. MBMS MSK and MTK messages may share
    /// one: an MTK message (one that carries an MTK ID) takes the entry naming its MTK ID, an
    /// MSK message the entry naming its MSK ID and no MTK ID; failing that, an entry for the
    /// CSB ID that names no Key ID.
    pub fn expect_for(
        &self,
        csb_id: u32,
        msk_id: Option<u32>,
        mtk_id: Option<u32>,
    ) -> Option<&Expect> {
        let same_csb = || self.expect.iter().filter(|e| e.csb_id == csb_id);
        let named = match (mtk_id, msk_id) {
            (Some(t), _) => same_csb().find(|e| e.mtk_id == Some(t)),
            (None, Some(s)) => same_csb().find(|e| e.msk_id == Some(s) && e.mtk_id.is_none()),
            (None, None) => None,
        };
        named.or_else(|| same_csb().find(|e| e.msk_id.is_none() && e.mtk_id.is_none()))
    }

    /// Every secret octet string in it, for tests that prove no output shows one.
    pub fn secrets(&self) -> Vec<&[u8]> {
        let users = self.users.iter().flat_map(|u| {
            u.rsk
                .iter()
                .chain(u.ssk.iter())
                .map(|s| s.expose())
                .collect::<Vec<_>>()
        });
        users
            .chain(self.psk.iter().map(|p| p.key.expose()))
            .chain(self.expect.iter().map(|e| e.key.expose()))
            .collect()
    }
}

/// A keyring that could not be read, with where and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyringError {
    pub file: String,
    /// 1-based, when known.
    pub line: Option<usize>,
    pub column: Option<usize>,
    /// The field's path, e.g. `users[0].rsk`; empty when the file as a whole is wrong.
    pub field: String,
    pub reason: String,
}

impl fmt::Display for KeyringError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "keyring {}", self.file)?;
        if let Some(l) = self.line {
            write!(f, ":{l}")?;
            if let Some(c) = self.column {
                write!(f, ":{c}")?;
            }
        }
        if !self.field.is_empty() {
            write!(f, ": field `{}`", self.field)?;
        }
        write!(f, ": {}", self.reason)
    }
}

impl std::error::Error for KeyringError {}

/// Reads and checks a keyring file.
pub fn load(path: &Path) -> Result<Keyring, KeyringError> {
    let file = path.display().to_string();
    let text =
        crate::bounded::read_text_bare(path, crate::bounded::CONFIG_FILE).map_err(|reason| {
            KeyringError {
                file: file.clone(),
                line: None,
                column: None,
                field: String::new(),
                reason,
            }
        })?;
    parse(&text, &file)
}

/// Parses a keyring's text; `file` names it in errors.
pub fn parse(text: &str, file: &str) -> Result<Keyring, KeyringError> {
    file::parse(text, file)
}

/// The YAML shape, before its values are checked: every scalar as the text it was written
/// in, so that unquoted hex that happens to look like a number keeps its leading zeros.
#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawKeyring {
    #[serde(default)]
    pub kms: Vec<RawKms>,
    #[serde(default)]
    pub users: Vec<RawUser>,
    #[serde(default)]
    pub psk: Vec<RawPsk>,
    #[serde(default)]
    pub expect: Vec<RawExpect>,
    #[serde(default)]
    pub participating_psi: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawKms {
    pub uri: String,
    pub kpak: String,
    pub z: String,
    pub user_key_period: String,
    #[serde(default)]
    pub user_key_offset: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawUser {
    pub uri: String,
    pub kms: String,
    #[serde(default)]
    pub rsk: Option<String>,
    #[serde(default)]
    pub ssk: Option<String>,
    #[serde(default)]
    pub pvt: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawPsk {
    pub key: String,
    #[serde(default)]
    pub csb_id: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawExpect {
    pub csb_id: String,
    #[serde(default)]
    pub msk_id: Option<String>,
    #[serde(default)]
    pub mtk_id: Option<String>,
    pub key: String,
}

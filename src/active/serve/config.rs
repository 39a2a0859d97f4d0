//! The reference BSM's configuration (`mikeyconf serve --config bsm.yaml --keys keys.yaml`):
//! the services it offers, the MSKs it holds, the terminals it knows (B-TID and MRK for
//! Digest, the keyring entry of their MUK) and the LTKM delivery mechanisms it supports.
//! Keys other than the MRK (a Digest password, base64 text) come from the keyring.

use crate::keyring::Keyring;
use serde::Deserialize;

/// What the reference BSM serves.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BsmConfig {
    /// The Digest realm; default `3GPP-bootstrapping@` and the listening host (TS 33.246
    /// H.2.1).
    #[serde(default)]
    pub realm: Option<String>,
    /// The Digest algorithm it challenges with: `MD5` (RFC 2617, as TS 33.246 cites it, the
    /// default) or `SHA-256` (RFC 7616).
    #[serde(default)]
    pub digest_algorithm: crate::active::digest::Algorithm,
    /// The BSM's NAF FQDN, written in the IDi of its LTKMs.
    pub bsm_id: String,
    /// LTKM delivery mechanisms the BSM supports (OMA BCAST 5.1.6.10.1): 0 UDP, 1 SMS,
    /// 2 HTTP. UDP is mandatory (5.1.6.10) and always supported.
    #[serde(default = "udp_and_http")]
    pub delivery: Vec<u8>,
    pub services: Vec<Service>,
    #[serde(default)]
    pub msks: Vec<Msk>,
    /// Whether a deregistration is answered with LTKMs that invalidate the MSKs of each
    /// service deregistered (OMA BCAST 5.1.6.9: they "MAY be used to invalidate SEKs/PEKs,
    /// e.g. by carrying invalid Key Validity Data"; docs/interpretation.md says how): in the
    /// response's DeregistrationResponseResponseExtension when the registration agreed HTTP,
    /// else pushed over UDP (5.1.6.10).
    #[serde(default)]
    pub invalidate_on_deregistration: bool,
    pub terminals: Vec<Terminal>,
}

fn udp_and_http() -> Vec<u8> {
    vec![0, 2]
}

/// A user service the BSM registers terminals to.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Service {
    /// The serviceID of registration requests.
    pub id: String,
}

/// An MSK (the BCAST SEK/PEK) the BSM delivers in LTKMs, found by key domain and MSK ID.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Msk {
    /// The service it protects: the LTKMs of a registration to it carry this MSK.
    pub service: String,
    /// Key Domain ID, 3 octets hex.
    pub key_domain_id: String,
    /// MSK ID, 4 octets hex.
    pub msk_id: String,
    /// The name of the keyring `psk` entry holding the MSK value (the keyring is the one
    /// place keys live).
    pub key: String,
}

/// A terminal the BSM knows (TS 33.246 6.1: the B-TID is the Digest username and the
/// base64 MRK its password).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Terminal {
    pub btid: String,
    /// The MRK, base64, as the Digest password.
    pub mrk: String,
    /// The name of the keyring `psk` entry holding this terminal's MUK, which protects its
    /// LTKMs.
    pub muk: String,
}

/// A configuration whose keys resolved against the keyring: the MSK values and MUKs.
#[derive(Debug, Clone)]
pub struct Resolved {
    pub config: BsmConfig,
    /// Per MSK of `config.msks`, in order: (key domain ID, MSK ID, key).
    pub msks: Vec<MskKeys>,
    /// Per terminal of `config.terminals`, in order: (MUK, CSB ID of its LTKMs).
    pub muks: Vec<(Vec<u8>, u32)>,
}

/// An MSK's identifiers and value, decoded.
#[derive(Debug, Clone)]
pub struct MskKeys {
    pub service: String,
    pub key_domain_id: Vec<u8>,
    pub msk_id: Vec<u8>,
    pub key: Vec<u8>,
}

/// Reads `text` (named `file` in errors) and resolves its key names against `keys`.
pub fn resolve(text: &str, file: &str, keys: &Keyring) -> Result<Resolved, String> {
    let config: BsmConfig = serde_yaml::from_str(text).map_err(|e| format!("{file}: {e}"))?;
    let psk = |name: &str, what: &str| {
        keys.psk
            .iter()
            .find(|p| p.name.as_deref() == Some(name))
            .ok_or_else(|| format!("{file}: {what} '{name}' is no psk entry of the keyring"))
    };
    let hex_of = |v: &str, len: usize, what: &str| {
        let b = hex::decode(v.trim_start_matches("0x"))
            .map_err(|e| format!("{file}: {what} '{v}': {e}"))?;
        if b.len() != len {
            return Err(format!("{file}: {what} '{v}': expected {len} octets"));
        }
        Ok(b)
    };
    let mut msks = Vec::new();
    for m in &config.msks {
        if !config.services.iter().any(|s| s.id == m.service) {
            return Err(format!("{file}: MSK of unknown service '{}'", m.service));
        }
        msks.push(MskKeys {
            service: m.service.clone(),
            key_domain_id: hex_of(&m.key_domain_id, 3, "key_domain_id")?,
            msk_id: hex_of(&m.msk_id, 4, "msk_id")?,
            key: psk(&m.key, "MSK")?.key.expose().to_vec(),
        });
    }
    let mut muks = Vec::new();
    for t in &config.terminals {
        let p = psk(&t.muk, "MUK")?;
        muks.push((p.key.expose().to_vec(), p.csb_id.unwrap_or(0x1000)));
    }
    if let Some(bad) = config.delivery.iter().find(|d| **d > 2) {
        return Err(format!(
            "{file}: delivery mechanism {bad} is none of 0 (UDP), 1 (SMS), 2 (HTTP)"
        ));
    }
    Ok(Resolved { config, msks, muks })
}

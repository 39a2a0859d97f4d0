//! MIKEY messages written as readable descriptions, encoded into their octets: a `.msg.yaml`
//! (`mikey::MessageSpec`, as `decode --format spec` writes it) and a `.psk.yaml` (the same,
//! sealed under a known pre-shared key). Both author test vectors; the keys in them are
//! public test keys.

use serde::Deserialize;

/// A `.msg.yaml` description, encoded.
pub(super) fn plain(raw: &[u8]) -> Result<Vec<u8>, String> {
    let text = std::str::from_utf8(raw).map_err(|e| e.to_string())?;
    let spec: crate::mikey::MessageSpec = crate::yaml::from_str(text).map_err(|e| e.to_string())?;
    spec.to_bytes().map_err(|e| e.to_string())
}

/// A pre-shared-key message to build with a known key (`NAME.psk.yaml`): the readable
/// description of `.msg.yaml` whose KEMAC holds plain `key_data`, sealed (encrypted and
/// MACed, `crypto::seal`) under `seal.key`, then optionally tampered with.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SealedMessage {
    seal: Seal,
    message: crate::mikey::MessageSpec,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Seal {
    /// The pre-shared key (MUK, MSK or SMK), hex.
    key: String,
    /// Bits to flip after sealing, counted from the message's first octet (bit 0 is the most
    /// significant bit of octet 0): the tampered variants.
    #[serde(default)]
    flip_bits: Vec<usize>,
    /// The RAND (hex) that keys a message carrying no RAND payload (an MBMS MTK message).
    #[serde(default)]
    rand: Option<String>,
}

/// A `.psk.yaml` description, sealed and encoded.
pub(super) fn sealed(raw: &[u8]) -> Result<Vec<u8>, String> {
    let text = std::str::from_utf8(raw).map_err(|e| e.to_string())?;
    let s: SealedMessage = crate::yaml::from_str(text).map_err(|e| e.to_string())?;
    let key = hex::decode(s.seal.key.trim()).map_err(|e| format!("seal.key: {e}"))?;
    let rand = match &s.seal.rand {
        Some(r) => Some(hex::decode(r.trim()).map_err(|e| format!("seal.rand: {e}"))?),
        None => None,
    };
    let opts = crate::crypto::psk::PskOptions {
        rand: rand.as_deref(),
        ..Default::default()
    };
    let mut bytes = crate::crypto::seal::seal_psk_message(&s.message, &key, &opts)
        .map_err(|e| e.to_string())?;
    for bit in s.seal.flip_bits {
        let octet = bytes
            .get_mut(bit / 8)
            .ok_or_else(|| format!("flip_bits: bit {bit} lies past the message's end"))?;
        *octet ^= 0x80 >> (bit % 8);
    }
    Ok(bytes)
}

//! Cryptographic verification of MIKEY messages with keys the tester supplies.
//!
//! PSK mode (RFC 3830, RFC 6043): [`prf`] (the MIKEY PRF and the §4.1.3/§4.1.4 key
//! derivations), [`kemac`] (AES-CM and AES-KW KEMAC decryption), [`mac`] (HMAC verification,
//! constant-time), [`keydata`] (the decrypted Key Data sub-payloads with their offsets) and
//! [`psk`], which runs them in the right order on one message; [`seal`] builds protected
//! messages with known keys (test vectors). Key material is held in
//! [`material::KeyMaterial`], whose Debug and Display show a labelled SHA-256 fingerprint only.
//! Facts and their confidence: `../shared/reference/crypto.md` §1 (copied where needed into
//! `docs/interpretation.md`).

pub mod kemac;
pub mod keydata;
pub mod mac;
pub mod material;
pub mod prf;
pub mod psk;
pub mod seal;

pub use material::KeyMaterial;
pub use psk::{first_verifying_key, psk_message, PskError, PskOptions, PskOutcome};

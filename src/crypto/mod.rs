//! Cryptographic verification of MIKEY messages with keys the tester supplies (issue 9).
//! Facts and their confidence: `../shared/reference/crypto.md` (copied where needed into
//! `docs/interpretation.md`).
//!
//! PSK mode (RFC 3830, RFC 6043): [`prf`] (the MIKEY PRF and the §4.1.3/§4.1.4 key
//! derivations), [`kemac`] (AES-CM and AES-KW KEMAC decryption), [`mac`] (HMAC verification,
//! constant-time), [`keydata`] (the decrypted Key Data sub-payloads with their offsets) and
//! [`psk`], which runs them in the right order on one message; [`seal`] builds protected
//! messages with known keys (test vectors). Key material is held in
//! [`material::KeyMaterial`], whose Debug and Display show a labelled SHA-256 fingerprint only.
//!
//! MIKEY-SAKKE, one file per primitive: the TS 33.180 F.2.1 [`uid`], ECCSI signature
//! verification ([`eccsi`], RFC 6507), SAKKE decapsulation ([`sakke`], RFC 6508, on the
//! F_p² arithmetic of [`fp2`] and the pairing of [`sakke_pairing`]) and the TS 33.180 key
//! identifiers ([`key_id`]); [`sakke_message`] applies them to a decoded I_MESSAGE.
//! Functions take plain byte slices so rules can call them.

pub mod eccsi;
pub mod fp2;
pub mod kemac;
pub mod key_id;
pub mod keydata;
pub mod mac;
pub mod material;
pub mod prf;
pub mod psk;
pub mod sakke;
pub mod sakke_message;
pub mod sakke_pairing;
pub mod seal;
pub mod uid;

pub use material::KeyMaterial;
pub use psk::{first_verifying_key, psk_message, PskError, PskOptions, PskOutcome};

#[cfg(test)]
pub(crate) mod test_vectors;

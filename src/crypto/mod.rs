//! Cryptographic verification of MIKEY messages with keys the tester supplies (issue 9).
//!
//! MIKEY-SAKKE primitives, one file each: the TS 33.180 F.2.1 [`uid`], ECCSI signature
//! verification ([`eccsi`], RFC 6507), SAKKE decapsulation ([`sakke`], RFC 6508, on the
//! F_p² arithmetic of [`fp2`] and the pairing of [`sakke_pairing`]) and the TS 33.180 key
//! identifiers ([`key_id`]); [`sakke_message`] applies them to a decoded I_MESSAGE. Functions take plain byte slices so rules can call them.

pub mod eccsi;
pub mod fp2;
pub mod key_id;
pub mod sakke;
pub mod sakke_message;
pub mod sakke_pairing;
pub mod uid;

#[cfg(test)]
pub(crate) mod test_vectors;

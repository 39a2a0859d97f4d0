//! The MIKEY PRF (RFC 3830 §4.1.2; PRF-HMAC-SHA-256, RFC 6043 §6.1) and the key derivations
//! of RFC 3830 §4.1.3 (from a TGK) and §4.1.4 (from a pre-shared or envelope key).
//!
//! PRF(inkey, label) splits inkey into 256-bit pieces s_1..s_n (the last may be shorter),
//! computes the TLS-1.0 style P_hash `P(s, label, m) = HMAC(s, A_1||label) || … ||
//! HMAC(s, A_m||label)` with `A_0 = label`, `A_i = HMAC(s, A_{i-1})` for each piece, and XORs
//! the results; m = ceil(outkey_len / hash_len). Only the P function and the split/XOR are
//! written here; HMAC is the RustCrypto `hmac` crate. Checked against the cross-implementation
//! values of `vectors/crypto/mikey_prf_sha1_crosscheck.txt` (MIKEY-1) and the TS 33.180
//! SRTP key/salt vectors (PRF-HMAC-SHA-256), see the tests.

use super::material::KeyMaterial;
use crate::mikey::PrfFunc;
use hmac::{Hmac, KeyInit, Mac};

/// Size of the inkey pieces, RFC 3830 §4.1.2 (256 bits for both PRFs, RFC 6043 §6.1).
const INKEY_PIECE: usize = 32;

/// The HDR "PRF func" this module cannot compute (its hash is unknown).
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown PRF func {0}: only 0 (MIKEY-1, HMAC-SHA-1) and 1 (PRF-HMAC-SHA-256) are defined")]
pub struct UnknownPrf(pub u8);

/// The label constants of RFC 3830 §4.1.3 (Table 4.1.3) and §4.1.4 (Table 4.1.4): 9-digit
/// chunks of the decimal expansion of e.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KeyConstant(pub u32);

impl KeyConstant {
    /// TGK → TEK (the SRTP master key), §4.1.3.
    pub const TEK: KeyConstant = KeyConstant(0x2AD0_1C64);
    /// TGK → authentication key, §4.1.3.
    pub const TGK_AUTH: KeyConstant = KeyConstant(0x1B5C_7973);
    /// TGK → encryption key, §4.1.3.
    pub const TGK_ENCR: KeyConstant = KeyConstant(0x1579_8CEF);
    /// TGK → salting key (the SRTP master salt), §4.1.3.
    pub const TGK_SALT: KeyConstant = KeyConstant(0x39A2_C14B);
    /// Pre-shared or envelope key → KEMAC encryption key, §4.1.4.
    pub const PSK_ENCR: KeyConstant = KeyConstant(0x1505_33E1);
    /// Pre-shared or envelope key → MAC authentication key, §4.1.4.
    pub const PSK_AUTH: KeyConstant = KeyConstant(0x2D22_AC75);
    /// Pre-shared or envelope key → KEMAC salting key (AES-CM IV, AES-KW IV), §4.1.4.
    pub const PSK_SALT: KeyConstant = KeyConstant(0x29B8_8916);
}

/// The cs_id octet that §4.1.4 puts in the label for keys protecting the message itself.
pub const PSK_CS_ID: u8 = 0xFF;

/// `PRF(inkey, label)` truncated to `out_len` octets, with the hash the HDR PRF func names.
pub fn prf(
    func: PrfFunc,
    inkey: &[u8],
    label: &[u8],
    out_len: usize,
) -> Result<Vec<u8>, UnknownPrf> {
    match func {
        PrfFunc::MIKEY_1 => Ok(prf_with::<Hmac<sha1::Sha1>>(inkey, label, out_len)),
        PrfFunc::PRF_HMAC_SHA_256 => Ok(prf_with::<Hmac<sha2::Sha256>>(inkey, label, out_len)),
        other => Err(UnknownPrf(other.0)),
    }
}

fn prf_with<M: Mac + KeyInit + Clone>(inkey: &[u8], label: &[u8], out_len: usize) -> Vec<u8> {
    let mut out = vec![0u8; out_len];
    // An empty inkey is still one (empty) piece: HMAC accepts any key length.
    let pieces: Vec<&[u8]> = if inkey.is_empty() {
        vec![inkey]
    } else {
        inkey.chunks(INKEY_PIECE).collect()
    };
    for piece in pieces {
        let p = p_hash::<M>(piece, label, out_len);
        out.iter_mut().zip(p).for_each(|(o, b)| *o ^= b);
    }
    out
}

/// P(s, label, m) of RFC 3830 §4.1.2, produced until `out_len` octets are available.
fn p_hash<M: Mac + KeyInit + Clone>(s: &[u8], label: &[u8], out_len: usize) -> Vec<u8> {
    let keyed = <M as KeyInit>::new_from_slice(s).expect("HMAC takes keys of any length");
    let mut out = Vec::with_capacity(out_len + 32);
    let mut a = label.to_vec();
    while out.len() < out_len {
        let mut h = keyed.clone();
        h.update(&a);
        a = h.finalize().into_bytes().to_vec();
        let mut h = keyed.clone();
        h.update(&a);
        h.update(label);
        out.extend_from_slice(&h.finalize().into_bytes());
    }
    out.truncate(out_len);
    out
}

/// The §4.1.3 / §4.1.4 label: `constant || cs_id || csb_id || RAND` (cs_id 0xFF for §4.1.4).
pub fn label(constant: KeyConstant, cs_id: u8, csb_id: u32, rand: &[u8]) -> Vec<u8> {
    let mut l = Vec::with_capacity(9 + rand.len());
    l.extend_from_slice(&constant.0.to_be_bytes());
    l.push(cs_id);
    l.extend_from_slice(&csb_id.to_be_bytes());
    l.extend_from_slice(rand);
    l
}

/// A key derived from a TGK for crypto session `cs_id` (RFC 3830 §4.1.3), e.g. the SRTP
/// master key with [`KeyConstant::TEK`] and the master salt with [`KeyConstant::TGK_SALT`].
pub fn derive_tgk_key(
    func: PrfFunc,
    tgk: &[u8],
    constant: KeyConstant,
    cs_id: u8,
    csb_id: u32,
    rand: &[u8],
    out_len: usize,
) -> Result<KeyMaterial, UnknownPrf> {
    let l = label(constant, cs_id, csb_id, rand);
    prf(func, tgk, &l, out_len).map(KeyMaterial::new)
}

/// Octet lengths of the three keys that protect a message (RFC 3830 §4.2.3/§4.2.4; RFC 6043
/// §6.2 for the 256-bit variants). A zero length means the key is not used.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KeyLengths {
    pub encr: usize,
    pub auth: usize,
    pub salt: usize,
}

/// The three keys derived from a pre-shared (or envelope) key by RFC 3830 §4.1.4.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct PskKeys {
    /// KEMAC encryption key (constant 0x150533E1).
    pub encr: KeyMaterial,
    /// MAC authentication key (constant 0x2D22AC75).
    pub auth: KeyMaterial,
    /// KEMAC salting key (constant 0x29B88916).
    pub salt: KeyMaterial,
}

/// Derives encr/auth/salt keys from `psk` with the labels `const || 0xFF || csb_id || RAND`.
pub fn derive_psk_keys(
    func: PrfFunc,
    psk: &[u8],
    csb_id: u32,
    rand: &[u8],
    lengths: KeyLengths,
) -> Result<PskKeys, UnknownPrf> {
    let one = |c: KeyConstant, n: usize| -> Result<KeyMaterial, UnknownPrf> {
        let l = label(c, PSK_CS_ID, csb_id, rand);
        prf(func, psk, &l, n).map(KeyMaterial::new)
    };
    Ok(PskKeys {
        encr: one(KeyConstant::PSK_ENCR, lengths.encr)?,
        auth: one(KeyConstant::PSK_AUTH, lengths.auth)?,
        salt: one(KeyConstant::PSK_SALT, lengths.salt)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const CROSSCHECK: &str = include_str!("../../vectors/crypto/mikey_prf_sha1_crosscheck.txt");

    fn h(s: &str) -> Vec<u8> {
        hex::decode(s).unwrap()
    }

    /// Every row of the MIKEY-1 cross-check file: (inkey, CSB ID, RAND, label kind, constant,
    /// length, expected output).
    #[test]
    fn mikey_1_prf_matches_every_crosscheck_row() {
        let mut rows = 0;
        for line in CROSSCHECK
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        {
            let c: Vec<&str> = line.split('|').map(str::trim).collect();
            assert_eq!(c.len(), 8, "{line}");
            let (inkey, csb, rand) = (h(c[1]), u32::from_str_radix(c[2], 16).unwrap(), h(c[3]));
            let constant = KeyConstant(u32::from_str_radix(c[5], 16).unwrap());
            let n: usize = c[6].parse().unwrap();
            let cs_id = match c[4] {
                "TEK(cs_id=1)" => 1,
                "encr" | "auth" | "salt" => PSK_CS_ID,
                other => panic!("unknown label kind {other}"),
            };
            let got = prf(
                PrfFunc::MIKEY_1,
                &inkey,
                &label(constant, cs_id, csb, &rand),
                n,
            )
            .unwrap();
            assert_eq!(hex::encode(got), c[7], "{line}");
            rows += 1;
        }
        assert_eq!(rows, 12);
    }

    #[test]
    fn psk_key_derivation_uses_the_4_1_4_constants() {
        let lens = KeyLengths {
            encr: 16,
            auth: 20,
            salt: 14,
        };
        let k = derive_psk_keys(
            PrfFunc::MIKEY_1,
            &h("000102030405060708090a0b0c0d0e0f"),
            0x0102_0304,
            &h("101112131415161718191a1b1c1d1e1f"),
            lens,
        )
        .unwrap();
        assert!(k.encr.ct_eq_bytes(&h("d0fe800a31aa671a9fda5009c60a1114")));
        assert!(k
            .auth
            .ct_eq_bytes(&h("5128fbd4045393bd34d9ffca7e877700781330e8")));
        assert!(k.salt.ct_eq_bytes(&h("4eacad003f487312d9d8d8e6c513")));
    }

    /// TS 33.180 Set 4 (Streamwide test_guk.cc, "etherstack"): SRTP master key and salt from
    /// the GMK with PRF-HMAC-SHA-256, CS-ID 4, CSB ID = GUK-ID.
    #[test]
    fn prf_hmac_sha_256_matches_the_srtp_key_and_salt_vectors() {
        let gmk = h("fcfe65cd967c58d260b603ccb9a887a9");
        let rand = h("6819e679461120e10ac458cce67b8024");
        let cases = [
            (
                0x01c8_de7b,
                "64837d2b4d69a266e4489d3807353ad9",
                "8b2f081ce8e8bdab1f8d9eb8",
            ),
            (
                0x0abe_69d0,
                "de81b70c4ae0ff3f79364df586c2e0ce",
                "750ea7422b4d5a8ff475c6d5",
            ),
        ];
        for (guk_id, key, salt) in cases {
            let f = PrfFunc::PRF_HMAC_SHA_256;
            let k = derive_tgk_key(f, &gmk, KeyConstant::TEK, 4, guk_id, &rand, 16).unwrap();
            let s = derive_tgk_key(f, &gmk, KeyConstant::TGK_SALT, 4, guk_id, &rand, 12).unwrap();
            assert!(k.ct_eq_bytes(&h(key)), "{guk_id:08x}");
            assert!(s.ct_eq_bytes(&h(salt)), "{guk_id:08x}");
        }
    }

    /// mikey-wire-format.md §8.5 (Streamwide test_key_deriv.cc): TEK||salt and encr||salt
    /// from one inkey with PRF-HMAC-SHA-256.
    #[test]
    fn prf_hmac_sha_256_matches_the_key_derivation_vectors() {
        let inkey = h("a27b7d578eeb9b1ee7705e385996d300");
        let rand = h("4339f62f55aac86348846a482c893802");
        let f = PrfFunc::PRF_HMAC_SHA_256;
        let both = |first: KeyConstant, csb: u32| {
            let mut v = derive_tgk_key(f, &inkey, first, 4, csb, &rand, 16)
                .unwrap()
                .expose()
                .to_vec();
            let s = derive_tgk_key(f, &inkey, KeyConstant::TGK_SALT, 4, csb, &rand, 12).unwrap();
            v.extend_from_slice(s.expose());
            hex::encode(v)
        };
        assert_eq!(
            both(KeyConstant::TEK, 0x0633_F457),
            "59aaa49ebb54813602b7cc165961b4e8745eb4df7d155c473114a799"
        );
        assert_eq!(
            both(KeyConstant::TGK_ENCR, 0x05A8_5C16),
            "3924935940c154ccbc3c2ad05c8f51811725869b80f370cc9f24e13b"
        );
    }

    #[test]
    fn output_is_a_prefix_of_longer_output_and_pieces_are_xored() {
        let f = PrfFunc::MIKEY_1;
        let long = prf(f, b"k", b"label", 45).unwrap();
        assert_eq!(prf(f, b"k", b"label", 7).unwrap(), long[..7]);
        let a = [7u8; 32];
        let b = [9u8; 5];
        let joined: Vec<u8> = a.iter().chain(b.iter()).copied().collect();
        let x: Vec<u8> = prf(f, &a, b"l", 30)
            .unwrap()
            .iter()
            .zip(prf(f, &b, b"l", 30).unwrap())
            .map(|(p, q)| p ^ q)
            .collect();
        assert_eq!(prf(f, &joined, b"l", 30).unwrap(), x);
        assert_eq!(prf(PrfFunc(5), b"k", b"l", 4), Err(UnknownPrf(5)));
    }
}

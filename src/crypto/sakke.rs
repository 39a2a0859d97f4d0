//! SAKKE (RFC 6508) with parameter set 1 (RFC 6509 Appendix A): HashToIntegerRange (§5.1),
//! decapsulation with the re-derivation check (§6.2.2), RSK validation (§6.1.2), and the
//! sender's side (§6.2.1), which tests use to build and tamper messages.
//!
//! Big-integer arithmetic is hand-written on `num-bigint` (see `fp2.rs`); it only verifies
//! test data, so constant time is not required.

use super::fp2::{Curve, Field, Fp2, Point};
use super::sakke_pairing::pairing;
use num_bigint::BigUint;
use sha2::{Digest, Sha256};
use std::sync::OnceLock;

/// Octets of one coordinate of parameter set 1 (1024-bit p).
pub const COORD_LEN: usize = 128;
/// Octets of an uncompressed point `04 || x || y`.
pub const POINT_LEN: usize = 1 + 2 * COORD_LEN;
/// Octets of the SSV (n = 128 bits).
pub const SSV_LEN: usize = 16;
/// Octets of the encapsulated data `04 || Rx || Ry || H`.
pub const ENCAPSULATED_LEN: usize = POINT_LEN + SSV_LEN;

const P_HEX: &str = "997ABB1F0A563FDA65C61198DAD0657A416C0CE19CB48261BE9AE358B3E01A2EF40AAB27E2FC0F1B228730D531A59CB0E791B39FF7C88A19356D27F4A666A6D0E26C6487326B4CD4512AC5CD65681CE1B6AFF4A831852A82A7CF3C521C3C09AA9F94D6AF56971F1FFCE3E82389857DB080C5DF10AC7ACE87666D807AFEA85FEB";
const PX_HEX: &str = "53FC09EE332C29AD0A7990053ED9B52A2B1A2FD60AEC69C698B2F204B6FF7CBFB5EDB6C0F6CE2308AB10DB9030B09E1043D5F22CDB9DFA55718BD9E7406CE8909760AF765DD5BCCB337C86548B72F2E1A702C3397A60DE74A7C1514DBA66910DD5CFB4CC80728D87EE9163A5B63F73EC80EC46C4967E0979880DC8ABEAE63895";
const PY_HEX: &str = "0A8249063F6009F1F9F1F0533634A135D3E82016029906963D778D821E141178F5EA69F4654EC2B9E7F7F5E5F0DE55F66B598CCF9A140B2E416CFF0CA9E032B970DAE117AD547C6CCAD696B5B7652FE0AC6F1E80164AA989492D979FC5A4D5F213515AD7E9CB99A980BDAD5AD5BB4636ADB9B5706A67DCDE75573FD71BEF16D7";
const G_HEX: &str = "66FC2A432B6EA392148F15867D623068C6A87BD1FB94C41E27FABE658E015A87371E94744C96FEDA449AE9563F8BC446CBFDA85D5D00EF577072DA8F541721BEEE0FAED1828EAB90B99DFB0138C7843355DF0460B4A9FD74B4F1A32BCAFA1FFAD682C033A7942BCCE3720F20B9B7B0403C8CAE87B7A0042ACDE0FAB36461EA46";

/// RFC 6509 Appendix A parameter set 1.
#[derive(Debug)]
pub struct Params {
    pub curve: Curve,
    /// q = (p + 1) / 4, the order of P.
    pub q: BigUint,
    /// The generator P.
    pub p_point: Point,
    /// g = <P, P> as its PF_p value.
    pub g: BigUint,
}

fn hex_int(h: &str) -> BigUint {
    BigUint::parse_bytes(h.as_bytes(), 16).unwrap_or_default()
}

/// Parameter set 1, parsed once.
pub fn params() -> &'static Params {
    static PARAMS: OnceLock<Params> = OnceLock::new();
    PARAMS.get_or_init(|| {
        let p = hex_int(P_HEX);
        let q = (&p + 1u8) >> 2;
        Params {
            curve: Curve { f: Field { p } },
            q,
            p_point: Point {
                x: hex_int(PX_HEX),
                y: hex_int(PY_HEX),
            },
            g: hex_int(G_HEX),
        }
    })
}

/// How a SAKKE operation failed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SakkeError {
    #[error("the SAKKE encapsulated data is {0} octets, parameter set 1 needs {ENCAPSULATED_LEN} (04 || Rx || Ry || H)")]
    EncapsulatedLength(usize),
    #[error(
        "the point R in the encapsulated data is not an uncompressed point on the SAKKE curve"
    )]
    RNotOnCurve,
    #[error("the receiver secret key (RSK) is not an uncompressed point on the SAKKE curve")]
    RskNotOnCurve,
    #[error("the KMS public key Z is not an uncompressed point on the SAKKE curve")]
    ZNotOnCurve,
    #[error("the pairing is degenerate for these points")]
    DegeneratePairing,
    #[error("the re-derivation check [r]([b]P + Z) = R fails: the SAKKE payload was not made for this identifier and KMS, or was altered")]
    RederivationMismatch,
    #[error("the RSK does not satisfy <[b]P + Z, RSK> = g: it was not issued for this identifier by this KMS")]
    RskInvalid,
    #[error("the SSV is {0} octets, parameter set 1 needs {SSV_LEN}")]
    SsvLength(usize),
}

/// HashToIntegerRange(s, n) of RFC 6508 §5.1 with SHA-256.
pub fn hash_to_integer_range(s: &[u8], n: &BigUint) -> BigUint {
    let a = Sha256::digest(s);
    // l = ceil(lg(n) / 256); lg(n) for n = 2^128 is 128, for q it is 1022 bits.
    let lg = if n.count_ones() == 1 {
        n.bits() - 1
    } else {
        n.bits()
    };
    let l = lg.div_ceil(256).max(1);
    let mut h = [0u8; 32];
    let mut v = Vec::with_capacity(32 * l as usize);
    for _ in 0..l {
        let next = Sha256::digest(h);
        h.copy_from_slice(&next);
        let mut hi = Sha256::new();
        hi.update(h);
        hi.update(a);
        v.extend_from_slice(&hi.finalize());
    }
    BigUint::from_bytes_be(&v) % n
}

/// Reads `04 || x || y` of parameter set 1; None if malformed or not on the curve.
pub fn decode_point(bytes: &[u8]) -> Option<Point> {
    if bytes.len() != POINT_LEN || bytes[0] != 4 {
        return None;
    }
    let pt = Point {
        x: BigUint::from_bytes_be(&bytes[1..1 + COORD_LEN]),
        y: BigUint::from_bytes_be(&bytes[1 + COORD_LEN..]),
    };
    params().curve.contains(&pt).then_some(pt)
}

/// `04 || x || y`, each coordinate on 128 octets.
pub fn encode_point(pt: &Point) -> Vec<u8> {
    let mut out = vec![4u8];
    out.extend_from_slice(&fixed_octets(&pt.x, COORD_LEN));
    out.extend_from_slice(&fixed_octets(&pt.y, COORD_LEN));
    out
}

fn fixed_octets(v: &BigUint, len: usize) -> Vec<u8> {
    let raw = v.to_bytes_be();
    let mut out = vec![0u8; len.saturating_sub(raw.len())];
    out.extend_from_slice(&raw[raw.len().saturating_sub(len)..]);
    out
}

/// `[b]P + Z`, with b the identifier read as a big-endian integer.
fn receiver_point(id: &[u8], z: &Point) -> Option<Point> {
    let prm = params();
    let bp = prm.curve.mul(&BigUint::from_bytes_be(id), &prm.p_point);
    prm.curve.add(&bp, &Some(z.clone()))
}

/// `g^r` in PF_p: `(1 + g·i)^r` in F_p², then `b/a` (RFC 6508 §2.1; not `g^r mod p`).
pub fn pf_pow(g: &BigUint, r: &BigUint) -> Option<BigUint> {
    let f = &params().curve.f;
    Fp2 {
        a: BigUint::from(1u8),
        b: g.clone(),
    }
    .pow(r, f)
    .pf_ratio(f)
}

/// The mask `HashToIntegerRange(w, 2^n)` with w as 128 big-endian octets.
fn mask(w: &BigUint) -> Vec<u8> {
    let two_n = BigUint::from(1u8) << (8 * SSV_LEN);
    fixed_octets(
        &hash_to_integer_range(&fixed_octets(w, COORD_LEN), &two_n),
        SSV_LEN,
    )
}

fn xor(a: &[u8], b: &[u8]) -> Vec<u8> {
    a.iter().zip(b).map(|(x, y)| x ^ y).collect()
}

/// `r = HashToIntegerRange(SSV || b, q)`.
fn derive_r(ssv: &[u8], id: &[u8]) -> BigUint {
    let mut input = ssv.to_vec();
    input.extend_from_slice(id);
    hash_to_integer_range(&input, &params().q)
}

/// RFC 6508 §6.2.2: the SSV from the encapsulated data `04 || Rx || Ry || H`, for the
/// receiver with identifier `id` (b), its RSK and the KMS public key Z. Fails unless the
/// re-derivation check `[r]([b]P + Z) = R` holds.
pub fn decapsulate(
    encapsulated: &[u8],
    id: &[u8],
    rsk: &[u8],
    z: &[u8],
) -> Result<Vec<u8>, SakkeError> {
    if encapsulated.len() != ENCAPSULATED_LEN {
        return Err(SakkeError::EncapsulatedLength(encapsulated.len()));
    }
    let r_point = decode_point(&encapsulated[..POINT_LEN]).ok_or(SakkeError::RNotOnCurve)?;
    let rsk = decode_point(rsk).ok_or(SakkeError::RskNotOnCurve)?;
    let z = decode_point(z).ok_or(SakkeError::ZNotOnCurve)?;
    let prm = params();
    let w = pairing(&prm.curve, &prm.q, &r_point, &rsk).ok_or(SakkeError::DegeneratePairing)?;
    let ssv = xor(&encapsulated[POINT_LEN..], &mask(&w));
    let r = derive_r(&ssv, id);
    let expected = receiver_point(id, &z).and_then(|bz| prm.curve.mul(&r, &bz));
    if expected.as_ref() != Some(&r_point) {
        return Err(SakkeError::RederivationMismatch);
    }
    Ok(ssv)
}

/// RFC 6508 §6.1.2: `<[b]P + Z, RSK> = g`.
pub fn validate_rsk(id: &[u8], rsk: &[u8], z: &[u8]) -> Result<(), SakkeError> {
    let rsk = decode_point(rsk).ok_or(SakkeError::RskNotOnCurve)?;
    let z = decode_point(z).ok_or(SakkeError::ZNotOnCurve)?;
    let prm = params();
    let bz = receiver_point(id, &z).ok_or(SakkeError::RskInvalid)?;
    match pairing(&prm.curve, &prm.q, &bz, &rsk) {
        Some(v) if v == prm.g => Ok(()),
        Some(_) => Err(SakkeError::RskInvalid),
        None => Err(SakkeError::DegeneratePairing),
    }
}

/// RFC 6508 §6.2.1 (the sender): `04 || R || H` for `ssv` sent to identifier `id` under Z.
/// Used by tests to build messages; the verdicts never depend on it.
pub fn encapsulate(ssv: &[u8], id: &[u8], z: &[u8]) -> Result<Vec<u8>, SakkeError> {
    if ssv.len() != SSV_LEN {
        return Err(SakkeError::SsvLength(ssv.len()));
    }
    let z = decode_point(z).ok_or(SakkeError::ZNotOnCurve)?;
    let prm = params();
    let r = derive_r(ssv, id);
    let r_point = receiver_point(id, &z)
        .and_then(|bz| prm.curve.mul(&r, &bz))
        .ok_or(SakkeError::DegeneratePairing)?;
    let w = pf_pow(&prm.g, &r).ok_or(SakkeError::DegeneratePairing)?;
    let mut out = encode_point(&r_point);
    out.extend_from_slice(&xor(ssv, &mask(&w)));
    Ok(out)
}

#[cfg(test)]
#[path = "sakke_tests.rs"]
mod tests;

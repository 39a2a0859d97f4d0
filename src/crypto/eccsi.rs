//! ECCSI signature verification (RFC 6507 §5.2.2) on NIST P-256 with SHA-256, using the
//! `p256` crate's group arithmetic, and the KMS key-pair check of §5.1.2 for keys a tester
//! supplies. Points are `04 || x || y` (65 octets); a signature is `r || s || PVT` (129).

use p256::elliptic_curve::group::Group;
use p256::elliptic_curve::ops::Reduce;
use p256::elliptic_curve::point::AffineCoordinates;
use p256::elliptic_curve::sec1::{FromSec1Point, ToSec1Point};
use p256::elliptic_curve::PrimeField;
use p256::{AffinePoint, FieldBytes, ProjectivePoint, Scalar};
use sha2::{Digest, Sha256};

/// Octets of r, s, SSK and of a coordinate (N = 32).
pub const N: usize = 32;
/// Octets of an uncompressed point.
pub const POINT_LEN: usize = 1 + 2 * N;
/// Octets of `r || s || PVT`.
pub const SIGNATURE_LEN: usize = 2 * N + POINT_LEN;

/// How an ECCSI verification or key check failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum EccsiError {
    #[error("the ECCSI signature is {0} octets, RFC 6507 with P-256 needs {SIGNATURE_LEN} (r || s || PVT)")]
    SignatureLength(usize),
    #[error("r is not in 1..q-1")]
    ROutOfRange,
    #[error("s is not in 1..q-1")]
    SOutOfRange,
    // The point at infinity has no 65-octet uncompressed encoding, so an identity PVT is
    // rejected here too.
    #[error("the PVT in the signature is not an uncompressed point on P-256")]
    PvtNotOnCurve,
    #[error("the KPAK is not an uncompressed point on P-256")]
    KpakNotOnCurve,
    #[error("the SSK is not in 1..q-1")]
    SskOutOfRange,
    #[error("the signature does not verify: Jx differs from r (wrong KPAK, identifier or message, or an altered signature)")]
    Mismatch,
    #[error("[SSK]G differs from KPAK + [HS]PVT: the SSK and PVT were not issued together for this identifier by this KMS")]
    KeyPairMismatch,
}

/// Reads `04 || x || y`; None unless it is an uncompressed point on the curve.
pub fn decode_point(bytes: &[u8]) -> Option<ProjectivePoint> {
    if bytes.len() != POINT_LEN || bytes[0] != 4 {
        return None;
    }
    let pt = AffinePoint::from_sec1_bytes(bytes).ok()?;
    Some(ProjectivePoint::from(pt))
}

fn encode_point(pt: &ProjectivePoint) -> Vec<u8> {
    pt.to_affine().to_sec1_point(false).as_bytes().to_vec()
}

/// A scalar in 1..q-1 from 32 big-endian octets.
fn nonzero_scalar(bytes: &[u8]) -> Option<Scalar> {
    let fb = FieldBytes::try_from(bytes).ok()?;
    let s = Option::<Scalar>::from(Scalar::from_repr(fb))?;
    (s != Scalar::ZERO).then_some(s)
}

fn reduced(hash: &[u8; 32]) -> Scalar {
    <Scalar as Reduce<FieldBytes>>::reduce(&FieldBytes::from(*hash))
}

/// `HS = SHA-256(G || KPAK || ID || PVT)` (RFC 6507 §5.1.1).
pub fn hash_hs(kpak: &[u8], id: &[u8], pvt: &[u8]) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(encode_point(&ProjectivePoint::GENERATOR));
    h.update(kpak);
    h.update(id);
    h.update(pvt);
    h.finalize().into()
}

/// `HE = SHA-256(HS || r || M)` (RFC 6507 §5.2.1/§5.2.2).
pub fn hash_he(hs: &[u8; 32], r: &[u8], message: &[u8]) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(hs);
    h.update(r);
    h.update(message);
    h.finalize().into()
}

/// The verifier's `Y = [HS]PVT + KPAK` and `J = [s]([HE]G + [r]Y)`, as `04 || x || y`.
pub struct Trace {
    pub hs: [u8; 32],
    pub he: [u8; 32],
    pub y: Vec<u8>,
    pub j: Vec<u8>,
}

/// RFC 6507 §5.2.2: does `signature` (`r || s || PVT`) sign `message` for identifier `id`
/// under the KMS public authentication key `kpak`?
pub fn verify(kpak: &[u8], id: &[u8], message: &[u8], signature: &[u8]) -> Result<(), EccsiError> {
    verify_traced(kpak, id, message, signature).map(|_| ())
}

/// [`verify`], returning the intermediate values on success.
pub fn verify_traced(
    kpak: &[u8],
    id: &[u8],
    message: &[u8],
    signature: &[u8],
) -> Result<Trace, EccsiError> {
    if signature.len() != SIGNATURE_LEN {
        return Err(EccsiError::SignatureLength(signature.len()));
    }
    let (r_bytes, rest) = signature.split_at(N);
    let (s_bytes, pvt_bytes) = rest.split_at(N);
    let r = nonzero_scalar(r_bytes).ok_or(EccsiError::ROutOfRange)?;
    let s = nonzero_scalar(s_bytes).ok_or(EccsiError::SOutOfRange)?;
    let pvt = decode_point(pvt_bytes).ok_or(EccsiError::PvtNotOnCurve)?;
    let kpak_point = decode_point(kpak).ok_or(EccsiError::KpakNotOnCurve)?;
    let hs = hash_hs(kpak, id, pvt_bytes);
    let he = hash_he(&hs, r_bytes, message);
    let y = pvt * reduced(&hs) + kpak_point;
    let j = (ProjectivePoint::GENERATOR * reduced(&he) + y * r) * s;
    // Jx ≡ r (mod p) with Jx ≠ 0: r < q < p, so this is equality of the 32-octet values.
    if bool::from(j.is_identity()) || j.to_affine().x().as_slice() != r_bytes {
        return Err(EccsiError::Mismatch);
    }
    Ok(Trace {
        hs,
        he,
        y: encode_point(&y),
        j: encode_point(&j),
    })
}

/// RFC 6507 §5.1.2: `[SSK]G = KPAK + [HS]PVT` for a tester-supplied SSK and PVT.
pub fn check_key_pair(kpak: &[u8], id: &[u8], ssk: &[u8], pvt: &[u8]) -> Result<(), EccsiError> {
    let kpak_point = decode_point(kpak).ok_or(EccsiError::KpakNotOnCurve)?;
    let pvt_point = decode_point(pvt).ok_or(EccsiError::PvtNotOnCurve)?;
    let ssk = nonzero_scalar(ssk).ok_or(EccsiError::SskOutOfRange)?;
    let hs = hash_hs(kpak, id, pvt);
    if ProjectivePoint::GENERATOR * ssk == kpak_point + pvt_point * reduced(&hs) {
        Ok(())
    } else {
        Err(EccsiError::KeyPairMismatch)
    }
}

/// RFC 6507 §5.2.1 signing with a fixed ephemeral `j`, for tests that build messages
/// (never used for a verdict).
#[cfg(test)]
pub(crate) fn sign_for_tests(
    kpak: &[u8],
    id: &[u8],
    ssk: &[u8],
    pvt: &[u8],
    message: &[u8],
    j: u64,
) -> Vec<u8> {
    let j = Scalar::from(j);
    let ssk = nonzero_scalar(ssk).expect("SSK");
    let r = (ProjectivePoint::GENERATOR * j).to_affine().x();
    let hs = hash_hs(kpak, id, pvt);
    let he = hash_he(&hs, r.as_slice(), message);
    let r_scalar = <Scalar as Reduce<FieldBytes>>::reduce(&r);
    let inv = Option::<Scalar>::from((reduced(&he) + r_scalar * ssk).invert()).expect("invertible");
    [r.as_slice(), (inv * j).to_repr().as_slice(), pvt].concat()
}

#[cfg(test)]
#[path = "eccsi_tests.rs"]
mod tests;

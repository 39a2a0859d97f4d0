//! The reduced Tate–Lichtenbaum pairing `<R, Q>` of RFC 6508 §3.2, with the distortion map
//! folded into the line functions, valued in PF_p (represented as `b/a` for `a + b·i`).
//!
//! Hand-written on `num-bigint` (no crate offers this pairing); variable-time, which is fine
//! for a verifier of test data.

use super::fp2::{Curve, Fp2, Jacobian, Point};
use num_bigint::BigUint;

/// `<R, Q>` as the PF_p value `b/a`; None when a point is degenerate (the loop meets the
/// point at infinity or the result has a = 0), which no valid input of order q produces.
pub fn pairing(e: &Curve, q: &BigUint, r: &Point, qp: &Point) -> Option<BigUint> {
    let v = miller_loop(e, q, r, qp)?;
    final_exponentiation(e, &v).pf_ratio(&e.f)
}

/// The Miller loop over the bits of q − 1, second most significant bit first. C is kept in
/// Jacobian coordinates and each line value is scaled by a power of Z to clear the
/// denominators: F_p factors vanish in PF_p, so the result's `b/a` is unchanged.
fn miller_loop(e: &Curve, q: &BigUint, r: &Point, qp: &Point) -> Option<Fp2> {
    let f = &e.f;
    let n = q - 1u8;
    let mut v = Fp2::one();
    let mut c = Jacobian::from_affine(r);
    for bit in (0..n.bits().saturating_sub(1)).rev() {
        v = v.square(f).mul(&tangent_line(e, &c, qp), f);
        c = e.double_j(&c);
        if n.bit(bit) {
            v = v.mul(&chord_line(e, &c, r, qp), f);
            c = e.add_affine_j(&c, r);
        }
        if c.is_infinity() {
            return None;
        }
    }
    Some(v)
}

/// RFC 6508's tangent `t1 + i·t2`, `t1 = 3(Cx² − 1)(Qx + Cx) − 2Cy²`, `t2 = 2·Cy·Qy`, times
/// Z⁶ for C = (X/Z², Y/Z³): `t1 = 3(X² − Z⁴)(Qx·Z² + X) − 2Y²`, `t2 = 2·Y·Z³·Qy`.
fn tangent_line(e: &Curve, c: &Jacobian, qp: &Point) -> Fp2 {
    let f = &e.f;
    let z2 = f.mul(&c.z, &c.z);
    let x2mz4 = f.sub(&f.mul(&c.x, &c.x), &f.mul(&z2, &z2));
    let qxz2px = f.add(&f.mul(&qp.x, &z2), &c.x);
    let t1 = f.sub(
        &f.mul(&f.small(3), &f.mul(&x2mz4, &qxz2px)),
        &f.mul(&f.small(2), &f.mul(&c.y, &c.y)),
    );
    let z3 = f.mul(&z2, &c.z);
    let t2 = f.mul(&f.small(2), &f.mul(&f.mul(&c.y, &z3), &qp.y));
    Fp2 { a: t1, b: t2 }
}

/// RFC 6508's chord `(Qx + Rx)·Cy − (Qx + Cx)·Ry + i·(Cx − Rx)·Qy`, times Z³:
/// `(Qx + Rx)·Y − (Qx·Z² + X)·Z·Ry + i·(X − Rx·Z²)·Z·Qy`.
fn chord_line(e: &Curve, c: &Jacobian, r: &Point, qp: &Point) -> Fp2 {
    let f = &e.f;
    let z2 = f.mul(&c.z, &c.z);
    let a = f.sub(
        &f.mul(&f.add(&qp.x, &r.x), &c.y),
        &f.mul(&f.mul(&f.add(&f.mul(&qp.x, &z2), &c.x), &c.z), &r.y),
    );
    let b = f.mul(&f.mul(&f.sub(&c.x, &f.mul(&r.x, &z2)), &c.z), &qp.y);
    Fp2 { a, b }
}

/// The final exponentiation as RFC 6508 §3.2 computes it for PF_p: the p − 1 part of
/// (p² − 1)/q is dropped in the `b/a` representation and (p + 1)/q = 4, so it is two
/// squarings (crypto.md §3.2). This is what reproduces g = <P, P> of RFC 6509 parameter
/// set 1 and every RFC 6508 Appendix A value (a literal `V^(p−1)` = conj(V)/V first does
/// not: tested against g while writing this).
fn final_exponentiation(e: &Curve, v: &Fp2) -> Fp2 {
    v.square(&e.f).square(&e.f)
}

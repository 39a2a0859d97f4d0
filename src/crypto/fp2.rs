//! Arithmetic in F_p and F_p² = F_p\[i\] (i² = −1) for SAKKE (RFC 6508 §2.1, §3.2), and the
//! curve E: y² = x³ − 3x over F_p in affine coordinates.
//!
//! Written by hand on `num-bigint` because no maintained crate offers the 1024-bit
//! supersingular curve of RFC 6509 parameter set 1. It is variable-time: mikeyconf only
//! verifies test data a tester hands it, so constant time is not required here.

use num_bigint::BigUint;

/// A modulus with the few operations SAKKE needs.
#[derive(Clone, Debug)]
pub struct Field {
    pub p: BigUint,
}

impl Field {
    pub fn add(&self, a: &BigUint, b: &BigUint) -> BigUint {
        (a + b) % &self.p
    }

    pub fn sub(&self, a: &BigUint, b: &BigUint) -> BigUint {
        ((a + &self.p) - (b % &self.p)) % &self.p
    }

    pub fn mul(&self, a: &BigUint, b: &BigUint) -> BigUint {
        (a * b) % &self.p
    }

    /// The inverse of a non-zero element (None for zero).
    pub fn inv(&self, a: &BigUint) -> Option<BigUint> {
        (a % &self.p).modinv(&self.p)
    }

    pub fn small(&self, v: u32) -> BigUint {
        BigUint::from(v) % &self.p
    }
}

/// `a + b·i` in F_p².
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fp2 {
    pub a: BigUint,
    pub b: BigUint,
}

impl Fp2 {
    pub fn one() -> Fp2 {
        Fp2 {
            a: BigUint::from(1u8),
            b: BigUint::ZERO,
        }
    }

    pub fn mul(&self, o: &Fp2, f: &Field) -> Fp2 {
        // (a + bi)(c + di) = (ac − bd) + (ad + bc)i
        let ac = f.mul(&self.a, &o.a);
        let bd = f.mul(&self.b, &o.b);
        let ad = f.mul(&self.a, &o.b);
        let bc = f.mul(&self.b, &o.a);
        Fp2 {
            a: f.sub(&ac, &bd),
            b: f.add(&ad, &bc),
        }
    }

    pub fn square(&self, f: &Field) -> Fp2 {
        // (a + bi)² = (a + b)(a − b) + 2ab·i
        let s = f.add(&self.a, &self.b);
        let d = f.sub(&self.a, &self.b);
        let ab = f.mul(&self.a, &self.b);
        Fp2 {
            a: f.mul(&s, &d),
            b: f.add(&ab, &ab),
        }
    }

    /// `self^e` by square-and-multiply, most significant bit first.
    pub fn pow(&self, e: &BigUint, f: &Field) -> Fp2 {
        let mut acc = Fp2::one();
        for bit in (0..e.bits()).rev() {
            acc = acc.square(f);
            if e.bit(bit) {
                acc = acc.mul(self, f);
            }
        }
        acc
    }

    /// The PF_p representative `b/a` of RFC 6508 §2.1 (None when a = 0, which a pairing
    /// value of order q never is).
    pub fn pf_ratio(&self, f: &Field) -> Option<BigUint> {
        f.inv(&self.a).map(|ai| f.mul(&self.b, &ai))
    }
}

/// An affine point of E(F_p); `None` is the point at infinity.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Point {
    pub x: BigUint,
    pub y: BigUint,
}

/// E: y² = x³ − 3x over F_p.
#[derive(Clone, Debug)]
pub struct Curve {
    pub f: Field,
}

impl Curve {
    pub fn contains(&self, pt: &Point) -> bool {
        let f = &self.f;
        if pt.x >= f.p || pt.y >= f.p {
            return false;
        }
        let x3 = f.mul(&f.mul(&pt.x, &pt.x), &pt.x);
        let rhs = f.sub(&x3, &f.mul(&f.small(3), &pt.x));
        f.mul(&pt.y, &pt.y) == rhs
    }

    pub fn double(&self, pt: &Option<Point>) -> Option<Point> {
        let pt = pt.as_ref()?;
        let f = &self.f;
        // λ = (3x² − 3) / 2y; y = 0 gives the point at infinity.
        let den = f.inv(&f.add(&pt.y, &pt.y))?;
        let num = f.sub(&f.mul(&f.small(3), &f.mul(&pt.x, &pt.x)), &f.small(3));
        Some(self.point_from_slope(&f.mul(&num, &den), pt, pt))
    }

    pub fn add(&self, p1: &Option<Point>, p2: &Option<Point>) -> Option<Point> {
        let (a, b) = match (p1, p2) {
            (None, q) | (q, None) => return q.clone(),
            (Some(a), Some(b)) => (a, b),
        };
        let f = &self.f;
        if a.x == b.x {
            return if a.y == b.y { self.double(p1) } else { None };
        }
        let den = f.inv(&f.sub(&b.x, &a.x))?;
        let lambda = f.mul(&f.sub(&b.y, &a.y), &den);
        Some(self.point_from_slope(&lambda, a, b))
    }

    fn point_from_slope(&self, lambda: &BigUint, a: &Point, b: &Point) -> Point {
        let f = &self.f;
        let x = f.sub(&f.sub(&f.mul(lambda, lambda), &a.x), &b.x);
        let y = f.sub(&f.mul(lambda, &f.sub(&a.x, &x)), &a.y);
        Point { x, y }
    }

    /// `[k]pt` by double-and-add, most significant bit first, in Jacobian coordinates so
    /// that only the result needs an inversion (an inversion costs some 700 products here).
    pub fn mul(&self, k: &BigUint, pt: &Point) -> Option<Point> {
        let mut acc = Jacobian::infinity();
        for bit in (0..k.bits()).rev() {
            acc = self.double_j(&acc);
            if k.bit(bit) {
                acc = self.add_affine_j(&acc, pt);
            }
        }
        self.to_affine(&acc)
    }

    /// Jacobian doubling for a = −3 (dbl-2001-b).
    pub fn double_j(&self, c: &Jacobian) -> Jacobian {
        let f = &self.f;
        if c.is_infinity() || c.y == BigUint::ZERO {
            return Jacobian::infinity();
        }
        let delta = f.mul(&c.z, &c.z);
        let gamma = f.mul(&c.y, &c.y);
        let beta = f.mul(&c.x, &gamma);
        let alpha = f.mul(
            &f.small(3),
            &f.mul(&f.sub(&c.x, &delta), &f.add(&c.x, &delta)),
        );
        let x3 = f.sub(&f.mul(&alpha, &alpha), &f.mul(&f.small(8), &beta));
        let yz = f.add(&c.y, &c.z);
        let z3 = f.sub(&f.sub(&f.mul(&yz, &yz), &gamma), &delta);
        let y3 = f.sub(
            &f.mul(&alpha, &f.sub(&f.mul(&f.small(4), &beta), &x3)),
            &f.mul(&f.small(8), &f.mul(&gamma, &gamma)),
        );
        Jacobian {
            x: x3,
            y: y3,
            z: z3,
        }
    }

    /// Jacobian plus affine (mixed addition).
    pub fn add_affine_j(&self, c: &Jacobian, pt: &Point) -> Jacobian {
        let f = &self.f;
        if c.is_infinity() {
            return Jacobian::from_affine(pt);
        }
        let z1z1 = f.mul(&c.z, &c.z);
        let u2 = f.mul(&pt.x, &z1z1);
        let s2 = f.mul(&pt.y, &f.mul(&c.z, &z1z1));
        let h = f.sub(&u2, &c.x);
        let r = f.sub(&s2, &c.y);
        if h == BigUint::ZERO {
            return if r == BigUint::ZERO {
                self.double_j(c)
            } else {
                Jacobian::infinity()
            };
        }
        let hh = f.mul(&h, &h);
        let hhh = f.mul(&h, &hh);
        let v = f.mul(&c.x, &hh);
        let x3 = f.sub(&f.sub(&f.mul(&r, &r), &hhh), &f.add(&v, &v));
        let y3 = f.sub(&f.mul(&r, &f.sub(&v, &x3)), &f.mul(&c.y, &hhh));
        Jacobian {
            x: x3,
            y: y3,
            z: f.mul(&c.z, &h),
        }
    }

    /// `(X/Z², Y/Z³)`; None for the point at infinity.
    pub fn to_affine(&self, c: &Jacobian) -> Option<Point> {
        let f = &self.f;
        let zi = f.inv(&c.z)?;
        let zi2 = f.mul(&zi, &zi);
        Some(Point {
            x: f.mul(&c.x, &zi2),
            y: f.mul(&c.y, &f.mul(&zi2, &zi)),
        })
    }
}

/// A point in Jacobian coordinates `(X, Y, Z)` standing for `(X/Z², Y/Z³)`; Z = 0 is the
/// point at infinity.
#[derive(Clone, Debug)]
pub struct Jacobian {
    pub x: BigUint,
    pub y: BigUint,
    pub z: BigUint,
}

impl Jacobian {
    pub fn infinity() -> Jacobian {
        Jacobian {
            x: BigUint::from(1u8),
            y: BigUint::from(1u8),
            z: BigUint::ZERO,
        }
    }

    pub fn from_affine(pt: &Point) -> Jacobian {
        Jacobian {
            x: pt.x.clone(),
            y: pt.y.clone(),
            z: BigUint::from(1u8),
        }
    }

    pub fn is_infinity(&self) -> bool {
        self.z == BigUint::ZERO
    }
}

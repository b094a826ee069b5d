//! Gaussian(a, b): φ(x) = a·exp(b·x²) (neural-tangents `stax.Gaussian(a, b)`,
//! default b = −1):
//!
//! ```text
//! det = (1 − 2bq₁)(1 − 2bq₂) − 4b²K² = 1 − 2b(q₁ + q₂) + 4b²(q₁q₂ − K²)
//! F = a²/√det,   Ḟ = 4a²b²K/det^{3/2},   F_diag(q) = a²/√(1 − 4bq)
//! ```
//!
//! q₁q₂ − K² = r²sin²θ is taken from the pair's angle, so for b < 0 every
//! term of det is ≥ 0 and nothing cancels. For b > 0 the expectation exists
//! only while 4bq < 1 (and det > 0); beyond, the maps are NaN and
//! [`Network::kernels`](crate::Network::kernels) returns an error.

use super::angle::Angle;
use crate::Real;

/// (F, Ḟ) of a·exp(b·x²) for a pair.
#[inline]
pub fn dual<T: Real>(a: T, b: T, k: T, q1: T, q2: T) -> (T, T) {
    let g = Angle::new(k, q1, q2);
    let rs = g.r * g.sin;
    let four = T::from_f64(4.0);
    let det = T::ONE - T::TWO * b * (q1 + q2) + four * b * b * rs * rs;
    let root = checked_sqrt(det);
    let a2 = a * a;
    (a2 / root, four * a2 * b * b * k / (root * root * root))
}

/// F_diag(q) = a²/√(1 − 4bq).
#[inline]
pub fn diag<T: Real>(a: T, b: T, q: T) -> T {
    a * a / checked_sqrt(T::ONE - T::from_f64(4.0) * b * q)
}

/// √x for x > 0, NaN otherwise (the expectation diverges).
#[inline]
fn checked_sqrt<T: Real>(x: T) -> T {
    if x > T::ZERO {
        x.sqrt()
    } else {
        T::from_f64(f64::NAN)
    }
}

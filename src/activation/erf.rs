//! Erf(a, b, c): φ(x) = a·erf(b·x) + c, the arcsine kernel (Williams 1997).
//!
//! With K, q scaled by b² first (neural-tangents `stax.Erf`):
//!
//! ```text
//! s  = √((1 + 2q₁)(1 + 2q₂) − 4K²)
//! F  = a²·(2/π)·atan2(2K, s) + c²            (= a²(2/π) arcsin(2K/√((1+2q₁)(1+2q₂))) + c²)
//! Ḟ  = a²b²·(4/π)/s
//! F_diag(q) = a²·(2/π)·atan2(q, √(q + ¼)) + c²
//! ```
//!
//! s² is evaluated as 1 + 2(q₁ + q₂) + 4q₁q₂(1 − ρ)(1 + ρ) with ρ the pair's
//! cosine, scaled by max(1, q₁, q₂), so it neither cancels nor overflows.

use super::angle::Angle;
use crate::Real;

/// (F, Ḟ) of a·erf(b·x) + c for a pair.
#[inline]
pub fn dual<T: Real>(a: T, b: T, c: T, k: T, q1: T, q2: T) -> (T, T) {
    let b2 = b * b;
    let (k, q1, q2) = (b2 * k, b2 * q1, b2 * q2);
    of_angle((a, b, c), k, (q1, q2), Angle::new(k, q1, q2))
}

/// (F, Ḟ) from the covariance `k`, variances `q` and [`Angle`] `g` of the
/// pair scaled by b² (b·u, b·v); 1 − c² is taken as (1 − c)(1 + c) from `g`.
#[inline]
pub(crate) fn of_angle<T: Real>(
    (a, b, c): (T, T, T),
    k: T,
    (q1, q2): (T, T),
    g: Angle<T>,
) -> (T, T) {
    let b2 = b * b;
    let m = T::ONE.max(q1).max(q2);
    let (u, v, rm) = (q1 / m, q2 / m, g.r / m);
    let four = T::from_f64(4.0);
    let s2 = T::ONE / m / m + T::TWO * (u + v) / m + four * rm * rm * g.vers * g.cov;
    let s = m * s2.sqrt();
    let a2 = a * a;
    let f = a2 * T::TWO / T::PI * (T::TWO * k).atan2(s) + c * c;
    (f, a2 * b2 * four / T::PI / s)
}

/// F_diag(q) for a·erf(b·x) + c.
#[inline]
pub fn diag<T: Real>(a: T, b: T, c: T, q: T) -> T {
    let q = b * b * q;
    a * a * T::TWO / T::PI * q.atan2((q + T::HALF * T::HALF).sqrt()) + c * c
}

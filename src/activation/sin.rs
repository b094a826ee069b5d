//! Sin(a, b, c): φ(x) = a·sin(b·x + c); Cos(a, b, c) = Sin(a, b, c + π/2)
//! (neural-tangents `stax.Sin`, `stax.Cos`).
//!
//! ```text
//! S = q₁ + q₂,  s₁ = exp(b²(K − S/2)),  s₂ = exp(−b²(K + S/2))·cos 2c
//! F = a²/2·(s₁ − s₂),   Ḟ = a²b²/2·(s₁ + s₂),   F_diag(q) = a²/2·(1 − exp(−2b²q)·cos 2c)
//! ```
//!
//! Both exponents are ≤ 0 (|K| ≤ (q₁ + q₂)/2). They are evaluated as
//!
//! ```text
//! K − S/2 = −[(√q₁ − √q₂)²/2 + r(1 − c)],   K + S/2 = (√q₁ − √q₂)²/2 + r(1 + c)
//! ```
//!
//! (r = √(q₁q₂), c = K/r), sums of non-negative terms: the
//! direct K − S/2 cancels, and a rounding of a few ulps of q ≈ 1e14 made it
//! positive and exp overflow to ∞ in f32.
//!
//! With p = exp(−b²(K + S/2)) and the difference D = s₁ − p, as
//! −s₁·expm1(−2b²K) for K ≥ 0 and p·expm1(2b²K) for K < 0,
//!
//! ```text
//! F = a²/2·(D + 2sin²c·p),   Ḟ = a²b²/2·(D + 2cos²c·p)
//! ```
//!
//! The direct s₁ − s₂ cancels where b²q is small (small b, or the variances
//! a deep Sin net shrinks to): a depth-4 f32 kernel was 14% off at b = 0.2.
//! Here D carries K's relative accuracy and the other term is non-negative.

use super::angle::Angle;
use crate::Real;

/// (F, Ḟ) of a·sin(b·x + c) for a pair.
#[inline]
pub fn dual<T: Real>(a: T, b: T, c: T, k: T, q1: T, q2: T) -> (T, T) {
    of_angle((a, b, c), (q1, q2), Angle::new(k, q1, q2))
}

/// (F, Ḟ) from the variances `q` and [`Angle`] `g` of the pair: the
/// exponents use r(1 − c) and r(1 + c) from `g`.
#[inline]
pub(crate) fn of_angle<T: Real>((a, b, c): (T, T, T), (q1, q2): (T, T), g: Angle<T>) -> (T, T) {
    let b2 = b * b;
    let (minus, plus) = half_mean_squares_of((q1, q2), g);
    let s1 = (-b2 * minus).exp();
    let p = (-b2 * plus).exp();
    let d = difference(s1, p, T::TWO * b2 * (g.r * g.cos));
    let (sin2, cos2) = twice_squares(c);
    let a2h = a * a * T::HALF;
    (a2h * (d + sin2 * p), a2h * b2 * (d + cos2 * p))
}

/// D = s₁ − p = s₁·(1 − e^{−x}) = p·(eˣ − 1) for x = 2b²K (s₁ = p·eˣ), by
/// expm1 of the non-positive exponent: no cancellation, and no 0·∞ where
/// one of s₁, p underflows.
#[inline]
fn difference<T: Real>(s1: T, p: T, x: T) -> T {
    if x >= T::ZERO {
        -s1 * (-x).exp_m1()
    } else {
        p * x.exp_m1()
    }
}

/// (2sin²c, 2cos²c) = (1 − cos 2c, 1 + cos 2c), each accurate where it is small.
#[inline]
pub(crate) fn twice_squares<T: Real>(c: T) -> (T, T) {
    let (s, co) = (c.sin(), c.cos());
    (T::TWO * s * s, T::TWO * co * co)
}

/// (½E[(u − v)²], ½E[(u + v)²]) = (S/2 − K, S/2 + K) of a pair, as the
/// sums of non-negative terms in the module docs (no cancellation), from the
/// variances and the pair's [`Angle`] (r(1 ∓ c) from its gaps).
#[inline]
pub(crate) fn half_mean_squares_of<T: Real>((q1, q2): (T, T), g: Angle<T>) -> (T, T) {
    let gap = q1.sqrt() - q2.sqrt();
    let half_gap2 = gap * gap * T::HALF;
    (half_gap2 + g.r * g.vers, half_gap2 + g.r * g.cov)
}

/// F_diag(q) = a²/2·(1 − exp(−2b²q)·cos 2c) of a·sin(b·x + c), as
/// a²/2·(−expm1(−2b²q) + 2sin²c·exp(−2b²q)) (no cancellation at small b²q).
#[inline]
pub fn diag<T: Real>(a: T, b: T, c: T, q: T) -> T {
    let x = -T::TWO * b * b * q;
    a * a * T::HALF * (-x.exp_m1() + twice_squares(c).0 * x.exp())
}

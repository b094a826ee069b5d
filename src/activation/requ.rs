//! ReQU: φ(x) = max(0, x)², the arc-cosine kernel of order 2 (Cho & Saul 2009).
//!
//! ```text
//! F = q₁q₂ · (3 sin θ cos θ + (π − θ)(1 + 2cos²θ)) / (2π)
//! Ḟ = E[φ'φ'] = 4·relu_F = 4·√(q₁q₂)(sin θ + (π − θ) cos θ)/(2π)
//! F_diag(q) = 3q²/2
//! ```
//!
//! neural-tangents calls it `stax.RectifiedMonomial(2)`.

use super::angle::Angle;
use crate::Real;

/// (F, Ḟ) of max(0, x)² for a pair.
#[inline]
pub fn dual<T: Real>(k: T, q1: T, q2: T) -> (T, T) {
    let g = Angle::new(k, q1, q2);
    let two_pi = T::TWO * T::PI;
    let pt = T::PI - g.theta;
    let three = T::from_f64(3.0);
    let j2 = three * g.sin * g.cos + pt * (T::ONE + T::TWO * g.cos * g.cos);
    let j1 = g.sin + pt * g.cos;
    let four = T::from_f64(4.0);
    // r·(r·j₂), not r²·j₂: at θ = π, j₂ = 0 and r² may overflow (0·∞ = NaN).
    (g.r * (g.r * j2) / two_pi, four * g.r * j1 / two_pi)
}

/// F_diag(q) = 3q²/2.
#[inline]
pub fn diag<T: Real>(q: T) -> T {
    T::from_f64(1.5) * q * q
}

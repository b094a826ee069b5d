//! ABReLU(a, b): φ(x) = a·min(x, 0) + b·max(x, 0), the arc-cosine kernel of order 1.
//!
//! Covers ReLU = ABReLU(0, 1), leaky ReLU = ABReLU(α, 1) and Abs = ABReLU(−1, 1).
//! With θ the angle of the pair (see [`Angle`]) and f = (a − b)²/(2π):
//!
//! ```text
//! Ḟ = (a² + b²)/2 − f·θ                    = E[φ'(u)φ'(v)]
//! F = √(q₁q₂)·(f·sin θ + Ḟ·cos θ)          = E[φ(u)φ(v)]
//! F_diag(q) = (a² + b²)/2 · q
//! ```
//!
//! For ReLU this is Cho & Saul's arc-cosine kernel of order 1,
//! F = √(q₁q₂)(sin θ + (π − θ) cos θ)/(2π), Ḟ = (π − θ)/(2π)
//! (neural-tangents `stax.ABRelu`, `Relu`, `LeakyRelu`, `Abs`).

use super::angle::Angle;
use crate::Real;

/// (F, Ḟ) of ABReLU(a, b) for a pair with covariance `k`, variances `q1`, `q2`.
#[inline]
pub fn dual<T: Real>(a: T, b: T, k: T, q1: T, q2: T) -> (T, T) {
    let g = Angle::new(k, q1, q2);
    let f = (a - b) * (a - b) / (T::TWO * T::PI);
    let fdot = (a * a + b * b) * T::HALF - f * g.theta;
    (g.r * (f * g.sin + fdot * g.cos), fdot)
}

/// F_diag(q) = (a² + b²)/2 · q.
#[inline]
pub fn diag<T: Real>(a: T, b: T, q: T) -> T {
    (a * a + b * b) * T::HALF * q
}

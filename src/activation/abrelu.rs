//! ABReLU(a, b): φ(x) = a·min(x, 0) + b·max(x, 0), the arc-cosine kernel of order 1.
//!
//! Covers ReLU = ABReLU(0, 1), leaky ReLU = ABReLU(α, 1) and Abs = ABReLU(−1, 1).
//! With θ the angle of the pair (θ = arccos c) and f = (a − b)²/(2π):
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

use super::angle::{Angle, Gaps};
use crate::Real;

/// (F, Ḟ) of ABReLU(a, b) for a pair with covariance `k`, variances `q1`, `q2`.
#[inline]
pub fn dual<T: Real>(a: T, b: T, k: T, q1: T, q2: T) -> (T, T) {
    let (f, fdot, _) = of_angle(a, b, Angle::new(k, q1, q2));
    (f, fdot)
}

/// (F, Ḟ, gaps of the output) from the pair's [`Angle`]: with
/// A = (a² + b²)/2 and r′ = √(F_diag(q₁)F_diag(q₂)) = A·r the next layer's
/// gaps (r′ ∓ F)/r′, formed without cancellation:
///
/// ```text
/// L = sin θ − θ cos θ ≥ 0                  (θ(1 − cos θ) − (θ − sin θ) for θ ≤ π/2)
/// θ ≤ π/2:  A·(r′ − F)/r = A·(1 − cos θ) − f·L
/// θ > π/2:  A·(r′ − F)/r = (a + b)²/2 + f·(φ − sin φ) − (1 + cos θ)·(ab + f·φ),  φ = π − θ
///           A·(r′ + F)/r = A·(1 + cos θ) + f·L
/// ```
#[inline]
pub(crate) fn of_angle<T: Real>(a: T, b: T, g: Angle<T>) -> (T, T, Gaps<T>) {
    let f = (a - b) * (a - b) / (T::TWO * T::PI);
    let half_sq = (a * a + b * b) * T::HALF;
    let fdot = half_sq - f * g.theta;
    let acute = g.theta <= T::PI * T::HALF;
    let lag = if acute {
        g.theta * g.vers - theta_minus_sin(g.theta, g.sin)
    } else {
        g.sin - g.theta * g.cos
    };
    let d = if acute {
        half_sq * g.vers - f * lag
    } else {
        let phi = g.supp;
        (a + b) * (a + b) * T::HALF + f * theta_minus_sin(phi, g.sin) - g.cov * (a * b + f * phi)
    };
    let gaps = if g.r > T::ZERO && half_sq > T::ZERO {
        Gaps {
            vers: d.max(T::ZERO) / half_sq,
            cov: (half_sq * g.cov + f * lag).max(T::ZERO) / half_sq,
        }
    } else {
        Gaps::ORTHOGONAL
    };
    (g.r * (f * g.sin + fdot * g.cos), fdot, gaps)
}

/// θ − sin θ, by its Taylor series below 0.1 where the difference cancels;
/// above, from the pair's own `sin` (no libm call: the subtraction's absolute
/// error, a few ulps of θ, is the same with libm's sin, and a soft-float sin
/// per layer quadrupled a kernel entry's cost on Cortex-M4F).
#[inline]
pub(crate) fn theta_minus_sin<T: Real>(theta: T, sin: T) -> T {
    if theta < T::from_f64(0.1) {
        // θ³/3! − θ⁵/5! + θ⁷/7! − θ⁹/9!: the next term is < 1e-15 relative.
        let t2 = theta * theta;
        let c = |n: f64| T::from_f64(1.0 / n);
        theta * t2 * (c(6.0) - t2 * (c(120.0) - t2 * (c(5040.0) - t2 * c(362_880.0))))
    } else {
        theta - sin
    }
}

/// F_diag(q) = (a² + b²)/2 · q.
#[inline]
pub fn diag<T: Real>(a: T, b: T, q: T) -> T {
    (a * a + b * b) * T::HALF * q
}

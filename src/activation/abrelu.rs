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
    let (f, fdot, _) = of_angle(a, b, Angle::new(k, q1, q2));
    (f, fdot)
}

/// (F, Ḟ, D′) from the pair's [`Angle`], where D′ = √(F_diag(q₁)F_diag(q₂)) − F
/// is the next layer's gap, formed without cancellation:
///
/// ```text
/// D′ = r·(A·(1 − cos θ) − f·(sin θ − θ cos θ)),   A = (a² + b²)/2,
/// sin θ − θ cos θ = θ(1 − cos θ) − (θ − sin θ)
/// ```
#[inline]
pub fn of_angle<T: Real>(a: T, b: T, g: Angle<T>) -> (T, T, T) {
    let f = (a - b) * (a - b) / (T::TWO * T::PI);
    let half_sq = (a * a + b * b) * T::HALF;
    let fdot = half_sq - f * g.theta;
    let lag = g.theta * g.vers - theta_minus_sin(g.theta, g.sin);
    let gap = g.r * (half_sq * g.vers - f * lag).max(T::ZERO);
    (g.r * (f * g.sin + fdot * g.cos), fdot, gap)
}

/// θ − sin θ, by its Taylor series below 0.1 where the difference cancels;
/// above, from the pair's own `sin` (no libm call: the subtraction's absolute
/// error, a few ulps of θ, is the same with libm's sin, and a soft-float sin
/// per layer quadrupled a kernel entry's cost on Cortex-M4F).
#[inline]
fn theta_minus_sin<T: Real>(theta: T, sin: T) -> T {
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

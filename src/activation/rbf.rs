//! Rbf(γ): φ(x) = √2·sin(√(2γ)·x + π/4), whose dual is the Gaussian (RBF)
//! kernel of the pre-activations (neural-tangents `stax.Rbf(gamma)`):
//!
//! ```text
//! F = exp(γ(2K − q₁ − q₂)) = exp(−γ·E[(u − v)²]),   Ḟ = 2γ·F,   F_diag(q) = 1
//! ```
//!
//! On the inputs (first layer, σ_w = 1, no bias) F = exp(−γ|x − z|²/d): the
//! RBF kernel of length scale l = 1/√(2γ). The exponent is formed without
//! cancellation (the sums of non-negative terms of the [`sin`](super::sin) module), so
//! F ≤ 1 always and F = 1 exactly for identical inputs.

use super::angle::{Angle, Gaps};
use crate::Real;

/// (F, Ḟ) of Rbf(γ) for a pair.
#[inline]
pub fn dual<T: Real>(gamma: T, k: T, q1: T, q2: T) -> (T, T) {
    let (f, fdot, _) = of_angle(gamma, (q1, q2), Angle::new(k, q1, q2));
    (f, fdot)
}

/// (F, Ḟ) and the output's [`Gaps`] from the variances and the pair's
/// [`Angle`]. F_diag = 1, so r′ = 1 and the output's cosine is F itself:
/// 1 − F = −expm1(−2γ·½E[(u − v)²]) keeps a near-parallel pair's angle
/// (1 − exp(…) would cancel to 0 when the exponent is below ε).
#[inline]
pub(crate) fn of_angle<T: Real>(gamma: T, q: (T, T), g: Angle<T>) -> (T, T, Gaps<T>) {
    let (minus, _) = super::sin::half_mean_squares_of(q, g);
    let x = -T::TWO * gamma * minus;
    let f = x.exp();
    let gaps = Gaps {
        vers: -x.exp_m1(),
        cov: T::ONE + f,
    };
    (f, T::TWO * gamma * f, gaps)
}

/// φ(x) = √2·sin(√(2γ)x + π/4).
#[inline]
pub fn apply<T: Real>(gamma: T, x: T) -> T {
    T::TWO.sqrt() * ((T::TWO * gamma).sqrt() * x + T::PI / T::from_f64(4.0)).sin()
}

/// φ′(x) = √2·√(2γ)·cos(√(2γ)x + π/4).
#[inline]
pub fn derivative<T: Real>(gamma: T, x: T) -> T {
    let w = (T::TWO * gamma).sqrt();
    T::TWO.sqrt() * w * (w * x + T::PI / T::from_f64(4.0)).cos()
}

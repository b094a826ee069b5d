//! Gabor: φ(x) = exp(−x²)·sin x (neural-tangents `stax.Gabor`). With
//! S = q₁ + q₂, P = q₁q₂, Δ = 4(P − K²), D = 1 + 2S + Δ:
//!
//! ```text
//! e∓ = (S + Δ ∓ 2K)/(2D)
//! F = (exp(−e₋) − exp(−e₊))/(2√D) = exp(−e₋)·(−expm1(−2K/D))/(2√D)
//! Ḟ = [exp(−e₊)(A − B) + exp(−e₋)(A + B)]/(2D^{5/2}),
//!     A = 1 + 2S + 4(K² + P),   B = 4K(Δ + 3S + 2)
//! F_diag(q) = −expm1(−2q/(1 + 4q))/(2√(1 + 4q))
//! ```
//!
//! (neural-tangents' formulas; F and Ḟ are checked against 2-d quadrature
//! of E[φ(u)φ(v)] and E[φ′(u)φ′(v)] by the fixture generator). S ∓ 2K and
//! P − K² come from the sums of non-negative terms of the [`sin`](super::sin) module and
//! the pair's angle, without cancellation; the form with expm1 keeps F's
//! relative accuracy at K ≈ 0. P and D² reach q⁴, so like GELU the maps are
//! evaluated in f64 and rounded once.

use super::angle::Angle;
use crate::Real;

/// (F, Ḟ) of exp(−x²)·sin x for a pair.
#[inline]
pub fn dual<T: Real>(k: T, q1: T, q2: T) -> (T, T) {
    let (k, q1, q2) = (k.to_f64(), q1.to_f64(), q2.to_f64());
    let (f, fdot) = of_angle((q1, q2), Angle::new(k, q1, q2));
    (T::from_f64(f), T::from_f64(fdot))
}

/// (F, Ḟ) in f64 from the variances and the pair's [`Angle`]: K = r·c, and
/// S ∓ 2K and P − K² from its gaps (the recursion passes the angle it
/// carried, not one rebuilt from the rounded K).
#[inline]
pub(crate) fn of_angle((q1, q2): (f64, f64), g: Angle<f64>) -> (f64, f64) {
    let k = g.r * g.cos;
    let (minus, plus) = super::sin::half_mean_squares_of((q1, q2), g);
    let rs = g.r * g.sin;
    let (s, p, delta) = (q1 + q2, q1 * q2, 4.0 * rs * rs);
    let d = 1.0 + 2.0 * s + delta;
    let (e_minus, e_plus) = (
        (2.0 * minus + delta) / (2.0 * d),
        (2.0 * plus + delta) / (2.0 * d),
    );
    let root = libm::sqrt(d);
    let f = libm::exp(-e_minus) * -libm::expm1(-2.0 * k / d) / (2.0 * root);
    let a = 1.0 + 2.0 * s + 4.0 * (k * k + p);
    let b = 4.0 * k * (delta + 3.0 * s + 2.0);
    let fdot =
        (libm::exp(-e_plus) * (a - b) + libm::exp(-e_minus) * (a + b)) / (2.0 * d * d * root);
    (f, fdot)
}

/// F_diag(q) of Gabor.
#[inline]
pub fn diag<T: Real>(q: T) -> T {
    let q = q.to_f64();
    let d = 1.0 + 4.0 * q;
    T::from_f64(-libm::expm1(-2.0 * q / d) / (2.0 * libm::sqrt(d)))
}

/// (φ(x), φ′(x)) = (e^{−x²} sin x, e^{−x²}(cos x − 2x sin x)).
#[inline]
pub fn apply<T: Real>(x: T) -> (T, T) {
    let g = (-x * x).exp();
    let (s, c) = (x.sin(), x.cos());
    (g * s, g * (c - T::TWO * x * s))
}

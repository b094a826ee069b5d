//! GELU: φ(x) = x·Φ(x) = x(1 + erf(x/√2))/2 (neural-tangents `stax.Gelu`).
//!
//! ```text
//! P₁ = (1 + q₁)(1 + q₂),  Δ = √(P₁ − K²),  φ = atan2(K, Δ),  P = q₁q₂
//! F  = K/4 + [K·φ + (K² + P·Δ²)/(P₁·Δ)]/(2π)
//! Ḟ  = 1/4 + φ/(2π) + K/(2πΔ)·(1/Δ² + (1 − P)/P₁ + 1),   (1 − P)/P₁ + 1 = (2 + q₁ + q₂)/P₁
//! F_diag(q) = q·(1/4 + [q/((1 + q)√(1 + 2q)) + atan2(q, √(1 + 2q))/2]/π)
//! ```
//!
//! The terms P·Δ² reach q⁴, which overflows `f32` for q ≳ 1e9; the map is
//! therefore always evaluated in `f64` and rounded once.

use super::angle::{Angle, Gaps};
use crate::Real;
use core::f64::consts::PI;

/// (F, Ḟ) of GELU for a pair.
#[inline]
pub fn dual<T: Real>(k: T, q1: T, q2: T) -> (T, T) {
    let (k, q1, q2) = (k.to_f64(), q1.to_f64(), q2.to_f64());
    let (f, fdot) = of_angle(k, (q1, q2), Angle::new(k, q1, q2));
    (T::from_f64(f), T::from_f64(fdot))
}

/// (F, Ḟ) in `f64` from the covariance, variances and [`Angle`] of the pair;
/// Δ² takes 1 − ρ² as (1 − c)(1 + c) from `g`.
#[inline]
pub(crate) fn of_angle(k: f64, (q1, q2): (f64, f64), g: Angle<f64>) -> (f64, f64) {
    // Δ² = P₁ − K² = 1 + q₁ + q₂ + q₁q₂(1 − ρ²), without cancellation.
    let d2 = 1.0 + (q1 + q2) + g.r * g.r * g.vers * g.cov;
    let d = libm::sqrt(d2);
    let p = q1 * q2;
    let p1 = (1.0 + q1) * (1.0 + q2);
    let phi = libm::atan2(k, d);
    let f = k / 4.0 + (k * phi + (k * k + p * d2) / (p1 * d)) / (2.0 * PI);
    // (1 − P)/P₁ + 1 = (2 + q₁ + q₂)/P₁: without the cancellation at large q.
    let fdot = 0.25 + phi / (2.0 * PI) + k / (2.0 * PI * d) * (1.0 / d2 + (2.0 + q1 + q2) / p1);
    (f, fdot)
}

/// The gaps of the output F (from [`of_angle`]) in `f64`: 1 ∓ F/r′ with
/// r′ = √(F_diag(q₁)F_diag(q₂)). They cancel near ±parallel pairs, to
/// `f64`'s rounding: exact enough for `f32` networks, √ε of the next angle
/// for `f64` ones.
#[inline]
pub(crate) fn gaps(f: f64, (q1, q2): (f64, f64)) -> Gaps<f64> {
    Gaps::of_output(f, libm::sqrt(diag64(q1) * diag64(q2)))
}

/// F_diag(q) of GELU.
#[inline]
pub fn diag<T: Real>(q: T) -> T {
    T::from_f64(diag64(q.to_f64()))
}

/// F_diag(q) of GELU in `f64`.
fn diag64(q: f64) -> f64 {
    let r = libm::sqrt(1.0 + 2.0 * q);
    q * (0.25 + (q / ((1.0 + q) * r) + libm::atan2(q, r) / 2.0) / PI)
}

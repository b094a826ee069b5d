//! The lane map of Gabor, φ(x) = exp(−x²)·sin x.
//!
//! Per point σ = √q and q; per pair r = σₓσ_z, h = (σₓ − σ_z)²/2, so that
//! (q₁ + q₂)/2 ∓ K = h + (r ∓ K) and q₁q₂ − K² = (r − K)(r + K) need no
//! cancelling subtraction. With S = q₁ + q₂, P = q₁q₂, Δ = 4(r − K)(r + K),
//! D = 1 + 2S + Δ, the maps of [`activation::gabor`](crate::activation::gabor):
//!
//! ```text
//! e∓ = (2(h + r ∓ K) + Δ)/(2D),   F = exp(−e₋)·(−expm1(−2K/D))/(2√D)
//! Ḟ = [exp(−e₊)(A − B) + exp(−e₋)(A + B)]/(2D^{5/2}),
//!     A = 1 + 2S + 4(K² + P),   B = 4K(Δ + 3S + 2)
//! ```
//!
//! with |2K/D| ≤ ½ (S ≥ 2r), where [`expm1_small`] holds. Like the scalar
//! maps they run in f64 (P and D^{5/2} reach q⁵) and are rounded once. The
//! rounding of r ∓ K, ε·r, is a relative error 2εr of D: pairs with r above
//! 16 take the exact path, which carries the gap, as do pairs with
//! |K| > (1 − τ)·r (τ = 1/64 in f64, 1/16 in f32), whose gap the f32 K
//! between layers would hold to ε absolute only.

use super::monomial::sin2;
use super::sin::spread;
use super::{near_unit_of, LaneMap};
use crate::gram::exp::{exp_neg, expm1_small};
use crate::gram::float::{rsqrt, sqrt, LaneReal};

/// Gabor has no parameters.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Gabor;

impl<T: LaneReal> LaneMap<T> for Gabor {
    #[inline(always)]
    fn point(&self, q: T) -> [T; 2] {
        [sqrt(q), q]
    }

    #[inline(always)]
    fn apply(&self, k: T, x: [T; 2], z: [T; 2]) -> (T, T, bool) {
        let flag = (x[0] * z[0] > T::from_f64(16.0)) | near_unit_of(k, x[0] * z[0]);
        let wide = |v: T| v.to_f64();
        let (k, sx, sz, qx, qz) = (wide(k), wide(x[0]), wide(z[0]), wide(x[1]), wide(z[1]));
        let (h, r) = spread(sx, sz);
        let (minus, plus) = (r - k, r + k);
        let delta = 4.0 * sin2(r, k);
        let (s, p) = (qx + qz, qx * qz);
        let d = 1.0 + 2.0 * s + delta;
        // One division and a Newton 1/√D: the lanes' costliest steps.
        let inv_d = 1.0 / d;
        let half_rroot = 0.5 * rsqrt(d);
        let low = exp_neg(-(h + minus + 0.5 * delta) * inv_d);
        let high = exp_neg(-(h + plus + 0.5 * delta) * inv_d);
        let f = low * -expm1_small(-2.0 * k * inv_d) * half_rroot;
        let a = 1.0 + 2.0 * s + 4.0 * (k * k + p);
        let b = 4.0 * k * (delta + 3.0 * s + 2.0);
        let fdot = (high * (a - b) + low * (a + b)) * (inv_d * inv_d) * half_rroot;
        (T::from_f64(f), T::from_f64(fdot), flag)
    }
}

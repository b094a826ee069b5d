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
//! with |2K/D| ≤ ½ (S ≥ 2r), where [`expm1_small`] holds. Unlike the scalar
//! maps (f64, rounded once) they run in `T`: P and D² reach q⁴, so points
//! with q beyond MAX^¼/8 (2²⁹ in f32) take the exact path. At unit
//! variance A + |B| ≈ D^{5/2}·Ḟ(1), so A ∓ B cancel to a few ε of the scale
//! √(Ḟ(q₁)Ḟ(q₂)) only. The rounding of r ∓ K, ε·r, is a relative error 2εr
//! of D: pairs with r above 16 take the exact path, which carries the gap, as do pairs with
//! |K| > (1 − τ)·r (τ = 1/64 in f64, 1/16 in f32), whose gap the f32 K
//! between layers would hold to ε absolute only.

use super::monomial::{power_range, sin2, within};
use super::sin::spread;
use super::{near_unit_of, LaneMap};
use crate::gram::exp::{exp_neg, expm1_small};
use crate::gram::float::{rsqrt, sqrt, LaneReal};

/// Gabor has no parameters; the variances its lanes accept.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Gabor<T> {
    range: (T, T),
}

impl<T: LaneReal> Gabor<T> {
    pub(crate) fn new() -> Self {
        Gabor {
            range: power_range(4),
        }
    }
}

impl<T: LaneReal> LaneMap<T> for Gabor<T> {
    #[inline(always)]
    fn point(&self, q: T) -> [T; 2] {
        [sqrt(q), q]
    }

    #[inline(always)]
    fn accepts(&self, q: T) -> bool {
        within(q, self.range)
    }

    #[inline(always)]
    fn apply(&self, k: T, x: [T; 2], z: [T; 2]) -> (T, T, bool) {
        let (two, four) = (T::TWO, T::TWO + T::TWO);
        let (h, r) = spread(x[0], z[0]);
        let flag = (r > T::from_f64(16.0)) | near_unit_of(k, r);
        let delta = four * sin2(r, k);
        let (s, p) = (x[1] + z[1], x[1] * z[1]);
        let d = T::ONE + two * s + delta;
        // One division and a Newton 1/√D: the lanes' costliest steps.
        let inv_d = T::ONE / d;
        let half_rroot = T::HALF * rsqrt(d);
        let half_delta = T::HALF * delta;
        let low = exp_neg(-(h + (r - k) + half_delta) * inv_d);
        // e₊ − e₋ = 2K/D: exp(−e₊) = exp(−e₋)·(1 + expm1(−2K/D)), one exp fewer.
        let m1 = expm1_small(-two * k * inv_d);
        let high = low + low * m1;
        let f = low * -m1 * half_rroot;
        let a = T::ONE + two * s + four * (k * k + p);
        let b = four * k * (delta + (two + T::ONE) * s + two);
        let fdot = (high * (a - b) + low * (a + b)) * (inv_d * inv_d) * half_rroot;
        (f, fdot, flag)
    }
}

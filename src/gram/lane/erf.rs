//! The lane map of Erf(a, b, c), φ(x) = a·erf(b·x) + c: the arcsine kernel.
//!
//! With u = 1/√(1 + 2b²q) per point and ρ = 2b²K·uₓu_z ∈ (−1, 1):
//!
//! ```text
//! F = a²·(2/π)·asin ρ + c²,    Ḟ = a²b²·(4/π)·uₓu_z/√((1 − ρ)(1 + ρ))
//! ```
//!
//! — [`activation::erf`](crate::activation::erf) with the square root of
//! (1 + 2b²q₁)(1 + 2b²q₂) split per point. Pairs with |ρ| > 1 − τ (τ = 1/64 in f64, 1/16 in f32) take the
//! exact path (Ḟ's 1/√(1 − ρ²) would magnify the rounding of ρ).

use super::{clamp_unit, near_unit, LaneMap};
use crate::gram::acos::asin;
use crate::gram::float::{sqrt, LaneReal};

/// The constants of one Erf(a, b, c).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Erf<T> {
    two_b2: T,
    amp: T,
    c2: T,
    slope: T,
}

impl<T: LaneReal> Erf<T> {
    pub(crate) fn new(a: T, b: T, c: T) -> Self {
        let (a2, b2) = (a * a, b * b);
        let four = T::TWO + T::TWO;
        Erf {
            two_b2: T::TWO * b2,
            amp: a2 * T::TWO / T::PI,
            c2: c * c,
            slope: a2 * b2 * four / T::PI,
        }
    }
}

impl<T: LaneReal> LaneMap<T> for Erf<T> {
    #[inline(always)]
    fn point(&self, q: T) -> [T; 2] {
        [T::ONE / sqrt(self.two_b2.fma(q, T::ONE)), T::ZERO]
    }

    #[inline(always)]
    fn apply(&self, k: T, x: [T; 2], z: [T; 2]) -> (T, T, bool) {
        let g = x[0] * z[0];
        let rho = clamp_unit((self.two_b2 * k) * g);
        let w = sqrt((T::ONE - rho) * (T::ONE + rho));
        let f = self.amp.fma(asin(rho), self.c2);
        (f, self.slope * g / w, near_unit(rho))
    }
}

//! The lane map of Gaussian(a, b), φ(x) = a·exp(b·x²).
//!
//! Per point σ = √q and h = D/2 = ½ − 2bq (D = 1 − 4bq > 0, the domain of
//! the expectation when b > 0); per pair r = σₓσ_z and
//!
//! ```text
//! det = hₓ + h_z + 4b²(r − K)(r + K),   F = a²/√det,   Ḟ = 4a²b²K/det^{3/2}
//! ```
//!
//! (det = 1 − 2b(q₁ + q₂) + 4b²(q₁q₂ − K²), [`activation::gaussian`](crate::activation::gaussian)):
//! every term is ≥ 0, for either sign of b, so nothing cancels but r ∓ K,
//! whose rounding ε·r is a relative error of at most ε·|b|r in det: pairs
//! with |b|r above 16 (f64) or 2 (f32) take the exact path, which carries
//! that gap, and so do points outside the domain (h ≤ 0: the exact path
//! returns its error). For b > 0 inside the domain 2b·r < ½, and D itself
//! is as exact as q is (its rounding near 4bq = 1 is the input's).

use super::monomial::sin2;
use super::sin::sin_limit;
use super::LaneMap;
use crate::gram::float::{rsqrt, sqrt, LaneReal};

/// The constants of one Gaussian(a, b).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Gaussian<T> {
    a2: T,
    two_b: T,
    four_b2: T,
    abs_b: T,
    /// The largest |b|r the lanes evaluate.
    limit: T,
}

impl<T: LaneReal> Gaussian<T> {
    /// The map of Gaussian(a, b).
    pub(crate) fn new(a: T, b: T) -> Self {
        let four = T::TWO + T::TWO;
        Gaussian {
            a2: a * a,
            two_b: T::TWO * b,
            four_b2: four * b * b,
            abs_b: b.abs(),
            limit: sin_limit::<T>(),
        }
    }
}

impl<T: LaneReal> LaneMap<T> for Gaussian<T> {
    #[inline(always)]
    fn point(&self, q: T) -> [T; 2] {
        [sqrt(q), T::HALF - self.two_b * q]
    }

    #[inline(always)]
    fn apply(&self, k: T, x: [T; 2], z: [T; 2]) -> (T, T, bool) {
        let r = x[0] * z[0];
        let det = (x[1] + z[1]) + self.four_b2 * sin2(r, k);
        let root = rsqrt(det);
        let f = self.a2 * root;
        let fdot = self.four_b2 * f * k * (root * root);
        let outside = !(x[1] > T::ZERO && z[1] > T::ZERO);
        (f, fdot, outside | (self.abs_b * r > self.limit))
    }
}

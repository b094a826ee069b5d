//! The lane map of Gaussian(a, b), φ(x) = a·exp(b·x²), for b ≤ 0 (b > 0 runs
//! the exact recursion: its determinant cancels and may vanish).
//!
//! Per point σ = √q and p = −2b·q; per pair r = σₓσ_z and
//!
//! ```text
//! det = 1 + pₓ + p_z + 4b²(r − K)(r + K),   F = a²/√det,   Ḟ = 4a²b²K/det^{3/2}
//! ```
//!
//! ([`activation::gaussian`](crate::activation::gaussian)): every term of
//! det is ≥ 0, so nothing cancels but r ∓ K, whose rounding ε·r is a relative
//! error of at most ε·|b|r in det: pairs with |b|r above 16 (f64) or 2 (f32)
//! take the exact path, which carries that gap.

use super::monomial::sin2;
use super::sin::sin_limit;
use super::LaneMap;
use crate::gram::float::{rsqrt, sqrt, LaneReal};

/// The constants of one Gaussian(a, b ≤ 0).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Gaussian<T> {
    a2: T,
    minus_2b: T,
    four_b2: T,
    abs_b: T,
    /// The largest |b|r the lanes evaluate.
    limit: T,
}

impl<T: LaneReal> Gaussian<T> {
    /// The map of Gaussian(a, b), `None` for b > 0.
    pub(crate) fn new(a: T, b: T) -> Option<Self> {
        let four = T::TWO + T::TWO;
        (b <= T::ZERO).then(|| Gaussian {
            a2: a * a,
            minus_2b: -T::TWO * b,
            four_b2: four * b * b,
            abs_b: -b,
            limit: sin_limit::<T>(),
        })
    }
}

impl<T: LaneReal> LaneMap<T> for Gaussian<T> {
    #[inline(always)]
    fn point(&self, q: T) -> [T; 2] {
        [sqrt(q), self.minus_2b * q]
    }

    #[inline(always)]
    fn apply(&self, k: T, x: [T; 2], z: [T; 2]) -> (T, T, bool) {
        let r = x[0] * z[0];
        let det = (T::ONE + (x[1] + z[1])) + self.four_b2 * sin2(r, k);
        let root = rsqrt(det);
        let f = self.a2 * root;
        let fdot = self.four_b2 * f * k * (root * root);
        (f, fdot, self.abs_b * r > self.limit)
    }
}

//! The lane map of Rbf(γ), φ(x) = √2·sin(√(2γ)·x + π/4): Sin's map
//! ([`super::sin`]) with its p term absent (cos 2c = 0 exactly; its
//! rounded cos(π/2) would add a relative 4e-8 in f32):
//!
//! ```text
//! F = s₁ = exp(−2γ(h + (r − K))),   Ḟ = 2γ·s₁
//! ```
//!
//! Without p the limit on b²r = 2γr is 8× Sin's: off the flagged
//! near-parallel pairs (r − K ≥ τr) the exponent's rounding ε·2b²r meets
//! F ≤ exp(−τb²r), an error of at most 2ε/(eτ) against F(q) = 1 whatever b²r.

use super::sin::{s1_of, sin_limit};
use super::{near_unit_of, LaneMap};
use crate::gram::float::{sqrt, LaneReal};

/// The constant of one Rbf(γ): b² = 2γ.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Rbf<T> {
    b2: T,
}

impl<T: LaneReal> Rbf<T> {
    pub(crate) fn new(gamma: T) -> Self {
        Rbf { b2: T::TWO * gamma }
    }
}

impl<T: LaneReal> LaneMap<T> for Rbf<T> {
    #[inline(always)]
    fn apply(&self, k: T, x: [T; 2], z: [T; 2]) -> (T, T, bool) {
        let (s1, _, r) = s1_of(self.b2, k, x, z);
        let limit = T::from_f64(8.0) * sin_limit::<T>();
        let flag = (self.b2 * r > limit) | near_unit_of(k, r);
        (s1, self.b2 * s1, flag)
    }

    /// σ = √q, as Sin's.
    #[inline(always)]
    fn point(&self, q: T) -> [T; 2] {
        [sqrt(q), T::ZERO]
    }
}

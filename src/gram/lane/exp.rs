//! The lane map of Exp(a, b), φ(x) = a·exp(b·x).
//!
//! With σ = √q per point, r = σₓσ_z and h = (σₓ − σ_z)²/2 (so h + r = (q₁ + q₂)/2):
//!
//! ```text
//! F = a²·exp(b²(h + r + K)),   Ḟ = b²·F
//! ```
//!
//! ([`activation::exp`](crate::activation::exp)). The rounding of the
//! exponent, ε·b²(h + 2r), is a relative error of F, and F ≤ √(F(qₓ)F(q_z))
//! = a²·exp(2b²(h + r)), so against that scale the error is
//! ε·b²(h + 2r)·exp(−b²h) ≤ ε·(1 + 2b²r): pairs with b²r above 16 (f64) or 2
//! (f32) take the exact path, as do exponents beyond eˣ's range.

use super::sin::{sin_limit, spread};
use super::LaneMap;
use crate::gram::exp::exp;
use crate::gram::float::{sqrt, LaneReal};

/// The constants of one Exp(a, b).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Exp<T> {
    a2: T,
    b2: T,
    /// The largest b²r the lanes evaluate.
    limit: T,
}

impl<T: LaneReal> Exp<T> {
    pub(crate) fn new(a: T, b: T) -> Self {
        Exp {
            a2: a * a,
            b2: b * b,
            limit: sin_limit::<T>(),
        }
    }
}

impl<T: LaneReal> LaneMap<T> for Exp<T> {
    #[inline(always)]
    fn point(&self, q: T) -> [T; 2] {
        [sqrt(q), T::ZERO]
    }

    #[inline(always)]
    fn apply(&self, k: T, x: [T; 2], z: [T; 2]) -> (T, T, bool) {
        let (h, r) = spread(x[0], z[0]);
        let e = self.b2 * (h + (r + k));
        let f = self.a2 * exp(e);
        // Half of eˣ's range: the exact path reports what overflows.
        let flag = (self.b2 * r > self.limit) | (e > -T::HALF * T::EXP_MIN);
        (f, self.b2 * f, flag)
    }
}

//! The lane map of Sin(a, b, c), φ(x) = a·sin(b·x + c) (Cos is Sin with c + π/2).
//!
//! With σ = √q per point, r = σₓσ_z and h = (σₓ − σ_z)²/2:
//!
//! ```text
//! s₁ = exp(−b²(h + (r − K))),   s₂ = exp(−b²(h + (r + K)))·cos 2c
//! F = a²/2·(s₁ − s₂),   Ḟ = a²b²/2·(s₁ + s₂)
//! ```
//!
//! ([`activation::sin`](crate::activation::sin); both exponents ≤ 0), exp by
//! [`exp_neg`]. The rounding of r ∓ K is ε·r, a relative error b²εr of s₁ and s₂
//! (and where r ∓ K is small against r, an exponent lost to cancellation: the
//! exact path carries those gaps): pairs with b²r above 16 (f64) or 2 (f32)
//! take the exact path.

use super::LaneMap;
use crate::gram::exp::exp_neg;
use crate::gram::float::{select, sqrt, LaneReal};

/// The constants of one Sin(a, b, c).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Sin<T> {
    b2: T,
    a2h: T,
    a2hb2: T,
    cos2c: T,
    /// The largest b²r the lanes evaluate.
    limit: T,
}

impl<T: LaneReal> Sin<T> {
    pub(crate) fn new(a: T, b: T, c: T) -> Self {
        let (b2, a2h) = (b * b, a * a * T::HALF);
        let wide = T::EPSILON < T::from_f64(1e-10);
        Sin {
            b2,
            a2h,
            a2hb2: a2h * b2,
            cos2c: (T::TWO * c).cos(),
            limit: T::from_f64(select(wide, 16.0, 2.0)),
        }
    }
}

impl<T: LaneReal> LaneMap<T> for Sin<T> {
    #[inline(always)]
    fn point(&self, q: T) -> [T; 2] {
        [sqrt(q), T::ZERO]
    }

    #[inline(always)]
    fn apply(&self, k: T, x: [T; 2], z: [T; 2]) -> (T, T, bool) {
        let (sx, sz) = (x[0], z[0]);
        let gap = sx - sz;
        let h = gap * gap * T::HALF;
        let r = sx * sz;
        let s1 = exp_neg(-self.b2 * (h + (r - k)));
        let s2 = exp_neg(-self.b2 * (h + (r + k))) * self.cos2c;
        // Not from s₁, s₂: where r ∓ K cancels, a lost exponent can give 0.
        let flag = self.b2 * r > self.limit;
        (self.a2h * (s1 - s2), self.a2hb2 * (s1 + s2), flag)
    }
}

//! The lane map of Sin(a, b, c), φ(x) = a·sin(b·x + c) (Cos is Sin with c + π/2;
//! Rbf(γ) is Sin(√2, √(2γ), π/4), whose s₂ term vanishes: F = s₁, Ḟ = 2γ·s₁).
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
//! take the exact path, as do pairs with |K| > (1 − τ)·r (τ = 1/64 in f64,
//! 1/16 in f32), where the gap 1 − s₁ (or 1 − s₂) carried to the next layer
//! would be known to ε absolute only: a layer of gain σ_w²Ḟ > 1 (deep Rbf)
//! magnifies that.

use super::{near_unit_of, LaneMap};
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
        Sin {
            b2,
            a2h,
            a2hb2: a2h * b2,
            cos2c: (T::TWO * c).cos(),
            limit: sin_limit::<T>(),
        }
    }

    /// Rbf(γ): the map of Sin(√2, √(2γ), π/4) with cos 2c = 0 exactly (its
    /// rounded cos(π/2) would add a relative 4e-8 in f32). Without s₂ the
    /// limit on b²r is 8× Sin's: off the flagged near-parallel pairs
    /// (r − K ≥ τr) the exponent's rounding ε·2b²r meets F ≤ exp(−τb²r), an
    /// error of at most 2ε/(eτ) against F(q) = 1 whatever b²r.
    pub(crate) fn rbf(gamma: T) -> Self {
        let b2 = T::TWO * gamma;
        Sin {
            b2,
            a2h: T::ONE,
            a2hb2: b2,
            cos2c: T::ZERO,
            limit: T::from_f64(8.0) * sin_limit::<T>(),
        }
    }
}

/// The largest b²r (an exponent's size) the exp-based maps evaluate: 16 in
/// f64, 2 in f32 (its rounding, relative ε·b²r, stays within the bounds).
#[inline(always)]
pub(crate) fn sin_limit<T: LaneReal>() -> T {
    let wide = T::EPSILON < T::from_f64(1e-10);
    T::from_f64(select(wide, 16.0, 2.0))
}

/// (h, r) = ((σₓ − σ_z)²/2, σₓσ_z) of a pair: (q₁ + q₂)/2 ∓ K = h + (r ∓ K),
/// a sum of non-negative terms.
#[inline(always)]
pub(crate) fn spread<T: LaneReal>(sx: T, sz: T) -> (T, T) {
    let gap = sx - sz;
    (gap * gap * T::HALF, sx * sz)
}

impl<T: LaneReal> LaneMap<T> for Sin<T> {
    #[inline(always)]
    fn point(&self, q: T) -> [T; 2] {
        [sqrt(q), T::ZERO]
    }

    #[inline(always)]
    fn apply(&self, k: T, x: [T; 2], z: [T; 2]) -> (T, T, bool) {
        let (h, r) = spread(x[0], z[0]);
        let s1 = exp_neg(-self.b2 * (h + (r - k)));
        let s2 = exp_neg(-self.b2 * (h + (r + k))) * self.cos2c;
        // Not from s₁, s₂: where r ∓ K cancels, a lost exponent can give 0.
        // Near c = ±1 the gap 1 − s₁ (or 1 − s₂) is only known to ε absolute,
        // which later layers with gain σ_w²Ḟ > 1 magnify: the exact path
        // carries it.
        let flag = (self.b2 * r > self.limit) | near_unit_of(k, r);
        (self.a2h * (s1 - s2), self.a2hb2 * (s1 + s2), flag)
    }
}

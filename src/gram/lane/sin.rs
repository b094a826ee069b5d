//! The lane map of Sin(a, b, c), φ(x) = a·sin(b·x + c) (Cos is Sin with c + π/2).
//!
//! With σ = √q per point, r = σₓσ_z and h = (σₓ − σ_z)²/2:
//!
//! ```text
//! s₁ = exp(−b²(h + (r − K))),   p = exp(−b²(h + (r + K))),   D = s₁ − p
//! F = a²/2·(D + 2sin²c·p),   Ḟ = a²b²/2·(D + 2cos²c·p)
//! ```
//!
//! ([`activation::sin`](crate::activation::sin); both exponents ≤ 0), exp by
//! [`exp_neg`]. D is −s₁·expm1(−2b²K) (K ≥ 0) or p·expm1(2b²K) (K < 0) where
//! |2b²K| ≤ ½: the plain difference loses the digits of a small b²K. The
//! rounding of r ∓ K is ε·r, a relative error b²εr of s₁ and p
//! (and where r ∓ K is small against r, an exponent lost to cancellation: the
//! exact path carries those gaps): pairs with b²r above 16 (f64) or 2 (f32)
//! take the exact path, as do pairs with |K| > (1 − τ)·r (τ = 1/64 in f64,
//! 1/16 in f32), where the gap 1 − s₁ (or 1 − p) carried to the next layer
//! would be known to ε absolute only: a layer of gain σ_w²Ḟ > 1 (deep Rbf)
//! magnifies that.

use super::{near_unit_of, LaneMap};
use crate::activation::sin::twice_squares;
use crate::gram::exp::{exp_neg, expm1_small};
use crate::gram::float::{select, sqrt, LaneReal};

/// The constants of one Sin(a, b, c).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Sin<T> {
    b2: T,
    a2h: T,
    a2hb2: T,
    /// 2sin²c = 1 − cos 2c.
    sin2: T,
    /// 2cos²c = 1 + cos 2c.
    cos2: T,
}

impl<T: LaneReal> Sin<T> {
    pub(crate) fn new(a: T, b: T, c: T) -> Self {
        let (b2, a2h) = (b * b, a * a * T::HALF);
        let (sin2, cos2) = twice_squares(c);
        Sin {
            b2,
            a2h,
            a2hb2: a2h * b2,
            sin2,
            cos2,
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

/// (s₁, h, r) of a pair with numbers `x`, `z` (σ first): s₁ = exp(−b²(h + (r − K))).
#[inline(always)]
pub(crate) fn s1_of<T: LaneReal>(b2: T, k: T, x: [T; 2], z: [T; 2]) -> (T, T, T) {
    let (h, r) = spread(x[0], z[0]);
    (exp_neg(-b2 * (h + (r - k))), h, r)
}

impl<T: LaneReal> LaneMap<T> for Sin<T> {
    #[inline(always)]
    fn point(&self, q: T) -> [T; 2] {
        [sqrt(q), T::ZERO]
    }

    #[inline(always)]
    fn apply(&self, k: T, x: [T; 2], z: [T; 2]) -> (T, T, bool) {
        let (s1, h, r) = s1_of(self.b2, k, x, z);
        let p = exp_neg(-self.b2 * (h + (r + k)));
        let d = difference(s1, p, T::TWO * self.b2 * k);
        // Not from s₁, p: where r ∓ K cancels, a lost exponent can give 0.
        // Near c = ±1 the gap 1 − s₁ (or 1 − p) is only known to ε absolute,
        // which later layers with gain σ_w²Ḟ > 1 magnify: the exact path
        // carries it.
        let flag = (self.b2 * r > sin_limit()) | near_unit_of(k, r);
        (
            self.a2h * (d + self.sin2 * p),
            self.a2hb2 * (d + self.cos2 * p),
            flag,
        )
    }
}

/// D = s₁ − p for x = 2b²K (s₁ = p·eˣ): by expm1 of −|x| where |x| ≤ ½,
/// else the plain difference (which then keeps its digits).
#[inline(always)]
fn difference<T: LaneReal>(s1: T, p: T, x: T) -> T {
    let positive = x >= T::ZERO;
    let size = select(positive, x, -x);
    let e = expm1_small(-select(size > T::HALF, T::HALF, size));
    let near = select(positive, -s1 * e, p * e);
    select(size > T::HALF, s1 - p, near)
}

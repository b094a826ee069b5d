//! The lane map of Sign and Step: the arc-cosine kernel of order 0.
//!
//! With σ = √q, ρ = 1/σ (0 for q = 0) per point and c = clamp(K·ρₓρ_z):
//!
//! ```text
//! F = h − f·arccos c,   Ḟ = 0      Sign: (h, f) = (1, 2/π);  Step: (½, 1/(2π))
//! ```
//!
//! ([`activation::sign`](crate::activation::sign); a zero variance gives
//! the scalar map's F at θ = π/2, as there), the map h − f·θ folded into the arccos
//! ([`AffineAcos`]). F follows θ, whose rounding near c = ±1 is ε/sin θ:
//! pairs with |c| > 1 − τ (τ = 1/64 in f64, 1/16 in f32) take the exact path, which carries the gap.

use super::{clamp_unit, near_unit, LaneMap};
use crate::gram::acos::AffineAcos;
use crate::gram::float::{select, sqrt, LaneReal};
use crate::Activation;

/// h − f·θ of Sign or Step, and F at a zero variance.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Order0<T> {
    map: AffineAcos<T>,
    /// F of a pair with a zero variance, as the scalar map rounds it (h − f·π/2
    /// is 0 for Sign: rounded on lanes it would be 1e-17 where the kernel is 0).
    zero: T,
}

impl<T: LaneReal> Order0<T> {
    /// Sign for `Activation::Sign`, else Step.
    pub(crate) fn new(act: Activation<T>) -> Self {
        let map = match act {
            Activation::Sign => AffineAcos::new(T::ONE, T::TWO / T::PI),
            _ => AffineAcos::new(T::HALF, T::ONE / (T::TWO * T::PI)),
        };
        Order0 {
            map,
            zero: act.dual(T::ZERO, T::ZERO, T::ONE).0,
        }
    }
}

/// [√q, 1/√q] (1/√q = 0 at q = 0): the per-point numbers of the arc-cosine maps.
#[inline(always)]
pub(crate) fn root_and_inverse<T: LaneReal>(q: T) -> [T; 2] {
    let s = sqrt(q);
    [s, select(q > T::ZERO, T::ONE / s, T::ZERO)]
}

impl<T: LaneReal> LaneMap<T> for Order0<T> {
    #[inline(always)]
    fn point(&self, q: T) -> [T; 2] {
        root_and_inverse(q)
    }

    #[inline(always)]
    fn apply(&self, k: T, x: [T; 2], z: [T; 2]) -> (T, T, bool) {
        let rr = x[1] * z[1];
        let c = clamp_unit(k * rr);
        let f = select(rr > T::ZERO, self.map.eval::<false>(c, sqrt), self.zero);
        (f, T::ZERO, near_unit(c))
    }
}

//! The lane map of RectifiedMonomial(n), φ(x) = max(0, x)ⁿ, the arc-cosine
//! kernel of order n, for 3 ≤ n ≤ [`CAP`](super::monomial::CAP) (0, 1, 2 have their own maps).
//!
//! With r = σₓσ_z, c = clamp(K·ρₓρ_z), s = √((1 − c)(1 + c)), π − θ = arccos(−c)
//! the recurrence of [`activation::rectified_monomial`](crate::activation::rectified_monomial)
//! on Aₘ = rᵐJₘ(θ) (no power of r on its own):
//!
//! ```text
//! A₀ = π − θ,  A₁ = rs + rc·(π − θ),  Aₘ₊₁ = (2m + 1)·rc·Aₘ + m²·(rs)²·Aₘ₋₁
//! F = Aₙ/(2π),   Ḟ = n²·Aₙ₋₁/(2π)
//! ```
//!
//! run for [`CAP`](super::monomial::CAP) steps whatever n (as [`Monomial`](super::monomial)'s).
//! Pairs with |c| > 1 − τ (τ = 1/64 in f64, 1/16 in f32) take the exact
//! path: Jₙ is flat in θ there, but a layer's gain in c, n²/(2n − 1) at
//! c = 1, would magnify the ε-absolute gap 1 − c that the lanes carry; so
//! do points whose variance would over- or underflow rⁿ.

use super::monomial::{within, Degree};
use super::sign::root_and_inverse;
use super::{clamp_unit, near_unit, LaneMap};
use crate::gram::acos::acos;
use crate::gram::float::{sqrt, LaneReal};

/// The map of RectifiedMonomial(n).
#[derive(Clone, Copy, Debug)]
pub(crate) struct RectifiedMonomial<T>(Degree<T>);

impl<T: LaneReal> RectifiedMonomial<T> {
    /// The map of RectifiedMonomial(n), `None` unless 3 ≤ n ≤ [`CAP`](super::monomial::CAP).
    pub(crate) fn new(n: u32) -> Option<Self> {
        Degree::new(n, 3).map(RectifiedMonomial)
    }
}

impl<T: LaneReal> LaneMap<T> for RectifiedMonomial<T> {
    #[inline(always)]
    fn point(&self, q: T) -> [T; 2] {
        root_and_inverse(q)
    }

    #[inline(always)]
    fn accepts(&self, q: T) -> bool {
        within(q, self.0.range)
    }

    #[inline(always)]
    fn apply(&self, k: T, x: [T; 2], z: [T; 2]) -> (T, T, bool) {
        let r = x[0] * z[0];
        let c = clamp_unit(k * (x[1] * z[1]));
        let (rc, rs) = (r * c, r * sqrt((T::ONE - c) * (T::ONE + c)));
        let pt = acos(-c);
        let (below, at) = self.0.recur(1, (pt, rc.fma(pt, rs)), rc, rs * rs);
        let two_pi = T::TWO * T::PI;
        (at / two_pi, self.0.n2 * below / two_pi, near_unit(c))
    }
}

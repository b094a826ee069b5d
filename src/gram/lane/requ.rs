//! The lane map of ReQU, φ(x) = max(0, x)²: the arc-cosine kernel of order 2.
//!
//! With r = σₓσ_z, c = clamp(K·ρₓρ_z), s = √((1 − c)(1 + c)) and π − θ = arccos(−c):
//!
//! ```text
//! F = r·(r·(3sc + (π − θ)(1 + 2c²)))/(2π),   Ḟ = 4r·(s + (π − θ)c)/(2π)
//! ```
//!
//! ([`activation::requ`](crate::activation::requ)). Both J-functions are flat
//! in θ at 0 and π, so the rounding of c near ±1 costs nothing and no pair is
//! flagged; points with q > ε⁻² take the exact path (r² must not overflow).

use super::sign::root_and_inverse;
use super::{clamp_unit, LaneMap};
use crate::gram::acos::acos;
use crate::gram::arccos::range;
use crate::gram::float::{sqrt, LaneReal};

/// ReQU has no parameters.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Requ;

impl<T: LaneReal> LaneMap<T> for Requ {
    #[inline(always)]
    fn point(&self, q: T) -> [T; 2] {
        root_and_inverse(q)
    }

    #[inline(always)]
    fn accepts(&self, q: T) -> bool {
        let lo = range::<T>().0;
        let hi = T::ONE / (T::EPSILON * T::EPSILON);
        (q == T::ZERO) | ((q >= lo) & (q <= hi))
    }

    #[inline(always)]
    fn apply(&self, k: T, x: [T; 2], z: [T; 2]) -> (T, T, bool) {
        let two_pi = T::TWO * T::PI;
        let three = T::TWO + T::ONE;
        let r = x[0] * z[0];
        let c = clamp_unit(k * (x[1] * z[1]));
        let s = sqrt((T::ONE - c) * (T::ONE + c));
        let pt = acos(-c);
        let j2 = (three * s).fma(c, pt * (T::TWO * c).fma(c, T::ONE));
        let j1 = pt.fma(c, s);
        let four = T::TWO + T::TWO;
        (r * (r * j2) / two_pi, four * r * j1 / two_pi, false)
    }
}

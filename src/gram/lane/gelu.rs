//! The lane map of GELU, φ(x) = x·Φ(x).
//!
//! Per point v = 1/√(1 + q) and t = q·v; per pair g = vₓv_z, ρ = K·g ∈ (−1, 1),
//! w = √((1 − ρ)(1 + ρ)) and φ = asin ρ. The formulas of
//! [`activation::gelu`](crate::activation::gelu) (P₁ = 1/g², Δ = w/g) become
//!
//! ```text
//! F = K/4 + [K·φ + ρ²·g/w + tₓt_z·w]/(2π)
//! Ḟ = 1/4 + φ/(2π) + ρ/(2πw)·(g²/w² + g² + vₓ² + v_z² − vₓ²v_z²)
//! ```
//!
//! (1 − q₁q₂g² = vₓ² + v_z² − vₓ²v_z², without cancellation), whose terms
//! stay within the range of `T` for q ≤ ε⁻⁴ — the scalar map's q⁴ does not,
//! which is why it runs in f64. Pairs with |ρ| > 1 − τ (τ = 1/64 in f64,
//! 1/16 in f32) take the exact path.

use super::{clamp_unit, near_unit, LaneMap};
use crate::gram::acos::asin;
use crate::gram::float::{sqrt, LaneReal};

/// GELU has no parameters.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Gelu;

impl<T: LaneReal> LaneMap<T> for Gelu {
    #[inline(always)]
    fn point(&self, q: T) -> [T; 2] {
        let v = T::ONE / sqrt(T::ONE + q);
        [v, q * v]
    }

    #[inline(always)]
    fn apply(&self, k: T, x: [T; 2], z: [T; 2]) -> (T, T, bool) {
        let two_pi = T::TWO * T::PI;
        let quarter = T::HALF * T::HALF;
        let ([vx, tx], [vz, tz]) = (x, z);
        let g = vx * vz;
        let rho = clamp_unit(k * g);
        let w = sqrt((T::ONE - rho) * (T::ONE + rho));
        let iw = T::ONE / w;
        let phi = asin(rho);
        let f = quarter.fma(k, (k * phi + (rho * rho) * g * iw + (tx * tz) * w) / two_pi);
        let (vx2, vz2) = (vx * vx, vz * vz);
        let g2 = g * g;
        let bracket = g2 * (iw * iw) + g2 + ((vx2 + vz2) - vx2 * vz2);
        let fdot = quarter + (phi + rho * iw * bracket) / two_pi;
        (f, fdot, near_unit(rho))
    }
}

//! Standard normal samples from any [`Rng`], without `std` or `rand`.
//!
//! Box–Muller: for u₁ ∈ (0, 1] and u₂ ∈ [0, 1) uniform,
//!
//! ```text
//! r = √(−2 ln u₁),   (z₁, z₂) = (r cos 2πu₂, r sin 2πu₂)
//! ```
//!
//! are two independent N(0, 1) draws. Uniforms take the top 53 bits of
//! [`Rng::next_u64`]; the arithmetic is `f64` (libm) whatever the output
//! type, so `f32` samples are correctly rounded Gaussians. u₁ is never 0, so
//! |z| ≤ √(−2 ln 2⁻⁵³) ≈ 8.57: no infinities.

use crate::Real;
use rand_core::Rng;

/// 2⁻⁵³.
const INV_2_53: f64 = 1.0 / 9_007_199_254_740_992.0;

/// A uniform draw from [0, 1) with 53 random bits.
#[inline]
fn uniform<R: Rng + ?Sized>(rng: &mut R) -> f64 {
    (rng.next_u64() >> 11) as f64 * INV_2_53
}

/// Two independent standard normal draws (Box–Muller).
///
/// ```
/// use rand_xoshiro::{rand_core::SeedableRng, Xoshiro256PlusPlus};
/// let mut rng = Xoshiro256PlusPlus::seed_from_u64(7);
/// let (a, b) = ntk::finite::gaussian::standard_normal_pair(&mut rng);
/// assert!(a.is_finite() && b.is_finite() && a != b);
/// ```
#[inline]
pub fn standard_normal_pair<R: Rng + ?Sized>(rng: &mut R) -> (f64, f64) {
    let u1 = 1.0 - uniform(rng); // (0, 1]: ln is finite
    let u2 = uniform(rng);
    let r = libm::sqrt(-2.0 * libm::log(u1));
    let (s, c) = libm::sincos(2.0 * core::f64::consts::PI * u2);
    (r * c, r * s)
}

/// Fills `out` with independent N(0, σ²) draws, σ = `std` (σ = 0 gives zeros
/// without touching `rng`).
pub fn fill_normal<T: Real, R: Rng + ?Sized>(rng: &mut R, std: T, out: &mut [T]) {
    if std == T::ZERO {
        out.iter_mut().for_each(|v| *v = T::ZERO);
        return;
    }
    let mut pairs = out.chunks_exact_mut(2);
    for pair in &mut pairs {
        let (a, b) = standard_normal_pair(rng);
        pair[0] = std * T::from_f64(a);
        pair[1] = std * T::from_f64(b);
    }
    if let [last] = pairs.into_remainder() {
        *last = std * T::from_f64(standard_normal_pair(rng).0);
    }
}

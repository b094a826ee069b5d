//! ExpNormalized(γ, shift, do_clip): the "Gaussian normalized kernel" of
//! Shankar et al. 2020 (Neural Kernels Without Tangents, p. 6), a kernel map
//! with no pointwise φ (neural-tangents `stax.ExpNormalized`, whose `apply_fn`
//! raises; here [`Activation::apply`](super::Activation::apply) is NaN and
//! finite networks refuse it):
//!
//! ```text
//! r = √max(q₁q₂, 1e-30),   c = K/r (clipped to [−1, 1] if do_clip)
//! F = r·exp(γ(c + shift)),   Ḟ = γ·exp(γ(c + shift)),   F_diag(q) = F(q; q, q)
//! ```
//!
//! exactly as neural-tangents 0.6.5 defines it, 1e-30 floor included (it only
//! matters for a zero input without bias).

use super::angle::geometric_mean;
use crate::Real;

/// (F, Ḟ) of ExpNormalized for a pair.
#[inline]
pub fn dual<T: Real>(gamma: T, shift: T, do_clip: bool, k: T, q1: T, q2: T) -> (T, T) {
    let r = geometric_mean(q1, q2).max(T::from_f64(1e-15));
    let mut c = k / r;
    if do_clip {
        c = c.max(-T::ONE).min(T::ONE);
    }
    let e = (gamma * (c + shift)).exp();
    (r * e, gamma * e)
}

/// F_diag(q) = F(q; q, q).
#[inline]
pub fn diag<T: Real>(gamma: T, shift: T, do_clip: bool, q: T) -> T {
    dual(gamma, shift, do_clip, q, q, q).0
}

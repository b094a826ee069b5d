//! ReQU: φ(x) = max(0, x)², the arc-cosine kernel of order 2 (Cho & Saul 2009):
//! [`Activation::Requ`](super::Activation::Requ) is
//! [`RectifiedMonomial(2)`](super::Activation::RectifiedMonomial), computed by
//! the same code ([`rectified_monomial`](super::rectified_monomial)).
//!
//! ```text
//! F = q₁q₂ · (3 sin θ cos θ + (π − θ)(1 + 2cos²θ)) / (2π)
//! Ḟ = E[φ'φ'] = 4·√(q₁q₂)(sin θ + (π − θ) cos θ)/(2π)
//! F_diag(q) = 3q²/2
//! ```
//!
//! neural-tangents calls it `stax.RectifiedMonomial(2)`.

use crate::Real;

/// (F, Ḟ) of max(0, x)² for a pair.
#[inline]
pub fn dual<T: Real>(k: T, q1: T, q2: T) -> (T, T) {
    super::rectified_monomial::dual(2, k, q1, q2)
}

/// F_diag(q) = 3q²/2.
#[inline]
pub fn diag<T: Real>(q: T) -> T {
    super::rectified_monomial::diag(2, q)
}

//! Exp(a, b): φ(x) = a·exp(b·x) (neural-tangents `stax.Exp(a, b)`):
//!
//! ```text
//! F = a²·exp(b²(q₁/2 + q₂/2 + K)),   Ḟ = b²·F,   F_diag(q) = a²·exp(2b²q)
//! ```
//!
//! The exponent b²·½E[(u + v)²] is a sum of non-negative terms
//! (the sums of non-negative terms of the [`sin`](super::sin) module). F grows like
//! exp(2b²q): a deep or wide-variance Exp net overflows, which
//! [`Network::kernels`](crate::Network::kernels) reports as an error.

use super::angle::Angle;
use crate::Real;

/// (F, Ḟ) of a·exp(b·x) for a pair.
#[inline]
pub fn dual<T: Real>(a: T, b: T, k: T, q1: T, q2: T) -> (T, T) {
    of_angle(a, b, (q1, q2), Angle::new(k, q1, q2))
}

/// (F, Ḟ) from the variances and the pair's [`Angle`].
#[inline]
pub(crate) fn of_angle<T: Real>(a: T, b: T, q: (T, T), g: Angle<T>) -> (T, T) {
    let (_, plus) = super::sin::half_mean_squares_of(q, g);
    let b2 = b * b;
    let f = a * a * (b2 * plus).exp();
    (f, b2 * f)
}

/// F_diag(q) = a²·exp(2b²q).
#[inline]
pub fn diag<T: Real>(a: T, b: T, q: T) -> T {
    a * a * (T::TWO * b * b * q).exp()
}

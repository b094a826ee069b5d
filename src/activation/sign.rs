//! Sign and Step: the arc-cosine kernel of order 0.
//!
//! φ = sign(x) (neural-tangents `stax.Sign`):
//!
//! ```text
//! F = 1 − 2θ/π,   F_diag(q) = [q > 0],   Ḟ = 0
//! ```
//!
//! φ = step(x) = (1 + sign x)/2 (Heaviside, step(0) = ½):
//!
//! ```text
//! F = (π − θ)/(2π) = (1 + F_sign)/4,   F_diag(q) = ½ if q > 0, else ¼,   Ḟ = 0
//! ```
//!
//! The derivative of either is a Dirac delta at 0, which neural-tangents drops:
//! the NTK is reset to 0 after the layer, so only Dense layers above the last
//! Sign/Step contribute to the final NTK.

use super::angle::{Angle, Gaps};
use crate::Real;

/// (F, Ḟ) of sign(x) for a pair.
#[inline]
pub fn sign_dual<T: Real>(k: T, q1: T, q2: T) -> (T, T) {
    let (f, fdot, _) = sign_of_angle(Angle::new(k, q1, q2));
    (f, fdot)
}

/// (F, Ḟ, gaps of the output) of sign(x) from the pair's [`Angle`]: when
/// both variances are positive (then F_diag = 1) 1 − F = 2θ/π and
/// 1 + F = 2(π − θ)/π, else F = 0 with the gaps of c = 0.
#[inline]
pub(crate) fn sign_of_angle<T: Real>(g: Angle<T>) -> (T, T, Gaps<T>) {
    let (vers, cov) = (T::TWO * g.theta / T::PI, T::TWO * g.supp / T::PI);
    let f = if g.theta <= T::PI * T::HALF {
        T::ONE - vers
    } else {
        cov - T::ONE
    };
    let gaps = if g.r > T::ZERO {
        Gaps { vers, cov }
    } else {
        Gaps::ORTHOGONAL
    };
    (f, T::ZERO, gaps)
}

/// (F, Ḟ, gaps of the output) of step(x) from the pair's [`Angle`] and
/// output variances `post` = (F_diag(q₁), F_diag(q₂)): F = (1 + F_sign)/4;
/// when both variances are positive (F_diag = ½) the gaps are
/// 1 − 2F = θ/π and 1 + 2F = (π + (π − θ))/π, else those of
/// √(F_diag(q₁)F_diag(q₂)) ∓ F.
#[inline]
pub(crate) fn step_of_angle<T: Real>(g: Angle<T>, post: (T, T)) -> (T, T, Gaps<T>) {
    let f = (T::ONE + sign_of_angle(g).0) * T::HALF * T::HALF;
    let gaps = if g.r > T::ZERO {
        Gaps {
            vers: g.theta / T::PI,
            cov: (T::PI + g.supp) / T::PI,
        }
    } else {
        Gaps::of_output(f, super::angle::geometric_mean(post.0, post.1))
    };
    (f, T::ZERO, gaps)
}

/// F_diag of sign(x): 1 for q > 0, 0 for q = 0.
#[inline]
pub fn sign_diag<T: Real>(q: T) -> T {
    if q > T::ZERO {
        T::ONE
    } else {
        T::ZERO
    }
}

/// (F, Ḟ) of step(x) for a pair.
#[inline]
pub fn step_dual<T: Real>(k: T, q1: T, q2: T) -> (T, T) {
    let (f, fdot, _) = step_of_angle(Angle::new(k, q1, q2), (step_diag(q1), step_diag(q2)));
    (f, fdot)
}

/// F_diag of step(x): ½ for q > 0, ¼ for q = 0 (step(0) = ½).
#[inline]
pub fn step_diag<T: Real>(q: T) -> T {
    (T::ONE + sign_diag(q)) * T::HALF * T::HALF
}

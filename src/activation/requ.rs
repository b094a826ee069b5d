//! ReQU: φ(x) = max(0, x)², the arc-cosine kernel of order 2 (Cho & Saul 2009).
//!
//! ```text
//! F = q₁q₂ · (3 sin θ cos θ + (π − θ)(1 + 2cos²θ)) / (2π)
//! Ḟ = E[φ'φ'] = 4·relu_F = 4·√(q₁q₂)(sin θ + (π − θ) cos θ)/(2π)
//! F_diag(q) = 3q²/2
//! ```
//!
//! neural-tangents calls it `stax.RectifiedMonomial(2)`;
//! [`Activation::Requ`](super::Activation::Requ) and
//! [`RectifiedMonomial(2)`](super::Activation::RectifiedMonomial) both run this
//! code (the general order n is [`rectified_monomial`](super::rectified_monomial)).

use super::abrelu::theta_minus_sin;
use super::angle::{Angle, Gaps};
use crate::Real;

/// (F, Ḟ) of max(0, x)² for a pair.
#[inline]
pub fn dual<T: Real>(k: T, q1: T, q2: T) -> (T, T) {
    let (f, fdot, _) = of_angle(Angle::new(k, q1, q2));
    (f, fdot)
}

/// (F, Ḟ, gaps of the output) from the pair's [`Angle`]. With
/// r′ = √(F_diag(q₁)F_diag(q₂)) = 3r²/2 the gaps (r′ ∓ F)/r′ are formed
/// without cancellation:
///
/// ```text
/// 3π − J₂ = (3/2)(2θ − sin 2θ) + 2(π − θ)·sin²θ,   1 − c′ = (3π − J₂)/(3π),   1 + c′ = (3π + J₂)/(3π)
/// ```
///
/// Products are formed as r·(r·x) so that a kernel that fits the type does
/// not overflow on the way (r² alone may not fit when F does).
#[inline]
pub(crate) fn of_angle<T: Real>(g: Angle<T>) -> (T, T, Gaps<T>) {
    let two_pi = T::TWO * T::PI;
    let pt = g.supp;
    let three = T::from_f64(3.0);
    let two_theta = g.theta + g.theta;
    let sin2 = T::TWO * g.sin * g.cos;
    let (j2, j1) = if g.theta <= T::PI * T::HALF {
        (
            three * g.sin * g.cos + pt * (T::ONE + T::TWO * g.cos * g.cos),
            g.sin + pt * g.cos,
        )
    } else {
        // Near π, with φ = π − θ: J₂ = (3/2)(2φ − sin 2φ) − 2φ·sin²φ ≈ 4φ⁵/15 and
        // J₁ = φ(1 − cos φ) − (φ − sin φ) ≈ φ³/3, without r²-sized cancellation.
        let j2 = T::from_f64(1.5) * theta_minus_sin(pt + pt, -sin2) - T::TWO * pt * g.sin * g.sin;
        (j2.max(T::ZERO), pt * g.cov - theta_minus_sin(pt, g.sin))
    };
    let four = T::from_f64(4.0);
    let lack = T::from_f64(1.5) * theta_minus_sin(two_theta, sin2) + T::TWO * pt * g.sin * g.sin;
    let scaled = |x: T| g.r * (g.r * (x / two_pi));
    let three_pi = three * T::PI;
    let gaps = if g.r > T::ZERO {
        Gaps {
            vers: lack.max(T::ZERO) / three_pi,
            cov: (three_pi + j2.max(T::ZERO)) / three_pi,
        }
    } else {
        Gaps::ORTHOGONAL
    };
    (scaled(j2), four * g.r * j1 / two_pi, gaps)
}

/// F_diag(q) = 3q²/2.
#[inline]
pub fn diag<T: Real>(q: T) -> T {
    T::from_f64(1.5) * q * q
}

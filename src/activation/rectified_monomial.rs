//! RectifiedMonomial(n): φ(x) = max(0, x)ⁿ, the arc-cosine kernel of order n
//! (Cho & Saul 2009; neural-tangents `stax.RectifiedMonomial(n)`).
//!
//! With θ the pair's angle and r = √(q₁q₂) (θ = arccos c):
//!
//! ```text
//! F = rⁿ·Jₙ(θ)/(2π),   Ḟ = n²·rⁿ⁻¹·Jₙ₋₁(θ)/(2π),   F_diag(q) = (2n − 1)!!·qⁿ/2
//! J₀ = π − θ,   J₁ = sin θ + (π − θ) cos θ,
//! Jₙ₊₁ = (2n + 1)·cos θ·Jₙ + n²·sin²θ·Jₙ₋₁
//! ```
//!
//! The recurrence follows from Cho & Saul's
//! Jₙ = (−1)ⁿ sin²ⁿ⁺¹θ·(∂_θ/sin θ)ⁿ((π − θ)/sin θ): g(c) = (π − θ)/sin θ
//! solves (1 − c²)g′ = c·g + 1, whose n-th derivative gives the three terms.
//! It is run on rⁿJₙ, so no power of r is formed on its own (no overflow
//! where F fits), and it has no division: exact at θ = 0 and θ = π, where
//! neural-tangents 0.6.5 divides by sin θ and returns NaN (for every
//! variance beyond the first layer).
//!
//! n = 0 is [`Step`](super::Activation::Step) (step(0) = ½, Ḟ = 0: the Dirac
//! delta is dropped, as neural-tangents does), n = 1 is ReLU, n = 2 ReQU: those
//! three run their own modules' code (which also carry the pair's gaps through
//! the recursion without cancellation); n ≥ 3 runs the recurrence, whose
//! maps are smooth enough in K that the gaps are formed as r′ ∓ F.

use super::angle::Angle;
use crate::Real;

/// (F, Ḟ) of max(0, x)ⁿ for a pair with covariance `k`, variances `q1`, `q2`.
#[inline]
pub fn dual<T: Real>(n: u32, k: T, q1: T, q2: T) -> (T, T) {
    match n {
        0 => return super::sign::step_dual(k, q1, q2),
        1 => return super::abrelu::dual(T::ZERO, T::ONE, k, q1, q2),
        2 => return super::requ::dual(k, q1, q2), // its θ ≈ π form
        _ => {}
    }
    let (below, at) = scaled_j(n, Angle::new(k, q1, q2));
    let two_pi = T::TWO * T::PI;
    let n = T::from_usize(n as usize);
    (at / two_pi, n * n * below / two_pi)
}

/// (rⁿ⁻¹Jₙ₋₁, rⁿJₙ) for n ≥ 1, by the recurrence in the module docs.
#[inline]
fn scaled_j<T: Real>(n: u32, g: Angle<T>) -> (T, T) {
    let pt = T::PI - g.theta;
    let (rc, rs) = (g.r * g.cos, g.r * g.sin);
    let (mut below, mut at) = (pt, rs + rc * pt);
    for m in 1..n {
        let m = T::from_usize(m as usize);
        let next = (T::TWO * m + T::ONE) * rc * at + m * m * rs * (rs * below);
        (below, at) = (at, next);
    }
    (below, at)
}

/// F_diag(q) = (2n − 1)!!·qⁿ/2 (n = 0: [`Step`](super::Activation::Step)'s).
#[inline]
pub fn diag<T: Real>(n: u32, q: T) -> T {
    if n == 0 {
        return super::sign::step_diag(q);
    }
    super::monomial::diag(n, q) * T::HALF
}

/// φ(x) = max(0, x)ⁿ (n = 0: step(x), step(0) = ½).
#[inline]
pub fn apply<T: Real>(n: u32, x: T) -> T {
    match n {
        0 => (T::ONE + super::signum(x)) * T::HALF,
        _ => super::monomial::powi(x.max(T::ZERO), n),
    }
}

/// φ′(x) = n·max(0, x)ⁿ⁻¹ for x > 0, else 0 (n = 0: 0, the delta dropped).
#[inline]
pub fn derivative<T: Real>(n: u32, x: T) -> T {
    if n == 0 || x <= T::ZERO {
        return T::ZERO;
    }
    T::from_usize(n as usize) * super::monomial::powi(x, n - 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Cho & Saul's closed forms for n = 1, 2, 3 (J₃ = 15 sin θ − 11 sin³θ +
    /// (π − θ)(9 cos θ + 6 cos³θ)) at a few angles and variances.
    #[test]
    fn recurrence_matches_closed_forms() {
        use core::f64::consts::PI;
        for &(k, q1, q2) in &[
            (0.3f64, 1.0f64, 2.0f64),
            (-0.9, 1.5, 0.7),
            (0.0, 1.0, 1.0),
            (1.2, 0.9, 1.7),
        ] {
            let r = f64::sqrt(q1 * q2);
            let c = k / r;
            let (s, t) = (f64::sqrt(1.0 - c * c), f64::acos(c));
            let j = [
                PI - t,
                s + (PI - t) * c,
                3.0 * s * c + (PI - t) * (1.0 + 2.0 * c * c),
                15.0 * s - 11.0 * s * s * s + (PI - t) * (9.0 * c + 6.0 * c * c * c),
            ];
            for n in 1..=3u32 {
                let (f, fdot) = dual(n, k, q1, q2);
                let nf = n as f64;
                let want_f = r.powi(n as i32) * j[n as usize] / (2.0 * PI);
                let want_fdot = nf * nf * r.powi(n as i32 - 1) * j[n as usize - 1] / (2.0 * PI);
                assert!(
                    (f - want_f).abs() <= 1e-14 * want_f.abs().max(1.0),
                    "n={n} F {f} vs {want_f}"
                );
                assert!(
                    (fdot - want_fdot).abs() <= 1e-14 * want_fdot.abs().max(1.0),
                    "n={n} Ḟ"
                );
            }
        }
    }
}

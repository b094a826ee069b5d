//! Hermite(n): φ(x) = Heₙ(x)/√(n!), the n-th probabilists' Hermite polynomial,
//! normalised so that E[φ(z)²] = 1 for z ~ N(0, 1) (neural-tangents
//! `stax.Hermite(n)`).
//!
//! neural-tangents returns F = Kⁿ, Ḟ = n·Kⁿ⁻¹, F_diag = qⁿ, which holds only
//! for unit variances (it warns so). Here the maps are the expectations for
//! any variances, from Heₙ(σx) = Σⱼ n!/(j!(n−2j)!)·σⁿ⁻²ʲ((σ² − 1)/2)ʲ·Heₙ₋₂ⱼ(x):
//!
//! ```text
//! F = Σⱼ cⱼ·[(q₁ − 1)(q₂ − 1)]ʲ·Kⁿ⁻²ʲ,   cⱼ = n!/(j!²(n − 2j)!·4ʲ),   0 ≤ j ≤ n/2
//! Ḟ = n·F₍ₙ₋₁₎,   F_diag(q) = Σⱼ cⱼ·(q − 1)²ʲ·qⁿ⁻²ʲ
//! ```
//!
//! equal to neural-tangents' Kⁿ where q₁ = q₂ = 1.

use super::monomial::powi;
use crate::Real;

/// (F, Ḟ) of Heₙ/√(n!) for a pair.
#[inline]
pub fn dual<T: Real>(n: u32, k: T, q1: T, q2: T) -> (T, T) {
    let a = (q1 - T::ONE) * (q2 - T::ONE);
    let below = match n {
        0 => T::ZERO,
        _ => T::from_usize(n as usize) * sum(n - 1, k, a),
    };
    (sum(n, k, a), below)
}

/// F_diag(q) = Σⱼ cⱼ(q − 1)²ʲqⁿ⁻²ʲ.
#[inline]
pub fn diag<T: Real>(n: u32, q: T) -> T {
    let a = q - T::ONE;
    sum(n, q, a * a)
}

/// Σⱼ cⱼ·aʲ·kⁿ⁻²ʲ.
fn sum<T: Real>(n: u32, k: T, a: T) -> T {
    let (mut c, mut total) = (T::ONE, T::ZERO);
    for j in 0..=n / 2 {
        total += c * powi(a, j) * powi(k, n - 2 * j);
        let m = T::from_usize((n - 2 * j) as usize);
        let j1 = T::from_usize(j as usize + 1);
        c = c * m * (m - T::ONE) / (T::from_f64(4.0) * j1 * j1);
    }
    total
}

/// (φ(x), φ′(x)) = (Heₙ(x), n·Heₙ₋₁(x))/√(n!), by He₍ₘ₊₁₎ = x·Heₘ − m·Heₘ₋₁.
#[inline]
pub fn apply<T: Real>(n: u32, x: T) -> (T, T) {
    let (mut below, mut at) = (T::ZERO, T::ONE);
    let mut factorial = T::ONE;
    for m in 0..n {
        let mf = T::from_usize(m as usize);
        (below, at) = (at, x * at - mf * below);
        factorial *= mf + T::ONE;
    }
    let norm = factorial.sqrt();
    (at / norm, T::from_usize(n as usize) * below / norm)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// At unit variances the maps are neural-tangents' Kⁿ, n·Kⁿ⁻¹, 1; and
    /// F_diag(q) = E[He₂(u)²]/2 = (3q² − 2q + 1)/2 for n = 2.
    #[test]
    fn unit_variances_give_neural_tangents_powers() {
        for n in 0..=9u32 {
            for &k in &[0.3f64, -0.8, 0.0, 1.0] {
                let (f, fdot) = dual(n, k, 1.0, 1.0);
                let want = k.powi(n as i32);
                let want_dot = if n == 0 {
                    0.0
                } else {
                    n as f64 * k.powi(n as i32 - 1)
                };
                assert!(
                    (f - want).abs() < 1e-14 && (fdot - want_dot).abs() < 1e-13,
                    "n={n}"
                );
            }
        }
        let q = 1.7f64;
        assert!((diag(2, q) - (3.0 * q * q - 2.0 * q + 1.0) / 2.0).abs() < 1e-14);
        let (phi, dphi) = apply(3, 2.0f64); // (x³ − 3x)/√6, (3x² − 3)/√6
        assert!(
            (phi - 2.0 / 6f64.sqrt()).abs() < 1e-15 && (dphi - 9.0 / 6f64.sqrt()).abs() < 1e-15
        );
    }
}

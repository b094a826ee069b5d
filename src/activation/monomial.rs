//! Monomial(n): φ(x) = xⁿ (neural-tangents `stax.Monomial(n)`, which stops
//! at n = 5; here any n up to [`MAX_DEGREE`](super::MAX_DEGREE)).
//!
//! With P = q₁q₂ and Mₙ = E\[uⁿvⁿ\]:
//!
//! ```text
//! F = Mₙ,   Ḟ = n²·Mₙ₋₁,   F_diag(q) = (2n − 1)!!·qⁿ
//! M₋₁ = 0,   M₀ = 1,   Mₙ₊₁ = (2n + 1)·K·Mₙ + n²·(P − K²)·Mₙ₋₁
//! ```
//!
//! (M₂ = 2K² + P, M₃ = 6K³ + 9KP, … neural-tangents' table; the recurrence
//! is Wick's theorem, the same three terms as the arc-cosine kernels'
//! [`rectified_monomial`](super::rectified_monomial)). P − K² = r²sin²θ is
//! taken from the pair's angle, without cancellation.

use super::angle::Angle;
use crate::Real;

/// (F, Ḟ) of xⁿ for a pair with covariance `k`, variances `q1`, `q2`.
#[inline]
pub fn dual<T: Real>(n: u32, k: T, q1: T, q2: T) -> (T, T) {
    let g = Angle::new(k, q1, q2);
    let rs = g.r * g.sin;
    let (mut below, mut at) = (T::ZERO, T::ONE);
    for m in 0..n {
        let m = T::from_usize(m as usize);
        let next = (T::TWO * m + T::ONE) * k * at + m * m * rs * (rs * below);
        (below, at) = (at, next);
    }
    let n = T::from_usize(n as usize);
    (at, n * n * below)
}

/// F_diag(q) = (2n − 1)!!·qⁿ.
#[inline]
pub fn diag<T: Real>(n: u32, q: T) -> T {
    (1..=n).fold(T::ONE, |acc, m| {
        acc * (T::from_usize(2 * m as usize - 1) * q)
    })
}

/// xⁿ by repeated squaring (0⁰ = 1).
#[inline]
pub(crate) fn powi<T: Real>(x: T, n: u32) -> T {
    let (mut base, mut n, mut acc) = (x, n, T::ONE);
    while n > 0 {
        if n & 1 == 1 {
            acc *= base;
        }
        base *= base;
        n >>= 1;
    }
    acc
}

/// φ′(x) = n·xⁿ⁻¹.
#[inline]
pub fn derivative<T: Real>(n: u32, x: T) -> T {
    match n {
        0 => T::ZERO,
        _ => T::from_usize(n as usize) * powi(x, n - 1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// neural-tangents' explicit M₀ … M₅ (the conventions sheet's table).
    #[test]
    fn recurrence_matches_neural_tangents_table() {
        for &(k, q1, q2) in &[
            (0.3f64, 1.0, 2.0),
            (-0.9, 1.5, 0.7),
            (0.0, 1.0, 1.0),
            (1.2, 0.9, 1.7),
        ] {
            let p = q1 * q2;
            let m = [
                1.0,
                k,
                2.0 * k * k + p,
                6.0 * k.powi(3) + 9.0 * k * p,
                3.0 * (8.0 * k.powi(4) + 3.0 * p * (8.0 * k * k + p)),
                15.0 * k * (8.0 * k.powi(4) + 5.0 * p * (8.0 * k * k + 3.0 * p)),
            ];
            for n in 0..=5u32 {
                let (f, fdot) = dual(n, k, q1, q2);
                let below = if n == 0 { 0.0 } else { m[n as usize - 1] };
                let want = (m[n as usize], (n * n) as f64 * below);
                assert!(
                    (f - want.0).abs() <= 1e-13 * want.0.abs().max(1.0),
                    "n={n}: {f} vs {}",
                    want.0
                );
                assert!(
                    (fdot - want.1).abs() <= 1e-13 * want.1.abs().max(1.0),
                    "n={n} Ḟ"
                );
            }
            assert_eq!(diag(3, 2.0), 15.0 * 8.0);
        }
    }
}

//! Eigenvalues of a dot-product kernel on the sphere S^{d−1} ⊂ ℝᵈ (Funk–Hecke).
//!
//! With the uniform measure, K(x, x') = f(t), t = x·x'/(|x||x'|), has the
//! spherical harmonics of degree k as eigenfunctions, with multiplicity
//! N(d, k) = (2k + d − 2)/k · C(k + d − 3, k − 1) (N(d, 0) = 1) and
//!
//! ```text
//! λ_k = ∫₀^π f(cos θ) P_k(cos θ) sin^{d−2}θ dθ / ∫₀^π sin^{d−2}θ dθ,
//! P_k = C_k^{(d/2−1)} / C_k^{(d/2−1)}(1)        (normalised Gegenbauer, P_k(1) = 1)
//! ```
//!
//! with Σ_k N(d, k) λ_k = f(1). The integral is taken in θ by Gauss–Legendre
//! quadrature ([`gauss_legendre`](super::gauss_legendre), nodes supplied by
//! the caller): dot-product kernels of networks have √(1 − t²) and arccos t
//! terms, singular in t at ±1 but smooth in θ, so the θ rule converges fast
//! (the paper's 4-layer ReLU NTK on S⁷, f(1) = 1: 400 nodes match 30-digit
//! mpmath for k ≤ 20 to 1e-12 relative or 2e-17 absolute, whichever is
//! larger — the absolute floor is the rounding ε·f(1) of the f64 kernel
//! samples, so the smallest eigenvalues there (≈ 1e-6) are good to only
//! ≈ 4e-11 relative — and agree with 800 nodes to 1e-15 absolute up to
//! k = 150; both are asserted by the crate's tests). P_k follows the stable
//! recurrence (2α + k − 1) P_k = 2(k + α − 1) t P_{k−1} − (k − 1) P_{k−2},
//! α = d/2 − 1, with |P_k| ≤ 1.
//!
//! **Truncation.** Only degrees 0 … K − 1 are computed. The tail's trace
//! T_tail = f(1) − Σ_{k<K} N(d, k) λ_k is returned: eigenlearning folds it
//! into an effective ridge (see [`Spectrum::with_tail`](crate::eigenlearning::Spectrum::with_tail)),
//! so that truncation does not bias κ.

use crate::{Error, Real, Result};

/// The multiplicity N(d, k) of degree-k spherical harmonics on S^{d−1}, in `T`.
///
/// ```
/// use ntk::spectrum::sphere_multiplicity;
/// assert_eq!(sphere_multiplicity::<f64>(3, 2), 5.0); // 2k + 1 on S²
/// assert_eq!(sphere_multiplicity::<f64>(2, 7), 2.0); // cos kθ, sin kθ
/// assert_eq!(sphere_multiplicity::<f64>(8, 2), 35.0);
/// ```
pub fn sphere_multiplicity<T: Real>(d: usize, k: usize) -> T {
    if d < 2 {
        // S⁰ = {±1}: the constant and the odd function, one each.
        return if d == 1 && k <= 1 { T::ONE } else { T::ZERO };
    }
    if k == 0 {
        return T::ONE;
    }
    // C(k + d − 3, k − 1) = Π_{i=1}^{k−1} (d − 2 + i)/i.
    // In T: d − 2 + i and 2k + d − 2 may exceed usize.
    let (d, kf) = (T::from_usize(d), T::from_usize(k));
    let mut c = T::ONE;
    for i in 1..k {
        let i = T::from_usize(i);
        c = c * (d - T::TWO + i) / i;
    }
    c * (T::TWO * kf + d - T::TWO) / kf
}

/// P_k(t) from (P_{k−2}, P_{k−1}) for k ≥ 1 (P₋₁ = 0, P₀ = 1), α = d/2 − 1:
/// (2α + k − 1) P_k = 2(k + α − 1) t P_{k−1} − (k − 1) P_{k−2}; P₁ = t.
#[inline]
fn gegenbauer_next<T: Real>(k: usize, alpha: T, t: T, (p_prev, p): (T, T)) -> T {
    if k == 1 {
        return t;
    }
    let kf = T::from_usize(k);
    (T::TWO * (kf + alpha - T::ONE) * t * p - (kf - T::ONE) * p_prev)
        / (T::TWO * alpha + kf - T::ONE)
}

/// The normalised Gegenbauer polynomial P_k(t) = C_k^{(d/2−1)}(t)/C_k^{(d/2−1)}(1)
/// (P_k(1) = 1; Chebyshev T_k for d = 2, Legendre for d = 3). The zonal
/// spherical harmonic of degree k on S^{d−1}, unit-norm for the uniform
/// measure, is √N(d, k)·P_k(x·e). Kernels reconstruct as
/// f(t) = Σ_k N(d, k) λ_k P_k(t) (Funk–Hecke). Returns 0 for d < 2.
///
/// ```
/// use ntk::spectrum::zonal_polynomial;
/// assert!((zonal_polynomial::<f64>(3, 2, 0.5) - (3.0 * 0.25 - 1.0) / 2.0).abs() < 1e-16);
/// assert!((zonal_polynomial::<f64>(2, 3, 0.3) - (4.0 * 0.027 - 0.9)).abs() < 1e-16);
/// ```
pub fn zonal_polynomial<T: Real>(d: usize, k: usize, t: T) -> T {
    if d < 2 {
        return T::ZERO;
    }
    let alpha = T::from_usize(d) * T::HALF - T::ONE;
    let mut p = (T::ZERO, T::ONE);
    for j in 1..=k {
        p = (p.1, gegenbauer_next(j, alpha, t, p));
    }
    p.1
}

/// ∫₀^π sin^m θ dθ (Wallis): W₀ = π, W₁ = 2, W_m = (m − 1)/m · W_{m−2}.
fn wallis<T: Real>(m: usize) -> T {
    let mut w = if m.is_multiple_of(2) { T::PI } else { T::TWO };
    let mut j = 2 + m % 2;
    while j <= m {
        w = w * T::from_usize(j - 1) / T::from_usize(j);
        j += 2;
    }
    w
}

/// The eigenvalues λ_0 … λ_{K−1} (K = `eigenvalues.len()`) of `kernel(t)` on
/// S^{d−1}, and the trace of the omitted tail T_tail = f(1) − Σ_{k<K} N(d, k) λ_k
/// (clamped at 0).
///
/// `nodes`, `weights`: an N-point Gauss–Legendre rule on [−1, 1] from
/// [`gauss_legendre`](super::gauss_legendre), used in θ. The integrand has
/// degree ≈ K in θ plus the kernel's own variation: take N ≥ K + 100 and check
/// convergence by doubling N.
///
/// ```
/// use ntk::spectrum::{gauss_legendre, sphere, sphere_multiplicity};
/// let (mut x, mut w) = ([0.0f64; 64], [0.0; 64]);
/// gauss_legendre(&mut x, &mut w)?;
/// // f(t) = t on S²: degree 1 only, λ₁ = 1/3 with multiplicity 3.
/// let mut lam = [0.0; 4];
/// let tail = sphere(3, |t: f64| t, &x, &w, &mut lam)?;
/// assert!((lam[1] - 1.0 / 3.0).abs() < 1e-15 && lam[0].abs() < 1e-15 && tail < 1e-15);
/// # Ok::<(), ntk::Error>(())
/// ```
///
/// Errors: d < 2, empty `nodes` or `eigenvalues`, `weights` of another length,
/// non-finite nodes, weights or kernel values, eigenvalues or a tail that
/// overflow.
pub fn sphere<T: Real>(
    d: usize,
    kernel: impl Fn(T) -> T,
    nodes: &[T],
    weights: &[T],
    eigenvalues: &mut [T],
) -> Result<T> {
    if d < 2 {
        return Err(Error::InvalidParameter {
            what: "sphere S^{d-1} needs d >= 2",
        });
    }
    if nodes.is_empty() {
        return Err(Error::Empty { what: "nodes" });
    }
    if eigenvalues.is_empty() {
        return Err(Error::Empty {
            what: "eigenvalues",
        });
    }
    if weights.len() != nodes.len() {
        return Err(Error::DimensionMismatch {
            what: "weights",
            expected: nodes.len(),
            found: weights.len(),
        });
    }
    crate::error::ensure_finite(nodes, "nodes")?;
    crate::error::ensure_finite(weights, "weights")?;
    let alpha = T::from_usize(d) * T::HALF - T::ONE;
    // θ = π(x + 1)/2 maps [−1, 1] onto [0, π]; dθ = (π/2) dx.
    let scale = T::PI * T::HALF / wallis::<T>(d - 2);
    eigenvalues.iter_mut().for_each(|l| *l = T::ZERO);
    for (&x, &w) in nodes.iter().zip(weights) {
        let theta = T::PI * T::HALF * (x + T::ONE);
        let t = theta.cos();
        let mut sin_pow = T::ONE;
        for _ in 0..d - 2 {
            sin_pow *= theta.sin();
        }
        let f = kernel(t);
        if !f.is_finite() {
            return Err(Error::NonFinite {
                what: "kernel value",
            });
        }
        let wf = w * scale * sin_pow * f;
        let mut p = (T::ZERO, T::ONE);
        for (k, lambda) in eigenvalues.iter_mut().enumerate() {
            if k > 0 {
                p = (p.1, gegenbauer_next(k, alpha, t, p));
            }
            *lambda += wf * p.1;
        }
    }
    let trace = kernel(T::ONE);
    if !trace.is_finite() {
        return Err(Error::NonFinite {
            what: "kernel value",
        });
    }
    let explained: T = eigenvalues
        .iter()
        .enumerate()
        .map(|(k, &l)| sphere_multiplicity::<T>(d, k) * l)
        .sum();
    let tail = (trace - explained).max(T::ZERO);
    crate::error::ensure_finite(eigenvalues, "eigenvalues (overflow)")?;
    match tail.is_finite() {
        true => Ok(tail),
        false => Err(Error::NonFinite {
            what: "tail trace (overflow)",
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wallis_integrals() {
        assert_eq!(wallis::<f64>(0), core::f64::consts::PI);
        assert_eq!(wallis::<f64>(1), 2.0);
        assert!((wallis::<f64>(2) - core::f64::consts::FRAC_PI_2).abs() < 1e-16);
        assert!((wallis::<f64>(3) - 4.0 / 3.0).abs() < 1e-16);
        assert!((wallis::<f64>(6) - 5.0 * core::f64::consts::PI / 16.0).abs() < 1e-15);
    }

    #[test]
    fn multiplicities_match_the_binomial_difference() {
        let c = |n: u64, r: u64| (1..=r).fold(1u64, |a, i| a * (n - r + i) / i);
        for d in 2..12u64 {
            for k in 1..15u64 {
                let want = c(k + d - 1, d - 1) - if k >= 2 { c(k + d - 3, d - 1) } else { 0 };
                assert_eq!(
                    sphere_multiplicity::<f64>(d as usize, k as usize),
                    want as f64
                );
            }
        }
    }
}

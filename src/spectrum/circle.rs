//! Eigenvalues and eigenfunctions of a dot-product kernel on the discretised
//! unit circle: M points θ_j = 2πj/M, inputs (cos θ_j, sin θ_j).
//!
//! The Gram matrix is circulant, so its eigenvectors are Fourier modes and
//! (uniform measure, eigenvalues of K/M)
//!
//! ```text
//! λ_k = (1/M) Σ_j f(cos θ_j) cos(k θ_j),   k = 0 … M − 1,   λ_k = λ_{M−k}.
//! ```
//!
//! Modes are indexed k = 0 … M − 1, each with multiplicity 1; mode k's
//! eigenfunction ([`circle_eigenfunction`]) is 1 (k = 0), √2 cos kθ
//! (0 < k < M/2), (−1)ʲ (k = M/2) and √2 sin (M − k)θ (k > M/2), orthonormal
//! for the uniform measure on the M points.

use crate::{Error, Real, Result};

/// cos(2π·jk/M) and sin(2π·jk/M), with jk reduced mod M exactly (in u64,
/// so also on 32-bit targets) before the rounding of 2π/M enters.
fn unit_root<T: Real>(j: usize, k: usize, m: usize) -> (T, T) {
    let r = (j as u64 * k as u64 % m as u64) as usize;
    let angle = T::TWO * T::PI * T::from_usize(r) / T::from_usize(m);
    (angle.cos(), angle.sin())
}

/// The eigenvalues λ_0 … λ_{M−1} (M = `eigenvalues.len()`) of `kernel(t)`,
/// t = cos(θ − θ'), on the M-point circle.
///
/// For a [`Network`](crate::Network) on unit-norm inputs of ℝ² use
/// [`DotProductKernel::unit_sphere`](super::DotProductKernel::unit_sphere)`(net, 2)`.
///
/// ```
/// // f(t) = t = cos θ cos θ' + sin θ sin θ': λ₁ = λ_{M−1} = 1/2.
/// let mut lam = [0.0f64; 8];
/// ntk::spectrum::circle(|t: f64| t, &mut lam)?;
/// assert!((lam[1] - 0.5).abs() < 1e-15 && (lam[7] - 0.5).abs() < 1e-15 && lam[0].abs() < 1e-15);
/// # Ok::<(), ntk::Error>(())
/// ```
///
/// Errors: empty `eigenvalues`, a non-finite kernel value, an eigenvalue
/// that overflows (kernel values near the largest finite number).
pub fn circle<T: Real>(kernel: impl Fn(T) -> T, eigenvalues: &mut [T]) -> Result<()> {
    let m = eigenvalues.len();
    if m == 0 {
        return Err(Error::Empty {
            what: "eigenvalues",
        });
    }
    eigenvalues.iter_mut().for_each(|l| *l = T::ZERO);
    // The kernel is sampled once per point, CHUNK samples at a time on the
    // stack; the O(M²) work is the cosines.
    const CHUNK: usize = 64;
    let mut samples = [T::ZERO; CHUNK];
    for start in (0..m).step_by(CHUNK) {
        let len = CHUNK.min(m - start);
        for (i, s) in samples.iter_mut().enumerate().take(len) {
            *s = kernel(unit_root::<T>(start + i, 1, m).0);
            if !s.is_finite() {
                return Err(Error::NonFinite {
                    what: "kernel value",
                });
            }
        }
        for (k, lambda) in eigenvalues.iter_mut().enumerate() {
            for (i, &f) in samples.iter().enumerate().take(len) {
                *lambda += f * unit_root::<T>(start + i, k, m).0;
            }
        }
    }
    let inv_m = T::ONE / T::from_usize(m);
    eigenvalues.iter_mut().for_each(|l| *l *= inv_m);
    crate::error::ensure_finite(
        eigenvalues,
        "eigenvalues (the kernel's values overflow their sum)",
    )
}

/// The value at point j (θ_j = 2πj/M) of the eigenfunction of mode k on the
/// M-point circle (see the module docs), orthonormal: (1/M) Σ_j φ_k φ_l = δ_kl.
///
/// ```
/// use ntk::spectrum::circle_eigenfunction;
/// let m = 6;
/// let norm: f64 = (0..m).map(|j| circle_eigenfunction::<f64>(m, 4, j).powi(2)).sum::<f64>() / 6.0;
/// assert!((norm - 1.0).abs() < 1e-15);
/// ```
///
/// Returns 0 for k ≥ M or M = 0.
pub fn circle_eigenfunction<T: Real>(m: usize, k: usize, j: usize) -> T {
    if k >= m {
        return T::ZERO;
    }
    let sqrt2 = T::TWO.sqrt();
    if k == 0 {
        T::ONE
    } else if 2 * k < m {
        sqrt2 * unit_root::<T>(j, k, m).0
    } else if 2 * k == m {
        if j.is_multiple_of(2) {
            T::ONE
        } else {
            -T::ONE
        }
    } else {
        sqrt2 * unit_root::<T>(j, m - k, m).1
    }
}

#[cfg(test)]
#[allow(clippy::needless_range_loop)]
mod tests {
    use super::*;

    #[test]
    fn eigenfunctions_are_orthonormal() {
        for m in [1usize, 2, 5, 10] {
            for a in 0..m {
                for b in 0..m {
                    let ip: f64 = (0..m)
                        .map(|j| {
                            circle_eigenfunction::<f64>(m, a, j)
                                * circle_eigenfunction::<f64>(m, b, j)
                        })
                        .sum::<f64>()
                        / m as f64;
                    let want = if a == b { 1.0 } else { 0.0 };
                    assert!((ip - want).abs() < 1e-14, "m={m} a={a} b={b} ip={ip}");
                }
            }
        }
    }

    #[test]
    fn eigenpairs_diagonalise_the_gram_matrix() {
        // (1/M) Σ_j' K(θ_j, θ_j') φ_k(θ_j') = λ_k φ_k(θ_j) for f(t) = exp(t).
        let m = 10;
        let mut lam = [0.0f64; 10];
        circle(|t: f64| t.exp(), &mut lam).unwrap();
        for k in 0..m {
            for j in 0..m {
                let kphi: f64 = (0..m)
                    .map(|l| {
                        let t =
                            (2.0 * core::f64::consts::PI * (j as f64 - l as f64) / m as f64).cos();
                        t.exp() * circle_eigenfunction::<f64>(m, k, l)
                    })
                    .sum::<f64>()
                    / m as f64;
                assert!((kphi - lam[k] * circle_eigenfunction::<f64>(m, k, j)).abs() < 1e-14);
            }
        }
    }
}

//! The empirical spectrum of a kernel on M sample points: the eigenvalues of
//! the integral operator for the empirical (uniform) measure on the points,
//!
//! ```text
//! λ_k = eig_k(K_XX)/M,   φ_k(x_a) = √M·U_ak,   v_k = ⟨f, φ_k⟩ = (1/M) Σ_a f(x_a) φ_k(x_a) = (Uᵀf)_k/√M,
//! ```
//!
//! with K_XX = U·diag(eig)·Uᵀ (the symmetric eigensolver
//! [`linalg::jacobi`](crate::linalg::jacobi)). This is how eigenlearning
//! treats image data sets; on a finite domain with the
//! uniform measure it is exact. Eigenvalues are returned in descending
//! order (largest first), tiny negative round-off included (the eigenlearning
//! [`Spectrum`](crate::eigenlearning::Spectrum) clamps those to 0).

use crate::linalg::jacobi;
use crate::{Error, Real, Result};

/// λ_k = eig(K)/M, descending, of the symmetric M×M Gram `gram` (lower
/// triangle read, overwritten), and optionally the orthonormal eigenvectors
/// U as columns of `vectors` (matching the order of `eigenvalues`).
///
/// ```
/// let mut k = [[2.0f64, 1.0], [1.0, 2.0]];
/// let mut lam = [0.0; 2];
/// ntk::spectrum::empirical(&mut k, &mut lam, None)?;
/// assert!((lam[0] - 1.5).abs() < 1e-15 && (lam[1] - 0.5).abs() < 1e-15);
/// # Ok::<(), ntk::Error>(())
/// ```
///
/// Errors: non-finite entries; the eigensolver not converging.
pub fn empirical<T: Real, const M: usize>(
    gram: &mut [[T; M]; M],
    eigenvalues: &mut [T; M],
    vectors: Option<&mut [[T; M]; M]>,
) -> Result<()> {
    let v = vectors.map(|v| (v.as_flattened_mut(), M));
    empirical_strided(gram.as_flattened_mut(), M, M, eigenvalues, v)
}

/// [`empirical`] on an m×m Gram stored row-major with row `stride` in a
/// slice (eigenvectors, if wanted, with their own stride).
///
/// Errors: buffers too short, non-finite entries, no convergence.
pub fn empirical_strided<T: Real>(
    gram: &mut [T],
    m: usize,
    stride: usize,
    eigenvalues: &mut [T],
    mut vectors: Option<(&mut [T], usize)>,
) -> Result<()> {
    if m == 0 {
        return Err(Error::Empty {
            what: "Gram matrix",
        });
    }
    jacobi::eigen_strided(
        gram,
        m,
        stride,
        eigenvalues,
        vectors.as_mut().map(|(v, s)| (&mut **v, *s)),
    )?;
    let scale = T::ONE / T::from_usize(m);
    eigenvalues[..m].reverse();
    eigenvalues[..m].iter_mut().for_each(|l| *l *= scale);
    if let Some((v, s)) = vectors {
        for row in 0..m {
            v[row * s..row * s + m].reverse();
        }
    }
    Ok(())
}

/// The eigencoefficients v_k = (Uᵀf)_k/√M of a function given by its values
/// `f` at the M points, from the eigenvectors of [`empirical_strided`]
/// (row stride `stride`), written to `coefficients[..M]`.
/// Parseval: Σ_k v_k² = (1/M) Σ_a f(x_a)².
///
/// Errors: lengths that do not match; non-finite values of `f`, or
/// coefficients that are not finite ([`Error::NonFinite`]; nothing is
/// written then).
pub fn empirical_coefficients<T: Real>(
    vectors: &[T],
    stride: usize,
    f: &[T],
    coefficients: &mut [T],
) -> Result<()> {
    let m = f.len();
    if coefficients.len() < m {
        return Err(Error::BufferTooSmall {
            what: "coefficients",
            needed: m,
            found: coefficients.len(),
        });
    }
    let needed = crate::linalg::square_len(m, stride).ok_or(Error::SizeOverflow {
        what: "eigenvectors",
    })?;
    if m == 0 || stride < m || vectors.len() < needed {
        return Err(Error::BufferTooSmall {
            what: "eigenvectors",
            needed: needed.max(1),
            found: vectors.len(),
        });
    }
    crate::error::ensure_finite(f, "function values")?;
    let inv_sqrt_m = T::ONE / T::from_usize(m).sqrt();
    let coefficient =
        |k: usize| (0..m).map(|a| vectors[a * stride + k] * f[a]).sum::<T>() * inv_sqrt_m;
    // Checked before writing: nothing is written on error.
    if !(0..m).all(|k| coefficient(k).is_finite()) {
        return Err(Error::NonFinite {
            what: "eigencoefficients (non-finite eigenvectors, or overflow)",
        });
    }
    for (k, c) in coefficients.iter_mut().enumerate().take(m) {
        *c = coefficient(k);
    }
    Ok(())
}

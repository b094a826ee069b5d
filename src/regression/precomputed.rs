//! [`Precomputed`]: the regression's t = ∞ numerics on a Gram matrix the
//! caller supplies, for any kernel (a [`Kernel`](crate::kernel::Kernel), a
//! kernel of another crate, a matrix from disk).

use super::model::check_len;
use super::Ridge;
use crate::error::ensure_finite;
use crate::gram::RowMajor;
use crate::linalg::cholesky::{self, dot};
use crate::{Error, Real, Result};

/// Kernel ridge regression (the GP posterior mean and variance) on a
/// precomputed training Gram matrix K = K(X, X), n×n:
///
/// ```text
/// A = K + λI = L·Lᵀ,   α = A⁻¹Y,   mean(x) = K(x, X)·α,   var(x) = k(x, x) − K(x, X)·A⁻¹·K(X, x)
/// ```
///
/// λ follows [`Ridge`] (relative: r·trace(K)/n). The arithmetic is
/// [`Model`](super::Model)'s, step for step: on the network's Gram matrix
/// (from [`Gram::symmetric`](crate::gram::Gram::symmetric)) α and the
/// [`means_into`](Precomputed::means_into) of Gram rows equal the
/// [`Model`](super::Model)'s (one thread) bit for bit. The variance is the
/// NNGP-regime formula (the GP posterior of the given kernel). Buffers are
/// the caller's; no allocation.
///
/// ```
/// use ntk::gram::{Points, RowMajor};
/// use ntk::kernel::{self, Rbf};
/// use ntk::regression::{Precomputed, Ridge};
///
/// let xs = [[0.0f64], [0.5], [1.0], [1.5]];
/// let y = [0.0, 0.25, 1.0, 2.25];
/// let (x, rbf) = (Points::from_arrays(&xs)?, Rbf::new(0.7, 1.0)?);
/// let (mut k, mut alpha) = ([0.0; 16], [0.0; 4]);
/// kernel::symmetric(&rbf, &x, RowMajor(&mut k, 4))?;
/// let model = Precomputed::fit(RowMajor(&mut k, 4), 4, &y, Ridge::Absolute(1e-9), &mut alpha)?;
/// let mut row = [0.0; 4]; // K(x*, X) at x* = 1.0, a training point
/// kernel::matrix(&rbf, &Points::new(&[1.0], 1)?, &x, RowMajor(&mut row, 4))?;
/// let mut mean = [0.0];
/// model.means_into(&row, &mut mean)?;
/// assert!((mean[0] - 1.0).abs() < 1e-6);
/// assert!(model.variance(1.0, &row, &mut [0.0; 4])? < 1e-6);
/// # Ok::<(), ntk::Error>(())
/// ```
#[derive(Debug)]
pub struct Precomputed<'a, T> {
    chol: &'a [T],
    alpha: &'a [T],
    n: usize,
    stride: usize,
    outputs: usize,
    lambda: T,
}

impl<'a, T: Real> Precomputed<'a, T> {
    /// Fits on K in `gram` (n×n row-major; the lower triangle and diagonal
    /// are read and overwritten by the factor L, the strict upper triangle
    /// is left as given), targets `y` (n×O row-major, O = `y.len()/n`),
    /// writing α (n×O) into `alpha`. O(n³/3).
    ///
    /// Errors: n = 0, short buffers, stride < n, `y` not a multiple of n,
    /// a non-finite K (lower triangle) or y, an invalid ridge;
    /// [`Error::NotPositiveDefinite`] with an estimate of the absolute ridge
    /// that would work (the factor is then partial); an α or a diagonal plus
    /// ridge that overflows ([`Error::NonFinite`]).
    pub fn fit(
        gram: RowMajor<'a, T>,
        n: usize,
        y: &[T],
        ridge: Ridge<T>,
        alpha: &'a mut [T],
    ) -> Result<Self> {
        let RowMajor(k, stride) = gram;
        if n == 0 {
            return Err(Error::Empty {
                what: "training Gram matrix",
            });
        }
        if stride < n {
            return Err(Error::InvalidParameter {
                what: "Gram stride must be >= n",
            });
        }
        let needed = (n - 1).saturating_mul(stride).saturating_add(n);
        check_len(k.len(), needed, "training Gram matrix")?;
        if y.is_empty() || !y.len().is_multiple_of(n) {
            return Err(Error::DimensionMismatch {
                what: "training targets (n×O)",
                expected: n,
                found: y.len(),
            });
        }
        let outputs = y.len() / n;
        check_len(alpha.len(), y.len(), "alpha")?;
        let v = ridge.value();
        if !(v.is_finite() && v >= T::ZERO) {
            return Err(Error::InvalidParameter {
                what: "ridge must be finite and >= 0",
            });
        }
        for i in 0..n {
            ensure_finite(&k[i * stride..i * stride + i + 1], "training Gram matrix")?;
        }
        ensure_finite(y, "training targets")?;
        // As `Model`: λ from the mean diagonal, added to it, then the factor.
        let trace: T = (0..n).map(|i| k[i * stride + i]).sum();
        let lambda = ridge.absolute(trace / T::from_usize(n));
        if !(lambda.is_finite() && (0..n).all(|i| (k[i * stride + i] + lambda).is_finite())) {
            return Err(Error::NonFinite {
                what: "Gram diagonal plus ridge (overflow)",
            });
        }
        for i in 0..n {
            k[i * stride + i] += lambda;
        }
        if let Err(mut e) = cholesky::factor_strided(k, n, stride) {
            // The factor's estimate is on top of the λ already added.
            if let Error::NotPositiveDefinite {
                suggested_ridge, ..
            } = &mut e
            {
                *suggested_ridge += lambda.to_f64();
            }
            return Err(e);
        }
        solve_alpha(k, n, stride, y, alpha, outputs);
        ensure_finite(&alpha[..y.len()], "dual coefficients α (overflow)")?;
        Ok(Precomputed {
            chol: k,
            alpha,
            n,
            stride,
            outputs,
            lambda,
        })
    }

    /// Number of training points n.
    pub fn len(&self) -> usize {
        self.n
    }

    /// Always `false` (a fit has n ≥ 1).
    pub fn is_empty(&self) -> bool {
        self.n == 0
    }

    /// The absolute λ used.
    pub fn lambda(&self) -> T {
        self.lambda
    }

    /// α = A⁻¹Y (n×O, row-major).
    pub fn alpha(&self) -> &[T] {
        &self.alpha[..self.n * self.outputs]
    }

    /// The means at m queries: `k_query` = K(X*, X) (m×n row-major), `out`
    /// m×O (row-major).
    ///
    /// Errors: `k_query` not a multiple of n, `out` too short, non-finite values.
    pub fn means_into(&self, k_query: &[T], out: &mut [T]) -> Result<()> {
        let (n, o) = (self.n, self.outputs);
        if !k_query.len().is_multiple_of(n) {
            return Err(Error::DimensionMismatch {
                what: "query kernel rows (m×n)",
                expected: k_query.len().div_ceil(n) * n,
                found: k_query.len(),
            });
        }
        let m = k_query.len() / n;
        check_len(out.len(), m.saturating_mul(o), "means output")?;
        ensure_finite(k_query, "query kernel rows")?;
        super::kernel_matrix::k_alpha(k_query, self.alpha(), &mut out[..m * o], n);
        ensure_finite(&out[..m * o], "prediction")
    }

    /// The posterior variance k(x, x) − K(x, X)·A⁻¹·K(X, x) at one query,
    /// from `k_xx` = k(x, x) and `k_row` = K(x, X) (n); `work` needs n scalars.
    ///
    /// Errors: wrong lengths, non-finite values.
    pub fn variance(&self, k_xx: T, k_row: &[T], work: &mut [T]) -> Result<T> {
        let n = self.n;
        if k_row.len() != n {
            return Err(Error::DimensionMismatch {
                what: "query kernel row",
                expected: n,
                found: k_row.len(),
            });
        }
        check_len(work.len(), n, "work")?;
        ensure_finite(k_row, "query kernel row")?;
        ensure_finite(&[k_xx], "query kernel diagonal")?;
        let w = &mut work[..n];
        w.copy_from_slice(k_row);
        // ‖L⁻¹k‖² = kᵀA⁻¹k.
        let _ = cholesky::lower(self.chol, n, self.stride, w, 1);
        let v = k_xx - dot(w, w);
        ensure_finite(&[v], "variance").map(|()| v)
    }
}

/// α = A⁻¹Y from the factor L of A (row stride `stride`), one output column
/// at a time (O(n²·O)); `alpha` and `y` are n×O. The buffers are sized by the
/// callers: a short one leaves α partly solved (never panics).
pub(super) fn solve_alpha<T: Real>(
    chol: &[T],
    n: usize,
    stride: usize,
    y: &[T],
    alpha: &mut [T],
    outputs: usize,
) {
    for (a, y) in alpha.iter_mut().zip(y).take(n * outputs) {
        *a = *y;
    }
    for m in 0..outputs {
        let Some(col) = alpha.get_mut(m..) else {
            break;
        };
        let solved = cholesky::lower(chol, n, stride, col, outputs)
            .and_then(|()| cholesky::upper(chol, n, stride, col, outputs));
        debug_assert!(solved.is_some());
    }
}

//! The predictive covariance of m query points in one call: the whole m×m
//! matrix from one pass over the training set, instead of m² calls of
//! [`Model::covariance_with`] that each stream Σ(X, X) again.

use super::{check_len, dot, Model, Shape, Storage, Time};
use crate::error::ensure_finite;
use crate::gram::LaneReal;
use crate::regression::storage::Inline;
use crate::regression::Regime;
use crate::{Error, Result};

/// The three m×n blocks of [`Model::covariance_matrix_into`]'s work.
struct Blocks<'w, T> {
    /// K(xᵢ, X) of the regime, then (A⁻¹ or the flow operator) applied: Mᵢ.
    a: &'w mut [T],
    /// Σ(xᵢ, X).
    nngp: &'w mut [T],
    /// Σ(X, X)·Mᵢ (regime NTK only).
    u: &'w mut [T],
    /// n scratch scalars for the finite-time operator.
    tmp: &'w mut [T],
}

/// Work scalars [`Model::covariance_matrix_into`] needs for `m` queries on a
/// model of capacity `capacity`: (3·m + 1)·N. Saturates instead of overflowing
/// (a saturated length is then refused as too large for any buffer).
pub const fn covariance_work_len(capacity: usize, m: usize) -> usize {
    m.saturating_mul(3)
        .saturating_add(1)
        .saturating_mul(capacity)
}

impl<T: LaneReal, S: Storage<T>> Model<T, S> {
    /// The predictive covariance matrix C (m×m, row-major, into
    /// `out[..m·m]`) of the m query points `xs` (m×D, row-major) at the given
    /// training time, in one call: Cᵢⱼ = [`Model::covariance_with`]`(xᵢ, xⱼ)`
    /// (the formulas of the [module doc](super::super); neural-tangents'
    /// `predict_fn(t, x_test, get, compute_cov=True).covariance`):
    ///
    /// ```text
    /// NNGP regime: C = Σ(Xₜ, Xₜ) − Σ(Xₜ, X)·G₂·Σ(X, Xₜ)
    /// NTK regime:  C = Σ(Xₜ, Xₜ) + Mᵀ·Σ(X, X)·M − Σ(Xₜ, X)·M − Mᵀ·Σ(X, Xₜ),  M = G·Θ(X, Xₜ)
    /// ```
    ///
    /// with G = A⁻¹ at t = ∞ and G = V·diag(g(τ))·Vᵀ at finite t (G₂: τ
    /// doubled). The NTK regime streams Σ(X, X) once for all m² entries
    /// (n(n+1)/2 kernel evaluations and O(n²·m) products) instead of once
    /// per entry. The NNGP-regime entries are bitwise those of
    /// [`Model::covariance_with`]; the NTK-regime entries differ from it by
    /// rounding only (the sums run in another order).
    ///
    /// `work` needs [`covariance_work_len`]`(N, m)` = (3m + 1)·N scalars.
    ///
    /// Errors: [`Error::NotFitted`], `xs` not a multiple of D or not finite,
    /// `out` or `work` too small, an invalid or stale [`Time`], a non-finite
    /// result. m = 0 writes nothing.
    ///
    /// ```
    /// use ntk::regression::{covariance_work_len, Regime, Ridge, SliceRegressor, Workspace};
    /// use ntk::regression::Time;
    /// use ntk::{Activation, Network};
    /// let net = Network::<f64>::new(2, Activation::Relu)?.with_std(1.5, Some(0.1))?;
    /// let mut buf = vec![0.0; Workspace::<f64>::required_len(8, 2, 1)];
    /// let mut reg = SliceRegressor::with_storage(net, Regime::Ntk, Ridge::Absolute(1e-6),
    ///     Workspace::new(&mut buf, 8, 2, 1)?)?;
    /// reg.fit_rows(&[0.0, 1.0, 1.0, 0.0, 1.0, 1.0], &[1.0, -1.0, 0.5])?;
    /// let xs = [0.5, 0.5, -1.0, 0.3, 2.0, 1.0]; // 3 queries
    /// let (mut cov, mut work) = ([0.0; 9], vec![0.0; covariance_work_len(8, 3)]);
    /// reg.covariance_matrix_into(&xs, &Time::Infinite, &mut cov, &mut work)?;
    /// let mut w = [0.0; 40];
    /// let c12 = reg.covariance_with(&xs[2..4], &xs[4..6], &Time::Infinite, &mut w)?;
    /// assert!((cov[1 * 3 + 2] - c12).abs() <= 1e-12 * cov[4].abs());
    /// # Ok::<(), ntk::Error>(())
    /// ```
    pub fn covariance_matrix_into(
        &self,
        xs: &[T],
        time: &Time<'_, T>,
        out: &mut [T],
        work: &mut [T],
    ) -> Result<()> {
        let m = self.check_batch(xs, time)?;
        if m == 0 {
            return Ok(());
        }
        let n = self.len;
        let (mm, mn) = (product(m, m)?, product(m, n)?);
        check_len(out.len(), mm, "covariance output")?;
        check_len(work.len(), product(mn, 3)? + n, "work")?;
        let (a, rest) = work.split_at_mut(mn);
        let (nngp, rest) = rest.split_at_mut(mn);
        let (u, rest) = rest.split_at_mut(mn);
        let blocks = Blocks {
            a,
            nngp,
            u,
            tmp: &mut rest[..n],
        };
        self.covariances(xs, time, &mut out[..mm], blocks)
    }

    /// C into `out` (m×m) with the caller's blocks (see [`Blocks`]).
    fn covariances(
        &self,
        xs: &[T],
        time: &Time<'_, T>,
        out: &mut [T],
        b: Blocks<'_, T>,
    ) -> Result<()> {
        let (n, dim) = (self.len, self.shape().dim);
        let m = xs.len() / dim;
        let queries = || xs.chunks_exact(dim);
        let rows = b.a.chunks_exact_mut(n).zip(b.nngp.chunks_exact_mut(n));
        for (x, (a, nx)) in queries().zip(rows) {
            self.kernel_rows(x, a, Some(nx))?;
        }
        // The prior Σ(xᵢ, xⱼ), computed as `covariance_with` does.
        for (x, row) in queries().zip(out.chunks_exact_mut(m)) {
            let px = self.net.point(x)?;
            for (z, c) in queries().zip(row.iter_mut()) {
                *c = self
                    .net
                    .kernels_of(&px, &self.net.point(z)?, dot(x, z))
                    .nngp;
            }
        }
        let double = self.regime == Regime::Nngp;
        for a in b.a.chunks_exact_mut(n) {
            self.apply(time, double, a, b.tmp);
        }
        let (a, nngp) = (&*b.a, &*b.nngp);
        let row = |blk, i| row(blk, i, n);
        match self.regime {
            Regime::Nngp => {
                for (i, c) in out.chunks_exact_mut(m).enumerate() {
                    for (j, cij) in c.iter_mut().enumerate() {
                        *cij -= dot(row(a, i), row(nngp, j));
                    }
                }
            }
            Regime::Ntk => {
                self.nngp_times(a, b.u, m)?;
                let u = &*b.u;
                for (i, c) in out.chunks_exact_mut(m).enumerate() {
                    for (j, cij) in c.iter_mut().enumerate() {
                        *cij = *cij + dot(row(a, i), row(u, j))
                            - dot(row(a, i), row(nngp, j))
                            - dot(row(a, j), row(nngp, i));
                    }
                }
            }
        }
        ensure_finite(out, "covariance")
    }

    /// uⱼ = Σ(X, X)·aⱼ for the m rows aⱼ of `a` (each n long), streaming
    /// Σ(X, X) once, each pair once (the matrix is not stored).
    fn nngp_times(&self, a: &[T], u: &mut [T], m: usize) -> Result<()> {
        let Shape { dim, .. } = self.shape();
        let n = self.len;
        let train = super::prefix(self.storage.parts().x, n * dim)?;
        u.fill(T::ZERO);
        self.pairwise.lower(&self.net, train, |p, q, k| {
            let s = k.nngp;
            for j in 0..m {
                let (aj, uj) = (&a[j * n..(j + 1) * n], &mut u[j * n..(j + 1) * n]);
                uj[p] += s * aj[q];
                if p != q {
                    uj[q] += s * aj[p];
                }
            }
        });
        Ok(())
    }

    /// m for a batch of query points `xs` (m×D) at `time`: checks the fit,
    /// the time, the length and finiteness.
    pub(super) fn check_batch(&self, xs: &[T], time: &Time<'_, T>) -> Result<usize> {
        self.check_fitted()?;
        self.check_time(time)?;
        let dim = self.shape().dim;
        if !xs.len().is_multiple_of(dim) {
            return Err(Error::DimensionMismatch {
                what: "query points (m×D)",
                expected: xs.len().div_ceil(dim) * dim,
                found: xs.len(),
            });
        }
        ensure_finite(xs, "query points")?;
        Ok(xs.len() / dim)
    }
}

impl<T: LaneReal, const N: usize, const D: usize, const O: usize> Model<T, Inline<T, N, D, O>> {
    /// The predictive covariance matrix of the `M` points `xs`
    /// ([`Model::covariance_matrix_into`]), work on the stack: (3M + 1)·N scalars.
    pub fn covariance_matrix<const M: usize>(
        &self,
        xs: &[[T; D]; M],
        time: &Time<'_, T>,
    ) -> Result<[[T; M]; M]> {
        let mut out = [[T::ZERO; M]; M];
        let mut blocks = [[[T::ZERO; N]; M]; 3];
        let mut tmp = [T::ZERO; N];
        let xs = xs.as_flattened();
        self.check_batch(xs, time)?;
        let n = self.len;
        let [a, nngp, u] = blocks
            .each_mut()
            .map(|b| &mut b.as_flattened_mut()[..M * n]);
        // Rows of stride n, as `covariance_matrix_into` lays them out.
        let blocks = Blocks {
            a,
            nngp,
            u,
            tmp: &mut tmp[..n],
        };
        if M > 0 {
            self.covariances(xs, time, out.as_flattened_mut(), blocks)?;
        }
        Ok(out)
    }
}

/// a·b, or [`Error::CapacityExceeded`] if it overflows.
pub(super) fn product(a: usize, b: usize) -> Result<usize> {
    a.checked_mul(b).ok_or(Error::CapacityExceeded {
        capacity: usize::MAX,
    })
}

/// Row i (n long) of a row-major block.
fn row<T>(blk: &[T], i: usize, n: usize) -> &[T] {
    &blk[i * n..(i + 1) * n]
}

//! Predictions: the mean at one or many queries and the covariance of two.

#[cfg(feature = "std")]
use super::super::threads;
use super::{
    add_row, check_len, prefix, put, split_work, Model, Shape, Storage, Time, WORK_PER_CAPACITY,
};
use crate::error::ensure_finite;
#[cfg(feature = "std")]
use crate::gram::Gram;
use crate::gram::LaneReal;
use crate::kernel::Kernel;
use crate::linalg::cholesky::{self, dot};
#[cfg(feature = "std")]
use crate::regression::kernel_matrix::TILES;
use crate::regression::kernel_matrix::{block, k_alpha, kernel, pick};
use crate::regression::Regime;
use crate::{Error, Network, Real, Result};

impl<T: LaneReal, S: Storage<T>, K: Kernel<T>> Model<T, S, K> {
    /// The predicted mean of each output at `x` (into `out[..O]`) at the
    /// given training time. `work` needs N scalars for t = ∞ (unused: the
    /// scalar pairwise loop sums K(x, X)·α as it forms the row), 2·N for
    /// finite t (the kernel row and a temporary).
    ///
    /// Errors: [`Error::NotFitted`], wrong lengths, non-finite `x`, buffers
    /// too small, an invalid or stale [`Time`].
    // Inlined: a caller's constant `Time::Infinite` (the C interface's
    // predict) then links no finite-time code (2.5 KB on a Cortex-M4F).
    #[inline]
    pub fn mean_into(
        &self,
        x: &[T],
        time: &Time<'_, T>,
        out: &mut [T],
        work: &mut [T],
    ) -> Result<()> {
        match time {
            Time::Infinite => self.mean_at_infinity(x, out, work),
            Time::Finite { .. } => self.mean_at(x, time, out, work),
        }
    }

    /// [`Model::mean_into`] at t = ∞: K(x, X)·α summed as the row is formed
    /// (the same sums, one pass).
    fn mean_at_infinity(&self, x: &[T], out: &mut [T], work: &mut [T]) -> Result<()> {
        let out = self.check_mean(x, out, work, 1)?;
        let parts = self.storage.parts();
        let dim = self.shape().dim;
        let train = prefix(parts.x, self.len * dim)?;
        match self.net() {
            Some((net, regime, pairwise)) => pairwise.row(net, x, train, |i, kx| {
                add_row(out, pick(regime, kx), parts.alpha, i);
            }),
            None => {
                for (i, xi) in train.chunks_exact(dim.max(1)).enumerate() {
                    add_row(out, self.kernel.eval(x, xi)?, parts.alpha, i);
                }
            }
        }
        ensure_finite(out, "prediction")
    }

    /// [`Model::mean_into`] at a finite time.
    fn mean_at(&self, x: &[T], time: &Time<'_, T>, out: &mut [T], work: &mut [T]) -> Result<()> {
        self.check_time(time)?;
        let out = self.check_mean(x, out, work, 2)?;
        let (k, tmp) = split_work(work, self.len)?;
        self.kernel_rows(x, k, None)?;
        self.apply(time, false, k, tmp);
        for (i, &ki) in k.iter().enumerate() {
            add_row(out, ki, self.storage.parts().y, i);
        }
        ensure_finite(out, "prediction")
    }

    /// Checks a mean's query and buffers (`work` of `rows`·N); `out[..O]`, zeroed.
    fn check_mean<'o>(
        &self,
        x: &[T],
        out: &'o mut [T],
        work: &[T],
        rows: usize,
    ) -> Result<&'o mut [T]> {
        self.check_query(x)?;
        let o = self.shape().outputs;
        check_len(out.len(), o, "mean output")?;
        check_len(work.len(), rows * self.len, "work")?;
        let out = &mut out[..o];
        out.fill(T::ZERO);
        Ok(out)
    }

    /// The t = ∞ means at m query points at once: `xs` is m×D, `out` m×O
    /// (row-major), `work` needs m·N scalars (the m×n kernel block, one
    /// [`Gram`](crate::gram::Gram) tile call, then K·α). Faster than m calls of
    /// [`Model::mean_into`] when m is large.
    ///
    /// Errors: as [`Model::mean_into`]; `xs` not a multiple of D.
    pub fn means_into(&self, xs: &[T], out: &mut [T], work: &mut [T]) -> Result<()> {
        self.check_fitted()?;
        let Shape {
            dim, outputs: o, ..
        } = self.shape();
        let n = self.len;
        if !xs.len().is_multiple_of(dim) {
            return Err(Error::DimensionMismatch {
                what: "query points (m×D)",
                expected: xs.len().div_ceil(dim) * dim,
                found: xs.len(),
            });
        }
        let m = xs.len() / dim;
        if m == 0 {
            return Ok(());
        }
        check_len(out.len(), m.saturating_mul(o), "means output")?;
        check_len(work.len(), m.saturating_mul(n), "work")?;
        ensure_finite(xs, "query points")?;
        let parts = self.storage.parts();
        // Sized by the checks above and by the storage: never `None`.
        let (Some(alpha), Some(work), Some(out)) = (
            parts.alpha.get(..n * o),
            work.get_mut(..m * n),
            out.get_mut(..m * o),
        ) else {
            return Err(Error::BufferTooSmall {
                what: "means output or work",
                needed: m * n,
                found: work.len(),
            });
        };
        let train = prefix(parts.x, n * dim)?;
        #[cfg(feature = "std")]
        if let Some(k) = self.kernel.network_kernel().filter(|_| TILES) {
            let threads = self
                .threads()
                .min(m * n / threads::MIN_QUERY_ENTRIES_PER_THREAD);
            if threads > 1 {
                let k = (&Gram::new(*k.network()), k.regime());
                threads::means(k, (xs, train, dim), alpha, out, work, threads)?;
                return ensure_finite(out, "prediction");
            }
        }
        block(&self.kernel, self.pairwise.as_ref(), (xs, train, dim), work)?;
        k_alpha(work, alpha, out, n);
        ensure_finite(out, "prediction")
    }

    /// The covariance of the predictions at `x` and `z` (shared by all
    /// outputs) at the given training time: the NNGP posterior covariance
    /// (regime NNGP) or the covariance of the ensemble of infinitely wide
    /// networks trained by gradient descent (regime NTK); see the module doc.
    /// `work` needs [`WORK_PER_CAPACITY`]`·N` scalars. O(n²) for the NNGP
    /// regime; the NTK regime also streams Σ(X, X) (O(n²·(D + L))).
    ///
    /// Errors: as [`Model::mean_into`].
    pub fn covariance_with(
        &self,
        x: &[T],
        z: &[T],
        time: &Time<'_, T>,
        work: &mut [T],
    ) -> Result<T> {
        self.check_query(x)?;
        self.check_query(z)?;
        self.check_time(time)?;
        let n = self.len;
        check_len(work.len(), WORK_PER_CAPACITY * n, "work")?;
        let prior = self.prior(x, z)?;
        let (nx, rest) = split_work(work, n)?;
        let (nz, rest) = split_work(rest, n)?;
        let (a, rest) = split_work(rest, n)?;
        let (b, tmp) = split_work(rest, n)?;
        self.kernel_rows(x, a, Some(nx))?;
        self.kernel_rows(z, b, Some(nz))?;
        let cov = match self.net() {
            Some((net, Regime::Ntk, _)) => {
                self.apply(time, false, a, tmp);
                self.apply(time, false, b, tmp);
                prior + self.nngp_form(net, a, b) - dot(a, nz) - dot(b, nx)
            }
            _ => {
                self.apply(time, true, a, tmp);
                prior - dot(a, nz)
            }
        };
        ensure_finite(&[cov], "covariance")?;
        Ok(cov)
    }

    /// v ← A⁻¹v (t = ∞) or V·diag(g(τ))·Vᵀ·v (τ doubled if `double`).
    pub(super) fn apply(&self, time: &Time<'_, T>, double: bool, v: &mut [T], tmp: &mut [T]) {
        let (n, cap) = (self.len, self.shape().capacity);
        match *time {
            Time::Infinite => {
                let chol = self.storage.parts().chol;
                // The buffers are sized by construction: never `None`.
                let solved = cholesky::lower(chol, n, cap, v, 1)
                    .and_then(|()| cholesky::upper(chol, n, cap, v, 1));
                debug_assert!(solved.is_some());
            }
            Time::Finite {
                t,
                learning_rate,
                basis,
            } => {
                let scale = if double { T::TWO } else { T::ONE };
                let tau = scale * learning_rate * t / T::from_usize(n * self.shape().outputs);
                // `get`: in bounds by construction; no panic path on firmware.
                let at = |i, k| basis.get(i, k).unwrap_or(T::ZERO);
                for (k, (tk, &e)) in tmp.iter_mut().zip(basis.values()).enumerate().take(n) {
                    let proj: T = v
                        .iter()
                        .take(n)
                        .enumerate()
                        .map(|(i, &vi)| at(i, k) * vi)
                        .sum();
                    *tk = proj * flow_gain(e, tau);
                }
                for (i, vi) in v.iter_mut().enumerate().take(n) {
                    *vi = tmp
                        .iter()
                        .take(n)
                        .enumerate()
                        .map(|(k, &tk)| at(i, k) * tk)
                        .sum();
                }
            }
        }
    }

    /// aᵀ·Σ(X, X)·b, streamed pair by pair (Σ(X, X) is not stored).
    fn nngp_form(&self, net: &Network<T>, a: &[T], b: &[T]) -> T {
        let mut s = T::ZERO;
        let ab = || a.iter().zip(b).take(self.len).enumerate();
        for (i, (&ai, &bi)) in ab() {
            let xi = self.row(i);
            let pi = net.point_from_sq_norm(dot(xi, xi), xi.len());
            for (j, (&aj, &bj)) in ab().take(i + 1) {
                let k = kernel(net, self.row(j), xi, &pi).nngp;
                s += if i == j {
                    ai * bi * k
                } else {
                    (ai * bj + aj * bi) * k
                };
            }
        }
        s
    }

    /// The regime kernel (and optionally the NNGP) between `x` and each
    /// training point: for a network kernel by the scalar pair loop
    /// (cheaper than a 1×n tile), else by [`Kernel::eval`] (then both rows
    /// are k). `x` is checked by the caller.
    pub(super) fn kernel_rows(
        &self,
        x: &[T],
        regime_row: &mut [T],
        mut nngp_row: Option<&mut [T]>,
    ) -> Result<()> {
        let (n, dim) = (self.len, self.shape().dim);
        let train = prefix(self.storage.parts().x, n * dim)?;
        let Some((net, regime, pairwise)) = self.net() else {
            for (j, xj) in train.chunks_exact(dim.max(1)).enumerate() {
                let v = self.kernel.eval(x, xj)?;
                put(regime_row, j, v);
                if let Some(row) = nngp_row.as_deref_mut() {
                    put(row, j, v);
                }
            }
            return Ok(());
        };
        pairwise.row(net, x, train, |j, k| {
            put(regime_row, j, pick(regime, k));
            if let Some(row) = nngp_row.as_deref_mut() {
                put(row, j, k.nngp);
            }
        });
        Ok(())
    }
}

/// g(τ) = (1 − exp(−max(e, 0)·τ)) / |e| (τ already divided by N), with its
/// limit τ at e = 0 (neural-tangents returns NaN there).
fn flow_gain<T: Real>(e: T, tau: T) -> T {
    if e == T::ZERO {
        return tau;
    }
    -(-(e.max(T::ZERO)) * tau).exp_m1() / e.abs()
}

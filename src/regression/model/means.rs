//! The means of m query points at one training time in one call.

use super::covariance::product;
use super::{check_len, dot, prefix, Model, Storage, Time};
use crate::error::ensure_finite;
use crate::gram::LaneReal;
use crate::kernel::Kernel;
use crate::regression::kernel_matrix::block;
use crate::regression::storage::Inline;
use crate::Result;

/// Work scalars [`Model::means_at_into`] needs for `m` queries on a model of
/// capacity `capacity` with `outputs` outputs at a finite time:
/// (m + O + 1)·N (at t = ∞, m·N suffice). Saturates instead of overflowing.
pub const fn means_work_len(capacity: usize, outputs: usize, m: usize) -> usize {
    m.saturating_add(outputs)
        .saturating_add(1)
        .saturating_mul(capacity)
}

impl<T: LaneReal, S: Storage<T>, K: Kernel<T>> Model<T, S, K> {
    /// The means of the m query points `xs` (m×D, row-major) at the given
    /// training time, into `out` (m×O, row-major). At t = ∞ this is
    /// [`Model::means_into`] (work m·N). At a finite time the flow weights
    /// W = V·diag(g(τ))·Vᵀ·Y (n×O, O(n²·O)) are formed once and every query
    /// costs one kernel row and O(n·O):
    ///
    /// ```text
    /// mean(xⱼ) = K(xⱼ, X)·V·diag(g(τ))·Vᵀ·Y,   g(τ)ᵢ = (1 − exp(−max(eᵢ, 0)·τ/(n·O)))/|eᵢ|
    /// ```
    ///
    /// instead of O(n²) per query in [`Model::mean_into`]. The results equal
    /// [`Model::mean_into`]'s to rounding (the kernel rows come from the
    /// [`Gram`](crate::gram::Gram) tiles on hosts and the products are associated differently).
    ///
    /// `work` needs [`means_work_len`]`(N, O, m)` = (m + O + 1)·N scalars.
    ///
    /// Errors: as [`Model::means_into`]; an invalid or stale [`Time`].
    pub fn means_at_into(
        &self,
        xs: &[T],
        time: &Time<'_, T>,
        out: &mut [T],
        work: &mut [T],
    ) -> Result<()> {
        if let Time::Infinite = time {
            return self.means_into(xs, out, work);
        }
        let m = self.check_batch(xs, time)?;
        if m == 0 {
            return Ok(());
        }
        let (n, o) = (self.len, self.shape().outputs);
        let (mn, mo) = (product(m, n)?, product(m, o)?);
        check_len(out.len(), mo, "means output")?;
        let needed = mn.checked_add(product(o + 1, n)?);
        check_len(work.len(), needed.unwrap_or(usize::MAX), "work")?;
        let (k, rest) = work.split_at_mut(mn);
        let (w, rest) = rest.split_at_mut(n * o);
        self.flow_means(xs, time, &mut out[..mo], [k, w, &mut rest[..n]])
    }

    /// The finite-time means with the caller's buffers: the m×n kernel
    /// block, the O×n flow weights (one output per row), n scratch scalars.
    fn flow_means(
        &self,
        xs: &[T],
        time: &Time<'_, T>,
        out: &mut [T],
        [k, w, tmp]: [&mut [T]; 3],
    ) -> Result<()> {
        let (n, o, dim) = (self.len, self.shape().outputs, self.shape().dim);
        let parts = self.storage.parts();
        for (c, wc) in w.chunks_exact_mut(n).enumerate() {
            for (wi, y) in wc.iter_mut().zip(parts.y.chunks_exact(o)) {
                *wi = y[c];
            }
            self.apply(time, false, wc, tmp);
        }
        let train = prefix(parts.x, n * dim)?;
        block(&self.kernel, self.pairwise.as_ref(), (xs, train, dim), k)?;
        for (kj, row) in k.chunks_exact(n).zip(out.chunks_exact_mut(o)) {
            for (r, wc) in row.iter_mut().zip(w.chunks_exact(n)) {
                *r = dot(kj, wc);
            }
        }
        ensure_finite(out, "prediction")
    }
}

impl<T: LaneReal, K: Kernel<T>, const N: usize, const D: usize, const O: usize>
    Model<T, Inline<T, N, D, O>, K>
{
    /// The means of the `M` points `xs` at a training time
    /// ([`Model::means_at_into`]), work on the stack: (M + O + 1)·N scalars.
    pub fn predict_many_at<const M: usize>(
        &self,
        xs: &[[T; D]; M],
        time: &Time<'_, T>,
    ) -> Result<[[T; O]; M]> {
        let mut out = [[T::ZERO; O]; M];
        let (mut k, mut w, mut tmp) = ([[T::ZERO; N]; M], [[T::ZERO; N]; O], [T::ZERO; N]);
        let (xs, flat) = (xs.as_flattened(), out.as_flattened_mut());
        if let Time::Infinite = time {
            self.means_into(xs, flat, k.as_flattened_mut())?;
            return Ok(out);
        }
        self.check_batch(xs, time)?;
        let n = self.len;
        let bufs = [
            &mut k.as_flattened_mut()[..M * n],
            &mut w.as_flattened_mut()[..O * n],
            &mut tmp[..n],
        ];
        if M > 0 {
            self.flow_means(xs, time, flat, bufs)?;
        }
        Ok(out)
    }
}

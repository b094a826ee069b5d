//! The predictive covariance of m query points in one call: the whole m×m
//! matrix from one pass over the training set, instead of m² calls of
//! [`Model::covariance_with`] that each stream Σ(X, X) again.

use super::{check_len, dot, Model, Shape, Storage, Time, TILES};
use crate::error::ensure_finite;
use crate::gram::LaneReal;
use crate::gram::{Gram, Output, Points, RowMajor, Tile};
use crate::kernel::Kernel;
use crate::regression::kernel_matrix::block;
use crate::regression::pairwise::Pairwise;
use crate::regression::storage::Inline;
use crate::regression::Regime;
use crate::{Error, Network, Result};

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

impl<T: LaneReal, S: Storage<T>, K: Kernel<T>> Model<T, S, K> {
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
    /// per entry. On hosts the kernel rows come from the vectorised
    /// [`Gram`](crate::gram::Gram) tiles. The entries equal
    /// [`Model::covariance_with`]'s to rounding (the kernels by the lane
    /// formula, the sums in another order). Measured at n = 256, d = 16,
    /// depth 3, f64, t = ∞ on a loaded 2-core Xeon: m = 7 in 1.0 ms against
    /// 1.2–1.3 s for the 49 calls (NTK regime; a refit took 0.8 ms),
    /// 0.13 ms against 13–22 ms (NNGP regime).
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
        self.query_rows(xs, b.a, b.nngp)?;
        // The prior Σ(xᵢ, xⱼ) (or k), computed as `covariance_with` does.
        for (x, row) in queries().zip(out.chunks_exact_mut(m)) {
            for (z, c) in queries().zip(row.iter_mut()) {
                *c = self.prior(x, z)?;
            }
        }
        let ntk = match self.net() {
            Some((net, Regime::Ntk, pairwise)) => Some((net, pairwise)),
            _ => None,
        };
        let double = ntk.is_none();
        for a in b.a.chunks_exact_mut(n) {
            self.apply(time, double, a, b.tmp);
        }
        let (a, nngp) = (&*b.a, &mut *b.nngp);
        for (i, c) in out.chunks_exact_mut(m).enumerate() {
            for (j, cij) in c.iter_mut().enumerate() {
                *cij -= dot(row(a, i, n), row(nngp, j, n));
                if ntk.is_some() {
                    *cij -= dot(row(a, j, n), row(nngp, i, n));
                }
            }
        }
        if let Some(net) = ntk {
            // Σ(X, Xₜ) is used up: its block holds bands of Σ(X, X) now.
            self.nngp_times(net, a, b.u, nngp, TILES)?;
            for (i, c) in out.chunks_exact_mut(m).enumerate() {
                for (j, cij) in c.iter_mut().enumerate() {
                    *cij += dot(row(a, i, n), row(b.u, j, n));
                }
            }
        }
        ensure_finite(out, "covariance")
    }

    /// The regime's K(xᵢ, X) into `a` and Σ(xᵢ, X) into `nngp` (m×n each):
    /// one [`Gram`] tile call on hosts, else pair by pair.
    fn query_rows(&self, xs: &[T], a: &mut [T], nngp: &mut [T]) -> Result<()> {
        let (n, dim) = (self.len, self.shape().dim);
        let net = self.net();
        if !TILES && net.is_some() {
            let rows = a.chunks_exact_mut(n).zip(nngp.chunks_exact_mut(n));
            for (x, (a, nx)) in xs.chunks_exact(dim).zip(rows) {
                self.kernel_rows(x, a, Some(nx))?;
            }
            return Ok(());
        }
        let train = super::prefix(self.storage.parts().x, n * dim)?;
        if let Some((net, Regime::Ntk, _)) = net {
            let (query, train) = (Points::new(xs, dim)?, Points::new(train, dim)?);
            let both = Output::both(RowMajor(nngp, n), RowMajor(a, n));
            return Gram::new(*net).matrix(&query, &train, both);
        }
        // Σ of a network kernel in the NNGP regime, or any kernel's k.
        block(&self.kernel, self.pairwise.as_ref(), (xs, train, dim), nngp)?;
        a.copy_from_slice(nngp);
        Ok(())
    }

    /// uⱼ = Σ(X, X)·aⱼ for the m rows aⱼ of `a` (each n long), streaming
    /// Σ(X, X) once (it is not stored), each pair once. On hosts in square
    /// blocks of at most m·n entries from the vectorised [`Gram`] tiles into
    /// `band` (pair by pair was 5–20× slower at n = 256, d = 16, depth 3);
    /// else pair by pair.
    fn nngp_times(
        &self,
        (net, pairwise): (&Network<T>, &Pairwise<T>),
        a: &[T],
        u: &mut [T],
        band: &mut [T],
        tiles: bool,
    ) -> Result<()> {
        let Shape { dim, .. } = self.shape();
        let n = self.len;
        let m = a.len() / n;
        let train = super::prefix(self.storage.parts().x, n * dim)?;
        if tiles {
            let (gram, points) = (Gram::new(*net), Points::new(train, dim)?);
            // Square blocks of at most m·n entries (the band's size), those
            // on or above the diagonal only: an off-diagonal block also
            // serves as its transpose.
            let side = (m * n).isqrt().clamp(1, n);
            u.fill(T::ZERO);
            for r0 in (0..n).step_by(side) {
                let r1 = (r0 + side).min(n);
                for c0 in (r0..n).step_by(side) {
                    let c1 = (c0 + side).min(n);
                    let block = &mut band[..(r1 - r0) * (c1 - c0)];
                    let tile = Tile::new(r0..r1, c0..c1);
                    gram.tile(
                        &points,
                        &points,
                        tile,
                        Output::nngp(RowMajor(block, c1 - c0)),
                    )?;
                    for (aj, uj) in a.chunks_exact(n).zip(u.chunks_exact_mut(n)) {
                        for (p, sigma) in (r0..r1).zip(block.chunks_exact(c1 - c0)) {
                            uj[p] += dot(sigma, &aj[c0..c1]);
                            if c0 != r0 {
                                for (uq, &s) in uj[c0..c1].iter_mut().zip(sigma) {
                                    *uq += s * aj[p];
                                }
                            }
                        }
                    }
                }
            }
            return Ok(());
        }
        u.fill(T::ZERO);
        pairwise.lower(net, train, |p, q, k| {
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

impl<T: LaneReal, K: Kernel<T>, const N: usize, const D: usize, const O: usize>
    Model<T, Inline<T, N, D, O>, K>
{
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

#[cfg(test)]
mod tests {
    use crate::regression::{Regime, Regressor, Ridge};
    use crate::{Activation, Network};

    /// The bare-metal path (pair by pair, each pair once) gives the hosts'
    /// banded-tile U to rounding.
    #[test]
    fn banded_tiles_and_pairs_agree() {
        let net = Network::<f64>::new(3, Activation::Relu).unwrap();
        let mut reg = Regressor::<f64, 9, 2>::new(net, Regime::Ntk, Ridge::Absolute(1e-3)).unwrap();
        let xs: [[f64; 2]; 9] = core::array::from_fn(|i| [(i as f64).sin(), 0.3 * i as f64 - 1.0]);
        reg.fit(&xs, &xs.map(|x| [x[0] * x[1]])).unwrap();
        let a: [f64; 18] = core::array::from_fn(|i| (0.7 * i as f64).cos()); // m = 2
        let (mut u_tiles, mut u_pairs, mut band) = ([0.0; 18], [0.0; 18], [0.0; 18]);
        let (net, _, pairwise) = reg.net().unwrap();
        reg.nngp_times((net, pairwise), &a, &mut u_tiles, &mut band, true)
            .unwrap();
        reg.nngp_times((net, pairwise), &a, &mut u_pairs, &mut band, false)
            .unwrap();
        for (t, p) in u_tiles.iter().zip(&u_pairs) {
            assert!((t - p).abs() <= 1e-13 * p.abs().max(1.0), "{t} vs {p}");
        }
    }
}

//! [`Model`]: kernel regression on any [`Storage`], the one implementation
//! behind [`Regressor`](super::Regressor) and [`SliceRegressor`](super::SliceRegressor).

// Further `impl Model` blocks: child modules, so they share this module's helpers.
mod covariance;
mod means;
mod noise;

pub use covariance::covariance_work_len;
pub use means::means_work_len;

use super::pairwise::Pairwise;
use super::precomputed::solve_alpha;
use super::storage::{Shape, Storage};
#[cfg(feature = "std")]
use super::threads;
use super::{Regime, Ridge, Time};
use crate::error::ensure_finite;
use crate::gram::{Gram, LaneReal, Output, Points, RowMajor};
use crate::linalg::cholesky::{self, dot};
use crate::linalg::{at, jacobi, set};
use crate::recursion::{Kernels, Point};
use crate::{Error, Network, Real, Result};

/// Work scalars per unit of capacity that [`Model::covariance_with`] and
/// [`Model::mean_into`] need: `work.len() ≥ WORK_PER_CAPACITY · N`.
pub const WORK_PER_CAPACITY: usize = 5;

/// Refactoring attempts (×4 ridge each) when verifying a suggested ridge.
const RIDGE_ATTEMPTS: usize = 40;

/// Whether the training Gram matrix and the online updates use the vectorised
/// [`Gram`] tiles (hosts) or the scalar [`Pairwise`] loop (targets without an
/// OS: on a microcontroller the lanes are scalar code, and one kernel path
/// instead of two halves the flash). Kernel rows of queries always use
/// [`Pairwise`].
const TILES: bool = !cfg!(target_os = "none");

/// The eigendecomposition A = V·diag(e)·Vᵀ of the regularised training Gram
/// matrix, borrowed from caller buffers (see [`Model::eigenbasis_into`]).
#[derive(Clone, Copy, Debug)]
pub struct Eigenbasis<'s, T> {
    vectors: &'s [T],
    values: &'s [T],
    n: usize,
    stride: usize,
}

impl<'s, T: Real> Eigenbasis<'s, T> {
    pub(crate) fn new(vectors: &'s [T], values: &'s [T], n: usize, stride: usize) -> Self {
        Self {
            vectors,
            values,
            n,
            stride,
        }
    }

    /// The eigenvalues e of A, ascending.
    pub fn values(&self) -> &'s [T] {
        self.values.get(..self.n).unwrap_or_default()
    }

    /// Component i of eigenvector k.
    ///
    /// # Panics
    /// If i or k is not below the number of training points; [`Eigenbasis::get`]
    /// is the checked form.
    pub fn vector(&self, i: usize, k: usize) -> T {
        match self.get(i, k) {
            Some(v) => v,
            None => panic!(
                "eigenvector component ({i}, {k}) out of range for {} points",
                self.n
            ),
        }
    }

    /// Component i of eigenvector k, or `None` if i or k ≥ n.
    pub fn get(&self, i: usize, k: usize) -> Option<T> {
        if i >= self.n || k >= self.n {
            return None;
        }
        self.vectors
            .get(i.checked_mul(self.stride)?.checked_add(k)?)
            .copied()
    }
}

/// Kernel regression with the NNGP or NTK of a [`Network`] (see the
/// [module doc](super) for the formulas). Generic over where it keeps its
/// buffers; use the aliases [`Regressor`](super::Regressor) and
/// [`SliceRegressor`](super::SliceRegressor).
#[derive(Clone, Debug)]
pub struct Model<T, S> {
    net: Network<T>,
    /// `net`'s constants for the scalar kernel loop, formed once here rather
    /// than per prediction (see [`Pairwise`]).
    pairwise: Pairwise<T>,
    regime: Regime,
    ridge: Ridge<T>,
    /// The absolute λ of the current factor.
    lambda: T,
    len: usize,
    fitted: bool,
    /// Threads of the fit and the batch means (1 unless set; u16 fits in
    /// the padding of the settings).
    #[cfg(feature = "std")]
    threads: u16,
    storage: S,
}

impl<T: LaneReal, S: Storage<T>> Model<T, S> {
    /// An empty model on `storage`.
    ///
    /// Errors: a negative or non-finite ridge.
    pub fn with_storage(
        net: Network<T>,
        regime: Regime,
        ridge: Ridge<T>,
        storage: S,
    ) -> Result<Self> {
        check_ridge(ridge)?;
        Ok(Self {
            pairwise: Pairwise::new(&net, storage.shape().dim),
            net,
            regime,
            ridge,
            lambda: T::ZERO,
            len: 0,
            fitted: false,
            #[cfg(feature = "std")]
            threads: 1,
            storage,
        })
    }

    /// Number of training points n.
    pub fn len(&self) -> usize {
        self.len
    }

    /// `true` with no training points.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Capacity, input dimension and outputs.
    pub fn shape(&self) -> Shape {
        self.storage.shape()
    }

    /// The regime (kernel) in use.
    pub fn regime(&self) -> Regime {
        self.regime
    }

    /// The ridge setting.
    pub fn ridge(&self) -> Ridge<T> {
        self.ridge
    }

    /// The absolute λ of the current fit (equal to the setting for
    /// [`Ridge::Absolute`]; r·mean diagonal for the relative convention).
    pub fn lambda(&self) -> T {
        self.lambda
    }

    /// The network whose kernels are used.
    pub fn network(&self) -> &Network<T> {
        &self.net
    }

    /// Training input i (oldest first), if stored.
    pub fn input(&self, i: usize) -> Option<&[T]> {
        let d = self.shape().dim;
        (i < self.len).then(|| &self.storage.parts().x[i * d..(i + 1) * d])
    }

    /// Training target i (its O outputs), if stored.
    pub fn target(&self, i: usize) -> Option<&[T]> {
        let o = self.shape().outputs;
        (i < self.len).then(|| &self.storage.parts().y[i * o..(i + 1) * o])
    }

    /// The dual coefficients α = A⁻¹Y (n×O, row-major); empty while the
    /// model is not fitted.
    pub fn alpha(&self) -> &[T] {
        let len = if self.fitted {
            self.len * self.shape().outputs
        } else {
            0
        };
        &self.storage.parts().alpha[..len]
    }

    /// Uses up to `threads` threads (feature `std`) for [`Model::fit_rows`],
    /// [`Model::refit`] (and so [`Model::set_ridge`] and the ridge chooser)
    /// and [`Model::means_into`] with the vectorised kernel tiles (hosts).
    /// The results are bitwise those of one thread (the fit is a pipeline
    /// that computes every entry as one thread does; module doc of
    /// `regression::threads` in the source). A fit uses at most one thread
    /// per 32 training points and the means one per 1024 kernel entries.
    ///
    /// The extra threads are pooled workers, started on first use and kept
    /// for the life of the process: after each job a worker polls for the
    /// next one for 2 ms (so back-to-back calls start at once), then sleeps.
    /// Waking a sleeping worker took 50–130 µs on the 2-vCPU test machine,
    /// so an isolated call on a small problem (n below ~128) can be slower
    /// than on one thread. Measured at n = 256 (f64, d = 16, depth 3,
    /// native build, 2 cores of a shared VM): fit + predict 1.0 ms → 0.56–0.69 ms.
    ///
    /// ```
    /// use ntk::regression::{Regime, Regressor, Ridge};
    /// use ntk::{Activation, Network};
    /// let net = Network::<f64>::new(2, Activation::Relu)?;
    /// let mut reg = Regressor::<f64, 256, 2>::new(net, Regime::Ntk, Ridge::Absolute(1e-6))?;
    /// let x: Vec<[f64; 2]> = (0..256).map(|i| [f64::sin(i as f64), f64::cos(0.3 * i as f64)]).collect();
    /// let y: Vec<[f64; 1]> = x.iter().map(|p| [p[0] * p[1]]).collect();
    /// reg.fit(&x, &y)?; // one thread
    /// let one = reg.predict(&[0.2, -0.4])?;
    /// reg.set_threads(std::thread::available_parallelism().map_or(1, |n| n.get()))?;
    /// reg.fit(&x, &y)?; // all cores, the same bits
    /// assert_eq!(reg.predict(&[0.2, -0.4])?, one);
    /// # Ok::<(), ntk::Error>(())
    /// ```
    ///
    /// Errors: `threads` = 0 or above 65 535.
    #[cfg(feature = "std")]
    pub fn set_threads(&mut self, threads: usize) -> Result<()> {
        self.threads = match u16::try_from(threads) {
            Ok(t) if t > 0 => t,
            _ => {
                return Err(Error::InvalidParameter {
                    what: "threads must be in 1..=65535",
                })
            }
        };
        Ok(())
    }

    /// The threads set by [`Model::set_threads`] (feature `std`; default 1).
    #[cfg(feature = "std")]
    pub fn threads(&self) -> usize {
        usize::from(self.threads)
    }

    /// Changes the ridge and refits (O(n³)).
    ///
    /// Errors: as [`Model::refit`]; an invalid ridge. On any error the model
    /// is as it was: the previous ridge and λ, refactored (see [`Model::refit`]).
    pub fn set_ridge(&mut self, ridge: Ridge<T>) -> Result<()> {
        check_ridge(ridge)?;
        let saved = self.saved();
        self.ridge = ridge;
        self.refit_or_restore(saved)
    }

    /// Fits the n points in `x` (n×D, row-major) with targets `y` (n×O):
    /// stores them, factors A = K + λI by Cholesky and solves α = A⁻¹Y. O(n³).
    ///
    /// Errors (checked before anything stored changes): empty or ragged `x`,
    /// `y` of the wrong length, non-finite values, n above capacity. Then
    /// [`Error::NotPositiveDefinite`] with an absolute ridge verified to
    /// work; the data stay stored, the model is unfitted until a
    /// [`Model::set_ridge`] succeeds.
    pub fn fit_rows(&mut self, x: &[T], y: &[T]) -> Result<()> {
        let Shape {
            capacity,
            dim,
            outputs,
        } = self.shape();
        if x.is_empty() {
            return Err(Error::Empty {
                what: "training inputs",
            });
        }
        // `checked_rem`: dim ≥ 1 by construction; no panic path on firmware.
        if x.len().checked_rem(dim) != Some(0) {
            return Err(Error::DimensionMismatch {
                what: "training inputs (n×D)",
                expected: x.len().checked_div(dim).map_or(0, |q| (q + 1) * dim),
                found: x.len(),
            });
        }
        let n = x.len() / dim;
        if n > capacity {
            return Err(Error::CapacityExceeded { capacity });
        }
        if y.len() != n * outputs {
            return Err(Error::DimensionMismatch {
                what: "training targets (n×O)",
                expected: n * outputs,
                found: y.len(),
            });
        }
        ensure_finite(x, "training inputs")?;
        ensure_finite(y, "training targets")?;
        // Factor and solve from the caller's slices: the stored points stay
        // until the new fit is known to work (or to need a ridge).
        let saved = self.saved();
        let (lambda, factored) = self.factor_points(Some(x), n);
        let solved = factored.and_then(|()| {
            let parts = self.storage.parts_mut();
            solve_alpha(parts.chol, n, capacity, y, parts.alpha, outputs);
            // `get`: the slice is in bounds by construction; no panic path on firmware.
            ensure_finite(parts.alpha.get(..n * outputs).unwrap_or_default(), ALPHA)
        });
        let parts = self.storage.parts_mut();
        match solved {
            Ok(()) => {
                copy_into(parts.x, 0, x);
                copy_into(parts.y, 0, y);
                (self.len, self.lambda, self.fitted) = (n, lambda, true);
                Ok(())
            }
            Err(Error::NotPositiveDefinite { .. }) => {
                copy_into(parts.x, 0, x);
                copy_into(parts.y, 0, y);
                self.len = n;
                self.refit_quietly_verified()
            }
            Err(e) => {
                self.restore(saved);
                Err(e)
            }
        }
    }

    /// Refactors from the stored points (recomputing λ for the relative
    /// convention). O(n³).
    ///
    /// Errors: as [`Model::fit_rows`]; [`Error::NotFitted`] with no points.
    /// On error the model is as it was: its previous λ restored and the
    /// factor recomputed at it (bit for bit the previous factor if that came
    /// from a fit; to rounding if inserts and removals built it).
    pub fn refit(&mut self) -> Result<()> {
        let saved = self.saved();
        self.refit_or_restore(saved)
    }

    /// [`Model::refit`], restoring `saved` on error.
    fn refit_or_restore(&mut self, saved: Saved<T>) -> Result<()> {
        let result = self.refit_quietly_verified();
        if result.is_err() {
            self.restore(saved);
        }
        result
    }

    /// Refit; on [`Error::NotPositiveDefinite`] with a verified ridge (the
    /// model then unfitted).
    fn refit_quietly_verified(&mut self) -> Result<()> {
        match self.factor_quietly() {
            Err(Error::NotPositiveDefinite {
                pivot,
                suggested_ridge,
            }) => Err(Error::NotPositiveDefinite {
                pivot,
                suggested_ridge: self.verified_ridge(T::from_f64(suggested_ridge)).to_f64(),
            }),
            other => other,
        }
    }

    /// Adds one training point in O(n²): extends the Cholesky factor by a
    /// row and re-solves α. λ is kept (see [`Ridge::RelativeToMeanDiagonal`]).
    ///
    /// Errors (nothing stored changes): wrong lengths, non-finite values,
    /// [`Error::CapacityExceeded`] when full, [`Error::NotFitted`] after a
    /// failed fit, [`Error::NotPositiveDefinite`] (the point duplicates the
    /// span of the stored ones at this ridge) with an estimate of the absolute
    /// ridge that would admit it, [`Error::NonFinite`] if a kernel value or
    /// α overflows (targets too large for this kernel).
    pub fn insert_row(&mut self, x: &[T], y: &[T]) -> Result<()> {
        self.check_point(x, y)?;
        let Shape {
            capacity,
            dim,
            outputs,
        } = self.shape();
        if self.len == capacity {
            return Err(Error::CapacityExceeded { capacity });
        }
        if self.len > 0 && !self.fitted {
            return Err(Error::NotFitted);
        }
        let n = self.len;
        // The same kernel path as a batch fit, so that online equals batch to rounding.
        let (gram, pairwise) = (Gram::new(self.net), self.pairwise);
        let kxx = self.pick(if TILES {
            gram.entry(x, x)?
        } else {
            pairwise.kernels(&self.net, &pairwise.anchor(x), x, x)
        });
        // λ is set only once the point is in (a rejected first point keeps it).
        let lambda = match n {
            0 => self.ridge.absolute(kxx),
            _ => self.lambda,
        };
        if !(kxx + lambda).is_finite() {
            return Err(Error::NonFinite {
                what: "kernel plus ridge (overflow)",
            });
        }
        let regime = self.regime;
        let parts = self.storage.parts_mut();
        if n > 0 {
            // `get`, `get_mut` (here and below): in bounds by construction; no panic path on firmware.
            let train = parts.x.get(..n * dim).unwrap_or_default();
            let row = parts
                .chol
                .get_mut(n * capacity..n * capacity + n)
                .unwrap_or_default();
            if TILES {
                let query = Points::new(x, dim)?;
                gram.matrix(&query, &Points::new(train, dim)?, output(regime, row, n))?;
            } else {
                pairwise.row(&self.net, x, train, |j, k| put(row, j, pick(regime, k)));
            }
        }
        if let Some(d) = parts.chol.get_mut(n * capacity + n) {
            *d = kxx + lambda;
        }
        if let Err(e) = cholesky::append_strided(parts.chol, n, capacity) {
            return Err(match e {
                Error::NotPositiveDefinite {
                    pivot,
                    suggested_ridge,
                } => Error::NotPositiveDefinite {
                    pivot,
                    suggested_ridge: suggested_ridge + lambda.to_f64(),
                },
                other => other,
            });
        }
        copy_into(parts.x, n * dim, x);
        copy_into(parts.y, n * outputs, y);
        let saved = self.saved();
        (self.len, self.lambda, self.fitted) = (n + 1, lambda, true);
        if let Err(e) = self.update_alpha() {
            // Rows 0..n of the factor are untouched: dropping row n and
            // re-solving gives the previous α bit for bit.
            (self.len, self.lambda, self.fitted) = (saved.len, saved.lambda, saved.fitted);
            let _ = self.update_alpha();
            return Err(e);
        }
        Ok(())
    }

    /// Removes training point i (later points move down one) in O(n²):
    /// Givens downdate of the factor, then α re-solved.
    ///
    /// Errors: [`Error::IndexOutOfRange`]; [`Error::NotFitted`] after a
    /// failed fit (nothing changes on these). [`Error::NonFinite`] if α of
    /// the remaining points overflows (targets far too large for the
    /// ridge): the point is removed then and the model unfitted; refit with
    /// a larger ridge.
    pub fn remove(&mut self, i: usize) -> Result<()> {
        if i >= self.len {
            return Err(Error::IndexOutOfRange {
                index: i,
                len: self.len,
            });
        }
        if !self.fitted {
            return Err(Error::NotFitted);
        }
        let Shape {
            capacity,
            dim,
            outputs,
        } = self.shape();
        let n = self.len;
        let parts = self.storage.parts_mut();
        drop_row(parts.x, i, n, dim);
        drop_row(parts.y, i, n, outputs);
        cholesky::remove_strided(parts.chol, n, capacity, i)?;
        self.len = n - 1;
        // α of fewer points from finite data: finite unless A⁻¹ is extreme
        // (then the model reports unfitted rather than serve ∞).
        if let Err(e) = self.update_alpha() {
            self.fitted = false;
            return Err(e);
        }
        Ok(())
    }

    /// Sliding window: inserts the point, first dropping the oldest when
    /// full. O(n²).
    ///
    /// Errors: as [`Model::insert_row`], checked before the oldest point is
    /// dropped, except [`Error::NotPositiveDefinite`]: then the oldest point
    /// is already gone (the window holds n − 1 points).
    pub fn push_row(&mut self, x: &[T], y: &[T]) -> Result<()> {
        self.check_point(x, y)?;
        if self.len == self.shape().capacity && self.len > 0 {
            self.remove(0)?;
        }
        self.insert_row(x, y)
    }

    /// The predicted mean of each output at `x` (into `out[..O]`) at the
    /// given training time. `work` needs N scalars for t = ∞ (unused: the
    /// scalar pairwise loop sums K(x, X)·α as it forms the row), 2·N for
    /// finite t (the kernel row and a temporary).
    ///
    /// Errors: [`Error::NotFitted`], wrong lengths, non-finite `x`, buffers
    /// too small, an invalid or stale [`Time`].
    pub fn mean_into(
        &self,
        x: &[T],
        time: &Time<'_, T>,
        out: &mut [T],
        work: &mut [T],
    ) -> Result<()> {
        self.check_query(x)?;
        self.check_time(time)?;
        let (n, o) = (self.len, self.shape().outputs);
        check_len(out.len(), o, "mean output")?;
        let parts = self.storage.parts();
        let finite = matches!(time, Time::Finite { .. });
        check_len(work.len(), if finite { 2 * n } else { n }, "work")?;
        let out = &mut out[..o];
        out.fill(T::ZERO);
        if finite {
            let (k, tmp) = split_work(work, n)?;
            self.kernel_rows(x, k, None)?;
            self.apply(time, false, k, tmp);
            for (i, &ki) in k.iter().enumerate() {
                add_row(out, ki, parts.y, i);
            }
        } else {
            // K(x, X)·α summed as the row is formed: the same sums, one pass.
            let (dim, regime) = (self.shape().dim, self.regime);
            let train = prefix(parts.x, n * dim)?;
            self.pairwise.row(&self.net, x, train, |i, kx| {
                add_row(out, pick(regime, kx), parts.alpha, i);
            });
        }
        ensure_finite(out, "prediction")
    }

    /// The t = ∞ means at m query points at once: `xs` is m×D, `out` m×O
    /// (row-major), `work` needs m·N scalars (the m×n kernel block, one
    /// [`Gram`] tile call, then K·α). Faster than m calls of
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
        if TILES {
            let (gram, train) = (Gram::new(self.net), prefix(parts.x, n * dim)?);
            #[cfg(feature = "std")]
            {
                let threads = self
                    .threads()
                    .min(m * n / threads::MIN_QUERY_ENTRIES_PER_THREAD);
                if threads > 1 {
                    let k = (&gram, self.regime);
                    threads::means(k, (xs, train, dim), alpha, out, work, threads)?;
                    return ensure_finite(out, "prediction");
                }
            }
            let (query, train) = (Points::new(xs, dim)?, Points::new(train, dim)?);
            gram.matrix(&query, &train, output(self.regime, work, n))?;
        } else {
            let rows = work.chunks_exact_mut(n.max(1));
            for (q, k) in xs.chunks_exact(dim.max(1)).zip(rows) {
                self.kernel_rows(q, k, None)?;
            }
        }
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
        let (px, pz) = (self.net.point(x)?, self.net.point(z)?);
        let prior = self.net.kernels_of(&px, &pz, dot(x, z)).nngp;
        let (nx, rest) = split_work(work, n)?;
        let (nz, rest) = split_work(rest, n)?;
        let (a, rest) = split_work(rest, n)?;
        let (b, tmp) = split_work(rest, n)?;
        self.kernel_rows(x, a, Some(nx))?;
        self.kernel_rows(z, b, Some(nz))?;
        let cov = match self.regime {
            Regime::Nngp => {
                self.apply(time, true, a, tmp);
                prior - dot(a, nz)
            }
            Regime::Ntk => {
                self.apply(time, false, a, tmp);
                self.apply(time, false, b, tmp);
                prior + self.nngp_form(a, b) - dot(a, nz) - dot(b, nx)
            }
        };
        ensure_finite(&[cov], "covariance")?;
        Ok(cov)
    }

    /// Eigendecomposes A = K(X, X) + λI for finite-time predictions, with
    /// the cyclic Jacobi solver (in the crate's fixed-size linear algebra). `a_work` and `vectors` need
    /// N·N scalars, `values` N (N = capacity; stride N). O(n³).
    ///
    /// Errors: [`Error::NotFitted`], buffers too small, [`Error::NoConvergence`].
    pub fn eigenbasis_into<'s>(
        &self,
        a_work: &mut [T],
        vectors: &'s mut [T],
        values: &'s mut [T],
    ) -> Result<Eigenbasis<'s, T>> {
        self.check_fitted()?;
        let (n, cap) = (self.len, self.shape().capacity);
        check_len(a_work.len(), cap * cap, "eigen work")?;
        gram(
            &self.net,
            self.regime,
            self.storage.parts().x,
            n,
            self.shape().dim,
            a_work,
            cap,
        )?;
        for d in a_work.iter_mut().step_by(cap + 1).take(n) {
            *d += self.lambda;
        }
        jacobi::eigen_strided(a_work, n, cap, values, Some((&mut *vectors, cap)))?;
        Ok(Eigenbasis::new(vectors, values, n, cap))
    }

    /// Closed-form leave-one-out residuals eᵢ = αᵢ / (A⁻¹)ᵢᵢ (n×O into `out`):
    /// eᵢ = yᵢ − f₋ᵢ(xᵢ), the error at xᵢ of the t = ∞ model fitted without
    /// point i at the same λ. Returns their mean square. `work` needs N
    /// scalars. O(n³/3).
    ///
    /// Errors: [`Error::NotFitted`], buffers too small, residuals or their
    /// mean square that overflow ([`Error::NonFinite`]).
    pub fn loo_residuals_into(&self, out: &mut [T], work: &mut [T]) -> Result<T> {
        self.check_fitted()?;
        let (n, cap, o) = (self.len, self.shape().capacity, self.shape().outputs);
        check_len(out.len(), n * o, "residuals")?;
        check_len(work.len(), n, "work")?;
        let parts = self.storage.parts();
        let mut sum = T::ZERO;
        let rows = out
            .chunks_exact_mut(o.max(1))
            .zip(parts.alpha.chunks_exact(o.max(1)));
        for (i, (res, alpha)) in rows.take(n).enumerate() {
            // `None` (never: the buffers are sized by construction) gives a
            // non-finite residual, an error below; no panic path on firmware.
            let inv_ii = inverse_diagonal(parts.chol, n, cap, i, work).unwrap_or(T::ZERO);
            for (r, &a) in res.iter_mut().zip(alpha) {
                let e = a / inv_ii;
                *r = e;
                sum += e * e;
            }
        }
        let out = out.get(..n * o).unwrap_or_default();
        ensure_finite(out, "leave-one-out residuals (overflow)")?;
        crate::error::finite(sum / T::from_usize(n * o), "leave-one-out MSE (overflow)")
    }

    /// Picks the ridge value from `grid` (in the model's [`Ridge`]
    /// convention) with the smallest mean squared leave-one-out residual,
    /// and refits with it. Values at which A is not positive definite are
    /// skipped. `residuals` needs N·O scalars, `work` N. O(|grid|·n³).
    ///
    /// Returns the chosen ridge and its LOO mean squared error.
    ///
    /// Errors: an empty grid or invalid value, [`Error::NotFitted`] with no
    /// points, buffers too small, and the last failure
    /// ([`Error::NotPositiveDefinite`], [`Error::NonFinite`]) if no value
    /// works: the previous ridge and λ are restored then, as by
    /// [`Model::refit`].
    pub fn choose_ridge_with(
        &mut self,
        grid: &[T],
        residuals: &mut [T],
        work: &mut [T],
    ) -> Result<(Ridge<T>, T)> {
        if grid.is_empty() {
            return Err(Error::Empty { what: "ridge grid" });
        }
        grid.iter()
            .try_for_each(|&v| check_ridge(Ridge::Absolute(v)))?;
        if self.len == 0 {
            return Err(Error::NotFitted);
        }
        let (n, o) = (self.len, self.shape().outputs);
        check_len(residuals.len(), n * o, "residuals")?;
        check_len(work.len(), n, "work")?;
        let saved = self.saved();
        let original = self.ridge;
        let mut best: Option<(T, T)> = None;
        let mut failure = Error::NotFitted;
        for &v in grid {
            self.ridge = original.with_value(v);
            let mse = self
                .factor_quietly()
                .and_then(|()| self.loo_residuals_into(residuals, work));
            match mse {
                Ok(mse) if best.is_none_or(|(_, b)| mse < b) => best = Some((v, mse)),
                Ok(_) => {}
                Err(e) => failure = e,
            }
        }
        let Some((v, mse)) = best else {
            self.restore(saved);
            return Err(failure);
        };
        self.ridge = original.with_value(v);
        match self.factor_quietly() {
            Ok(()) => Ok((self.ridge, mse)),
            Err(e) => {
                self.restore(saved);
                Err(e)
            }
        }
    }

    // ---- internals ----

    /// Refit without the (expensive) ridge verification on failure; sets λ
    /// (also on failure: the verification starts from it).
    fn factor_quietly(&mut self) -> Result<()> {
        self.fitted = false;
        if self.len == 0 {
            return Err(Error::NotFitted);
        }
        let (lambda, factored) = self.factor_points(None, self.len);
        self.lambda = lambda;
        factored?;
        self.fitted = true;
        self.update_alpha().inspect_err(|_| self.fitted = false)
    }

    /// Writes K(X, X) + λI of the n points `given` (the stored ones if
    /// `None`) to the factor buffer and factors it; λ from the ridge
    /// setting. Touches nothing but the factor buffer.
    fn factor_points(&mut self, given: Option<&[T]>, n: usize) -> (T, Result<()>) {
        let (Shape { capacity, dim, .. }, regime, ridge) = (self.shape(), self.regime, self.ridge);
        #[cfg(feature = "std")]
        let threads = self.threads();
        let net = self.net;
        let parts = self.storage.parts_mut();
        let x = match prefix(given.unwrap_or(parts.x), n * dim) {
            Ok(x) => x,
            Err(e) => return (self.lambda, Err(e)),
        };
        #[cfg(feature = "std")]
        if let Some(lambda) = fit_on_threads(
            (&net, regime, ridge),
            (x, dim),
            parts.chol,
            capacity,
            threads,
        ) {
            return (lambda, Ok(()));
        }
        let mean_diag = match gram(&net, regime, x, n, dim, parts.chol, capacity) {
            Ok(m) => m,
            Err(e) => return (self.lambda, Err(e)),
        };
        let lambda = ridge.absolute(mean_diag);
        add_diagonal(parts.chol, n, capacity, lambda);
        (lambda, cholesky::factor_strided(parts.chol, n, capacity))
    }

    /// The scalar state that [`Model::restore`] brings back.
    fn saved(&self) -> Saved<T> {
        Saved {
            ridge: self.ridge,
            lambda: self.lambda,
            len: self.len,
            fitted: self.fitted,
        }
    }

    /// Puts back the ridge, λ, length and fit of `saved`, refactoring the
    /// stored points at that λ (the factor buffer may hold a failed trial).
    fn restore(&mut self, saved: Saved<T>) {
        (self.ridge, self.lambda, self.len, self.fitted) =
            (saved.ridge, saved.lambda, saved.len, false);
        if !saved.fitted || saved.len == 0 {
            return;
        }
        if self.gram_with_ridge(saved.lambda).is_ok() {
            let (n, cap) = (self.len, self.shape().capacity);
            if cholesky::factor_strided(self.storage.parts_mut().chol, n, cap).is_ok() {
                self.fitted = self.update_alpha().is_ok();
            }
        }
    }

    /// The smallest λ + δ·4ᵏ (k = 0, 1, …) at which A factors, starting from
    /// the estimate δ; Gershgorin's bound if none does.
    fn verified_ridge(&mut self, estimate: T) -> T {
        let (n, cap) = (self.len, self.shape().capacity);
        let mut extra = estimate.max(T::MIN_POSITIVE);
        for _ in 0..RIDGE_ATTEMPTS {
            let ridge = self.lambda + extra;
            if self.gram_with_ridge(ridge).is_ok()
                && cholesky::factor_strided(self.storage.parts_mut().chol, n, cap).is_ok()
            {
                return ridge;
            }
            extra *= T::from_f64(4.0);
        }
        if self.gram_with_ridge(self.lambda).is_err() {
            return T::MAX;
        }
        let parts = self.storage.parts();
        self.lambda + cholesky::gershgorin_ridge(parts.chol, n, cap).unwrap_or(T::MAX)
    }

    /// Writes K(X, X) + ridge·I (lower triangle) into the factor buffer;
    /// returns the mean diagonal of K.
    fn gram_with_ridge(&mut self, ridge: T) -> Result<T> {
        let (n, Shape { capacity, dim, .. }) = (self.len, self.shape());
        let (net, regime) = (self.net, self.regime);
        let parts = self.storage.parts_mut();
        let mean = gram(&net, regime, parts.x, n, dim, parts.chol, capacity)?;
        add_diagonal(parts.chol, n, capacity, ridge);
        Ok(mean)
    }

    /// α = A⁻¹Y, one output column at a time (O(n²·O)).
    ///
    /// Errors: an α that overflows ([`Error::NonFinite`]).
    fn update_alpha(&mut self) -> Result<()> {
        let (
            n,
            Shape {
                capacity, outputs, ..
            },
        ) = (self.len, self.shape());
        let parts = self.storage.parts_mut();
        solve_alpha(parts.chol, n, capacity, parts.y, parts.alpha, outputs);
        // `get`: the slice is in bounds by construction; no panic path on firmware.
        ensure_finite(parts.alpha.get(..n * outputs).unwrap_or_default(), ALPHA)
    }

    /// v ← A⁻¹v (t = ∞) or V·diag(g(τ))·Vᵀ·v (τ doubled if `double`).
    fn apply(&self, time: &Time<'_, T>, double: bool, v: &mut [T], tmp: &mut [T]) {
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
    fn nngp_form(&self, a: &[T], b: &[T]) -> T {
        let mut s = T::ZERO;
        let ab = || a.iter().zip(b).take(self.len).enumerate();
        for (i, (&ai, &bi)) in ab() {
            let xi = self.row(i);
            let pi = self.net.point_from_sq_norm(dot(xi, xi), xi.len());
            for (j, (&aj, &bj)) in ab().take(i + 1) {
                let k = kernel(&self.net, self.row(j), xi, &pi).nngp;
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
    /// training point, by the scalar [`Pairwise`] loop (cheaper than a 1×n
    /// tile). `x` is checked by the caller.
    fn kernel_rows(
        &self,
        x: &[T],
        regime_row: &mut [T],
        mut nngp_row: Option<&mut [T]>,
    ) -> Result<()> {
        let (n, dim, regime) = (self.len, self.shape().dim, self.regime);
        let train = prefix(self.storage.parts().x, n * dim)?;
        self.pairwise.row(&self.net, x, train, |j, k| {
            put(regime_row, j, pick(regime, k));
            if let Some(row) = nngp_row.as_deref_mut() {
                put(row, j, k.nngp);
            }
        });
        Ok(())
    }

    fn row(&self, i: usize) -> &[T] {
        let d = self.shape().dim;
        // `get`: in bounds by construction; no panic path on firmware.
        let x = self.storage.parts().x;
        x.get(i * d..(i + 1) * d).unwrap_or_default()
    }

    fn pick(&self, k: Kernels<T>) -> T {
        pick(self.regime, k)
    }

    fn check_point(&self, x: &[T], y: &[T]) -> Result<()> {
        let Shape { dim, outputs, .. } = self.shape();
        check_exact(x.len(), dim, "input")?;
        check_exact(y.len(), outputs, "target")?;
        ensure_finite(x, "input")?;
        ensure_finite(y, "target")
    }

    fn check_query(&self, x: &[T]) -> Result<()> {
        self.check_fitted()?;
        check_exact(x.len(), self.shape().dim, "input")?;
        ensure_finite(x, "input")
    }

    fn check_fitted(&self) -> Result<()> {
        if self.fitted && self.len > 0 {
            Ok(())
        } else {
            Err(Error::NotFitted)
        }
    }

    fn check_time(&self, time: &Time<'_, T>) -> Result<()> {
        if let Time::Finite {
            t,
            learning_rate,
            basis,
        } = *time
        {
            if !(t.is_finite() && t >= T::ZERO) {
                return Err(Error::InvalidParameter {
                    what: "training time t must be finite and >= 0",
                });
            }
            if !(learning_rate.is_finite() && learning_rate > T::ZERO) {
                return Err(Error::InvalidParameter {
                    what: "learning rate must be finite and > 0",
                });
            }
            check_exact(
                basis.n,
                self.len,
                "eigenbasis size (stale: recompute after changing the model)",
            )?;
        }
        Ok(())
    }
}

/// The error for an α that overflows.
const ALPHA: &str = "dual coefficients α (targets too large for this kernel and ridge)";

/// The scalar state of a [`Model`] that a failed operation restores.
#[derive(Clone, Copy)]
struct Saved<T> {
    ridge: Ridge<T>,
    lambda: T,
    len: usize,
    fitted: bool,
}

/// The fit of [`Model::factor_points`] on `threads` threads: λ, or `None`
/// (an error, or too few points to share) to leave the fit to one thread,
/// which then reports any failure exactly.
#[cfg(feature = "std")]
fn fit_on_threads<T: LaneReal>(
    (net, regime, ridge): (&Network<T>, Regime, Ridge<T>),
    (x, dim): (&[T], usize),
    chol: &mut [T],
    capacity: usize,
    threads: usize,
) -> Option<T> {
    let n = x.len() / dim.max(1);
    let threads = threads.min(n / threads::MIN_FIT_ROWS_PER_THREAD);
    if threads < 2 || !TILES {
        return None;
    }
    let gram = Gram::new(*net);
    // The relative ridge needs the mean diagonal first (summed as `gram` does).
    let mut trace = T::ZERO;
    if let Ridge::RelativeToMeanDiagonal(_) = ridge {
        for p in x.chunks_exact(dim) {
            trace += pick(regime, gram.entry(p, p).ok()?);
        }
    }
    let lambda = ridge.absolute(trace / T::from_usize(n));
    threads::fit((&gram, regime), (x, dim), lambda, chol, capacity, threads).ok()?;
    Some(lambda)
}

/// g(τ) = (1 − exp(−max(e, 0)·τ)) / |e| (τ already divided by N), with its
/// limit τ at e = 0 (neural-tangents returns NaN there).
fn flow_gain<T: Real>(e: T, tau: T) -> T {
    if e == T::ZERO {
        return tau;
    }
    -(-(e.max(T::ZERO)) * tau).exp_m1() / e.abs()
}

/// (A⁻¹)ᵢᵢ = ‖L⁻¹eᵢ‖², by forward substitution from row i (`None` if a
/// buffer is too short).
fn inverse_diagonal<T: Real>(l: &[T], n: usize, stride: usize, i: usize, z: &mut [T]) -> Option<T> {
    let zi = z.get_mut(i)?;
    *zi = T::ONE / *l.get(i * stride + i)?;
    let mut sum = *zi * *zi;
    for j in i + 1..n {
        let row = l.get(j * stride + i..=j * stride + j)?;
        let (ljj, row) = row.split_last()?;
        let (zj, head) = z.get_mut(i..=j)?.split_last_mut()?;
        *zj = -dot(row, head) / *ljj;
        sum += *zj * *zj;
    }
    Some(sum)
}

/// Σ and Θ between a training row `xi` and the query `x` (with its point `p`).
fn kernel<T: Real>(net: &Network<T>, xi: &[T], x: &[T], p: &Point<T>) -> Kernels<T> {
    let pi = net.point_from_sq_norm(dot(xi, xi), xi.len());
    net.kernels_of(&pi, p, dot(xi, x))
}

fn pick<T: Real>(regime: Regime, k: Kernels<T>) -> T {
    match regime {
        Regime::Nngp => k.nngp,
        Regime::Ntk => k.ntk,
    }
}

/// K(X, X) into `out` (row stride `stride`, both triangles) with the
/// vectorised [`Gram`] tiles or the [`Pairwise`] loop (see [`TILES`]); returns trace/n.
fn gram<T: LaneReal>(
    net: &Network<T>,
    regime: Regime,
    x: &[T],
    n: usize,
    dim: usize,
    out: &mut [T],
    stride: usize,
) -> Result<T> {
    let x = prefix(x, n * dim)?;
    if TILES {
        Gram::new(*net).symmetric(&Points::new(x, dim)?, output(regime, out, stride))?;
    } else {
        Pairwise::new(net, dim).lower(net, x, |i, j, k| {
            let v = pick(regime, k);
            put(out, i * stride + j, v);
            put(out, j * stride + i, v);
        });
    }
    // The storage sized `out` (n×n, stride ≥ n); `get` keeps the sum panic-free.
    let trace: T = (0..n)
        .map(|i| out.get(i * stride + i).copied().unwrap_or(T::ZERO))
        .sum();
    Ok(trace / T::from_usize(n.max(1)))
}

/// out = K·α: the rows of `k` (each n long) times α (n×O) into the rows of
/// `out` (each O long). One output: a vectorised dot product per row (a
/// running sum took 55 µs instead of 14 for 64 rows of 256).
pub(super) fn k_alpha<T: Real>(k: &[T], alpha: &[T], out: &mut [T], n: usize) {
    let o = alpha.len() / n.max(1);
    for (k, row) in k.chunks_exact(n.max(1)).zip(out.chunks_exact_mut(o.max(1))) {
        if let [single] = row {
            *single = dot(k, alpha);
            continue;
        }
        row.fill(T::ZERO);
        for (ki, w) in k.iter().zip(alpha.chunks_exact(o.max(1))) {
            for (r, &wm) in row.iter_mut().zip(w) {
                *r += *ki * wm;
            }
        }
    }
}

/// The [`Output`] of the regime's kernel.
pub(super) fn output<T>(regime: Regime, buf: &mut [T], stride: usize) -> Output<'_, T> {
    match regime {
        Regime::Nngp => Output::nngp(RowMajor(buf, stride)),
        Regime::Ntk => Output::ntk(RowMajor(buf, stride)),
    }
}

fn check_ridge<T: Real>(ridge: Ridge<T>) -> Result<()> {
    let v = ridge.value();
    if v.is_finite() && v >= T::ZERO {
        Ok(())
    } else {
        Err(Error::InvalidParameter {
            what: "ridge must be finite and >= 0",
        })
    }
}

/// The first `len` elements of a stored buffer (sized by construction).
fn prefix<T>(s: &[T], len: usize) -> Result<&[T]> {
    s.get(..len).ok_or(Error::BufferTooSmall {
        what: "stored points",
        needed: len,
        found: s.len(),
    })
}

/// out += k·(row i of the n×O `weights`), O = `out.len()` (sized by
/// construction; `get` keeps this panic-free).
fn add_row<T: Real>(out: &mut [T], k: T, weights: &[T], i: usize) {
    let o = out.len();
    let w = weights.get(i * o..i * o + o).unwrap_or(&[]);
    for (out_m, &wm) in out.iter_mut().zip(w) {
        *out_m += k * wm;
    }
}

/// buf[at] = v if `at` is in range (buffers are sized by construction; panic-free).
fn put<T>(buf: &mut [T], at: usize, v: T) {
    if let Some(t) = buf.get_mut(at) {
        *t = v;
    }
}

/// A[i][i] += v for i < n (row stride `stride`; panic-free).
fn add_diagonal<T: Real>(a: &mut [T], n: usize, stride: usize, v: T) {
    for i in 0..n {
        if let Some(x) = a.get_mut(i * stride + i) {
            *x += v;
        }
    }
}

/// `work` split after `n` scalars ([`Error::BufferTooSmall`] if shorter).
fn split_work<T>(work: &mut [T], n: usize) -> Result<(&mut [T], &mut [T])> {
    let found = work.len();
    work.split_at_mut_checked(n).ok_or(Error::BufferTooSmall {
        what: "work",
        needed: n,
        found,
    })
}

/// Moves rows i+1..n of a buffer of rows of `width` scalars up by one (no
/// panic path on firmware: `copy_within` keeps two range checks there).
fn drop_row<T: Real>(buf: &mut [T], i: usize, n: usize, width: usize) {
    for k in i * width..n.saturating_sub(1) * width {
        set(buf, k, at(buf, k + width));
    }
}

/// Copies `src` into `dst` from index `at` (what fits: `dst` is sized by construction).
fn copy_into<T: Copy>(dst: &mut [T], at: usize, src: &[T]) {
    for (d, &s) in dst.iter_mut().skip(at).zip(src) {
        *d = s;
    }
}

pub(super) fn check_len(found: usize, needed: usize, what: &'static str) -> Result<()> {
    if found < needed {
        Err(Error::BufferTooSmall {
            what,
            needed,
            found,
        })
    } else {
        Ok(())
    }
}

fn check_exact(found: usize, expected: usize, what: &'static str) -> Result<()> {
    if found != expected {
        Err(Error::DimensionMismatch {
            what,
            expected,
            found,
        })
    } else {
        Ok(())
    }
}

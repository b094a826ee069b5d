//! [`Model`]: kernel regression on any [`Storage`], the one implementation
//! behind [`Regressor`](super::Regressor) and [`SliceRegressor`](super::SliceRegressor).
//!
//! This file holds the model's state, settings and input checks; each
//! operation is a child module with its own `impl Model` block (so they
//! share the helpers here): [`fit`] (factor A = K + λI, solve α, restore on
//! failure), [`update`] (online insert/remove), [`predict`] (means and
//! covariance), [`eigenbasis`] (finite-time flow), [`leave_one_out`] (ridge
//! choice), and the batch [`means`], [`covariance`] and [`noise`] forms.
//! The threaded pipeline (`super::threads`) is a layer below: it sees only
//! kernel matrices (`super::kernel_matrix`), never the model.

mod covariance;
mod eigenbasis;
mod fit;
mod leave_one_out;
mod means;
mod noise;
mod predict;
mod update;

pub use covariance::covariance_work_len;
pub use eigenbasis::Eigenbasis;
pub use means::means_work_len;

use super::kernel_matrix::{prefix, put, TILES};
use super::pairwise::Pairwise;
use super::storage::{Shape, Storage};
use super::{Regime, Ridge, Time};
use crate::error::ensure_finite;
use crate::gram::LaneReal;
use crate::kernel::{Kernel, NetworkKernel};
use crate::linalg::cholesky::dot;
use crate::{Error, Network, Real, Result};

/// Work scalars per unit of capacity that [`Model::covariance_with`] and
/// [`Model::mean_into`] need: `work.len() ≥ WORK_PER_CAPACITY · N`.
pub const WORK_PER_CAPACITY: usize = 5;

/// Kernel regression with a [`Kernel`]: the NNGP or NTK of a [`Network`]
/// (the default `K`; see the [module doc](super) for the formulas), or any
/// other kernel (an [`Rbf`](crate::kernel::Rbf), a user's own). Generic over
/// where it keeps its buffers; use the aliases [`Regressor`](super::Regressor),
/// [`KernelRegressor`](super::KernelRegressor) and
/// [`SliceRegressor`](super::SliceRegressor).
///
/// With a kernel k other than the network's, the model is the Gaussian-process
/// posterior (kernel ridge regression) of k: the formulas of the NNGP regime
/// with Σ = k, means K(x, X)·α and covariance k(x, z) − K(x, X)·A⁻¹·K(X, z).
/// Network-specific methods (the batch covariance matrix, finite-time batch
/// means, the observation-noise forms) exist for the network's kernels only.
///
/// ```
/// use ntk::kernel::Rbf;
/// use ntk::regression::{KernelRegressor, Ridge};
/// let rbf = Rbf::new(0.5, 1.0)?; // length scale, variance
/// let mut reg = KernelRegressor::<f64, _, 8, 1>::from_kernel(rbf, Ridge::Absolute(1e-4))?;
/// let x: Vec<[f64; 1]> = (0..8).map(|i| [i as f64 / 8.0]).collect();
/// let y: Vec<[f64; 1]> = x.iter().map(|p| [f64::sin(6.0 * p[0])]).collect();
/// reg.fit(&x, &y)?;
/// let (mean, variance) = reg.predict_with_variance(&[0.3])?;
/// assert!((mean[0] - f64::sin(1.8)).abs() < 0.05 && variance < 1e-2);
/// # Ok::<(), ntk::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct Model<T, S, K = NetworkKernel<T>> {
    kernel: K,
    /// A network kernel's constants for the scalar kernel loop, formed once
    /// here rather than per prediction (see [`Pairwise`]); `None` for other
    /// kernels.
    pairwise: Option<Pairwise<T>>,
    ridge: Ridge<T>,
    /// The absolute λ of the current factor.
    lambda: T,
    len: usize,
    fitted: bool,
    /// The factor came from online updates, inserts (their kernel rows take
    /// the pair path) or removals (downdates): refactoring reproduces it
    /// only to rounding, and may fail where A is near singular.
    online: bool,
    /// A trial keeps the factor aside in the upper triangle
    /// ([`Model::keep`]): its Gram writes lower triangles only.
    kept: bool,
    /// Threads of the fit and the batch means (1 unless set; u16 fits in
    /// the padding of the settings).
    #[cfg(feature = "std")]
    threads: u16,
    storage: S,
}

impl<T: LaneReal, S: Storage<T>> Model<T, S> {
    /// An empty model with the `regime` kernel of `net` on `storage`.
    ///
    /// Errors: a negative or non-finite ridge.
    pub fn with_storage(
        net: Network<T>,
        regime: Regime,
        ridge: Ridge<T>,
        storage: S,
    ) -> Result<Self> {
        let kernel = match regime {
            Regime::Nngp => net.nngp(),
            Regime::Ntk => net.ntk(),
        };
        Model::with_kernel(kernel, ridge, storage)
    }

    /// The regime (kernel) in use.
    pub fn regime(&self) -> Regime {
        self.kernel.regime()
    }

    /// The network whose kernels are used.
    pub fn network(&self) -> &Network<T> {
        self.kernel.network()
    }
}

impl<T: LaneReal, S: Storage<T>, K: Kernel<T>> Model<T, S, K> {
    /// An empty model with any kernel on `storage`.
    ///
    /// Errors: a negative or non-finite ridge.
    pub fn with_kernel(kernel: K, ridge: Ridge<T>, storage: S) -> Result<Self> {
        check_ridge(ridge)?;
        let dim = storage.shape().dim;
        Ok(Self {
            pairwise: kernel
                .network_kernel()
                .map(|k| Pairwise::new(k.network(), dim)),
            kernel,
            ridge,
            lambda: T::ZERO,
            len: 0,
            fitted: false,
            online: false,
            kept: false,
            #[cfg(feature = "std")]
            threads: 1,
            storage,
        })
    }

    /// The kernel in use.
    pub fn kernel(&self) -> &K {
        &self.kernel
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

    /// The ridge setting.
    pub fn ridge(&self) -> Ridge<T> {
        self.ridge
    }

    /// The absolute λ of the current fit (equal to the setting for
    /// [`Ridge::Absolute`]; r·mean diagonal for the relative convention).
    pub fn lambda(&self) -> T {
        self.lambda
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
    /// is as it was: the previous ridge, λ, factor and α (see [`Model::refit`]).
    pub fn set_ridge(&mut self, ridge: Ridge<T>) -> Result<()> {
        check_ridge(ridge)?;
        let saved = self.keep();
        self.ridge = ridge;
        self.refit_or_restore(saved)
    }

    fn row(&self, i: usize) -> &[T] {
        let d = self.shape().dim;
        // `get`: in bounds by construction; no panic path on firmware.
        let x = self.storage.parts().x;
        x.get(i * d..(i + 1) * d).unwrap_or_default()
    }

    /// A network kernel's network, regime and pair loop; `None` for other kernels.
    /// (The model of a network kernel always keeps its pair loop; forming
    /// one when it is missing, rather than answering `None`, lets a firmware
    /// build drop the tile path: 4.5 KB of flash on a Cortex-M4F.)
    /// Inlined, so that the `None` case of a network kernel is seen dead.
    #[inline(always)]
    fn net(&self) -> Option<(&Network<T>, Regime, Pairwise<T>)> {
        let k = self.kernel.network_kernel()?;
        Some((k.network(), k.regime(), self.pairwise_of(k.network())))
    }

    /// The model's pair loop, or one formed for `net` (see [`Model::net`]).
    fn pairwise_of(&self, net: &Network<T>) -> Pairwise<T> {
        let dim = self.shape().dim;
        (self.pairwise).unwrap_or_else(|| Pairwise::new(net, dim))
    }

    /// The prior covariance of the predictions at `x` and `z`: Σ(x, z) for a
    /// network kernel (in both regimes), else k(x, z).
    fn prior(&self, x: &[T], z: &[T]) -> Result<T> {
        match self.net() {
            Some((net, ..)) => Ok(net
                .kernels_of(&net.point(x)?, &net.point(z)?, dot(x, z))
                .nngp),
            None => self.kernel.eval(x, z),
        }
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

/// out += k·(row i of the n×O `weights`), O = `out.len()` (sized by
/// construction; `get` keeps this panic-free).
fn add_row<T: Real>(out: &mut [T], k: T, weights: &[T], i: usize) {
    let o = out.len();
    let w = weights.get(i * o..i * o + o).unwrap_or(&[]);
    for (out_m, &wm) in out.iter_mut().zip(w) {
        *out_m += k * wm;
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

/// Copies `src` into `dst` from index `at` (what fits: `dst` is sized by construction).
fn copy_into<T: Copy>(dst: &mut [T], at: usize, src: &[T]) {
    for (d, &s) in dst.iter_mut().skip(at).zip(src) {
        *d = s;
    }
}

/// Moves rows i+1..n of a buffer of rows of `width` scalars up by one (no
/// panic path on firmware: `copy_within` keeps two range checks there).
fn drop_row<T: Real>(buf: &mut [T], i: usize, n: usize, width: usize) {
    for k in i * width..n.saturating_sub(1) * width {
        crate::linalg::set(buf, k, crate::linalg::at(buf, k + width));
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

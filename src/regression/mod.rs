//! Kernel regression with the NNGP or the NTK: the trained infinitely wide
//! network, its uncertainty and its training dynamics, in fixed memory.
//!
//! With training inputs X (n points), targets Y (n×O), the regime's kernel
//! K (the NNGP Σ or the NTK Θ, see [`Regime`]) and a ridge λ
//! ([`Ridge`]), let A = K(X, X) + λI. Then, following neural-tangents 0.6.5
//! `predict.gradient_descent_mse_ensemble`:
//!
//! ```text
//! mean(x)        = K(x, X) A⁻¹ Y                                  (t = ∞)
//! cov_nngp(x, z) = Σ(x, z) − Σ(x, X) A⁻¹ Σ(X, z)                  (regime NNGP)
//! cov_ntk(x, z)  = Σ(x, z) + Θ(x, X) A⁻¹ Σ(X, X) A⁻¹ Θ(X, z)
//!                  − Θ(x, X) A⁻¹ Σ(X, z) − Θ(z, X) A⁻¹ Σ(X, x)   (regime NTK)
//! ```
//!
//! Any other [`Kernel`](crate::kernel::Kernel) k (an RBF, a user's own) takes
//! the NNGP-regime formulas with Σ = Θ = k: the Gaussian-process posterior
//! of k ([`KernelRegressor`], [`Model::with_kernel`]); a Gram matrix
//! computed elsewhere goes to [`Precomputed`].
//!
//! For the NNGP regime this is the Bayesian posterior of the network at
//! initialisation (equivalently the ensemble with only the readout
//! trained); for the NTK regime it is the distribution over random
//! initialisations of an infinitely wide network trained to convergence by
//! gradient descent on squared loss. At a finite training time t with
//! learning rate η, A⁻¹ is replaced by V·diag(g(τ))·Vᵀ with A = V·diag(e)·Vᵀ,
//! τ = η·t and
//!
//! ```text
//! g(τ)ᵢ = (1 − exp(−max(eᵢ, 0)·τ/N)) / |eᵢ|,      N = n·O = y_train.size
//! ```
//!
//! (τ → 2τ in the NNGP-regime covariance). The time scale uses N = n·O, the
//! *number of target values*, exactly as neural-tangents does: it is gradient
//! flow on the loss (1/(2N))·Σ(f − y)². See [`Time`].
//!
//! **Uncertainty.** For error bars on data use the NNGP regime at t = ∞ with
//! the ridge equal to the observation-noise variance: its covariance is then
//! the Bayesian posterior of f, and [`Model::observation_variance_with`]
//! (or [`Regressor::predict_with_noise`]) adds σ²_noise for the next noisy
//! measurement. The NTK regime's covariance is the spread of the trained
//! ensemble over initialisations, not a posterior.
//!
//! Batches: [`Model::means_at_into`] gives the means of m queries at any
//! time (at finite t the flow weights V·diag(g(τ))·Vᵀ·Y once, then a kernel
//! row per query), [`Model::covariance_matrix_into`] the whole m×m
//! covariance in one pass over the training set.
//!
//! The same [`Model`] runs on inline arrays ([`Regressor`], no heap), on a
//! caller-provided slice ([`SliceRegressor`]) or, with feature `std`, on a
//! heap buffer sized at run time (`VecRegressor::with_capacity`). Online learning extends or
//! downdates the Cholesky factor in O(N²) ([`Model::insert_row`],
//! [`Model::remove`], [`Model::push_row`]); closed-form leave-one-out
//! residuals ([`Model::loo_residuals_into`]) drive a ridge chooser
//! ([`Model::choose_ridge_with`]). [`Precomputed`] runs the same t = ∞
//! numerics on a Gram matrix you supply, of any kernel
//! ([`kernel::Kernel`](crate::kernel::Kernel)).
//!
//! ```
//! use ntk::regression::{Regime, Regressor, Ridge};
//! use ntk::{Activation, Network};
//!
//! let net = Network::<f64>::new(2, Activation::Relu)?.with_std(1.5, Some(0.1))?;
//! // Capacity 8 points of dimension 2, one output.
//! let mut reg = Regressor::<f64, 8, 2>::new(net, Regime::Ntk, Ridge::Absolute(1e-8))?;
//! reg.fit(&[[0.0, 1.0], [1.0, 0.0], [1.0, 1.0]], &[[1.0], [-1.0], [0.5]])?;
//! let ([mean], var) = reg.predict_with_variance(&[1.0, 1.0])?;
//! assert!((mean - 0.5).abs() < 1e-6 && var < 1e-6); // interpolates, certain at a training point
//! reg.insert([0.5, -0.5], [2.0]).map_err(|r| r.error)?; // O(N²) online update
//! assert_eq!(reg.len(), 4);
//! # Ok::<(), ntk::Error>(())
//! ```
//!
//! **Stack use.** `Regressor<T, N, D, O>` is `N·(N + D + 2·O)·size_of::<T>()`
//! bytes plus the settings and the `Network` (≈ 540 B in f32, ≈ 900 B in f64:
//! an activation holds up to 8 polynomial coefficients inline)
//! (`tests/regression_properties.rs` checks `size_of`); e.g. N = 32, D = 4,
//! O = 1 in f32 is 5.1 KiB in all, N = 64, D = 8 in f64 is 37.6 KiB. The convenience
//! methods of [`Regressor`] put their work vectors on the stack: 2·N scalars
//! for a mean, 5·N for a covariance, and N·N + N scalars transiently for [`Regressor::eigenbasis`]
//! (besides the N·N + N of the returned [`InlineEigenbasis`]). On hosts the training
//! Gram matrix and the online updates come from [`crate::gram`] tiles, whose
//! frame is measured in the [`crate::gram`] docs (a fit or an insertion needs
//! a thread stack of about 99 KiB in f32, 128 KiB in f64, release build). Kernel rows of queries, and on targets without an OS
//! (`target_os = "none"`) every kernel, are evaluated pair by pair (the
//! `pairwise` module: ReLU family by the lane formula with hardware roots,
//! other activations by the exact recursion), which needs no tile frame: fit +
//! predict then take about 1.3 KB (f32) or 2.2 KB (f64) of stack besides the
//! model on a Cortex-M (measured by stack painting on the boards, see BENCHMARKS.md).
//!
//! **Several cores** (feature `std`). `Model::set_threads` runs fits,
//! refits and [`Model::means_into`] on pooled worker threads: the fit as a
//! pipeline over row blocks (Gram rows and Cholesky factor overlapped,
//! each block waiting only for the rows it needs last), the means split by
//! query rows. The results are bitwise those of one thread
//! (`tests/regression_threads.rs`). At N = 256 (f64, native build) fit +
//! predict took 0.56–0.69 ms on the 2 cores of the (shared) test machine against 1.0 ms
//! on one.

mod inline;
mod kernel_matrix;
mod model;
#[cfg(feature = "std")]
mod owned;
mod pairwise;
#[cfg(feature = "std")]
mod pool;
mod precomputed;
mod storage;
#[cfg(feature = "std")]
mod threads;

pub use inline::{InlineEigenbasis, Rejected};
pub use model::{covariance_work_len, means_work_len, Eigenbasis, Model, WORK_PER_CAPACITY};
#[cfg(feature = "std")]
pub use owned::{Owned, VecEigenbasis, VecRegressor};
#[cfg(feature = "rayon")]
#[doc(hidden)]
pub use pool::bench_rayon_workers;
pub use precomputed::Precomputed;
pub use storage::{Inline, Shape, Storage, Workspace};

use crate::Real;

/// Which kernel the regression uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Regime {
    /// The NNGP Σ: Bayesian posterior of the network at initialisation
    /// (neural-tangents `get='nngp'`).
    Nngp,
    /// The NTK Θ: the infinitely wide network trained by gradient descent
    /// (neural-tangents `get='ntk'`).
    Ntk,
}

/// The ridge λ added to the diagonal of the training Gram matrix.
#[derive(Clone, Copy, Debug, PartialEq)]
#[non_exhaustive]
pub enum Ridge<T> {
    /// λ itself (neural-tangents `diag_reg=λ, diag_reg_absolute_scale=True`).
    Absolute(T),
    /// neural-tangents' default `diag_reg` convention: λ = r·trace(K)/n,
    /// relative to the mean diagonal of the regime's training Gram matrix.
    /// λ is computed at each [`Model::fit_rows`] / [`Model::refit`] (or from
    /// the first point inserted into an empty model) and kept fixed by
    /// online insertions and removals, so that they stay O(N²).
    RelativeToMeanDiagonal(T),
}

impl<T: Real> Ridge<T> {
    /// The value (absolute λ or relative r).
    pub fn value(self) -> T {
        match self {
            Ridge::Absolute(v) | Ridge::RelativeToMeanDiagonal(v) => v,
        }
    }

    /// The absolute λ for a training Gram matrix of mean diagonal `mean_diag`.
    pub(crate) fn absolute(self, mean_diag: T) -> T {
        match self {
            Ridge::Absolute(l) => l,
            Ridge::RelativeToMeanDiagonal(r) => r * mean_diag,
        }
    }

    /// The same convention with another value.
    pub fn with_value(self, v: T) -> Self {
        match self {
            Ridge::Absolute(_) => Ridge::Absolute(v),
            Ridge::RelativeToMeanDiagonal(_) => Ridge::RelativeToMeanDiagonal(v),
        }
    }
}

/// The training time at which to predict.
#[derive(Clone, Copy, Debug)]
pub enum Time<'s, T> {
    /// t = ∞: trained to convergence (Cholesky path).
    Infinite,
    /// Finite t with learning rate η (τ = η·t, scaled by 1/(n·O) as in
    /// neural-tangents), using the eigendecomposition of A from
    /// [`Model::eigenbasis_into`] or [`Regressor::eigenbasis`]. η means what
    /// it means in [`crate::finite::Training`]: k gradient steps of a wide
    /// network at rate η follow the flow to t = k.
    Finite {
        /// t ≥ 0 (t = 0 gives the prior: mean 0, covariance Σ(x, z)).
        t: T,
        /// η > 0.
        learning_rate: T,
        /// The eigendecomposition of A for the current training set.
        basis: Eigenbasis<'s, T>,
    },
}

/// A fixed-capacity regressor with inline storage: at most `N` training
/// points of dimension `D`, `O` outputs (default 1). No heap; see the
/// module doc for its size.
pub type Regressor<T, const N: usize, const D: usize, const O: usize = 1> =
    Model<T, Inline<T, N, D, O>>;

/// [`Regressor`] with any [`Kernel`](crate::kernel::Kernel) `K` (an
/// [`Rbf`](crate::kernel::Rbf), a user's own): the Gaussian-process posterior
/// of K, no heap. Built by [`Model::from_kernel`]; see [`Model`].
pub type KernelRegressor<T, K, const N: usize, const D: usize, const O: usize = 1> =
    Model<T, Inline<T, N, D, O>, K>;

/// A regressor on a caller-provided slice ([`Workspace`]), for large N on hosts.
pub type SliceRegressor<'a, T> = Model<T, Workspace<'a, T>>;

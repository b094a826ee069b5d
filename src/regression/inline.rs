//! Array-typed conveniences of the inline [`Regressor`](super::Regressor): fixed-size inputs
//! and outputs, work vectors on the stack, points handed back on rejection.

use super::model::{Eigenbasis, Model, WORK_PER_CAPACITY};
use super::storage::Inline;
use super::{Regime, Ridge, Time};
use crate::gram::LaneReal;
use crate::kernel::Kernel;
use crate::{Error, Network, Real, Result};

/// A point the regressor did not take, handed back with the reason
/// (heapless style: nothing is lost).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rejected<T, const D: usize, const O: usize> {
    /// The input.
    pub x: [T; D],
    /// The target.
    pub y: [T; O],
    /// Why (e.g. [`Error::CapacityExceeded`], [`Error::NotPositiveDefinite`]).
    pub error: Error,
}

impl<T, const D: usize, const O: usize> core::fmt::Display for Rejected<T, D, O> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "point rejected: {}", self.error)
    }
}

impl<T: core::fmt::Debug, const D: usize, const O: usize> core::error::Error for Rejected<T, D, O> {
    fn source(&self) -> Option<&(dyn core::error::Error + 'static)> {
        Some(&self.error)
    }
}

/// `reg.push(x, y)?` in a function returning [`crate::Result`]: the point is
/// dropped, its [`Error`] kept.
impl<T, const D: usize, const O: usize> From<Rejected<T, D, O>> for Error {
    fn from(r: Rejected<T, D, O>) -> Error {
        r.error
    }
}

/// The eigendecomposition of A for finite-time predictions of a
/// [`Regressor`](super::Regressor) with capacity N (`(N + 1)·N` scalars inline).
#[derive(Clone, Debug)]
pub struct InlineEigenbasis<T, const N: usize> {
    vectors: [[T; N]; N],
    values: [T; N],
    n: usize,
}

impl<T: Real, const N: usize> InlineEigenbasis<T, N> {
    /// The borrowed basis, for [`Time::Finite`].
    pub fn basis(&self) -> Eigenbasis<'_, T> {
        Eigenbasis::new(self.vectors.as_flattened(), &self.values, self.n, N)
    }

    /// [`Time::Finite`] at time `t` with learning rate η.
    pub fn at(&self, t: T, learning_rate: T) -> Time<'_, T> {
        Time::Finite {
            t,
            learning_rate,
            basis: self.basis(),
        }
    }
}

impl<T: LaneReal, const N: usize, const D: usize, const O: usize> Model<T, Inline<T, N, D, O>> {
    /// An empty regressor with the `regime` kernel of `net` (capacity N,
    /// dimension D, O outputs).
    ///
    /// Errors: a negative or non-finite ridge; D or O zero.
    pub fn new(net: Network<T>, regime: Regime, ridge: Ridge<T>) -> Result<Self> {
        let kernel = match regime {
            Regime::Nngp => net.nngp(),
            Regime::Ntk => net.ntk(),
        };
        Model::from_kernel(kernel, ridge)
    }
}

impl<T: LaneReal, K: Kernel<T>, const N: usize, const D: usize, const O: usize>
    Model<T, Inline<T, N, D, O>, K>
{
    /// An empty regressor with any kernel (capacity N, dimension D, O
    /// outputs); see [`KernelRegressor`](super::KernelRegressor).
    ///
    /// Errors: a negative or non-finite ridge; D or O zero.
    pub fn from_kernel(kernel: K, ridge: Ridge<T>) -> Result<Self> {
        if D == 0 || O == 0 {
            return Err(Error::Empty {
                what: "input dimension or outputs",
            });
        }
        Model::with_kernel(kernel, ridge, Inline::default())
    }

    /// Fits the points `x` with targets `y` ([`Model::fit_rows`]).
    pub fn fit(&mut self, x: &[[T; D]], y: &[[T; O]]) -> Result<()> {
        self.fit_rows(x.as_flattened(), y.as_flattened())
    }

    /// Adds a point in O(N²) ([`Model::insert_row`]); on failure the point
    /// comes back in [`Rejected`], which converts into [`Error`] for `?`:
    ///
    /// ```
    /// use ntk::regression::{Regime, Regressor, Ridge};
    /// use ntk::{Activation, Network};
    /// fn learn() -> ntk::Result<f64> {
    ///     let net = Network::new(2, Activation::Relu)?;
    ///     let mut reg = Regressor::<f64, 2, 1>::new(net, Regime::Ntk, Ridge::Absolute(1e-6))?;
    ///     reg.insert([0.0], [1.0])?;
    ///     reg.insert([1.0], [2.0])?;
    ///     let full = reg.insert([2.0], [3.0]).unwrap_err(); // capacity 2: handed back
    ///     assert_eq!(full.x, [2.0]);
    ///     Ok(reg.predict(&[0.5])?[0])
    /// }
    /// assert!(learn()?.is_finite());
    /// # Ok::<(), ntk::Error>(())
    /// ```
    pub fn insert(&mut self, x: [T; D], y: [T; O]) -> core::result::Result<(), Rejected<T, D, O>> {
        self.insert_row(&x, &y)
            .map_err(|error| Rejected { x, y, error })
    }

    /// Sliding window ([`Model::push_row`]): drops the oldest point when full.
    pub fn push(&mut self, x: [T; D], y: [T; O]) -> core::result::Result<(), Rejected<T, D, O>> {
        self.push_row(&x, &y)
            .map_err(|error| Rejected { x, y, error })
    }

    /// The mean prediction at t = ∞.
    pub fn predict(&self, x: &[T; D]) -> Result<[T; O]> {
        self.predict_at(x, &Time::Infinite)
    }

    /// The mean prediction at a training time.
    pub fn predict_at(&self, x: &[T; D], time: &Time<'_, T>) -> Result<[T; O]> {
        let mut out = [T::ZERO; O];
        let mut work = [[T::ZERO; N]; 2];
        self.mean_into(x, time, &mut out, work.as_flattened_mut())?;
        Ok(out)
    }

    /// Mean and variance at t = ∞; the variance is clamped at 0 (rounding
    /// can make it −ε at a training point).
    pub fn predict_with_variance(&self, x: &[T; D]) -> Result<([T; O], T)> {
        let mean = self.predict(x)?;
        let var = self.covariance(x, x, &Time::Infinite)?;
        Ok((mean, var.max(T::ZERO)))
    }

    /// The predictive covariance between `x` and `z` ([`Model::covariance_with`]).
    pub fn covariance(&self, x: &[T; D], z: &[T; D], time: &Time<'_, T>) -> Result<T> {
        let mut work = [[T::ZERO; N]; WORK_PER_CAPACITY];
        self.covariance_with(x, z, time, work.as_flattened_mut())
    }

    /// The eigendecomposition of A, for [`Time::Finite`] ([`Model::eigenbasis_into`]).
    pub fn eigenbasis(&self) -> Result<InlineEigenbasis<T, N>> {
        let mut a = [[T::ZERO; N]; N];
        let mut s = InlineEigenbasis {
            vectors: [[T::ZERO; N]; N],
            values: [T::ZERO; N],
            n: self.len(),
        };
        self.eigenbasis_into(
            a.as_flattened_mut(),
            s.vectors.as_flattened_mut(),
            &mut s.values,
        )?;
        Ok(s)
    }

    /// Leave-one-out residuals (rows past `len()` are 0) and their mean square
    /// ([`Model::loo_residuals_into`]).
    pub fn loo_residuals(&self) -> Result<([[T; O]; N], T)> {
        let mut out = [[T::ZERO; O]; N];
        let mut work = [T::ZERO; N];
        let mse = self.loo_residuals_into(out.as_flattened_mut(), &mut work)?;
        Ok((out, mse))
    }

    /// Chooses the ridge from `grid` by leave-one-out error and refits
    /// ([`Model::choose_ridge_with`]).
    pub fn choose_ridge(&mut self, grid: &[T]) -> Result<(Ridge<T>, T)> {
        let mut resid = [[T::ZERO; O]; N];
        let mut tmp = [T::ZERO; N];
        self.choose_ridge_with(grid, resid.as_flattened_mut(), &mut tmp)
    }
}

//! The predictive variance of the next *noisy observation*, and which regime
//! and variance to use for uncertainty.
//!
//! The covariances of [`Model::covariance_with`] are those of the noiseless
//! function value f(x). A new measurement is y = f(x) + ε with independent
//! noise ε of variance σ²_noise, so its predictive variance is
//!
//! ```text
//! Var[y | data] = Var[f(x) | data] + σ²_noise
//! ```
//!
//! **Which regime.** Only the NNGP regime at t = ∞ is a Bayesian posterior:
//! with the prior f ~ GP(0, Σ) and Gaussian noise of variance σ²_noise, the
//! posterior of f is exactly the regime's mean and covariance with ridge
//! λ = σ²_noise ([`Ridge::Absolute`](super::super::Ridge::Absolute)`(σ²_noise)`,
//! or a relative ridge whose [`Model::lambda`] is the noise variance). Its
//! variance plus λ is the one to use for error bars and for coverage of new
//! measurements, provided the prior fits the data: its length scale (here,
//! how the inputs are embedded) and amplitude are model choices, best made
//! by the marginal likelihood. The NTK regime's covariance is the spread over random
//! initialisations of infinitely wide networks trained by gradient descent:
//! a property of the ensemble, not a posterior, and not calibrated for data
//! (on a noisy sensor stream its ±2σ band covered the next sample 87 % of
//! the time with the noise term, 10 % without it; the NNGP regime's 96 %). At finite t both regimes describe partially trained ensembles.

use super::{Model, Storage, Time};
use crate::gram::LaneReal;
use crate::kernel::Kernel;
use crate::regression::storage::Inline;
use crate::regression::WORK_PER_CAPACITY;
use crate::{Error, Real, Result};

impl<T: LaneReal, S: Storage<T>, K: Kernel<T>> Model<T, S, K> {
    /// Var[y | data] = Var[f(x) | data] + σ²_noise: the predictive variance
    /// of a new noisy observation at `x` (see the [regression module doc](crate::regression) for
    /// which regime to use: the NNGP regime at t = ∞ with
    /// `noise_variance` = [`Model::lambda`] is the Bayesian answer). The
    /// function variance [`Model::covariance_with`]`(x, x)` is clamped at 0
    /// first (rounding can make it −ε at a training point). `work` as for
    /// [`Model::covariance_with`].
    ///
    /// Errors: as [`Model::covariance_with`]; a negative or non-finite
    /// `noise_variance` ([`Error::InvalidParameter`]).
    pub fn observation_variance_with(
        &self,
        x: &[T],
        time: &Time<'_, T>,
        noise_variance: T,
        work: &mut [T],
    ) -> Result<T> {
        check_noise(noise_variance)?;
        let var = self.covariance_with(x, x, time, work)?;
        Ok(var.max(T::ZERO) + noise_variance)
    }
}

impl<T: LaneReal, K: Kernel<T>, const N: usize, const D: usize, const O: usize>
    Model<T, Inline<T, N, D, O>, K>
{
    /// The t = ∞ mean and the variance of the next noisy observation at `x`
    /// ([`Model::observation_variance_with`]). For the Bayesian predictive
    /// distribution use the NNGP regime and `noise_variance` =
    /// [`Model::lambda`]:
    ///
    /// ```
    /// use ntk::regression::{Regime, Regressor, Ridge};
    /// use ntk::{Activation, Network};
    /// let net = Network::<f64>::new(2, Activation::Relu)?;
    /// let noise = 0.1f64; // the measurement noise's standard deviation
    /// let ridge = Ridge::Absolute(noise * noise);
    /// let mut reg = Regressor::<f64, 8, 1>::new(net, Regime::Nngp, ridge)?;
    /// reg.fit(&[[0.0], [0.5], [1.0]], &[[0.1], [0.4], [1.05]])?;
    /// let ([mean], var) = reg.predict_with_noise(&[0.5], reg.lambda())?;
    /// // A 95 % interval for the next measurement at 0.5: mean ± 1.96·√var.
    /// assert!(var > noise * noise && (mean - 0.5).abs() < 0.2);
    /// # Ok::<(), ntk::Error>(())
    /// ```
    pub fn predict_with_noise(&self, x: &[T; D], noise_variance: T) -> Result<([T; O], T)> {
        let mean = self.predict(x)?;
        let mut work = [[T::ZERO; N]; WORK_PER_CAPACITY];
        let time = Time::Infinite;
        let var =
            self.observation_variance_with(x, &time, noise_variance, work.as_flattened_mut())?;
        Ok((mean, var))
    }
}

fn check_noise<T: Real>(v: T) -> Result<()> {
    if v.is_finite() && v >= T::ZERO {
        Ok(())
    } else {
        Err(Error::InvalidParameter {
            what: "noise variance must be finite and >= 0",
        })
    }
}

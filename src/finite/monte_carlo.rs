//! Monte Carlo over random networks: the empirical NNGP E[f(x)f(z)] and the
//! mean empirical NTK, each with its standard error.

use super::FiniteNetwork;
use crate::{Error, Real, Result};
use rand_core::Rng;

/// A Monte Carlo mean with its standard error s/√N (s the sample standard deviation).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Estimate<T> {
    /// The sample mean.
    pub mean: T,
    /// Its standard error s/√N.
    pub std_err: T,
    /// The number of samples N.
    pub samples: usize,
}

/// Monte Carlo estimates of both kernels at a pair (x, z).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct MonteCarlo<T> {
    /// Mean of f(x)·f(z) over independent networks → Σ(x, z).
    pub nngp: Estimate<T>,
    /// Mean of the empirical NTK Θ̂(x, z) over the same networks → Θ(x, z) + O(1/w).
    pub ntk: Estimate<T>,
}

/// Welford's running mean and sum of squared deviations.
#[derive(Clone, Copy, Default)]
struct Running<T> {
    n: usize,
    mean: T,
    m2: T,
}

impl<T: Real> Running<T> {
    fn push(&mut self, v: T) {
        self.n += 1;
        let delta = v - self.mean;
        self.mean += delta / T::from_usize(self.n);
        self.m2 += delta * (v - self.mean);
    }

    /// Needs n ≥ 2.
    fn estimate(&self) -> Estimate<T> {
        let n = T::from_usize(self.n);
        let variance = self.m2 / (n - T::ONE);
        Estimate {
            mean: self.mean,
            std_err: (variance / n).sqrt(),
            samples: self.n,
        }
    }
}

impl<T: Real> FiniteNetwork<T> {
    /// Draws `networks` independent networks (parameters into `params`, which
    /// end up holding the last one) and averages f(x)·f(z) — the empirical
    /// NNGP — and the empirical NTK Θ̂(x, z) of [`kernels`](Self::kernels).
    ///
    /// E[f(x)f(z)] = Σ(x, z) exactly for one hidden layer and up to O(1/w)
    /// for deeper networks; the standard error shrinks like 1/√`networks`.
    ///
    /// ```
    /// use ntk::{finite::FiniteNetwork, Activation, Network};
    /// use rand_xoshiro::{rand_core::SeedableRng, Xoshiro256PlusPlus};
    /// let net = Network::<f64>::new(1, Activation::Relu)?.with_std(2f64.sqrt(), Some(0.1))?;
    /// let fnet = FiniteNetwork::new(net, 2, 64)?;
    /// let (mut params, mut work) = (vec![0.0; fnet.param_len()], vec![0.0; fnet.workspace_len(2)]);
    /// let mut rng = Xoshiro256PlusPlus::seed_from_u64(3);
    /// let (x, z) = ([1.0, 0.0], [0.6, 0.8]);
    /// let mc = fnet.monte_carlo(&mut rng, 2000, &x, &z, &mut params, &mut work)?;
    /// let exact = net.kernels(&x, &z)?;
    /// assert!((mc.nngp.mean - exact.nngp).abs() < 5.0 * mc.nngp.std_err);
    /// # Ok::<(), ntk::Error>(())
    /// ```
    ///
    /// `work` needs [`workspace_len`](Self::workspace_len)`(2)` values.
    /// Errors: fewer than 2 networks, or the errors of [`kernels`](Self::kernels);
    /// an estimate that overflows ([`Error::NonFinite`]).
    pub fn monte_carlo<R: Rng + ?Sized>(
        &self,
        rng: &mut R,
        networks: usize,
        x: &[T],
        z: &[T],
        params: &mut [T],
        work: &mut [T],
    ) -> Result<MonteCarlo<T>> {
        if networks < 2 {
            return Err(Error::InvalidParameter {
                what: "networks must be >= 2 for a standard error",
            });
        }
        let (mut nngp, mut ntk) = (Running::default(), Running::default());
        for _ in 0..networks {
            self.init(params, rng)?;
            let k = self.kernels(params, x, z, work)?;
            let f = self.outputs_of(work, 2);
            nngp.push(f[0] * f[1]);
            ntk.push(k.ntk);
        }
        let (nngp, ntk) = (nngp.estimate(), ntk.estimate());
        crate::error::ensure_finite(
            &[nngp.mean, nngp.std_err, ntk.mean, ntk.std_err],
            "Monte Carlo estimate (overflow)",
        )?;
        Ok(MonteCarlo { nngp, ntk })
    }
}

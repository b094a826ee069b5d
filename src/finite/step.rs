//! One gradient step at a time: training loops with any stopping rule,
//! schedule or logging, of which [`FiniteNetwork::train`] is one.

use super::train::Training;
use super::{FiniteNetwork, Inputs};
use crate::{Error, Real, Result};

impl<T: Real> FiniteNetwork<T> {
    /// One full-batch gradient-descent step θ ← θ − η·∇L(θ) on
    /// L = (1/(2n))·Σₚ (f(xₚ) − cₚ − yₚ)² (neural-tangents' convention, as
    /// [`train`](Self::train)): one forward and one backward pass. Returns
    /// the training MSE (1/n)·Σr² of the parameters *before* the step.
    ///
    /// k calls equal `train` with `max_steps: k, tolerance: 0` bit for bit;
    /// a loop of calls can stop on any rule, change η between steps or
    /// record the trajectory:
    ///
    /// ```
    /// use ntk::finite::FiniteNetwork;
    /// use ntk::{Activation, Network};
    /// use rand_xoshiro::{rand_core::SeedableRng, Xoshiro256PlusPlus};
    /// let net = Network::<f64>::new(1, Activation::Relu)?.with_std(2f64.sqrt(), Some(0.1))?;
    /// let fnet = FiniteNetwork::new(net, 2, 128)?;
    /// let (xs, ys) = ([1.0, 0.0, 0.0, 1.0, -1.0, 0.5], [1.0, -1.0, 0.5]);
    /// let mut params = vec![0.0; fnet.param_len()];
    /// let mut work = vec![0.0; fnet.workspace_len(3)];
    /// fnet.init(&mut params, &mut Xoshiro256PlusPlus::seed_from_u64(5))?;
    /// let mut losses = vec![];
    /// for k in 0..2000 {
    ///     let eta = if k < 100 { 0.2 } else { 1.0 }; // a warm-up schedule
    ///     let mse = fnet.step(&mut params, &xs, &ys, None, eta, &mut work)?;
    ///     losses.push(mse);
    ///     if mse < 1e-6 {
    ///         break;
    ///     }
    /// }
    /// assert!(*losses.last().unwrap() < 1e-6 && losses[0] > 1e-2);
    /// # Ok::<(), ntk::Error>(())
    /// ```
    ///
    /// `work` needs [`workspace_len`](Self::workspace_len)`(n)` values.
    /// Errors (parameters untouched): as [`train`](Self::train)'s checks;
    /// [`Error::NonFinite`] if the loss is not finite (η too large earlier).
    /// [`Error::NoConvergence`] if the step made a parameter non-finite (η
    /// far too large): the parameters are then the overflowed ones;
    /// re-initialise them.
    pub fn step(
        &self,
        params: &mut [T],
        xs: &[T],
        ys: &[T],
        offsets: Option<&[T]>,
        learning_rate: T,
        work: &mut [T],
    ) -> Result<T> {
        let n = ys.len();
        self.check(params, xs, n)?;
        self.check_work(n, work.len())?;
        let training = Training {
            learning_rate,
            max_steps: 1,
            tolerance: T::ZERO,
        };
        self.check_training(params, ys, offsets, &training)?;
        let mse = self.loss_seeds(params, xs, ys, offsets, work);
        if !mse.is_finite() {
            return Err(Error::NonFinite {
                what: "training loss",
            });
        }
        self.backward_tape(params, n, work);
        self.descend(params, xs, n, work, learning_rate);
        if !params[..self.param_len()].iter().all(|p| p.is_finite()) {
            return Err(Error::NoConvergence {
                what: "gradient step (a parameter overflowed: lower the learning rate)",
            });
        }
        Ok(mse)
    }

    /// Forward pass of the batch, then the seeds ∂L/∂fₚ = rₚ/n next to the
    /// outputs on the tape (rₚ = fₚ − cₚ − yₚ); returns the MSE (1/n)·Σr².
    pub(super) fn loss_seeds(
        &self,
        params: &[T],
        xs: &[T],
        ys: &[T],
        offsets: Option<&[T]>,
        work: &mut [T],
    ) -> T {
        let n = ys.len();
        let inv_n = T::ONE / T::from_usize(n);
        self.forward_tape(params, Inputs::Batch(xs), n, work);
        let readout = self.block(self.network().depth(), n);
        let (out, rest) = work[readout..].split_at_mut(n);
        let mut sse = T::ZERO;
        for (p, (s, &f)) in rest[n..2 * n].iter_mut().zip(out.iter()).enumerate() {
            let r = f - offsets.map_or(T::ZERO, |c| c[p]) - ys[p];
            sse += r * r;
            *s = r * inv_n;
        }
        sse * inv_n
    }
}

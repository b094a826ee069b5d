//! Full-batch gradient descent on squared loss, in neural-tangents'
//! learning-rate convention.
//!
//! ```text
//! L(θ) = (1/(2n))·Σₚ (f(xₚ) − cₚ − yₚ)²,      θ ← θ − η·∇L(θ)
//! ```
//!
//! with optional offsets cₚ = f₀(xₚ), the outputs at initialisation, so that
//! the *centred* prediction f − f₀ starts at 0 (kernel regression from zero).
//! The loss is neural-tangents' 1/(2N)·Σr² (N = n·O = n targets), the
//! convention of [`Time::Finite`](crate::regression::Time::Finite): in the
//! wide limit and for small η, k steps at rate η follow gradient flow
//! df/dt = −(η/n)·Θ·(f − y) to t = k, i.e. the regression's mean at
//! `Time::Finite { t: k, learning_rate: η }`; as k → ∞,
//! f − f₀ → Θ(·, X)Θ(X, X)⁻¹y.
//!
//! **The other convention.** Descent on the mean squared error
//! (1/n)·Σr² with rate η′ (the eigenlearning papers' form, and what `train`
//! minimised before) is the same iteration with η = 2η′: pass
//! `learning_rate: 2.0 * eta_prime`.

use super::{axpy, row_tiles, FiniteNetwork, Inputs};
use crate::error::ensure_finite;
use crate::{Error, Real, Result};

/// Training stops with an error once the loss exceeds its initial value by
/// this factor: gradient descent is diverging, and stopping here keeps the
/// parameters finite.
const DIVERGED: f64 = 1e12;

/// Gradient-descent settings.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Training<T> {
    /// Step size η > 0 on the loss (1/(2n))·Σr² (neural-tangents'
    /// convention; η = 2η′ for a rate η′ on the MSE (1/n)·Σr²).
    pub learning_rate: T,
    /// At most this many steps.
    pub max_steps: usize,
    /// Stop as soon as the training MSE is below this (≥ 0).
    pub tolerance: T,
}

/// What [`FiniteNetwork::train`] did.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TrainingReport<T> {
    /// Number of gradient steps taken.
    pub steps: usize,
    /// Training MSE (1/n)Σ(f − c − y)² of the returned parameters.
    pub train_mse: T,
    /// Whether `train_mse < tolerance`.
    pub converged: bool,
}

impl<T: Real> FiniteNetwork<T> {
    /// Trains `params` by full-batch gradient descent on the n = `ys.len()`
    /// points `xs` (row-major n × d) with targets `ys`; `offsets` (length n)
    /// are subtracted from the outputs — pass f₀(X) from
    /// [`forward_batch`](Self::forward_batch) before training to train the
    /// centred network f − f₀ (and subtract f₀ at test points too).
    ///
    /// Each step costs one forward and one backward pass over the batch,
    /// ≈ 3·n·P multiply-adds for P parameters. The MSE is checked before
    /// every step; not reaching `tolerance` in `max_steps` is reported, not
    /// an error. For another stopping rule, a learning-rate schedule or a
    /// record of the trajectory, call [`step`](Self::step) in a loop.
    ///
    /// ```
    /// use ntk::finite::{FiniteNetwork, Training};
    /// use ntk::{Activation, Network};
    /// use rand_xoshiro::{rand_core::SeedableRng, Xoshiro256PlusPlus};
    /// let net = Network::<f64>::new(1, Activation::Relu)?.with_std(2f64.sqrt(), Some(0.1))?;
    /// let fnet = FiniteNetwork::new(net, 2, 128)?;
    /// let (xs, ys) = ([1.0, 0.0, 0.0, 1.0, -1.0, 0.5], [1.0, -1.0, 0.5]);
    /// let mut params = vec![0.0; fnet.param_len()];
    /// let mut work = vec![0.0; fnet.workspace_len(3)];
    /// fnet.init(&mut params, &mut Xoshiro256PlusPlus::seed_from_u64(5))?;
    /// let mut f0 = [0.0; 3];
    /// fnet.forward_batch(&params, &xs, &mut f0, &mut work)?;
    /// let training = Training { learning_rate: 1.0, max_steps: 10_000, tolerance: 1e-8 };
    /// let report = fnet.train(&mut params, &xs, &ys, Some(&f0), &training, &mut work)?;
    /// assert!(report.converged && report.train_mse < 1e-8);
    /// # Ok::<(), ntk::Error>(())
    /// ```
    ///
    /// `work` needs [`workspace_len`](Self::workspace_len)`(n)` values.
    /// Errors: bad lengths or non-finite data or parameters, η ≤ 0,
    /// tolerance < 0, and [`Error::NoConvergence`] if the loss diverges (η too
    /// large: the MSE exceeds 10¹² times its initial value or overflows, or
    /// a parameter overflows) —
    /// the parameters are then those of the last step, usually still finite
    /// but meaningless: re-initialise them.
    pub fn train(
        &self,
        params: &mut [T],
        xs: &[T],
        ys: &[T],
        offsets: Option<&[T]>,
        training: &Training<T>,
        work: &mut [T],
    ) -> Result<TrainingReport<T>> {
        let n = ys.len();
        self.check(params, xs, n)?;
        self.check_work(n, work.len())?;
        self.check_training(params, ys, offsets, training)?;
        let (mut step, mut initial_mse) = (0, T::ZERO);
        loop {
            let mse = self.loss_seeds(params, xs, ys, offsets, work);
            if step == 0 {
                initial_mse = mse;
            }
            if !mse.is_finite() || mse > T::from_f64(DIVERGED) * initial_mse {
                return Err(Error::NoConvergence {
                    what: "gradient descent (the loss diverged: lower the learning rate)",
                });
            }
            if mse < training.tolerance || step == training.max_steps {
                return Ok(TrainingReport {
                    steps: step,
                    train_mse: mse,
                    converged: mse < training.tolerance,
                });
            }
            self.backward_tape(params, n, work);
            self.descend(params, xs, n, work, training.learning_rate);
            // Saturated units (ReLU of −∞) can hide ∞ parameters from the loss.
            if !params[..self.param_len()].iter().all(|p| p.is_finite()) {
                return Err(Error::NoConvergence {
                    what: "gradient descent (a parameter overflowed: lower the learning rate)",
                });
            }
            step += 1;
        }
    }

    pub(super) fn check_training(
        &self,
        params: &[T],
        ys: &[T],
        offsets: Option<&[T]>,
        training: &Training<T>,
    ) -> Result<()> {
        ensure_finite(&params[..self.param_len()], "params")?;
        ensure_finite(ys, "targets")?;
        if let Some(c) = offsets {
            if c.len() != ys.len() {
                return Err(Error::DimensionMismatch {
                    what: "offsets",
                    expected: ys.len(),
                    found: c.len(),
                });
            }
            ensure_finite(c, "offsets")?;
        }
        ensure_finite(
            &[training.learning_rate, training.tolerance],
            "training settings",
        )?;
        if training.learning_rate <= T::ZERO || training.tolerance < T::ZERO {
            return Err(Error::InvalidParameter {
                what: "learning rate must be > 0 and tolerance >= 0",
            });
        }
        Ok(())
    }

    /// θ ← θ − η·∂L/∂θ from the δˡ on the tape: Wˡᵢ −= η·s_w·Σₚ δˡₚᵢ·aˡ⁻¹ₚ.
    /// Tile by tile of W (see [`row_tiles`]), as the other passes.
    pub(super) fn descend(&self, params: &mut [T], xs: &[T], n: usize, work: &[T], eta: T) {
        for l in 0..=self.network().depth() {
            let g = self.layer(l);
            let (delta, input) = self.layer_views(l, Inputs::Batch(xs), n, work);
            let (weights, biases) = params[g.weights..].split_at_mut(g.n_in * g.n_out);
            for rows in row_tiles(g.n_in, g.n_out) {
                let tile = &mut weights[rows.start * g.n_in..rows.end * g.n_in];
                let tile_biases = &mut biases[rows.clone()];
                for p in 0..n {
                    let a = input.row(p, g.n_in);
                    let dp = &delta[p * g.n_out..][rows.clone()];
                    let out = tile.chunks_exact_mut(g.n_in).zip(tile_biases.iter_mut());
                    for ((row, b), &d) in out.zip(dp) {
                        if d != T::ZERO {
                            axpy(-eta * g.scale_w * d, a, row);
                            *b -= eta * g.scale_b * d;
                        }
                    }
                }
            }
        }
    }
}

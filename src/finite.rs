//! Finite-width random networks: the objects whose infinite-width limits
//! [`Network::kernels`] computes.
//!
//! A [`FiniteNetwork`] of width w is the [`Network`] architecture with real
//! weights: L hidden layers `Dense(w) + φ` and a scalar readout `Dense(1)`,
//! the same per-layer `W_std`, `b_std` and [`Parameterization`]:
//!
//! ```text
//! NTK param.:       hˡ = (σ_w/√n_in)·Wˡ·aˡ⁻¹ + σ_b·bˡ,   Wˡ, bˡ ~ N(0, 1) are the parameters θ
//! standard param.:  hˡ = Wˡ·aˡ⁻¹ + bˡ,                   Wˡ ~ N(0, σ_w²/n_in), bˡ ~ N(0, σ_b²)
//! a⁻¹ = x ∈ ℝᵈ,  aˡ = φ(hˡ),  f(x) = h^L ∈ ℝ
//! ```
//!
//! `b_std = None` means no bias parameter (b = 0, no gradient). The first
//! layer's fan-in is n_in = d, which is exactly neural-tangents' 1/d input
//! scaling: E[h⁰(x)h⁰(z)] = σ_w²·x·z/d + σ_b² = K¹ of [`crate::recursion`].
//!
//! As w → ∞ (Jacot et al. 2018):
//! - f is a centred Gaussian process with covariance Σ = [`Kernels::nngp`]:
//!   the average of f(x)f(z) over random networks converges to Σ(x, z)
//!   ([`FiniteNetwork::monte_carlo`]);
//! - the empirical NTK Θ̂(x, z) = ⟨∂f(x)/∂θ, ∂f(z)/∂θ⟩ of *one* network
//!   converges to Θ = [`Kernels::ntk`], with fluctuations O(1/√w)
//!   ([`FiniteNetwork::kernels`]; the whole Gram matrix of n points from n
//!   backward passes: [`FiniteNetwork::empirical_ntk_gram`]);
//! - full-batch gradient descent on squared loss ([`FiniteNetwork::train`],
//!   or step by step [`FiniteNetwork::step`]) follows kernel regression with
//!   Θ: with neural-tangents' loss (1/(2n))·Σr², k steps at rate η follow
//!   the flow of [`Time::Finite`](crate::regression::Time::Finite) at t = k
//!   with the same η.
//!
//! Under the standard parameterization the limit NTK grows with the widths,
//! so the [`Network`] must have been given the same width
//! ([`Network::with_standard_parameterization`]`(&[w])`).
//!
//! # Memory
//!
//! No heap. Parameters live in a caller slice of [`param_count`] values,
//! layer after layer, each as `W` (n_out × n_in, row-major) then `b` (n_out;
//! always present, 0 when `b_std = None`); [`FiniteNetwork::layer_params`]
//! views one layer, and [`FiniteNetwork::export_nt`] /
//! [`FiniteNetwork::import_nt`] convert from and to neural-tangents'
//! layout (W as fan_in × fan_out). Forward and backward passes keep a
//! *tape* of pre-activations hˡ, activations aˡ and back-propagated
//! ∂f/∂hˡ for a batch of n inputs in a caller workspace of
//! [`workspace_len`]`(width, depth, n)` values.
//!
//! ```
//! use ntk::{finite::FiniteNetwork, Activation, Network};
//! use rand_xoshiro::{rand_core::SeedableRng, Xoshiro256PlusPlus};
//!
//! let net = Network::<f64>::new(2, Activation::Relu)?.with_std(2f64.sqrt(), Some(0.1))?;
//! let fnet = FiniteNetwork::new(net, 3, 512)?;
//! let mut params = vec![0.0; fnet.param_len()];
//! let mut work = vec![0.0; fnet.workspace_len(2)];
//! fnet.init(&mut params, &mut Xoshiro256PlusPlus::seed_from_u64(1))?;
//!
//! let (x, z) = ([1.0, 0.5, -0.2], [0.3, 1.0, 0.4]);
//! let empirical = fnet.kernels(&params, &x, &z, &mut work)?;
//! let exact = net.kernels(&x, &z)?;
//! // One network of width 512: the NTK fluctuates by ≈ 5 % around its limit.
//! assert!((empirical.ntk / exact.ntk - 1.0).abs() < 0.25);
//! # Ok::<(), ntk::Error>(())
//! ```

mod empirical;
pub mod gaussian;
mod layout;
mod monte_carlo;
mod step;
mod train;

pub use layout::{LayerParams, LayerParamsMut};
pub use monte_carlo::{Estimate, MonteCarlo};
pub use train::{Training, TrainingReport};

use crate::error::ensure_finite;
use crate::network::{Network, Parameterization};
use crate::{Error, Kernels, Real, Result};
use rand_core::Rng;

/// Number of parameters of a width-`width`, depth-`depth` network on inputs
/// of dimension `dim`: `(d+1)·w + (L−1)·(w+1)·w + w + 1` (weights and biases
/// of every layer, readout included). Saturates instead of overflowing.
///
/// ```
/// // d = 3, w = 4, L = 2: (3·4 + 4) + (4·4 + 4) + (4 + 1) = 41
/// assert_eq!(ntk::finite::param_count(3, 4, 2), 41);
/// ```
pub fn param_count(dim: usize, width: usize, depth: usize) -> usize {
    let first = (dim.saturating_add(1)).saturating_mul(width);
    let hidden = depth
        .saturating_sub(1)
        .saturating_mul(width.saturating_add(1))
        .saturating_mul(width);
    first
        .saturating_add(hidden)
        .saturating_add(width.saturating_add(1))
}

/// Length of the workspace (the tape) for a batch of `batch` inputs:
/// `batch·(3·L·w + 3)` — hˡ, aˡ and ∂f/∂hˡ of every hidden unit, and the
/// output with its seed, per input. Saturates instead of overflowing.
pub fn workspace_len(width: usize, depth: usize, batch: usize) -> usize {
    depth
        .saturating_mul(width)
        .saturating_mul(3)
        .saturating_add(3)
        .saturating_mul(batch)
}

/// A random fully-connected network of finite width with the architecture of
/// a [`Network`] (see the [module docs](self)).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct FiniteNetwork<T> {
    net: Network<T>,
    dim: usize,
    width: usize,
    param_len: usize,
}

/// Where layer l's parameters are and how they enter: h = s_w·W·a + s_b·b,
/// initialised W ~ N(0, init_w²), b ~ N(0, init_b²).
#[derive(Clone, Copy, Debug)]
struct Layer<T> {
    n_in: usize,
    n_out: usize,
    /// Offset of W (n_out × n_in) in the parameter slice; b (n_out) follows.
    weights: usize,
    scale_w: T,
    scale_b: T,
    init_w: T,
    init_b: T,
}

impl<T: Real> FiniteNetwork<T> {
    /// The width-`width` network of architecture `net` on inputs of dimension `dim`.
    ///
    /// Errors: `dim` or `width` zero ([`Error::Empty`], [`Error::InvalidParameter`]);
    /// a standard-parameterized `net` whose widths are not all `width`
    /// ([`Error::DimensionMismatch`]); a parameter count that overflows `usize`
    /// ([`Error::CapacityExceeded`]).
    pub fn new(net: Network<T>, dim: usize, width: usize) -> Result<Self> {
        if dim == 0 {
            return Err(Error::Empty {
                what: "input dimension",
            });
        }
        if width == 0 {
            return Err(Error::InvalidParameter {
                what: "width must be >= 1",
            });
        }
        if !net.activation().is_pointwise() {
            return Err(Error::InvalidParameter {
                what: "activation has no pointwise function (ExpNormalized): no finite network",
            });
        }
        if let Some(&w) = net.widths().iter().find(|&&w| w != width) {
            return Err(Error::DimensionMismatch {
                what: "width (the Network's standard-parameterization widths)",
                expected: w,
                found: width,
            });
        }
        let param_len = param_count(dim, width, net.depth());
        let tape = workspace_len(width, net.depth(), 2);
        if param_len == usize::MAX || tape == usize::MAX {
            return Err(Error::CapacityExceeded {
                capacity: usize::MAX,
            });
        }
        Ok(FiniteNetwork {
            net,
            dim,
            width,
            param_len,
        })
    }

    /// The architecture.
    pub fn network(&self) -> &Network<T> {
        &self.net
    }

    /// The input dimension d.
    pub fn dim(&self) -> usize {
        self.dim
    }

    /// The hidden width w.
    pub fn width(&self) -> usize {
        self.width
    }

    /// [`param_count`] of this network.
    pub fn param_len(&self) -> usize {
        self.param_len
    }

    /// [`workspace_len`] of this network for a batch of `batch` inputs.
    pub fn workspace_len(&self, batch: usize) -> usize {
        workspace_len(self.width, self.net.depth(), batch)
    }

    /// Draws fresh parameters θ ~ the initialisation of the [module docs](self),
    /// from any `rand_core` 0.10 generator (`rand` 0.10's `StdRng`, `rand_xoshiro` 0.8).
    ///
    /// Errors: `params` shorter than [`param_len`](Self::param_len).
    pub fn init<R: Rng + ?Sized>(&self, params: &mut [T], rng: &mut R) -> Result<()> {
        self.check_params_len(params.len())?;
        for l in 0..=self.net.depth() {
            let g = self.layer(l);
            let (w, rest) = params[g.weights..].split_at_mut(g.n_in * g.n_out);
            gaussian::fill_normal(rng, g.init_w, w);
            gaussian::fill_normal(rng, g.init_b, &mut rest[..g.n_out]);
        }
        Ok(())
    }

    /// The output f(x) of the network with parameters `params`.
    ///
    /// `work` needs [`workspace_len`](Self::workspace_len)`(1)` values.
    /// Errors: wrong lengths, non-finite `x`, or an output that overflows.
    pub fn forward(&self, params: &[T], x: &[T], work: &mut [T]) -> Result<T> {
        self.check(params, x, 1)?;
        self.check_work(1, work.len())?;
        self.forward_tape(params, Inputs::Batch(x), 1, work);
        self.outputs_of(work, 1)[0].finite_or("network output")
    }

    /// Outputs f(xₚ) for a batch `xs` of n = `out.len()` inputs stored
    /// row-major (n × d), into `out`.
    ///
    /// `work` needs [`workspace_len`](Self::workspace_len)`(n)` values — the
    /// whole tape, 3·L·w per input: for many inputs, call it on chunks.
    pub fn forward_batch(
        &self,
        params: &[T],
        xs: &[T],
        out: &mut [T],
        work: &mut [T],
    ) -> Result<()> {
        let n = out.len();
        self.check(params, xs, n)?;
        self.check_work(n, work.len())?;
        self.forward_tape(params, Inputs::Batch(xs), n, work);
        out.copy_from_slice(self.outputs_of(work, n));
        ensure_finite(out, "network output")
    }

    /// The parameter gradient ∂f(x)/∂θ (hand-written backpropagation) into
    /// `grad` (same layout as `params`); returns f(x).
    ///
    /// With δˡ = ∂f/∂hˡ: ∂f/∂Wˡᵢⱼ = s_w·δˡᵢ·aˡ⁻¹ⱼ, ∂f/∂bˡᵢ = s_b·δˡᵢ, and
    /// δˡ⁻¹ = φ'(hˡ⁻¹) ⊙ s_w·Wˡᵀδˡ (s_w = σ_w/√n_in, s_b = σ_b under the NTK
    /// parameterization; 1 and 1 (0 without bias) under the standard one). φ' of Sign and
    /// Step is 0, as in neural-tangents.
    ///
    /// `work` needs [`workspace_len`](Self::workspace_len)`(1)` values.
    /// Errors: wrong lengths, non-finite `x`, an output or gradient that
    /// overflows ([`Error::NonFinite`]; `grad` is then written).
    pub fn gradient(&self, params: &[T], x: &[T], grad: &mut [T], work: &mut [T]) -> Result<T> {
        self.check(params, x, 1)?;
        self.check_work(1, work.len())?;
        if grad.len() < self.param_len {
            return Err(Error::BufferTooSmall {
                what: "grad",
                needed: self.param_len,
                found: grad.len(),
            });
        }
        self.tape(params, Inputs::Batch(x), 1, work, |_, _| T::ONE)?;
        let f = self.outputs_of(work, 1)[0];
        for l in 0..=self.net.depth() {
            let g = self.layer(l);
            let (delta, input) = self.layer_views(l, Inputs::Batch(x), 1, work);
            let input = input.row(0, g.n_in);
            let (gw, gb) = grad[g.weights..].split_at_mut(g.n_in * g.n_out);
            for ((row, b), &d) in gw.chunks_exact_mut(g.n_in).zip(gb.iter_mut()).zip(delta) {
                for (gwij, &a) in row.iter_mut().zip(input) {
                    *gwij = g.scale_w * d * a;
                }
                *b = g.scale_b * d;
            }
        }
        ensure_finite(&grad[..self.param_len], "gradient (overflow)")?;
        f.finite_or("network output")
    }

    /// The empirical kernels of this one network at (x, z):
    ///
    /// ```text
    /// ntk  = Θ̂(x, z) = ⟨∂f(x)/∂θ, ∂f(z)/∂θ⟩ = Σₗ (s_w²·aˡ⁻¹(x)·aˡ⁻¹(z) + s_b²)·δˡ(x)·δˡ(z)
    /// nngp = E_readout[f(x)f(z)] = σ_w,L²·a^{L−1}(x)·a^{L−1}(z)/w + σ_b,L²
    /// ```
    ///
    /// The NNGP here is the covariance of f over the readout layer's random
    /// weights given the hidden ones — the empirical kernel of the last hidden
    /// features. Both converge to [`Network::kernels`] as w → ∞ with
    /// fluctuations O(1/√w). For the average of f(x)f(z) over whole networks
    /// see [`monte_carlo`](Self::monte_carlo).
    ///
    /// `work` needs [`workspace_len`](Self::workspace_len)`(2)` values.
    pub fn kernels(&self, params: &[T], x: &[T], z: &[T], work: &mut [T]) -> Result<Kernels<T>> {
        self.check(params, x, 1)?;
        self.check(params, z, 1)?;
        self.check_work(2, work.len())?;
        let inputs = Inputs::Pair(x, z);
        self.tape(params, inputs, 2, work, |_, _| T::ONE)?;
        let mut ntk = T::ZERO;
        let mut nngp = T::ZERO;
        for l in 0..=self.net.depth() {
            let g = self.layer(l);
            let (delta, input) = self.layer_views(l, inputs, 2, work);
            let dd = dot(&delta[..g.n_out], &delta[g.n_out..]);
            let aa = dot(input.row(0, g.n_in), input.row(1, g.n_in));
            ntk += (g.scale_w * g.scale_w * aa + g.scale_b * g.scale_b) * dd;
            let (sw, sb) = (g.scale_w * g.init_w, g.scale_b * g.init_b);
            nngp = sw * sw * aa + sb * sb; // kept from the readout, the last layer
        }
        Ok(Kernels {
            nngp: nngp.finite_or("empirical NNGP")?,
            ntk: ntk.finite_or("empirical NTK")?,
        })
    }

    fn check_params_len(&self, len: usize) -> Result<()> {
        if len < self.param_len {
            return Err(Error::BufferTooSmall {
                what: "params",
                needed: self.param_len,
                found: len,
            });
        }
        Ok(())
    }

    /// Validates params length and `xs` (n ≥ 1 inputs of dimension d, finite).
    fn check(&self, params: &[T], xs: &[T], n: usize) -> Result<()> {
        self.check_params_len(params.len())?;
        if n == 0 {
            return Err(Error::Empty { what: "batch" });
        }
        let expected = n.checked_mul(self.dim).ok_or(Error::SizeOverflow {
            what: "inputs (n × d)",
        })?;
        if xs.len() != expected {
            return Err(Error::DimensionMismatch {
                what: "inputs (n × d)",
                expected,
                found: xs.len(),
            });
        }
        ensure_finite(xs, "input")
    }

    /// The workspace holds the tape of `n` inputs.
    fn check_work(&self, n: usize, work_len: usize) -> Result<()> {
        let needed = self.workspace_len(n);
        if work_len < needed {
            return Err(Error::BufferTooSmall {
                what: "work",
                needed,
                found: work_len,
            });
        }
        Ok(())
    }

    /// Start of layer l's block in the tape of a batch of n: the hidden
    /// blocks hold hˡ, aˡ, δˡ (n × w each); the readout's (l = L) holds f, –, seed.
    #[inline]
    fn block(&self, l: usize, n: usize) -> usize {
        3 * self.width * n * l
    }

    /// The outputs f(xₚ) of the last forward pass.
    fn outputs_of<'w>(&self, work: &'w [T], n: usize) -> &'w [T] {
        &work[self.block(self.net.depth(), n)..][..n]
    }

    /// Forward pass of a batch: fills hˡ, aˡ and f.
    fn forward_tape(&self, params: &[T], inputs: Inputs<'_, T>, n: usize, work: &mut [T]) {
        let (w, act) = (self.width, self.net.activation());
        for l in 0..=self.net.depth() {
            let g = self.layer(l);
            let (before, block) = work.split_at_mut(self.block(l, n));
            let input = match l {
                0 => inputs,
                _ => Inputs::Batch(&before[self.block(l - 1, n) + w * n..][..w * n]),
            };
            let (h, rest) = block.split_at_mut(g.n_out * n);
            let (weights, biases) = params[g.weights..].split_at(g.n_in * g.n_out);
            for rows in row_tiles(g.n_in, g.n_out) {
                let tile = weights[rows.start * g.n_in..rows.end * g.n_in].chunks_exact(g.n_in);
                for (p, hp) in h.chunks_exact_mut(g.n_out).enumerate() {
                    let a = input.row(p, g.n_in);
                    let out = hp[rows.clone()].iter_mut().zip(&biases[rows.clone()]);
                    for ((hi, &b), row) in out.zip(tile.clone()) {
                        *hi = g.scale_w * dot(row, a) + g.scale_b * b;
                    }
                }
            }
            if l < self.net.depth() {
                for (a, &h) in rest[..g.n_out * n].iter_mut().zip(h.iter()) {
                    *a = act.apply(h);
                }
            }
        }
    }

    /// Backward pass: from the seeds ∂L/∂f in the readout block, fills
    /// δˡ = ∂L/∂hˡ of every hidden layer: δˡ⁻¹ = φ'(hˡ⁻¹) ⊙ s_w·Wˡᵀδˡ.
    fn backward_tape(&self, params: &[T], n: usize, work: &mut [T]) {
        let (w, act) = (self.width, self.net.activation());
        for l in (1..=self.net.depth()).rev() {
            let g = self.layer(l);
            let (before, block) = work.split_at_mut(self.block(l, n));
            let delta = &block[2 * g.n_out * n..][..g.n_out * n];
            let (ha, delta_prev) = before[self.block(l - 1, n)..].split_at_mut(2 * w * n);
            let weights = &params[g.weights..][..g.n_in * g.n_out];
            delta_prev.iter_mut().for_each(|d| *d = T::ZERO);
            for rows in row_tiles(g.n_in, g.n_out) {
                let tile = weights[rows.start * g.n_in..rows.end * g.n_in].chunks_exact(g.n_in);
                for (p, dp) in delta_prev.chunks_exact_mut(w).enumerate() {
                    let dl = &delta[p * g.n_out..][rows.clone()];
                    for (row, &d) in tile.clone().zip(dl) {
                        if d != T::ZERO {
                            axpy(g.scale_w * d, row, dp); // ReLU: half the δ are 0
                        }
                    }
                }
            }
            for (d, &h) in delta_prev.iter_mut().zip(&ha[..w * n]) {
                *d *= act.derivative(h);
            }
        }
    }

    /// Forward pass, seeds δ^L = seed(p, fₚ), backward pass.
    fn tape(
        &self,
        params: &[T],
        inputs: Inputs<'_, T>,
        n: usize,
        work: &mut [T],
        mut seed: impl FnMut(usize, T) -> T,
    ) -> Result<()> {
        self.forward_tape(params, inputs, n, work);
        let readout = self.block(self.net.depth(), n);
        let (out, rest) = work[readout..].split_at_mut(n);
        ensure_finite(out, "network output")?;
        for (p, (s, &f)) in rest[n..2 * n].iter_mut().zip(out.iter()).enumerate() {
            *s = seed(p, f);
        }
        self.backward_tape(params, n, work);
        Ok(())
    }

    /// δˡ (n × n_out) and the layer's inputs aˡ⁻¹ after a [`tape`](Self::tape).
    fn layer_views<'w>(
        &self,
        l: usize,
        inputs: Inputs<'w, T>,
        n: usize,
        work: &'w [T],
    ) -> (&'w [T], Inputs<'w, T>) {
        let n_out = self.layer(l).n_out;
        let delta = &work[self.block(l, n) + 2 * n_out * n..][..n_out * n];
        let input = match l {
            0 => inputs,
            _ => Inputs::Batch(&work[self.block(l - 1, n) + self.width * n..][..self.width * n]),
        };
        (delta, input)
    }

    fn layer(&self, l: usize) -> Layer<T> {
        let (d, w, depth) = (self.dim, self.width, self.net.depth());
        let n_in = if l == 0 { d } else { w };
        let n_out = if l == depth { 1 } else { w };
        let weights = if l == 0 {
            0
        } else {
            (d + 1) * w + (l - 1) * (w + 1) * w
        };
        let dense = self.net.layers()[l];
        let root_fan_in = T::from_usize(n_in).sqrt();
        let bias = if dense.b_std.is_some() {
            T::ONE
        } else {
            T::ZERO
        };
        let b_std = dense.b_std.unwrap_or(T::ZERO);
        let (scale_w, scale_b, init_w, init_b) = match self.net.parameterization() {
            Parameterization::Ntk => (dense.w_std / root_fan_in, b_std, T::ONE, bias),
            Parameterization::Standard => (T::ONE, bias, dense.w_std / root_fan_in, b_std),
        };
        Layer {
            n_in,
            n_out,
            weights,
            scale_w,
            scale_b,
            init_w,
            init_b,
        }
    }
}

/// Weight-matrix elements per tile (128 KiB of `f64`): the passes over a
/// batch go tile by tile, so that a tile stays in the L2 cache while every
/// input row streams past it, instead of the whole matrix streaming from
/// memory once per input.
const TILE: usize = 16 * 1024;

/// The row ranges of the tiles of an `n_out × n_in` weight matrix.
pub(crate) fn row_tiles(
    n_in: usize,
    n_out: usize,
) -> impl Iterator<Item = core::ops::Range<usize>> {
    let rows = (TILE / n_in.max(1)).max(1);
    (0..n_out)
        .step_by(rows)
        .map(move |i| i..(i + rows).min(n_out))
}

/// The inputs of a layer: a row-major batch, or the pair (x, z) of
/// [`FiniteNetwork::kernels`] without copying.
#[derive(Clone, Copy, Debug)]
enum Inputs<'a, T> {
    Batch(&'a [T]),
    Pair(&'a [T], &'a [T]),
}

impl<'a, T> Inputs<'a, T> {
    /// Row p of length `len`.
    #[inline]
    fn row(&self, p: usize, len: usize) -> &'a [T] {
        match *self {
            Inputs::Batch(xs) => &xs[p * len..][..len],
            Inputs::Pair(x, z) => {
                if p == 0 {
                    x
                } else {
                    z
                }
            }
        }
    }
}

/// Unrolled dot product (eight partial sums let the compiler vectorise it).
#[inline]
pub(crate) fn dot<T: Real>(a: &[T], b: &[T]) -> T {
    let mut acc = [T::ZERO; 8];
    let (ca, cb) = (a.chunks_exact(8), b.chunks_exact(8));
    let tail = ca
        .remainder()
        .iter()
        .zip(cb.remainder())
        .fold(T::ZERO, |s, (&x, &y)| s + x * y);
    for (x, y) in ca.zip(cb) {
        for j in 0..8 {
            acc[j] += x[j] * y[j];
        }
    }
    ((acc[0] + acc[4]) + (acc[1] + acc[5])) + ((acc[2] + acc[6]) + (acc[3] + acc[7])) + tail
}

/// y += c·x.
#[inline]
pub(crate) fn axpy<T: Real>(c: T, x: &[T], y: &mut [T]) {
    for (y, &x) in y.iter_mut().zip(x) {
        *y += c * x;
    }
}

trait FiniteOr: Sized {
    fn finite_or(self, what: &'static str) -> Result<Self>;
}

impl<T: Real> FiniteOr for T {
    fn finite_or(self, what: &'static str) -> Result<T> {
        if self.is_finite() {
            Ok(self)
        } else {
            Err(Error::NonFinite { what })
        }
    }
}

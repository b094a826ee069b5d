//! The NNGP and NTK recursions of a deep fully-connected network.
//!
//! For inputs x, z ∈ ℝᵈ (scaled by 1/d as neural-tangents does):
//!
//! ```text
//! K⁰ = x·z/d,  q⁰ₓ = |x|²/d,  Θ⁰ = 0
//! Dense l (NTK param.):       Kˡ = σ_w²·K + σ_b²,              Θˡ = Kˡ + σ_w²·Θ
//! Dense l (standard param.):  Kˡ = σ_w²·K + σ_b²,              Θˡ = n_in·K + σ_w²·Θ + [bias]
//! activation φ:               K ← F(Kˡ; qˡₓ, qˡ_z),            Θ ← Θˡ·Ḟ(Kˡ; qˡₓ, qˡ_z)
//! variances:                  qˡ⁺¹ = σ_w²·F_diag(qˡ) + σ_b²
//! ```
//!
//! After L hidden blocks and the readout Dense, Σ = K is the NNGP (the
//! covariance of the network output at initialisation) and Θ the NTK.
//!
//! The per-point variances qˡ do not depend on the partner point, so they are
//! computed once per point ([`Point`], O(L)) and reused for every pair.
//! Evaluating a pair is then O(d + L).
//!
//! The diagonal is not special-cased: K(x, x) goes through the same pair
//! formulas, which are exact there (c = 1, θ = 0, see
//! [`Angle`](crate::activation::angle::Angle)).
//!
//! # Accuracy
//!
//! Measured by `tests/neural_tangents.rs` against neural-tangents 0.6.5 in
//! float64 and a 50-digit mpmath evaluation of the same recursion, over the
//! 127 cases of `tests/data/nt_kernels.json` (`scripts/gen_kernels.py`:
//! depths 1–10, σ_w from 0.7 to 1.6, σ_b ∈ {None, 0, 0.05 … 1}, per-layer
//! stds, both parameterizations, d ∈ {1, 3, 16, 20, 32}, identical,
//! antiparallel, 2.5×-parallel, zero and random input pairs). Errors are
//! max |ours − reference| / max|K| over each case's 5×5 NNGP and NTK
//! matrices; the test asserts 1e-10 (f64) and 1e-5 (f32) plus the
//! conditioning allowance described below.
//!
//! | activation | f64 vs NT | f64, flagged entries | f32, well-conditioned | f32, all entries |
//! |---|---|---|---|---|
//! | ReLU | 1.4e-12 | 4.9e-16 | 8.4e-7 | 1.5e-6 |
//! | leaky ReLU(0.1) | 2.2e-13 | 3.2e-16 | 1.0e-6 | 5.2e-6 |
//! | ABReLU(−0.3, 1.7) | 3.5e-15 | 6.3e-16 | 9.2e-7 | 6.5e-6 |
//! | Abs | 3.6e-14 | 2.5e-16 | 9.7e-6 | 1.5e-5 |
//! | Sign | 1.1e-13 | 5.3e-1 | 2.6e-7 | 5.3e-1 |
//! | Step | 1.5e-12 | 1.6e-9 | 9.6e-8 | 3.2e-2 |
//! | ReQU | — (NT NaN) | 6.8e-15 | 4.2e-6 | 4.2e-6 |
//! | Erf(1, 1, 0) | 1.4e-15 | — | 1.0e-6 | 1.0e-6 |
//! | Erf(1.3, 0.7, 0.2) | 1.7e-15 | — | 5.4e-7 | 1.3e-6 |
//! | GELU | 4.4e-15 | — | 9.2e-7 | 1.3e-6 |
//! | Sin(0.8, 1.5, 0.3) | 1.2e-14 | — | 5.1e-6 | 5.1e-6 |
//! | Cos(1.1, 0.6, −0.4) | 4.3e-16 | — | 2.7e-7 | 2.7e-7 |
//! | Identity | 7.6e-16 | — | 1.0e-6 | 1.0e-6 |
//!
//! The 1e-12 of ReLU and Step against NT is NT's own error (mpmath agrees
//! with us there).
//!
//! *Flagged* entries are those where neural-tangents itself cannot be trusted
//! to 1e-10: ReLU-family NTK and Sign/Step at (nearly) parallel or
//! antiparallel pairs, where NT is only ~1e-8 accurate, and every ReQU entry
//! beyond one layer (`RectifiedMonomial(2)` is NaN there in NT 0.6.5). They
//! are compared with the mpmath value instead. Identical and antiparallel
//! pairs are exact here (c = ±1 exactly, and cosines within 4 ulps of ±1 are
//! snapped to ±1, see [`Angle`](crate::activation::angle::Angle)); the large
//! Sign/Step numbers come from *scaled*-parallel pairs (x, 2.5·x rounded),
//! whose true angle is ~1e-16 and is not determined by the rounded inputs:
//! arccos has infinite slope at ±1, so an ulp of the cosine moves θ by √ulp,
//! and deep Sign maps θ ↦ ≈√θ per layer, so 1e-16 becomes O(1) after 8
//! layers. No evaluation from rounded inputs can resolve those entries.
//!
//! The same conditioning limits f32 away from the fixtures: when a layer's
//! pre-activation correlation is within δ of ±1 (deep nets in the ordered
//! phase, a tiny bias on nearly parallel inputs) the arc-cosine kernels lose
//! about ε/√δ; `tests/properties.rs` asserts f32 = f64 to 2e-5 only where
//! every layer has sin θ ≥ 0.2. Propagating 1 − c instead of K would remove
//! this loss; it is not done yet. The test allows 4× the change of the exact
//! kernel under an 8-ulp perturbation of x·z/d (0 for exactly ±parallel
//! pairs). "Well-conditioned" f32 entries are those where that allowance is
//! ≤ 1e-6·max|K|.

use crate::error::ensure_finite;
use crate::network::{Network, Parameterization, MAX_DEPTH};
use crate::{Error, Real, Result};

/// The NNGP Σ(x, z) and NTK Θ(x, z) of a pair of inputs.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Kernels<T> {
    /// Σ: covariance of the outputs of the random network at initialisation.
    pub nngp: T,
    /// Θ: the neural tangent kernel ⟨∂f(x)/∂θ, ∂f(z)/∂θ⟩ in the infinite-width limit.
    pub ntk: T,
}

/// What the recursion needs of one input: its dimension, squared norm and
/// the pre-activation variances qˡ of every hidden layer.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Point<T> {
    dim: usize,
    /// |x|²/d.
    q_in: T,
    /// qˡ, the variance of the pre-activation of hidden layer l.
    q: [T; MAX_DEPTH],
}

impl<T: Real> Point<T> {
    /// The input dimension d.
    pub fn dim(&self) -> usize {
        self.dim
    }

    /// |x|²/d.
    pub fn input_variance(&self) -> T {
        self.q_in
    }

    /// The pre-activation variances q⁰ … q^{L−1} of the hidden layers.
    pub fn variances(&self) -> &[T] {
        &self.q
    }
}

/// Σ x·z for two equal-length slices.
#[inline]
pub(crate) fn dot<T: Real>(x: &[T], z: &[T]) -> T {
    x.iter().zip(z).fold(T::ZERO, |acc, (&a, &b)| acc + a * b)
}

impl<T: Real> Network<T> {
    /// Precomputes the per-point quantities of input `x` (O(d + L)).
    ///
    /// Errors: empty or non-finite `x`, or |x|² beyond the range of `T`
    /// ([`Error::NonFinite`]).
    pub fn point(&self, x: &[T]) -> Result<Point<T>> {
        if x.is_empty() {
            return Err(Error::Empty { what: "input" });
        }
        ensure_finite(x, "input")?;
        let sq_norm = dot(x, x);
        if !sq_norm.is_finite() {
            return Err(Error::NonFinite {
                what: "squared norm of the input (overflow)",
            });
        }
        Ok(self.point_from_sq_norm(sq_norm, x.len()))
    }

    /// [`Network::point`] from a precomputed squared norm |x|² and dimension d.
    #[inline]
    pub fn point_from_sq_norm(&self, sq_norm: T, dim: usize) -> Point<T> {
        let q_in = sq_norm / T::from_usize(dim);
        let mut q = [T::ZERO; MAX_DEPTH];
        let mut prev = q_in;
        for (l, ql) in q.iter_mut().enumerate().take(self.depth()) {
            let layer = self.layers()[l];
            let input = if l == 0 {
                prev
            } else {
                self.activation().diag(prev)
            };
            *ql = layer.w_var() * input + layer.b_var();
            prev = *ql;
        }
        Point { dim, q_in, q }
    }

    /// Σ(x, z) and Θ(x, z) of two inputs.
    ///
    /// ```
    /// use ntk::{Activation, Network};
    /// let net = Network::<f64>::new(1, Activation::Relu)?.with_std(2f64.sqrt(), None)?;
    /// let x = [1.0, 0.0];
    /// let k = net.kernels(&x, &x)?;
    /// // One hidden ReLU layer, σ_w² = 2: Σ(x, x) = 2·(2·|x|²/d)/2 = 1, Θ = Σ + 2·Σ¹·½ = 2.
    /// assert!((k.nngp - 1.0).abs() < 1e-15 && (k.ntk - 2.0).abs() < 1e-15);
    /// # Ok::<(), ntk::Error>(())
    /// ```
    ///
    /// Errors: empty, non-finite or different-length inputs; and
    /// [`Error::NonFinite`] when a kernel leaves the range of `T` (ReQU squares
    /// the variance at every layer, so a deep ReQU net overflows quickly) —
    /// never a silent ∞ or NaN.
    pub fn kernels(&self, x: &[T], z: &[T]) -> Result<Kernels<T>> {
        if x.len() != z.len() {
            return Err(Error::DimensionMismatch {
                what: "second input",
                expected: x.len(),
                found: z.len(),
            });
        }
        let (px, pz) = (self.point(x)?, self.point(z)?);
        let k = self.kernels_of(&px, &pz, dot(x, z));
        if k.nngp.is_finite() && k.ntk.is_finite() {
            Ok(k)
        } else {
            Err(Error::NonFinite {
                what: "kernel (the layer variances overflow)",
            })
        }
    }

    /// Σ and Θ of a pair from its precomputed [`Point`]s and dot product x·z
    /// (not divided by d). The points must share a dimension (unchecked: a
    /// mismatch gives the kernel of the first point's dimension). Unlike
    /// [`Network::kernels`] the result is not checked: a net whose variances
    /// overflow returns ∞ or NaN here.
    #[inline]
    pub fn kernels_of(&self, x: &Point<T>, z: &Point<T>, dot: T) -> Kernels<T> {
        let dim = x.dim;
        let act = self.activation();
        let mut k = dot / T::from_usize(dim);
        let mut theta = T::ZERO;
        for l in 0..self.depth() {
            (k, theta) = self.dense(l, dim, k, theta);
            let (f, fdot) = act.dual(k, x.q[l], z.q[l]);
            k = f;
            theta *= fdot;
        }
        let (nngp, ntk) = self.dense(self.depth(), dim, k, theta);
        Kernels { nngp, ntk }
    }

    /// Σ(x, x) and Θ(x, x) of one point.
    #[inline]
    pub fn diagonal(&self, x: &Point<T>) -> Kernels<T> {
        self.kernels_of(x, x, x.q_in * T::from_usize(x.dim))
    }

    /// One Dense layer: (K, Θ) ↦ (K', Θ').
    #[inline]
    fn dense(&self, index: usize, dim: usize, k: T, theta: T) -> (T, T) {
        let layer = self.layers()[index];
        let k_new = layer.w_var() * k + layer.b_var();
        let theta_new = match self.parameterization() {
            Parameterization::Ntk => k_new + layer.w_var() * theta,
            Parameterization::Standard => {
                let bias = if layer.b_std.is_some() {
                    T::ONE
                } else {
                    T::ZERO
                };
                T::from_usize(self.fan_in(index, dim)) * k + layer.w_var() * theta + bias
            }
        };
        (k_new, theta_new)
    }
}

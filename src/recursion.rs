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
//! Next to K every pair carries its *gaps* 1 − c and 1 + c (c = K/√(q₁q₂)),
//! formed from the inputs without cancellation (from the unit vectors'
//! difference or sum, ½|x/|x| ∓ z/|z||², in `f64`, when |c| > ½) and updated
//! by each layer without cancellation (a Dense layer:
//! 1 − c′ = (σ_w²r_p·(1 − c) + e)/r_q and 1 + c′ = (σ_w²r_p·(1 + c) + 2σ_b² + e)/r_q
//! with e = σ_w²σ_b²(√p₁ − √p₂)²/(r_q + σ_w²r_p + σ_b²) ≥ 0; each activation's
//! map forms its output's gaps directly). Every map takes its
//! angle from them, so pairs within 1e-12 rad of parallel or antiparallel keep
//! their angle to full relative precision through every layer; from K alone
//! an ulp of c would cost √ε of θ. Nothing is snapped: identical inputs, x and
//! 2ᵏ·x, and x and −x give a gap of exactly 0; other parallel pairs (x and
//! 2.5·x rounded) get their true angle, ≈ 1e-16. Relative to √(q₁q₂) the gaps
//! neither over- nor underflow. (GELU forms its output's gaps by a subtraction
//! in `f64`: exact enough for `f32` networks, √ε of the next angle in `f64` ones.)
//!
//! The diagonal is not special-cased: K(x, x) goes through the same pair
//! formulas, which are exact there (D = 0, θ = 0). [`Network::kernels_of`],
//! which sees only the dot product, starts from r ∓ K snapped to 0 within 4
//! ulps.
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
//! matrices; the test asserts 1e-10 (f64) and 1e-5 (f32), plus on entries
//! the rounded inputs do not determine an allowance of 4× the change of the
//! exact kernel under an 8-ulp perturbation of x·z/d (0 for exactly
//! ±parallel pairs). "Well-conditioned" f32 entries are those where that
//! allowance is ≤ 1e-6·max|K|.
//!
//! | activation | f64 vs NT | f64, flagged entries | f32, well-conditioned | f32, all entries |
//! |---|---|---|---|---|
//! | ReLU | 1.4e-12 | 4.9e-16 | 9.2e-7 | 9.6e-7 |
//! | leaky ReLU(0.1) | 2.2e-13 | 3.2e-16 | 1.1e-6 | 1.1e-6 |
//! | ABReLU(−0.3, 1.7) | 3.3e-15 | 6.3e-16 | 1.0e-6 | 1.0e-6 |
//! | Abs | 4.3e-14 | 2.5e-16 | 9.6e-6 | 9.6e-6 |
//! | Sign | 6.4e-14 | 5.3e-1 | 2.6e-7 | 5.3e-1 |
//! | Step | 3.7e-14 | 1.6e-9 | 9.6e-8 | 1.9e-7 |
//! | ReQU | — (NT NaN) | 6.8e-15 | 4.2e-6 | 4.2e-6 |
//! | Erf(1, 1, 0) | 1.4e-15 | — | 1.0e-6 | 1.0e-6 |
//! | Erf(1.3, 0.7, 0.2) | 1.7e-15 | — | 5.4e-7 | 1.3e-6 |
//! | GELU | 4.4e-15 | — | 9.2e-7 | 1.3e-6 |
//! | Sin(0.8, 1.5, 0.3) | 1.2e-14 | — | 5.1e-6 | 5.1e-6 |
//! | Cos(1.1, 0.6, −0.4) | 4.3e-16 | — | 2.7e-7 | 2.7e-7 |
//! | Identity | 7.6e-16 | — | 1.0e-6 | 1.0e-6 |
//!
//! The 1e-12 of ReLU against NT is NT's own error (mpmath agrees with us to
//! 1e-15 there). *Flagged* entries are those where neural-tangents itself
//! cannot be trusted to 1e-10: the ReLU-family NTK and Sign/Step at parallel
//! or antiparallel pairs, where NT is only ~1e-8 accurate (it forms P − K² from
//! two differently rounded paths), and every ReQU entry beyond one layer
//! (`RectifiedMonomial(2)` divides by sin θ and is NaN there in NT 0.6.5).
//! They are compared with the mpmath value instead. The one large number,
//! deep Sign, comes from *scaled*-parallel pairs (x, 2.5·x rounded): their
//! true angle is ~1e-16, which Sign maps to ≈ √θ per layer, so after 8 layers
//! the exact kernel of the rounded inputs differs by O(1) from that of exactly
//! parallel ones. No evaluation from rounded inputs can resolve those entries;
//! we return the parallel value.
//!
//! Away from the fixtures, f32 agrees with f64 to 2e-5 of √(K(x,x)K(z,z))
//! (`tests/properties.rs`) wherever the inputs' first-layer angle has
//! sin θ ≥ 0.2 (ReLU family; Sign, Step and ReQU: every layer's angle).
//! Near c = −1 the gap S is carried as D is near c = 1, so Abs and ABReLU
//! with a < 0 keep antiparallel pairs to the same precision.

use crate::activation::angle::Gaps;
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
    /// L, the number of hidden layers of the network that made the point.
    depth: usize,
    /// |x|²/d.
    q_in: T,
    /// qˡ, the variance of the pre-activation of hidden layer l.
    q: [T; MAX_DEPTH],
    /// pˡ, the variance entering Dense layer l: |x|²/d, then F_diag(qˡ⁻¹),
    /// up to the readout's at index L.
    p: [T; MAX_DEPTH + 1],
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
        // `depth <= MAX_DEPTH` by construction; `min` keeps the slice panic-free.
        &self.q[..self.depth.min(MAX_DEPTH)]
    }
}

/// Σ x·z for two equal-length slices.
#[inline]
pub(crate) fn dot<T: Real>(x: &[T], z: &[T]) -> T {
    x.iter().zip(z).fold(T::ZERO, |acc, (&a, &b)| a.fma(b, acc))
}

impl<T: Real> Network<T> {
    /// Precomputes the per-point quantities of input `x` (O(d + L)).
    ///
    /// Errors: empty or non-finite `x`, or |x|² or a layer variance beyond
    /// the range of `T` ([`Error::NonFinite`]).
    pub fn point(&self, x: &[T]) -> Result<Point<T>> {
        let point = self.input_point(x)?;
        let depth = point.depth.min(MAX_DEPTH);
        ensure_finite(&point.q[..depth], "layer variances (overflow)")?;
        ensure_finite(&point.p[..=depth], "layer variances (overflow)")?;
        Ok(point)
    }

    /// [`Network::point`] without the check of the layer variances: a pair
    /// with a zero input has a finite kernel even when the other input's
    /// variances overflow.
    fn input_point(&self, x: &[T]) -> Result<Point<T>> {
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
        let mut p = [T::ZERO; MAX_DEPTH + 1];
        p[0] = q_in;
        for l in 0..self.depth() {
            let layer = self.layer(l);
            q[l] = layer.w_var().fma(p[l], layer.b_var());
            p[l + 1] = self.activation().diag(q[l]);
        }
        Point {
            dim,
            depth: self.depth(),
            q_in,
            q,
            p,
        }
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
        let (px, pz) = (self.input_point(x)?, self.input_point(z)?);
        let norms = (dot(x, x), dot(z, z));
        let k = self.kernels_of_inputs(&px, &pz, (x, z), norms, dot(x, z));
        if k.nngp.is_finite() && k.ntk.is_finite() {
            Ok(k)
        } else {
            Err(Error::NonFinite {
                what: "kernel (the layer variances overflow)",
            })
        }
    }

    /// [`Network::kernels_of`] with the inputs themselves and their squared
    /// norms `norms` (those the points were made from) at hand: the
    /// pair's initial gaps come from them ([`Gaps::of_inputs`]), which
    /// resolves angles down to ≈ ε rather than √ε. What [`Network::kernels`],
    /// the Gram tiles and the regressor evaluate.
    #[inline]
    pub(crate) fn kernels_of_inputs(
        &self,
        px: &Point<T>,
        pz: &Point<T>,
        (x, z): (&[T], &[T]),
        norms: (T, T),
        dot: T,
    ) -> Kernels<T> {
        self.kernels_of_gaps(px, pz, dot, Gaps::of_inputs(x, z, norms, dot))
    }

    /// Σ and Θ of a pair from its precomputed [`Point`]s and dot product x·z
    /// (not divided by d). The points must share a dimension (unchecked: a
    /// mismatch gives the kernel of the first point's dimension). Unlike
    /// [`Network::kernels`] the result is not checked: a net whose variances
    /// overflow returns ∞ or NaN here.
    #[inline]
    pub fn kernels_of(&self, x: &Point<T>, z: &Point<T>, dot: T) -> Kernels<T> {
        let k = dot / T::from_usize(x.dim);
        self.kernels_of_gaps(x, z, dot, Gaps::snapped(k, x.q_in, z.q_in))
    }

    /// The recursion from the inputs' dot product and [`Gaps`].
    #[inline]
    fn kernels_of_gaps(&self, x: &Point<T>, z: &Point<T>, dot: T, gaps: Gaps<T>) -> Kernels<T> {
        let dim = x.dim;
        let act = self.activation();
        let mut k = dot / T::from_usize(dim);
        let mut gaps = gaps;
        let mut theta = T::ZERO;
        for l in 0..self.depth() {
            let layer = self.layer(l);
            let vars = (layer.w_var(), layer.b_var());
            let q = (x.q[l], z.q[l]);
            gaps = gaps.dense(vars, (x.p[l], z.p[l]), q);
            (k, theta) = self.dense(l, dim, k, theta);
            let post = (x.p[l + 1], z.p[l + 1]);
            let (f, fdot, next) = act.dual_gap(k, gaps, q, post);
            k = f;
            gaps = next;
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

    /// One Dense layer: (K, Θ) ↦ (K', Θ'), with [`Real::fma`] where the Gram
    /// lane kernel has it, so that both round alike in FMA builds too.
    #[inline]
    pub(crate) fn dense(&self, index: usize, dim: usize, k: T, theta: T) -> (T, T) {
        let layer = self.layer(index);
        let k_new = layer.w_var().fma(k, layer.b_var());
        let theta_new = match self.parameterization() {
            Parameterization::Ntk => layer.w_var().fma(theta, k_new),
            Parameterization::Standard => {
                let bias = if layer.b_std.is_some() {
                    T::ONE
                } else {
                    T::ZERO
                };
                T::from_usize(self.fan_in(index, dim)).fma(k, layer.w_var() * theta) + bias
            }
        };
        (k_new, theta_new)
    }
}

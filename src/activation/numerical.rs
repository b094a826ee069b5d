//! Any activation by numerical integration: the dual maps as Gauss–Hermite
//! quadrature over the bivariate Gaussian, as neural-tangents'
//! `stax.ElementwiseNumerical(fn, deg, df)`.
//!
//! With the n-point rule (xᵢ, wᵢ) of [`gauss_hermite`](super::gauss_hermite)
//! and the pair's angle (c = K/√(q₁q₂), s = √(1 − c²)):
//!
//! ```text
//! uᵢ = √(2q₁)·xᵢ,   vᵢⱼ = √(2q₂)·(c·xᵢ + s·xⱼ)
//! F ≈ (1/π)·Σᵢⱼ wᵢwⱼ·φ(uᵢ)φ(vᵢⱼ),   Ḟ ≈ (1/π)·Σᵢⱼ wᵢwⱼ·φ′(uᵢ)φ′(vᵢⱼ)
//! F_diag(q) ≈ (1/√π)·Σᵢ wᵢ·φ(√(2q)·xᵢ)²
//! ```
//!
//! — neural-tangents' formulas, with √(q₂ − K²/q₁) taken as √q₂·s so that
//! parallel inputs give exactly 0 there. A pair costs 2n² + 2n evaluations
//! of φ and φ′ and O(n²) more for the rule itself, which is recomputed on
//! each call (in f64, on the stack: the activation stays a few words and
//! `Copy`; the rule is ~10% of the cost of the sums at n = 64).
//!
//! **Error.** The n-point rule integrates polynomials of degree ≤ 2n − 1
//! exactly; a product rule has at most the sum of the two one-dimensional
//! errors n!√π/(2ⁿ(2n)!)·∂²ⁿ(φφ)(ξ). For φ analytic in a strip
//! |Im x| < τ (tanh: τ = π/2; sigmoid, softplus, SiLU: τ = π) the error
//! falls like exp(−2τ′√(2n)), τ′ = τ/√(2q) the strip of the scaled
//! integrand, so larger variances need more nodes. Kinks (ELU at α ≠ 1,
//! SELU, ReLU) make it algebraic: use a closed form where one exists.
//! Measured against 50-digit mpmath (2-d trapezoid rule, step 1/16, error
//! < 1e-47 here), single layer, (K, q₁, q₂) = (0.5, 1, 1) and (−0.6, 0.5, 2),
//! the largest error of F, Ḟ and F_diag, each relative to its scale
//! (√(F_diag(q₁)F_diag(q₂)) for F):
//!
//! | n | tanh | sigmoid | softplus | SiLU |
//! |---|---|---|---|---|
//! | 4 | 2.4e-1 | 1.2e-2 | 2.1e-3 | 3.2e-2 |
//! | 8 | 6.3e-2 | 6.4e-4 | 6.0e-5 | 2.0e-3 |
//! | 16 | 7.4e-3 | 6.7e-6 | 3.3e-7 | 2.2e-5 |
//! | 24 | 1.3e-3 | 1.7e-7 | 5.8e-9 | 6.0e-7 |
//! | 32 | 2.9e-4 | 7.4e-9 | 1.9e-10 | 2.6e-8 |
//! | 48 | 2.2e-5 | 3.5e-11 | 6.3e-13 | 1.3e-10 |
//! | 64 | 2.4e-6 | 3.7e-13 | 4.7e-15 | 1.4e-12 |
//!
//! tanh converges slowest (poles at ±iπ/2, nearest the real axis), and every
//! error grows with the variance: in deep networks with inputs of variance up
//! to ≈ 10, the kernels of tanh were still 2e-1 off at n = 16, 4e-2 at 32 and
//! 1.5e-2 at 64 (sigmoid, softplus, SiLU ≤ 1e-2 at 16 and 32, ≤ 1.2e-7 at 64),
//! relative to the largest entry. These are the quadrature's errors:
//! neural-tangents' `ElementwiseNumerical` at the same n agrees with ours to
//! 4e-15 (f64) and 5e-7 (f32) on every entry.

use super::angle::Angle;
use super::builtin;
use super::gauss_hermite::{Rule, MAX_NODES};
use crate::{Real, Result};

/// An activation φ given as a function and its derivative, with dual maps by
/// n-point Gauss–Hermite quadrature (see the [module docs](self)).
///
/// Two are equal when their degrees are and their function pointers have the
/// same address ([`core::ptr::fn_addr_eq`]): the same function may have two
/// addresses (then they compare unequal), and two functions with identical
/// code one (then their maps are identical too).
#[derive(Clone, Copy, Debug)]
pub struct Numerical<T> {
    phi: fn(T) -> T,
    derivative: fn(T) -> T,
    degree: usize,
}

impl<T> PartialEq for Numerical<T> {
    fn eq(&self, other: &Self) -> bool {
        self.degree == other.degree
            && core::ptr::fn_addr_eq(self.phi, other.phi)
            && core::ptr::fn_addr_eq(self.derivative, other.derivative)
    }
}

impl<T: Real> Numerical<T> {
    /// φ = `phi` with φ′ = `derivative`, integrated with `degree` nodes per
    /// dimension (1 ≤ degree ≤ 64; neural-tangents suggests 25 to start).
    ///
    /// ```
    /// use ntk::activation::numerical::Numerical;
    /// use ntk::{Activation, Network};
    /// // stax.serial(Dense(w), ElementwiseNumerical(jnp.tanh, 32), Dense(1))
    /// let tanh = Numerical::<f64>::tanh(32)?;
    /// let net = Network::new(1, Activation::Numerical(tanh))?;
    /// let x = [1.0, 0.5];
    /// let k = net.kernels(&x, &x)?;
    /// // Σ(x, x) = E[tanh(u)²] < 1, and Θ = Σ + K¹·E[tanh′(u)²] > Σ.
    /// assert!(0.0 < k.nngp && k.nngp < 1.0 && k.ntk > k.nngp);
    /// # Ok::<(), ntk::Error>(())
    /// ```
    ///
    /// Errors: degree outside 1..=64 ([`Error::InvalidParameter`](crate::Error::InvalidParameter)).
    pub fn new(phi: fn(T) -> T, derivative: fn(T) -> T, degree: usize) -> Result<Self> {
        Rule::new(degree)?;
        Ok(Numerical {
            phi,
            derivative,
            degree,
        })
    }

    /// tanh.
    pub fn tanh(degree: usize) -> Result<Self> {
        Self::new(builtin::tanh, builtin::tanh_derivative, degree)
    }

    /// The logistic sigmoid 1/(1 + e^{−x}).
    pub fn sigmoid(degree: usize) -> Result<Self> {
        Self::new(builtin::sigmoid, builtin::sigmoid_derivative, degree)
    }

    /// softplus ln(1 + eˣ).
    pub fn softplus(degree: usize) -> Result<Self> {
        Self::new(builtin::softplus, builtin::softplus_derivative, degree)
    }

    /// SiLU / swish x·σ(x).
    pub fn silu(degree: usize) -> Result<Self> {
        Self::new(builtin::silu, builtin::silu_derivative, degree)
    }

    /// ELU with α = 1.
    pub fn elu(degree: usize) -> Result<Self> {
        Self::new(builtin::elu, builtin::elu_derivative, degree)
    }

    /// SELU (λ = 1.0507…, α = 1.6733…).
    pub fn selu(degree: usize) -> Result<Self> {
        Self::new(builtin::selu, builtin::selu_derivative, degree)
    }

    /// Mish x·tanh(softplus x).
    pub fn mish(degree: usize) -> Result<Self> {
        Self::new(builtin::mish, builtin::mish_derivative, degree)
    }

    /// The number of nodes per dimension.
    pub fn degree(&self) -> usize {
        self.degree
    }

    /// φ(x).
    #[inline]
    pub fn apply(&self, x: T) -> T {
        (self.phi)(x)
    }

    /// φ′(x).
    #[inline]
    pub fn derivative(&self, x: T) -> T {
        (self.derivative)(x)
    }

    /// (F, Ḟ) for a pair with covariance `k`, variances `q1`, `q2`.
    pub fn dual(&self, k: T, q1: T, q2: T) -> (T, T) {
        let (xs, ws) = self.rule();
        let n = self.degree.min(MAX_NODES);
        let g = Angle::new(k, q1, q2);
        let (s1, s2) = ((T::TWO * q1).sqrt(), (T::TWO * q2).sqrt());
        let (along, across) = (s2 * g.cos, s2 * g.sin);
        let (mut f, mut fdot) = (T::ZERO, T::ZERO);
        for (&xi, &wi) in xs[..n].iter().zip(&ws[..n]) {
            let (mut inner_f, mut inner_d) = (T::ZERO, T::ZERO);
            for (&xj, &wj) in xs[..n].iter().zip(&ws[..n]) {
                let v = along * xi + across * xj;
                inner_f += wj * (self.phi)(v);
                inner_d += wj * (self.derivative)(v);
            }
            let u = s1 * xi;
            f += wi * (self.phi)(u) * inner_f;
            fdot += wi * (self.derivative)(u) * inner_d;
        }
        (f / T::PI, fdot / T::PI)
    }

    /// F_diag(q) = E[φ(u)²], u ~ N(0, q).
    pub fn diag(&self, q: T) -> T {
        let (xs, ws) = self.rule();
        let n = self.degree.min(MAX_NODES);
        let s = (T::TWO * q).sqrt();
        let sum: T = xs[..n]
            .iter()
            .zip(&ws[..n])
            .map(|(&x, &w)| {
                let p = (self.phi)(s * x);
                w * p * p
            })
            .sum();
        sum / T::PI.sqrt()
    }

    /// The full rule in T (nodes, weights); the degree was checked by `new`.
    fn rule(&self) -> ([T; MAX_NODES], [T; MAX_NODES]) {
        let (mut xs, mut ws) = ([T::ZERO; MAX_NODES], [T::ZERO; MAX_NODES]);
        if let Ok(rule) = Rule::new(self.degree) {
            for ((x, w), (xr, wr)) in xs.iter_mut().zip(ws.iter_mut()).zip(rule.points()) {
                (*x, *w) = (T::from_f64(xr), T::from_f64(wr));
            }
        }
        (xs, ws)
    }
}

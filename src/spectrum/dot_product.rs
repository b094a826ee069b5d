//! A [`Network`]'s NNGP and NTK as dot-product kernels f(t) of the cosine
//! t of the angle between two inputs of equal norm.
//!
//! The kernels of a fully-connected network depend on x·x', |x|², |x'|²;
//! on a domain where every input has the same squared norm r² in ℝᵈ they are
//! functions of t = x·x'/r² alone. The domain fixes r²:
//!
//! | domain | r² | first-layer q = x·x'/d |
//! |---|---|---|
//! | hypercube {±1}ᵈ ([`DotProductKernel::hypercube`]) | d | t |
//! | unit sphere S^{d−1}, circle = S¹ ([`DotProductKernel::unit_sphere`]) | 1 | t/d |
//! | sphere of radius √d (the eigenlearning authors' sphere *spectra*; [`DotProductKernel::new`]`(net, d, d)`) | d | t |
//!
//! With a bias (σ_b ≠ 0) the last two are different kernels; with none
//! (ReLU is homogeneous) they agree up to a factor.

use crate::{Error, Kernels, Network, Point, Real, Result};

/// The kernels of `net` as functions of t = cos∠(x, x') for inputs of
/// squared norm r² in ℝᵈ: f(t) = kernel(x, x') with x·x' = r²t.
#[derive(Clone, Copy, Debug)]
pub struct DotProductKernel<'a, T> {
    net: &'a Network<T>,
    point: Point<T>,
    sq_norm: T,
}

impl<'a, T: Real> DotProductKernel<'a, T> {
    /// Inputs of squared norm `sq_norm` = r² > 0 in dimension `dim` ≥ 1.
    ///
    /// Errors: `dim` = 0, r² not finite or ≤ 0.
    pub fn new(net: &'a Network<T>, sq_norm: T, dim: usize) -> Result<Self> {
        if dim == 0 {
            return Err(Error::Empty { what: "input" });
        }
        if !sq_norm.is_finite() {
            return Err(Error::NonFinite { what: "sq_norm" });
        }
        if sq_norm <= T::ZERO {
            return Err(Error::InvalidParameter {
                what: "sq_norm must be > 0",
            });
        }
        Ok(DotProductKernel {
            net,
            point: net.point_from_sq_norm(sq_norm, dim),
            sq_norm,
        })
    }

    /// The boolean hypercube {±1}ᵈ: r² = d, so t = x·x'/d.
    ///
    /// ```
    /// use ntk::{spectrum::DotProductKernel, Activation, Network};
    /// use ntk::Dense;
    /// let net = Network::<f64>::new(1, Activation::Relu)?
    ///     .with_std(2f64.sqrt(), None)?
    ///     .with_readout(Dense::new(1.0, None))?;
    /// let k = DotProductKernel::hypercube(&net, 8)?;
    /// // One hidden ReLU layer, σ_w² = 2, readout σ = 1, no bias: Θ(1) = 2.
    /// assert!((k.ntk(1.0) - 2.0).abs() < 1e-15);
    /// # Ok::<(), ntk::Error>(())
    /// ```
    pub fn hypercube(net: &'a Network<T>, d: usize) -> Result<Self> {
        Self::new(net, T::from_usize(d), d)
    }

    /// Unit-norm inputs on S^{d−1} ⊂ ℝᵈ (d = 2: the circle): r² = 1.
    pub fn unit_sphere(net: &'a Network<T>, d: usize) -> Result<Self> {
        Self::new(net, T::ONE, d)
    }

    /// Both kernels at t ∈ [−1, 1].
    #[inline]
    pub fn kernels(&self, t: T) -> Kernels<T> {
        self.net
            .kernels_of(&self.point, &self.point, self.sq_norm * t)
    }

    /// The NTK Θ at t.
    #[inline]
    pub fn ntk(&self, t: T) -> T {
        self.kernels(t).ntk
    }

    /// The NNGP Σ at t.
    #[inline]
    pub fn nngp(&self, t: T) -> T {
        self.kernels(t).nngp
    }
}

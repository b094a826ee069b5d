//! Spectra of kernels: eigenvalues λ (of the integral operator with respect
//! to the input distribution) and their multiplicities.
//!
//! | domain | function | eigenvalue of | multiplicity |
//! |---|---|---|---|
//! | hypercube {±1}ᵈ, uniform | [`hypercube`] (Krawtchouk sums, exact to d = 64) | Walsh functions χ_S, degree k = \|S\| | [`hypercube_multiplicity`] C(d, k) |
//! | sphere S^{d−1}, uniform | [`sphere`] (Funk–Hecke by Gauss–Legendre in θ) + tail trace | spherical harmonics of degree k | [`sphere_multiplicity`] N(d, k) |
//! | circle, M points | [`circle`] (DFT of a kernel row) | Fourier modes [`circle_eigenfunction`] | 1 |
//! | M sample points (any data) | [`empirical`] (Jacobi eigensolver), eig(K)/M | √M·U columns, [`empirical_coefficients`] | 1 |
//!
//! Targets on the hypercube go to the Walsh basis by [`fwht`] /
//! [`walsh_level_weights`].
//!
//! The kernels are dot-product kernels f(t), t the cosine of the angle
//! between inputs: any `Fn(T) -> T`, or a network's NNGP / NTK through
//! [`DotProductKernel`]. Eigenvalues are not normalised: Σ mult·λ = f(1) = K(x, x).
//! The eigenlearning paper normalises K(x, x) = 1; divide by f(1) for that.
//!
//! Any [`Kernel`](crate::kernel::Kernel) that depends on the inputs only
//! through their cosine on the sphere (the network's kernels, an
//! [`Rbf`](crate::kernel::Rbf) restricted to the sphere) gives its f(t) by
//! evaluation at a pair at angle arccos t; an error becomes NaN, which the
//! spectra report as [`Error::NonFinite`](crate::Error::NonFinite). Any
//! kernel on any data: [`empirical`] of its Gram matrix.
//!
//! ```
//! use ntk::kernel::{Kernel, Rbf};
//! use ntk::spectrum::{gauss_legendre, sphere};
//! let rbf = Rbf::new(1.0f64, 1.0)?; // on S²: exp(−‖x − z‖²/2) = exp(t − 1)
//! let f = |t: f64| {
//!     let s = (1.0 - t * t).max(0.0).sqrt();
//!     rbf.eval(&[1.0, 0.0, 0.0], &[t, s, 0.0]).unwrap_or(f64::NAN)
//! };
//! let (mut x, mut w) = ([0.0; 128], [0.0; 128]);
//! gauss_legendre(&mut x, &mut w)?;
//! let mut lam = [0.0; 3];
//! sphere(3, f, &x, &w, &mut lam)?;
//! // Funk–Hecke on S²: λ₀ = ½∫₋₁¹ exp(t − 1) dt = (1 − e⁻²)/2.
//! assert!((lam[0] - 0.5 * (1.0 - (-2.0f64).exp())).abs() < 1e-13);
//! # Ok::<(), ntk::Error>(())
//! ```

mod circle;
pub(crate) mod compensated;
mod dot_product;
mod empirical;
mod hypercube;
mod quadrature;
mod sphere;
mod walsh_hadamard;

pub use circle::{circle, circle_eigenfunction};
pub use dot_product::DotProductKernel;
pub use empirical::{empirical, empirical_coefficients, empirical_strided};
pub use hypercube::{hypercube, hypercube_multiplicity, MAX_HYPERCUBE_DIM};
pub use quadrature::gauss_legendre;
pub use sphere::{sphere, sphere_multiplicity, zonal_polynomial};
pub use walsh_hadamard::{fwht, walsh_level_weights};

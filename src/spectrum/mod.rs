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

//! # ntk — closed-form kernels of infinitely wide neural networks
//!
//! An infinitely wide fully-connected network is, at random initialisation,
//! a Gaussian process with covariance Σ (the **NNGP** kernel); trained by
//! gradient descent on squared loss it evolves as kernel regression with the
//! **neural tangent kernel** Θ (Jacot et al. 2018). For the activations in
//! [`Activation`] both kernels have closed forms, applied layer by layer
//! ([`recursion`]). This crate computes them exactly, without heap or `std`,
//! for `f32` and `f64`.
//!
//! ```
//! use ntk::{Activation, Network};
//!
//! // stax.serial(Dense(512, W_std=1.5, b_std=0.05), Relu(), ×3, Dense(1, 1.5, 0.05))
//! let net = Network::<f64>::new(3, Activation::Relu)?.with_std(1.5, Some(0.05))?;
//! let k = net.kernels(&[1.0, 2.0, 0.5], &[0.3, -1.0, 2.0])?;
//! assert!(k.ntk > k.nngp && k.nngp > 0.0);
//! # Ok::<(), ntk::Error>(())
//! ```
//!
//! ## Conventions (neural-tangents 0.6.5)
//!
//! | ntk | neural-tangents |
//! |---|---|
//! | [`Network::new`]`(L, φ)` | `stax.serial(*[Dense(w), φ]*L, Dense(1))` |
//! | [`Network::with_std`]`(σ_w, Some(σ_b))` | `Dense(w, W_std=σ_w, b_std=σ_b)` on every layer |
//! | `b_std: None` | `b_std=None` |
//! | [`Parameterization::Ntk`] / [`Parameterization::Standard`] | `parameterization='ntk'` / `'standard'` |
//! | [`Kernels::nngp`], [`Kernels::ntk`] | `kernel_fn(x1, x2, ('nngp', 'ntk'))` |
//!
//! Inputs are scaled by 1/d: the first layer sees K = x·z/d.
//!
//! ## Accuracy
//!
//! Measured against neural-tangents 0.6.5 (jax, float64) and 50-digit
//! mpmath over the fixture grid in `tests/data/`: f64 agrees to ≤ 1.5e-12 of
//! max|K|, f32 to ≤ 1e-5 wherever the rounded inputs determine the kernel.
//! The per-activation table, and where the kernel is ill-conditioned, is in
//! [`recursion`](crate::recursion#accuracy).
//!
//! ## Cost model: pairs or tiles
//!
//! | call | what it computes | cost per kernel entry |
//! |---|---|---|
//! | [`Network::kernels`], [`gram::Gram::entry`] | one pair (x, z) | the scalar recursion: 20–40× a tile entry |
//! | [`gram::Gram::matrix`], [`gram::Gram::symmetric`], [`gram::Gram::tile`] | a block of pairs | vectorised lanes, inputs and norms reused across the block |
//! | `gram::par` (feature `rayon`) | a Gram matrix on every core | a tile entry ÷ the number of cores |
//!
//! A pair call recomputes both norms and runs the depth-L recursion one pair
//! at a time; a tile computes each norm once and evaluates the layers for many
//! pairs in SIMD lanes. Measured on one core of a 2.8 GHz Xeon (depth-3
//! ReLU, d = 64, NNGP and NTK together): 0.7 M pairs/s through either pair call
//! against 30 M entries/s in a 256 × 256 tile in f32 (0.4–0.5 M against
//! 11 M in f64). Use pair calls for a handful of entries, tiles for anything
//! that is a matrix.
//!
//! ## Crate features
//!
//! - `all-activations` (default): every activation; without it only the
//!   ReLU family is linked (smaller firmware, see [`activation`]).
//! - `std` (off): host conveniences, never required. It adds
//!   `Model::set_threads` ([`regression::Model`]): the regression's fit and
//!   batch means on several cores, bitwise equal to one core. Implies `alloc`.
//! - `alloc` (off): `ntk::interop`, Gram matrices returned as nalgebra `DMatrix`.
//! - `ndarray` (off): `ntk::interop::ndarray`: points as the rows
//!   of an `ArrayView2`, Gram matrices as `Array2`, `ArrayViewMut2` outputs.
//! - `rayon` (off): `ntk::gram::par`: Gram matrices on all of
//!   rayon's threads, bitwise equal to one thread. Implies `std`.
//! - `smartcore` (off): `ntk::interop::smartcore`: any
//!   [`kernel::Kernel`] as a smartcore 0.7 kernel (kernel SVMs with the NTK).
//! - `friedrich` (off): `ntk::interop::friedrich`: any
//!   [`kernel::Kernel`] as a friedrich 0.6 kernel (its Gaussian processes).
//!
//! Without `std` and `alloc` the crate uses neither `std` nor `alloc`.
//!
//! ## Any kernel, any layout
//!
//! [`kernel::Kernel`] is a pair evaluation k(x, z) with batched tile
//! methods; the network's kernels ([`Network::nngp`], [`Network::ntk`]),
//! [`kernel::Rbf`], [`kernel::Laplace`] and closures implement it, and
//! [`regression::Precomputed`] runs the regression on any kernel's Gram
//! matrix. Gram outputs say their layout by type ([`gram::RowMajor`],
//! [`gram::ColMajor`], nalgebra matrices): a transposed result does not compile.
//!
//! ## Dependencies and their versions
//!
//! - **Randomness** ([`finite`]) comes through [`rand_core`] 0.10's
//!   [`Rng`](rand_core::Rng), re-exported as `ntk::rand_core`. Every
//!   generator of `rand` 0.10 implements it (`rand::rngs::StdRng`,
//!   `rand::rng()`), as do `rand_xoshiro` 0.8 and `rand_chacha` 0.10;
//!   generators of `rand` ≤ 0.9 do not (their `rand_core` is another crate).
//! - **nalgebra** 0.35 (re-exported as `ntk::nalgebra`): [`gram::Points::from_columns`]
//!   takes its matrices. A matrix of another nalgebra version is another type;
//!   use `ntk::nalgebra`'s types, or pass any version's column-major data as
//!   a slice: `Points::new(m.as_slice(), m.nrows())` (one point per column).
#![no_std]
#![cfg_attr(docsrs, feature(doc_cfg))]
#![deny(unsafe_code)]
#![warn(missing_docs)]

#[cfg(feature = "alloc")]
extern crate alloc;
#[cfg(any(test, feature = "std"))]
extern crate std;

#[cfg(target_arch = "aarch64")]
mod aarch64;
pub mod activation;
pub mod eigenlearning;
pub mod error;
pub mod finite;
pub mod gram;
#[cfg(feature = "alloc")]
#[cfg_attr(docsrs, doc(cfg(feature = "alloc")))]
pub mod interop;
pub mod kernel;
pub(crate) mod linalg;
pub mod network;
pub mod real;
pub mod recursion;
pub mod regression;
pub mod spectrum;
#[cfg(target_arch = "x86_64")]
mod x86;

pub use nalgebra;
pub use rand_core;

pub use activation::Activation;
pub use error::{Error, Result};
pub use network::{Dense, Network, Parameterization, MAX_DEPTH};
pub use real::Real;
pub use recursion::{Kernels, Point};

// The README's examples run as doc-tests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

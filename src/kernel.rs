//! Any kernel k(x, z): a trait to implement and to consume.
//!
//! [`Kernel`] is a pair evaluation k(x, z) plus a tile method (a block of
//! K(X, Z) into an output of either layout) and a symmetric method (K(X, X)
//! with each pair evaluated once), both with defaults built on the pair
//! evaluation. Kernel machines of other crates plug kernels in the same way
//! (smartcore's `Kernel::apply`, friedrich's `Kernel::kernel`). Implemented
//! here by
//!
//! - the network's kernels, [`Network::nngp`] and [`Network::ntk`]
//!   ([`NetworkKernel`]): their tiles are the vectorised [`Gram`] tiles,
//!   bitwise;
//! - [`Rbf`] k = σ²·exp(−‖x − z‖²/(2ℓ²)) and [`Laplace`] k = σ²·exp(−‖x − z‖/ℓ),
//!   small examples of user kernels;
//! - every closure `Fn(&[T], &[T]) -> T`.
//!
//! [`matrix`] and [`symmetric`] fill whole Gram matrices of any kernel;
//! [`spectrum::empirical`](crate::spectrum::empirical) and
//! [`regression::Precomputed`](crate::regression::Precomputed) take the result.
//!
//! ```
//! use ntk::gram::{Points, RowMajor};
//! use ntk::kernel::{self, Kernel, Rbf};
//! use ntk::{Activation, Network};
//!
//! let xs = [[0.0f64, 1.0], [1.0, 0.0], [1.0, 1.0]];
//! let x = Points::from_arrays(&xs)?;
//! let rbf = Rbf::new(1.5, 1.0)?;
//! let mut k = [0.0; 9];
//! kernel::symmetric(&rbf, &x, RowMajor(&mut k, 3))?;
//! assert_eq!(k[1], (-2.0f64 / 4.5).exp()); // ‖x₀ − x₁‖² = 2, 2ℓ² = 4.5
//!
//! // A closure is a kernel; so is the network's NTK.
//! let poly = |a: &[f64], b: &[f64]| (1.0 + a[0] * b[0] + a[1] * b[1]).powi(2);
//! assert_eq!(poly.eval(&xs[2], &xs[2])?, 9.0);
//! let ntk = Network::<f64>::new(2, Activation::Relu)?.ntk();
//! kernel::symmetric(&ntk, &x, RowMajor(&mut k, 3))?;
//! assert!(k[4] > k[1]);
//! # Ok::<(), ntk::Error>(())
//! ```

use crate::error::ensure_finite;
use crate::gram::{check_tile, Gram, IntoTarget, LaneReal, Output, Points, Target, Tile};
use crate::regression::Regime;
use crate::{Error, Network, Real, Result};

/// A positive semi-definite kernel k(x, z) on points of equal dimension.
pub trait Kernel<T: Real> {
    /// k(x, z).
    ///
    /// Errors: empty or non-finite inputs, different lengths, a non-finite value.
    fn eval(&self, x: &[T], z: &[T]) -> Result<T>;

    /// The entries (i, j) ∈ `tile` of K(X, Z) into `out`, laid out as in
    /// [`gram`](crate::gram#layout). The default evaluates [`Kernel::eval`]
    /// pair by pair.
    ///
    /// Errors: as [`Gram::tile`](crate::gram::Gram::tile); an error of
    /// [`Kernel::eval`] (the entries before it are then written).
    fn tile(
        &self,
        x: &Points<'_, T>,
        z: &Points<'_, T>,
        tile: Tile,
        out: Target<'_, T>,
    ) -> Result<()> {
        let mut out = checked(x, z, &tile, out)?;
        for (i, r) in tile.rows.clone().enumerate() {
            for (j, c) in tile.cols.clone().enumerate() {
                out.put(i, j, self.eval(x.point(r), z.point(c))?);
            }
        }
        Ok(())
    }

    /// This kernel as a network kernel, if it is one: consumers use the
    /// closed forms behind it (the regressor's NTK-regime covariance needs
    /// the NNGP too, and on targets without an OS it uses the scalar pair
    /// loop). `None`, the default, for every other kernel, which consumers
    /// then use through [`Kernel::eval`], [`Kernel::tile`] and
    /// [`Kernel::symmetric`] alone. Leave it at the default.
    fn network_kernel(&self) -> Option<&NetworkKernel<T>> {
        None
    }

    /// The whole symmetric K(X, X) (n×n) into `out`, each pair evaluated
    /// once and written at (i, j) and (j, i). The default evaluates
    /// [`Kernel::eval`] on the pairs j ≥ i.
    ///
    /// Errors: as [`Kernel::tile`].
    fn symmetric(&self, x: &Points<'_, T>, out: Target<'_, T>) -> Result<()> {
        let n = x.len();
        let mut out = checked(x, x, &Tile::new(0..n, 0..n), out)?;
        for i in 0..n {
            for j in i..n {
                let v = self.eval(x.point(i), x.point(j))?;
                out.put(i, j, v);
                out.put(j, i, v);
            }
        }
        Ok(())
    }
}

/// The whole matrix K(X, Z) (n×m) of any kernel into `out`.
///
/// Errors: as [`Kernel::tile`].
pub fn matrix<'a, T: Real, K: Kernel<T> + ?Sized>(
    k: &K,
    x: &Points<'_, T>,
    z: &Points<'_, T>,
    out: impl IntoTarget<'a, T>,
) -> Result<()> {
    k.tile(x, z, Tile::new(0..x.len(), 0..z.len()), out.into_target())
}

/// The symmetric K(X, X) (n×n) of any kernel into `out`, each pair once.
///
/// Errors: as [`Kernel::tile`].
pub fn symmetric<'a, T: Real, K: Kernel<T> + ?Sized>(
    k: &K,
    x: &Points<'_, T>,
    out: impl IntoTarget<'a, T>,
) -> Result<()> {
    k.symmetric(x, out.into_target())
}

/// Checks the point sets, the tile and the output of a default tile.
fn checked<'a, T: Real>(
    x: &Points<'_, T>,
    z: &Points<'_, T>,
    tile: &Tile,
    out: Target<'a, T>,
) -> Result<Target<'a, T>> {
    check_tile(x, z, tile)?;
    out.check(tile.rows.len(), tile.cols.len(), "kernel output")?;
    Ok(out)
}

/// Checks a pair: non-empty, equal lengths, finite.
fn check_pair<T: Real>(x: &[T], z: &[T]) -> Result<()> {
    crate::gram::check_pair(x, z)?;
    ensure_finite(x, "first input")?;
    ensure_finite(z, "second input")
}

/// A finite kernel value, or [`Error::NonFinite`].
fn finite<T: Real>(v: T) -> Result<T> {
    ensure_finite(&[v], "kernel value").map(|()| v)
}

/// Every closure `Fn(&[T], &[T]) -> T` is a kernel (inputs checked, value
/// required finite).
impl<T: Real, F: Fn(&[T], &[T]) -> T> Kernel<T> for F {
    fn eval(&self, x: &[T], z: &[T]) -> Result<T> {
        check_pair(x, z)?;
        finite(self(x, z))
    }
}

/// ‖x − z‖², summed in coordinate order.
fn sq_dist<T: Real>(x: &[T], z: &[T]) -> T {
    x.iter()
        .zip(z)
        .fold(T::ZERO, |s, (&a, &b)| s + (a - b) * (a - b))
}

/// A length scale ℓ > 0 and a variance σ² ≥ 0, both finite.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Scales<T> {
    length_scale: T,
    variance: T,
}

impl<T: Real> Scales<T> {
    fn new(length_scale: T, variance: T) -> Result<Self> {
        if !(length_scale.is_finite() && variance.is_finite()) {
            return Err(Error::NonFinite {
                what: "length scale or variance",
            });
        }
        if length_scale <= T::ZERO || variance < T::ZERO {
            return Err(Error::InvalidParameter {
                what: "length scale must be > 0 and variance >= 0",
            });
        }
        Ok(Scales {
            length_scale,
            variance,
        })
    }

    /// σ²·profile(‖x − z‖², ℓ), checked.
    fn eval(&self, x: &[T], z: &[T], profile: impl Fn(T, T) -> T) -> Result<T> {
        check_pair(x, z)?;
        finite(self.variance * profile(sq_dist(x, z), self.length_scale))
    }
}

/// A stationary kernel σ²·profile(‖x − z‖², ℓ): the struct, its
/// constructor and its [`Kernel`] impl.
macro_rules! stationary {
    ($(#[$doc:meta])* $name:ident, $profile:expr) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq)]
        pub struct $name<T>(Scales<T>);

        impl<T: Real> $name<T> {
            /// Length scale ℓ > 0, variance σ² ≥ 0.
            ///
            /// Errors: non-finite or out-of-range values.
            pub fn new(length_scale: T, variance: T) -> Result<Self> {
                Scales::new(length_scale, variance).map($name)
            }
        }

        /// ℓ = 1, σ² = 1.
        impl<T: Real> Default for $name<T> {
            fn default() -> Self {
                $name(Scales {
                    length_scale: T::ONE,
                    variance: T::ONE,
                })
            }
        }

        impl<T: Real> Kernel<T> for $name<T> {
            fn eval(&self, x: &[T], z: &[T]) -> Result<T> {
                self.0.eval(x, z, $profile)
            }
        }
    };
}

stationary!(
    /// The Gaussian (RBF, squared-exponential) kernel
    /// k(x, z) = σ²·exp(−‖x − z‖²/(2ℓ²)).
    Rbf,
    |d2: T, l: T| (-d2 / (T::TWO * l * l)).exp()
);

stationary!(
    /// The Laplace (exponential) kernel k(x, z) = σ²·exp(−‖x − z‖/ℓ).
    Laplace,
    |d2: T, l: T| (-d2.sqrt() / l).exp()
);

/// The NNGP or NTK of a [`Network`] as a [`Kernel`] (from [`Network::nngp`],
/// [`Network::ntk`]): pairs by [`Gram::entry`], tiles and symmetric
/// matrices by the vectorised [`Gram`] tiles, bitwise equal to them.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct NetworkKernel<T> {
    gram: Gram<T>,
    regime: Regime,
}

impl<T: LaneReal> NetworkKernel<T> {
    /// The network.
    pub fn network(&self) -> &Network<T> {
        self.gram.network()
    }

    /// Which kernel: the NNGP Σ or the NTK Θ.
    pub fn regime(&self) -> Regime {
        self.regime
    }

    fn output<'a>(&self, out: Target<'a, T>) -> Output<'a, T> {
        match self.regime {
            Regime::Nngp => Output::nngp(out),
            Regime::Ntk => Output::ntk(out),
        }
    }
}

impl<T: LaneReal> Kernel<T> for NetworkKernel<T> {
    fn network_kernel(&self) -> Option<&NetworkKernel<T>> {
        Some(self)
    }

    fn eval(&self, x: &[T], z: &[T]) -> Result<T> {
        let k = self.gram.entry(x, z)?;
        Ok(match self.regime {
            Regime::Nngp => k.nngp,
            Regime::Ntk => k.ntk,
        })
    }

    fn tile(
        &self,
        x: &Points<'_, T>,
        z: &Points<'_, T>,
        tile: Tile,
        out: Target<'_, T>,
    ) -> Result<()> {
        self.gram.tile(x, z, tile, self.output(out))
    }

    fn symmetric(&self, x: &Points<'_, T>, out: Target<'_, T>) -> Result<()> {
        self.gram.symmetric(x, self.output(out))
    }
}

impl<T: LaneReal> Network<T> {
    /// The NNGP Σ of this network as a [`Kernel`].
    pub fn nngp(self) -> NetworkKernel<T> {
        NetworkKernel {
            gram: Gram::new(self),
            regime: Regime::Nngp,
        }
    }

    /// The NTK Θ of this network as a [`Kernel`].
    pub fn ntk(self) -> NetworkKernel<T> {
        NetworkKernel {
            gram: Gram::new(self),
            regime: Regime::Ntk,
        }
    }
}

//! Gram matrices returned as nalgebra `DMatrix` (feature `alloc`).
//!
//! nalgebra is column-major: column j of a d×n matrix is point j, and entry
//! (i, j) of a returned n×m matrix is k(xᵢ, z_j). The matrices are of
//! nalgebra 0.35 (re-exported as `ntk::nalgebra`); with another nalgebra
//! version in your project, pass `m.as_slice()` and `m.nrows()` to
//! [`Points::new`] and fill a `ColMajor(buf, rows)` instead.
//!
//! ```
//! use ntk::nalgebra::DMatrix;
//! use ntk::{interop, Activation, Network};
//!
//! let x = DMatrix::<f64>::from_fn(3, 5, |i, j| ((i + 2 * j) as f64).sin()); // 5 points in 3-D
//! let net = Network::<f64>::new(2, Activation::Relu)?;
//! let gram = ntk::gram::Gram::new(net);
//! let k = interop::nalgebra::gram(&gram, &x, &x)?;
//! assert_eq!(k.ntk.shape(), (5, 5));
//! let pair = gram.entry(x.column(1).as_slice(), x.column(3).as_slice())?;
//! assert_eq!((k.nngp[(1, 3)], k.ntk[(1, 3)]), (pair.nngp, pair.ntk));
//! # Ok::<(), ntk::Error>(())
//! ```

use crate::gram::{Gram, LaneReal, Output, Points};
use crate::kernel::{self, Kernel};
use crate::{Kernels, Real, Result};
use nalgebra::{storage::IsContiguous, storage::RawStorage, DMatrix, Dim, Matrix};

/// A contiguous nalgebra matrix whose columns are points.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a contiguous matrix of ntk's nalgebra (0.35)",
    note = "with another nalgebra version, use Points::new(m.as_slice(), m.nrows()) and a ColMajor output"
)]
pub trait Columns<T> {
    /// The columns as points.
    fn columns(&self) -> Result<Points<'_, T>>;
}

impl<T: Real, R: Dim, C: Dim, S> Columns<T> for Matrix<T, R, C, S>
where
    S: RawStorage<T, R, C> + IsContiguous,
{
    fn columns(&self) -> Result<Points<'_, T>> {
        Points::from_columns(self)
    }
}

/// The NNGP and NTK K(X, Z) (n×m) of the columns of `x` (d×n) and `z` (d×m).
///
/// Errors: as [`Gram::matrix`].
pub fn gram<T: LaneReal>(
    gram: &Gram<T>,
    x: &impl Columns<T>,
    z: &impl Columns<T>,
) -> Result<Kernels<DMatrix<T>>> {
    let (x, z) = (x.columns()?, z.columns()?);
    let mut k = Kernels {
        nngp: DMatrix::from_element(x.len(), z.len(), T::ZERO),
        ntk: DMatrix::from_element(x.len(), z.len(), T::ZERO),
    };
    gram.matrix(&x, &z, Output::both(&mut k.nngp, &mut k.ntk))?;
    Ok(k)
}

/// K(X, Z) (n×m) of any [`Kernel`] on the columns of `x` (d×n) and `z` (d×m).
///
/// Errors: as [`Kernel::tile`].
pub fn kernel_matrix<T: Real, K: Kernel<T> + ?Sized>(
    k: &K,
    x: &impl Columns<T>,
    z: &impl Columns<T>,
) -> Result<DMatrix<T>> {
    let (x, z) = (x.columns()?, z.columns()?);
    let mut out = DMatrix::from_element(x.len(), z.len(), T::ZERO);
    kernel::matrix(k, &x, &z, &mut out)?;
    Ok(out)
}

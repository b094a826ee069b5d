//! ndarray interop (feature `ndarray`): points as the rows of an
//! `ArrayView2` (shape (n, d), neural-tangents' and linfa's convention),
//! Gram matrices out as `Array2`, and `ArrayViewMut2` / `&mut Array2` as
//! outputs of either memory order.
//!
//! ```
//! use ndarray::Array2;
//! use ntk::gram::{Gram, Output};
//! use ntk::{interop::ndarray as nd, Activation, Network};
//!
//! let x = Array2::from_shape_fn((5, 3), |(i, j)| ((j + 2 * i) as f64).sin()); // 5 points in 3-D
//! let gram = Gram::new(Network::<f64>::new(2, Activation::Relu)?);
//! let k = nd::gram(&gram, x.view(), x.view())?;
//! // A Fortran-order output holds the same entries.
//! let mut f = Array2::<f64>::zeros((5, 5).f());
//! gram.matrix(&nd::points(&x.view())?, &nd::points(&x.view())?, Output::ntk(f.view_mut()))?;
//! assert_eq!(f, k.ntk);
//! # use ndarray::ShapeBuilder;
//! # Ok::<(), ntk::Error>(())
//! ```

use crate::gram::{Gram, IntoTarget, LaneReal, Layout, Output, Points, Target};
use crate::kernel::{self, Kernel};
use crate::{Error, Kernels, Real, Result};
use ndarray::{Array2, ArrayView2, ArrayViewMut2};

/// The rows of `x` (shape (n, d)) as points, borrowed.
///
/// Errors: `x` not in standard (row-major, contiguous) layout
/// ([`Error::InvalidParameter`]: use `x.as_standard_layout()`), d = 0.
pub fn points<'a, T: Real>(x: &ArrayView2<'a, T>) -> Result<Points<'a, T>> {
    let d = x.ncols();
    match x.to_slice() {
        Some(s) => Points::new(s, d),
        None => Err(Error::InvalidParameter {
            what: "points must be a row-major contiguous array (use .as_standard_layout())",
        }),
    }
}

/// The NNGP and NTK K(X, Z) (n×m) of the rows of `x` (n×d) and `z` (m×d).
///
/// Errors: as [`points`] and [`Gram::matrix`].
pub fn gram<T: LaneReal>(
    gram: &Gram<T>,
    x: ArrayView2<'_, T>,
    z: ArrayView2<'_, T>,
) -> Result<Kernels<Array2<T>>> {
    let (x, z) = (points(&x)?, points(&z)?);
    let mut k = Kernels {
        nngp: Array2::from_elem((x.len(), z.len()), T::ZERO),
        ntk: Array2::from_elem((x.len(), z.len()), T::ZERO),
    };
    gram.matrix(&x, &z, Output::both(&mut k.nngp, &mut k.ntk))?;
    Ok(k)
}

/// K(X, Z) (n×m) of any [`Kernel`] on the rows of `x` (n×d) and `z` (m×d).
///
/// Errors: as [`points`] and [`Kernel::tile`].
pub fn kernel_matrix<T: Real, K: Kernel<T> + ?Sized>(
    k: &K,
    x: ArrayView2<'_, T>,
    z: ArrayView2<'_, T>,
) -> Result<Array2<T>> {
    let (x, z) = (points(&x)?, points(&z)?);
    let mut out = Array2::from_elem((x.len(), z.len()), T::ZERO);
    kernel::matrix(k, &x, &z, &mut out)?;
    Ok(out)
}

/// A contiguous view in standard (row-major) or Fortran (column-major)
/// order; the tile must have its shape. Other strides give a target that
/// every tile refuses with [`Error::InvalidParameter`].
impl<'a, T> IntoTarget<'a, T> for ArrayViewMut2<'a, T> {
    fn into_target(self) -> Target<'a, T> {
        let (rows, cols) = self.dim();
        let layout = if self.is_standard_layout() {
            Layout::RowMajor
        } else {
            Layout::ColMajor
        };
        let stride = match layout {
            Layout::RowMajor => cols,
            Layout::ColMajor => rows,
        };
        // Fortran order is the standard layout of the transpose.
        let fortran = self.t().is_standard_layout();
        match self.into_slice_memory_order() {
            Some(buf) if layout == Layout::RowMajor || fortran => {
                Target::new(buf, stride, layout, Some((rows, cols)))
            }
            _ => Target::unusable("ndarray output must be contiguous in standard or Fortran order"),
        }
    }
}

impl<'a, T> IntoTarget<'a, T> for &'a mut Array2<T> {
    fn into_target(self) -> Target<'a, T> {
        self.view_mut().into_target()
    }
}

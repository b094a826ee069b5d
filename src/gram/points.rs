//! Point sets: n points of dimension d, each stored contiguously.

use crate::{Error, Real, Result};
use nalgebra::{storage::IsContiguous, storage::RawStorage, Dim, Matrix};

/// n points of dimension d, point i at `data[i·d .. (i+1)·d]`.
///
/// Built from a row-major slice ([`Points::new`], neural-tangents' `x` of
/// shape (n, d)), from fixed-size arrays ([`Points::from_arrays`]) or from the
/// columns of a contiguous nalgebra matrix ([`Points::from_columns`]: a d×n
/// `SMatrix`, `DMatrix` or contiguous `MatrixView`, one point per column —
/// nalgebra is column-major, so columns are the contiguous direction).
/// Borrowed, never copied.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Points<'a, T> {
    data: &'a [T],
    dim: usize,
}

impl<'a, T: Real> Points<'a, T> {
    /// `data.len()/dim` points of dimension `dim`, row-major.
    ///
    /// Errors: `dim = 0` ([`Error::Empty`]); `data.len()` not a multiple of
    /// `dim` ([`Error::DimensionMismatch`]).
    ///
    /// ```
    /// let x = [1.0f32, 2.0, 3.0, 4.0, 5.0, 6.0];
    /// let p = ntk::gram::Points::new(&x, 3)?;
    /// assert_eq!((p.len(), p.dim()), (2, 3));
    /// # Ok::<(), ntk::Error>(())
    /// ```
    pub fn new(data: &'a [T], dim: usize) -> Result<Self> {
        if dim == 0 {
            return Err(Error::Empty {
                what: "point dimension",
            });
        }
        if !data.len().is_multiple_of(dim) {
            return Err(Error::DimensionMismatch {
                what: "point data (length must be a multiple of dim)",
                expected: data.len() / dim * dim + dim,
                found: data.len(),
            });
        }
        Ok(Points { data, dim })
    }

    /// The points of a slice of arrays `[[T; D]]`.
    ///
    /// Errors: `D = 0` ([`Error::Empty`]).
    ///
    /// ```
    /// let x = [[1.0f64, 0.0], [0.0, 1.0], [1.0, 1.0]];
    /// assert_eq!(ntk::gram::Points::from_arrays(&x)?.len(), 3);
    /// # Ok::<(), ntk::Error>(())
    /// ```
    pub fn from_arrays<const D: usize>(points: &'a [[T; D]]) -> Result<Self> {
        Self::new(points.as_flattened(), D)
    }

    /// The columns of a contiguous d×n nalgebra matrix, one point per column.
    ///
    /// Errors: zero rows ([`Error::Empty`]).
    ///
    /// ```
    /// use nalgebra::SMatrix;
    /// let m = SMatrix::<f32, 2, 3>::new(1.0, 0.0, 1.0, 0.0, 1.0, 1.0); // columns (1,0), (0,1), (1,1)
    /// let p = ntk::gram::Points::from_columns(&m)?;
    /// assert_eq!((p.len(), p.point(2)), (3, &[1.0f32, 1.0][..]));
    /// # Ok::<(), ntk::Error>(())
    /// ```
    pub fn from_columns<R: Dim, C: Dim, S>(m: &'a Matrix<T, R, C, S>) -> Result<Self>
    where
        S: RawStorage<T, R, C> + IsContiguous,
    {
        Self::new(m.as_slice(), m.nrows())
    }

    /// Number of points n.
    pub fn len(&self) -> usize {
        // `dim > 0` by construction; `checked_div` keeps the division panic-free.
        self.data.len().checked_div(self.dim).unwrap_or(0)
    }

    /// `true` if there are no points.
    pub fn is_empty(&self) -> bool {
        self.data.is_empty()
    }

    /// The dimension d.
    pub fn dim(&self) -> usize {
        self.dim
    }

    /// The points with indices in `range`, as a point set of their own
    /// (borrowed; point i of it is point `range.start + i`): a shard of a big
    /// Gram matrix, e.g. the diagonal block K(X_P, X_P) by [`Gram::symmetric`](super::Gram::symmetric).
    ///
    /// Errors: `range` not within `0..len()` ([`Error::IndexOutOfRange`]).
    ///
    /// ```
    /// let x = [1.0f32, 2.0, 3.0, 4.0, 5.0, 6.0];
    /// let p = ntk::gram::Points::new(&x, 2)?;
    /// assert_eq!(p.slice(1..3)?.point(0), &[3.0, 4.0]);
    /// assert!(p.slice(2..4).is_err());
    /// # Ok::<(), ntk::Error>(())
    /// ```
    pub fn slice(&self, range: core::ops::Range<usize>) -> Result<Self> {
        let len = self.len();
        if range.start > range.end || range.end > len {
            return Err(Error::IndexOutOfRange {
                index: range.end.max(range.start),
                len,
            });
        }
        Ok(Points {
            data: self.span(range),
            dim: self.dim,
        })
    }

    /// Point `i` (d coordinates).
    ///
    /// Panics if `i ≥ len()`; [`Points::get`] is the checked form.
    pub fn point(&self, i: usize) -> &'a [T] {
        match self.get(i) {
            Some(p) => p,
            None => panic!("point index {i} out of range for {} points", self.len()),
        }
    }

    /// Point `i` (d coordinates), or `None` if `i ≥ len()`.
    ///
    /// ```
    /// let x = [1.0f32, 2.0, 3.0, 4.0];
    /// let p = ntk::gram::Points::new(&x, 2)?;
    /// assert_eq!(p.get(1), Some(&[3.0f32, 4.0][..]));
    /// assert_eq!(p.get(2), None);
    /// assert_eq!(p.get(usize::MAX), None);
    /// # Ok::<(), ntk::Error>(())
    /// ```
    pub fn get(&self, i: usize) -> Option<&'a [T]> {
        let start = i.checked_mul(self.dim)?;
        self.data.get(start..start.checked_add(self.dim)?)
    }

    /// Point `i`, or an empty slice if `i ≥ len()`: the panic-free access of
    /// the tile loops, whose index ranges were checked up front.
    pub(crate) fn point_or_empty(&self, i: usize) -> &'a [T] {
        self.get(i).unwrap_or(&[])
    }

    /// The row-major coordinates of points `range` (for checks over a tile),
    /// or all points if `range` is out of bounds (checked before; never less).
    pub(crate) fn span(&self, range: core::ops::Range<usize>) -> &'a [T] {
        let (lo, hi) = (range.start * self.dim, range.end * self.dim);
        self.data.get(lo..hi).unwrap_or(self.data)
    }
}

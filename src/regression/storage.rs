//! Where a [`Model`](super::Model) keeps its training set and factor:
//! inline fixed arrays ([`Inline`]) or one caller-provided slice ([`Workspace`]).
//!
//! Both hold, for capacity N, input dimension D and O outputs (row-major):
//! the inputs X (N×D), the targets Y (N×O), the Cholesky factor L of
//! A = K + λI (N×N, lower triangle) and the dual coefficients α = A⁻¹Y (N×O):
//! `N·(N + D + 2·O)` scalars in all. The Gram matrix itself is not kept: it
//! is recomputed from X when needed (refits, finite-time predictions).

use crate::{Error, Real, Result};

/// The seal of [`Storage`] and its methods: only this crate's storages
/// implement it, so every part has the length of its shape.
pub(crate) mod sealed {
    use super::{Parts, PartsMut, Shape};

    /// The buffers of a storage.
    pub trait Sealed<T> {
        /// Capacity, dimension, outputs.
        fn shape(&self) -> Shape;
        /// The buffers, read-only.
        fn parts(&self) -> Parts<'_, T>;
        /// The buffers, writable.
        fn parts_mut(&mut self) -> PartsMut<'_, T>;
    }
}

/// Capacity, input dimension and number of outputs of a storage.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shape {
    /// N: the most training points it holds.
    pub capacity: usize,
    /// D: the input dimension.
    pub dim: usize,
    /// O: the number of outputs per point.
    pub outputs: usize,
}

/// Read access to the buffers of a storage (row strides: D, O, N, O).
#[derive(Debug)]
pub struct Parts<'a, T> {
    /// X, N×D.
    pub x: &'a [T],
    /// Y, N×O.
    pub y: &'a [T],
    /// L, N×N (lower triangle).
    pub chol: &'a [T],
    /// α, N×O.
    pub alpha: &'a [T],
}

/// Write access to the buffers of a storage.
#[derive(Debug)]
pub struct PartsMut<'a, T> {
    /// X, N×D.
    pub x: &'a mut [T],
    /// Y, N×O.
    pub y: &'a mut [T],
    /// L, N×N (lower triangle).
    pub chol: &'a mut [T],
    /// α, N×O.
    pub alpha: &'a mut [T],
}

/// The buffers behind a [`Model`](super::Model): [`Inline`], [`Workspace`]
/// or (feature `std`) the heap storage of `VecRegressor`.
///
/// Sealed: the model relies on every part having the length of its
/// [`Shape`] (N·D, N·O, N·N, N·O), which the crate's storages guarantee.
/// A storage of your own does not compile:
///
/// ```compile_fail
/// use ntk::regression::Storage;
/// struct Short;
/// impl Storage<f64> for Short {}
/// ```
pub trait Storage<T>: sealed::Sealed<T> {}

/// Inline storage for N points of dimension D with O outputs: no heap, size
/// `N·(N + D + 2·O)·size_of::<T>()` bytes (plus nothing: no padding for f32/f64).
#[derive(Clone, Debug)]
pub struct Inline<T, const N: usize, const D: usize, const O: usize> {
    x: [[T; D]; N],
    y: [[T; O]; N],
    chol: [[T; N]; N],
    alpha: [[T; O]; N],
}

impl<T: Real, const N: usize, const D: usize, const O: usize> Default for Inline<T, N, D, O> {
    fn default() -> Self {
        Self {
            x: [[T::ZERO; D]; N],
            y: [[T::ZERO; O]; N],
            chol: [[T::ZERO; N]; N],
            alpha: [[T::ZERO; O]; N],
        }
    }
}

impl<T: Real, const N: usize, const D: usize, const O: usize> Storage<T> for Inline<T, N, D, O> {}

impl<T: Real, const N: usize, const D: usize, const O: usize> sealed::Sealed<T>
    for Inline<T, N, D, O>
{
    fn shape(&self) -> Shape {
        Shape {
            capacity: N,
            dim: D,
            outputs: O,
        }
    }
    fn parts(&self) -> Parts<'_, T> {
        Parts {
            x: self.x.as_flattened(),
            y: self.y.as_flattened(),
            chol: self.chol.as_flattened(),
            alpha: self.alpha.as_flattened(),
        }
    }
    fn parts_mut(&mut self) -> PartsMut<'_, T> {
        PartsMut {
            x: self.x.as_flattened_mut(),
            y: self.y.as_flattened_mut(),
            chol: self.chol.as_flattened_mut(),
            alpha: self.alpha.as_flattened_mut(),
        }
    }
}

/// Storage carved from one caller-provided slice of at least
/// [`Workspace::required_len`] scalars: for capacities too large for a
/// stack (N = 4096 in f64 is 128 MiB), still without alloc.
#[derive(Debug)]
pub struct Workspace<'a, T> {
    buf: &'a mut [T],
    shape: Shape,
}

impl<'a, T: Real> Workspace<'a, T> {
    /// Scalars needed for capacity N, dimension D, O outputs: N·(N + D + 2·O),
    /// or `usize::MAX` if that overflows (no buffer is that long).
    pub const fn required_len(capacity: usize, dim: usize, outputs: usize) -> usize {
        match Self::checked_len(capacity, dim, outputs) {
            Some(len) => len,
            None => usize::MAX,
        }
    }

    /// [`Workspace::required_len`], `None` on overflow.
    const fn checked_len(capacity: usize, dim: usize, outputs: usize) -> Option<usize> {
        let Some(two_o) = outputs.checked_mul(2) else {
            return None;
        };
        let Some(row) = capacity.checked_add(dim) else {
            return None;
        };
        let Some(row) = row.checked_add(two_o) else {
            return None;
        };
        capacity.checked_mul(row)
    }

    /// Uses `buf` (its first [`Workspace::required_len`] scalars).
    ///
    /// Errors: `buf` too short; dim or outputs 0; a size that overflows
    /// `usize` ([`Error::SizeOverflow`]).
    pub fn new(buf: &'a mut [T], capacity: usize, dim: usize, outputs: usize) -> Result<Self> {
        if dim == 0 || outputs == 0 {
            return Err(Error::Empty {
                what: "input dimension or outputs",
            });
        }
        let needed = Self::checked_len(capacity, dim, outputs)
            .ok_or(Error::SizeOverflow { what: "workspace" })?;
        if buf.len() < needed {
            return Err(Error::BufferTooSmall {
                what: "workspace",
                needed,
                found: buf.len(),
            });
        }
        Ok(Self {
            buf,
            shape: Shape {
                capacity,
                dim,
                outputs,
            },
        })
    }

    /// The ends of X, Y and L in a buffer of `shape` (α follows up to
    /// [`Workspace::required_len`]).
    fn offsets(shape: Shape) -> [usize; 3] {
        let Shape {
            capacity: n,
            dim: d,
            outputs: o,
        } = shape;
        [n * d, n * d + n * o, n * d + n * o + n * n]
    }

    /// The parts of a buffer of at least `required_len` scalars (also the
    /// layout of the heap storage of feature `std`).
    pub(crate) fn split(buf: &[T], shape: Shape) -> Parts<'_, T> {
        let [a, b, c] = Self::offsets(shape);
        let end = Self::required_len(shape.capacity, shape.dim, shape.outputs);
        // `get`: buffers are checked when a model is made (empty parts
        // otherwise, never a panic path on firmware); the same below.
        let part = |r: core::ops::Range<usize>| buf.get(r).unwrap_or_default();
        Parts {
            x: part(0..a),
            y: part(a..b),
            chol: part(b..c),
            alpha: part(c..end),
        }
    }

    /// [`Workspace::split`], writable.
    pub(crate) fn split_mut(buf: &mut [T], shape: Shape) -> PartsMut<'_, T> {
        let [a, b, c] = Self::offsets(shape);
        let end = Self::required_len(shape.capacity, shape.dim, shape.outputs);
        let buf = buf.get_mut(..end).unwrap_or_default();
        let (x, rest) = buf.split_at_mut_checked(a).unwrap_or_default();
        let (y, rest) = rest.split_at_mut_checked(b - a).unwrap_or_default();
        let (chol, alpha) = rest.split_at_mut_checked(c - b).unwrap_or_default();
        PartsMut { x, y, chol, alpha }
    }
}

impl<T: Real> Storage<T> for Workspace<'_, T> {}

impl<T: Real> sealed::Sealed<T> for Workspace<'_, T> {
    fn shape(&self) -> Shape {
        self.shape
    }
    fn parts(&self) -> Parts<'_, T> {
        Workspace::split(self.buf, self.shape)
    }
    fn parts_mut(&mut self) -> PartsMut<'_, T> {
        Workspace::split_mut(self.buf, self.shape)
    }
}

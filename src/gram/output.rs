//! Where a Gram tile goes: buffers whose layout is part of their type.
//!
//! A bare `&mut [T]` does not say whether entry (i, j) lives at
//! `i·stride + j` (row-major: C, numpy, ndarray's standard layout) or at
//! `j·stride + i` (column-major: nalgebra, LAPACK, Fortran). The outputs are
//! therefore wrapped: [`RowMajor`] or [`ColMajor`], a contiguous nalgebra
//! matrix (column-major, shape checked), or with the `ndarray` feature an
//! `ArrayViewMut2` (either layout, read from its strides). A slice passed
//! without a wrapper does not compile, so a transposed result cannot happen
//! silently.
//!
//! ```
//! use ntk::gram::{ColMajor, Gram, Output, Points, RowMajor};
//! use ntk::nalgebra::SMatrix;
//! use ntk::{Activation, Network};
//!
//! let xs = [[1.0f64, 0.0], [0.6, 0.8], [-1.0, 0.5]];
//! let x = Points::from_arrays(&xs)?;
//! let z = x.slice(0..2)?;
//! let gram = Gram::new(Network::new(2, Activation::Relu)?);
//! let (mut row, mut col) = ([0.0; 6], [0.0; 6]);
//! gram.matrix(&x, &z, Output::ntk(RowMajor(&mut row, 2)))?; // 3×2, stride 2
//! gram.matrix(&x, &z, Output::ntk(ColMajor(&mut col, 3)))?; // 3×2, stride 3
//! let mut m = SMatrix::<f64, 3, 2>::zeros();
//! gram.matrix(&x, &z, Output::ntk(&mut m))?;
//! assert_eq!((row[1], col[3], m[(0, 1)]), (row[1], row[1], row[1]));
//! assert_eq!(col, *m.as_slice());
//! # Ok::<(), ntk::Error>(())
//! ```
//!
//! ```compile_fail
//! # use ntk::gram::Output;
//! let mut buf = [0.0f64; 4];
//! let out = Output::ntk(&mut buf[..]); // error: `&mut [f64]` is not an ntk Gram output
//! ```

use super::tile::Bufs;
use super::Tile;
use crate::{Error, Result};
use nalgebra::{storage::IsContiguous, storage::RawStorageMut, Dim, Matrix};

/// A row-major buffer and its row stride: entry (i, j) of a tile with rows
/// r₀.. and columns c₀.. is at `buf[(i − r₀)·stride + (j − c₀)]`,
/// stride ≥ the tile's columns.
#[derive(Debug)]
pub struct RowMajor<'a, T>(pub &'a mut [T], pub usize);

/// A column-major buffer and its column stride (LAPACK's leading
/// dimension): entry (i, j) of a tile with rows r₀.. and columns c₀.. is at
/// `buf[(j − c₀)·stride + (i − r₀)]`, stride ≥ the tile's rows.
#[derive(Debug)]
pub struct ColMajor<'a, T>(pub &'a mut [T], pub usize);

/// The two layouts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layout {
    /// Rows contiguous.
    RowMajor,
    /// Columns contiguous.
    ColMajor,
}

/// One output buffer with its layout, stride and (for a matrix type) its
/// exact shape, made by [`IntoTarget`].
#[derive(Debug)]
pub struct Target<'a, T> {
    buf: &'a mut [T],
    stride: usize,
    layout: Layout,
    /// Rows × columns of a matrix type, which the tile must match exactly.
    shape: Option<(usize, usize)>,
    /// Why the buffer cannot be written (a non-contiguous array), reported by `check`.
    unusable: Option<&'static str>,
}

impl<'a, T> Target<'a, T> {
    /// A buffer of the given layout and stride; `shape` = Some((rows, cols))
    /// requires the tile to have exactly that shape.
    pub fn new(
        buf: &'a mut [T],
        stride: usize,
        layout: Layout,
        shape: Option<(usize, usize)>,
    ) -> Self {
        Target {
            buf,
            stride,
            layout,
            shape,
            unusable: None,
        }
    }

    /// A target that every tile refuses with [`Error::InvalidParameter`]`{ what: why }`.
    pub fn unusable(why: &'static str) -> Self {
        Target {
            buf: &mut [],
            stride: 0,
            layout: Layout::RowMajor,
            shape: None,
            unusable: Some(why),
        }
    }

    /// The layout.
    pub fn layout(&self) -> Layout {
        self.layout
    }

    /// Checks that a tile of `rows` × `cols` fits.
    pub(crate) fn check(&self, rows: usize, cols: usize, what: &'static str) -> Result<()> {
        if let Some(why) = self.unusable {
            return Err(Error::InvalidParameter { what: why });
        }
        if let Some((r, c)) = self.shape {
            if (r, c) != (rows, cols) {
                return Err(Error::DimensionMismatch {
                    what: "output matrix shape (rows·columns)",
                    expected: rows.saturating_mul(cols),
                    found: r.saturating_mul(c),
                });
            }
        }
        // Stored as the row-major buffer of the tile or of its transpose.
        let t = match self.layout {
            Layout::RowMajor => Tile::new(0..rows, 0..cols),
            Layout::ColMajor => Tile::new(0..cols, 0..rows),
        };
        if self.stride < t.cols.len() {
            return Err(Error::InvalidParameter {
                what:
                    "output stride must be >= the tile's columns (row-major) or rows (column-major)",
            });
        }
        let needed = t
            .checked_needed(self.stride)
            .ok_or(Error::SizeOverflow { what })?;
        if self.buf.len() < needed {
            return Err(Error::BufferTooSmall {
                what,
                needed,
                found: self.buf.len(),
            });
        }
        Ok(())
    }

    /// Writes entry (i, j) of a tile checked by [`Target::check`] (`get_mut`
    /// keeps this panic-free).
    pub(crate) fn put(&mut self, i: usize, j: usize, v: T) {
        let at = match self.layout {
            Layout::RowMajor => i * self.stride + j,
            Layout::ColMajor => j * self.stride + i,
        };
        if let Some(t) = self.buf.get_mut(at) {
            *t = v;
        }
    }

    /// Bytes `rows` rows (or columns) of stride span.
    fn span(&self, lines: usize) -> usize {
        lines
            .saturating_mul(self.stride)
            .saturating_mul(core::mem::size_of::<T>())
    }
}

/// What can receive a tile: [`RowMajor`], [`ColMajor`], a contiguous
/// nalgebra matrix of this crate's nalgebra version (column-major, its shape
/// must equal the tile's), and with the `ndarray` feature
/// `ndarray::ArrayViewMut2` and `&mut Array2`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not an ntk Gram output: its layout is unknown",
    label = "wrap it: RowMajor(buf, stride) or ColMajor(buf, stride)",
    note = "a plain slice has no layout: use ntk::gram::RowMajor(buf, row_stride) or ntk::gram::ColMajor(buf, column_stride)",
    note = "nalgebra matrices are accepted from the nalgebra version ntk depends on (ntk::nalgebra, 0.35); for another version pass ColMajor(m.as_mut_slice(), m.nrows())"
)]
pub trait IntoTarget<'a, T> {
    /// The buffer with its layout.
    fn into_target(self) -> Target<'a, T>;
}

impl<'a, T> IntoTarget<'a, T> for Target<'a, T> {
    fn into_target(self) -> Target<'a, T> {
        self
    }
}

impl<'a, T> IntoTarget<'a, T> for RowMajor<'a, T> {
    fn into_target(self) -> Target<'a, T> {
        Target::new(self.0, self.1, Layout::RowMajor, None)
    }
}

impl<'a, T> IntoTarget<'a, T> for ColMajor<'a, T> {
    fn into_target(self) -> Target<'a, T> {
        Target::new(self.0, self.1, Layout::ColMajor, None)
    }
}

/// A contiguous nalgebra matrix (`DMatrix`, `SMatrix`, a contiguous
/// `MatrixViewMut`): column-major with stride = rows; the tile must have its shape.
impl<'a, T, R: Dim, C: Dim, S> IntoTarget<'a, T> for &'a mut Matrix<T, R, C, S>
where
    S: RawStorageMut<T, R, C> + IsContiguous,
{
    fn into_target(self) -> Target<'a, T> {
        let (rows, cols) = self.shape();
        Target::new(
            self.as_mut_slice(),
            rows,
            Layout::ColMajor,
            Some((rows, cols)),
        )
    }
}

/// Where to write: an NNGP target, an NTK target or both, each in its own
/// layout ([`RowMajor`], [`ColMajor`], a nalgebra matrix, …).
#[derive(Debug)]
pub struct Output<'a, T> {
    pub(super) nngp: Option<Target<'a, T>>,
    pub(super) ntk: Option<Target<'a, T>>,
}

impl<'a, T> Output<'a, T> {
    /// Σ only.
    pub fn nngp(out: impl IntoTarget<'a, T>) -> Self {
        Output {
            nngp: Some(out.into_target()),
            ntk: None,
        }
    }

    /// Θ only.
    pub fn ntk(out: impl IntoTarget<'a, T>) -> Self {
        Output {
            nngp: None,
            ntk: Some(out.into_target()),
        }
    }

    /// Σ and Θ (one pass computes both).
    pub fn both(nngp: impl IntoTarget<'a, T>, ntk: impl IntoTarget<'a, T>) -> Self {
        Output {
            nngp: Some(nngp.into_target()),
            ntk: Some(ntk.into_target()),
        }
    }

    /// An output of the given targets.
    #[cfg(feature = "rayon")]
    pub(super) fn from_targets(nngp: Option<Target<'a, T>>, ntk: Option<Target<'a, T>>) -> Self {
        Output { nngp, ntk }
    }

    /// The stride shared by the targets. Errors: different strides.
    #[cfg(feature = "rayon")]
    pub(super) fn stride(&self) -> Result<usize> {
        common_stride(&self.nngp, &self.ntk)
    }

    /// The layout shared by the targets. Errors: different layouts.
    #[cfg(feature = "rayon")]
    pub(super) fn layout(&self) -> Result<Layout> {
        match (&self.nngp, &self.ntk) {
            (Some(a), Some(b)) if a.layout != b.layout => Err(Error::InvalidParameter {
                what: "NNGP and NTK outputs need the same layout here",
            }),
            (Some(a), _) | (None, Some(a)) => Ok(a.layout),
            (None, None) => Ok(Layout::RowMajor),
        }
    }

    /// The buffers of the NNGP and NTK targets.
    #[cfg(feature = "rayon")]
    pub(super) fn into_buffers(self) -> [Option<&'a mut [T]>; 2] {
        [self.nngp.map(|t| t.buf), self.ntk.map(|t| t.buf)]
    }

    /// Checks every target against a tile of `rows` × `cols`.
    pub(super) fn check(&self, rows: usize, cols: usize) -> Result<()> {
        for (t, what) in [(&self.nngp, "nngp"), (&self.ntk, "ntk")] {
            if let Some(t) = t {
                t.check(rows, cols, what)?;
            }
        }
        Ok(())
    }
}

/// The two slots of the tile driver: the tile's row-major buffers and its
/// transpose's row-major buffers (`Bufs::t_*`). A column-major target of a
/// tile is the row-major target of its transpose, so it goes to the other slot.
#[derive(Default)]
pub(super) struct Slots<'a, T> {
    direct: [Option<Target<'a, T>>; 2],
    transposed: [Option<Target<'a, T>>; 2],
}

impl<'a, T> Slots<'a, T> {
    /// Places `out` (of the tile; of its transpose if `flipped`).
    pub(super) fn place(&mut self, out: Output<'a, T>, flipped: bool) -> Result<()> {
        for (k, t) in [out.nngp, out.ntk].into_iter().enumerate() {
            let Some(t) = t else { continue };
            let slot = match (t.layout == Layout::ColMajor) != flipped {
                false => &mut self.direct[k],
                true => &mut self.transposed[k],
            };
            if slot.is_some() {
                return Err(Error::InvalidParameter {
                    what: "tile_and_transpose: an output and the transposed output of the same kernel \
                           would be the same layout of the same block (give both the same layout type)",
                });
            }
            *slot = Some(t);
        }
        Ok(())
    }

    /// Moves every target to the direct slot: for a symmetric result, whose
    /// row- and column-major buffers are the same.
    pub(super) fn all_direct(&mut self) -> Result<()> {
        for (d, t) in self.direct.iter_mut().zip(&mut self.transposed) {
            if let Some(t) = t.take() {
                if d.is_some() {
                    return Err(Error::InvalidParameter {
                        what: "two outputs of the same kernel",
                    });
                }
                *d = Some(t);
            }
        }
        Ok(())
    }

    /// Whether the transposed slot is used.
    pub(super) fn has_transposed(&self) -> bool {
        self.transposed.iter().any(Option::is_some)
    }

    /// Bytes the outputs span for a tile of `rows` × `cols`, or the square
    /// matrix the strides of one slot imply, whichever is largest (see `PREFETCH_BYTES`).
    pub(super) fn span(&self, rows: usize, cols: usize) -> usize {
        let sum = |slot: &[Option<Target<'a, T>>; 2], lines: Option<usize>| {
            slot.iter()
                .flatten()
                .map(|t| t.span(lines.unwrap_or(t.stride)))
                .fold(0, usize::saturating_add)
        };
        let (d, t) = (&self.direct, &self.transposed);
        let tile = sum(d, Some(rows)).saturating_add(sum(t, Some(cols)));
        tile.max(sum(d, None)).max(sum(t, None))
    }

    /// The driver's buffers. Errors: two targets in one slot with different strides.
    pub(super) fn bufs(self, prefetch: bool) -> Result<Bufs<'a, T>> {
        let [s, t] = self.direct;
        let [ts, tt] = self.transposed;
        let stride = common_stride(&s, &t)?;
        let t_stride = common_stride(&ts, &tt)?;
        Ok(Bufs {
            nngp: s.map(|x| x.buf),
            ntk: t.map(|x| x.buf),
            stride,
            prefetch,
            t_nngp: ts.map(|x| x.buf),
            t_ntk: tt.map(|x| x.buf),
            t_stride,
        })
    }
}

/// The stride shared by the NNGP and NTK targets of one slot.
fn common_stride<T>(a: &Option<Target<'_, T>>, b: &Option<Target<'_, T>>) -> Result<usize> {
    match (a, b) {
        (Some(a), Some(b)) if a.stride != b.stride => Err(Error::InvalidParameter {
            what: "NNGP and NTK outputs of the same layout need the same stride",
        }),
        (Some(a), _) | (None, Some(a)) => Ok(a.stride),
        (None, None) => Ok(0),
    }
}

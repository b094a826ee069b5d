//! Gram tiles: a block of the NNGP and NTK matrices K(X, Z) into caller
//! buffers, row-major, on the library's vectorised kernels.

use crate::boundary::{check_ptr, disjoint, mul, region, slice, slice_mut, Region, Status};
use crate::network::network;
use crate::network::{ntk_network_f32, ntk_network_f64};
use crate::status::{code, status, NTK_ERR_NULL_POINTER};
use crate::Scalar;
use core::ffi::c_int;
use ntk::gram::{Gram, Output, Points, RowMajor, Tile};

/// A block of a Gram matrix: rows `row_begin..row_end` (indices into the
/// first point set) × columns `col_begin..col_end` (into the second).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ntk_tile {
    /// First row.
    pub row_begin: usize,
    /// One past the last row.
    pub row_end: usize,
    /// First column.
    pub col_begin: usize,
    /// One past the last column.
    pub col_end: usize,
}

/// Points as C passes them: `count` points of `dim` coordinates, row-major.
#[derive(Clone, Copy)]
struct Set<T> {
    data: *const T,
    count: usize,
}

/// One output matrix (NULL: not wanted).
type Out<T> = *mut T;

/// `ntk_gram_tile_*`.
///
/// # Safety
/// Each pointer is NULL or points to its type and length.
unsafe fn tile_of<T: Scalar, O>(
    net: *const O,
    (x, z, dim): (Set<T>, Set<T>, usize),
    t: *const ntk_tile,
    (nngp, ntk): (Out<T>, Out<T>),
    (stride, out_len): (usize, usize),
) -> Status {
    check_ptr(t)?;
    if nngp.is_null() && ntk.is_null() {
        return Err(NTK_ERR_NULL_POINTER);
    }
    let (x_len, z_len) = (mul(x.count, dim)?, mul(z.count, dim)?);
    let inputs = [
        region(x.data, x_len)?,
        region(z.data, z_len)?,
        Region::of(t),
        Region::of(net),
    ];
    let mut outs = [None, None];
    for (o, p) in outs.iter_mut().zip([nngp, ntk]) {
        if !p.is_null() {
            *o = Some(region(p, out_len)?);
        }
    }
    for r in outs.iter().flatten() {
        disjoint(*r, &inputs)?;
    }
    if let [Some(a), Some(b)] = outs {
        disjoint(a, &[b])?;
    }
    // SAFETY: forwarded contract.
    let (net, xs, zs) = unsafe {
        (
            network::<T, O>(net)?,
            slice(x.data, x_len)?,
            slice(z.data, z_len)?,
        )
    };
    // SAFETY: non-null and aligned (checked), readable by contract; any bit
    // pattern is a valid ntk_tile.
    let t = unsafe { *t };
    let px = Points::new(xs, dim).map_err(code)?;
    let pz = Points::new(zs, dim).map_err(code)?;
    let tile = Tile::new(t.row_begin..t.row_end, t.col_begin..t.col_end);
    // SAFETY: each non-null output spans out_len writable elements (contract),
    // disjoint from the inputs and from the other output (checked above).
    let out = unsafe {
        match (nngp.is_null(), ntk.is_null()) {
            (false, false) => Output::both(
                RowMajor(slice_mut(nngp, out_len)?, stride),
                RowMajor(slice_mut(ntk, out_len)?, stride),
            ),
            (false, true) => Output::nngp(RowMajor(slice_mut(nngp, out_len)?, stride)),
            _ => Output::ntk(RowMajor(slice_mut(ntk, out_len)?, stride)),
        }
    };
    Gram::new(*net).tile(&px, &pz, tile, out).map_err(code)
}

/// The block `*tile` of the NNGP and NTK Gram matrices K(X, Z), row-major:
/// entry (i, j) of the tile goes to `(i − row_begin)·stride + (j − col_begin)`
/// of `nngp` and of `ntk` (either may be NULL when not wanted, not both;
/// each has `out_len` elements). `x` holds `x_count` points of `dim`
/// coordinates, `z` holds `z_count` (row-major; `z` may equal `x` for K(X, X)).
/// The entries are the library's vectorised Gram kernels (the ReLU family)
/// or the exact recursion, as `ntk::gram::Gram::tile`.
///
/// Errors: `NTK_ERR_NULL_POINTER` (also both outputs NULL),
/// `NTK_ERR_MISALIGNED`, `NTK_ERR_NOT_INITIALIZED`, `NTK_ERR_EMPTY` (dim 0),
/// `NTK_ERR_INDEX_OUT_OF_RANGE` (tile outside the point sets),
/// `NTK_ERR_NON_FINITE` (a coordinate of a tile point), `NTK_ERR_INVALID_PARAMETER`
/// (stride below the tile's columns), `NTK_ERR_BUFFER_TOO_SMALL`,
/// `NTK_ERR_OVERLAP` (an output overlaps an input or the other output),
/// `NTK_ERR_SIZE_OVERFLOW`. Nothing is written on error.
///
/// # Safety
/// Each pointer is NULL or points to its type and length.
#[no_mangle]
pub unsafe extern "C" fn ntk_gram_tile_f32(
    net: *const ntk_network_f32,
    x: *const f32,
    x_count: usize,
    z: *const f32,
    z_count: usize,
    dim: usize,
    tile: *const ntk_tile,
    nngp: *mut f32,
    ntk: *mut f32,
    stride: usize,
    out_len: usize,
) -> c_int {
    let (x, z) = (
        Set {
            data: x,
            count: x_count,
        },
        Set {
            data: z,
            count: z_count,
        },
    );
    // SAFETY: forwarded contract.
    status(unsafe { tile_of(net, (x, z, dim), tile, (nngp, ntk), (stride, out_len)) })
}

/// `ntk_gram_tile_f32` in `double`.
///
/// # Safety
/// As `ntk_gram_tile_f32`, with doubles.
#[no_mangle]
pub unsafe extern "C" fn ntk_gram_tile_f64(
    net: *const ntk_network_f64,
    x: *const f64,
    x_count: usize,
    z: *const f64,
    z_count: usize,
    dim: usize,
    tile: *const ntk_tile,
    nngp: *mut f64,
    ntk: *mut f64,
    stride: usize,
    out_len: usize,
) -> c_int {
    let (x, z) = (
        Set {
            data: x,
            count: x_count,
        },
        Set {
            data: z,
            count: z_count,
        },
    );
    // SAFETY: forwarded contract.
    status(unsafe { tile_of(net, (x, z, dim), tile, (nngp, ntk), (stride, out_len)) })
}

//! Dense linear algebra for small symmetric matrices, without heap:
//! [`cholesky`] (factor, solve, O(n²) row append and row removal) and
//! [`jacobi`] (cyclic Jacobi symmetric eigensolver).
//!
//! Every routine comes in two forms that share one implementation:
//! - on fixed arrays `[[T; N]; N]` (the whole N×N matrix), for `no_std`
//!   targets where the size is known at compile time;
//! - on caller-provided slices holding an n×n matrix in row-major order with
//!   a row `stride ≥ n` (entry (i, j) at `a[i * stride + j]`), for sizes that
//!   do not fit on a stack, or for a matrix that grows inside a larger buffer.
//!
//! Only the lower triangle (j ≤ i) of a symmetric input is read; the strict
//! upper triangle is left untouched by [`cholesky`].

pub mod cholesky;
pub mod jacobi;
#[cfg(test)]
mod tests;

use crate::{Error, Result};

/// a[i], 0 past the end; [`set`] writes only in bounds. For loops whose
/// indices are in bounds once [`check_square`] passed but that the compiler
/// cannot prove so: no panic path on firmware.
#[inline(always)]
pub(crate) fn at<T: Copy + Default>(a: &[T], i: usize) -> T {
    a.get(i).copied().unwrap_or_default()
}

/// a[i] = v when i is in bounds (see [`at`]).
#[inline(always)]
pub(crate) fn set<T>(a: &mut [T], i: usize, v: T) {
    if let Some(x) = a.get_mut(i) {
        *x = v;
    }
}

/// Checks that a row-major n×n matrix with row `stride` fits in `len` elements.
pub(crate) fn check_square(len: usize, n: usize, stride: usize, what: &'static str) -> Result<()> {
    if stride < n {
        return Err(Error::DimensionMismatch {
            what: "row stride (must be >= n)",
            expected: n,
            found: stride,
        });
    }
    let needed = square_len(n, stride).ok_or(Error::SizeOverflow { what })?;
    if len < needed {
        return Err(Error::BufferTooSmall {
            what,
            needed,
            found: len,
        });
    }
    Ok(())
}

/// Elements (n−1)·stride + n of a row-major n×n matrix, `None` on overflow.
pub(crate) fn square_len(n: usize, stride: usize) -> Option<usize> {
    match n {
        0 => Some(0),
        _ => (n - 1).checked_mul(stride)?.checked_add(n),
    }
}

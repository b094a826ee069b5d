//! The regime's kernel matrices for the regression: K(X, X), K·α and the
//! scalar kernel helpers, shared by the model and its threaded pipeline.

use super::pairwise::Pairwise;
use super::Regime;
use crate::gram::{Gram, LaneReal, Output, Points, RowMajor};
use crate::linalg::cholesky::dot;
use crate::recursion::{Kernels, Point};
use crate::{Error, Network, Real, Result};

/// Whether the training Gram matrix and the online updates use the vectorised
/// [`Gram`] tiles (hosts) or the scalar [`Pairwise`] loop (targets without an
/// OS: on a microcontroller the lanes are scalar code, and one kernel path
/// instead of two halves the flash). Kernel rows of queries always use
/// [`Pairwise`].
pub(super) const TILES: bool = !cfg!(target_os = "none");

/// Σ and Θ between a training row `xi` and the query `x` (with its point `p`).
pub(super) fn kernel<T: Real>(net: &Network<T>, xi: &[T], x: &[T], p: &Point<T>) -> Kernels<T> {
    let pi = net.point_from_sq_norm(dot(xi, xi), xi.len());
    net.kernels_of(&pi, p, dot(xi, x))
}

pub(super) fn pick<T: Real>(regime: Regime, k: Kernels<T>) -> T {
    match regime {
        Regime::Nngp => k.nngp,
        Regime::Ntk => k.ntk,
    }
}

/// K(X, X) into `out` (row stride `stride`, both triangles) with the
/// vectorised [`Gram`] tiles or the [`Pairwise`] loop (see [`TILES`]); returns trace/n.
pub(super) fn gram<T: LaneReal>(
    net: &Network<T>,
    regime: Regime,
    x: &[T],
    n: usize,
    dim: usize,
    out: &mut [T],
    stride: usize,
) -> Result<T> {
    let x = prefix(x, n * dim)?;
    if TILES {
        Gram::new(*net).symmetric(&Points::new(x, dim)?, output(regime, out, stride))?;
    } else {
        Pairwise::new(net, dim).lower(net, x, |i, j, k| {
            let v = pick(regime, k);
            put(out, i * stride + j, v);
            put(out, j * stride + i, v);
        });
    }
    // The storage sized `out` (n×n, stride ≥ n); `get` keeps the sum panic-free.
    let trace: T = (0..n)
        .map(|i| out.get(i * stride + i).copied().unwrap_or(T::ZERO))
        .sum();
    Ok(trace / T::from_usize(n.max(1)))
}

/// out = K·α: the rows of `k` (each n long) times α (n×O) into the rows of
/// `out` (each O long). One output: a vectorised dot product per row (a
/// running sum took 55 µs instead of 14 for 64 rows of 256).
pub(super) fn k_alpha<T: Real>(k: &[T], alpha: &[T], out: &mut [T], n: usize) {
    let o = alpha.len() / n.max(1);
    for (k, row) in k.chunks_exact(n.max(1)).zip(out.chunks_exact_mut(o.max(1))) {
        if let [single] = row {
            *single = dot(k, alpha);
            continue;
        }
        row.fill(T::ZERO);
        for (ki, w) in k.iter().zip(alpha.chunks_exact(o.max(1))) {
            for (r, &wm) in row.iter_mut().zip(w) {
                *r += *ki * wm;
            }
        }
    }
}

/// The [`Output`] of the regime's kernel.
pub(super) fn output<T>(regime: Regime, buf: &mut [T], stride: usize) -> Output<'_, T> {
    match regime {
        Regime::Nngp => Output::nngp(RowMajor(buf, stride)),
        Regime::Ntk => Output::ntk(RowMajor(buf, stride)),
    }
}

/// The first `len` elements of a stored buffer (sized by construction).
pub(super) fn prefix<T>(s: &[T], len: usize) -> Result<&[T]> {
    s.get(..len).ok_or(Error::BufferTooSmall {
        what: "stored points",
        needed: len,
        found: s.len(),
    })
}

/// buf[at] = v if `at` is in range (buffers are sized by construction; panic-free).
pub(super) fn put<T>(buf: &mut [T], at: usize, v: T) {
    if let Some(t) = buf.get_mut(at) {
        *t = v;
    }
}

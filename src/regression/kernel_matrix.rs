//! The regime's kernel matrices for the regression: K(X, X), K·α and the
//! scalar kernel helpers, shared by the model and its threaded pipeline.

use super::pairwise::Pairwise;
use super::Regime;
use crate::gram::{IntoTarget, LaneReal, Points, RowMajor, Tile};
use crate::kernel::{self, Kernel};
use crate::linalg::cholesky::dot;
use crate::recursion::{Kernels, Point};
use crate::{Error, Network, Real, Result};

/// Whether the training Gram matrix and the online updates use the vectorised
/// [`Gram`](crate::gram::Gram) tiles (hosts) or the scalar [`Pairwise`] loop (targets without an
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

/// Which triangles of K(X, X) [`gram`] writes.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Triangles {
    /// The whole matrix.
    Both,
    /// The lower triangle, diagonal included; the strict upper triangle is
    /// left as it was (a trial fit keeps the previous factor there).
    Lower,
}

/// K(X, X) of the n points `x` into `out` (row stride `stride`), the
/// `triangles` asked for: [`Kernel::symmetric`] (the vectorised
/// [`Gram`](crate::gram::Gram) tiles for a network kernel) or, for the lower
/// triangle alone, [`lower_tiles`]; a network kernel's [`Pairwise`] loop
/// where there are no tiles (see [`TILES`]). Returns trace/n.
pub(super) fn gram<T: LaneReal, K: Kernel<T>>(
    kernel: &K,
    x: &[T],
    n: usize,
    dim: usize,
    out: &mut [T],
    stride: usize,
    triangles: Triangles,
) -> Result<T> {
    let x = prefix(x, n * dim)?;
    match kernel.network_kernel() {
        Some(k) if !TILES => {
            let (net, regime) = (k.network(), k.regime());
            Pairwise::new(net, dim).lower(net, x, |i, j, k| {
                let v = pick(regime, k);
                put(out, i * stride + j, v);
                if triangles == Triangles::Both {
                    put(out, j * stride + i, v);
                }
            });
        }
        _ => {
            let points = Points::new(x, dim)?;
            match triangles {
                Triangles::Both => {
                    kernel.symmetric(&points, RowMajor(out, stride).into_target())?
                }
                Triangles::Lower => lower_tiles(kernel, &points, out, stride)?,
            }
        }
    }
    // The storage sized `out` (n×n, stride ≥ n); `get` keeps the sum panic-free.
    let diagonal = (0..n).map(|i| out.get(i * stride + i).copied().unwrap_or(T::ZERO));
    Ok(mean(diagonal, n))
}

/// Rows per tile of [`lower_tiles`] (a tile forms its column data once for
/// all its rows; the threaded fit's units are as large).
const UNIT: usize = 32;

/// The lower triangle of K(X, X) by [`Kernel::tile`], nothing above it:
/// each 32-row block in one tile left of its diagonal block and one short
/// tile per row within it (a network kernel's tile entries are those of
/// [`Kernel::symmetric`], one lane kernel).
fn lower_tiles<T: LaneReal, K: Kernel<T>>(
    kernel: &K,
    points: &Points<'_, T>,
    out: &mut [T],
    stride: usize,
) -> Result<()> {
    let n = points.len();
    for r0 in (0..n).step_by(UNIT) {
        let r1 = (r0 + UNIT).min(n);
        if r0 > 0 {
            let left = Tile::new(r0..r1, 0..r0);
            let rows = RowMajor(rows_from(out, r0 * stride), stride);
            kernel.tile(points, points, left, rows.into_target())?;
        }
        for r in r0..r1 {
            let own = RowMajor(rows_from(out, r * stride + r0), stride);
            kernel.tile(
                points,
                points,
                Tile::new(r..r + 1, r0..r + 1),
                own.into_target(),
            )?;
        }
    }
    Ok(())
}

/// `out[at..]` (in range by construction; panic-free).
fn rows_from<T>(out: &mut [T], at: usize) -> &mut [T] {
    out.get_mut(at..).unwrap_or_default()
}

/// The mean of n values: Σv/n, or Σ(v/n) where the sum overflows (kernel
/// diagonals near `T::MAX`: the relative ridge of their mean stays finite).
pub(super) fn mean<T: Real>(values: impl Iterator<Item = T> + Clone, n: usize) -> T {
    let n = T::from_usize(n.max(1));
    let sum: T = values.clone().sum();
    if sum.is_finite() {
        sum / n
    } else {
        values.map(|v| v / n).sum()
    }
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

/// The model's pair loop, or one formed for `net` (never needed: a network
/// kernel's model keeps one). Matching on the kernel alone lets a firmware
/// build drop the tile path, which a `(kernel, pairwise)` match kept
/// linked (4.5 KB of flash on a Cortex-M4F, and its bounds checks).
fn or_new<'a, T: LaneReal>(
    pairwise: Option<&'a Pairwise<T>>,
    net: &Network<T>,
    dim: usize,
    fresh: &'a mut Option<Pairwise<T>>,
) -> &'a Pairwise<T> {
    match pairwise {
        Some(p) => p,
        None => fresh.insert(Pairwise::new(net, dim)),
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

/// k(x, x): [`Kernel::eval`] (for a network kernel its tiles' entry), or
/// the [`Pairwise`] loop of a network kernel where there are no tiles.
pub(super) fn self_kernel<T: LaneReal, K: Kernel<T>>(
    kernel: &K,
    pairwise: Option<&Pairwise<T>>,
    x: &[T],
) -> Result<T> {
    match kernel.network_kernel() {
        Some(k) if !TILES => {
            let net = k.network();
            let mut fresh = None;
            let p = or_new(pairwise, net, x.len(), &mut fresh);
            Ok(pick(k.regime(), p.kernels(net, &p.anchor(x), x, x)))
        }
        _ => kernel.eval(x, x),
    }
}

/// K(Q, X) of the m query points `xs` and the n training points `train`
/// into `out` (m×n, row-major): one [`Kernel::tile`] call, or a network
/// kernel's [`Pairwise`] rows where there are no tiles.
pub(super) fn block<T: LaneReal, K: Kernel<T>>(
    kernel: &K,
    pairwise: Option<&Pairwise<T>>,
    (xs, train, dim): (&[T], &[T], usize),
    out: &mut [T],
) -> Result<()> {
    let n = train.len() / dim.max(1);
    match kernel.network_kernel() {
        Some(k) if !TILES => {
            let (net, regime) = (k.network(), k.regime());
            let mut fresh = None;
            let p = or_new(pairwise, net, dim, &mut fresh);
            for (q, row) in xs
                .chunks_exact(dim.max(1))
                .zip(out.chunks_exact_mut(n.max(1)))
            {
                p.row(net, q, train, |j, k| put(row, j, pick(regime, k)));
            }
            Ok(())
        }
        _ => {
            let (query, train) = (Points::new(xs, dim)?, Points::new(train, dim)?);
            kernel::matrix(kernel, &query, &train, RowMajor(out, n))
        }
    }
}

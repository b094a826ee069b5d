//! The tile driver: dot products by a register-blocked micro-kernel, then the
//! per-pair recursion on W lanes.
//!
//! Loop nest for a tile rows × cols (all blocks on the stack):
//!
//! ```text
//! for each superblock of SB = 64 rows:      per-row data (norm, σˡ, ρˡ) once
//!   for each chunk of W columns (64 for f32, 32 for f64; 8 rows and 8 f32 lanes on bare metal):
//!     for each half of RB = 32 rows (those with entries in the chunk):
//!       for each block of KB = 32 coordinates: pack the chunk transposed (zt[k][lane]),
//!          accumulate the dot products, 4 rows × 8 lanes at a time (the first
//!          half also its squared norms)
//!       the first half: per-column data; per row: prefetch the output lines it
//!       will write (large outputs only), the lane kernel on the W pairs, store the row;
//!       store the half's transpose row by row: below the diagonal of a tile on the
//!       diagonal (`Part::Mirrored`), or into the transposed outputs (`Part::Transposed`)
//! ```
//!
//! Every dot product and squared norm is summed in coordinate order, starting
//! from 0 — the same as `recursion::dot` — so a pair's value does not depend
//! on where it sits in a tile, and x·x equals |x|² bitwise.

use super::arccos::{ArcCos, Coords, Pts};
use super::float::{prefetch, LaneReal};
use super::points::Points;
use crate::network::Network;
use crate::recursion::{dot, Point};
use crate::{Kernels, Real};
use core::ops::Range;

/// Rows per micro-kernel step (independent accumulator chains).
const MR: usize = 4;
/// Rows per superblock, whose per-row data (≈ 2·MAX_DEPTH scalars each)
/// stay on the stack, and for which each column chunk's per-column data are
/// formed once: 64 on hosts (64 rows were 1.1–1.15× faster than 32 in f32,
/// n = 2048, d = 64, and 1.15–1.25× for erf, whose per-point data cost an
/// arcsine per layer; 128 gained 6% more); 8 on bare metal, where a larger
/// block would take too much of a microcontroller's stack.
#[cfg(not(target_os = "none"))]
const SB: usize = 64;
#[cfg(target_os = "none")]
const SB: usize = 8;
/// Rows per half of a superblock, whose dot products and NTK values are on
/// the stack at once: 32 on hosts (so that a Gram fits a 64 KiB thread
/// stack; 64-row blocks needed 77 KiB of frame), 8 on bare metal. A divisor
/// of SB and a multiple of MR.
#[cfg(not(target_os = "none"))]
const RB: usize = 64;
#[cfg(target_os = "none")]
const RB: usize = 8;
/// Coordinates per packed block.
const KB: usize = 32;
/// Rows of the scratch block: the packed coordinates (KB rows), then the
/// NTK of a row block (RB rows).
const SCRATCH: usize = if KB > RB { KB } else { RB };

/// What the driver needs of a kernel: per-point data and the lane evaluation.
pub(crate) trait LaneKernel<T: LaneReal, const W: usize> {
    /// Data of one row point.
    type Row: Copy;
    /// Data of W column points.
    type Cols: Copy;
    /// Row data from its squared norm.
    fn row(&self, norm: T) -> Self::Row;
    /// Column data from their squared norms.
    fn cols(&self, norms: &[T; W]) -> Self::Cols;
    /// [`LaneKernel::cols`] written over `out` (a value of `cols`): in place,
    /// so that the fill's frame holds one block of column data, not a
    /// temporary as well.
    fn cols_into(&self, norms: &[T; W], out: &mut Self::Cols) {
        *out = self.cols(norms);
    }
    /// (Σ, Θ) of W pairs: `nngp` holds their dot products on entry; `coords`
    /// the points' coordinates.
    fn eval(
        &self,
        x: &Self::Row,
        z: &Self::Cols,
        nngp: &mut [T; W],
        ntk: &mut [T; W],
        coords: Coords<'_, T, W>,
    );
}

// `inline(always)` down to the lane loops: so that they are compiled into
// the AVX2 and AVX-512 copies of the fill (`gram::simd`) rather than called
// as SSE2 code.
impl<T: LaneReal, const W: usize> LaneKernel<T, W> for ArcCos<T> {
    type Row = Pts<T, 1>;
    type Cols = Pts<T, W>;
    #[inline(always)]
    fn row(&self, norm: T) -> Pts<T, 1> {
        self.points(&[norm])
    }
    #[inline(always)]
    fn cols(&self, norms: &[T; W]) -> Pts<T, W> {
        self.points(norms)
    }
    #[inline(always)]
    fn cols_into(&self, norms: &[T; W], out: &mut Pts<T, W>) {
        self.points_into(norms, out)
    }
    #[inline(always)]
    fn eval(
        &self,
        x: &Pts<T, 1>,
        z: &Pts<T, W>,
        nngp: &mut [T; W],
        ntk: &mut [T; W],
        coords: Coords<'_, T, W>,
    ) {
        ArcCos::eval(self, x, z, nngp, ntk, coords)
    }
}

/// Σ and Θ of one pair (`Gram::entry`), by the same arithmetic as the tiles.
#[inline(always)]
pub(crate) fn pair<T: LaneReal, K: LaneKernel<T, 1>>(
    k: &K,
    (x, z): (&[T], &[T]),
    nx: T,
    nz: T,
    xz: T,
) -> Kernels<T> {
    let (mut s, mut t) = ([xz], [T::ZERO]);
    k.eval(&k.row(nx), &k.cols(&[nz]), &mut s, &mut t, (x, &[z]));
    Kernels {
        nngp: s[0],
        ntk: t[0],
    }
}

/// The exact scalar path ([`Network::kernels_of`]) for the other activations.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Exact<T> {
    pub net: Network<T>,
    pub dim: usize,
}

impl<T: LaneReal, const W: usize> LaneKernel<T, W> for Exact<T> {
    type Row = (Point<T>, T);
    type Cols = [(Point<T>, T); W];
    fn row(&self, norm: T) -> (Point<T>, T) {
        (self.net.point_from_sq_norm(norm, self.dim), norm)
    }
    fn cols(&self, norms: &[T; W]) -> [(Point<T>, T); W] {
        norms.map(|n| (self.net.point_from_sq_norm(n, self.dim), n))
    }
    fn eval(
        &self,
        (x, xn): &(Point<T>, T),
        z: &[(Point<T>, T); W],
        nngp: &mut [T; W],
        ntk: &mut [T; W],
        (xc, zc): Coords<'_, T, W>,
    ) {
        for l in 0..W {
            let (pz, zn) = &z[l];
            let k = self
                .net
                .kernels_of_inputs(x, pz, (xc, zc[l]), (*xn, *zn), nngp[l]);
            nngp[l] = k.nngp;
            ntk[l] = k.ntk;
        }
    }
}

/// Output buffers (already checked to be large enough) and their row stride.
pub(crate) struct Bufs<'a, T> {
    pub nngp: Option<&'a mut [T]>,
    pub ntk: Option<&'a mut [T]>,
    pub stride: usize,
    /// Prefetch the output lines ahead of the stores (outputs far larger
    /// than the cache, whose rows are pages apart).
    pub prefetch: bool,
    /// The outputs of the transposed tile (`Part::Transposed`): entry (i, j)
    /// goes to (j − c₀)·`t_stride` + (i − r₀) as well.
    pub t_nngp: Option<&'a mut [T]>,
    pub t_ntk: Option<&'a mut [T]>,
    pub t_stride: usize,
}

impl<T: Real> Bufs<'_, T> {
    /// `true` if the entries a fill of `rows` × `cols` (`part`) wrote are
    /// finite: the direct outputs, else the transposed ones (same values).
    pub(crate) fn written_finite(
        &self,
        rows: &Range<usize>,
        cols: &Range<usize>,
        part: Part,
    ) -> bool {
        let (r, c) = (rows.len(), cols.len());
        let upper = part == Part::Upper;
        // Upper: only global (i, j) with j ≥ i were written.
        let written = |i: usize, j: usize| !upper || cols.start + j >= rows.start + i;
        let direct = [self.nngp.as_deref(), self.ntk.as_deref()];
        if direct.iter().any(Option::is_some) {
            return direct
                .into_iter()
                .flatten()
                .all(|b| block_finite(b, self.stride, (r, c), written));
        }
        [self.t_nngp.as_deref(), self.t_ntk.as_deref()]
            .into_iter()
            .flatten()
            .all(|b| block_finite(b, self.t_stride, (c, r), |_, _| true))
    }
}

/// `true` if the entries (i, j) of the r×c block at `stride` that `written`
/// selects are finite.
fn block_finite<T: Real>(
    b: &[T],
    stride: usize,
    (r, c): (usize, usize),
    written: impl Fn(usize, usize) -> bool,
) -> bool {
    (0..r).all(|i| {
        let row = i
            .checked_mul(stride)
            .and_then(|at| b.get(at..at.checked_add(c)?));
        row.is_none_or(|row| {
            row.iter()
                .enumerate()
                .all(|(j, v)| v.is_finite() || !written(i, j))
        })
    })
}

impl<T> Bufs<'_, T> {
    /// The buffers and stride that receive a block's transpose: the outputs
    /// themselves (`Mirrored`), the transposed outputs (`Transposed`), or none.
    fn mirror(&mut self, part: Part) -> ([Option<&mut [T]>; 2], usize) {
        match part {
            Part::Mirrored => (
                [self.nngp.as_deref_mut(), self.ntk.as_deref_mut()],
                self.stride,
            ),
            Part::Transposed => (
                [self.t_nngp.as_deref_mut(), self.t_ntk.as_deref_mut()],
                self.t_stride,
            ),
            Part::All | Part::Upper => ([None, None], 0),
        }
    }
}

/// acc[r][l] += Σ_k x_r[k]·zt[k][l] over the packed block, in k order, V lanes
/// at a time (MR×V accumulators stay in registers).
#[inline(always)]
fn micro<T: LaneReal, const W: usize, const V: usize>(
    xs: [&[T]; MR],
    zt: &[[T; W]],
    acc: &mut [[T; W]],
) {
    let kb = zt.len();
    let [x0, x1, x2, x3] = xs;
    let (Some(x0), Some(x1), Some(x2), Some(x3)) =
        (x0.get(..kb), x1.get(..kb), x2.get(..kb), x3.get(..kb))
    else {
        return;
    };
    if let [a0, a1, a2, a3] = acc {
        for sub in 0..W / V {
            let (mut c0, mut c1, mut c2, mut c3) =
                ([T::ZERO; V], [T::ZERO; V], [T::ZERO; V], [T::ZERO; V]);
            let lanes = sub * V..sub * V + V;
            c0.copy_from_slice(&a0[lanes.clone()]);
            c1.copy_from_slice(&a1[lanes.clone()]);
            c2.copy_from_slice(&a2[lanes.clone()]);
            c3.copy_from_slice(&a3[lanes.clone()]);
            let xk = x0.iter().zip(x1).zip(x2).zip(x3);
            for (zk, (((&v0, &v1), &v2), &v3)) in zt.iter().zip(xk) {
                let mut z = [T::ZERO; V];
                z.copy_from_slice(&zk[lanes.clone()]);
                for l in 0..V {
                    c0[l] = v0.fma(z[l], c0[l]);
                    c1[l] = v1.fma(z[l], c1[l]);
                    c2[l] = v2.fma(z[l], c2[l]);
                    c3[l] = v3.fma(z[l], c3[l]);
                }
            }
            a0[lanes.clone()].copy_from_slice(&c0);
            a1[lanes.clone()].copy_from_slice(&c1);
            a2[lanes.clone()].copy_from_slice(&c2);
            a3[lanes].copy_from_slice(&c3);
        }
    }
}

/// Coordinates `k0..k0 + kb` of a point, or none if out of range (the
/// ranges are checked up front; `get` keeps the loops panic-free).
#[inline(always)]
fn coords<T>(p: &[T], k0: usize, kb: usize) -> &[T] {
    p.get(k0..k0 + kb).unwrap_or(&[])
}

/// Which part of a tile to compute and write.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Part {
    /// Every entry.
    All,
    /// Entries with j ≥ i only.
    Upper,
    /// Entries with j ≥ i, each also written at (j, i) (square tile on the diagonal).
    Mirrored,
    /// Every entry, each also written at (j, i) of the transposed outputs.
    Transposed,
}

/// Fills `out` with the entries (i, j), i ∈ `rows`, j ∈ `cols` of K(x, z), or
/// the part `part` of them. Arguments are validated by the caller. W: lanes
/// of the recursion (columns per chunk); V: lanes per micro-kernel
/// accumulator (one or two SIMD registers), a divisor of W.
#[inline(always)]
pub(crate) fn fill<T: LaneReal, K: LaneKernel<T, W>, const W: usize, const V: usize>(
    kern: &K,
    x: &Points<'_, T>,
    z: &Points<'_, T>,
    rows: Range<usize>,
    cols: Range<usize>,
    part: Part,
    out: &mut Bufs<'_, T>,
) {
    let upper = matches!(part, Part::Upper | Part::Mirrored);
    let mut rowdata = [kern.row(T::ZERO); SB];
    let mut block = Block {
        dots: [[T::ZERO; W]; RB],
        scratch: [[T::ZERO; W]; SCRATCH],
        zc: kern.cols(&[T::ZERO; W]),
        zn: [T::ZERO; W],
    };
    let mut i0 = rows.start;
    while i0 < rows.end {
        let sb = SB.min(rows.end - i0);
        for (r, data) in rowdata.iter_mut().enumerate().take(sb) {
            let p = x.point_or_empty(i0 + r);
            *data = kern.row(dot(p, p));
        }
        let mut j0 = cols.start;
        if upper && i0 > j0 {
            j0 += (i0 - j0) / W * W;
        }
        while j0 < cols.end {
            let w = W.min(cols.end - j0);
            let zp: [&[T]; W] = core::array::from_fn(|l| z.point_or_empty(j0 + l.min(w - 1)));
            let chunk = Chunk { j0, w, zp: &zp };
            // Halves of RB rows; the later ones once none of their rows has
            // an entry in the chunk (upper parts) are skipped.
            let mut h0 = 0;
            while h0 < sb && !(upper && i0 + h0 >= j0 + w) {
                let rb = RB.min(sb - h0);
                let data = rowdata.get(h0..h0 + rb).unwrap_or(&[]);
                let half = Half {
                    i0: i0 + h0,
                    rb,
                    first: h0 == 0,
                };
                block.dots::<K, V>(kern, x, &half, &chunk);
                block.eval(kern, (x, data), &half, &chunk, (&rows, &cols), part, out);
                h0 += rb;
            }
            j0 += w;
        }
        i0 += sb;
    }
}

/// W columns of a tile: its first column, how many of the W are in the tile
/// (the others repeat its last point) and their points.
struct Chunk<'a, 'p, T, const W: usize> {
    j0: usize,
    w: usize,
    zp: &'a [&'p [T]; W],
}

/// Rows i₀..i₀ + rb of a tile, and whether they are the first of their superblock.
struct Half {
    i0: usize,
    rb: usize,
    first: bool,
}

/// The blocks of the fill that are not per row of a superblock.
struct Block<T, C, const W: usize> {
    /// The dot products of a half × chunk, overwritten by the NNGP.
    dots: [[T; W]; RB],
    /// First the column chunk packed transposed (zt[k][lane], KB rows) while
    /// the dot products are summed, then the NTK of the half × chunk, kept
    /// so that the mirrored entries can be written row by row (a scattered
    /// column write per entry thrashes the cache and TLB: it took a quarter
    /// of the fill time). One buffer for both: their lifetimes do not overlap.
    scratch: [[T; W]; SCRATCH],
    /// The chunk's column data, formed by the first half of a superblock.
    zc: C,
    /// The chunk's squared norms.
    zn: [T; W],
}

impl<T: LaneReal, C, const W: usize> Block<T, C, W> {
    /// The dot products of the half's rows with the chunk's points, summed
    /// over blocks of KB coordinates packed transposed; in the first half
    /// also the chunk's squared norms and column data.
    #[inline(always)]
    fn dots<K: LaneKernel<T, W, Cols = C>, const V: usize>(
        &mut self,
        kern: &K,
        x: &Points<'_, T>,
        h: &Half,
        c: &Chunk<'_, '_, T, W>,
    ) {
        let d = x.dim();
        let xrow = |r: usize| x.point_or_empty(h.i0 + r.min(h.rb - 1));
        let quads = h.rb.div_ceil(MR);
        for acc in self.dots.iter_mut().take(quads * MR) {
            *acc = [T::ZERO; W];
        }
        if h.first {
            self.zn = [T::ZERO; W];
        }
        let mut k0 = 0;
        while k0 < d {
            let kb = KB.min(d - k0);
            for (l, p) in c.zp.iter().enumerate() {
                for (zk, &v) in self.scratch.iter_mut().zip(coords(p, k0, kb)) {
                    zk[l] = v;
                }
            }
            let block = self.scratch.get(..kb).unwrap_or(&[]);
            if h.first {
                for zk in block {
                    for (n, &v) in self.zn.iter_mut().zip(zk) {
                        *n = v.fma(v, *n);
                    }
                }
            }
            for (q, acc) in self.dots.chunks_exact_mut(MR).take(quads).enumerate() {
                let xs: [&[T]; MR] = core::array::from_fn(|m| coords(xrow(q * MR + m), k0, kb));
                micro::<T, W, V>(xs, block, acc);
            }
            k0 += kb;
        }
        if h.first {
            kern.cols_into(&self.zn, &mut self.zc);
        }
    }

    /// The lane kernel on the half's rows (`data`: their row data), each
    /// row stored, then the block's transpose (`part`).
    #[inline(always)]
    #[allow(clippy::too_many_arguments)]
    fn eval<K: LaneKernel<T, W, Cols = C>>(
        &mut self,
        kern: &K,
        (x, data): (&Points<'_, T>, &[K::Row]),
        h: &Half,
        c: &Chunk<'_, '_, T, W>,
        (rows, cols): (&Range<usize>, &Range<usize>),
        part: Part,
        out: &mut Bufs<'_, T>,
    ) {
        let upper = matches!(part, Part::Upper | Part::Mirrored);
        let (i0, rb, j0, w) = (h.i0, h.rb, c.j0, c.w);
        let xrow = |r: usize| x.point_or_empty(i0 + r.min(rb - 1));
        let mut lo_min = w;
        let rows_of = data.iter().zip(&mut self.dots).zip(&mut self.scratch);
        for (r, ((data, nn), nt)) in rows_of.take(rb).enumerate() {
            let i = i0 + r;
            let lo = if upper { i.max(j0) - j0 } else { 0 };
            lo_min = lo_min.min(lo);
            if lo >= w {
                continue;
            }
            if out.prefetch {
                prefetch_row(
                    out,
                    part,
                    (i - rows.start, r),
                    (i0 - rows.start, rb),
                    j0 - cols.start,
                    w,
                );
            }
            // The row's dot products are replaced by its NNGP values.
            kern.eval(data, &self.zc, nn, nt, (xrow(r), c.zp));
            let at = (i - rows.start) * out.stride + (j0 - cols.start);
            for (buf, v) in [
                (out.nngp.as_deref_mut(), &*nn),
                (out.ntk.as_deref_mut(), &*nt),
            ] {
                if let Some(b) = buf {
                    if let (Some(dst), Some(src)) = (b.get_mut(at + lo..at + w), v.get(lo..w)) {
                        dst.copy_from_slice(src);
                    }
                }
            }
        }
        let ([t_nngp, t_ntk], stride) = out.mirror(part);
        let corner = (i0 - rows.start, j0 - cols.start);
        // In place: only below the diagonal; else every entry.
        let lower = part == Part::Mirrored;
        for (buf, v) in [(t_nngp, &self.dots[..]), (t_ntk, &self.scratch[..])] {
            if let Some(b) = buf {
                mirror_block(b, stride, corner, v, (rb, lower), lo_min..w);
            }
        }
    }
}

/// Prefetches the output lines that row `i` (row `r` of its half, whose
/// first row is `i0`; all relative to the tile) will need: the next row's
/// `w` entries from column `j0`, and the mirrored runs (written after the
/// half) of the lanes r, r + rb, … .
#[inline(always)]
fn prefetch_row<T>(
    out: &mut Bufs<'_, T>,
    part: Part,
    (i, r): (usize, usize),
    (i0, rb): (usize, usize),
    j0: usize,
    w: usize,
) {
    // Saturating: the row after the tile's last may lie past usize.
    let next = (i + 1).saturating_mul(out.stride).saturating_add(j0);
    for b in [out.nngp.as_deref(), out.ntk.as_deref()]
        .into_iter()
        .flatten()
    {
        prefetch(b, next, w);
    }
    let (bufs, stride) = out.mirror(part);
    for l in (r..w).step_by(rb.max(1)) {
        let run = (j0 + l).saturating_mul(stride).saturating_add(i0);
        for b in bufs.iter().flatten() {
            prefetch(b, run, rb);
        }
    }
}

/// Writes the transpose of the block `v` (rows i₀ + r, r < `rb`, lanes j₀ + l,
/// l ∈ `lanes`; `corner` = (i₀, j₀) relative to the tile) at (j, i), for
/// every j > i if `lower` (the tile's own lower triangle) else for all, one
/// contiguous run of a destination row per lane.
#[inline(always)]
fn mirror_block<T: Copy, const W: usize>(
    b: &mut [T],
    stride: usize,
    (i0, j0): (usize, usize),
    v: &[[T; W]],
    (rb, lower): (usize, bool),
    lanes: Range<usize>,
) {
    for l in lanes {
        let j = j0 + l;
        // Rows r with i₀ + r < j, i.e. strictly below the diagonal after mirroring.
        let len = if lower {
            rb.min(j.saturating_sub(i0))
        } else {
            rb
        };
        let at = j * stride + i0;
        if let Some(dst) = b.get_mut(at..at + len) {
            for (t, row) in dst.iter_mut().zip(v) {
                *t = row[l];
            }
        }
    }
}

//! Gram matrices on all of rayon's threads (feature `rayon`), bitwise equal
//! to the one-thread [`Gram::symmetric`] and [`Gram::matrix`] (a pair's value
//! does not depend on the tile it is computed in).
//!
//! **Symmetric K(X, X), each pair once.** The rows are cut into groups
//! P₀ … P_{m−1} (2 per thread, whole 64-row blocks; at n = 2048 on 2
//! threads, 2 per thread beat 4 by 1.05× and 8 by 1.17×: larger blocks,
//! fewer rounds). Each block K(X_P, X_Q), P < Q, is one
//! [`Gram::tile_and_transpose`] call that writes rows P and, transposed,
//! rows Q; the diagonal blocks are [`Gram::symmetric`] calls on
//! [`Points::slice`]s. The blocks run in the rounds of a round-robin
//! tournament (the circle method): in a round every group plays at most
//! once, so the round's tasks own disjoint rows and run in parallel with
//! plain `&mut` slices. Each pair is computed once and written twice while
//! in cache: no mirror pass over memory.
//!
//! **Rectangular K(X, Z).** Bands of rows (of columns for column-major
//! outputs), 2 per thread, each one [`Gram::tile`] call.
//!
//! ```
//! use ntk::gram::{par, Gram, Output, Points, RowMajor};
//! use ntk::{Activation, Network};
//!
//! let xs: Vec<f32> = (0..300 * 4).map(|i| (i as f32 * 0.37).sin()).collect();
//! let x = Points::new(&xs, 4)?;
//! let gram = Gram::new(Network::new(3, Activation::Relu)?);
//! let (mut fast, mut one) = (vec![0.0; 300 * 300], vec![0.0; 300 * 300]);
//! par::symmetric(&gram, &x, Output::ntk(RowMajor(&mut fast, 300)))?;
//! gram.symmetric(&x, Output::ntk(RowMajor(&mut one, 300)))?;
//! assert_eq!(fast, one);
//! # Ok::<(), ntk::Error>(())
//! ```

use super::output::{Output, Target};
use super::{check_tile, Gram, LaneReal, Layout, Points, Tile};
use crate::{Error, Result};
use alloc::vec::Vec;
use rayon::prelude::*;

/// The rows of one group in the NNGP and NTK outputs.
type Rows<'a, T> = [Option<&'a mut [T]>; 2];

/// The symmetric NNGP and/or NTK K(X, X) (n×n) into `out` on all of rayon's
/// threads (those of the pool it is called in), each pair computed once.
/// Either layout (the matrix is symmetric).
///
/// Errors: as [`Gram::symmetric`]; nothing is written on error.
pub fn symmetric<T: LaneReal>(gram: &Gram<T>, x: &Points<'_, T>, out: Output<'_, T>) -> Result<()> {
    let n = x.len();
    check_tile(x, x, &Tile::new(0..n, 0..n))?;
    out.check(n, n)?;
    let (bufs, stride) = split(out)?;
    let g = group_rows(n);
    let range = |p: usize| p * g..((p + 1) * g).min(n);
    let m = n.div_ceil(g);
    let mut rows: Vec<Option<Rows<'_, T>>> =
        groups(bufs, g * stride, m).into_iter().map(Some).collect();
    // Diagonal blocks, one task per group.
    rows.par_iter_mut().enumerate().try_for_each(|(p, r)| {
        let r = r.as_mut().ok_or(LOST)?;
        let (c0, xp) = (range(p).start, x.slice(range(p))?);
        gram.symmetric(&xp, output(r, c0, stride))
    })?;
    // Off-diagonal blocks: m − 1 rounds (m + 1 − m % 2 teams, one a bye when m is odd).
    let teams = m + m % 2;
    for round in 0..teams.saturating_sub(1) {
        let team = |i: usize| match i {
            0 => 0,
            i => (i - 1 + round) % (teams - 1) + 1,
        };
        let mut tasks: Vec<_> = (0..teams / 2)
            .map(|i| {
                (
                    team(i).min(team(teams - 1 - i)),
                    team(i).max(team(teams - 1 - i)),
                )
            })
            .filter(|&(_, q)| q < m)
            .map(|(p, q)| (p, q, rows[p].take(), rows[q].take()))
            .collect();
        tasks.par_iter_mut().try_for_each(|(p, q, rp, rq)| {
            let (rp, rq) = (rp.as_mut().ok_or(LOST)?, rq.as_mut().ok_or(LOST)?);
            let (pr, qr) = (range(*p), range(*q));
            let (o, o_t) = (output(rp, qr.start, stride), output(rq, pr.start, stride));
            gram.tile_and_transpose(x, x, Tile::new(pr, qr), o, o_t)
        })?;
        for (p, q, rp, rq) in tasks {
            (rows[p], rows[q]) = (rp, rq);
        }
    }
    Ok(())
}

/// The NNGP and/or NTK K(X, Z) (n×m) into `out` on all of rayon's threads.
/// Both targets must have the same layout.
///
/// Errors: as [`Gram::matrix`]; [`Error::InvalidParameter`] for mixed
/// layouts. Nothing is written on error.
pub fn matrix<T: LaneReal>(
    gram: &Gram<T>,
    x: &Points<'_, T>,
    z: &Points<'_, T>,
    out: Output<'_, T>,
) -> Result<()> {
    let (n, m) = (x.len(), z.len());
    check_tile(x, z, &Tile::new(0..n, 0..m))?;
    out.check(n, m)?;
    let layout = out.layout()?;
    let (bufs, stride) = split(out)?;
    // Bands along the contiguous direction: rows (row-major) or columns.
    let lines = match layout {
        Layout::RowMajor => n,
        Layout::ColMajor => m,
    };
    let g = group_rows(lines);
    let bands = groups(bufs, g * stride, lines.div_ceil(g));
    bands
        .into_par_iter()
        .enumerate()
        .try_for_each(|(p, [a, b])| {
            let band = p * g..((p + 1) * g).min(lines);
            let tile = match layout {
                Layout::RowMajor => Tile::new(band, 0..m),
                Layout::ColMajor => Tile::new(0..n, band),
            };
            let (a, b) = (target(a, stride, layout), target(b, stride, layout));
            gram.tile(x, z, tile, Output::from_targets(a, b))
        })
}

/// Reported if a group's rows were not handed back between rounds (cannot happen).
const LOST: Error = Error::InvalidParameter {
    what: "parallel Gram: a row group was lost between rounds",
};

/// Rows per group: 2 groups per thread, whole 64-row blocks.
fn group_rows(n: usize) -> usize {
    let groups = 2 * rayon::current_num_threads();
    n.div_ceil(groups).next_multiple_of(64).max(1)
}

/// The buffers of the NNGP and NTK targets and their common stride.
fn split<'a, T>(out: Output<'a, T>) -> Result<([Option<&'a mut [T]>; 2], usize)> {
    let stride = out.stride()?;
    Ok((out.into_buffers(), stride))
}

/// The first `count` pieces of `len` elements (the last may be shorter) of
/// the NNGP and NTK buffers, paired.
fn groups<T>(bufs: [Option<&mut [T]>; 2], len: usize, count: usize) -> Vec<Rows<'_, T>> {
    let [mut s, mut t] = bufs.map(|b| b.map(|b| b.chunks_mut(len.max(1))));
    (0..count)
        .map(|_| {
            [
                s.as_mut().and_then(Iterator::next),
                t.as_mut().and_then(Iterator::next),
            ]
        })
        .collect()
}

/// A band's target: the shape was checked for the whole matrix.
fn target<T>(buf: Option<&mut [T]>, stride: usize, layout: Layout) -> Option<Target<'_, T>> {
    buf.map(|b| Target::new(b, stride, layout, None))
}

/// The row-major output of a group's rows from column `c0` on.
fn output<'a, T>(rows: &'a mut Rows<'_, T>, c0: usize, stride: usize) -> Output<'a, T> {
    let [s, t] = rows;
    let at = |b: &'a mut Option<&mut [T]>| b.as_deref_mut().and_then(|b| b.get_mut(c0..));
    Output::from_targets(
        target(at(s), stride, Layout::RowMajor),
        target(at(t), stride, Layout::RowMajor),
    )
}

//! Host threads (feature `std`): the fit and the batch means of a
//! [`Model`](super::Model) on several cores, bit for bit equal to one core.
//!
//! **Fit.** With T threads (this one and T − 1 [`pool`] workers), thread t
//!
//! ```text
//! 1. computes the Gram rows K(X_u, X_{0..i₁}) + λI of its 32-row units u
//!    (dealt in snake order, 0 1 … T−1 T−1 … 0 0 1 …, to balance their
//!    growing cost), one tile each, and publishes them;
//! 2. factors the 8-row blocks b ≡ t (mod T) in order: copies the block's rows
//!    of A from its unit, computes rows i₀ … i₁ of L (column j < i₀ waits
//!    until row j is published), and publishes them.
//! ```
//!
//! Column j of block b only needs L's rows ≤ j, so block b factors all but
//! its last 8 columns while block b − 1 is still running on another thread:
//! the threads overlap everything except that wavefront. (Dealing the
//! factor out in 32-row units instead serialised it: at n = 512 two threads
//! were slower than one.) The Gram units are larger than the blocks because
//! a tile forms its column data once for all its rows: 8-row tiles took
//! 1.32× and 32-row tiles 1.02× the time of one symmetric fill at n = 256.
//! Every entry is computed by the same code in the same order as on one
//! thread (the Gram entries by the same lane kernel, the rows by the same
//! `block_rows`), so L, α and every prediction are bitwise those of one
//! thread (tested).
//!
//! The workers' jobs own their data (a copy of X; published rows are
//! vectors behind [`OnceLock`]s in an `Arc`), so no borrow crosses threads
//! and there is no `unsafe`; this thread copies the factor into the
//! caller's buffer at the end (~2 % of the fit at n = 256). The vectors are
//! kept for the next call ([`pool::scratch`]). A waiting
//! thread spins, then yields; any failure (a pivot that is not positive, a
//! panic) raises a flag that stops the waiters, and the model reruns the fit
//! on one thread, which reports the error exactly as without threads.
//!
//! **Means.** The query rows are split between the threads; each fills its
//! rows of K(X*, X) with one Gram tile and multiplies them by α.

use super::kernel_matrix::k_alpha;
use super::pool;
use super::Regime;
use crate::gram::{Gram, LaneReal, Output, Points, RowMajor, Tile};
use crate::linalg::cholesky::{self, Stop};
use crate::{Error, Result};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};
use std::vec::Vec;

/// Rows per published block of the factor.
const BLOCK: usize = cholesky::BLOCK_ROWS;

/// Rows per Gram tile (64-row units made the two-thread fit at n = 256
/// 2–3% slower: fewer units balance worse).
const UNIT: usize = 4 * BLOCK;

/// Training points per thread below which the fit uses fewer threads: with
/// a polling worker, 2 threads fit n = 64 in 41 µs against 56 µs on one
/// (n = 32: no gain).
pub(crate) const MIN_FIT_ROWS_PER_THREAD: usize = 32;

/// Kernel entries per thread below which the means use fewer threads
/// (64 × 32 entries: 18 µs on 2 threads against 30 µs on one).
pub(crate) const MIN_QUERY_ENTRIES_PER_THREAD: usize = 1024;

/// A thread that stopped because another failed (that one's error is reported).
const STOPPED: Error = Error::InvalidParameter {
    what: "fit stopped by another thread",
};

/// Writes L, the Cholesky factor of K(X, X) + λI for the n points of
/// dimension `dim` in `x`, into the lower triangle of `chol` (row
/// `stride`), on `threads` threads. Errors: any failure (the caller refits
/// on one thread to report it); `chol` is then untouched.
pub(crate) fn fit<T: LaneReal>(
    (gram, regime): (&Gram<T>, Regime),
    (x, dim): (&[T], usize),
    lambda: T,
    chol: &mut [T],
    stride: usize,
    threads: usize,
) -> Result<()> {
    let n = x.len() / dim.max(1);
    let pipe = Arc::new(Pipeline {
        gram: *gram,
        regime,
        x: copy(x),
        dim,
        n,
        lambda,
        threads,
        units: (0..n.div_ceil(UNIT)).map(|_| OnceLock::new()).collect(),
        blocks: (0..n.div_ceil(BLOCK)).map(|_| OnceLock::new()).collect(),
        stop: AtomicBool::new(false),
        error: Mutex::new(None),
    });
    let workers: Vec<_> = (1..threads)
        .map(|t| {
            let pipe = Arc::clone(&pipe);
            pool::run(move || pipe.run(t))
        })
        .collect();
    // A worker that could not start would leave its blocks unfactored: stop
    // the others (the model then fits on one thread).
    if workers.iter().any(Option::is_none) {
        pipe.stop.store(true, Ordering::Release);
    }
    pipe.run(0);
    let finished = workers.iter().fold(true, |ok, w| {
        w.as_ref().is_some_and(pool::Handle::wait) & ok
    });
    let result = pipe.copy_factor(finished, chol, stride);
    // The workers have dropped their handles: keep the buffers for the next fit.
    if let Ok(pipe) = Arc::try_unwrap(pipe) {
        pipe.recycle();
    }
    result
}

/// A copy of `s` in a [`pool::spare`] vector.
fn copy<T: LaneReal>(s: &[T]) -> Vec<T> {
    let mut v = pool::spare(s.len());
    v.extend_from_slice(s);
    v
}

/// What the threads of [`fit`] share. Rows are stored with stride n.
struct Pipeline<T> {
    gram: Gram<T>,
    regime: Regime,
    x: Vec<T>,
    dim: usize,
    /// Points: x.len() / dim.
    n: usize,
    lambda: T,
    threads: usize,
    /// Rows of A = K + λI by unit, columns 0..i₁ of each.
    units: Vec<OnceLock<Vec<T>>>,
    /// Rows of L by block.
    blocks: Vec<OnceLock<Vec<T>>>,
    stop: AtomicBool,
    /// The first failure other than [`STOPPED`].
    error: Mutex<Option<Error>>,
}

impl<T: LaneReal> Pipeline<T> {
    /// Copies L into the lower triangle of `chol`, or reports why it cannot.
    fn copy_factor(&self, finished: bool, chol: &mut [T], stride: usize) -> Result<()> {
        if let Some(e) = *self.error.lock().unwrap_or_else(PoisonError::into_inner) {
            return Err(e);
        }
        if !finished {
            return Err(Error::InvalidParameter {
                what: "a fit thread panicked or could not start",
            });
        }
        for (b, rows) in self.blocks.iter().enumerate() {
            let rows = rows.get().ok_or(STOPPED)?;
            for (r, row) in rows.chunks_exact(self.n).enumerate() {
                let i = b * BLOCK + r;
                let dst = chol.get_mut(i * stride..=i * stride + i).ok_or(STOPPED)?;
                dst.copy_from_slice(row.get(..=i).ok_or(STOPPED)?);
            }
        }
        Ok(())
    }

    /// Hands every buffer to [`pool::recycle`].
    fn recycle(self) {
        pool::recycle(self.x);
        let slots = self.units.into_iter().chain(self.blocks);
        slots
            .filter_map(OnceLock::into_inner)
            .for_each(pool::recycle);
    }

    /// Steps 1 and 2 of thread t; a failure is recorded and stops the others.
    fn run(&self, t: usize) {
        let guard = StopOnPanic(&self.stop);
        if let Err(e) = self.steps(t) {
            self.stop.store(true, Ordering::Release);
            if e != STOPPED {
                let mut first = self.error.lock().unwrap_or_else(PoisonError::into_inner);
                first.get_or_insert(e);
            }
        }
        drop(guard);
    }

    fn steps(&self, t: usize) -> Result<()> {
        let x = Points::new(&self.x, self.dim)?;
        let n = self.n;
        // Dealt in snake order (0 1 1 0 0 1 …): a unit costs ∝ its last row.
        let snake = |u: usize| match (u / self.threads) % 2 {
            0 => u % self.threads,
            _ => self.threads - 1 - u % self.threads,
        };
        for u in (0..self.units.len()).filter(|&u| snake(u) == t) {
            let (i0, i1) = (u * UNIT, (u * UNIT + UNIT).min(n));
            let mut a = pool::scratch((i1 - i0) * n, T::ZERO);
            let out = output(self.regime, &mut a, n);
            self.gram.tile(&x, &x, Tile::new(i0..i1, 0..i1), out)?;
            for (r, row) in a.chunks_exact_mut(n).enumerate() {
                if let Some(v) = row.get_mut(i0 + r) {
                    *v += self.lambda;
                }
            }
            // Set once: each unit belongs to one thread.
            let _ = self.units.get(u).map(|slot| slot.set(a));
        }
        for b in (t..self.blocks.len()).step_by(self.threads) {
            let (i0, i1) = (b * BLOCK, (b * BLOCK + BLOCK).min(n));
            let unit = self.units.get(i0 / UNIT).and_then(|u| self.wait(u));
            let unit = unit.ok_or(STOPPED)?;
            let at = (i0 % UNIT) * n;
            let mut rows = copy(unit.get(at..at + (i1 - i0) * n).ok_or(STOPPED)?);
            let factored = cholesky::factor_block(&mut rows, i0, i1 - i0, n, |j| self.row(j));
            factored.map_err(|e| match e {
                Stop::Pivot { row, .. } => Error::NotPositiveDefinite {
                    pivot: row,
                    suggested_ridge: 0.0,
                },
                Stop::Missing => STOPPED,
            })?;
            let _ = self.blocks.get(b).map(|slot| slot.set(rows));
        }
        Ok(())
    }

    /// Row j of L through its diagonal, once published; `None` if the fit stopped.
    fn row(&self, j: usize) -> Option<&[T]> {
        let rows = self.wait(self.blocks.get(j / BLOCK)?)?;
        let at = (j % BLOCK) * self.n;
        rows.get(at..=at + j)
    }

    /// The contents of `slot` once set; `None` if the fit stopped first.
    fn wait<'s>(&self, slot: &'s OnceLock<Vec<T>>) -> Option<&'s [T]> {
        let mut round = 0;
        loop {
            if let Some(v) = slot.get() {
                return Some(v);
            }
            if self.stop.load(Ordering::Acquire) {
                return None;
            }
            pool::backoff(&mut round);
        }
    }
}

/// Raises the stop flag if its thread unwinds, so that no waiter spins forever.
struct StopOnPanic<'s>(&'s AtomicBool);

impl Drop for StopOnPanic<'_> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            self.0.store(true, Ordering::Release);
        }
    }
}

/// The means at the m query points of dimension `dim` in `query`:
/// K(X*, X)·α into `out` (m×o), `work` (m×n) holding this thread's rows of
/// the kernel block, the rows split over `threads` threads.
pub(crate) fn means<T: LaneReal>(
    (gram, regime): (&Gram<T>, Regime),
    (query, train, dim): (&[T], &[T], usize),
    alpha: &[T],
    out: &mut [T],
    work: &mut [T],
    threads: usize,
) -> Result<()> {
    let (m, n) = (query.len() / dim.max(1), train.len() / dim.max(1));
    let o = out.len() / m.max(1);
    let rows = m.div_ceil(threads.max(1)).max(1);
    let shared = Arc::new((*gram, regime, copy(query), copy(train), copy(alpha)));
    let workers: Vec<_> = (1..m.div_ceil(rows))
        .map(|c| {
            let (shared, tile) = (
                Arc::clone(&shared),
                Tile::new(c * rows..((c + 1) * rows).min(m), 0..n),
            );
            let result = Arc::new(Mutex::new(None));
            let slot = Arc::clone(&result);
            let theirs = tile.clone();
            let job = pool::run(move || {
                let (gram, regime, query, train, alpha) = &*shared;
                let mut k = pool::scratch(theirs.rows.len() * n, T::ZERO);
                let mut y = pool::scratch(theirs.rows.len() * o, T::ZERO);
                let done = block_means(
                    (gram, *regime),
                    (query, train, dim),
                    alpha,
                    theirs,
                    (&mut k, &mut y),
                );
                pool::recycle(k);
                *slot.lock().unwrap_or_else(PoisonError::into_inner) = Some(done.map(|()| y));
            });
            (job, result, tile)
        })
        .collect();
    let first = Tile::new(0..rows.min(m), 0..n);
    let mine = block_means(
        (gram, regime),
        (query, train, dim),
        alpha,
        first,
        (work, out),
    );
    let mut all = mine;
    for (job, result, tile) in workers {
        let at = tile.rows.start * o;
        let Some(job) = job else {
            // No thread could start: these rows here, after our own.
            let mut k = pool::scratch(tile.rows.len() * n, T::ZERO);
            let y = out.get_mut(at..at + tile.rows.len() * o).ok_or(STOPPED)?;
            let done = block_means(
                (gram, regime),
                (query, train, dim),
                alpha,
                tile,
                (&mut k, y),
            );
            pool::recycle(k);
            all = all.and(done);
            continue;
        };
        let finished = job.wait();
        let taken = result.lock().unwrap_or_else(PoisonError::into_inner).take();
        match (finished, taken) {
            (true, Some(Ok(y))) => {
                let dst = out.get_mut(at..at + y.len()).ok_or(STOPPED)?;
                dst.copy_from_slice(&y);
                pool::recycle(y);
            }
            (true, Some(Err(e))) => all = all.and(Err(e)),
            _ => {
                all = all.and(Err(Error::InvalidParameter {
                    what: "a means thread panicked",
                }))
            }
        }
    }
    if let Ok((_, _, query, train, alpha)) = Arc::try_unwrap(shared) {
        [query, train, alpha].into_iter().for_each(pool::recycle);
    }
    all
}

/// Rows `tile.rows` of the means: their kernel rows into `k`, K·α into `y`.
fn block_means<T: LaneReal>(
    (gram, regime): (&Gram<T>, Regime),
    (query, train, dim): (&[T], &[T], usize),
    alpha: &[T],
    tile: Tile,
    (k, y): (&mut [T], &mut [T]),
) -> Result<()> {
    let n = tile.cols.len();
    let (q, x) = (Points::new(query, dim)?, Points::new(train, dim)?);
    gram.tile(&q, &x, tile.clone(), output(regime, k, n))?;
    let rows = tile.rows.len();
    k_alpha(k.get(..rows * n).unwrap_or_default(), alpha, y, n);
    Ok(())
}

/// The [`Output`] of the regime's kernel.
fn output<T>(regime: Regime, buf: &mut [T], stride: usize) -> Output<'_, T> {
    match regime {
        Regime::Nngp => Output::nngp(RowMajor(buf, stride)),
        Regime::Ntk => Output::ntk(RowMajor(buf, stride)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Activation, Network};

    /// The pipeline itself succeeds (the model would hide a failure behind
    /// its one-thread rerun) and gives the serial factor bit for bit.
    #[test]
    fn pipeline_equals_serial_factor() {
        let (n, d, lambda) = (83, 3, 1e-3);
        let data: Vec<f64> = (0..n * d).map(|k| libm::sin(0.7 * k as f64)).collect();
        let x = Points::new(&data, d).unwrap();
        let net = Network::new(2, Activation::Relu).unwrap();
        let gram = Gram::new(net);
        let mut serial = std::vec![0.0; n * n];
        gram.symmetric(&x, output(Regime::Ntk, &mut serial, n))
            .unwrap();
        (0..n).for_each(|i| serial[i * n + i] += lambda);
        cholesky::factor_strided(&mut serial, n, n).unwrap();
        for threads in 1..=4 {
            let mut piped = std::vec![f64::NAN; n * n];
            fit(
                (&gram, Regime::Ntk),
                (&data, d),
                lambda,
                &mut piped,
                n,
                threads,
            )
            .unwrap();
            for i in 0..n {
                for j in 0..=i {
                    let (a, b) = (serial[i * n + j], piped[i * n + j]);
                    assert_eq!(a.to_bits(), b.to_bits(), "threads {threads}: L[{i}][{j}]");
                }
            }
        }
    }

    /// A pivot that fails stops every thread (none waits forever) with an
    /// error, and leaves the caller's buffer untouched.
    #[test]
    fn failing_pivot_stops_all_threads() {
        let (n, d) = (64, 2);
        let mut data: Vec<f64> = (0..n * d).map(|k| libm::cos(0.3 * k as f64)).collect();
        data.copy_within(0..d, 9 * d); // point 9 = point 0
        let gram = Gram::new(Network::new(1, Activation::Relu).unwrap());
        for threads in 2..=3 {
            let mut a = std::vec![7.0; n * n];
            let err = fit((&gram, Regime::Nngp), (&data, d), 0.0, &mut a, n, threads).unwrap_err();
            assert!(
                matches!(err, Error::NotPositiveDefinite { pivot: 9, .. }),
                "{err:?}"
            );
            assert!(a.iter().all(|&v| v == 7.0));
        }
    }
}

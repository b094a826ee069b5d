//! Cholesky factorisation A = L·Lᵀ of a symmetric positive-definite matrix,
//! in place, with O(n²) updates when a row/column is appended or removed.
//!
//! Row by row (Cholesky–Banachiewicz): for i = 0 … n−1,
//!
//! ```text
//! L_ij = (A_ij − Σ_{k<j} L_ik L_jk) / L_jj      (j < i)
//! L_ii = √(A_ii − Σ_{k<i} L_ik²)
//! ```
//!
//! computed in blocks of 8 rows: the inner products of a block with one
//! earlier row run together, 4 terms at a time in independent lanes (2 for
//! f64 without AVX), so each load serves 8 products and the loop compiles to
//! SSE2/NEON code, or AVX in native x86-64 builds (on bare metal: row by row,
//! sequential sums). Every entry
//! is summed in the same fixed order whatever the block, so factoring equals
//! appending rows one at a time ([`append_strided`]) bit for bit. A pivot
//! `d = A_ii − Σ L_ik² ≤ (i+1)·ε·A_ii` (singular to working precision, e.g.
//! a duplicated row whose d is rounding noise of either sign) or a
//! non-finite one stops with
//! [`Error::NotPositiveDefinite`], leaving rows `0..i` a valid factor of the
//! leading block. Removing row/column k ([`remove_strided`]) is a rank-1
//! update of the trailing factor by L's column k, done with Givens-type
//! rotations in O((n−k)²).
//!
//! **Suggested ridge.** On failure at pivot i with value d, the error carries
//! `δ = 2|d| + 4·(n+1)·ε·max_j A_jj`. For a matrix that is positive
//! semi-definite up to rounding (any Gram matrix of a kernel, for example
//! with duplicate points), A + δI factors (tested below). For a genuinely
//! indefinite matrix δ is only a first guess: [`gershgorin_ridge`] gives a
//! shift that always works, and the regressor (`ntk::regression`)
//! verifies its suggestion by refactoring.
//!
//! ```text
//! use ntk::linalg::cholesky;
//! let mut a = [[4.0f64, 0.0], [2.0, 5.0]]; // lower triangle of [[4, 2], [2, 5]]
//! cholesky::factor(&mut a)?;
//! let mut b = [8.0, 9.0];
//! cholesky::solve(&a, &mut b); // A x = b
//! assert!((b[0] - 1.375).abs() < 1e-15 && (b[1] - 1.25).abs() < 1e-15);
//! # Ok::<(), ntk::Error>(())
//! ```

use super::{at, check_square, set};
use crate::{Error, Real, Result};

/// `f::<T, …, V>(args)` with V = [`lanes`]`::<T>()`.
macro_rules! by_lanes {
    ($f:ident :: <T $(, $m:tt)?> ($($arg:expr),*)) => {
        match lanes::<T>() {
            1 => $f::<T, $($m,)? 1>($($arg),*),
            2 => $f::<T, $($m,)? 2>($($arg),*),
            _ => $f::<T, $($m,)? 4>($($arg),*),
        }
    };
}

#[cfg(test)] // the fixed-array form is tested; the library uses the strided one
/// Factors the whole N×N matrix `a` in place: its lower triangle becomes L.
///
/// Errors: [`Error::NotPositiveDefinite`] (then rows before `pivot` hold the
/// factor of the leading block and the rest of `a` is as given, to rounding).
pub fn factor<T: Real, const N: usize>(a: &mut [[T; N]; N]) -> Result<()> {
    factor_strided(a.as_flattened_mut(), N, N)
}

#[cfg(test)] // the fixed-array form is tested; the library uses the strided one
/// Solves A·x = b in place with the factor L of [`factor`] (b ← A⁻¹b).
pub fn solve<T: Real, const N: usize>(l: &[[T; N]; N], b: &mut [T; N]) {
    // An N×N factor and an N-vector always fit, so neither half can fail.
    let _ = lower(l.as_flattened(), N, N, b, 1).and_then(|()| upper(l.as_flattened(), N, N, b, 1));
}

#[cfg(test)] // the fixed-array form is tested; the library uses the strided one
/// [`append_strided`] on a fixed array: row i joins the factor of rows `0..i`.
///
/// Errors: `i ≥ N`; [`Error::NotPositiveDefinite`] (row i left as given).
pub fn append<T: Real, const N: usize>(a: &mut [[T; N]; N], i: usize) -> Result<()> {
    if i >= N {
        return Err(Error::IndexOutOfRange { index: i, len: N });
    }
    append_strided(a.as_flattened_mut(), i, N)
}

#[cfg(test)] // the fixed-array form is tested; the library uses the strided one
/// [`remove_strided`] on a fixed array holding the factor of its leading n×n block.
///
/// Errors: `k ≥ n` or `n > N`.
pub fn remove<T: Real, const N: usize>(l: &mut [[T; N]; N], n: usize, k: usize) -> Result<()> {
    if n > N {
        return Err(Error::IndexOutOfRange {
            index: n,
            len: N + 1,
        });
    }
    remove_strided(l.as_flattened_mut(), n, N, k)
}

/// [`factor`] on the n×n matrix stored row-major in `a` with row `stride`.
///
/// Errors: a buffer too short for (n, stride); [`Error::NotPositiveDefinite`].
pub fn factor_strided<T: Real>(a: &mut [T], n: usize, stride: usize) -> Result<()> {
    factor_or_ridge(a, n, stride).map_err(Error::from)
}

/// [`factor_strided`], its suggested ridge still in `T` (the regressor
/// verifies it in `T`: no round trip through f64, which on an f32-only FPU
/// links ~0.4 KB of software f64 into the firmware).
pub(crate) fn factor_or_ridge<T: Real>(
    a: &mut [T],
    n: usize,
    stride: usize,
) -> core::result::Result<(), Failure<T>> {
    check_square(a.len(), n, stride, "matrix")?;
    by_lanes!(factor_rows::<T>(a, n, stride))
}

/// A failed factorisation: [`Error::NotPositiveDefinite`] with its ridge
/// in `T`, or another error. `Error::from` widens the ridge to f64.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Failure<T> {
    /// The pivot of row `pivot` failed; `ridge` is the suggested δ.
    NotPositiveDefinite {
        /// The row at which factorisation failed.
        pivot: usize,
        /// The suggested absolute ridge (see the module doc).
        ridge: T,
    },
    /// Any other error (a buffer too short, say).
    Other(Error),
}

impl<T> From<Error> for Failure<T> {
    fn from(e: Error) -> Self {
        Failure::Other(e)
    }
}

impl<T: Real> From<Failure<T>> for Error {
    fn from(f: Failure<T>) -> Self {
        match f {
            Failure::NotPositiveDefinite { pivot, ridge } => Error::NotPositiveDefinite {
                pivot,
                suggested_ridge: ridge.to_f64(),
            },
            Failure::Other(e) => e,
        }
    }
}

/// Extends the factor of the leading i×i block (rows `0..i` of `a` hold L) by
/// row i, whose entries `a[i*stride + j]`, j ≤ i, hold the new row of A
/// (A_ij for j < i and A_ii). O(i²): the online-learning step. The row equals
/// bit for bit the one [`factor_strided`] computes.
///
/// Errors: as [`factor_strided`]; on [`Error::NotPositiveDefinite`] row i is
/// left as given (to rounding), so the caller loses nothing.
pub fn append_strided<T: Real>(a: &mut [T], i: usize, stride: usize) -> Result<()> {
    let rows = i
        .checked_add(1)
        .ok_or(Error::SizeOverflow { what: "matrix" })?;
    check_square(a.len(), rows, stride, "matrix")?;
    by_lanes!(block::<T, 1>(a, i, i + 1, stride)).map_err(Error::from)
}

/// Lanes of an inner-product accumulator: 4, one 16-byte SIMD register of
/// f32 (SSE2, NEON); for f64 on x86-64 one 32-byte AVX register (native
/// builds, and the run-time AVX copy of [`dots`] in default builds; 1.3×
/// faster at n = 256 than 2 lanes, as each load then feeds twice the
/// products), elsewhere 2 (NEON). 8 f32 lanes were no faster than 4. On
/// bare metal (no SIMD on Cortex-M) 1: a plain sequential sum, as wider
/// lanes only spill registers there. The lanes fix the summation order:
/// every x86-64 build factors bit for bit alike.
#[inline(always)]
fn lanes<T>() -> usize {
    if cfg!(target_os = "none") {
        1
    } else if core::mem::size_of::<T>() == 8 && !cfg!(target_arch = "x86_64") {
        2
    } else {
        4
    }
}

/// Rows per block: the MR rows share every load of an earlier row (register
/// blocking; on hosts 8 accumulators of one register each, as SSE2 has 16).
/// On bare metal 1: at `opt-level = "s"` the block loops are not unrolled and
/// their accumulators live in memory (4 rows took 15% more instructions to
/// fit N = 32 on a Cortex-M4F than the row-by-row factor; 1 row, 2% fewer).
#[cfg(not(target_os = "none"))]
const MR: usize = 8;
#[cfg(target_os = "none")]
const MR: usize = 1;

/// All n rows of the factor, MR at a time, then one by one.
fn factor_rows<T: Real, const V: usize>(
    a: &mut [T],
    n: usize,
    stride: usize,
) -> core::result::Result<(), Failure<T>> {
    let mut i = 0;
    while i + MR <= n {
        block::<T, MR, V>(a, i, n, stride)?;
        i += MR;
    }
    while i < n {
        block::<T, 1, V>(a, i, n, stride)?;
        i += 1;
    }
    Ok(())
}

/// Rows per block of [`factor_block`] that take the register-blocked path.
#[cfg(feature = "std")]
pub(crate) const BLOCK_ROWS: usize = MR;

/// Rows `i0..i0 + rows` of the factor in `own` (see [`block_rows`]): MR at
/// once when `rows` = MR, else one by one, each exactly as
/// [`factor_strided`] computes it.
#[cfg(feature = "std")]
pub(crate) fn factor_block<'e, T: Real>(
    own: &mut [T],
    i0: usize,
    rows: usize,
    stride: usize,
    earlier: impl FnMut(usize) -> Option<&'e [T]>,
) -> core::result::Result<(), Stop<T>> {
    by_lanes!(factor_block_v::<T>(own, i0, rows, stride, earlier))
}

#[cfg(feature = "std")]
fn factor_block_v<'e, T: Real, const V: usize>(
    own: &mut [T],
    i0: usize,
    rows: usize,
    stride: usize,
    mut earlier: impl FnMut(usize) -> Option<&'e [T]>,
) -> core::result::Result<(), Stop<T>> {
    if rows == MR {
        return block_rows::<T, MR, V>(own, i0, stride, earlier);
    }
    for r in 0..rows {
        let (done, row) = own.split_at_mut_checked(r * stride).ok_or(Stop::Missing)?;
        let done: &[T] = done;
        block_rows::<T, 1, V>(row, i0 + r, stride, |j| match j.checked_sub(i0) {
            None => earlier(j),
            Some(k) => done.get(k * stride..=k * stride + j),
        })?;
    }
    Ok(())
}

/// Rows `i0..i0 + M` of the factor of an n×n matrix (rows before i0 done).
///
/// Errors: a buffer too short; [`Error::NotPositiveDefinite`] (the block's
/// rows restored, see the module doc).
fn block<T: Real, const M: usize, const V: usize>(
    a: &mut [T],
    i0: usize,
    n: usize,
    stride: usize,
) -> core::result::Result<(), Failure<T>> {
    let i1 = i0
        .checked_add(M)
        .ok_or(Error::SizeOverflow { what: "matrix" })?;
    let needed = super::square_len(i1, stride).ok_or(Error::SizeOverflow { what: "matrix" })?;
    let short = Error::BufferTooSmall {
        what: "matrix",
        needed,
        found: a.len(),
    };
    if a.len() < needed || i1 > n {
        return Err(short.into());
    }
    let Some((done, own)) = a.split_at_mut_checked(i0 * stride) else {
        return Err(short.into());
    };
    let done: &[T] = done;
    match block_rows::<T, M, V>(own, i0, stride, |j| done.get(j * stride..=j * stride + j)) {
        Ok(()) => Ok(()),
        Err(Stop::Pivot { row, d }) => {
            restore(a, row, i1, stride).ok_or(short)?;
            Err(not_pd(a, row, n, stride, d))
        }
        Err(Stop::Missing) => Err(short.into()),
    }
}

/// Why [`block_rows`] stopped.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Stop<T> {
    /// The pivot of `row` was `d`: not positive to working precision.
    Pivot {
        /// The row whose pivot failed.
        row: usize,
        /// Its value A_ii − Σ L_ik².
        d: T,
    },
    /// A row was out of its buffer, or `earlier` gave none (a caller's abort).
    Missing,
}

/// Rows `i0..i0 + M` of the factor, held in `own` (row i at (i − i0)·stride,
/// from column 0), given the earlier rows of L: `earlier(j)` = row j < i0
/// through its diagonal, j + 1 entries (or `None` to stop). On hosts a thread can factor a
/// block while another finishes the rows it needs last
/// (`regression::threads`).
///
/// Column j of the M rows at once: their inner products with row j
/// (`dots`, the same fixed order whatever M, so that a block equals M
/// appended rows bit for bit), then
///
/// ```text
/// L_ij = (A_ij − s_ij)·(1/L_jj),   L_ii = √(A_ii − s_ii)
/// ```
///
/// with one division per column (the reciprocal costs one rounding more than
/// a division, covered by the bound of the textbook comparison test). On a
/// failed pivot the block's columns before it hold L (see [`restore`]).
#[inline(always)]
pub(crate) fn block_rows<'e, T: Real, const M: usize, const V: usize>(
    own: &mut [T],
    i0: usize,
    stride: usize,
    mut earlier: impl FnMut(usize) -> Option<&'e [T]>,
) -> core::result::Result<(), Stop<T>> {
    for j in 0..i0 + M {
        let skip = j.saturating_sub(i0);
        let prior = if j < i0 {
            Some(earlier(j).ok_or(Stop::Missing)?)
        } else {
            None
        };
        let sums = {
            let own: &[T] = own;
            let col = match prior {
                Some(row) => row.get(..j),
                None => own.get(skip * stride..skip * stride + j),
            };
            let rows = core::array::from_fn(|r| head(own, r * stride, j));
            dots::<T, M, V>(rows, col.ok_or(Stop::Missing)?, j)
        };
        if j >= i0 {
            // Row j is in this block: its pivot first.
            let x = own.get_mut(skip * stride + j).ok_or(Stop::Missing)?;
            let d = *x - *sums.get(skip).ok_or(Stop::Missing)?;
            // Singular to working precision: the pivot is within rounding of cancelling.
            let floor = T::from_usize(j + 1) * T::EPSILON * x.abs();
            if !(d > floor && d.is_finite()) {
                return Err(Stop::Pivot { row: j, d });
            }
            *x = d.sqrt();
        }
        let pivot = match prior {
            Some(row) => row.get(j),
            None => own.get(skip * stride + j),
        };
        let inv = T::ONE / *pivot.ok_or(Stop::Missing)?;
        let below = if j >= i0 { skip + 1 } else { 0 };
        for (r, s) in sums.iter().enumerate().skip(below) {
            let x = own.get_mut(r * stride + j).ok_or(Stop::Missing)?;
            *x = (*x - *s) * inv;
        }
    }
    Ok(())
}

/// `len` entries of `a` from `start` (in range: checked by the caller).
#[inline(always)]
fn head<T>(a: &[T], start: usize, len: usize) -> &[T] {
    a.get(start..start + len).unwrap_or(&[])
}

/// After pivot p failed: rows p..i1 hold L in columns < p; put back
/// A_ij = Σ_{k≤j} L_ik L_jk there (from the last column, so the L_ik it reads
/// are still in place), leaving those rows as given to rounding.
fn restore<T: Real>(a: &mut [T], p: usize, i1: usize, stride: usize) -> Option<()> {
    for i in p..i1 {
        for j in (0..p).rev() {
            let v = dot(
                a.get(i * stride..=i * stride + j)?,
                a.get(j * stride..=j * stride + j)?,
            );
            *a.get_mut(i * stride + j)? = v;
        }
    }
    Some(())
}

/// The M inner products `s[r] = Σ_{k<len} rows[r][k]·col[k]` ([`dots_mn`]
/// with one column; in x86-64 builds without AVX, by its AVX copy where the
/// CPU has AVX2).
#[inline(always)]
fn dots<T: Real, const M: usize, const V: usize>(rows: [&[T]; M], col: &[T], len: usize) -> [T; M] {
    #[cfg(all(target_arch = "x86_64", not(target_feature = "avx")))]
    if let Some(s) = avx::dots::<T, M, V>(rows, col, len) {
        return s;
    }
    dots_mn::<T, M, 1, V>(rows, [col], len).map(|[s]| s)
}

/// [`dots_mn`] compiled a second time for AVX and chosen at run time, in
/// x86-64 builds that do not target AVX (default builds), for f64: its 4
/// lanes then fill one register instead of two. The factor at n = 256
/// (criterion `fit_predict_parts/factor/256`) took 0.40 ms, against 0.46 ms
/// with the 2 SSE2 lanes used before (4 lanes in SSE2 registers, the
/// fallback on CPUs without AVX2: 1.3× slower than 2 in a timing loop). No
/// FMA, the same lanes in the same order: bitwise the SSE2 code's results
/// (tested below), so every x86-64 build factors alike.
#[cfg(all(target_arch = "x86_64", not(target_feature = "avx")))]
mod avx {
    use crate::Real;

    /// The inner products by the AVX copy; `None` unless `T` is f64 and the
    /// CPU and OS run AVX2 code (AVX2 implies AVX; detected once).
    #[allow(unsafe_code)]
    #[inline(always)]
    pub(super) fn dots<T: Real, const M: usize, const V: usize>(
        rows: [&[T]; M],
        col: &[T],
        len: usize,
    ) -> Option<[T; M]> {
        if core::mem::size_of::<T>() != 8 || !crate::x86::has_avx2() {
            return None;
        }
        // SAFETY: the CPU and OS run AVX code, checked just above; that is
        // the only requirement of the `avx` target feature.
        Some(unsafe { dots_avx::<T, M, V>(rows, col, len) })
    }

    #[allow(unsafe_code)]
    #[target_feature(enable = "avx")]
    #[inline(never)]
    unsafe fn dots_avx<T: Real, const M: usize, const V: usize>(
        rows: [&[T]; M],
        col: &[T],
        len: usize,
    ) -> [T; M] {
        super::dots_body::<T, M, 1, V>(rows, [col], len).map(|[s]| s)
    }

    #[cfg(test)]
    mod tests {
        use super::super::dots_mn;

        /// The AVX copy gives the SSE2 code's bits (blocks of 8 rows and
        /// single rows, lengths with and without a tail).
        #[test]
        fn avx_dots_equal_sse2_dots() {
            assert!(crate::x86::has_avx2(), "the test machine runs AVX2 code");
            let v = |k: usize| ((k as f64) * 0.618_033_988_749_895).fract() - 0.5;
            let data: [f64; 9 * 300] = core::array::from_fn(v);
            let rows: [&[f64]; 8] = core::array::from_fn(|r| &data[r * 300..(r + 1) * 300]);
            let col = &data[8 * 300..];
            for len in [0, 1, 3, 4, 5, 17, 64, 255, 300] {
                let avx = super::dots::<f64, 8, 4>(rows, col, len).unwrap();
                let sse = dots_mn::<f64, 8, 1, 4>(rows, [col], len).map(|[s]| s);
                assert_eq!(avx.map(f64::to_bits), sse.map(f64::to_bits), "len {len}");
                let one = super::dots::<f64, 1, 4>([rows[3]], col, len).unwrap();
                assert_eq!(one[0].to_bits(), sse[3].to_bits(), "len {len}, one row");
            }
        }
    }
}

/// The M×N inner products `s[r][q] = Σ_{k<len} rows[r][k]·cols[q][k]`.
///
/// Each is summed in V lanes (lane l takes k ≡ l mod V, in k order), the
/// lanes then combined pairwise, lane l with lane l + V/2, …: a fixed order
/// that does not depend on M or N. The M·N accumulators of V lanes stay in
/// registers, each load of a row serves N products, each load of a column M.
/// Slices shorter than `len` give zeros (callers pass `len`). Used with N = 1:
/// written this way LLVM vectorises it lane-wise (one `mulpd` + `addpd` per
/// row and step, no shuffles), which a one-column rewrite lost. Not inlined:
/// on its own the M row pointers stay in registers (inlined into `block`,
/// three were reloaded from the stack each step; 5% slower at n = 256).
#[inline(never)]
fn dots_mn<T: Real, const M: usize, const N: usize, const V: usize>(
    rows: [&[T]; M],
    cols: [&[T]; N],
    len: usize,
) -> [[T; N]; M] {
    dots_body::<T, M, N, V>(rows, cols, len)
}

/// The body of [`dots_mn`] (inlined into its SSE2 and AVX copies).
#[inline(always)]
fn dots_body<T: Real, const M: usize, const N: usize, const V: usize>(
    rows: [&[T]; M],
    cols: [&[T]; N],
    len: usize,
) -> [[T; N]; M] {
    let mut acc = [[[T::ZERO; V]; N]; M];
    let body = len - len % V;
    let mut xs: [&[T]; M] = [&[]; M];
    let mut ys: [&[T]; N] = [&[]; N];
    for (x, row) in xs.iter_mut().zip(rows) {
        match row.get(..len) {
            Some(s) => *x = s,
            None => return [[T::ZERO; N]; M],
        }
    }
    for (y, col) in ys.iter_mut().zip(cols) {
        match col.get(..len) {
            Some(s) => *y = s,
            None => return [[T::ZERO; N]; M],
        }
    }
    let mut k = 0;
    while k < body {
        let (Some(x), Some(y)) = (chunks::<T, M, V>(&xs, k), chunks::<T, N, V>(&ys, k)) else {
            break;
        };
        for r in 0..M {
            for q in 0..N {
                for l in 0..V {
                    acc[r][q][l] += x[r][l] * y[q][l];
                }
            }
        }
        k += V;
    }
    // The last len mod V terms go to the first lanes.
    for (r, x) in xs.iter().enumerate() {
        for (q, y) in ys.iter().enumerate() {
            let tail = x
                .get(body..)
                .unwrap_or(&[])
                .iter()
                .zip(y.get(body..).unwrap_or(&[]));
            for (a, (&u, &v)) in acc[r][q].iter_mut().zip(tail) {
                *a += u * v;
            }
        }
    }
    acc.map(|row| row.map(reduce))
}

/// Elements k..k + V of each slice, or `None` past the end.
#[inline(always)]
fn chunks<T: Real, const M: usize, const V: usize>(s: &[&[T]; M], k: usize) -> Option<[[T; V]; M]> {
    let mut out = [[T::ZERO; V]; M];
    for (o, s) in out.iter_mut().zip(s) {
        o.copy_from_slice(s.get(k..k + V)?);
    }
    Some(out)
}

/// Σ of V lanes, pairwise: lane l += lane l + w/2 for w = V, V/2, …, 2.
#[inline(always)]
fn reduce<T: Real, const V: usize>(mut a: [T; V]) -> T {
    let mut w = V;
    while w > 1 {
        w /= 2;
        for l in 0..w {
            a[l] += a[l + w];
        }
    }
    a[0]
}

/// The failure for a failed pivot `d` at row `i` of n (see the module doc for δ).
fn not_pd<T: Real>(a: &[T], i: usize, n: usize, stride: usize, d: T) -> Failure<T> {
    // max diagonal of A: rows < i from Σ_k L_jk², rows ≥ i still as given.
    let max_diag = (0..n)
        .map(|j| match a.get(j * stride..=j * stride + j) {
            Some(row) if j < i => dot(row, row),
            Some(row) => row.last().map_or(T::ZERO, |v| v.abs()),
            None => T::ZERO,
        })
        .fold(T::ZERO, T::max);
    let d_abs = if d.is_finite() { d.abs() } else { T::ZERO };
    let scale = T::from_f64(4.0) * T::from_usize(n + 1) * T::EPSILON;
    let ridge = T::TWO * d_abs + scale * max_diag;
    Failure::NotPositiveDefinite {
        pivot: i,
        ridge: ridge.max(T::MIN_POSITIVE),
    }
}

/// Removes row and column k from the factored n×n matrix: afterwards the
/// leading (n−1)×(n−1) block of `l` is the factor of A without row/column k.
/// O((n−k)²) Givens rotations; no refactoring.
///
/// Errors: `k ≥ n` ([`Error::IndexOutOfRange`]), a buffer too short.
pub fn remove_strided<T: Real>(l: &mut [T], n: usize, stride: usize, k: usize) -> Result<()> {
    check_square(l.len(), n, stride, "matrix")?;
    if k >= n {
        return Err(Error::IndexOutOfRange { index: k, len: n });
    }
    // Trailing block: L₃₃' L₃₃'ᵀ = L₃₃ L₃₃ᵀ + x xᵀ with x = L[k+1.., k] (rank-1 update).
    // `at`/`set`: in bounds after check_square; no panic path on firmware.
    for j in k + 1..n {
        let ljj = at(l, j * stride + j);
        let xj = at(l, j * stride + k);
        let r = hypot(ljj, xj);
        let (c, s) = (r / ljj, xj / ljj);
        set(l, j * stride + j, r);
        for i in j + 1..n {
            let lik = at(l, i * stride + k);
            let lij = (at(l, i * stride + j) + s * lik) / c;
            set(l, i * stride + k, c * lik - s * lij);
            set(l, i * stride + j, lij);
        }
    }
    // Shift rows k+1.. up one and columns k+1.. left one.
    for i in k + 1..n {
        for j in 0..i {
            let src = if j < k { j } else { j + 1 };
            set(l, (i - 1) * stride + j, at(l, i * stride + src));
        }
    }
    Ok(())
}

/// Solves L·y = b in place (forward substitution) on an n×n factor; `b`
/// is read with step `inc` (b_i = `b[i * inc]`), so a column of a row-major
/// matrix can be solved for directly.
///
/// Errors: `l` or `b` too short for (n, stride, inc), or `inc` = 0
/// ([`Error::BufferTooSmall`]); a non-finite entry of `b` or of the factor's
/// rows ([`Error::NonFinite`]); a diagonal entry Lᵢᵢ ≤ 0, which no Cholesky
/// factor has ([`Error::InvalidParameter`]): nothing is written on these.
/// A solution that overflows is [`Error::NonFinite`] too, found after the
/// solve: `b` then holds the partial, overflowed solution.
pub fn solve_lower<T: Real>(
    l: &[T],
    n: usize,
    stride: usize,
    b: &mut [T],
    inc: usize,
) -> Result<()> {
    check_solve(l, n, stride, b, inc)?;
    lower(l, n, stride, b, inc).ok_or(too_short(b))?;
    check_solution(b, n, inc)
}

/// Solves Lᵀ·x = y in place (back substitution); see [`solve_lower`].
///
/// Errors: as [`solve_lower`].
pub fn solve_upper<T: Real>(
    l: &[T],
    n: usize,
    stride: usize,
    b: &mut [T],
    inc: usize,
) -> Result<()> {
    check_solve(l, n, stride, b, inc)?;
    upper(l, n, stride, b, inc).ok_or(too_short(b))?;
    check_solution(b, n, inc)
}

/// `Ok` when an n×n factor with row `stride` and a right-hand side read with
/// step `inc` fit their buffers.
fn check_solve<T: Real>(l: &[T], n: usize, stride: usize, b: &[T], inc: usize) -> Result<()> {
    check_square(l.len(), n, stride, "factor")?;
    let needed = match n {
        0 => 0,
        _ => (n - 1)
            .checked_mul(inc)
            .and_then(|k| k.checked_add(1))
            .ok_or(Error::SizeOverflow {
                what: "right-hand side",
            })?,
    };
    if b.len() < needed || inc == 0 {
        return Err(Error::BufferTooSmall {
            what: "right-hand side",
            needed,
            found: b.len(),
        });
    }
    if (0..n).any(|i| !b[i * inc].is_finite()) {
        return Err(Error::NonFinite {
            what: "right-hand side",
        });
    }
    for i in 0..n {
        let row = &l[i * stride..=i * stride + i];
        crate::error::ensure_finite(row, "factor")?;
        if row[i] <= T::ZERO {
            return Err(Error::InvalidParameter {
                what: "a Cholesky factor's diagonal must be > 0",
            });
        }
    }
    Ok(())
}

/// `Ok` when the solved entries of `b` are finite (no overflow).
fn check_solution<T: Real>(b: &[T], n: usize, inc: usize) -> Result<()> {
    match (0..n).all(|i| b[i * inc].is_finite()) {
        true => Ok(()),
        false => Err(Error::NonFinite {
            what: "solution (overflow)",
        }),
    }
}

/// The error for a right-hand side the checked shapes cannot reach (unreachable after [`check_solve`]).
fn too_short<T>(b: &[T]) -> Error {
    Error::BufferTooSmall {
        what: "right-hand side",
        needed: b.len() + 1,
        found: b.len(),
    }
}

/// [`solve_lower`], `None` (after a partial solve) if a buffer is too short.
pub(crate) fn lower<T: Real>(
    l: &[T],
    n: usize,
    stride: usize,
    b: &mut [T],
    inc: usize,
) -> Option<()> {
    if inc == 1 {
        return by_lanes!(lower_blocked::<T>(l, n, stride, b));
    }
    for i in 0..n {
        let (lii, row) = l.get(i * stride..=i * stride + i)?.split_last()?;
        let mut s = *b.get(i * inc)?;
        for (j, &lij) in row.iter().enumerate() {
            s -= lij * *b.get(j * inc)?;
        }
        *b.get_mut(i * inc)? = s / *lii;
    }
    Some(())
}

/// Forward substitution on a contiguous b, MR rows at a time: their sums to
/// the block start together (`dots`), then the triangle inside the block.
fn lower_blocked<T: Real, const V: usize>(
    l: &[T],
    n: usize,
    stride: usize,
    b: &mut [T],
) -> Option<()> {
    let mut i0 = 0;
    while i0 < n {
        let m = MR.min(n - i0);
        let rows = core::array::from_fn(|r| head(l, (i0 + r.min(m - 1)) * stride, i0));
        let sums = dots::<T, MR, V>(rows, b.get(..i0)?, i0);
        for (r, s) in sums.iter().take(m).enumerate() {
            let i = i0 + r;
            let (lii, row) = l.get(i * stride..=i * stride + i)?.split_last()?;
            let mut s = *s;
            for (&lij, &bj) in row.get(i0..)?.iter().zip(b.get(i0..i)?) {
                s += lij * bj;
            }
            let bi = b.get_mut(i)?;
            *bi = (*bi - s) / *lii;
        }
        i0 += m;
    }
    Some(())
}

/// [`solve_upper`], `None` (after a partial solve) if a buffer is too short.
pub(crate) fn upper<T: Real>(
    l: &[T],
    n: usize,
    stride: usize,
    b: &mut [T],
    inc: usize,
) -> Option<()> {
    for i in (0..n).rev() {
        let (lii, row) = l.get(i * stride..=i * stride + i)?.split_last()?;
        let bi = b.get_mut(i * inc)?;
        let xi = *bi / *lii;
        *bi = xi;
        if inc == 1 {
            // Contiguous: a vectorisable axpy.
            for (bj, &lij) in b.get_mut(..i)?.iter_mut().zip(row) {
                *bj -= lij * xi;
            }
            continue;
        }
        for (j, &lij) in row.iter().enumerate() {
            *b.get_mut(j * inc)? -= lij * xi;
        }
    }
    Some(())
}

/// Solves A·x = b in place (b ← A⁻¹b) with the factor from [`factor_strided`].
///
/// Errors: buffers too short.
pub fn solve_strided<T: Real>(
    l: &[T],
    n: usize,
    stride: usize,
    b: &mut [T],
    inc: usize,
) -> Result<()> {
    solve_lower(l, n, stride, b, inc)?;
    solve_upper(l, n, stride, b, inc)
}

/// A ridge δ > 0 such that A + δI factors ([`factor_strided`] succeeds)
/// for any symmetric A with finite entries (reads the lower triangle). By
/// Gershgorin's theorem λ_min(A) ≥ g = min_i (A_ii − Σ_{j≠i} |A_ij|), and
/// ‖A‖₂ ≤ R = max_i (|A_ii| + Σ_{j≠i} |A_ij|), so
///
/// ```text
/// δ = max(0, −g) + s,   s = 4(n+1)²·ε·(R + max(0, −g)) + (smallest normal)
/// ```
///
/// makes λ_min(A + δI) ≥ s, a margin above the factorisation's pivot test
/// ((i+1)·ε·(A_ii + δ)) and its rounding errors (≈ n²ε‖A + δI‖ at worst).
/// Often far larger than needed; call it before factoring (it needs A).
///
/// ```text
/// use ntk::linalg::cholesky;
/// let a = [0.0f64, 0.0, 1.0, 0.0]; // lower triangle of [[0, 1], [1, 0]]: eigenvalues ±1
/// let delta = cholesky::gershgorin_ridge(&a, 2, 2)?;
/// let mut shifted = [delta, 0.0, 1.0, delta];
/// cholesky::factor_strided(&mut shifted, 2, 2)?;
/// # Ok::<(), ntk::Error>(())
/// ```
///
/// Errors: a buffer too short for (n, stride); non-finite entries, or a δ
/// or a shifted diagonal A_ii + δ that overflows ([`Error::NonFinite`]).
pub fn gershgorin_ridge<T: Real>(a: &[T], n: usize, stride: usize) -> Result<T> {
    check_square(a.len(), n, stride, "matrix")?;
    // In bounds after check_square (the fallback is never taken); `get` keeps
    // the panic path out of firmware, where the optimizer does not prove it
    // (Cortex-M0/M3: the fit no-panic proof failed to link).
    let at = |r: usize, c: usize| {
        a.get(r.max(c) * stride + r.min(c))
            .copied()
            .unwrap_or(T::ZERO)
    };
    let (mut worst, mut norm, mut top) = (T::MAX, T::ZERO, T::ZERO);
    for i in 0..n {
        let radius: T = (0..n).filter(|&j| j != i).map(|j| at(i, j).abs()).sum();
        let diag = at(i, i);
        if !(radius.is_finite() && diag.is_finite()) {
            return Err(Error::NonFinite { what: "matrix" });
        }
        worst = worst.min(diag - radius);
        norm = norm.max(diag.abs() + radius);
        top = top.max(diag);
    }
    let shift = (-worst).max(T::ZERO);
    let m = T::from_usize(n) + T::ONE;
    let slack = T::from_f64(4.0) * m * m * T::EPSILON * (norm + shift) + T::MIN_POSITIVE;
    let delta = shift + slack;
    // The shifted diagonal must stay finite too.
    match (top + delta).is_finite() {
        true => Ok(delta),
        false => Err(Error::NonFinite {
            what: "Gershgorin ridge (overflow)",
        }),
    }
}

/// Σ aᵢbᵢ, with eight partial sums so that the compiler can vectorise it
/// (the order of additions differs from a plain loop by rounding only).
#[inline]
pub(crate) fn dot<T: Real>(a: &[T], b: &[T]) -> T {
    let n = a.len().min(b.len());
    // `get`: n is the shorter length; no panic path on firmware.
    let (a, b) = (
        a.get(..n).unwrap_or_default(),
        b.get(..n).unwrap_or_default(),
    );
    let mut acc = [T::ZERO; 8];
    // `as_chunks` (not `chunks_exact`): an out-of-line zip of two
    // `ChunksExact` kept a division by their run-time chunk size (a panic path).
    let ((ca, ra), (cb, rb)) = (a.as_chunks::<8>(), b.as_chunks::<8>());
    let tail: T = ra.iter().zip(rb).map(|(&x, &y)| x * y).sum();
    for (x, y) in ca.iter().zip(cb) {
        for ((s, &xk), &yk) in acc.iter_mut().zip(x).zip(y) {
            *s += xk * yk;
        }
    }
    let quad = [
        acc[0] + acc[4],
        acc[1] + acc[5],
        acc[2] + acc[6],
        acc[3] + acc[7],
    ];
    (quad[0] + quad[2]) + (quad[1] + quad[3]) + tail
}

/// √(a² + b²) without overflow for the rotation.
#[inline]
fn hypot<T: Real>(a: T, b: T) -> T {
    let (a, b) = (a.abs(), b.abs());
    let (big, small) = if a > b { (a, b) } else { (b, a) };
    if big == T::ZERO {
        return T::ZERO;
    }
    let r = small / big;
    big * (T::ONE + r * r).sqrt()
}

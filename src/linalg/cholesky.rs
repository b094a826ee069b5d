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
//! so factoring is appending rows one at a time ([`append_strided`]); a pivot
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
//! ```
//! use ntk::linalg::cholesky;
//! let mut a = [[4.0f64, 0.0], [2.0, 5.0]]; // lower triangle of [[4, 2], [2, 5]]
//! cholesky::factor(&mut a)?;
//! let mut b = [8.0, 9.0];
//! cholesky::solve(&a, &mut b); // A x = b
//! assert!((b[0] - 1.375).abs() < 1e-15 && (b[1] - 1.25).abs() < 1e-15);
//! # Ok::<(), ntk::Error>(())
//! ```

use super::check_square;
use crate::{Error, Real, Result};

/// Factors the whole N×N matrix `a` in place: its lower triangle becomes L.
///
/// Errors: [`Error::NotPositiveDefinite`] (then rows before `pivot` hold the
/// factor of the leading block and the rest of `a` is unchanged).
pub fn factor<T: Real, const N: usize>(a: &mut [[T; N]; N]) -> Result<()> {
    factor_strided(a.as_flattened_mut(), N, N)
}

/// Solves A·x = b in place with the factor L of [`factor`] (b ← A⁻¹b).
pub fn solve<T: Real, const N: usize>(l: &[[T; N]; N], b: &mut [T; N]) {
    // An N×N factor and an N-vector always fit, so neither half can fail.
    let _ = lower(l.as_flattened(), N, N, b, 1).and_then(|()| upper(l.as_flattened(), N, N, b, 1));
}

/// [`append_strided`] on a fixed array: row i joins the factor of rows `0..i`.
///
/// Errors: `i ≥ N`; [`Error::NotPositiveDefinite`] (row i left as given).
pub fn append<T: Real, const N: usize>(a: &mut [[T; N]; N], i: usize) -> Result<()> {
    if i >= N {
        return Err(Error::IndexOutOfRange { index: i, len: N });
    }
    append_strided(a.as_flattened_mut(), i, N)
}

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
    check_square(a.len(), n, stride, "matrix")?;
    (0..n).try_for_each(|i| extend(a, i, n, stride))
}

/// Extends the factor of the leading i×i block (rows `0..i` of `a` hold L) by
/// row i, whose entries `a[i*stride + j]`, j ≤ i, hold the new row of A
/// (A_ij for j < i and A_ii). O(i²): the online-learning step.
///
/// Errors: as [`factor_strided`]; on [`Error::NotPositiveDefinite`] row i is
/// left as given, so the caller loses nothing.
pub fn append_strided<T: Real>(a: &mut [T], i: usize, stride: usize) -> Result<()> {
    check_square(a.len(), i + 1, stride, "matrix")?;
    extend(a, i, i + 1, stride)
}

/// Row i of the factor of an n×n matrix (rows before i already factored).
fn extend<T: Real>(a: &mut [T], i: usize, n: usize, stride: usize) -> Result<()> {
    // Callers checked the shape; `get`/`split_*_checked` keep this panic-free.
    let short = Error::BufferTooSmall {
        what: "matrix",
        needed: i * stride + i + 1,
        found: a.len(),
    };
    let (done, rest) = a.split_at_mut_checked(i * stride).ok_or(short)?;
    let (row, last) = rest.get_mut(..=i).ok_or(short)?.split_at_mut(i);
    let [pivot] = last else { return Err(short) };
    // Forward substitution L₀ w = a_row[..i], kept aside until the pivot is known good.
    let mut sq = T::ZERO;
    let pivot_in = *pivot;
    for j in 0..i {
        let (lj, ljj) = done
            .get(j * stride..=j * stride + j)
            .ok_or(short)?
            .split_at(j);
        let (head, tail) = row.split_at_mut_checked(j).ok_or(short)?;
        let (Some(rj), [ljj]) = (tail.first_mut(), ljj) else {
            return Err(short);
        };
        *rj = (*rj - dot(head, lj)) / *ljj;
        sq += *rj * *rj;
    }
    let d = pivot_in - sq;
    // Singular to working precision: the pivot is within rounding of cancelling.
    let floor = T::from_usize(i + 1) * T::EPSILON * pivot_in.abs();
    if d > floor && d.is_finite() {
        *pivot = d.sqrt();
        return Ok(());
    }
    // Undo: A_ij = Σ_k L_ik L_jk restores the caller's row exactly enough to refactor.
    for j in (0..i).rev() {
        let lj = done.get(j * stride..=j * stride + j).ok_or(short)?;
        let v = dot(row.get(..=j).ok_or(short)?, lj);
        *row.get_mut(j).ok_or(short)? = v;
    }
    Err(not_pd(a, i, n, stride, d))
}

/// The error for a failed pivot `d` at row `i` of n (see the module doc for δ).
fn not_pd<T: Real>(a: &[T], i: usize, n: usize, stride: usize, d: T) -> Error {
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
    Error::NotPositiveDefinite {
        pivot: i,
        suggested_ridge: ridge.max(T::MIN_POSITIVE).to_f64(),
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
    for j in k + 1..n {
        let ljj = l[j * stride + j];
        let xj = l[j * stride + k];
        let r = hypot(ljj, xj);
        let (c, s) = (r / ljj, xj / ljj);
        l[j * stride + j] = r;
        for i in j + 1..n {
            let lij = (l[i * stride + j] + s * l[i * stride + k]) / c;
            l[i * stride + k] = c * l[i * stride + k] - s * lij;
            l[i * stride + j] = lij;
        }
    }
    // Shift rows k+1.. up one and columns k+1.. left one.
    for i in k + 1..n {
        for j in 0..i {
            let src = if j < k { j } else { j + 1 };
            l[(i - 1) * stride + j] = l[i * stride + src];
        }
    }
    Ok(())
}

/// Solves L·y = b in place (forward substitution) on an n×n factor; `b`
/// is read with step `inc` (b_i = `b[i * inc]`), so a column of a row-major
/// matrix can be solved for directly.
///
/// Errors: `l` or `b` too short for (n, stride, inc), or `inc` = 0
/// ([`Error::BufferTooSmall`]; nothing is written).
pub fn solve_lower<T: Real>(
    l: &[T],
    n: usize,
    stride: usize,
    b: &mut [T],
    inc: usize,
) -> Result<()> {
    check_solve(l, n, stride, b, inc)?;
    lower(l, n, stride, b, inc).ok_or(too_short(b))
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
    upper(l, n, stride, b, inc).ok_or(too_short(b))
}

/// `Ok` when an n×n factor with row `stride` and a right-hand side read with
/// step `inc` fit their buffers.
fn check_solve<T>(l: &[T], n: usize, stride: usize, b: &[T], inc: usize) -> Result<()> {
    check_square(l.len(), n, stride, "factor")?;
    let needed = if n == 0 { 0 } else { (n - 1) * inc + 1 };
    if b.len() < needed || inc == 0 {
        return Err(Error::BufferTooSmall {
            what: "right-hand side",
            needed,
            found: b.len(),
        });
    }
    Ok(())
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

/// A ridge δ ≥ 0 such that A + δI is positive definite for any symmetric A
/// (reads the lower triangle): by Gershgorin's theorem
/// λ_min(A) ≥ min_i (A_ii − Σ_{j≠i} |A_ij|), so
/// δ = max(0, −that) + 4(n+1)·ε·max|A_ii| (+ the smallest normal) works.
/// Often far larger than needed; call it before factoring (it needs A).
pub fn gershgorin_ridge<T: Real>(a: &[T], n: usize, stride: usize) -> Result<T> {
    check_square(a.len(), n, stride, "matrix")?;
    let mut worst = T::MAX;
    let mut max_diag = T::ZERO;
    for i in 0..n {
        let at = |r: usize, c: usize| {
            if c <= r {
                a[r * stride + c]
            } else {
                a[c * stride + r]
            }
        };
        let radius: T = (0..n).filter(|&j| j != i).map(|j| at(i, j).abs()).sum();
        worst = worst.min(at(i, i) - radius);
        max_diag = max_diag.max(at(i, i).abs());
    }
    let slack = T::from_f64(4.0) * T::from_usize(n + 1) * T::EPSILON * max_diag + T::MIN_POSITIVE;
    Ok((-worst).max(T::ZERO) + slack)
}

/// Σ aᵢbᵢ, with eight partial sums so that the compiler can vectorise it
/// (the order of additions differs from a plain loop by rounding only).
#[inline]
pub(crate) fn dot<T: Real>(a: &[T], b: &[T]) -> T {
    let n = a.len().min(b.len());
    let (a, b) = (&a[..n], &b[..n]);
    let mut acc = [T::ZERO; 8];
    let (ca, cb) = (a.chunks_exact(8), b.chunks_exact(8));
    let tail: T = ca
        .remainder()
        .iter()
        .zip(cb.remainder())
        .map(|(&x, &y)| x * y)
        .sum();
    for (x, y) in ca.zip(cb) {
        for k in 0..8 {
            acc[k] += x[k] * y[k];
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

//! Symmetric eigendecomposition A = V·diag(λ)·Vᵀ by the cyclic Jacobi method.
//!
//! Each sweep visits every pair p < q once and applies the rotation that
//! zeroes A_pq (Rutishauser's formulas: θ = (A_qq − A_pp)/(2A_pq),
//! t = sign(θ)/(|θ| + √(θ² + 1)), c = 1/√(t² + 1), s = t·c). Sweeps stop
//! when the off-diagonal part is negligible:
//!
//! ```text
//! ‖offdiag(A)‖_F ≤ ε·‖A‖_F          (ε = machine epsilon of T)
//! ```
//!
//! so every eigenvalue is within about ε·‖A‖_F of an exact one (Weyl), and
//! the eigenvectors are orthonormal to a few ε. Convergence is quadratic;
//! [`MAX_SWEEPS`] sweeps are never reached for a finite symmetric input in
//! practice (≈ 6–10 sweeps for n ≤ 256), otherwise [`Error::NoConvergence`].
//!
//! Works for any n, in `no_std`, with no storage beyond the matrix and the
//! optional eigenvector buffer (unlike nalgebra's `SymmetricEigen`, which
//! needs `DimSub<U1>` and does not accept a generic `const N`).
//! Eigenvalues are sorted ascending (as LAPACK `syevd` / `numpy.linalg.eigh`).
//!
//! ```text
//! use ntk::linalg::jacobi;
//! let mut a = [[2.0f64, 1.0], [1.0, 2.0]];
//! let mut values = [0.0; 2];
//! let mut vectors = [[0.0; 2]; 2];
//! jacobi::eigen(&mut a, &mut values, Some(&mut vectors))?;
//! assert!((values[0] - 1.0).abs() < 1e-15 && (values[1] - 3.0).abs() < 1e-15);
//! // Column k of `vectors` is the unit eigenvector of values[k].
//! assert!((vectors[0][1] - vectors[1][1]).abs() < 1e-15);
//! # Ok::<(), ntk::Error>(())
//! ```

use super::{at, check_square, set};
use crate::{Error, Real, Result};

/// The sweep limit before [`Error::NoConvergence`].
pub const MAX_SWEEPS: usize = 60;

#[cfg(test)] // the fixed-array form is tested; the library uses the strided one
/// Eigenvalues (ascending) of the symmetric N×N matrix `a`, and optionally
/// its eigenvectors as the columns of `vectors` (`vectors[i][k]` is
/// component i of eigenvector k). Reads the lower triangle of `a`; `a` is
/// overwritten (its diagonal ends up holding the unsorted eigenvalues).
///
/// The matrix is scaled by a power of two (exactly) before the sweeps, so
/// entries up to the largest finite number are fine; an eigenvalue beyond
/// it (n·max|A_ij| may be) is [`Error::NonFinite`].
///
/// Errors: non-finite entries or eigenvalues, [`Error::NoConvergence`].
pub fn eigen<T: Real, const N: usize>(
    a: &mut [[T; N]; N],
    values: &mut [T; N],
    vectors: Option<&mut [[T; N]; N]>,
) -> Result<()> {
    let v = vectors.map(|v| (v.as_flattened_mut(), N));
    eigen_strided(a.as_flattened_mut(), N, N, values, v)
}

/// [`eigen`] on the n×n matrix stored row-major in `a` with row `stride`;
/// eigenvalues go to `values[..n]`, eigenvectors (if given, with their own
/// stride) to the columns of the n×n block of `vectors`.
///
/// Errors: buffers too short, non-finite entries, [`Error::NoConvergence`].
pub fn eigen_strided<T: Real>(
    a: &mut [T],
    n: usize,
    stride: usize,
    values: &mut [T],
    mut vectors: Option<(&mut [T], usize)>,
) -> Result<()> {
    check_square(a.len(), n, stride, "matrix")?;
    if values.len() < n {
        return Err(Error::BufferTooSmall {
            what: "eigenvalues",
            needed: n,
            found: values.len(),
        });
    }
    if let Some((v, vs)) = vectors.as_mut() {
        check_square(v.len(), n, *vs, "eigenvectors")?;
        for i in 0..n {
            for j in 0..n {
                set(v, i * *vs + j, if i == j { T::ONE } else { T::ZERO });
            }
        }
    }
    symmetrize(a, n, stride)?;
    // ‖A‖²_F overflows (or underflows) for entries beyond ~√MAX: work on
    // 2⁻ᵉ·A, max|entry| in [½, 1), an exact scaling, and scale back.
    let e = a_scale_exponent(a, n, stride);
    scale(a, n, stride, -e);
    let norm2 = frobenius2(a, n, stride);
    let tol2 = T::EPSILON * T::EPSILON * norm2;
    let mut sweeps = 0;
    while off_diagonal2(a, n, stride) > tol2 {
        if sweeps == MAX_SWEEPS {
            return Err(Error::NoConvergence {
                what: "Jacobi eigensolver",
            });
        }
        sweeps += 1;
        for p in 0..n {
            for q in p + 1..n {
                rotate(
                    a,
                    n,
                    stride,
                    p,
                    q,
                    vectors.as_mut().map(|(v, vs)| (&mut **v, *vs)),
                );
            }
        }
    }
    scale(a, n, stride, e);
    for (i, value) in values.iter_mut().enumerate().take(n) {
        *value = at(a, i * stride + i);
    }
    if values.iter().take(n).any(|v| !v.is_finite()) {
        return Err(Error::NonFinite {
            what: "eigenvalues (overflow)",
        });
    }
    sort(values, n, vectors);
    Ok(())
}

/// e with max|A_ij| = m·2ᵉ, m in [½, 1) (0 for a zero matrix).
fn a_scale_exponent<T: Real>(a: &[T], n: usize, stride: usize) -> i32 {
    let max = (0..n)
        .flat_map(|i| row(a, i, stride, n).iter())
        .fold(T::ZERO, |m, &x| m.max(x.abs()));
    if max == T::ZERO {
        0
    } else {
        max.frexp().1
    }
}

/// A ← 2ᵉ·A (exact unless results leave the normal range).
fn scale<T: Real>(a: &mut [T], n: usize, stride: usize, e: i32) {
    if e == 0 {
        return;
    }
    for i in 0..n {
        let r = a.get_mut(i * stride..i * stride + n).unwrap_or_default();
        for x in r {
            *x = x.scalbn(e);
        }
    }
}

/// Copies the lower triangle to the upper one, checking finiteness.
fn symmetrize<T: Real>(a: &mut [T], n: usize, stride: usize) -> Result<()> {
    for i in 0..n {
        for j in 0..=i {
            let x = at(a, i * stride + j);
            if !x.is_finite() {
                return Err(Error::NonFinite { what: "matrix" });
            }
            set(a, j * stride + i, x);
        }
    }
    Ok(())
}

fn frobenius2<T: Real>(a: &[T], n: usize, stride: usize) -> T {
    (0..n)
        .flat_map(|i| row(a, i, stride, n).iter())
        .map(|&x| x * x)
        .sum()
}

fn off_diagonal2<T: Real>(a: &[T], n: usize, stride: usize) -> T {
    let mut s = T::ZERO;
    for i in 0..n {
        for j in 0..i {
            let x = at(a, i * stride + j);
            s += x * x;
        }
    }
    s + s
}

/// The Jacobi rotation in the (p, q) plane: A ← JᵀAJ, V ← VJ.
fn rotate<T: Real>(
    a: &mut [T],
    n: usize,
    stride: usize,
    p: usize,
    q: usize,
    v: Option<(&mut [T], usize)>,
) {
    let apq = at(a, p * stride + q);
    if apq == T::ZERO {
        return;
    }
    let (app, aqq) = (at(a, p * stride + p), at(a, q * stride + q));
    let theta = (aqq - app) / (T::TWO * apq);
    let t = if theta.is_finite() && theta.abs() < T::MAX.sqrt() {
        let t = T::ONE / (theta.abs() + (theta * theta + T::ONE).sqrt());
        if theta < T::ZERO {
            -t
        } else {
            t
        }
    } else {
        T::HALF / theta // θ huge: t ≈ 1/(2θ)
    };
    let c = T::ONE / (t * t + T::ONE).sqrt();
    let s = t * c;
    set(a, p * stride + p, app - t * apq);
    set(a, q * stride + q, aqq + t * apq);
    set(a, p * stride + q, T::ZERO);
    set(a, q * stride + p, T::ZERO);
    for k in 0..n {
        if k == p || k == q {
            continue;
        }
        let (akp, akq) = (at(a, k * stride + p), at(a, k * stride + q));
        let (np, nq) = (c * akp - s * akq, s * akp + c * akq);
        set(a, k * stride + p, np);
        set(a, p * stride + k, np);
        set(a, k * stride + q, nq);
        set(a, q * stride + k, nq);
    }
    if let Some((v, vs)) = v {
        for k in 0..n {
            let (vkp, vkq) = (at(v, k * vs + p), at(v, k * vs + q));
            set(v, k * vs + p, c * vkp - s * vkq);
            set(v, k * vs + q, s * vkp + c * vkq);
        }
    }
}

/// Row i of a strided matrix (`get`: in bounds once `check_square` passed;
/// no panic path on firmware).
fn row<T>(a: &[T], i: usize, stride: usize, n: usize) -> &[T] {
    a.get(i * stride..i * stride + n).unwrap_or_default()
}

/// Selection sort, ascending, moving eigenvector columns along (O(n²)).
fn sort<T: Real>(values: &mut [T], n: usize, mut vectors: Option<(&mut [T], usize)>) {
    for i in 0..n {
        let Some((&first, tail)) = values.get(i..n).and_then(|v| v.split_first()) else {
            return;
        };
        // The first smallest of values[i..n] (strict <), as an offset from i.
        let (m, _) =
            (tail.iter().enumerate()).fold(
                (0, first),
                |(m, vm), (j, &x)| {
                    if x < vm {
                        (j + 1, x)
                    } else {
                        (m, vm)
                    }
                },
            );
        if m != 0 {
            swap(values, i, i + m);
            if let Some((v, vs)) = vectors.as_mut() {
                for k in 0..n {
                    swap(v, k * *vs + i, k * *vs + i + m);
                }
            }
        }
    }
}

/// Swaps s[a] and s[b], a < b (nothing if out of bounds: no panic path on firmware).
fn swap<T>(s: &mut [T], a: usize, b: usize) {
    if let Some((lo, hi)) = s.get_mut(..=b).map(|s| s.split_at_mut(b)) {
        if let (Some(x), Some(y)) = (lo.get_mut(a), hi.first_mut()) {
            core::mem::swap(x, y);
        }
    }
}

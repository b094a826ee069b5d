//! Symmetric test matrices of drawn (sometimes inconsistent) shapes, for the
//! entry points that take a Gram matrix (`regression::Precomputed`,
//! `spectrum::empirical_strided`). The crate's Cholesky and Jacobi are
//! internal since the API audit; they are fuzzed through those entry points.

use crate::gen::Gen;

/// An n×n matrix with row stride `stride` in a buffer: a Gram-like B·Bᵀ
/// (PSD, possibly singular), or entries drawn as they come.
/// Small shapes only (n ≤ 64, ≤ 4096 entries): otherwise empty.
pub fn matrix(g: &mut Gen, n: usize, stride: usize) -> Vec<f64> {
    let len = match n
        .checked_sub(1)
        .and_then(|m| m.checked_mul(stride))
        .and_then(|m| m.checked_add(n))
    {
        Some(l) if n <= 64 && stride <= 4096 && l <= 4096 => l,
        _ => return Vec::new(),
    };
    let mut a = vec![0.0; len];
    if g.chance(1, 2) {
        let r = 1 + g.below(n.max(1));
        let b: Vec<f64> = g.reals(n * r);
        for i in 0..n {
            for j in 0..n {
                a[i * stride + j] = (0..r).map(|k| b[i * r + k] * b[j * r + k]).sum();
            }
        }
    } else {
        for i in 0..n {
            for j in 0..=i {
                let v = g.real();
                a[i * stride + j] = v;
                a[j * stride + i] = v;
            }
        }
    }
    a
}

/// (n, stride, buffer length) drawn: usually consistent, sometimes not.
pub fn shape(g: &mut Gen, max_n: usize) -> (usize, usize, usize) {
    let n = g.size(max_n);
    let stride = if g.chance(1, 6) {
        g.size(8)
    } else {
        n.saturating_add(g.below(2))
    };
    let len = match n
        .checked_sub(1)
        .and_then(|m| m.checked_mul(stride))
        .and_then(|m| m.checked_add(n))
    {
        Some(l) if l <= 256 && g.chance(7, 8) => l,
        _ => g.below(48),
    };
    (n, stride, len)
}

/// A symmetric matrix of the drawn shape in a buffer of exactly `len`
/// (zeros where the shape is too large to fill).
pub fn square(g: &mut Gen, max_n: usize) -> (usize, usize, Vec<f64>) {
    let (n, stride, len) = shape(g, max_n);
    let mut a = matrix(g, n, stride);
    a.resize(len, 0.0);
    (n, stride, a)
}

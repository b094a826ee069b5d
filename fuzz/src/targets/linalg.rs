//! Cholesky (factor, append, remove, solves, Gershgorin ridge) and Jacobi.

use super::{ensure, scalar, then, verdict};
use crate::gen::Gen;
use crate::{Entry, Verdict};
use ntk::linalg::{cholesky, jacobi};
use ntk::Error;

pub fn entries() -> Vec<Entry> {
    vec![
        Entry {
            name: "linalg.factor_strided",
            run: factor,
        },
        Entry {
            name: "linalg.append_remove",
            run: append_remove,
        },
        Entry {
            name: "linalg.solves",
            run: solves,
        },
        Entry {
            name: "linalg.gershgorin_ridge",
            run: gershgorin,
        },
        Entry {
            name: "linalg.jacobi",
            run: eigen,
        },
    ]
}

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

fn factor(g: &mut Gen) -> Verdict {
    let (n, stride, mut a) = square(g, 6);
    let r = cholesky::factor_strided(&mut a, n, stride);
    if r.is_err() {
        return Verdict::Err;
    }
    let lower: Vec<f64> = (0..n)
        .flat_map(|i| a[i * stride..=i * stride + i].to_vec())
        .collect();
    then(verdict(&r, &lower, "factor"), || {
        let diag_ok = (0..n).all(|i| a[i * stride + i] > 0.0);
        ensure(diag_ok, || "factor diagonal <= 0".into())
    })
}

fn append_remove(g: &mut Gen) -> Verdict {
    let n = 1 + g.below(6);
    let stride = n + g.below(2);
    let mut a = matrix(g, n, stride);
    for i in 0..n {
        a[i * stride + i] += g.nonneg::<f64>().min(1e300);
    }
    let keep = a.clone();
    let i = if g.chance(1, 10) {
        g.size(8)
    } else {
        g.below(n)
    };
    // Rows before i factored, row i appended.
    if i < n && cholesky::factor_strided(&mut a, i, stride).is_err() {
        return Verdict::Err;
    }
    let before = a.clone();
    match cholesky::append_strided(&mut a, i, stride) {
        Err(Error::NotPositiveDefinite { .. }) => {
            // Documented: row i left as given (to rounding), rows before untouched.
            let same = (0..i)
                .all(|r| a[r * stride..=r * stride + r] == before[r * stride..=r * stride + r]);
            return if same {
                Verdict::Err
            } else {
                Verdict::Lost("rows before i changed".into())
            };
        }
        Err(_) => return Verdict::Err,
        Ok(()) => {}
    }
    let rows = i + 1;
    let k = if g.chance(1, 10) {
        g.size(8)
    } else {
        g.below(rows)
    };
    let _ = keep;
    match cholesky::remove_strided(&mut a, rows, stride, k) {
        Err(_) => ensure(k >= rows, || format!("remove {k} of {rows} refused")),
        Ok(()) => {
            let lower: Vec<f64> = (0..rows - 1)
                .flat_map(|r| a[r * stride..=r * stride + r].to_vec())
                .collect();
            verdict(&Ok(()), &lower, "downdated factor")
        }
    }
}

fn solves(g: &mut Gen) -> Verdict {
    let (n, stride, len) = shape(g, 6);
    let mut l: Vec<f64> = g.reals(len);
    if g.chance(3, 4) {
        for i in 0..n.min(64) {
            if let Some(d) = i
                .checked_mul(stride)
                .and_then(|a| a.checked_add(i))
                .and_then(|a| l.get_mut(a))
            {
                *d = d.abs() + 0.5;
            }
        }
    }
    let inc = if g.chance(1, 6) {
        g.size(4)
    } else {
        1 + g.below(2)
    };
    let blen = g.below(16);
    let mut b: Vec<f64> = g.reals(blen);
    let before = b.clone();
    let r = match g.below(3) {
        0 => cholesky::solve_lower(&l, n, stride, &mut b, inc),
        1 => cholesky::solve_upper(&l, n, stride, &mut b, inc),
        _ => cholesky::solve_strided(&l, n, stride, &mut b, inc),
    };
    match r {
        // Documented: an overflowing solution is found after writing.
        Err(Error::NonFinite { what }) if what.contains("overflow") => Verdict::Err,
        Err(_)
            if b.iter()
                .zip(&before)
                .all(|(x, y)| x.to_bits() == y.to_bits()) =>
        {
            Verdict::Err
        }
        Err(e) => Verdict::Lost(format!("b written on error {e:?}")),
        Ok(()) => {
            let solved: Vec<f64> = (0..n).map(|i| b[i * inc]).collect();
            verdict(&Ok(()), &solved, "solution")
        }
    }
}

fn gershgorin(g: &mut Gen) -> Verdict {
    let (n, stride, a) = square(g, 6);
    let r = cholesky::gershgorin_ridge(&a, n, stride);
    let Ok(delta) = r else { return Verdict::Err };
    then(scalar(Ok(delta), "ridge"), || {
        // Documented: A + δI always factors.
        let mut shifted = a.clone();
        for i in 0..n {
            shifted[i * stride + i] += delta;
        }
        let f = cholesky::factor_strided(&mut shifted, n, stride);
        ensure(f.is_ok() && delta > 0.0, || {
            format!("n={n}: A + {delta:e}·I does not factor: {f:?} A={a:?}")
        })
    })
}

fn eigen(g: &mut Gen) -> Verdict {
    let (n, stride, mut a) = square(g, 6);
    let len = a.len();
    let trace: f64 = (0..n.min(len))
        .map(|i| {
            i.checked_mul(stride)
                .and_then(|p| a.get(p.checked_add(i)?))
                .copied()
                .unwrap_or(0.0)
        })
        .sum();
    let max = a.iter().fold(0.0f64, |m, v| m.max(v.abs()));
    let mut values = vec![0.0; g.below(8)];
    let with_vectors = g.chance(1, 2);
    let mut v = vec![0.0; len];
    let r = jacobi::eigen_strided(
        &mut a,
        n,
        stride,
        &mut values,
        with_vectors.then_some((&mut v[..], stride)),
    );
    if r.is_err() {
        return Verdict::Err;
    }
    then(verdict(&r, &values[..n], "eigenvalues"), || {
        let sorted = values[..n].windows(2).all(|w| w[0] <= w[1]);
        // Σλ = trace, to rounding of the entries' size (sums over max|a|: no overflow).
        let m = max.max(f64::MIN_POSITIVE);
        let sum: f64 = values[..n].iter().map(|v| v / m).sum();
        let trace = trace / m;
        let close = !trace.is_finite()
            || !sum.is_finite()
            || (sum - trace).abs() <= 1e-12 * (n as f64 + 1.0).powi(2);
        ensure(sorted && close, || {
            format!("sorted {sorted}, Σλ {sum:e} vs trace {trace:e}")
        })
    })
}

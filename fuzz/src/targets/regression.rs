//! The regressor: one operation on a model built by a fit or by inserts,
//! with a snapshot of the model before and after; and `Precomputed`,
//! `Workspace`.

use super::{ensure, network, then, verdict};
use crate::gen::Gen;
use crate::{Entry, Verdict};
use ntk::gram::LaneReal;
use ntk::gram::RowMajor;
use ntk::regression::{Precomputed, Regime, Regressor, Ridge, Time, Workspace};
use ntk::{Error, Real};

const N: usize = 6;
const D: usize = 2;

pub fn entries() -> Vec<Entry> {
    let mut v = Vec::new();
    for (((name, name32), run), run32) in OPS.iter().zip(F32) {
        v.push(Entry { name, run: *run });
        v.push(Entry {
            name: name32,
            run: *run32,
        });
    }
    v.push(Entry {
        name: "regression.precomputed",
        run: precomputed,
    });
    v.push(Entry {
        name: "regression.workspace",
        run: workspace,
    });
    v
}

type Op = fn(&mut Gen) -> Verdict;

const OPS: &[((&str, &str), Op)] = &[
    (("regression.fit", "regression.fit.f32"), |g| {
        op::<f64>(g, 0)
    }),
    (("regression.insert", "regression.insert.f32"), |g| {
        op::<f64>(g, 1)
    }),
    (("regression.push", "regression.push.f32"), |g| {
        op::<f64>(g, 2)
    }),
    (("regression.remove", "regression.remove.f32"), |g| {
        op::<f64>(g, 3)
    }),
    (("regression.set_ridge", "regression.set_ridge.f32"), |g| {
        op::<f64>(g, 4)
    }),
    (("regression.refit", "regression.refit.f32"), |g| {
        op::<f64>(g, 5)
    }),
    (
        ("regression.choose_ridge", "regression.choose_ridge.f32"),
        |g| op::<f64>(g, 6),
    ),
    (("regression.predict", "regression.predict.f32"), |g| {
        op::<f64>(g, 7)
    }),
    (
        ("regression.covariance", "regression.covariance.f32"),
        |g| op::<f64>(g, 8),
    ),
    (
        ("regression.loo_residuals", "regression.loo_residuals.f32"),
        |g| op::<f64>(g, 9),
    ),
    (
        ("regression.predict_at", "regression.predict_at.f32"),
        |g| op::<f64>(g, 10),
    ),
];

const F32: &[Op] = &[
    |g| op::<f32>(g, 0),
    |g| op::<f32>(g, 1),
    |g| op::<f32>(g, 2),
    |g| op::<f32>(g, 3),
    |g| op::<f32>(g, 4),
    |g| op::<f32>(g, 5),
    |g| op::<f32>(g, 6),
    |g| op::<f32>(g, 7),
    |g| op::<f32>(g, 8),
    |g| op::<f32>(g, 9),
    |g| op::<f32>(g, 10),
];

fn ridge<T: Real>(g: &mut Gen) -> Ridge<T> {
    let v = match g.below(4) {
        0 => T::ZERO,
        1 => g.nonneg(),
        _ => T::from_f64(10f64.powi(-(g.below(12) as i32))),
    };
    if g.chance(1, 2) {
        Ridge::Absolute(v)
    } else {
        Ridge::RelativeToMeanDiagonal(v)
    }
}

fn point<T: Real>(g: &mut Gen) -> [T; D] {
    [g.real(), g.real()]
}

/// Everything a caller can observe of a model.
#[derive(PartialEq, Debug)]
struct Snapshot {
    len: usize,
    lambda: u64,
    ridge: (bool, u64),
    inputs: Vec<u64>,
    targets: Vec<u64>,
    alpha: Vec<f64>,
    prediction: Option<u64>,
}

fn snapshot<T: LaneReal>(r: &Regressor<T, N, D>) -> Snapshot {
    let bits = |v: T| v.to_f64().to_bits();
    Snapshot {
        len: r.len(),
        lambda: bits(r.lambda()),
        ridge: match r.ridge() {
            Ridge::Absolute(v) => (false, bits(v)),
            Ridge::RelativeToMeanDiagonal(v) => (true, bits(v)),
            other => (true, bits(other.value())),
        },
        inputs: (0..r.len())
            .flat_map(|i| r.input(i).unwrap().to_vec())
            .map(bits)
            .collect(),
        targets: (0..r.len())
            .flat_map(|i| r.target(i).unwrap().to_vec())
            .map(bits)
            .collect(),
        alpha: r.alpha().iter().map(|v| v.to_f64()).collect(),
        prediction: r.predict(&QUERY.map(T::from_f64)).ok().map(|p| bits(p[0])),
    }
}

/// The query of a snapshot's prediction.
const QUERY: [f64; 2] = [0.3, -0.7];

/// The spread of the prediction k·α over factors of A = K + λI that differ
/// by rounding (a restore refactors a model that inserts and removals
/// built): a backward-stable Cholesky solves (A + ΔA)α' = y with
/// ‖ΔA‖ ≤ c·n·ε‖A‖, so ‖α' − α‖ ≤ c·n·ε·cond(A)·‖α‖ and the prediction
/// moves by at most ‖k‖·‖α' − α‖ (c = 8, both copies' errors). ∞ for an A
/// that is singular in f64 (α not determined at all).
fn rounding<T: LaneReal>(r: &Regressor<T, N, D>) -> f64 {
    let (n, net, regime) = (r.len(), r.network(), r.regime());
    let pick = |k: ntk::Kernels<T>| match regime {
        Regime::Nngp => k.nngp.to_f64(),
        _ => k.ntk.to_f64(),
    };
    let x: Vec<&[T]> = (0..n).map(|i| r.input(i).unwrap()).collect();
    let query = QUERY.map(T::from_f64);
    let mut a = nalgebra::DMatrix::<f64>::zeros(n, n);
    let mut k = Vec::with_capacity(n);
    for i in 0..n {
        let Ok(ki) = net.kernels(&query, x[i]) else {
            return f64::INFINITY;
        };
        k.push(pick(ki));
        for j in 0..n {
            let Ok(kij) = net.kernels(x[i], x[j]) else {
                return f64::INFINITY;
            };
            a[(i, j)] = pick(kij) + if i == j { r.lambda().to_f64() } else { 0.0 };
        }
    }
    if n == 0 || !a.iter().all(|v| v.is_finite()) {
        return f64::INFINITY;
    }
    // cond(A) and the norms are scale-free: scaled to 1 (entries near f64::MAX).
    let top = a.amax();
    let eig = (a / top).symmetric_eigenvalues();
    let (lo, hi) = (eig.min(), eig.max());
    if lo.is_nan() || lo <= 0.0 {
        return f64::INFINITY;
    }
    let norm = |v: &[f64]| {
        let m = v.iter().fold(0.0f64, |m, x| m.max(x.abs()));
        if m == 0.0 {
            return 0.0;
        }
        m * v.iter().map(|x| (x / m) * (x / m)).sum::<f64>().sqrt()
    };
    let alpha: Vec<f64> = r.alpha().iter().map(|v| v.to_f64()).collect();
    8.0 * (n as f64 + 1.0) * T::EPSILON.to_f64() * (hi / lo) * norm(&k) * norm(&alpha)
}

/// Equal; for a restore by refactoring the prediction within `rounding`
/// (the bound of [`rounding`]; α of an ill-conditioned A is determined only
/// to cond(A)·ε: its length is compared).
fn same(a: &Snapshot, b: &Snapshot, rounding: Option<f64>) -> bool {
    if a == b {
        return true;
    }
    let Some(rounding) = rounding else {
        return false;
    };
    let pred = |p: Option<u64>| p.map(f64::from_bits);
    let close = match (pred(a.prediction), pred(b.prediction)) {
        (Some(x), Some(y)) => (x - y).abs() <= rounding,
        (x, y) => x.is_none() && y.is_none(),
    };
    (a.len, a.lambda, a.ridge, &a.inputs, &a.targets)
        == (b.len, b.lambda, b.ridge, &b.inputs, &b.targets)
        && a.alpha.len() == b.alpha.len()
        && close
}

/// A model (regime, ridge, network drawn) built by a fit or by inserts (and
/// a removal); `true` if built by a fit alone.
fn model<T: LaneReal>(g: &mut Gen) -> Option<(Regressor<T, N, D>, bool)> {
    let net = network::<T>(g).ok()?;
    let regime = if g.chance(1, 2) {
        Regime::Ntk
    } else {
        Regime::Nngp
    };
    let mut r = Regressor::<T, N, D>::new(net, regime, ridge(g)).ok()?;
    let n = g.below(N + 1);
    let batch = g.chance(1, 2);
    if batch {
        let x: Vec<[T; D]> = (0..n).map(|_| point(g)).collect();
        let y: Vec<[T; 1]> = (0..n).map(|_| [g.real()]).collect();
        let _ = r.fit(&x, &y);
    } else {
        for _ in 0..n {
            let _ = r.insert(point(g), [g.real()]);
        }
        if g.chance(1, 3) && !r.is_empty() {
            let _ = r.remove(g.below(r.len()));
        }
    }
    Some((r, batch))
}

fn op<T: LaneReal>(g: &mut Gen, which: usize) -> Verdict {
    let Some((mut r, batch)) = model::<T>(g) else {
        return Verdict::Err;
    };
    let before = snapshot(&r);
    // Operations that restore by refactoring (an online-built factor is kept
    // aside below capacity, bitwise): bitwise for a batch fit.
    let refactored = matches!(which, 0 | 4 | 5 | 6) && !batch && before.len == N;
    let (result, values): (Result<(), Error>, Vec<T>) = match which {
        0 => {
            let n = g.size(N + 1).min(N + 2);
            let x: Vec<[T; D]> = (0..n).map(|_| point(g)).collect();
            let y: Vec<[T; 1]> = (0..n).map(|_| [g.real()]).collect();
            let r2 = r.fit(&x, &y);
            // Documented: a fit that needs a ridge keeps the new data, unfitted.
            if matches!(r2, Err(Error::NotPositiveDefinite { .. })) {
                return Verdict::Err;
            }
            (r2, r.alpha().to_vec())
        }
        1 => (
            r.insert(point(g), [g.real()]).map_err(|e| e.error),
            r.alpha().to_vec(),
        ),
        2 => {
            let r2 = r.push(point(g), [g.real()]).map_err(|e| e.error);
            // Documented: a failed push into a full window has dropped the oldest.
            if r2.is_err() && before.len == N {
                return Verdict::Err;
            }
            (r2, r.alpha().to_vec())
        }
        3 => {
            let i = if g.chance(1, 5) {
                g.size(N)
            } else {
                g.below(r.len().max(1))
            };
            let r2 = r.remove(i);
            // Documented: an overflowing α after the removal leaves it removed, unfitted.
            if matches!(r2, Err(Error::NonFinite { .. })) {
                return Verdict::Err;
            }
            (r2, r.alpha().to_vec())
        }
        4 => (r.set_ridge(ridge(g)), r.alpha().to_vec()),
        5 => (r.refit(), r.alpha().to_vec()),
        6 => {
            let grid: Vec<T> = (0..g.below(4)).map(|_| ridge::<T>(g).value()).collect();
            match r.choose_ridge(&grid) {
                Ok((_, mse)) => (Ok(()), [vec![mse], r.alpha().to_vec()].concat()),
                Err(e) => (Err(e), vec![]),
            }
        }
        7 => match r.predict_with_variance(&point(g)) {
            Ok((m, v)) => (Ok(()), vec![m[0], v]),
            Err(e) => (Err(e), vec![]),
        },
        8 => {
            let (x, z) = (point(g), point(g));
            match r.covariance(&x, &z, &Time::Infinite) {
                Ok(c) => (Ok(()), vec![c]),
                Err(e) => (Err(e), vec![]),
            }
        }
        9 => match r.loo_residuals() {
            Ok((res, mse)) => (
                Ok(()),
                [vec![mse], res.iter().take(r.len()).map(|v| v[0]).collect()].concat(),
            ),
            Err(e) => (Err(e), vec![]),
        },
        _ => match r.eigenbasis() {
            Ok(s) => {
                let (t, eta) = (g.nonneg(), g.nonneg());
                let time = s.at(t, eta);
                match r.predict_at(&point(g), &time) {
                    Ok(m) => (Ok(()), vec![m[0]]),
                    Err(e) => (Err(e), vec![]),
                }
            }
            Err(e) => (Err(e), vec![]),
        },
    };
    let after = snapshot(&r);
    match result {
        Err(e) if same(&before, &after, refactored.then(|| rounding(&r))) => {
            let _ = e;
            Verdict::Err
        }
        Err(e) => Verdict::Lost(format!("{e:?}: before {before:?} after {after:?}")),
        Ok(()) => then(verdict(&Ok(()), &values, "values"), || {
            ensure(after.alpha.iter().all(|v| v.is_finite()), || {
                format!("α {:?}", after.alpha)
            })
        }),
    }
}

fn precomputed(g: &mut Gen) -> Verdict {
    let (n, stride, mut k) = super::square(g, 5);
    let ny = n.min(64) * (1 + g.below(2));
    let y: Vec<f64> = g.reals(ny);
    let mut alpha = vec![0.0; y.len() + g.below(2)];
    let fit = Precomputed::fit(RowMajor(&mut k, stride), n, &y, ridge(g), &mut alpha);
    match fit {
        Err(_) => Verdict::Err,
        Ok(p) => {
            let a = p.alpha().to_vec();
            let nq = n * (1 + g.below(3));
            let q: Vec<f64> = g.reals(nq);
            let mut out = vec![0.0; 8];
            let r = p.means_into(&q, &mut out);
            let m = q.len() / n.max(1);
            let o = y.len() / n.max(1);
            let mut work = vec![0.0; n];
            let var = p.variance(g.real(), &q[..n.min(q.len())], &mut work);
            then(verdict(&Ok(()), &a, "α"), || {
                then(verdict(&r, &out[..(m * o).min(8)], "means"), || {
                    super::scalar(var, "variance")
                })
            })
        }
    }
}

fn workspace(g: &mut Gen) -> Verdict {
    let (n, d, o) = (g.size(4), g.size(3), g.size(2));
    let len = g.below(256);
    let mut buf = vec![0.0f64; len];
    match Workspace::new(&mut buf, n, d, o) {
        Err(_) => Verdict::Err,
        Ok(_) => ensure(Workspace::<f64>::required_len(n, d, o) <= len, || {
            format!("Workspace::new({len}, {n}, {d}, {o}) accepted")
        }),
    }
}

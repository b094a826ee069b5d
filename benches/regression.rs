//! Kernel regression speed: Cholesky factor + solve on a precomputed Gram
//! matrix, fit + predict from raw data (one thread and all), and one online
//! insertion, for N ∈ {16, 64, 256} training points (f64); the fit alone at
//! N ∈ {512, 1024} on one thread and all (`fit_scaling/<threads>/<N>`); the
//! finite-time eigenbasis at N = 256, heap QL against in-place Jacobi
//! (`eigenbasis/<solver>/256`). `scripts/bench_regression.py`
//! runs this and times scipy and neural-tangents on the same problems.
//!
//! Problem (the Python script builds the same one): d = 16, 64 test
//! points, ReLU depth 3, W_std = 1.5, b_std = 0.1, NTK regime, absolute
//! ridge 1e-4, one output; x_ij = sin(0.37·(16i + j) + 1) (train) and
//! cos(0.53·(16i + j)) (test), y_i = sin(Σ_j x_ij).

use criterion::{black_box, criterion_group, criterion_main, BatchSize, Criterion};
use ntk::gram::{Gram, Output, Points, RowMajor};
use ntk::regression::{
    Precomputed, Regime, Regressor, Ridge, SliceRegressor, VecRegressor, Workspace,
};
use ntk::{Activation, Network};

const D: usize = 16;
const N_TEST: usize = 64;
const RIDGE: f64 = 1e-4;

fn net() -> Network<f64> {
    Network::new(3, Activation::Relu)
        .unwrap()
        .with_std(1.5, Some(0.1))
        .unwrap()
}

fn problem(n: usize) -> (Vec<f64>, Vec<f64>, Vec<f64>) {
    let x: Vec<f64> = (0..n * D).map(|k| (0.37 * k as f64 + 1.0).sin()).collect();
    let y = x.chunks(D).map(|r| r.iter().sum::<f64>().sin()).collect();
    let t = (0..N_TEST * D).map(|k| (0.53 * k as f64).cos()).collect();
    (x, y, t)
}

/// K(X, X) + ridge·I, full, row-major.
fn gram(x: &[f64], n: usize) -> Vec<f64> {
    let net = net();
    let mut a = vec![0.0; n * n];
    for i in 0..n {
        for j in 0..n {
            a[i * n + j] = net
                .kernels(&x[i * D..(i + 1) * D], &x[j * D..(j + 1) * D])
                .unwrap()
                .ntk;
        }
        a[i * n + i] += RIDGE;
    }
    a
}

/// The host's threads (`std::thread::available_parallelism`).
fn all_threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

fn bench(c: &mut Criterion) {
    for n in [16usize, 64, 256] {
        let (x, y, t) = problem(n);
        let a = gram(&x, n);
        // Factor + solve on the Gram matrix (A = K + λI already holds the
        // ridge: absolute ridge 0), through `regression::Precomputed`.
        c.bench_function(&format!("cholesky_factor_solve/{n}"), |b| {
            b.iter_batched_ref(
                || (a.clone(), vec![0.0; n]),
                |(m, alpha)| {
                    Precomputed::fit(RowMajor(m, n), n, &y, Ridge::Absolute(0.0), alpha).unwrap();
                },
                BatchSize::LargeInput,
            )
        });
        let mut buf = vec![0.0; Workspace::<f64>::required_len(n, D, 1)];
        let mut out = vec![0.0; N_TEST];
        let mut work = vec![0.0; n * N_TEST];
        // One thread, then all (feature `std`: `Model::set_threads`).
        for (name, threads) in [("fit_predict", 1), ("fit_predict_threads", all_threads())] {
            c.bench_function(&format!("{name}/{n}"), |b| {
                b.iter(|| {
                    let ws = Workspace::new(&mut buf, n, D, 1).unwrap();
                    let mut reg = SliceRegressor::with_storage(
                        net(),
                        Regime::Ntk,
                        Ridge::Absolute(RIDGE),
                        ws,
                    )
                    .unwrap();
                    reg.set_threads(threads).unwrap();
                    reg.fit_rows(black_box(&x), black_box(&y)).unwrap();
                    reg.means_into(black_box(&t), &mut out, &mut work).unwrap();
                    black_box(&out);
                })
            });
        }
    }
    parts(c, 256);
    scaling(c);
    workers(c, 256);
    eigenbasis(c);
    // Online insertion of the 256th point into a 255-point fit.
    let (x, y, _) = problem(256);
    let mut base = Box::new(
        Regressor::<f64, 256, D>::new(net(), Regime::Ntk, Ridge::Absolute(RIDGE)).unwrap(),
    );
    base.fit_rows(&x[..255 * D], &y[..255]).unwrap();
    let (last_x, last_y): ([f64; D], [f64; 1]) = (x[255 * D..].try_into().unwrap(), [y[255]]);
    c.bench_function("online_insert/256", |b| {
        b.iter_batched_ref(
            || base.clone(),
            |r| r.insert(black_box(last_x), black_box(last_y)).unwrap(),
            BatchSize::LargeInput,
        )
    });
    c.bench_function("online_push_sliding/256", |b| {
        let mut full = base.clone();
        full.insert(last_x, last_y).unwrap();
        b.iter_batched_ref(
            || full.clone(),
            |r| r.push(black_box(last_x), black_box(last_y)).unwrap(),
            BatchSize::LargeInput,
        )
    });
}

/// The stages of fit + predict at n training points, as `Model` runs them.
fn parts(c: &mut Criterion, n: usize) {
    let (x, y, t) = problem(n);
    let gram = Gram::new(net());
    let (train, test) = (Points::new(&x, D).unwrap(), Points::new(&t, D).unwrap());
    let mut k = vec![0.0; n * n];
    c.bench_function(&format!("fit_predict_parts/gram_train/{n}"), |b| {
        b.iter(|| {
            gram.symmetric(black_box(&train), Output::ntk(RowMajor(&mut k, n)))
                .unwrap()
        })
    });
    let a = {
        let mut a = k.clone();
        (0..n).for_each(|i| a[i * n + i] += RIDGE);
        a
    };
    // The factor and the triangular solves together (`Precomputed::fit`).
    c.bench_function(&format!("fit_predict_parts/factor_solve/{n}"), |b| {
        b.iter_batched_ref(
            || (a.clone(), vec![0.0; n]),
            |(m, alpha)| {
                Precomputed::fit(
                    RowMajor(m, n),
                    n,
                    black_box(&y),
                    Ridge::Absolute(0.0),
                    alpha,
                )
                .unwrap();
            },
            BatchSize::LargeInput,
        )
    });
    let mut alpha = vec![0.0; n];
    Precomputed::fit(
        RowMajor(&mut a.clone(), n),
        n,
        &y,
        Ridge::Absolute(0.0),
        &mut alpha,
    )
    .unwrap();
    let mut ks = vec![0.0; N_TEST * n];
    c.bench_function(&format!("fit_predict_parts/gram_test/{n}"), |b| {
        b.iter(|| {
            gram.matrix(black_box(&test), &train, Output::ntk(RowMajor(&mut ks, n)))
                .unwrap()
        })
    });
    let mut out = vec![0.0; N_TEST];
    c.bench_function(&format!("fit_predict_parts/k_alpha/{n}"), |b| {
        b.iter(|| {
            // As `Model::means_into` does it (one output).
            for (row, o) in ks.chunks_exact(n).zip(out.iter_mut()) {
                *o = 0.0;
                for (&ki, &ai) in row.iter().zip(&alpha) {
                    *o += ki * ai;
                }
            }
            black_box(&out);
        })
    });
}

/// The fit alone on one thread and on all, at larger n (how the pipeline scales).
fn scaling(c: &mut Criterion) {
    let mut group = c.benchmark_group("fit_scaling");
    group.sample_size(10);
    for n in [512usize, 1024] {
        let (x, y, _) = problem(n);
        let mut buf = vec![0.0; Workspace::<f64>::required_len(n, D, 1)];
        for threads in [1, all_threads()] {
            group.bench_function(format!("{threads}/{n}"), |b| {
                let ws = Workspace::new(&mut buf, n, D, 1).unwrap();
                let mut reg =
                    SliceRegressor::with_storage(net(), Regime::Ntk, Ridge::Absolute(RIDGE), ws)
                        .unwrap();
                reg.set_threads(threads).unwrap();
                b.iter(|| reg.fit_rows(black_box(&x), black_box(&y)).unwrap())
            });
        }
    }
    group.finish();
}

/// The eigendecomposition of A for finite-time predictions at n = 256: the
/// heap regressor's (nalgebra's tridiagonal QL) against the in-place cyclic
/// Jacobi of `eigenbasis_into` (`eigenbasis/<solver>/<n>`).
fn eigenbasis(c: &mut Criterion) {
    let mut group = c.benchmark_group("eigenbasis");
    group.sample_size(10);
    let n = 256;
    let (x, y, _) = problem(n);
    let mut reg =
        VecRegressor::with_capacity(net(), Regime::Ntk, Ridge::Absolute(RIDGE), n, D, 1).unwrap();
    reg.fit_rows(&x, &y).unwrap();
    group.bench_function(format!("heap_ql/{n}"), |b| {
        b.iter(|| reg.eigenbasis().unwrap())
    });
    let (mut a, mut v, mut e) = (vec![0.0; n * n], vec![0.0; n * n], vec![0.0; n]);
    group.bench_function(format!("jacobi/{n}"), |b| {
        b.iter(|| {
            reg.eigenbasis_into(&mut a, &mut v, &mut e).unwrap();
        })
    });
    group.finish();
}

/// Fit + predict at N = `n` on two threads, the pipeline's jobs on the
/// crate's pooled workers against rayon's global pool
/// (`regression::bench_rayon_workers`), alternating in one run (three
/// rounds, so that drift of a shared machine shows as spread).
fn workers(c: &mut Criterion, n: usize) {
    let (x, y, t) = problem(n);
    let mut group = c.benchmark_group("workers");
    let mut buf = vec![0.0; Workspace::<f64>::required_len(n, D, 1)];
    let (mut out, mut work) = (vec![0.0; N_TEST], vec![0.0; n * N_TEST]);
    for round in 0..3 {
        for (name, rayon) in [("pool", false), ("rayon", true)] {
            ntk::regression::bench_rayon_workers(rayon);
            group.bench_function(format!("{name}/{round}/{n}"), |b| {
                b.iter(|| {
                    let ws = Workspace::new(&mut buf, n, D, 1).unwrap();
                    let ridge = Ridge::Absolute(RIDGE);
                    let mut reg =
                        SliceRegressor::with_storage(net(), Regime::Ntk, ridge, ws).unwrap();
                    reg.set_threads(2).unwrap();
                    reg.fit_rows(black_box(&x), black_box(&y)).unwrap();
                    reg.means_into(black_box(&t), &mut out, &mut work).unwrap();
                    black_box(&out);
                })
            });
        }
    }
    ntk::regression::bench_rayon_workers(false);
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);

//! Gram fill speed: symmetric K(X, X), NNGP + NTK of 3×[Dense, Relu] + Dense,
//! d = 64, n ∈ {256, 1024, 2048, 4096}, f32 and f64, one thread and all cores
//! (rayon over round-robin blocks, `tests/common/parallel.rs`); and the vector
//! acos throughput; and the fill rate per activation (`gram_act_f32`,
//! `gram_act_f64`: n = 1024, d = 64, depth 3, one thread, NNGP + NTK); and
//! ReLU against erf at n = 2048 (`gram_2048_f32`, `gram_2048_f64`: depth 3,
//! one thread), the figures that block and stack sizes are judged by.
//!
//!     cargo bench --bench gram                       # default x86_64 (SSE2)
//!     RUSTFLAGS="-C target-cpu=native" cargo bench --bench gram --target-dir target/native
//!     cargo bench --bench gram -- --test             # smoke: each once

use criterion::{black_box, criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use ntk::activation::polynomial::Polynomial;
use ntk::gram::{acos::acos_lanes, Gram, LaneReal, Output, Points, RowMajor};
use ntk::{Activation, Network};
use std::time::Duration;

#[path = "../tests/common/inputs.rs"]
mod inputs;
#[path = "../tests/common/parallel.rs"]
mod parallel;

const D: usize = 64;

/// The first n bench points (d = D, N(0, 1) coordinates, fixed seed).
fn bench_points<T: LaneReal>(n: usize) -> Vec<T> {
    let x = inputs::gaussian(n * D, inputs::SEED);
    x.iter().map(|&v| T::from_f64(v)).collect()
}

fn gram_bench<T: LaneReal>(c: &mut Criterion, name: &str) {
    let mut g = c.benchmark_group(format!("gram_{name}"));
    g.sample_size(10)
        .measurement_time(Duration::from_secs(3))
        .warm_up_time(Duration::from_millis(500));
    let gram = Gram::new(Network::<T>::new(3, Activation::Relu).unwrap());
    for n in [256usize, 1024, 2048, 4096] {
        let x = bench_points::<T>(n);
        let p = Points::new(&x, D).unwrap();
        let (mut s, mut t) = (vec![T::ZERO; n * n], vec![T::ZERO; n * n]);
        g.throughput(Throughput::Elements((n * n) as u64));
        g.bench_with_input(BenchmarkId::new("one_thread", n), &n, |b, &n| {
            b.iter(|| {
                gram.symmetric(&p, Output::both(RowMajor(&mut s, n), RowMajor(&mut t, n)))
                    .unwrap()
            })
        });
        g.bench_with_input(BenchmarkId::new("all_cores", n), &n, |b, _| {
            b.iter(|| parallel::par_symmetric(&gram, &p, &mut s, &mut t))
        });
    }
    g.finish();
}

/// The activations of the per-activation bench, with their bench names.
fn activations<T: LaneReal>() -> Vec<(&'static str, Activation<T>)> {
    let t = T::from_f64;
    vec![
        ("relu", Activation::Relu),
        ("abs", Activation::abs()),
        ("sign", Activation::Sign),
        ("step", Activation::Step),
        ("requ", Activation::Requ),
        ("erf", Activation::erf()),
        ("gelu", Activation::Gelu),
        (
            "sin",
            Activation::Sin {
                a: t(1.0),
                b: t(1.0),
                c: t(0.0),
            },
        ),
        ("cos", Activation::cos(t(1.0), t(1.0), t(0.0))),
        ("identity", Activation::Identity),
        ("rbf", Activation::Rbf(t(1.0))),
        (
            "exp",
            Activation::Exp {
                a: t(1.0),
                b: t(0.5),
            },
        ),
        (
            "gaussian",
            Activation::Gaussian {
                a: t(1.0),
                b: t(-1.0),
            },
        ),
        ("gabor", Activation::Gabor),
        ("monomial2", Activation::Monomial(2)),
        ("monomial3", Activation::Monomial(3)),
        ("hermite3", Activation::Hermite(3)),
        (
            "polynomial",
            Activation::Polynomial(Polynomial::new(&[t(0.5), t(1.0), t(-0.3), t(0.1)]).unwrap()),
        ),
        ("rect_monomial3", Activation::RectifiedMonomial(3)),
    ]
}

/// Symmetric K(X, X) of n points (d = 64, depth 3, one thread), one
/// benchmark per activation, NNGP + NTK.
fn symmetric_group<T: LaneReal>(
    c: &mut Criterion,
    group: String,
    (n, measure_ms, warm_ms): (usize, u64, u64),
    acts: Vec<(&str, Activation<T>)>,
) {
    let mut g = c.benchmark_group(group);
    g.sample_size(10)
        .measurement_time(Duration::from_millis(measure_ms))
        .warm_up_time(Duration::from_millis(warm_ms))
        .throughput(Throughput::Elements((n * n) as u64));
    let x = bench_points::<T>(n);
    let p = Points::new(&x, D).unwrap();
    let (mut s, mut t) = (vec![T::ZERO; n * n], vec![T::ZERO; n * n]);
    for (act_name, act) in acts {
        let gram = Gram::new(Network::<T>::new(3, act).unwrap());
        g.bench_function(act_name, |b| {
            b.iter(|| {
                gram.symmetric(&p, Output::both(RowMajor(&mut s, n), RowMajor(&mut t, n)))
                    .unwrap()
            })
        });
    }
    g.finish();
}

/// n = 1024, every activation.
fn gram_act_bench<T: LaneReal>(c: &mut Criterion, name: &str) {
    symmetric_group(
        c,
        format!("gram_act_{name}"),
        (1024, 1000, 300),
        activations::<T>(),
    );
}

/// n = 2048, ReLU and erf: the rate the tiles' block and stack sizes are judged by.
fn gram_2048_bench<T: LaneReal>(c: &mut Criterion, name: &str) {
    let acts = vec![("relu", Activation::<T>::Relu), ("erf", Activation::erf())];
    symmetric_group(c, format!("gram_2048_{name}"), (2048, 3000, 500), acts);
}

fn gram_2048_f32(c: &mut Criterion) {
    gram_2048_bench::<f32>(c, "f32");
}

fn gram_2048_f64(c: &mut Criterion) {
    gram_2048_bench::<f64>(c, "f64");
}

fn gram_act_f32(c: &mut Criterion) {
    gram_act_bench::<f32>(c, "f32");
}

fn gram_act_f64(c: &mut Criterion) {
    gram_act_bench::<f64>(c, "f64");
}

fn gram_f32(c: &mut Criterion) {
    gram_bench::<f32>(c, "f32");
}

fn gram_f64(c: &mut Criterion) {
    gram_bench::<f64>(c, "f64");
}

fn acos_throughput<T: LaneReal>(c: &mut Criterion, name: &str) {
    const LEN: usize = 4096;
    // 64 lanes per call: LLVM's loop vectoriser takes the loop (with 8 it is
    // fully unrolled first and the SLP vectoriser does much worse).
    const LANES: usize = 64;
    let xs: Vec<[T; LANES]> = (0..LEN / LANES)
        .map(|i| {
            core::array::from_fn(|l| T::from_f64(((i * LANES + l) as f64 / LEN as f64) * 2.0 - 1.0))
        })
        .collect();
    let mut out = vec![[T::ZERO; LANES]; LEN / LANES];
    let mut g = c.benchmark_group("acos");
    g.throughput(Throughput::Elements(LEN as u64));
    g.bench_function(name, |b| {
        b.iter(|| {
            for (o, x) in out.iter_mut().zip(black_box(&xs)) {
                acos_lanes(x, o);
            }
            black_box(&out);
        })
    });
    g.finish();
}

fn acos_bench(c: &mut Criterion) {
    acos_throughput::<f32>(c, "f32");
    acos_throughput::<f64>(c, "f64");
}

criterion_group!(
    benches,
    acos_bench,
    gram_f32,
    gram_f64,
    gram_act_f32,
    gram_act_f64,
    gram_2048_f32,
    gram_2048_f64
);
criterion_main!(benches);

//! The numerical activation's Gram fill rate against its quadrature degree:
//! tanh by n-point Gauss–Hermite, n = 8 … 64, a symmetric Gram of 64 points
//! (d = 16, depth 3, one thread), next to the closed-form erf for scale.
//! Each entry costs ≈ 2n² evaluations of φ and φ′ per layer.
//!
//! `cargo bench --bench numerical`

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use ntk::activation::numerical::Numerical;
use ntk::gram::{Gram, LaneReal, Output, Points, RowMajor};
use ntk::{Activation, Network};

fn fill<T: LaneReal>(c: &mut Criterion, name: &str) {
    let (n, d) = (64, 16);
    let xs: Vec<T> = (0..n * d)
        .map(|i| T::from_f64(((i * 37 % 101) as f64 / 50.0 - 1.0) * 0.8))
        .collect();
    let points = Points::new(&xs, d).unwrap();
    let mut group = c.benchmark_group(format!("numerical gram {name}"));
    group.sample_size(10);
    group.throughput(Throughput::Elements((n * (n + 1) / 2) as u64));
    let mut acts = vec![("erf (closed form)".to_string(), Activation::erf())];
    for degree in [8, 16, 32, 64] {
        let tanh = Numerical::tanh(degree).unwrap();
        acts.push((format!("tanh n={degree}"), Activation::Numerical(tanh)));
    }
    let (mut nngp, mut ntk) = (vec![T::ZERO; n * n], vec![T::ZERO; n * n]);
    for (label, act) in acts {
        let gram = Gram::new(Network::new(3, act).unwrap());
        group.bench_function(BenchmarkId::from_parameter(label), |b| {
            b.iter(|| {
                let out = Output::both(RowMajor(&mut nngp, n), RowMajor(&mut ntk, n));
                gram.symmetric(&points, out).unwrap()
            })
        });
    }
    group.finish();
}

fn benches(c: &mut Criterion) {
    fill::<f64>(c, "f64");
    fill::<f32>(c, "f32");
}

criterion_group!(numerical, benches);
criterion_main!(numerical);

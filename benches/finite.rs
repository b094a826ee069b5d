//! Finite-width networks: parameter draw, empirical NTK of a pair, and one
//! full-batch gradient-descent step at the eigenlearning experiments' size
//! (width 500, depth 4).
//!
//! `cargo bench --bench finite`

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use ntk::finite::{FiniteNetwork, Training};
use ntk::{Activation, Network, Real};
use rand_xoshiro::rand_core::SeedableRng;
use rand_xoshiro::Xoshiro256PlusPlus;
use std::hint::black_box;

fn relu<T: Real>(depth: usize) -> Network<T> {
    Network::new(depth, Activation::Relu)
        .unwrap()
        .with_std(T::TWO.sqrt(), Some(T::from_f64(0.1)))
        .unwrap()
}

fn init_and_ntk(c: &mut Criterion) {
    let fnet = FiniteNetwork::new(relu::<f64>(3), 3, 512).unwrap();
    let mut params = vec![0.0; fnet.param_len()];
    let mut work = vec![0.0; fnet.workspace_len(2)];
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(0);
    c.bench_function("init depth 3 width 512 (528k params)", |b| {
        b.iter(|| fnet.init(&mut params, &mut rng).unwrap())
    });
    let (x, z) = ([1.0, 0.5, -0.2], [0.3, 1.0, 0.4]);
    c.bench_function("empirical NTK pair depth 3 width 512", |b| {
        b.iter(|| fnet.kernels(&params, black_box(&x), &z, &mut work).unwrap())
    });
}

fn gd_step<T: Real>(c: &mut Criterion, name: &str) {
    let (d, width) = (8, 500);
    let fnet = FiniteNetwork::new(relu::<T>(4), d, width).unwrap();
    let mut group = c.benchmark_group(format!("gd step {name} depth 4 width 500"));
    group.sample_size(10);
    for n in [16, 64, 256] {
        let mut params = vec![T::ZERO; fnet.param_len()];
        let mut work = vec![T::ZERO; fnet.workspace_len(n)];
        fnet.init(&mut params, &mut Xoshiro256PlusPlus::seed_from_u64(1))
            .unwrap();
        let xs: Vec<T> = (0..n * d)
            .map(|i| T::from_f64(((i * 7919) % 13) as f64 / 13.0 - 0.5))
            .collect();
        let ys: Vec<T> = (0..n).map(|i| T::from_usize(i % 2)).collect();
        // One step = forward + backward + update, plus the forward that
        // checks the loss before it.
        let one_step = Training {
            learning_rate: T::from_f64(2e-3),
            max_steps: 1,
            tolerance: T::ZERO,
        };
        group.bench_with_input(BenchmarkId::from_parameter(n), &n, |b, _| {
            b.iter(|| {
                fnet.train(&mut params, &xs, &ys, None, &one_step, &mut work)
                    .unwrap()
            })
        });
    }
    group.finish();
}

fn gd(c: &mut Criterion) {
    gd_step::<f64>(c, "f64");
    gd_step::<f32>(c, "f32");
}

criterion_group!(benches, init_and_ntk, gd);
criterion_main!(benches);

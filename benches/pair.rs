//! The cost model: one pair through `Network::kernels` and `Gram::entry`
//! against one entry of a Gram tile (depth-3 ReLU NNGP + NTK, d = 64, f32 and
//! f64, one thread). Throughput is in kernel entries (pairs) per second.
//!
//!     cargo bench --bench pair
//!     cargo bench --bench pair -- --test     # smoke: each once

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use ntk::gram::{Gram, LaneReal, Output, Points, RowMajor};
use ntk::{Activation, Network};
use std::time::Duration;

#[path = "../tests/common/inputs.rs"]
mod inputs;

const D: usize = 64;
const N: usize = 256;

fn pair_bench<T: LaneReal>(c: &mut Criterion, name: &str) {
    let mut g = c.benchmark_group(format!("pair_{name}"));
    g.sample_size(10)
        .measurement_time(Duration::from_secs(2))
        .warm_up_time(Duration::from_millis(300))
        .throughput(Throughput::Elements((N * N) as u64));
    let net = Network::<T>::new(3, Activation::Relu).unwrap();
    let gram = Gram::new(net);
    let x: Vec<T> = inputs::gaussian(N * D, inputs::SEED)
        .iter()
        .map(|&v| T::from_f64(v))
        .collect();
    let rows: Vec<&[T]> = x.chunks(D).collect();
    g.bench_function("network_kernels", |b| {
        b.iter(|| {
            for xi in &rows {
                for zj in &rows {
                    black_box(net.kernels(xi, zj).unwrap());
                }
            }
        })
    });
    g.bench_function("gram_entry", |b| {
        b.iter(|| {
            for xi in &rows {
                for zj in &rows {
                    black_box(gram.entry(xi, zj).unwrap());
                }
            }
        })
    });
    let p = Points::new(&x, D).unwrap();
    let (mut s, mut t) = (vec![T::ZERO; N * N], vec![T::ZERO; N * N]);
    g.bench_function("gram_matrix", |b| {
        b.iter(|| {
            gram.matrix(
                &p,
                &p,
                Output::both(RowMajor(&mut s, N), RowMajor(&mut t, N)),
            )
            .unwrap()
        })
    });
    g.finish();
}

fn pairs(c: &mut Criterion) {
    pair_bench::<f32>(c, "f32");
    pair_bench::<f64>(c, "f64");
}

criterion_group!(benches, pairs);
criterion_main!(benches);

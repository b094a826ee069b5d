//! Times the Gram fill on one core and on all cores (rayon) and prints entries per second.
//!
//! ```sh
//! cargo run --release --example gram_timing -- [n] [d] [depth] [input.f64]
//! ```
//!
//! Computes NNGP + NTK of `depth`×[Dense, Relu] + Dense (neural-tangents
//! defaults: W_std = 1, no bias) on n points of dimension d, the symmetric
//! K(X, X) (n² entries, each unordered pair computed once), in f32 and f64.
//! The points are read from `input.f64` (n·d little-endian f64, row-major;
//! `scripts/bench_vs_nt.py` writes it) or drawn N(0, 1) with a fixed seed.
//! Output lines: `<precision> n=<n> d=<d> depth=<L> threads=<k> seconds=<t> entries_per_s=<r>`.

use ntk::gram::{Gram, LaneReal, Output, Points};
use ntk::{Activation, Network};
use std::time::Instant;

#[path = "../tests/common/inputs.rs"]
mod inputs;
#[path = "../tests/common/parallel.rs"]
mod parallel;

/// Best of repeated runs of `f` (after one warm-up) until ≥ 1 s has passed.
fn best_seconds(mut f: impl FnMut()) -> f64 {
    f();
    let (mut best, mut total) = (f64::INFINITY, 0.0);
    while total < 1.0 {
        let t = Instant::now();
        f();
        let s = t.elapsed().as_secs_f64();
        best = best.min(s);
        total += s;
    }
    best
}

fn time<T: LaneReal>(
    name: &str,
    data: &[f64],
    n: usize,
    d: usize,
    depth: usize,
) -> Result<(), ntk::Error> {
    let x: Vec<T> = data.iter().map(|&v| T::from_f64(v)).collect();
    let points = Points::new(&x, d)?;
    let gram = Gram::new(Network::<T>::new(depth, Activation::Relu)?);
    let (mut nngp, mut ntk) = (vec![T::ZERO; n * n], vec![T::ZERO; n * n]);
    let one = best_seconds(|| {
        gram.symmetric(&points, Output::both(&mut nngp, &mut ntk, n))
            .expect("valid call")
    });
    let all = best_seconds(|| {
        parallel::par_symmetric(&gram, &points, &mut nngp, &mut ntk);
    });
    for (threads, best) in [(1, one), (rayon::current_num_threads(), all)] {
        println!(
            "{name} n={n} d={d} depth={depth} threads={threads} seconds={best:.6} entries_per_s={:.4e}",
            (n * n) as f64 / best
        );
    }
    Ok(())
}

fn main() -> Result<(), ntk::Error> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let arg =
        |i: usize, default: usize| args.get(i).and_then(|s| s.parse().ok()).unwrap_or(default);
    let (n, d, depth) = (arg(0, 2048), arg(1, 64), arg(2, 3));
    let data = match args.get(3) {
        Some(path) => std::fs::read(path)
            .expect("read input file")
            .chunks_exact(8)
            .map(|b| f64::from_le_bytes(b.try_into().expect("8 bytes")))
            .collect(),
        None => inputs::gaussian(n * d, inputs::SEED),
    };
    assert_eq!(data.len(), n * d, "input must hold n·d values");
    time::<f32>("f32", &data, n, d, depth)?;
    time::<f64>("f64", &data, n, d, depth)?;
    Ok(())
}

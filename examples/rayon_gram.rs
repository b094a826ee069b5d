//! Fills an n×n symmetric Gram matrix (NNGP + NTK, f32, n = 20 000 by default:
//! 4·10⁸ entries each, 3.2 GB) with `ntk::gram::par::symmetric` on all cores
//! and on one core, interleaved `reps` times, and prints the medians and the
//! speed-up.
//!
//! ```sh
//! cargo run --release --example rayon_gram -- [n] [reps]
//! ```
//!
//! The rows are cut into groups (2 per thread); a block of two groups is one
//! `Gram::tile_and_transpose` call (each pair once, written at (i, j) and
//! (j, i)), and the blocks run in rounds of a round-robin tournament so that
//! parallel tasks own disjoint rows (module doc of `ntk::gram::par`). The
//! network is 3×[Dense, Relu] + Dense, the points N(0, 1) in d = 64.

use ntk::gram::{par, Gram, Output, Points, RowMajor};
use ntk::{Activation, Network};
use std::time::Instant;

#[path = "../tests/common/inputs.rs"]
mod inputs;

const D: usize = 64;

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() -> Result<(), ntk::Error> {
    let mut args = std::env::args().skip(1);
    let n: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(20_000);
    let reps: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(3);
    let x: Vec<f32> = inputs::gaussian(n * D, inputs::SEED)
        .iter()
        .map(|&v| v as f32)
        .collect();
    let points = Points::new(&x, D)?;
    let gram = Gram::new(Network::<f32>::new(3, Activation::Relu)?);
    // NaN-filled: every page is mapped before timing, and every entry must be overwritten.
    let (mut nngp, mut ntk) = (vec![f32::NAN; n * n], vec![f32::NAN; n * n]);
    let all = std::thread::available_parallelism().map_or(1, |c| c.get());
    let pools: Vec<_> = [1, all]
        .iter()
        .map(|&t| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(t)
                .build()
                .expect("thread pool")
        })
        .collect();
    let mut times = [Vec::new(), Vec::new()];
    for rep in 0..reps {
        for (k, pool) in pools.iter().enumerate() {
            let out = Output::both(RowMajor(&mut nngp, n), RowMajor(&mut ntk, n));
            let t = Instant::now();
            pool.install(|| par::symmetric(&gram, &points, out))?;
            let s = t.elapsed().as_secs_f64();
            println!(
                "rep {rep}: {} thread(s) {s:.3} s",
                pool.current_num_threads()
            );
            times[k].push(s);
        }
    }
    let (one, many) = (median(&mut times[0]), median(&mut times[1]));
    println!(
        "n = {n}, d = {D}, depth 3 ReLU, f32, NNGP + NTK, medians of {reps} interleaved runs: \
         1 thread {one:.3} s, {all} threads {many:.3} s, speed-up {:.2}×",
        one / many
    );
    let filled = nngp.iter().chain(&ntk).all(|v| v.is_finite());
    println!(
        "check: all entries written and finite: {filled}; Θ[0][1] = {:e} = Θ[1][0] = {:e}",
        ntk[1], ntk[n]
    );
    Ok(())
}

//! Fills an n×n symmetric Gram matrix (NNGP + NTK, f32, n = 20 000 by default:
//! 4·10⁸ entries each, 3.2 GB) on all cores with rayon, and on one core, and
//! prints the speed-up.
//!
//! ```sh
//! cargo run --release --example rayon_gram -- [n]
//! ```
//!
//! The rows are cut into groups (2 per thread); a block of two groups is one
//! [`Gram::tile_and_transpose`] call (each pair once, written at (i, j) and
//! (j, i)), and the blocks run in rounds of a round-robin tournament so that
//! parallel tasks own disjoint rows (`tests/common/parallel.rs`). The network
//! is 3×[Dense, Relu] + Dense, the points N(0, 1) in d = 64.

use ntk::gram::{Gram, Points};
use ntk::{Activation, Network};
use std::time::Instant;

#[path = "../tests/common/inputs.rs"]
mod inputs;
#[path = "../tests/common/parallel.rs"]
mod parallel;

const D: usize = 64;

fn main() -> Result<(), ntk::Error> {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(20_000);
    let x: Vec<f32> = inputs::gaussian(n * D, inputs::SEED)
        .iter()
        .map(|&v| v as f32)
        .collect();
    let points = Points::new(&x, D)?;
    let gram = Gram::new(Network::<f32>::new(3, Activation::Relu)?);
    // NaN-filled: every page is mapped before timing, and every entry must be overwritten.
    let (mut nngp, mut ntk) = (vec![f32::NAN; n * n], vec![f32::NAN; n * n]);
    let mut run = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .expect("thread pool");
        let t = Instant::now();
        pool.install(|| parallel::par_symmetric(&gram, &points, &mut nngp, &mut ntk));
        let s = t.elapsed().as_secs_f64();
        println!(
            "{threads} thread(s): {s:.3} s ({:.3e} entries/s per kernel)",
            (n * n) as f64 / s
        );
        s
    };
    let all = rayon::current_num_threads();
    let one = run(1);
    let many = run(all);
    println!(
        "n = {n}, d = {D}, depth 3 ReLU, f32, NNGP + NTK: speed-up on {all} threads = {:.2}×",
        one / many
    );
    let filled = nngp.iter().chain(&ntk).all(|v| v.is_finite());
    println!(
        "check: all entries written and finite: {filled}; Θ[0][1] = {:e} = Θ[1][0] = {:e}",
        ntk[1], ntk[n]
    );
    Ok(())
}

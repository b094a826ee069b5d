//! The benches' inputs: N(0, 1) coordinates from a fixed seed (Box–Muller on
//! xoshiro256++). Shared by `tests/gram.rs`, `benches/gram.rs` and the examples.

use rand_core::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;

/// The seed of every bench input.
pub const SEED: u64 = 42;

/// `len` standard normal samples from `seed`.
pub fn gaussian(len: usize, seed: u64) -> Vec<f64> {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    let mut u = || (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
    (0..len)
        .map(|_| {
            let (a, b) = (u().max(1e-300), u());
            (-2.0 * a.ln()).sqrt() * (2.0 * std::f64::consts::PI * b).cos()
        })
        .collect()
}

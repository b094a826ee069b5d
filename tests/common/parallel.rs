//! Sharding a symmetric Gram matrix over rayon's thread pool (benches and examples).

use ntk::gram::{mirror_upper, Gram, LaneReal, Output, Points, Tile};
use rayon::prelude::*;

/// Rows per band: one row block of the tile driver, small enough for work
/// stealing to balance the triangle.
pub const BAND: usize = 64;

/// The symmetric NNGP and NTK K(X, X) (n×n, row-major) on all of rayon's threads:
/// row bands compute their upper part (each pair once), then the lower
/// triangle is mirrored. Returns the seconds spent in the mirror.
pub fn par_symmetric<T: LaneReal>(
    gram: &Gram<T>,
    x: &Points<'_, T>,
    nngp: &mut [T],
    ntk: &mut [T],
) -> f64 {
    let n = x.len();
    nngp.par_chunks_mut(BAND * n)
        .zip(ntk.par_chunks_mut(BAND * n))
        .enumerate()
        .for_each(|(b, (s, t))| {
            let r0 = b * BAND;
            let tile = Tile::new(r0..(r0 + BAND).min(n), r0..n);
            gram.symmetric_tile(x, tile, Output::both(&mut s[r0..], &mut t[r0..], n))
                .expect("valid tile");
        });
    let t = std::time::Instant::now();
    rayon::join(
        || mirror_upper(nngp, n, n).expect("n×n"),
        || mirror_upper(ntk, n, n).expect("n×n"),
    );
    t.elapsed().as_secs_f64()
}

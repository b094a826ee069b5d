//! The symmetric Gram on all of rayon's threads, for benches, examples and
//! tests: the library's round-robin schedule (`ntk::gram::par`) on two
//! row-major n×n buffers.

use ntk::gram::{par, Gram, LaneReal, Output, Points, RowMajor};

/// The symmetric NNGP and NTK K(X, X) (n×n, row-major) on all of rayon's threads.
pub fn par_symmetric<T: LaneReal>(
    gram: &Gram<T>,
    x: &Points<'_, T>,
    nngp: &mut [T],
    ntk: &mut [T],
) {
    let n = x.len();
    let out = Output::both(RowMajor(nngp, n), RowMajor(ntk, n));
    par::symmetric(gram, x, out).expect("valid Gram inputs");
}

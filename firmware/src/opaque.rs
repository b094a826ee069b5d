//! Inputs the optimizer cannot see through, for the `fp_*` binaries: a proof
//! that no panic path survives then holds for any input, not one constant.

use core::hint::black_box;
use ntk::{Activation, Network, Real, Result};

/// `v` as T, opaque.
pub fn value<T: Real>(v: f64) -> T {
    black_box(T::from_f64(v))
}

/// A ReLU network of opaque depth (`depth`), σ_w = 1.5 and σ_b = 0.05.
pub fn network<T: Real>(depth: usize) -> Result<Network<T>> {
    Network::<T>::new(black_box(depth), Activation::Relu)?.with_std(value(1.5), Some(value(0.05)))
}

/// Ends the run: exit status 0 iff both precisions gave a finite result.
pub fn finish<A: Real, B: Real>(a: Result<A>, b: Result<B>) -> ! {
    crate::board::exit(matches!((a, b), (Ok(a), Ok(b)) if a.is_finite() && b.is_finite()))
}

//! No-panic proof of the eigenlearning API in f32 and f64: the κ solver
//! (`Spectrum::modes`/`levels`/`with_tail`, `solve`), the learnabilities and
//! the predicted errors of a `Target`, on opaque input. Not the per-level
//! accessors (`eigenvalue(l)`, `multiplicity(l)`, `learnability(l)`,
//! `weight(l)`): like slice indexing they panic, by their contract, for
//! l ≥ len.
//! Links only while no panicking path is reachable (`no_panic.rs`).
#![no_std]
#![no_main]

use core::hint::black_box;
use ntk::eigenlearning::{Spectrum, Target};
use ntk::Real;
use ntk_firmware::opaque::{finish, network, value};

#[path = "../no_panic.rs"]
mod no_panic;

const L: usize = 16;

#[inline(never)] // one precision's frame at a time (16 KiB RAM boards)
fn exercise<T: Real>() -> ntk::Result<T> {
    let f = value::<T>;
    let lam: [T; L] = black_box(core::array::from_fn(|i| {
        T::from_f64(1.0 / ((i + 1) * (i + 1)) as f64)
    }));
    let mult: [T; L] = black_box(core::array::from_fn(|i| T::from_usize(2 * i + 1)));
    let len = black_box(L).min(L);
    let modes = Spectrum::modes(&lam[..len])?;
    let levels = Spectrum::levels(&lam[..len], &mult[..len])?.with_tail(f(1e-3))?;
    let mut sum = T::ZERO;
    for s in [modes, levels] {
        let sol = s.solve(f(10.0), f(1e-3))?;
        let mut l = [T::ZERO; L];
        sol.learnabilities(&mut l[..len])?;
        let weights: [T; L] = black_box(core::array::from_fn(|i| T::ONE / T::from_usize(1 << i)));
        let target = Target::level_weights(&weights[..len])?.with_noise(f(0.01))?;
        sum += sol.kappa()
            + l[black_box(3) % L]
            + sol.learnability_sum()
            + sol.overfitting()
            + sol.test_mse(&target)?
            + sol.train_mse(&target)?
            + sol.bias(&target)?
            + sol.variance(&target)?
            + sol.target_learnability(&target)?
            + sol.dkappa_dridge()
            + sol.dkappa_dn();
    }
    Ok(sum)
}

#[ntk_firmware::board::entry]
fn main() -> ! {
    finish(exercise::<f32>(), exercise::<f64>())
}

//! No-panic proof of the regressor's whole API in f32 and f64: `new`, `fit`,
//! `insert`, `push`, `remove`, `predict`, `predict_at` (finite time, with
//! `eigenbasis`), `predict_with_variance`, `covariance`, `loo_residuals`,
//! `choose_ridge`, on opaque input (any regime, ridge, data, lengths, indices).
#![no_std]
#![no_main]

use core::hint::black_box;
use ntk::gram::LaneReal;
use ntk::regression::{Regime, Regressor, Ridge, Time};
use ntk_firmware::opaque::{finish, network, value};

#[path = "../no_panic.rs"]
mod no_panic;

const N: usize = 8;
const D: usize = 3;

#[inline(never)] // one precision's frame at a time (16 KiB RAM boards)
fn exercise<T: LaneReal>() -> ntk::Result<T> {
    let f = value::<T>;
    let net = network::<T>(3)?;
    let regime = if black_box(true) {
        Regime::Ntk
    } else {
        Regime::Nngp
    };
    let ridge = if black_box(true) {
        Ridge::Absolute(f(1e-2))
    } else {
        Ridge::RelativeToMeanDiagonal(f(1e-2))
    };
    let mut reg = Regressor::<T, N, D>::new(net, regime, ridge)?;
    let xs: [[T; D]; N] = black_box(core::array::from_fn(|i| {
        [f(i as f64 * 0.3), f(1.0 - i as f64 * 0.1), f(0.5)]
    }));
    let ys: [[T; 1]; N] = black_box(core::array::from_fn(|i| [f(i as f64 * 0.2 - 0.5)]));
    let n = black_box(6usize).min(N);
    reg.fit(&xs[..n], &ys[..n])?;
    let q = black_box([f(0.25), f(-0.5), f(0.75)]);
    let mut sum = reg.predict(&q)?[0];
    reg.insert(xs[black_box(6) % N], ys[black_box(6) % N])
        .map_err(|r| r.error)?;
    reg.push(xs[black_box(7) % N], ys[black_box(7) % N])
        .map_err(|r| r.error)?;
    reg.remove(black_box(2))?;
    let (mean, var) = reg.predict_with_variance(&q)?;
    sum += mean[0] + var + reg.covariance(&q, &xs[0], &Time::Infinite)?;
    let basis = reg.eigenbasis()?;
    let time = basis.at(f(10.0), f(1.0));
    sum += reg.predict_at(&q, &time)?[0] + reg.covariance(&q, &q, &time)?;
    let (_, loo) = reg.loo_residuals()?;
    let grid = black_box([f(1e-3), f(1e-2), f(1e-1)]);
    let (chosen, mse) = reg.choose_ridge(&grid[..black_box(3usize).min(3)])?;
    Ok(sum + loo + mse + chosen.value())
}

#[ntk_firmware::board::entry]
fn main() -> ! {
    finish(exercise::<f32>(), exercise::<f64>())
}

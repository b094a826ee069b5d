//! Footprint of kernel regression: fit N = 8 points and predict once, f32,
//! depth-3 ReLU, on opaque data. Links against `no_panic.rs`, so it builds
//! only while no panicking path is reachable from `Regressor::fit`/`predict`.
#![no_std]
#![no_main]

use core::hint::black_box;
use ntk_firmware::{cases, learn};

#[path = "../no_panic.rs"]
mod no_panic;

#[ntk_firmware::board::entry]
fn main() -> ! {
    let (xs, ys) = black_box(cases::training::<f32, 8>());
    let q = black_box([0.25f32, -0.5, 0.75]);
    let p = learn::fit::<f32, 8>(&xs, &ys).and_then(|m| learn::predict(&m, &q));
    ntk_firmware::board::exit(matches!(p, Ok(v) if v.is_finite()))
}

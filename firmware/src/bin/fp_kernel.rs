//! Footprint of one kernel entry: `Network::new(L, Relu)`, `with_std`,
//! `kernels` in f32, all on opaque input (any depth, parameters, lengths).
#![no_std]
#![no_main]

use core::hint::black_box;
use ntk::{Activation, Network};

#[path = "../no_panic.rs"]
mod no_panic;

#[ntk_firmware::board::entry]
fn main() -> ! {
    let x = black_box([1.0f32, 0.5, -0.25, 2.0]);
    let z = black_box([-0.75f32, 1.5, 0.125, 0.5]);
    let (nx, nz) = (black_box(4), black_box(4));
    let k = Network::<f32>::new(black_box(3), Activation::Relu)
        .and_then(|n| n.with_std(black_box(1.5), black_box(Some(0.05))))
        .and_then(|n| n.kernels(&x[..nx.min(4)], &z[..nz.min(4)]));
    ntk_firmware::board::exit(matches!(k, Ok(k) if k.ntk.is_finite()))
}

//! Footprint of kernel regression: fit N = 8 points and predict once, f32,
//! depth-3 ReLU, on opaque data.
//!
//! Not yet panic-free: `ntk::linalg::cholesky` indexes strided slices, and
//! the optimizer cannot remove all of those bounds checks. This binary
//! therefore exits with failure on a panic instead of failing the link;
//! scripts/embedded.sh counts and prints its panic call sites. Include
//! `no_panic.rs` instead once they are gone.
#![no_std]
#![no_main]

use core::hint::black_box;
use ntk_firmware::{cases, learn};

#[path = "../footprint.rs"]
mod footprint;

#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! {
    footprint::finish(false)
}

#[cortex_m_rt::entry]
fn main() -> ! {
    let (xs, ys) = black_box(cases::training::<f32, 8>());
    let q = black_box([0.25f32, -0.5, 0.75]);
    let p = learn::fit::<f32, 8>(&xs, &ys).and_then(|m| learn::predict(&m, &q));
    footprint::finish(matches!(p, Ok(v) if v.is_finite()))
}

//! Footprint baseline: start-up, one opaque value, the semihosting exit.
#![no_std]
#![no_main]

#[path = "../footprint.rs"]
mod footprint;
#[path = "../no_panic.rs"]
mod no_panic;

#[cortex_m_rt::entry]
fn main() -> ! {
    footprint::finish(core::hint::black_box(1.0f32).is_finite())
}

//! Footprint baseline: start-up, one opaque value, the semihosting exit.
#![no_std]
#![no_main]

#[path = "../no_panic.rs"]
mod no_panic;

#[ntk_firmware::board::entry]
fn main() -> ! {
    ntk_firmware::board::exit(core::hint::black_box(1.0f32).is_finite())
}

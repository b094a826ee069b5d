//! The panic handler of an `fp_*` binary not yet proven panic-free: a panic
//! ends the run with status 1, and scripts/embedded.sh lists the binary's
//! panic call sites. Proven, the binary takes `no_panic.rs` instead.

#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! {
    ntk_firmware::board::exit(false)
}

//! The panic handler of the `fp_*` binaries that prove an API panic-free.
//!
//! It calls a function that exists nowhere, so a binary links only if the
//! optimizer removed every panicking path: with opaque input, that holds for
//! valid and invalid input alike.

#[cfg(not(feature = "find-panics"))]
#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! {
    extern "Rust" {
        /// Deliberately undefined: a surviving panic path fails the link.
        fn ntk_panic_path_is_reachable() -> !;
    }
    // SAFETY: never runs; the program does not link if this is reachable.
    unsafe { ntk_panic_path_is_reachable() }
}

/// With `--features find-panics` the binaries link anyway, so that
/// `llvm-objdump`/`llvm-addr2line` can show where the panic calls are.
#[cfg(feature = "find-panics")]
#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! {
    ntk_firmware::board::exit(false)
}

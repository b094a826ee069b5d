//! Shared by the `fp_*` binaries: minimal programs that call one part of the
//! `ntk` API on opaque (`black_box`) input, without the test harness's
//! formatting. Their sizes minus `fp_base`'s are the library's flash cost.
//!
//! Their panic handler calls a function that exists nowhere, so a binary
//! links only if the optimizer removed every panicking path: with opaque
//! input, that holds for valid and invalid input alike.

use cortex_m_semihosting::debug;

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
    finish(false)
}

/// Ends the QEMU run: exit status 0 if `ok`.
pub fn finish(ok: bool) -> ! {
    debug::exit(if ok {
        debug::EXIT_SUCCESS
    } else {
        debug::EXIT_FAILURE
    });
    #[allow(clippy::empty_loop)]
    loop {}
}

//! Shared by the `fp_*` binaries: minimal programs that call one part of the
//! `ntk` API on opaque (`black_box`) input, without the test harness's
//! formatting. Their sizes minus `fp_base`'s are the library's flash cost.

use cortex_m_semihosting::debug;

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

//! The board layer: everything that differs between the cores the firmware
//! runs on, behind one interface. `cortex_m` serves the Arm boards
//! (Cortex-M0/M3/M4F/M33), `riscv` the RISC-V one (`riscv32imac`).
//!
//! * [`entry`]: the attribute of the firmware's `main`.
//! * [`hprintln!`]: a line to the host's standard output (semihosting).
//! * [`exit`]: ends the QEMU run with exit status 0 or 1.
//! * [`Clock`]: counts guest instructions (QEMU with `-icount shift=0`).
//! * [`stack_pointer`], [`free_ram_start`]: for the stack high-water mark.
//! * [`fault_handler!`]: a fault ends the run with status 1 instead of hanging.
//! * [`NAME`]: the core and the QEMU machine.

#[cfg(target_arch = "arm")]
mod cortex_m;
#[cfg(target_arch = "arm")]
pub use self::cortex_m::*;

#[cfg(target_arch = "riscv32")]
mod riscv;
#[cfg(target_arch = "riscv32")]
pub use self::riscv::*;

/// Ends the QEMU run through semihosting: exit status 0 if `success`, else 1.
pub fn exit(success: bool) -> ! {
    debug::exit(if success {
        debug::EXIT_SUCCESS
    } else {
        debug::EXIT_FAILURE
    });
    #[allow(clippy::empty_loop)]
    loop {}
}

/// The first free RAM word after `.bss`: `__sheap`, which cortex-m-rt and
/// riscv-rt both define.
pub fn free_ram_start() -> usize {
    extern "C" {
        static __sheap: u32;
    }
    core::ptr::addr_of!(__sheap) as usize
}

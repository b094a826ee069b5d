//! RISC-V boards: riscv-rt start-up, riscv-semihosting, `minstret`.

pub(super) use riscv_semihosting::debug;

pub use riscv_rt::entry;
pub use riscv_semihosting::hprintln;

/// The core and the QEMU machine of this build.
pub const NAME: &str = "RISC-V rv32imac (sifive_e, 16 KiB RAM)";

/// An instruction count from `minstret`, exact under QEMU's `-icount`
/// (without it QEMU returns host time).
pub struct Clock {
    start: u64,
}

impl Clock {
    /// The instruction counter (always available).
    pub fn take() -> Option<Self> {
        Some(Clock { start: 0 })
    }

    /// Starts a span.
    #[inline(always)]
    pub fn restart(&mut self) {
        self.start = riscv::register::minstret::read64();
    }

    /// Instructions since [`Clock::restart`].
    #[inline(always)]
    pub fn elapsed(&self) -> u64 {
        riscv::register::minstret::read64().wrapping_sub(self.start)
    }
}

/// The current stack pointer.
#[inline(always)]
pub fn stack_pointer() -> usize {
    let sp: usize;
    // SAFETY: reads a register; no memory, stack or flags touched.
    unsafe { core::arch::asm!("mv {}, sp", out(reg) sp, options(nomem, nostack, preserves_flags)) };
    sp
}

/// Defines the exception handler: prints the cause and exits with status 1.
#[macro_export]
macro_rules! fault_handler {
    () => {
        #[export_name = "ExceptionHandler"]
        fn exception_handler(frame: &riscv_rt::TrapFrame) -> ! {
            $crate::board::hprintln!(
                "exception: mcause {:#x} mepc {:#x} ra {:#x}",
                riscv::register::mcause::read().bits(),
                riscv::register::mepc::read(),
                frame.ra
            );
            $crate::board::exit(false)
        }
    };
}

//! Cortex-M boards: cortex-m-rt start-up, cortex-m-semihosting, SysTick.

use cortex_m::peripheral::{syst::SystClkSource, SYST};
pub(super) use cortex_m_semihosting::debug;

pub use cortex_m_rt::entry;
pub use cortex_m_semihosting::hprintln;

/// The core and the QEMU machine of this build.
pub const NAME: &str = if cfg!(board = "microbit") {
    "Cortex-M0 (microbit, 16 KiB RAM)"
} else if cfg!(board = "mps2_an505") {
    "Cortex-M33 (mps2-an505)"
} else if cfg!(target_abi = "eabihf") {
    "Cortex-M4F (mps2-an386)"
} else {
    "Cortex-M3 (mps2-an385)"
};

/// Twice the instructions per SysTick tick: under `-icount shift=0` one
/// instruction takes 1 ns and SysTick runs on the core clock: 16 MHz on the
/// micro:bit (62.5), 20 MHz on the AN505 (50), 25 MHz on the AN385/AN386 (40).
const TWICE_INSNS_PER_TICK: u64 = if cfg!(board = "microbit") {
    125
} else if cfg!(board = "mps2_an505") {
    100
} else {
    80
};

/// An instruction count from SysTick (resolution: one tick; ≤ 670 M instructions per span).
pub struct Clock {
    syst: SYST,
    start: u32,
}

impl Clock {
    /// Takes SysTick: core clock, full 24-bit reload, running. `None` if already taken.
    pub fn take() -> Option<Self> {
        let mut syst = cortex_m::Peripherals::take()?.SYST;
        syst.disable_counter();
        syst.set_clock_source(SystClkSource::Core);
        syst.set_reload(0x00FF_FFFF);
        syst.clear_current();
        syst.enable_counter();
        Some(Clock { syst, start: 0 })
    }

    /// Starts a span.
    #[inline(always)]
    pub fn restart(&mut self) {
        self.syst.clear_current();
        self.start = SYST::get_current();
    }

    /// Instructions since [`Clock::restart`].
    #[inline(always)]
    pub fn elapsed(&self) -> u64 {
        let ticks = self.start.wrapping_sub(SYST::get_current()) & 0x00FF_FFFF;
        u64::from(ticks) * TWICE_INSNS_PER_TICK / 2
    }
}

/// The current stack pointer.
#[inline(always)]
pub fn stack_pointer() -> usize {
    cortex_m::register::msp::read() as usize
}

/// Defines the HardFault handler: prints the exception frame and exits with status 1.
#[macro_export]
macro_rules! fault_handler {
    () => {
        #[cortex_m_rt::exception]
        unsafe fn HardFault(ef: &cortex_m_rt::ExceptionFrame) -> ! {
            $crate::board::hprintln!("HardFault: {:?}", ef);
            $crate::board::exit(false)
        }
    };
}

//! Cost measurements on the emulated core.
//!
//! * Instructions: under `qemu-system-arm -icount shift=0` one guest
//!   instruction takes 1 ns of virtual time and SysTick, on the core clock,
//!   ticks once per 40 instructions on MPS2 (25 MHz) and once per 62.5 on
//!   the micro:bit (16 MHz). QEMU models no caches or wait states: these are
//!   instruction counts, not cycles. Resolution: one tick, so measure loops.
//! * Stack: the free RAM below the stack pointer is painted with a pattern,
//!   the closure runs, and the lowest overwritten word gives the high-water
//!   mark relative to the caller's stack pointer.

use core::hint::black_box;
use core::ptr::{addr_of, read_volatile, write_volatile};
use cortex_m::peripheral::{syst::SystClkSource, SYST};
use cortex_m::register::msp;

/// Twice the instructions per SysTick tick (the micro:bit's 62.5 is not an integer).
#[cfg(board = "microbit")]
const TWICE_INSNS_PER_TICK: u64 = 125;
#[cfg(not(board = "microbit"))]
const TWICE_INSNS_PER_TICK: u64 = 80;

/// Counts guest instructions with SysTick.
pub struct Counter {
    syst: SYST,
    overhead: u64,
}

impl Counter {
    /// Takes SysTick: core clock, full 24-bit reload, running.
    pub fn new(mut syst: SYST) -> Self {
        syst.disable_counter();
        syst.set_clock_source(SystClkSource::Core);
        syst.set_reload(0x00FF_FFFF);
        syst.clear_current();
        syst.enable_counter();
        let mut c = Counter { syst, overhead: 0 };
        c.overhead = c.instructions(|| ()).1;
        c
    }

    /// Runs `f` and returns its result and the instructions it took (≤ 670 M on MPS2).
    pub fn instructions<R>(&mut self, f: impl FnOnce() -> R) -> (R, u64) {
        self.syst.clear_current();
        let start = SYST::get_current();
        let r = black_box(f());
        let end = SYST::get_current();
        let ticks = u64::from(start.wrapping_sub(end) & 0x00FF_FFFF);
        (
            r,
            (ticks * TWICE_INSNS_PER_TICK / 2).saturating_sub(self.overhead),
        )
    }
}

const PAINT: u32 = 0x5AA5_C33C;
/// At most this much RAM below the stack pointer is painted (the MPS2 has 4 MiB).
const MAX_PAINT: usize = 64 * 1024;

extern "C" {
    /// cortex-m-rt: the first free word after `.bss`/`.uninit`.
    static __sheap: u32;
}

/// The painter leaves this many bytes below the caller's stack pointer
/// unpainted, for its own frame: smaller high-water marks read as this value.
pub const PAINT_GUARD: usize = 128;

/// Runs `f` and returns its result and the most stack it used, in bytes,
/// measured from the caller's stack pointer (resolution: one word; values
/// up to [`PAINT_GUARD`] mean "at most that").
pub fn stack_high_water<R>(f: impl FnOnce() -> R) -> (R, usize) {
    let mut f = Some(f);
    let mut out = None;
    let mut call = || out = f.take().map(|f| f());
    let top = msp::read() as usize;
    let bottom = bottom_of_free_ram(top);
    paint(bottom, top - PAINT_GUARD);
    run(black_box(&mut call));
    let mut lowest = bottom;
    // SAFETY: [bottom, top) is RAM between the end of .bss and the stack pointer.
    while lowest < top && unsafe { read_volatile(lowest as *const u32) } == PAINT {
        lowest += 4;
    }
    match out {
        Some(r) => (r, top - lowest),
        None => unreachable_closure(),
    }
}

fn bottom_of_free_ram(top: usize) -> usize {
    let heap = (addr_of!(__sheap) as usize + 3) & !3;
    heap.max(top.saturating_sub(MAX_PAINT) & !3)
}

/// Paints [bottom, end) with [`PAINT`]; `end` lies below this function's
/// own frame (its registers may be pushed after a stack-pointer read, so the
/// stack pointer itself is no safe bound).
#[inline(never)]
fn paint(bottom: usize, end: usize) {
    let mut a = bottom;
    while a < end {
        // SAFETY: below the stack pointer and above .bss: free RAM nobody uses.
        unsafe { write_volatile(a as *mut u32, PAINT) };
        a += 4;
    }
}

/// A call the optimizer cannot inline, so the closure's frame lies below the caller's.
#[inline(never)]
fn run(f: &mut dyn FnMut()) {
    f()
}

#[cold]
fn unreachable_closure() -> ! {
    crate::check::exit(false)
}

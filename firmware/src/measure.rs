//! Cost measurements on the emulated core.
//!
//! * Instructions: the board's [`Clock`] under QEMU's `-icount shift=0`
//!   (SysTick on Cortex-M, resolution one tick of 40–62.5 instructions;
//!   `minstret` on RISC-V, exact). QEMU models no caches or wait states:
//!   these are instruction counts, not cycles.
//! * Stack: the free RAM below the stack pointer is painted with a pattern,
//!   the closure runs, and the lowest overwritten word gives the high-water
//!   mark relative to the caller's stack pointer.

use crate::board::{free_ram_start, stack_pointer, Clock};
use core::hint::black_box;
use core::ptr::{read_volatile, write_volatile};

/// Counts guest instructions with the board's [`Clock`], its own overhead subtracted.
pub struct Counter {
    clock: Clock,
    overhead: u64,
}

impl Counter {
    /// Takes the board's instruction clock; `None` if it is already taken.
    pub fn take() -> Option<Self> {
        let mut c = Counter {
            clock: Clock::take()?,
            overhead: 0,
        };
        c.overhead = c.instructions(|| ()).1;
        Some(c)
    }

    /// Runs `f` and returns its result and the instructions it took.
    pub fn instructions<R>(&mut self, f: impl FnOnce() -> R) -> (R, u64) {
        self.clock.restart();
        let r = black_box(f());
        let n = self.clock.elapsed();
        (r, n.saturating_sub(self.overhead))
    }
}

const PAINT: u32 = 0x5AA5_C33C;
/// At most this much RAM below the stack pointer is painted (the MPS2 has 4 MiB).
const MAX_PAINT: usize = 64 * 1024;

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
    let top = stack_pointer();
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
    let heap = (free_ram_start() + 3) & !3;
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
    crate::board::exit(false)
}

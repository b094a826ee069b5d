//! Run-time dispatched copies of the Gram fill (lane kernel and dot-product
//! micro-kernel), for x86_64 builds that do not target the instruction set
//! themselves (the default build targets SSE2).
//!
//! The fill is generic (any lane kernel) and `inline(always)` down to its
//! lane loops, so one call of a `target_feature` function compiles the whole
//! of it a second time with AVX2 (8 f32 lanes per register, `vblendv`) or
//! AVX-512F (16 lanes, mask registers). Neither copy uses FMA: the crate's
//! `Real::fma` is a fused instruction only in builds that target FMA, so
//! every copy does the same IEEE operations in the same order, and its
//! results are bitwise those of the baseline code (the summation order of
//! the dot products does not depend on the register width).
//!
//! Not part of the API: [`Isa`] and [`set_limit`] let the benchmarks and
//! tests run a narrower copy in the same process.

use super::tile::{fill as fill_lanes, Bufs, LaneKernel, Part};
use super::{LaneReal, Points, F32_ACC, F32_LANES, F64_LANES};
use core::ops::Range;
use core::sync::atomic::{AtomicU8, Ordering};

/// The instruction sets the fill has a copy for, narrowest first.
#[doc(hidden)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Isa {
    /// The build's own code (SSE2 in the default x86_64 build; any other target).
    Build,
    /// The AVX2 copy.
    Avx2,
    /// The AVX-512F copy.
    Avx512,
}

/// The widest copy allowed (`Isa as u8`); `u8::MAX`: no limit.
static LIMIT: AtomicU8 = AtomicU8::new(u8::MAX);

/// Caps the copy that later Gram fills run (all threads) at `max` and
/// returns the copy they will run. Benchmarks and tests only: every copy
/// gives the same bits. A copy the CPU lacks is never run.
#[doc(hidden)]
pub fn set_limit(max: Isa) -> Isa {
    LIMIT.store(max as u8, Ordering::Relaxed);
    active()
}

/// The copy a Gram fill runs now: the widest the CPU has that the build
/// compiled and [`set_limit`] allows.
#[doc(hidden)]
pub fn active() -> Isa {
    let limit = LIMIT.load(Ordering::Relaxed);
    let allowed = |isa: Isa| isa as u8 <= limit;
    #[cfg(all(target_arch = "x86_64", not(target_feature = "avx512f")))]
    if allowed(Isa::Avx512) && crate::x86::has_avx512f() {
        return Isa::Avx512;
    }
    #[cfg(all(target_arch = "x86_64", not(target_feature = "avx2")))]
    if allowed(Isa::Avx2) && crate::x86::has_avx2() {
        return Isa::Avx2;
    }
    let _ = allowed;
    Isa::Build
}

/// A kernel with a lane evaluation at both lane counts (f32 and f64).
pub(crate) trait Lanes<T: LaneReal>:
    LaneKernel<T, F32_LANES> + LaneKernel<T, F64_LANES>
{
}
impl<T: LaneReal, K: LaneKernel<T, F32_LANES> + LaneKernel<T, F64_LANES>> Lanes<T> for K {}

/// Fills `out` with the part `part` of the tile `rows × cols` of K(x, z) by
/// the lane kernel `k`, in the [`active`] copy.
#[allow(unsafe_code)]
pub(crate) fn fill<T: LaneReal, K: Lanes<T>>(
    k: &K,
    (x, z): (&Points<'_, T>, &Points<'_, T>),
    (rows, cols): (Range<usize>, Range<usize>),
    part: Part,
    out: &mut Bufs<'_, T>,
) {
    let args = ((x, z), (rows, cols), part, out);
    match active() {
        // SAFETY: `active()` returns Avx512 only if the CPU and the OS run
        // AVX-512F code (with the AVX2, FMA and F16C it implies), the only
        // requirement of a `target_feature(enable = "avx512f")` function.
        #[cfg(all(target_arch = "x86_64", not(target_feature = "avx512f")))]
        Isa::Avx512 => unsafe { fill_avx512(k, args) },
        // SAFETY: `active()` returns Avx2 only if the CPU and OS run AVX2 code.
        #[cfg(all(target_arch = "x86_64", not(target_feature = "avx2")))]
        Isa::Avx2 => unsafe { fill_avx2(k, args) },
        _ => fill_build(k, args),
    }
}

/// The build's own code, in a frame of its own: inlined into [`fill`], its
/// blocks would sit on the stack under those of the copy that runs
/// (measured: 161 → 86 KiB for a f32 Gram, 195 → 103 KiB for f64).
#[inline(never)]
fn fill_build<T: LaneReal, K: Lanes<T>>(k: &K, args: Args<'_, '_, '_, T>) {
    fill_at::<T, K, F32_ACC, 8>(k, args)
}

/// The arguments of [`fill`] after the kernel.
type Args<'a, 'b, 'c, T> = (
    (&'a Points<'b, T>, &'a Points<'b, T>),
    (Range<usize>, Range<usize>),
    Part,
    &'a mut Bufs<'c, T>,
);

/// The AVX-512F copy: 32 f32 (16 f64) lanes per dot-product accumulator,
/// two ZMM registers.
#[cfg(all(target_arch = "x86_64", not(target_feature = "avx512f")))]
#[target_feature(enable = "avx512f")]
fn fill_avx512<T: LaneReal, K: Lanes<T>>(k: &K, args: Args<'_, '_, '_, T>) {
    fill_at::<T, K, 32, 16>(k, args)
}

/// The AVX2 copy: 16 f32 (8 f64) lanes per accumulator, two YMM registers.
#[cfg(all(target_arch = "x86_64", not(target_feature = "avx2")))]
#[target_feature(enable = "avx2")]
fn fill_avx2<T: LaneReal, K: Lanes<T>>(k: &K, args: Args<'_, '_, '_, T>) {
    fill_at::<T, K, 16, 8>(k, args)
}

/// The fill at the build's lane counts with `V32` (f32) or `V64` (f64)
/// lanes per dot-product accumulator.
#[inline(always)]
fn fill_at<T: LaneReal, K: Lanes<T>, const V32: usize, const V64: usize>(
    k: &K,
    ((x, z), (rows, cols), part, out): Args<'_, '_, '_, T>,
) {
    if core::mem::size_of::<T>() == 8 {
        fill_lanes::<T, K, F64_LANES, V64>(k, x, z, rows, cols, part, out)
    } else {
        fill_lanes::<T, K, F32_LANES, V32>(k, x, z, rows, cols, part, out)
    }
}

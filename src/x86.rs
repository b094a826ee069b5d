//! Correctly rounded √ and fused multiply-add on x86_64, through the scalar
//! `core::arch` intrinsics: LLVM sees `llvm.sqrt` / `llvm.fma` and vectorises
//! a lane loop that calls them into `sqrtps`/`vsqrtps` and `vfmadd…ps` (the
//! libm routines are opaque calls or inline assembly, which it cannot).
//!
//! Used by [`Real::fma`](crate::Real::fma) and the Gram lane kernels'
//! [`sqrt`](crate::gram::float::sqrt). Why, measured on Zen 3 with
//! `examples/gram_timing` (quiet, best of four; n = 2048, d = 64, depth-3
//! ReLU NNGP + NTK, one thread):
//!
//! | change | f32 Gram | f64 Gram | vector acos f32 | f64 |
//! |---|---|---|---|---|
//! | hardware √ instead of Newton, default build | 1.15× | 1.20× | 1.49× | 1.45× |
//! | FMA on, `target-cpu=native` (vs `-C target-feature=-fma`) | 1.09× | 1.12× | 1.30× | 1.51× |
//! | run-time AVX2 copy of the fill, default build (vs its SSE2 code) | 1.81× | 1.87× | — | — |
//!
//! The last row needs CPUID and XGETBV ([`has_avx2`]; `core` has no
//! `is_x86_feature_detected!`) and one call of a `target_feature(enable =
//! "avx2")` function, in `gram::simd`, which also holds the AVX-512 copy
//! ([`has_avx512f`]). The same detection chooses the AVX
//! copy of the Cholesky inner products in `linalg::cholesky` (one call of a
//! `target_feature(enable = "avx")` function): the f64 factor at n = 256 in
//! the default build, criterion `fit_predict_parts/factor/256`, 1.16×
//! (0.46 → 0.40 ms).

use core::arch::x86_64 as arch;

/// √x for f32, correctly rounded (`sqrtss`).
#[allow(unsafe_code)]
#[inline(always)]
pub(crate) fn sqrt_f32(x: f32) -> f32 {
    // SAFETY: SSE is part of the x86_64 baseline, so the intrinsics exist on
    // every x86_64 CPU; they take and return values only (no memory access).
    unsafe { arch::_mm_cvtss_f32(arch::_mm_sqrt_ss(arch::_mm_set_ss(x))) }
}

/// √x for f64, correctly rounded (`sqrtsd`).
#[allow(unsafe_code)]
#[inline(always)]
pub(crate) fn sqrt_f64(x: f64) -> f64 {
    // SAFETY: SSE2 is part of the x86_64 baseline; values only, no memory access.
    unsafe {
        let v = arch::_mm_set_sd(x);
        arch::_mm_cvtsd_f64(arch::_mm_sqrt_sd(v, v))
    }
}

/// a·b + c with one rounding (`vfmadd`), for f32.
#[cfg(target_feature = "fma")]
#[allow(unsafe_code)]
#[inline(always)]
pub(crate) fn fma_f32(a: f32, b: f32, c: f32) -> f32 {
    // SAFETY: compiled only when the build enables FMA (`target_feature = "fma"`,
    // e.g. `-C target-cpu=native` on an FMA CPU); values only, no memory access.
    unsafe {
        arch::_mm_cvtss_f32(arch::_mm_fmadd_ss(
            arch::_mm_set_ss(a),
            arch::_mm_set_ss(b),
            arch::_mm_set_ss(c),
        ))
    }
}

/// a·b + c with one rounding (`vfmadd`), for f64.
#[cfg(target_feature = "fma")]
#[allow(unsafe_code)]
#[inline(always)]
pub(crate) fn fma_f64(a: f64, b: f64, c: f64) -> f64 {
    // SAFETY: as for `fma_f32`.
    unsafe {
        arch::_mm_cvtsd_f64(arch::_mm_fmadd_sd(
            arch::_mm_set_sd(a),
            arch::_mm_set_sd(b),
            arch::_mm_set_sd(c),
        ))
    }
}

/// Asks the cache for the lines of `buf[at..at + len]` (clamped to `buf`)
/// ahead of stores to them (`prefetcht0`): a Gram output's lines are far
/// from the cache, and a burst of stores to lines not yet there stalls
/// the fill once the store buffer is full.
#[allow(unsafe_code)]
#[inline(always)]
pub(crate) fn prefetch<T>(buf: &[T], at: usize, len: usize) {
    let end = at.saturating_add(len).min(buf.len());
    let line = 64 / core::mem::size_of::<T>().max(1);
    let mut i = at;
    while i < end {
        // SAFETY: a prefetch never faults and writes nothing; the address is in `buf`.
        unsafe { arch::_mm_prefetch::<{ arch::_MM_HINT_T0 }>(buf.as_ptr().wrapping_add(i).cast()) }
        i += line;
    }
}

/// Whether this CPU and its OS run AVX2 code (see [`detected`]).
pub(crate) fn has_avx2() -> bool {
    detected() >= AVX2
}

/// Whether this CPU and its OS run AVX-512 Foundation code, with the AVX2,
/// FMA and F16C that Rust's `avx512f` target feature implies (see [`detected`]).
pub(crate) fn has_avx512f() -> bool {
    detected() >= AVX512F
}

/// Levels of [`detected`]: AVX2 (with AVX), AVX-512F (with AVX2, FMA, F16C).
pub(crate) const AVX2: u8 = 1;
pub(crate) const AVX512F: u8 = 2;

/// The widest instruction set this CPU and its OS run, of 0 (the SSE2
/// baseline), [`AVX2`] and [`AVX512F`]. Read from CPUID and XGETBV once and
/// cached: `core` has no `is_x86_feature_detected!` (that is `std`'s).
/// A build that targets a level has it without asking.
fn detected() -> u8 {
    use core::sync::atomic::{AtomicU8, Ordering};
    if cfg!(target_feature = "avx512f") {
        return AVX512F;
    }
    // 0: not yet detected, else 1 + the level.
    static STATE: AtomicU8 = AtomicU8::new(0);
    match STATE.load(Ordering::Relaxed) {
        0 => {
            let level = detect();
            STATE.store(1 + level, Ordering::Relaxed);
            level
        }
        s => s - 1,
    }
}

/// CPUID.1:ECX bits 27–28 (OSXSAVE, AVX) and XCR0 bits 1–2 (the OS saves the
/// SSE and AVX state) for AVX; then CPUID.7.0:EBX bit 5 for AVX2; for
/// AVX-512F also CPUID.7.0:EBX bit 16, CPUID.1:ECX bits 12 and 29 (FMA,
/// F16C) and XCR0 bits 5–7 (the opmask and upper ZMM state).
// `unused_unsafe`: CPUID is a safe intrinsic in newer compilers, an unsafe
// one in older ones that the crate still supports.
#[allow(unsafe_code, unused_unsafe)]
fn detect() -> u8 {
    // SAFETY: CPUID exists on every x86_64 CPU and only reads identification registers.
    let (max, l1) = unsafe { (arch::__cpuid(0).eax, arch::__cpuid(1)) };
    if max < 7 || (l1.ecx >> 27) & 3 != 3 {
        return 0;
    }
    // SAFETY: OSXSAVE (CPUID.1:ECX bit 27, checked above) means the OS has
    // enabled XGETBV, the only requirement of the `xsave` target feature here.
    let xcr0 = unsafe { xgetbv0() };
    // SAFETY: as above; leaf 7 exists (max ≥ 7, checked above).
    let l7 = unsafe { arch::__cpuid_count(7, 0) };
    let bit = |reg: u32, b: u32| (reg >> b) & 1 == 1;
    if xcr0 & 6 != 6 || !bit(l7.ebx, 5) {
        return 0;
    }
    let fma_f16c = bit(l1.ecx, 12) && bit(l1.ecx, 29);
    if fma_f16c && bit(l7.ebx, 16) && xcr0 & 0xe0 == 0xe0 {
        AVX512F
    } else {
        AVX2
    }
}

/// XCR0, the OS-enabled register state (XGETBV with ECX = 0).
#[allow(unsafe_code)]
#[target_feature(enable = "xsave")]
unsafe fn xgetbv0() -> u64 {
    arch::_xgetbv(0)
}

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
//! "avx2")` function, in `gram::avx2`. The same detection chooses the AVX
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

/// Whether this CPU and its OS run AVX2 code: CPUID.7.0:EBX bit 5 (AVX2),
/// CPUID.1:ECX bits 27–28 (OSXSAVE, AVX) and XCR0 bits 1–2 (the OS saves the
/// SSE and AVX register state). Detected once and cached: `core` has no
/// `is_x86_feature_detected!` (that is `std`'s). Unused in builds that
/// target AVX2 (they need no run-time choice).
#[cfg(not(target_feature = "avx2"))]
pub(crate) fn has_avx2() -> bool {
    use core::sync::atomic::{AtomicU8, Ordering};
    // 0: not yet detected, 1: no, 2: yes.
    static STATE: AtomicU8 = AtomicU8::new(0);
    match STATE.load(Ordering::Relaxed) {
        0 => {
            let yes = detect_avx2();
            STATE.store(1 + u8::from(yes), Ordering::Relaxed);
            yes
        }
        s => s == 2,
    }
}

// `unused_unsafe`: CPUID is a safe intrinsic in newer compilers, an unsafe
// one in older ones that the crate still supports.
#[allow(unsafe_code, unused_unsafe)]
#[cfg(not(target_feature = "avx2"))]
fn detect_avx2() -> bool {
    // SAFETY: CPUID exists on every x86_64 CPU and only reads identification registers.
    let (max, l1) = unsafe { (arch::__cpuid(0).eax, arch::__cpuid(1)) };
    if max < 7 || (l1.ecx >> 27) & 3 != 3 {
        return false;
    }
    // SAFETY: OSXSAVE (CPUID.1:ECX bit 27, checked above) means the OS has
    // enabled XGETBV, the only requirement of the `xsave` target feature here.
    let xcr0 = unsafe { xgetbv0() };
    // SAFETY: as above; leaf 7 exists (max ≥ 7, checked above).
    let l7 = unsafe { arch::__cpuid_count(7, 0) };
    xcr0 & 6 == 6 && (l7.ebx >> 5) & 1 == 1
}

/// XCR0, the OS-enabled register state (XGETBV with ECX = 0).
#[allow(unsafe_code)]
#[cfg(not(target_feature = "avx2"))]
#[target_feature(enable = "xsave")]
unsafe fn xgetbv0() -> u64 {
    arch::_xgetbv(0)
}

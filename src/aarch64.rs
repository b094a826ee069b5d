//! Correctly rounded √ and fused multiply-add on aarch64, through the NEON
//! intrinsics of `core::arch::aarch64` (NEON is part of every aarch64 Linux,
//! macOS and Windows target): LLVM sees `llvm.sqrt` / `llvm.fma` and
//! vectorises a lane loop that calls them into `fsqrt v.4s` and `fmla`
//! (libm's routines are inline assembly, which it cannot; the Newton root of
//! `gram::float` that other targets use takes several multiplies more).
//!
//! Used by [`Real::fma`](crate::Real::fma) and the Gram lane kernels'
//! [`sqrt`](crate::gram::float::sqrt). FMA is always on here, so aarch64
//! results round once where x86_64 default builds round twice: the same
//! accuracy bounds, not the same bits.

use core::arch::aarch64 as arch;

/// √x for f32, correctly rounded (`fsqrt`): lane 0 of the 2-lane root of x
/// broadcast.
#[allow(unsafe_code)]
#[inline(always)]
pub(crate) fn sqrt_f32(x: f32) -> f32 {
    // SAFETY (all four functions): NEON is enabled on every aarch64 target
    // Rust supports with `std`, and on the `-none` ones by default (the
    // `neon` target feature, checked at compile time); values only, no memory access.
    unsafe { arch::vget_lane_f32::<0>(arch::vsqrt_f32(arch::vdup_n_f32(x))) }
}

/// √x for f64, correctly rounded (`fsqrt`).
#[allow(unsafe_code)]
#[inline(always)]
pub(crate) fn sqrt_f64(x: f64) -> f64 {
    // SAFETY: as for `sqrt_f32`.
    unsafe { arch::vget_lane_f64::<0>(arch::vsqrt_f64(arch::vdup_n_f64(x))) }
}

/// a·b + c with one rounding (`fmadd`), for f32.
#[allow(unsafe_code)]
#[inline(always)]
pub(crate) fn fma_f32(a: f32, b: f32, c: f32) -> f32 {
    // SAFETY: as for `sqrt_f32`.
    unsafe { arch::vfmas_lane_f32::<0>(c, a, arch::vdup_n_f32(b)) }
}

/// a·b + c with one rounding (`fmadd`), for f64.
#[allow(unsafe_code)]
#[inline(always)]
pub(crate) fn fma_f64(a: f64, b: f64, c: f64) -> f64 {
    // SAFETY: as for `sqrt_f32`.
    unsafe { arch::vfmad_lane_f64::<0>(c, a, arch::vdup_n_f64(b)) }
}

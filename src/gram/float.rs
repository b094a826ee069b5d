//! Branch-free, vectorisable square root, reciprocal square root and fused
//! multiply-add.
//!
//! `libm::sqrtf` is inline assembly on x86_64 and a software loop on
//! Cortex-M: either way LLVM cannot vectorise a loop that calls it, and `core`
//! has no `sqrt` or `mul_add` in `no_std`. On x86_64, [`sqrt`] is the CPU's
//! correctly rounded `sqrtss`/`sqrtsd` and, when the build enables FMA
//! (`-C target-cpu=native` on an FMA CPU), [`Real::fma`] is `vfmadd`; on
//! aarch64 they are `fsqrt` and `fmadd` (NEON); all are reached through
//! `core::arch` intrinsics that LLVM vectorises. Elsewhere they use only `+ − ×`, integer shifts and
//! selects, so a loop over lanes still compiles to SIMD code:
//!
//! ```text
//! y₀ = bits⁻¹(M − bits(x)/2)                 (the "fast inverse square root" guess, rel. error ≤ 3.5e-2)
//! yₙ₊₁ = yₙ·(3/2 − (x/2)·yₙ²)                (Newton for 1/√x: error e ↦ 1.5e²)
//! s = x·y,  s ← s + (y/2)·(x − s²)           (one Newton step on √x itself)
//! ```
//!
//! The Newton [`sqrt`] (targets other than x86_64 and aarch64) takes 2 reciprocal steps in
//! f32 and 3 in f64, then the √ step; [`rsqrt`] takes one reciprocal step more. The Newton error is then far below
//! rounding, so the error is that of the last few roundings. Measured in
//! `tests/gram_acos.rs` against f64 / libm: the Newton [`sqrt`] ≤ 0.85 ulp (the x86_64
//! one 0.5 ulp: correctly rounded) and [`rsqrt`]
//! ≤ 3.14 ulp over every normal f32 (ignored test, `--release`), ≤ 1 ulp and
//! ≤ 3.5 ulp in f64 on 2·10⁵ random normal arguments. For subnormal `x` the
//! guess is poor: the result lies in [0, √x], an absolute error below
//! √MIN_POSITIVE (1.1e-19 in f32).
//! `sqrt(0) = 0`; negative, infinite and NaN arguments give unspecified finite
//! or NaN values (callers pass x ≥ 0).

use crate::Real;

mod sealed {
    pub trait Sealed {}
    impl Sealed for f32 {}
    impl Sealed for f64 {}
}

/// The precisions of the vectorised Gram lanes: `f32` and `f64` (sealed; its
/// items are internals, hidden). A [`Real`] with the bit-level pieces the lane kernels need: the initial
/// reciprocal-square-root guess and the polynomial coefficients, per precision.
/// Implemented for `f32` and `f64` only (sealed).
pub trait LaneReal: Real + sealed::Sealed {
    /// Newton steps on 1/√x after the bit-trick guess (2 for f32, 3 for f64).
    #[doc(hidden)]
    const RSQRT_STEPS: usize;
    /// The coefficients of P in asin(x) = x + x·t·P(t), t = x² ≤ ¼
    /// (see [`acos`](super::acos) and `scripts/fit_asin.py`).
    #[doc(hidden)]
    const ASIN_POLY: &'static [Self];
    /// π/2 split into a head and a tail with head + tail = π/2 to twice the precision.
    #[doc(hidden)]
    const FRAC_PI_2_HI: Self;
    /// The tail of π/2.
    #[doc(hidden)]
    const FRAC_PI_2_LO: Self;
    /// The degree of the Taylor polynomial of eʳ on |r| ≤ ln2/2 (7 in f32,
    /// 13 in f64: truncation below 0.1 ulp).
    #[doc(hidden)]
    const EXP_DEGREE: usize;
    /// ln 2 in two parts (the head with trailing zero bits, so n·head is exact).
    #[doc(hidden)]
    const LN2_HI: Self;
    /// The tail of ln 2.
    #[doc(hidden)]
    const LN2_LO: Self;
    /// ln(MIN_POSITIVE): below it the lane exponential returns 0.
    #[doc(hidden)]
    const EXP_MIN: Self;
    /// (n, 2ⁿ) for n = round(self), |self| < 2²², with 2ⁿ formed from the bits
    /// (n ≥ the smallest normal exponent).
    #[doc(hidden)]
    fn round_pow2(self) -> (Self, Self);
    /// The initial guess y₀ ≈ 1/√x from the exponent and mantissa bits of x.
    #[doc(hidden)]
    fn rsqrt_guess(self) -> Self;
    /// √self, x ≥ 0: the CPU's correctly rounded instruction on x86_64 and aarch64, else
    /// the Newton iteration of the module docs. Use [`sqrt`], which calls it.
    #[doc(hidden)]
    fn lane_sqrt(self) -> Self;
}

/// [`LaneReal::lane_sqrt`] of one precision: `$sqrt` is the intrinsic
/// wrapper of `crate::x86` or `crate::aarch64`.
macro_rules! lane_sqrt {
    ($sqrt:ident) => {
        #[inline(always)]
        fn lane_sqrt(self) -> Self {
            #[cfg(target_arch = "x86_64")]
            return crate::x86::$sqrt(self);
            #[cfg(target_arch = "aarch64")]
            return crate::aarch64::$sqrt(self);
            #[cfg(not(any(target_arch = "x86_64", target_arch = "aarch64")))]
            return newton_sqrt(self);
        }
    };
}

/// [`LaneReal::round_pow2`] of one precision: adding `$magic` = 1.5·2^(p−1)
/// rounds to an integer held in the low mantissa bits, which (plus the
/// exponent bias `$bias`, shifted by `$shift`) are the bits of 2ⁿ.
macro_rules! round_pow2 {
    ($t:ty, $magic:expr, $bias:expr, $shift:expr) => {
        #[inline(always)]
        fn round_pow2(self) -> ($t, $t) {
            const MAGIC: $t = $magic;
            let y = self + MAGIC;
            let n = y
                .to_bits()
                .wrapping_sub(MAGIC.to_bits())
                .wrapping_add($bias);
            (y - MAGIC, <$t>::from_bits(n << $shift))
        }
    };
}

impl LaneReal for f32 {
    const RSQRT_STEPS: usize = 2;
    const ASIN_POLY: &'static [f32] = &[
        0.166_667_52,
        0.074_952_975,
        0.045_470_37,
        0.024_179_54,
        0.042_166_26,
    ];
    const FRAC_PI_2_HI: f32 = core::f32::consts::FRAC_PI_2;
    // π/2 − f32(π/2), rounded to f32.
    const FRAC_PI_2_LO: f32 = -4.371_139e-8;
    const EXP_DEGREE: usize = 7;
    const LN2_HI: f32 = 6.931_457_5e-1;
    const LN2_LO: f32 = 1.428_606_8e-6;
    const EXP_MIN: f32 = -87.336_54;
    round_pow2!(f32, 12_582_912.0, 127, 23);
    #[inline(always)]
    fn rsqrt_guess(self) -> f32 {
        // Lomont's constant for f32.
        f32::from_bits(0x5f37_5a86_u32.wrapping_sub(self.to_bits() >> 1))
    }
    lane_sqrt!(sqrt_f32);
}

impl LaneReal for f64 {
    const RSQRT_STEPS: usize = 3;
    const ASIN_POLY: &'static [f64] = &[
        0.166_666_666_666_654_08,
        0.075_000_000_003_370_04,
        0.044_642_856_828_338_795,
        0.030_381_959_136_496_568,
        0.022_371_758_062_342_338,
        0.017_359_704_576_549_714,
        0.013_885_237_371_951_475,
        0.012_169_198_784_598_339,
        0.006_528_031_979_415_034,
        0.019_528_108_110_777_14,
        -0.016_224_004_851_225_32,
        0.031_912_099_704_497_106,
    ];
    const FRAC_PI_2_HI: f64 = core::f64::consts::FRAC_PI_2;
    // π/2 − f64(π/2).
    const FRAC_PI_2_LO: f64 = 6.123_233_995_736_766e-17;
    const EXP_DEGREE: usize = 13;
    const LN2_HI: f64 = 6.931_471_803_691_238e-1;
    const LN2_LO: f64 = 1.908_214_929_270_587_7e-10;
    const EXP_MIN: f64 = -708.396_418_532_264_1;
    round_pow2!(f64, 6_755_399_441_055_744.0, 1023, 52);
    #[inline(always)]
    fn rsqrt_guess(self) -> f64 {
        // Lomont's constant for f64.
        f64::from_bits(0x5fe6_eb50_c7b5_37a9_u64.wrapping_sub(self.to_bits() >> 1))
    }
    lane_sqrt!(sqrt_f64);
}

/// Prefetches the cache lines of `buf[at..at + len]` (clamped) for stores
/// (x86_64; nothing elsewhere).
#[inline(always)]
pub(crate) fn prefetch<T>(buf: &[T], at: usize, len: usize) {
    #[cfg(target_arch = "x86_64")]
    crate::x86::prefetch(buf, at, len);
    #[cfg(not(target_arch = "x86_64"))]
    let _ = (buf, at, len);
}

/// `if c { a } else { b }` — written so LLVM emits a select, not a branch.
#[inline(always)]
pub(crate) fn select<T: Copy>(c: bool, a: T, b: T) -> T {
    if c {
        a
    } else {
        b
    }
}

/// The Newton-refined 1/√x before the final rounding-sensitive steps.
#[inline(always)]
fn rsqrt_newton<T: LaneReal>(x: T, steps: usize) -> T {
    let half_x = T::HALF * x;
    let three_halves = T::from_f64(1.5);
    let mut y = x.rsqrt_guess();
    for _ in 0..steps {
        y = y * (-half_x * y).fma(y, three_halves);
    }
    y
}

/// 1/√x for normal x > 0, branch-free (≤ 3.5 ulp; see the module docs).
///
/// ```
/// let y = ntk::gram::float::rsqrt(4.0f32);
/// assert!((y - 0.5).abs() <= 3.0 * f32::EPSILON * 0.5);
/// ```
#[inline(always)]
pub fn rsqrt<T: LaneReal>(x: T) -> T {
    rsqrt_newton(x, T::RSQRT_STEPS + 1)
}

/// √x for x ≥ 0, branch-free (correctly rounded on x86_64 and aarch64, else ≤ 1 ulp for
/// normal x; exact 0 at 0; see the module docs).
///
/// ```
/// let s = ntk::gram::float::sqrt(2.0f64);
/// assert!((s - core::f64::consts::SQRT_2).abs() <= f64::EPSILON);
/// assert_eq!(ntk::gram::float::sqrt(0.0f32), 0.0);
/// ```
#[inline(always)]
pub fn sqrt<T: LaneReal>(x: T) -> T {
    x.lane_sqrt()
}

/// √x by Newton's iteration on 1/√x and one step on √x (the module docs).
#[cfg_attr(any(target_arch = "x86_64", target_arch = "aarch64"), allow(dead_code))]
#[inline(always)]
fn newton_sqrt<T: LaneReal>(x: T) -> T {
    let y = rsqrt_newton(x, T::RSQRT_STEPS);
    let s = x * y;
    (T::HALF * y).fma(x - s * s, s)
}

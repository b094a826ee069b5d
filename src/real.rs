//! The scalar type: [`Real`], implemented for `f32` and `f64`.
//!
//! Every routine of the crate is generic over `T: Real`. The trait is sealed:
//! it carries exactly the operations the kernels need, each mapped to `libm`
//! (no `std`), so that the same code builds for a server and a Cortex-M0.

use core::fmt::{Debug, Display, LowerExp};
use core::iter::Sum;
use core::ops::{Add, AddAssign, Div, DivAssign, Mul, MulAssign, Neg, Sub, SubAssign};

mod sealed {
    pub trait Sealed {}
    impl Sealed for f32 {}
    impl Sealed for f64 {}
}

/// A floating-point scalar the crate computes in: `f32` or `f64`.
///
/// The transcendental functions are `libm`'s, so their accuracy is libm's
/// (≤ 1 ulp for `sqrt`, a few ulps for `atan2`, `exp`, `erf`).
pub trait Real:
    sealed::Sealed
    + Copy
    + Default
    + PartialOrd
    + Debug
    + Display
    + LowerExp
    + Send
    + Sync
    + 'static
    + Add<Output = Self>
    + Sub<Output = Self>
    + Mul<Output = Self>
    + Div<Output = Self>
    + Neg<Output = Self>
    + AddAssign
    + SubAssign
    + MulAssign
    + DivAssign
    + Sum
{
    /// 0.
    const ZERO: Self;
    /// 1.
    const ONE: Self;
    /// 2.
    const TWO: Self;
    /// 1/2.
    const HALF: Self;
    /// π.
    const PI: Self;
    /// Machine epsilon (distance from 1 to the next larger number).
    const EPSILON: Self;
    /// Largest finite value.
    const MAX: Self;
    /// Smallest positive normal value.
    const MIN_POSITIVE: Self;
    /// Number of mantissa bits including the implicit one (24 or 53).
    const MANTISSA_DIGITS: u32;

    /// Rounds an `f64` to this type (exact for `f64`).
    fn from_f64(x: f64) -> Self;
    /// Widens to `f64` (exact).
    fn to_f64(self) -> f64;
    /// Converts a count.
    fn from_usize(n: usize) -> Self;
    /// `true` unless NaN or ±∞.
    fn is_finite(self) -> bool;
    /// |x|.
    fn abs(self) -> Self;
    /// √x (correctly rounded).
    fn sqrt(self) -> Self;
    /// self·b + c, rounded once where the build has FMA (aarch64: `fmadd`;
    /// x86_64 with `target_feature = "fma"`, e.g. `-C target-cpu=native`:
    /// `vfmadd`; LLVM vectorises both), else rounded twice as
    /// `self * b + c` (never libm's slow software `fma`). Results are
    /// reproducible for a given build.
    fn fma(self, b: Self, c: Self) -> Self;
    /// atan2(y, x) in (−π, π].
    fn atan2(self, x: Self) -> Self;
    /// arccos x, x ∈ [−1, 1].
    fn acos(self) -> Self;
    /// eˣ.
    fn exp(self) -> Self;
    /// eˣ − 1 without cancellation near 0.
    fn exp_m1(self) -> Self;
    /// ln x.
    fn ln(self) -> Self;
    /// ln(1 + x) without cancellation near 0.
    fn ln_1p(self) -> Self;
    /// sin x.
    fn sin(self) -> Self;
    /// cos x.
    fn cos(self) -> Self;
    /// The error function erf x.
    fn erf(self) -> Self;
    /// xʸ.
    fn powf(self, y: Self) -> Self;
    /// The larger of two numbers (NaN-ignoring, as `f64::max`).
    fn max(self, other: Self) -> Self;
    /// The smaller of two numbers (NaN-ignoring, as `f64::min`).
    fn min(self, other: Self) -> Self;
    /// Splits x = m·2ᵉ with m ∈ [½, 1) (m = x = 0 for 0).
    fn frexp(self) -> (Self, i32);
    /// x·2ⁿ, exact unless it over- or underflows.
    fn scalbn(self, n: i32) -> Self;
}

macro_rules! impl_real {
    ($t:ty, $digits:expr, $sqrt:path, $atan2:path, $acos:path, $exp:path, $expm1:path,
     $ln:path, $ln1p:path, $sin:path, $cos:path, $erf:path, $pow:path, $fmax:path, $fmin:path,
     $frexp:path, $scalbn:path, $fma:ident, $pi:expr) => {
        impl Real for $t {
            const ZERO: Self = 0.0;
            const ONE: Self = 1.0;
            const TWO: Self = 2.0;
            const HALF: Self = 0.5;
            const PI: Self = $pi;
            const EPSILON: Self = <$t>::EPSILON;
            const MAX: Self = <$t>::MAX;
            const MIN_POSITIVE: Self = <$t>::MIN_POSITIVE;
            const MANTISSA_DIGITS: u32 = $digits;

            #[inline(always)]
            fn from_f64(x: f64) -> Self {
                x as $t
            }
            #[inline(always)]
            fn to_f64(self) -> f64 {
                self as f64
            }
            #[inline(always)]
            fn from_usize(n: usize) -> Self {
                n as $t
            }
            #[inline(always)]
            fn is_finite(self) -> bool {
                <$t>::is_finite(self)
            }
            #[inline(always)]
            fn abs(self) -> Self {
                <$t>::abs(self)
            }
            #[inline(always)]
            fn sqrt(self) -> Self {
                $sqrt(self)
            }
            #[inline(always)]
            fn fma(self, b: Self, c: Self) -> Self {
                #[cfg(all(target_arch = "x86_64", target_feature = "fma"))]
                return crate::x86::$fma(self, b, c);
                #[cfg(target_arch = "aarch64")]
                return crate::aarch64::$fma(self, b, c);
                #[cfg(not(any(
                    all(target_arch = "x86_64", target_feature = "fma"),
                    target_arch = "aarch64"
                )))]
                return self * b + c;
            }
            #[inline(always)]
            fn atan2(self, x: Self) -> Self {
                $atan2(self, x)
            }
            #[inline(always)]
            fn acos(self) -> Self {
                $acos(self)
            }
            #[inline(always)]
            fn exp(self) -> Self {
                $exp(self)
            }
            #[inline(always)]
            fn exp_m1(self) -> Self {
                $expm1(self)
            }
            #[inline(always)]
            fn ln(self) -> Self {
                $ln(self)
            }
            #[inline(always)]
            fn ln_1p(self) -> Self {
                $ln1p(self)
            }
            #[inline(always)]
            fn sin(self) -> Self {
                $sin(self)
            }
            #[inline(always)]
            fn cos(self) -> Self {
                $cos(self)
            }
            #[inline(always)]
            fn erf(self) -> Self {
                $erf(self)
            }
            #[inline(always)]
            fn powf(self, y: Self) -> Self {
                $pow(self, y)
            }
            #[inline(always)]
            fn max(self, other: Self) -> Self {
                $fmax(self, other)
            }
            #[inline(always)]
            fn min(self, other: Self) -> Self {
                $fmin(self, other)
            }
            #[inline(always)]
            fn frexp(self) -> (Self, i32) {
                $frexp(self)
            }
            #[inline(always)]
            fn scalbn(self, n: i32) -> Self {
                $scalbn(self, n)
            }
        }
    };
}

/// √x for f32 with the FPU's `vsqrt.f32` on hard-float Arm (Cortex-M4F/M7):
/// correctly rounded like `libm::sqrtf`, which is a software routine there.
#[cfg(all(target_arch = "arm", target_abi = "eabihf"))]
#[allow(unsafe_code)]
#[inline(always)]
fn sqrtf(x: f32) -> f32 {
    let mut bits = x.to_bits();
    // Rust's asm! offers FPU registers only with the `vfp2` feature (double
    // precision), which the single-precision M4F lacks: pass the value in a
    // core register and restore the borrowed s0 so no FPU register is clobbered.
    // SAFETY: touches no memory, no stack and no condition flags (FPSCR's
    // sticky exception bits aside); s0 leaves as it came; the eabihf ABI
    // guarantees the FPU.
    unsafe {
        core::arch::asm!(
            "vmov {saved}, s0",
            "vmov s0, {v}",
            "vsqrt.f32 s0, s0",
            "vmov {v}, s0",
            "vmov s0, {saved}",
            v = inout(reg) bits,
            saved = out(reg) _,
            options(pure, nomem, nostack, preserves_flags),
        );
    }
    f32::from_bits(bits)
}
#[cfg(not(all(target_arch = "arm", target_abi = "eabihf")))]
use libm::sqrtf;

impl_real!(
    f32,
    24,
    sqrtf,
    libm::atan2f,
    libm::acosf,
    libm::expf,
    libm::expm1f,
    libm::logf,
    libm::log1pf,
    libm::sinf,
    libm::cosf,
    libm::erff,
    libm::powf,
    libm::fmaxf,
    libm::fminf,
    libm::frexpf,
    libm::scalbnf,
    fma_f32,
    core::f32::consts::PI
);
impl_real!(
    f64,
    53,
    libm::sqrt,
    libm::atan2,
    libm::acos,
    libm::exp,
    libm::expm1,
    libm::log,
    libm::log1p,
    libm::sin,
    libm::cos,
    libm::erf,
    libm::pow,
    libm::fmax,
    libm::fmin,
    libm::frexp,
    libm::scalbn,
    fma_f64,
    core::f64::consts::PI
);

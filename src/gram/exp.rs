//! A branch-free, vectorisable eˣ (the exp-based lane maps: Sin, Cos, Rbf,
//! Exp, Gaussian, Gabor) and eˣ − 1 for |x| ≤ ½ (Gabor).
//!
//! ```text
//! n = round(x/ln 2),   r = x − n·ln2_hi − n·ln2_lo  (|r| ≤ ln2/2, Cody–Waite)
//! eˣ = 2ⁿ·Σₖ rᵏ/k!     (degree 7 in f32, 13 in f64; 2ⁿ from the exponent bits)
//! ```
//!
//! Below ln(MIN_POSITIVE) the result is 0 (an absolute error below the
//! smallest normal number), so 2ⁿ stays a normal number and nothing is a NaN.
//! Error against libm: a few ulps (`tests` below).

use super::float::{select, LaneReal};

/// 1/k! for k ≤ 16, rounded once from the exact k!.
const INV_FACTORIAL: [f64; 17] = {
    let mut c = [1.0; 17];
    let (mut k, mut fact) = (1, 1.0);
    while k < 17 {
        fact *= k as f64;
        c[k] = 1.0 / fact;
        k += 1;
    }
    c
};

/// eˣ for x ≤ 0 (x > 0 is clamped to 0: callers pass sums of non-positive
/// terms that rounding may push a few ulps above 0).
#[inline(always)]
pub(crate) fn exp_neg<T: LaneReal>(x: T) -> T {
    exp(select(x > T::ZERO, T::ZERO, x))
}

/// eˣ for x ≤ −ln(MIN_POSITIVE) (≈ 708 in f64, 87 in f32; larger x are
/// clamped there, so 2ⁿ stays a normal number: callers flag such lanes).
#[inline(always)]
pub(crate) fn exp<T: LaneReal>(x: T) -> T {
    let x = select(x > -T::EXP_MIN, -T::EXP_MIN, x);
    let tiny = x < T::EXP_MIN;
    let x = select(tiny, T::EXP_MIN, x);
    let (n, scale) = (x * (T::ONE / T::LN2_HI)).round_pow2();
    let r = (-n).fma(T::LN2_LO, (-n).fma(T::LN2_HI, x));
    let deg = T::EXP_DEGREE.min(INV_FACTORIAL.len() - 1);
    let mut p = T::from_f64(INV_FACTORIAL[deg]);
    for &ck in INV_FACTORIAL[..deg].iter().rev() {
        p = p.fma(r, T::from_f64(ck));
    }
    select(tiny, T::ZERO, p * scale)
}

/// eˣ − 1 for |x| ≤ ½ by its Taylor series x·Σₖ xᵏ/(k + 1)! (degree 15 in
/// f64, 9 in f32: the first term left out is below ε/2 relative), accurate
/// to a few ulps relative where eˣ − 1 would cancel.
#[inline(always)]
pub(crate) fn expm1_small<T: LaneReal>(x: T) -> T {
    let deg = if T::EXP_DEGREE > 7 { 15 } else { 9 };
    let mut p = T::from_f64(INV_FACTORIAL[deg + 1]);
    for &ck in INV_FACTORIAL[1..=deg].iter().rev() {
        p = p.fma(x, T::from_f64(ck));
    }
    x * p
}

#[cfg(test)]
mod tests {
    use super::exp_neg;
    use crate::gram::LaneReal;

    /// Against libm's f64 exp on a grid of [−800, 0] and the ends: within
    /// `ulps` relative (absolute MIN_POSITIVE below the underflow threshold).
    fn against_libm<T: LaneReal>(ulps: f64) {
        let eps = T::EPSILON.to_f64();
        let grid = (0..=200_000).map(|i| -800.0 * f64::from(i) / 200_000.0);
        for x in grid.chain([0.0, -0.0, 1e-30, -1e-30, T::EXP_MIN.to_f64()]) {
            let x = T::from_f64(x);
            let want = libm::exp(x.to_f64().min(0.0));
            let got = exp_neg(x).to_f64();
            let tol = (ulps * eps * want).max(T::MIN_POSITIVE.to_f64());
            assert!((got - want).abs() <= tol, "x={x:?}: {got} vs {want}");
        }
    }

    /// eˣ − 1 on [−½, ½] against libm's expm1, within `ulps` relative.
    fn expm1_against_libm<T: LaneReal>(ulps: f64) {
        let eps = T::EPSILON.to_f64();
        for i in -20_000..=20_000 {
            let x = T::from_f64(f64::from(i) / 40_000.0);
            let want = libm::expm1(x.to_f64());
            let got = super::expm1_small(x).to_f64();
            assert!(
                (got - want).abs() <= ulps * eps * want.abs(),
                "x={x:?}: {got} vs {want}"
            );
        }
    }

    #[test]
    fn expm1_f32_f64() {
        expm1_against_libm::<f32>(3.0);
        expm1_against_libm::<f64>(3.0);
    }

    /// eˣ for positive x up to the clamp, against libm.
    #[test]
    fn exp_positive() {
        for i in 0..=70_000 {
            let x = f64::from(i) / 100.0;
            let want = libm::exp(x);
            assert!(
                (super::exp(x) - want).abs() <= 2.0 * f64::EPSILON * want,
                "x={x}"
            );
            let x = (x / 8.1) as f32;
            let want = libm::exp(f64::from(x));
            let got = f64::from(super::exp(x));
            assert!(
                (got - want).abs() <= 2.0 * f64::from(f32::EPSILON) * want,
                "x={x}"
            );
        }
    }

    #[test]
    fn exp_f32() {
        against_libm::<f32>(2.0);
    }

    #[test]
    fn exp_f64() {
        against_libm::<f64>(2.0);
    }
}

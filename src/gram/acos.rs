//! A branch-free polynomial arccos for the lane kernels.
//!
//! With a = |c| the argument is reduced as in Cephes / SLEEF, but with selects
//! instead of branches so that a loop over lanes vectorises:
//!
//! ```text
//! a < ½:  t = a²,         x = a,    acos a = π/2 − asin x
//! a ≥ ½:  t = (1 − a)/2,  x = √t,   acos a = 2·asin x          (x = sin(θ/2))
//! asin x = x + x·t·P(t),   t ∈ [0, ¼]
//! acos c = π − acos a  for c < 0
//! ```
//!
//! P has degree 4 in f32 and 11 in f64; its coefficients were fitted for
//! minimal maximum *relative* error of asin on [0, ½] by `scripts/fit_asin.py`
//! (rounded-polynomial error 5.9e-9 in f32, 1.6e-17 in f64). `1 − a` is exact
//! for a ≥ ½ (Sterbenz), π/2 and π are applied as head + tail, and √ is
//! [`float::sqrt`](super::float::sqrt). Measured maximum error, `tests/gram_acos.rs`
//! (`cargo test --release --test gram_acos -- --ignored`; libm's f64 acos is itself < 1 ulp):
//!
//! | | argument set | x86_64 (hardware √; FMA or not) | Newton √ (other targets) |
//! |---|---|---|---|
//! | f32 | every f32 in [−1, 1] (2 130 706 433 values) vs f64 libm | 1.289 ulp (SSE2), 1.282 ulp (AVX2 + FMA) | 1.417 ulp (at 0.6211446) |
//! | f64 | 2·10⁸ random (uniform and crowded near ±1) + special arguments vs libm | 1.000 ulp (both builds) | 2.000 ulp (at −0.50978) |
//!
//! (The Newton column was measured on x86_64 before the hardware root replaced it there.)
//!
//! acos(1) = 0 and acos(−1) = π exactly (to the rounding of π); the domain is
//! [−1, 1] (callers clamp: outside it the result is unspecified, possibly NaN).

use super::float::{select, sqrt, LaneReal};

/// P(t) by Horner's rule, four steps per loop pass (a Cortex-M build at
/// `opt-level = "s"` does not unroll the plain loop; the order of the
/// operations is the same).
#[inline(always)]
fn poly<T: LaneReal>(t: T) -> T {
    // Starting from the leading coefficient saves the product 0·t.
    let (mut p, mut rest) = match T::ASIN_POLY {
        [rest @ .., last] => (*last, rest),
        [] => (T::ZERO, T::ASIN_POLY),
    };
    while let [head @ .., c0, c1, c2, c3] = rest {
        p = p.fma(t, *c3).fma(t, *c2).fma(t, *c1).fma(t, *c0);
        rest = head;
    }
    for &ck in rest.iter().rev() {
        p = p.fma(t, ck);
    }
    p
}

/// arccos c in [0, π] for c ∈ [−1, 1], branch-free (see the module docs for its error).
///
/// ```
/// use ntk::gram::acos::acos;
/// assert_eq!(acos(1.0f32), 0.0);
/// assert!((acos(0.5f64) - core::f64::consts::FRAC_PI_3).abs() < 1e-15);
/// ```
#[inline(always)]
pub fn acos<T: LaneReal>(c: T) -> T {
    acos_with::<T, false>(c, sqrt)
}

/// The same arccos, with the square root `root` and, if `BRANCHES`, a branch
/// instead of a select for the argument reduction: on a scalar core a select
/// computes both sides (the root included), a third of the instructions of a
/// kernel entry on a Cortex-M4F.
#[inline(always)]
pub(crate) fn acos_with<T: LaneReal, const BRANCHES: bool>(c: T, root: impl Fn(T) -> T) -> T {
    let neg = c < T::ZERO;
    let a = select(neg, -c, c);
    let lo = a < T::HALF;
    let (t, x) = if BRANCHES {
        if lo {
            (a * a, a)
        } else {
            let t = (T::ONE - a) * T::HALF;
            (t, root(t))
        }
    } else {
        let t = select(lo, a * a, (T::ONE - a) * T::HALF);
        (t, select(lo, a, root(t)))
    };
    let asin_x = (x * t).fma(poly(t), x);
    let acos_a = select(
        lo,
        (T::FRAC_PI_2_HI - asin_x) + T::FRAC_PI_2_LO,
        asin_x + asin_x,
    );
    let (pi_hi, pi_lo) = (
        T::FRAC_PI_2_HI + T::FRAC_PI_2_HI,
        T::FRAC_PI_2_LO + T::FRAC_PI_2_LO,
    );
    select(neg, (pi_hi - acos_a) + pi_lo, acos_a)
}

/// `out[i] = acos(c[i])` over fixed-width lanes (vectorises; the throughput bench uses it).
///
/// ```
/// let mut out = [0.0f32; 8];
/// ntk::gram::acos::acos_lanes(&[1.0; 8], &mut out);
/// assert_eq!(out, [0.0; 8]);
/// ```
#[inline]
pub fn acos_lanes<T: LaneReal, const N: usize>(c: &[T; N], out: &mut [T; N]) {
    for (o, &x) in out.iter_mut().zip(c) {
        *o = acos(x);
    }
}

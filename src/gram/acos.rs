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
    let (neg, lo, asin_x) = reduce::<T, BRANCHES>(c, root);
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

/// arcsin c in [−π/2, π/2] for c ∈ [−1, 1], branch-free, from the same
/// reduction: asin a = asin x for a = |c| < ½, else π/2 − 2·asin x (x = √((1 − a)/2)).
#[inline(always)]
pub(crate) fn asin<T: LaneReal>(c: T) -> T {
    let (neg, lo, asin_x) = reduce::<T, false>(c, sqrt);
    let asin_a = select(
        lo,
        asin_x,
        (T::FRAC_PI_2_HI - (asin_x + asin_x)) + T::FRAC_PI_2_LO,
    );
    select(neg, -asin_a, asin_a)
}

/// The argument reduction of the module docs: (c < 0, |c| < ½, asin x).
#[inline(always)]
fn reduce<T: LaneReal, const BRANCHES: bool>(c: T, root: impl Fn(T) -> T) -> (bool, bool, T) {
    let neg = c < T::ZERO;
    let a = select(neg, -c, c);
    let lo = a < T::HALF;
    // (1 − a)/2 as one fused step: exact either way for a ≥ ½ (Sterbenz).
    let (t, x) = if BRANCHES {
        if lo {
            (a * a, a)
        } else {
            let t = (-T::HALF).fma(a, T::HALF);
            (t, root(t))
        }
    } else {
        let t = select(lo, a * a, (-T::HALF).fma(a, T::HALF));
        (t, select(lo, a, root(t)))
    };
    (neg, lo, (x * t).fma(poly(t), x))
}

/// The affine map h − f·arccos c (the derivative Ḟ of the ReLU family's dual
/// activation, [`abrelu`](crate::activation::abrelu)) folded into the last step
/// of [`acos_with`]. With asin x from the reduction, θ = arccos c = B + S·asin x:
///
/// ```text
/// 0 ≤ c < ½: (B, S) = (π/2, −1)     c ≥ ½: (0, 2)
/// −½ < c < 0: (π/2, 1)             c ≤ −½: (π, −2)
/// h − f·θ = (h − f·B) − (f·S)·asin x
/// ```
///
/// so h − f·B is a constant formed once (to the rounding of h − f·π/2 and
/// h − f·π with π/2 as head + tail) and the map costs one fused multiply-add
/// where arccos alone ends with four additions and two selects. It rounds
/// less than h − f·acos(c) (θ itself is never rounded); `tests` bound it
/// against libm.
#[derive(Clone, Copy, Debug)]
pub(crate) struct AffineAcos<T> {
    /// h (B = 0).
    h: T,
    /// h − f·π/2.
    mid: T,
    /// h − f·π.
    end: T,
    /// f.
    f: T,
}

impl<T: LaneReal> AffineAcos<T> {
    /// The map c ↦ h − f·arccos c.
    pub(crate) fn new(h: T, f: T) -> Self {
        let (hi, lo) = (T::FRAC_PI_2_HI, T::FRAC_PI_2_LO);
        AffineAcos {
            h,
            mid: (-f).fma(hi, h) - f * lo,
            end: (-f).fma(hi + hi, h) - f * (lo + lo),
            f,
        }
    }

    /// h.
    #[inline(always)]
    pub(crate) fn h(&self) -> T {
        self.h
    }

    /// f.
    #[inline(always)]
    pub(crate) fn f(&self) -> T {
        self.f
    }

    /// h − f·arccos c for c ∈ [−1, 1], with the root and branching of [`acos_with`].
    #[inline(always)]
    pub(crate) fn eval<const BRANCHES: bool>(&self, c: T, root: impl Fn(T) -> T) -> T {
        let (neg, lo, asin_x) = reduce::<T, BRANCHES>(c, root);
        let base = select(lo, self.mid, select(neg, self.end, self.h));
        let slope = select(lo, self.f, -(self.f + self.f));
        select(neg, -slope, slope).fma(asin_x, base)
    }
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

#[cfg(test)]
mod tests {
    use super::{AffineAcos, LaneReal};
    use crate::gram::float::sqrt;

    /// h − f·arccos c against libm's f64 arccos, both reductions (selects with
    /// the lane root, branches with `Real::sqrt`): within `ulps` of
    /// |h| + π|f| (the scale of the terms that cancel), on a grid of 40 001
    /// arguments with the ends and the branch points ±½ and their neighbours.
    fn affine_acos_against_libm<T: LaneReal>(ulps: f64) {
        let eps = T::EPSILON.to_f64();
        let below = |v: f64| T::from_f64(v).to_f64() * (1.0 - eps);
        let specials = [-1.0, -0.5, 0.0, 0.5, 1.0, below(0.5), -below(0.5), -0.0];
        let grid = (0..=40_000).map(|i| -1.0 + f64::from(i) / 20_000.0);
        for (a, b) in [(0.0, 1.0), (0.1, 1.0), (-1.0, 1.0), (0.3, -0.7)] {
            let (a, b) = (T::from_f64(a), T::from_f64(b));
            let (h, f) = (
                (a * a + b * b) * T::HALF,
                (a - b) * (a - b) / (T::TWO * T::PI),
            );
            let map = AffineAcos::new(h, f);
            let (h64, f64_) = (h.to_f64(), f.to_f64());
            let tol = ulps * eps * (h64.abs() + core::f64::consts::PI * f64_.abs());
            for c in grid.clone().chain(specials) {
                let c = T::from_f64(c);
                let want = h64 - f64_ * libm::acos(c.to_f64());
                let lanes = map.eval::<false>(c, sqrt).to_f64();
                let branches = map.eval::<true>(c, T::sqrt).to_f64();
                for got in [lanes, branches] {
                    assert!(
                        (got - want).abs() <= tol,
                        "a={a:?} b={b:?} c={c:?}: {got} vs {want}"
                    );
                }
            }
            // Identical points (c = 1) give Ḟ = h exactly.
            assert_eq!(map.eval::<false>(T::ONE, sqrt), h);
            assert_eq!(map.eval::<true>(T::ONE, T::sqrt), h);
        }
    }

    #[test]
    fn affine_acos_f32() {
        affine_acos_against_libm::<f32>(2.0);
    }

    #[test]
    fn affine_acos_f64() {
        affine_acos_against_libm::<f64>(2.0);
    }
}

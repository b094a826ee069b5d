//! The angle between two pre-activations, computed stably.
//!
//! For a pair with covariance K and variances q₁, q₂ the arc-cosine kernels
//! need θ = arccos(K/√(q₁q₂)). Like neural-tangents we never call `acos` on a
//! rounded ratio near ±1; we form
//!
//! ```text
//! r = √(q₁q₂),   c = clamp(K/r, −1, 1),   s = √((1−c)(1+c)),   θ = atan2(s, c)
//! ```
//!
//! `(1−c)(1+c)` has no cancellation beyond that of `c` itself, and `r` is
//! formed as `√(q₁q₂)` so that identical inputs (K = q₁ = q₂) give c = 1 and
//! θ = 0 exactly (√(fl(q²)) = q in IEEE arithmetic). When q₁q₂ would over- or
//! underflow, both are first rescaled by exact powers of two, so norms from
//! 1e-30 to 1e30 (f64) and 1e-15 to 1e15 (f32) are handled with the same
//! accuracy. A zero input (r = 0) gives c = 0, θ = π/2: neural-tangents'
//! `atan2(0, 0) := π/2` fill.
//!
//! Cosines within 4 ulps of ±1 are snapped to ±1. An ulp of c moves θ by
//! √(2ε) there (1.5e-8 in f64, 3.5e-4 in f32), so without the snap exactly
//! parallel inputs — every pair when d = 1, x and 2.5·x, and deeper layers,
//! whose K and q are rounded along different paths — would get θ ≈ √ε instead
//! of 0, and the ReLU-family NTK a relative error of ≈ √ε/(2π). A pair whose
//! true angle is below √(8ε) is not resolved by the rounded inputs anyway.

use crate::Real;

/// cos θ, sin θ, θ and the geometric mean r = √(q₁q₂) of a pair.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Angle<T> {
    /// c = K/√(q₁q₂) ∈ [−1, 1] (0 when either variance is 0).
    pub cos: T,
    /// s = √(1 − c²) ∈ [0, 1].
    pub sin: T,
    /// θ = atan2(s, c) ∈ [0, π].
    pub theta: T,
    /// r = √(q₁q₂) ≥ 0.
    pub r: T,
    /// 1 − c ∈ [0, 2], accurate near c = 1 when built by [`Angle::with_gap`].
    pub vers: T,
}

impl<T: Real> Angle<T> {
    /// The angle of a pair with covariance `k` and variances `q1`, `q2` (all finite, q ≥ 0).
    #[inline]
    pub fn new(k: T, q1: T, q2: T) -> Self {
        let r = geometric_mean(q1, q2);
        let cos = if r > T::ZERO { snap(k / r) } else { T::ZERO };
        let sin = ((T::ONE - cos) * (T::ONE + cos)).sqrt();
        Angle {
            cos,
            sin,
            theta: sin.atan2(cos),
            r,
            vers: T::ONE - cos,
        }
    }

    /// The angle from the gap D = √(q₁q₂) − K ≥ 0 carried by the recursion,
    /// which is accurate where K/√(q₁q₂) is within rounding of 1:
    ///
    /// ```text
    /// 1 − c = D/r,   sin θ = √((1 − c)(1 + c)),   θ = 2·atan2(√((1 − c)/2), √((1 + c)/2))
    /// ```
    ///
    /// For c ≤ ½ (or r = 0) it is [`Angle::new`]. No snapping: D is exact up
    /// to its relative rounding, however small (the recursion snaps the
    /// inputs' own gap, see [`snap_gap`]).
    #[inline]
    pub fn with_gap(k: T, gap: T, q1: T, q2: T) -> Self {
        let r = geometric_mean(q1, q2);
        let vers = if r > T::ZERO { gap / r } else { T::ONE };
        if vers >= T::HALF || !vers.is_finite() {
            return Self::new(k, q1, q2);
        }
        let h = vers * T::HALF;
        Angle {
            cos: T::ONE - vers,
            sin: (vers * (T::TWO - vers)).sqrt(),
            theta: T::TWO * h.sqrt().atan2((T::ONE - h).sqrt()),
            r,
            vers,
        }
    }
}

/// The gap D = √(q₁q₂) − K ≥ 0 of a pair formed from rounded K and q: 0
/// when within 4 ulps of √(q₁q₂) (the cosine snap of [`Angle::new`]).
#[inline]
pub fn snap_gap<T: Real>(k: T, q1: T, q2: T) -> T {
    let r = geometric_mean(q1, q2);
    let gap = r - k;
    if gap <= T::from_f64(4.0) * T::EPSILON * r {
        T::ZERO
    } else {
        gap
    }
}

/// Clamps a rounded cosine to [−1, 1], snapping values within 4 ulps of ±1 to ±1.
#[inline]
fn snap<T: Real>(c: T) -> T {
    let near = T::ONE - T::from_f64(4.0) * T::EPSILON;
    if c >= near {
        T::ONE
    } else if c <= -near {
        -T::ONE
    } else {
        c
    }
}

/// √(a·b) for a, b ≥ 0 without spurious over- or underflow, and exact
/// (= a) when a = b.
#[inline]
pub fn geometric_mean<T: Real>(a: T, b: T) -> T {
    let p = a * b;
    if p >= T::MIN_POSITIVE && p < T::MAX {
        return p.sqrt();
    }
    if a == T::ZERO || b == T::ZERO {
        return T::ZERO;
    }
    // a = ma·2^ea, b = mb·2^eb with even exponents, so √ splits exactly.
    let (ma, ea) = even_frexp(a);
    let (mb, eb) = even_frexp(b);
    (ma * mb).sqrt().scalbn((ea + eb) / 2)
}

/// x = m·2ᵉ with e even and m ∈ [¼, 1).
#[inline]
fn even_frexp<T: Real>(x: T) -> (T, i32) {
    let (m, e) = x.frexp();
    if e % 2 == 0 {
        (m, e)
    } else {
        (m * T::HALF, e + 1)
    }
}

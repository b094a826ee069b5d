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
//! [`Angle::new`] snaps cosines within 4 ulps of ±1 to ±1: an ulp of c moves
//! θ by √(2ε) there (1.5e-8 in f64, 3.5e-4 in f32), so from a rounded K alone
//! exactly parallel inputs would get θ ≈ √ε instead of 0. The recursion does
//! not rely on it: it carries the pair's [`Gaps`] to the parallel and the
//! antiparallel pair, formed from the inputs and updated through every layer
//! without cancellation, and takes the angle from them ([`Angle::of_gaps`]),
//! accurate to a few ulps of θ and of π − θ everywhere.

use crate::spectrum::compensated::two_prod;
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
    /// 1 − c ∈ [0, 2], accurate near c = 1 when built by [`Angle::of_gaps`].
    pub vers: T,
    /// 1 + c ∈ [0, 2], accurate near c = −1 when built by [`Angle::of_gaps`].
    pub cov: T,
    /// π − θ ∈ [0, π], accurate near θ = π when built by [`Angle::of_gaps`].
    pub supp: T,
}

impl<T: Real> Angle<T> {
    /// The angle of a pair with covariance `k` and variances `q1`, `q2` (all finite, q ≥ 0).
    #[inline]
    pub fn new(k: T, q1: T, q2: T) -> Self {
        let r = geometric_mean(q1, q2);
        let cos = if r > T::ZERO { snap(k / r) } else { T::ZERO };
        let sin = ((T::ONE - cos) * (T::ONE + cos)).sqrt();
        let theta = sin.atan2(cos);
        Angle {
            cos,
            sin,
            theta,
            r,
            vers: T::ONE - cos,
            cov: T::ONE + cos,
            supp: T::PI - theta,
        }
    }

    /// The angle from the pair's [`Gaps`] 1 − c and 1 + c, carried by the
    /// recursion, which keep it to full relative precision near 0 and near π:
    ///
    /// ```text
    /// sin θ = √(1 − c)·√(1 + c),   θ = 2·atan2(√(1 − c), √(1 + c)),   π − θ = 2·atan2(√(1 + c), √(1 − c))
    /// ```
    ///
    /// c itself is formed from whichever of the two does not cancel. No
    /// snapping. When r = √(q₁q₂) = 0 (a zero variance) it is
    /// [`Angle::new`]'s c = 0, θ = π/2 (neural-tangents' fill).
    #[inline]
    pub fn of_gaps(gaps: Gaps<T>, q1: T, q2: T) -> Self {
        let r = geometric_mean(q1, q2);
        if r.partial_cmp(&T::ZERO) != Some(core::cmp::Ordering::Greater) {
            return Self::new(T::ZERO, q1, q2);
        }
        let (vers, cov) = (gaps.vers.max(T::ZERO), gaps.cov.max(T::ZERO));
        let cos = if vers <= cov {
            T::ONE - vers
        } else {
            cov - T::ONE
        };
        let (rv, rc) = (vers.sqrt(), cov.sqrt());
        Angle {
            cos: cos.max(-T::ONE).min(T::ONE),
            sin: (rv * rc).min(T::ONE),
            theta: T::TWO * rv.atan2(rc),
            r,
            vers,
            cov,
            supp: T::TWO * rc.atan2(rv),
        }
    }
}

/// The gaps of a pair with covariance K and variances q₁, q₂ to the parallel
/// and the antiparallel pair, relative to r = √(q₁q₂):
///
/// ```text
/// 1 − c = (r − K)/r ∈ [0, 2],   1 + c = (r + K)/r ∈ [0, 2]
/// ```
///
/// From rounded K and r either cancels where the pair is nearly parallel
/// (antiparallel), and an ulp of c moves θ by √(2ε). The recursion therefore
/// forms them from the inputs without cancellation ([`Gaps::of_inputs`]) and
/// updates them through every layer without cancellation ([`Gaps::dense`],
/// [`Activation::dual_gap`](crate::Activation::dual_gap)); the angle comes
/// from them ([`Angle::of_gaps`]). Relative to r, they neither over- nor
/// underflow whatever the scale of the variances. A pair with a zero
/// variance has c = 0 (gaps 1 and 1).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Gaps<T> {
    /// 1 − c, the gap to the parallel pair.
    pub vers: T,
    /// 1 + c, the gap to the antiparallel pair.
    pub cov: T,
}

impl<T: Real> Gaps<T> {
    /// The gaps of an orthogonal pair, or of a pair with a zero variance (c = 0).
    pub const ORTHOGONAL: Self = Gaps {
        vers: T::ONE,
        cov: T::ONE,
    };

    /// 1 ∓ c from c = `k`/r, r = √(`q1`·`q2`), each snapped to 0 when within
    /// 4 ulps of 0: the gaps of a pair known only by its rounded covariance
    /// (exactly ±parallel inputs then stay exactly ±parallel).
    #[inline]
    pub fn snapped(k: T, q1: T, q2: T) -> Self {
        let r = geometric_mean(q1, q2);
        if r.partial_cmp(&T::ZERO) != Some(core::cmp::Ordering::Greater) {
            return Self::ORTHOGONAL;
        }
        let tol = T::from_f64(4.0) * T::EPSILON * r;
        let snap = |g: T| if g <= tol { T::ZERO } else { g / r };
        Gaps {
            vers: snap(r - k),
            cov: snap(r + k),
        }
    }

    /// The gaps of the inputs x, z ∈ ℝᵈ themselves (K = x·z/d, q = |x|²/d),
    /// given their squared norms `nx`, `nz` and dot product `dot`:
    ///
    /// ```text
    /// |c| ≤ ½:  1 ∓ c = (r ∓ K)/r
    /// c > ½:    1 − c = |x/|x| − z/|z||²/2,  1 + c = 2 − (1 − c)
    /// c < −½:   1 + c = |x/|x| + z/|z||²/2,  1 − c = 2 − (1 + c)
    /// ```
    ///
    /// |c| > ½ takes the working precision only (no wider type, so `f32`
    /// needs no software `f64` on a microcontroller): 1 ∓ c = sin²θ/(1 ± c)
    /// from the part of ±z orthogonal to x, formed with error-free products
    /// (by Dekker's products), so 1 ∓ c is accurate to a few ulps of itself where the
    /// subtraction r − K would err by ε: angles down to ≈ ε rad are resolved
    /// instead of √ε, identical inputs give 1 − c = 0, x and 2ᵏ·x give 0
    /// exactly, x and −x give 1 + c = 0, a 1-D pair is exactly ±parallel.
    /// (O(d) more work, only for pairs
    /// with |c| > ½.)
    /// Arguments are finite, of equal lengths and `nx`, `nz` their squared
    /// norms; a zero input gives [`Gaps::ORTHOGONAL`].
    pub fn of_inputs(x: &[T], z: &[T], (nx, nz): (T, T), dot: T) -> Self {
        let dim = T::from_usize(x.len().max(1));
        let r = geometric_mean(nx / dim, nz / dim);
        let k = dot / dim;
        if r.partial_cmp(&T::ZERO) != Some(core::cmp::Ordering::Greater) {
            return Self::ORTHOGONAL;
        }
        if k.abs() <= T::HALF * r {
            return Gaps {
                vers: (r - k) / r,
                cov: (r + k) / r,
            };
        }
        let sign = if k > T::ZERO { T::ONE } else { -T::ONE };
        // `near_gap` projects its second argument on its first: one order
        // for both (x, z) and (z, x) keeps K(x, z) = K(z, x) bit for bit,
        // which the threaded fit needs (it forms lower-triangle entries that
        // one thread mirrors from the upper).
        let (x, z) = if precedes(z, x) { (z, x) } else { (x, z) };
        let near = near_gap(x, z, sign).unwrap_or(((r - k.abs()) / r).max(T::ZERO));
        let far = (T::TWO - near).max(T::ZERO);
        if k > T::ZERO {
            Gaps {
                vers: near,
                cov: far,
            }
        } else {
            Gaps {
                vers: far,
                cov: near,
            }
        }
    }

    /// The gaps after the Dense layer of variances σ_w² = `w2`, σ_b² = `b2`,
    /// from the variances `p` entering it to the variances `q` leaving it
    /// (qᵢ = σ_w²pᵢ + σ_b², r_p = √(p₁p₂), r_q = √(q₁q₂)):
    ///
    /// ```text
    /// e       = σ_w²σ_b²(√p₁ − √p₂)² / (r_q + σ_w²r_p + σ_b²)
    /// 1 − c′  = (σ_w²r_p·(1 − c) + e)/r_q
    /// 1 + c′  = (σ_w²r_p·(1 + c) + 2σ_b² + e)/r_q
    /// ```
    ///
    /// every term ≥ 0: r_q ∓ (σ_w²K + σ_b²) without cancellation.
    #[inline]
    pub fn dense(self, (w2, b2): (T, T), p: (T, T), q: (T, T)) -> Self {
        if b2 == T::ZERO {
            return self;
        }
        let (rp, rq) = (geometric_mean(p.0, p.1), geometric_mean(q.0, q.1));
        if rq.partial_cmp(&T::ZERO) != Some(core::cmp::Ordering::Greater) {
            return Self::ORTHOGONAL;
        }
        // Ordered so no intermediate overflows when σ_b² or the variances are
        // near T::MAX: σ_w²(√p₁ − √p₂)² ≤ σ_w²·max pᵢ ≤ max qᵢ, σ_w²r_p ≤ r_q
        // and σ_b² ≤ r_q, so every factor below is finite and the last two ≤ 1.
        let diff = p.0.sqrt() - p.1.sqrt();
        let bias_share = T::ONE / (T::ONE + rq / b2 + w2 * rp / b2);
        let e = w2 * (diff * diff) / rq * bias_share;
        let kept = w2 * (rp / rq);
        let bias = b2 / rq;
        Gaps {
            vers: kept * self.vers + e,
            cov: kept * self.cov + (bias + bias) + e,
        }
    }

    /// The gaps of an activation's output F relative to
    /// r′ = `r_post` = √(F_diag(q₁)F_diag(q₂)): (r′ ∓ F)/r′, clamped at 0.
    /// Cancels near ±parallel: for maps smooth in K.
    #[inline]
    pub fn of_output(f: T, r_post: T) -> Self {
        if r_post.partial_cmp(&T::ZERO) != Some(core::cmp::Ordering::Greater) {
            return Self::ORTHOGONAL;
        }
        Gaps {
            vers: ((r_post - f) / r_post).max(T::ZERO),
            cov: ((r_post + f) / r_post).max(T::ZERO),
        }
    }
}

/// 1 − cos∠(x, s·z), s = ±1, for a pair at an angle below 60°, as
/// sin²/(1 + cos): with t = x·z/|x|² (rounded), w = s·z − t·x is formed
/// exactly up to one rounding per coordinate (Dekker's product), so t's
/// rounding only moves w along x, and |w⊥|² = |w|² − (x·w)²/|x|² =
/// |z|²·sin². z = 2ᵏ·x (identical points included) gives t = 2ᵏ, w = 0.
/// A 1-D pair is exactly parallel (its rounding residue would grow through
/// layers of sign or step, which take √ of the gap). `None` when the sums
/// over- or underflow.
fn near_gap<T: Real>(x: &[T], z: &[T], s: T) -> Option<T> {
    if x.len() == 1 {
        return Some(T::ZERO);
    }
    // Each point scaled by a power of two to a largest coordinate in
    // [½, 1): exact, and the sums of squares below then neither underflow
    // (f32 points of norm 1e-16 lost their angle) nor overflow; sin² is
    // invariant under scaling each point.
    let (sx, sz) = (unit_scale(x), unit_scale(z));
    let (mut xx, mut xz, mut zz) = (T::ZERO, T::ZERO, T::ZERO);
    for (&a, &b) in x.iter().zip(z) {
        let (a, b) = (a * sx, b * sz);
        xx += a * a;
        xz += a * (s * b);
        zz += b * b;
    }
    // The larger point first (ties: the lexicographically larger), so that
    // the gap is bitwise the same for (x, z) and (z, x).
    let tie = || {
        x.iter()
            .zip(z)
            .find(|(a, b)| a != b)
            .is_none_or(|(a, b)| a > b)
    };
    let (x, z, xx, zz, sx, sz) = if xx > zz || (xx == zz && tie()) {
        (x, z, xx, zz, sx, sz)
    } else {
        (z, x, zz, xx, sz, sx)
    };
    let t = xz / xx;
    let (mut ww, mut xw) = (T::ZERO, T::ZERO);
    for (&a, &b) in x.iter().zip(z) {
        let (a, b) = (a * sx, b * sz);
        let (p, e) = two_prod(t, a);
        let w = (s * b - p) - e;
        ww += w * w;
        xw += a * w;
    }
    let sin2 = ((ww - xw * (xw / xx)) / zz).max(T::ZERO);
    (sin2 <= T::ONE).then(|| sin2 / (T::ONE + (T::ONE - sin2).sqrt()))
}

/// 2⁻ᵉ for the largest |vᵢ| = m·2ᵉ, m ∈ [½, 1) (1 for a zero vector).
fn unit_scale<T: Real>(v: &[T]) -> T {
    let max = v.iter().fold(T::ZERO, |m, &a| m.max(a.abs()));
    if max == T::ZERO {
        return T::ONE;
    }
    T::ONE.scalbn(-max.frexp().1)
}

/// Whether `a` comes before `b` in lexicographic order of the coordinates
/// (finite, equal lengths): a total order on distinct points.
fn precedes<T: Real>(a: &[T], b: &[T]) -> bool {
    a.iter()
        .zip(b)
        .find(|(p, q)| p != q)
        .is_some_and(|(p, q)| p < q)
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
    rescaled_geometric_mean(a, b)
}

/// [`geometric_mean`] where a·b over- or underflows: rare, so one shared
/// copy out of line (inlined at each of its callers it cost a Cortex-M4F's
/// fit + predict 496 B of flash).
#[cold]
#[inline(never)]
fn rescaled_geometric_mean<T: Real>(a: T, b: T) -> T {
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

#[cfg(test)]
mod tests {
    use super::{Angle, Gaps};

    /// f32 inputs at tan θ = t = 2⁻¹⁰ (x = (3, 4), z = x + t·(−4, 3), exact
    /// in f32): 1 − c = t²/(√(1+t²)(1 + √(1+t²))) to a few ulps, where
    /// (r − K)/r in f32 errs by ~12 %; negated, the same for 1 + c; a scaled
    /// copy exactly parallel. The same at norms 2⁻⁶⁶ and 2⁶⁰ (exact scalings),
    /// where the residual's squares underflow or the squares overflow f32
    /// unless the points are rescaled (the angle was lost there: gap 0).
    #[test]
    fn f32_gaps_of_a_close_pair_from_the_inputs() {
        for scale in [1.0, 2f32.powi(-66), 2f32.powi(60)] {
            close_pair_at(scale);
        }
    }

    fn close_pair_at(scale: f32) {
        let t = 2f64.powi(-10);
        let want = t * t / ((1.0 + t * t).sqrt() * (1.0 + (1.0 + t * t).sqrt()));
        let (x, z) = (
            [3.0f32 * scale, 4.0 * scale],
            [
                (3.0 - 4.0 * t) as f32 * scale,
                (4.0 + 3.0 * t) as f32 * scale,
            ],
        );
        let sq = |v: &[f32]| v.iter().map(|a| a * a).sum::<f32>();
        let dot = |a: &[f32], b: &[f32]| a.iter().zip(b).map(|(p, q)| p * q).sum::<f32>();
        let g = Gaps::of_inputs(&x, &z, (sq(&x), sq(&z)), dot(&x, &z));
        assert!(
            (f64::from(g.vers) / want - 1.0).abs() < 1e-6,
            "scale {scale:e}: {g:?} vs {want}"
        );
        let neg = z.map(|v| -v);
        let g = Gaps::of_inputs(&x, &neg, (sq(&x), sq(&neg)), dot(&x, &neg));
        assert!(
            (f64::from(g.cov) / want - 1.0).abs() < 1e-6,
            "scale {scale:e}: {g:?} vs {want}"
        );
        let big = x.map(|v| 3.0 * v);
        let g = Gaps::of_inputs(&x, &big, (sq(&x), sq(&big)), dot(&x, &big));
        assert_eq!((g.vers, g.cov), (0.0, 2.0));
    }

    /// The gaps of (x, z) and (z, x) are the same bits (points 25 and 7 of
    /// the threaded-fit test's data, sin(0.7·k) in d = 3, whose NTK differed
    /// by 1 ulp between the orders).
    #[test]
    fn gaps_are_symmetric_bit_for_bit() {
        let p =
            |i: usize| core::array::from_fn::<f64, 3, _>(|c| libm::sin(0.7 * (3 * i + c) as f64));
        let sq = |v: &[f64]| v.iter().map(|a| a * a).sum::<f64>();
        let dot = |a: &[f64], b: &[f64]| a.iter().zip(b).map(|(p, q)| p * q).sum::<f64>();
        for (i, j) in [(25, 7), (26, 8), (28, 7), (28, 13), (36, 12)] {
            let (x, z) = (p(i), p(j));
            let a = Gaps::of_inputs(&x, &z, (sq(&x), sq(&z)), dot(&x, &z));
            let b = Gaps::of_inputs(&z, &x, (sq(&z), sq(&x)), dot(&z, &x));
            assert_eq!(
                (a.vers.to_bits(), a.cov.to_bits()),
                (b.vers.to_bits(), b.cov.to_bits()),
                "({i}, {j})"
            );
        }
    }

    /// θ = 1e-9: 1 − cos θ = θ²/2 = 5e-19 resolves the angle to full precision.
    #[test]
    fn a_tiny_angle_from_its_gap() {
        let g = Angle::of_gaps(
            Gaps {
                vers: 5e-19f64,
                cov: 2.0,
            },
            1.0,
            1.0,
        );
        assert!((g.theta - 1e-9).abs() < 1e-24, "{}", g.theta);
    }
}

//! Gaussian(a, b): φ(x) = a·exp(b·x²) (neural-tangents `stax.Gaussian(a, b)`,
//! default b = −1):
//!
//! ```text
//! det = (1 − 2bq₁)(1 − 2bq₂) − 4b²K² = 1 − 2b(q₁ + q₂) + 4b²(q₁q₂ − K²)
//! F = a²/√det,   Ḟ = 4a²b²K/det^{3/2},   F_diag(q) = a²/√(1 − 4bq)
//! ```
//!
//! With Dᵢ = 1 − 4bqᵢ and G = √(D₁D₂) (so r′ = √(F_diag(q₁)F_diag(q₂)) =
//! a²/√G), det splits into terms that are each ≥ 0:
//!
//! ```text
//! det = G·(1 + u),   u = (√D₁ − √D₂)²/(2G) + 4b²·r²(1 − c)(1 + c)/G
//! √D₁ − √D₂ = −4b(q₁ − q₂)/(√D₁ + √D₂)
//! ```
//!
//! so the output's cosine c′ = F/r′ = 1/√(1 + u) and its gap
//! 1 − c′ = u/(√(1 + u)(1 + √(1 + u))) come without cancellation (forming
//! r′ − F would lose the angle of a near-parallel pair, and, φ being even,
//! of a near-antiparallel one, after one layer). Everything is relative to
//! G, so no intermediate reaches q² (which overflows f32 for q ≳ 1e19).
//! r²(1 − c)(1 + c) is taken from the pair's gaps. For b > 0 the expectation
//! exists only while 4bq < 1 (and det > 0); beyond, the maps are NaN and
//! [`Network::kernels`](crate::Network::kernels) returns an error.

use super::angle::{geometric_mean, Angle, Gaps};
use crate::Real;

/// (F, Ḟ) of a·exp(b·x²) for a pair.
#[inline]
pub fn dual<T: Real>(a: T, b: T, k: T, q1: T, q2: T) -> (T, T) {
    let (f, fdot, _) = of_angle(a, b, k, (q1, q2), Angle::new(k, q1, q2));
    (f, fdot)
}

/// (F, Ḟ) and the output's [`Gaps`] (relative to r′ = a²/√G) from the
/// variances and the pair's [`Angle`].
#[inline]
pub(crate) fn of_angle<T: Real>(a: T, b: T, k: T, q: (T, T), g: Angle<T>) -> (T, T, Gaps<T>) {
    let four = T::from_f64(4.0);
    let (d1, d2) = (T::ONE - four * b * q.0, T::ONE - four * b * q.1);
    if !(d1 > T::ZERO && d2 > T::ZERO) {
        let nan = T::from_f64(f64::NAN);
        return (
            nan,
            nan,
            Gaps {
                vers: nan,
                cov: nan,
            },
        );
    }
    let (s1, s2) = (d1.sqrt(), d2.sqrt());
    // √G = (D₁D₂)^{1/4}, G = √G², both without over- or underflow.
    let root_g = geometric_mean(s1, s2);
    let big_g = geometric_mean(d1, d2);
    let h = -four * b * (q.0 - q.1) / (s1 + s2) / root_g;
    let t = T::TWO * b.abs() * (g.r / root_g) * g.sin;
    let u = T::HALF * h * h + t * t;
    let w = (T::ONE + u).sqrt(); // √(det/G)
    let a2 = a * a;
    let f = a2 / root_g / w;
    // Ḟ = 4a²b²K/(G^{3/2}(1 + u)^{3/2}).
    let fdot = four * a2 * b * b * (k / big_g) / root_g / (w * w * w);
    let gaps = Gaps {
        vers: u / (w * (T::ONE + w)),
        cov: T::ONE + T::ONE / w,
    };
    (f, fdot, gaps)
}

/// F_diag(q) = a²/√(1 − 4bq).
#[inline]
pub fn diag<T: Real>(a: T, b: T, q: T) -> T {
    a * a / checked_sqrt(T::ONE - T::from_f64(4.0) * b * q)
}

/// √x for x > 0, NaN otherwise (the expectation diverges).
#[inline]
fn checked_sqrt<T: Real>(x: T) -> T {
    if x > T::ZERO {
        x.sqrt()
    } else {
        T::from_f64(f64::NAN)
    }
}

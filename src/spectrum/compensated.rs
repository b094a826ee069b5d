//! Error-free transformations and compensated sums (Ogita, Rump & Oishi 2005).
//!
//! `two_sum` and `two_prod` return the rounded result and its exact rounding
//! error; [`Dot2`] accumulates Σ aᵢbᵢ as if in twice the working precision.
//! They keep alternating sums (Krawtchouk, quadrature) accurate to the
//! working precision of the *result*, not of the largest term.

use crate::Real;

/// (s, e) with s = fl(a + b) and a + b = s + e exactly (Knuth's TwoSum).
#[inline]
pub(crate) fn two_sum<T: Real>(a: T, b: T) -> (T, T) {
    let s = a + b;
    let bb = s - a;
    (s, (a - (s - bb)) + (b - bb))
}

/// Dekker's splitter 2^⌈p/2⌉ + 1 for a p-bit mantissa.
#[inline]
fn splitter<T: Real>() -> T {
    T::ONE.scalbn(T::MANTISSA_DIGITS.div_ceil(2) as i32) + T::ONE
}

/// (hi, lo) with a = hi + lo, each half a mantissa wide (Dekker's split).
#[inline]
fn split<T: Real>(a: T) -> (T, T) {
    let c = splitter::<T>() * a;
    let hi = c - (c - a);
    (hi, a - hi)
}

/// (p, e) with p = fl(a·b) and a·b = p + e exactly (Dekker's TwoProduct,
/// without FMA; exact unless a·b over- or underflows).
#[inline]
pub(crate) fn two_prod<T: Real>(a: T, b: T) -> (T, T) {
    let p = a * b;
    let (a1, a2) = split(a);
    let (b1, b2) = split(b);
    (p, a2 * b2 - (((p - a1 * b1) - a2 * b1) - a1 * b2))
}

/// Compensated dot product (Ogita–Rump–Oishi `Dot2`): the result is as
/// accurate as if Σ aᵢbᵢ were computed in twice the working precision and
/// then rounded.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Dot2<T> {
    sum: T,
    err: T,
}

impl<T: Real> Dot2<T> {
    /// Adds a·b.
    #[inline]
    pub(crate) fn add_product(&mut self, a: T, b: T) {
        let (p, ep) = two_prod(a, b);
        self.add(p);
        self.err += ep;
    }

    /// Adds a (Neumaier's compensated summation when used alone).
    #[inline]
    pub(crate) fn add(&mut self, a: T) {
        let (s, e) = two_sum(self.sum, a);
        self.sum = s;
        self.err += e;
    }

    /// The rounded total.
    #[inline]
    pub(crate) fn value(&self) -> T {
        self.sum + self.err
    }
}

/// Σ of `values`, compensated.
pub(crate) fn sum<T: Real>(values: impl IntoIterator<Item = T>) -> T {
    let mut acc = Dot2::default();
    for v in values {
        acc.add(v);
    }
    acc.value()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_prod_is_exact() {
        let (a, b) = (1.0f64 + 2f64.powi(-30), 1.0f64 - 2f64.powi(-29));
        let (p, e) = two_prod(a, b);
        // a·b = 1 − 2⁻³⁰ − 2⁻⁵⁹ exactly; p holds 1 − 2⁻³⁰, e the rest.
        assert_eq!(p, 1.0 - 2f64.powi(-30));
        assert_eq!(e, -(2f64.powi(-59)));
    }

    #[test]
    fn dot2_survives_cancellation() {
        // 1e16·1 + 1·1 − 1e16·1 = 1; naive f64 summation gives 0 or 2.
        let mut d = Dot2::default();
        for (a, b) in [(1e16f64, 1.0), (1.0, 1.0), (-1e16, 1.0)] {
            d.add_product(a, b);
        }
        assert_eq!(d.value(), 1.0);
        assert_eq!(sum([1e16f32, 1.0, -1e16]), 1.0);
    }
}

//! The lane map of Polynomial, φ(x) = Σᵢ cᵢxⁱ with at most M coefficients
//! (M = 4 or [`MAX_COEFFICIENTS`]; zero-padded, so every loop has a fixed length).
//!
//! The maps of [`activation::polynomial`](crate::activation::polynomial):
//!
//! ```text
//! R_l(q) = Σᵢ g_{l,i}·qⁱ,   g_{l,i} = c₂ᵢ₊ₗ·(2i + l)!/(2ⁱ i!)
//! F = Σ_l R_l(q₁)R_l(q₂)·Kˡ/l!,   Ḟ = ∂F/∂K
//! ```
//!
//! with R_l by Horner in q per point of the pair (the lanes hold two numbers
//! per point, q and √q) and F, Ḟ by Horner in K. By Cauchy–Schwarz
//! Σ_l |R_l(q₁)R_l(q₂)||K|ˡ/l! ≤ √(F(q₁)F(q₂)), so the sum's cancellation
//! costs at most Mε of that scale. Pairs with |K| > (1 − τ)·√(q₁q₂) take the
//! exact path (as [`Monomial`](super::monomial)'s), as do points whose
//! variance would overflow q^(M−1).

use super::monomial::{power_range, within};
use super::{near_unit_of, LaneMap};
use crate::activation::polynomial::{Polynomial as Coefs, MAX_COEFFICIENTS};
use crate::gram::float::{sqrt, LaneReal};

/// The constants of one polynomial of at most M coefficients.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Polynomial<T, const M: usize> {
    /// `g[l][i]` = g_{l,i} of R_l, zero-padded.
    g: [[T; M]; M],
    /// 1/l!.
    inv_fact: [T; M],
    range: (T, T),
}

impl<T: LaneReal, const M: usize> Polynomial<T, M> {
    /// The map of `p`, `None` if it has more than M coefficients.
    pub(crate) fn new(p: &Coefs<T>) -> Option<Self> {
        let c = p.coefficients();
        if c.len() > M || M > MAX_COEFFICIENTS {
            return None;
        }
        let (mut g, mut inv_fact) = ([[T::ZERO; M]; M], [T::ONE; M]);
        let mut l_fact = 1.0;
        for l in 0..M {
            l_fact *= f64::from(l.max(1) as u32);
            inv_fact[l] = T::from_f64(1.0 / l_fact);
            // (2i + l)!/(2ⁱ i!) from i to i + 1: ×(2i + l + 1)(2i + l + 2)/(2(i + 1)).
            let mut factor = l_fact;
            // A zip, not `g[l][i]`: no bounds check (a panic path on firmware).
            let terms = g[l].iter_mut().zip(c.iter().skip(l).step_by(2));
            for (i, (gi, &ci)) in terms.enumerate() {
                *gi = T::from_f64(ci.to_f64() * factor);
                let m = (2 * i + l) as f64;
                factor *= (m + 1.0) * (m + 2.0) / (2.0 * (i as f64 + 1.0));
            }
        }
        let degree = c.len().saturating_sub(1).max(1) as u32;
        Some(Polynomial {
            g,
            inv_fact,
            range: power_range(degree),
        })
    }

    /// R_l(q) by Horner (the top half of each row is zero).
    #[inline(always)]
    fn r(&self, l: usize, q: T) -> T {
        let mut acc = T::ZERO;
        for i in (0..M.div_ceil(2)).rev() {
            acc = acc.fma(q, self.g[l][i]);
        }
        acc
    }
}

impl<T: LaneReal, const M: usize> LaneMap<T> for Polynomial<T, M> {
    #[inline(always)]
    fn point(&self, q: T) -> [T; 2] {
        [q, sqrt(q)]
    }

    #[inline(always)]
    fn accepts(&self, q: T) -> bool {
        within(q, self.range)
    }

    #[inline(always)]
    fn apply(&self, k: T, x: [T; 2], z: [T; 2]) -> (T, T, bool) {
        let (mut f, mut fdot) = (T::ZERO, T::ZERO);
        for l in (0..M).rev() {
            let a = self.r(l, x[0]) * self.r(l, z[0]) * self.inv_fact[l];
            fdot = fdot.fma(k, f);
            f = f.fma(k, a);
        }
        (f, fdot, near_unit_of(k, x[1] * z[1]))
    }
}

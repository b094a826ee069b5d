//! Polynomial: φ(x) = c₀ + c₁x + … + cₘ₋₁xᵐ⁻¹, at most [`MAX_COEFFICIENTS`]
//! coefficients, stored inline (neural-tangents `stax.Polynomial(coef)`).
//!
//! Expanding φ(√q·z) in normalised Hermite polynomials of z gives
//! neural-tangents' closed form, written without square roots:
//!
//! ```text
//! R_l(q) = Σᵢ c₂ᵢ₊ₗ·(2i + l)!/(2ⁱ i!)·qⁱ
//! F = Σ_l R_l(q₁)R_l(q₂)·Kˡ/l!,   Ḟ = Σ_{l≥1} R_l(q₁)R_l(q₂)·Kˡ⁻¹/(l − 1)!
//! F_diag(q) = Σ_l R_l(q)²·qˡ/l!
//! ```

use super::monomial::powi;
use crate::{Error, Real, Result};

/// The largest number of coefficients (degree 7).
pub const MAX_COEFFICIENTS: usize = 8;

/// The coefficients c₀ … cₘ₋₁ of a polynomial activation, m ≤ 8.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Polynomial<T> {
    coefs: [T; MAX_COEFFICIENTS],
    len: usize,
}

impl<T: Real> Polynomial<T> {
    /// φ(x) = Σᵢ coefs\[i\]·xⁱ (neural-tangents' order, numpy's `Polynomial`).
    ///
    /// ```
    /// use ntk::activation::polynomial::Polynomial;
    /// use ntk::{Activation, Network};
    /// let phi = Polynomial::new(&[0.0, 1.0, 0.5])?; // x + x²/2
    /// let net = Network::<f64>::new(2, Activation::Polynomial(phi))?;
    /// assert!(net.kernels(&[1.0], &[0.5])?.nngp > 0.0);
    /// # Ok::<(), ntk::Error>(())
    /// ```
    ///
    /// Errors: more than 8 coefficients ([`Error::CapacityExceeded`]), a
    /// non-finite one ([`Error::NonFinite`]).
    pub fn new(coefs: &[T]) -> Result<Self> {
        if coefs.len() > MAX_COEFFICIENTS {
            return Err(Error::CapacityExceeded {
                capacity: MAX_COEFFICIENTS,
            });
        }
        crate::error::ensure_finite(coefs, "polynomial coefficient")?;
        let mut stored = [T::ZERO; MAX_COEFFICIENTS];
        stored[..coefs.len()].copy_from_slice(coefs);
        Ok(Polynomial {
            coefs: stored,
            len: coefs.len(),
        })
    }

    /// The coefficients c₀ … cₘ₋₁.
    pub fn coefficients(&self) -> &[T] {
        &self.coefs[..self.len.min(MAX_COEFFICIENTS)]
    }

    /// (F, Ḟ) for a pair.
    pub fn dual(&self, k: T, q1: T, q2: T) -> (T, T) {
        let (mut f, mut fdot, mut l_factorial) = (T::ZERO, T::ZERO, T::ONE);
        for l in 0..self.coefficients().len() {
            let term = self.r(l, q1) * self.r(l, q2);
            if l > 0 {
                fdot += term * powi(k, l as u32 - 1) / l_factorial;
                l_factorial *= T::from_usize(l);
            }
            f += term * powi(k, l as u32) / l_factorial;
        }
        (f, fdot)
    }

    /// F_diag(q) = Σ_l R_l(q)²qˡ/l!.
    pub fn diag(&self, q: T) -> T {
        self.dual(q, q, q).0
    }

    /// R_l(q) = Σᵢ c₂ᵢ₊ₗ(2i + l)!/(2ⁱi!)·qⁱ.
    fn r(&self, l: usize, q: T) -> T {
        let coefs = self.coefficients();
        // (2i + l)!/(2ⁱ i!) from i to i + 1: ×(2i + l + 1)(2i + l + 2)/(2(i + 1)).
        let mut factor: T = (1..=l).map(T::from_usize).fold(T::ONE, |a, b| a * b);
        let (mut total, mut power) = (T::ZERO, T::ONE);
        for (i, &c) in coefs.iter().skip(l).step_by(2).enumerate() {
            total += c * factor * power;
            let m = 2 * i + l;
            factor = factor * T::from_usize((m + 1) * (m + 2)) / T::from_usize(2 * (i + 1));
            power *= q;
        }
        total
    }

    /// φ(x), by Horner's rule.
    pub fn apply(&self, x: T) -> T {
        self.coefficients()
            .iter()
            .rev()
            .fold(T::ZERO, |acc, &c| acc * x + c)
    }

    /// φ′(x) = Σᵢ i·cᵢxⁱ⁻¹.
    pub fn derivative(&self, x: T) -> T {
        // Enumerated, not indexed: no bounds check left to panic (firmware link proofs).
        let terms = self.coefficients().iter().enumerate().skip(1);
        terms
            .rev()
            .fold(T::ZERO, |acc, (i, &c)| acc * x + T::from_usize(i) * c)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// φ′ of 1 − 2x + 3x² + 0.5x⁴ is −2 + 6x + 2x³ (exact in f64 at these x);
    /// a constant has φ′ = 0.
    #[test]
    fn derivative_is_the_closed_form() {
        let p = Polynomial::new(&[1.0f64, -2.0, 3.0, 0.0, 0.5]).unwrap();
        for x in [0.0, 1.0, -1.5, 0.25, 3.0] {
            assert_eq!(p.derivative(x), -2.0 + 6.0 * x + 2.0 * x * x * x);
        }
        assert_eq!(Polynomial::new(&[4.0f64]).unwrap().derivative(2.0), 0.0);
    }

    /// A polynomial equal to a monomial has the monomial's (Wick) maps, and a
    /// sum of monomials of different parity has the sum of their maps.
    #[test]
    fn polynomial_maps_match_monomials() {
        for &(k, q1, q2) in &[(0.3f64, 1.0, 2.0), (-0.9, 1.5, 0.7), (0.0, 0.4, 1.0)] {
            for n in 0..MAX_COEFFICIENTS {
                let mut c = [0.0; MAX_COEFFICIENTS];
                c[n] = 1.0;
                let p = Polynomial::new(&c[..=n]).unwrap();
                let (f, fdot) = p.dual(k, q1, q2);
                let (mf, mfdot) = super::super::monomial::dual(n as u32, k, q1, q2);
                assert!(
                    (f - mf).abs() <= 1e-12 * mf.abs().max(1.0),
                    "x^{n}: {f} vs {mf}"
                );
                assert!(
                    (fdot - mfdot).abs() <= 1e-12 * mfdot.abs().max(1.0),
                    "x^{n} Ḟ"
                );
            }
            // x + x²: cross terms E[u·v²] vanish (odd moments).
            let p = Polynomial::new(&[0.0, 1.0, 1.0]).unwrap();
            let m = |n| super::super::monomial::dual(n, k, q1, q2).0;
            assert!((p.dual(k, q1, q2).0 - (m(1) + m(2))).abs() < 1e-13);
        }
        assert!(Polynomial::new(&[1.0f32; 9]).is_err());
        assert!(Polynomial::new(&[f64::NAN]).is_err());
        let p = Polynomial::new(&[1.0, -2.0, 3.0]).unwrap();
        assert_eq!((p.apply(2.0), p.derivative(2.0)), (9.0, 10.0));
    }
}

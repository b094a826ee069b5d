//! Gauss–Hermite quadrature: the n-point rule
//!
//! ```text
//! ∫ e^{−x²} f(x) dx ≈ Σᵢ wᵢ f(xᵢ),   xᵢ the roots of the Hermite polynomial Hₙ,
//! wᵢ = 2/ψₙ′(xᵢ)²,   ψ₀ = π^{−1/4},  ψⱼ = x·√(2/j)·ψⱼ₋₁ − √((j−1)/j)·ψⱼ₋₂
//! ```
//!
//! (ψⱼ the orthonormal Hermite functions without their Gaussian factor,
//! ψₙ′ = √(2n)·ψₙ₋₁), exact for polynomials f of degree ≤ 2n − 1. The roots
//! are found by Newton's method on ψₙ from the classical asymptotic initial
//! guesses (Numerical Recipes' `gauher`: the largest root near
//! √(2n+1) − 1.856(2n+1)^{−1/6}, each next one extrapolated from the previous
//! two), largest first, in f64, with no allocation: O(n²) operations and a few
//! hundred bytes of stack. The rule is symmetric, so only the ⌈n/2⌉
//! non-negative nodes are computed.
//!
//! Error of the n-point rule: n!·√π/(2ⁿ(2n)!)·f⁽²ⁿ⁾(ξ) for some real ξ; for f
//! analytic in the strip |Im x| < τ it decays like exp(−2τ√(2n)).

use crate::{Error, Result};

/// The largest number of nodes n (the rule is computed on the stack).
pub const MAX_NODES: usize = 64;

/// Half of an n-point Gauss–Hermite rule: the non-negative nodes (largest
/// first; for odd n the last one is 0) and their weights.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rule {
    n: usize,
    nodes: [f64; MAX_NODES / 2],
    weights: [f64; MAX_NODES / 2],
}

impl Rule {
    /// The n-point rule, 1 ≤ n ≤ [`MAX_NODES`].
    ///
    /// ```
    /// use ntk::activation::gauss_hermite::Rule;
    /// // ∫ e^{−x²} x⁴ dx = 3√π/4, exact from n = 3.
    /// let rule = Rule::new(3)?;
    /// let sum: f64 = rule.points().map(|(x, w)| w * x.powi(4)).sum();
    /// assert!((sum - 0.75 * core::f64::consts::PI.sqrt()).abs() < 1e-15);
    /// # Ok::<(), ntk::Error>(())
    /// ```
    ///
    /// Errors: n outside 1..=64 ([`Error::InvalidParameter`]); Newton not
    /// converging ([`Error::NoConvergence`], not met for any n ≤ 64).
    pub fn new(n: usize) -> Result<Self> {
        if n == 0 || n > MAX_NODES {
            return Err(Error::InvalidParameter {
                what: "quadrature degree must be in 1..=64",
            });
        }
        let mut rule = Rule {
            n,
            nodes: [0.0; MAX_NODES / 2],
            weights: [0.0; MAX_NODES / 2],
        };
        let half = n.div_ceil(2);
        let recurrence = Recurrence::new(n);
        // half ≤ 32 as n ≤ 64; the min lets the optimizer drop the bounds checks
        // (the firmware's no-panic link proofs).
        for i in 0..half.min(MAX_NODES / 2) {
            let guess = initial_guess(n, i, &rule.nodes);
            let (x, derivative) = recurrence.newton(guess).ok_or(Error::NoConvergence {
                what: "Gauss-Hermite nodes (Newton)",
            })?;
            rule.nodes[i] = x;
            rule.weights[i] = 2.0 / (derivative * derivative);
        }
        if n % 2 == 1 {
            if let Some(middle) = rule.nodes.get_mut(half - 1) {
                *middle = 0.0; // the middle root, exactly
            }
        }
        Ok(rule)
    }

    /// The number of nodes n.
    pub fn len(&self) -> usize {
        self.n
    }

    /// Always false: a rule has at least one node.
    pub fn is_empty(&self) -> bool {
        false
    }

    /// All n (node, weight) pairs, ±xᵢ for each non-negative xᵢ (0 once).
    pub fn points(&self) -> impl Iterator<Item = (f64, f64)> + '_ {
        let half = self.n.div_ceil(2);
        let odd_zero = self.n % 2 == 1;
        // Zipped, not indexed: no bounds check left to panic (firmware link proofs).
        let pairs = self.nodes.iter().zip(&self.weights).take(half);
        pairs.enumerate().flat_map(move |(i, (&x, &w))| {
            let mirrored = !(odd_zero && i + 1 == half);
            core::iter::once((x, w)).chain(mirrored.then_some((-x, w)))
        })
    }
}

/// Numerical Recipes' asymptotic guesses for the i-th largest root of Hₙ,
/// from the roots already found.
fn initial_guess(n: usize, i: usize, found: &[f64; MAX_NODES / 2]) -> f64 {
    let nf = n as f64;
    match i {
        0 => libm::sqrt(2.0 * nf + 1.0) - 1.855_75 * libm::pow(2.0 * nf + 1.0, -1.0 / 6.0),
        1 => found[0] - 1.14 * libm::pow(nf, 0.426) / found[0],
        2 => 1.86 * found[1] - 0.86 * found[0],
        3 => 1.91 * found[2] - 0.91 * found[1],
        _ => 2.0 * found[i - 1] - found[i - 2],
    }
}

/// The coefficients √(2/j), √((j − 1)/j) of ψ's recurrence for j = 1 … n,
/// formed once per rule (a square root per step would cost more than the
/// Newton steps themselves).
struct Recurrence {
    n: usize,
    coefficients: [(f64, f64); MAX_NODES],
}

impl Recurrence {
    fn new(n: usize) -> Self {
        let mut coefficients = [(0.0, 0.0); MAX_NODES];
        for (j, c) in (1..=n).zip(coefficients.iter_mut()) {
            let jf = j as f64;
            *c = (libm::sqrt(2.0 / jf), libm::sqrt((jf - 1.0) / jf));
        }
        Recurrence { n, coefficients }
    }

    /// Newton's method on ψₙ from `x`: the root and ψₙ′ there, or None.
    fn newton(&self, mut x: f64) -> Option<(f64, f64)> {
        for _ in 0..32 {
            let (value, derivative) = self.psi(x);
            let step = value / derivative;
            x -= step;
            if !x.is_finite() {
                return None;
            }
            if step.abs() <= 1e-15 * x.abs().max(1.0) {
                return Some((x, self.psi(x).1));
            }
        }
        None
    }

    /// (ψₙ(x), ψₙ′(x)) by the three-term recurrence.
    fn psi(&self, x: f64) -> (f64, f64) {
        let mut below = 0.0;
        let mut at = 0.751_125_544_464_942_5; // π^{−1/4}
        for &(a, b) in &self.coefficients[..self.n.min(MAX_NODES)] {
            (below, at) = (at, x * a * at - b * below);
        }
        (at, libm::sqrt(2.0 * self.n as f64) * below)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use core::f64::consts::PI;

    /// ∫ e^{−x²} x^{2k} dx = Γ(k + ½) = (2k − 1)!!·√π/2ᵏ, exact for 2k ≤ 2n − 1.
    #[test]
    fn rules_integrate_even_moments_exactly() {
        for n in 1..=MAX_NODES {
            let rule = Rule::new(n).unwrap();
            assert_eq!(rule.points().count(), n);
            let mut exact = PI.sqrt();
            for k in 0..n.min(20) {
                let sum: f64 = rule.points().map(|(x, w)| w * x.powi(2 * k as i32)).sum();
                assert!(
                    (sum - exact).abs() <= 1e-13 * exact,
                    "n = {n}, x^{}: {sum} vs {exact}",
                    2 * k
                );
                exact *= (2 * k + 1) as f64 / 2.0;
            }
        }
        assert!(Rule::new(0).is_err() && Rule::new(65).is_err());
    }
}

//! Gauss–Legendre quadrature nodes and weights, computed in place.
//!
//! ∫₋₁¹ g(x) dx ≈ Σ_j w_j g(x_j), exact for polynomials of degree ≤ 2N − 1.
//! The nodes are the roots of the Legendre polynomial P_N, found by Newton's
//! method from Tricomi's initial guess x ≈ cos(π(j + ¾)/(N + ½)); the
//! weights are w_j = 2/((1 − x_j²) P_N'(x_j)²). No heap: the caller owns
//! the buffers. Cost O(N²).

use crate::{Error, Real, Result};

/// P_N(x) and P_N'(x) by the three-term recurrence (|x| < 1).
fn legendre_with_derivative<T: Real>(n: usize, x: T) -> (T, T) {
    let (mut p0, mut p1) = (T::ONE, x);
    for k in 2..=n {
        let kf = T::from_usize(k);
        let p2 = ((T::TWO * kf - T::ONE) * x * p1 - (kf - T::ONE) * p0) / kf;
        (p0, p1) = (p1, p2);
    }
    let (p, p_prev) = if n == 0 { (T::ONE, T::ZERO) } else { (p1, p0) };
    let dp = T::from_usize(n) * (x * p - p_prev) / (x * x - T::ONE);
    (p, dp)
}

/// Fills `nodes` (ascending, in (−1, 1)) and `weights` with the N-point
/// Gauss–Legendre rule, N = `nodes.len()`.
///
/// ```
/// let (mut x, mut w) = ([0.0f64; 5], [0.0; 5]);
/// ntk::spectrum::gauss_legendre(&mut x, &mut w)?;
/// // Exact for x⁸: ∫₋₁¹ x⁸ dx = 2/9.
/// let integral: f64 = x.iter().zip(&w).map(|(x, w)| w * x.powi(8)).sum();
/// assert!((integral - 2.0 / 9.0).abs() < 1e-15);
/// # Ok::<(), ntk::Error>(())
/// ```
///
/// Errors: empty `nodes`, `weights` of another length, Newton not converging
/// (not observed up to N = 10⁴ in f64).
pub fn gauss_legendre<T: Real>(nodes: &mut [T], weights: &mut [T]) -> Result<()> {
    let n = nodes.len();
    if n == 0 {
        return Err(Error::Empty { what: "nodes" });
    }
    if weights.len() != n {
        return Err(Error::DimensionMismatch {
            what: "weights",
            expected: n,
            found: weights.len(),
        });
    }
    let nf = T::from_usize(n);
    let quarter = T::HALF * T::HALF;
    // Roots come in ± pairs: find the positive half, mirror it.
    for j in 0..n.div_ceil(2) {
        let mut x = (T::PI * (T::from_usize(j) + T::ONE - quarter) / (nf + T::HALF)).cos();
        let mut converged = false;
        let mut last = T::MAX;
        for _ in 0..100 {
            let (p, dp) = legendre_with_derivative(n, x);
            let step = (p / dp).abs();
            x -= p / dp;
            // Quadratic convergence until rounding noise: stop at 4ε, or once
            // the (already tiny) step stops shrinking.
            if step <= T::EPSILON * T::from_f64(4.0) || (step >= last && step < T::EPSILON.sqrt()) {
                converged = true;
                break;
            }
            last = step;
        }
        if !converged {
            return Err(Error::NoConvergence {
                what: "Gauss-Legendre Newton iteration",
            });
        }
        let (_, dp) = legendre_with_derivative(n, x);
        let w = T::TWO / ((T::ONE - x * x) * dp * dp);
        nodes[n - 1 - j] = x;
        nodes[j] = -x;
        weights[n - 1 - j] = w;
        weights[j] = w;
    }
    if n % 2 == 1 {
        nodes[n / 2] = T::ZERO;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integrates_polynomials_and_cosine() {
        for n in [1usize, 2, 3, 10, 101, 1000] {
            let mut x = [0.0f64; 1000];
            let mut w = [0.0f64; 1000];
            gauss_legendre(&mut x[..n], &mut w[..n]).unwrap();
            let total: f64 = w[..n].iter().sum();
            assert!((total - 2.0).abs() < 1e-13, "n={n} Σw={total}");
            let deg = 2 * n - 2; // even, ≤ 2N − 1
            let mono: f64 = x[..n]
                .iter()
                .zip(&w[..n])
                .map(|(x, w)| w * x.powi(deg as i32))
                .sum();
            assert!((mono - 2.0 / (deg as f64 + 1.0)).abs() < 1e-13, "n={n}");
            assert!(x[..n].windows(2).all(|p| p[0] < p[1]));
        }
        let (mut x, mut w) = ([0.0f64; 20], [0.0; 20]);
        gauss_legendre(&mut x, &mut w).unwrap();
        let c: f64 = x.iter().zip(&w).map(|(x, w)| w * (3.0 * x).cos()).sum();
        assert!((c - 2.0 * 3f64.sin() / 3.0).abs() < 1e-15);
    }

    #[test]
    fn rejects_bad_buffers() {
        assert!(gauss_legendre::<f64>(&mut [], &mut []).is_err());
        assert!(gauss_legendre::<f64>(&mut [0.0; 3], &mut [0.0; 2]).is_err());
    }
}

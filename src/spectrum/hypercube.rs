//! Eigenvalues of a dot-product kernel on the boolean hypercube {±1}ᵈ.
//!
//! With the uniform measure, K(x, x') = f(t), t = x·x'/d = 1 − 2h/d (h the
//! Hamming distance), has the Walsh functions χ_S(x) = Π_{j∈S} x_j as
//! eigenfunctions. The eigenvalue depends on k = |S| only, with
//! multiplicity C(d, k):
//!
//! ```text
//! λ_k = 2⁻ᵈ Σ_{h=0}^{d} f(1 − 2h/d) · K_h(k),
//! K_h(k) = Σ_s (−1)ˢ C(k, s) C(d−k, h−s) = [zʰ] (1 − z)ᵏ (1 + z)^{d−k}   (Krawtchouk)
//! ```
//!
//! and Σ_k C(d, k) λ_k = f(1).
//!
//! **Numerics.** The sum alternates: with terms up to 2⁻ᵈC(d, h)|f_h| and a
//! result λ_k that can be 10⁻²⁰ of them at d = 64, plain summation loses all
//! digits. Here the Krawtchouk numbers are exact integers (`i64`, built by
//! polynomial division/multiplication by (1 ± z), never an alternating sum),
//! split into exactly representable pieces, and the sum is a compensated dot
//! product ([`Dot2`]). The result is then the exact Krawtchouk sum of the
//! sampled values f_h, correctly rounded up to a few ulps — the only
//! remaining error is that of the samples themselves, an absolute
//! ≈ ε·2⁻ᵈΣ_h C(d, h)|δf_h/f_h|·|f_h| (which no algorithm can remove).

use super::compensated::Dot2;
use crate::{Error, Real, Result};

/// The largest dimension d for which [`hypercube`] is available: the
/// Krawtchouk numbers, bounded by C(64, 32) ≈ 1.8·10¹⁸, fit in `i64`.
pub const MAX_HYPERCUBE_DIM: usize = 64;

/// The multiplicity C(d, k) of degree k on the d-cube (0 for k > d), rounded
/// to `T` (+∞ beyond its range: then [`Spectrum::levels`](crate::eigenlearning::Spectrum::levels)
/// refuses it).
///
/// Exact integer arithmetic while C(d, k) fits in `u128` (so correctly
/// rounded for d ≤ 131 and every k, and beyond for small k); past that the remaining
/// factors of Π (d−k+i)/i multiply in floating point, a relative error of at
/// most ≈ 2·min(k, d−k)·ε.
///
/// ```
/// assert_eq!(ntk::spectrum::hypercube_multiplicity::<f64>(8, 3), 56.0);
/// let c = ntk::spectrum::hypercube_multiplicity::<f64>(200, 100); // 9.0549e58
/// assert!((c / 9.054851465610328e58 - 1.0).abs() < 1e-13);
/// ```
pub fn hypercube_multiplicity<T: Real>(d: usize, k: usize) -> T {
    if k > d {
        return T::ZERO;
    }
    let k = k.min(d - k);
    let base = (d - k) as u128;
    // c = C(d−k+i, i) after step i: an integer, exact while the product fits.
    let mut c: u128 = 1;
    let mut i: u128 = 1;
    while i <= k as u128 {
        // c·(base+i)/i is an integer: with g = gcd(c, i), i/g divides base+i,
        // so only an overflowing result overflows.
        let g = gcd(c, i);
        match (c / g).checked_mul((base + i) / (i / g)) {
            Some(next) => c = next,
            None => break,
        }
        i += 1;
    }
    let mut f = c as f64;
    while i <= k as u128 && f.is_finite() {
        f = f / i as f64 * (base + i) as f64;
        i += 1;
    }
    T::from_f64(f)
}

/// Greatest common divisor (Euclid).
fn gcd(mut a: u128, mut b: u128) -> u128 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

/// The eigenvalues λ_0 … λ_d of the dot-product kernel `kernel(t)` on
/// {±1}ᵈ (uniform measure), written to `eigenvalues[0..=d]`; λ_k has
/// multiplicity [`hypercube_multiplicity`]`(d, k)`.
///
/// `kernel` is f(t) with t = x·x'/d ∈ [−1, 1] the cosine of the angle; it is
/// sampled at t = 1 − 2h/d, h = 0 … d. For a [`Network`](crate::Network)
/// use [`DotProductKernel::hypercube`](super::DotProductKernel::hypercube).
///
/// ```
/// // f(t) = t: only degree 1, λ₁ = 1/d (x·x'/d = Σ_j x_j x'_j / d).
/// let mut lam = [0.0; 5];
/// ntk::spectrum::hypercube(4, |t: f64| t, &mut lam)?;
/// assert_eq!(lam, [0.0, 0.25, 0.0, 0.0, 0.0]);
/// # Ok::<(), ntk::Error>(())
/// ```
///
/// Errors: d = 0 or d > [`MAX_HYPERCUBE_DIM`] ([`Error::InvalidParameter`]),
/// `eigenvalues` shorter than d + 1, a non-finite kernel value.
/// (Values up to the largest finite number are fine: the sums run on the
/// samples scaled by a power of two.)
pub fn hypercube<T: Real>(d: usize, kernel: impl Fn(T) -> T, eigenvalues: &mut [T]) -> Result<()> {
    if d == 0 || d > MAX_HYPERCUBE_DIM {
        return Err(Error::InvalidParameter {
            what: "hypercube dimension must be in 1..=64",
        });
    }
    if eigenvalues.len() <= d {
        return Err(Error::BufferTooSmall {
            what: "eigenvalues",
            needed: d + 1,
            found: eigenvalues.len(),
        });
    }
    let mut samples = [T::ZERO; MAX_HYPERCUBE_DIM + 1];
    for (h, s) in samples.iter_mut().enumerate().take(d + 1) {
        let t = (T::from_usize(d) - T::from_usize(2 * h)) / T::from_usize(d);
        *s = kernel(t);
        if !s.is_finite() {
            return Err(Error::NonFinite {
                what: "kernel value",
            });
        }
    }
    // Samples over their largest power of two (exact): the sums of f·C(d, h)
    // reach 2ᵈ·max|f| and would overflow for values near the largest finite.
    let max = samples.iter().fold(T::ZERO, |m, s| m.max(s.abs()));
    let e = if max == T::ZERO { 0 } else { max.frexp().1 };
    samples.iter_mut().for_each(|s| *s = s.scalbn(-e));
    let mut kraw = binomial_row(d);
    for (k, lambda) in eigenvalues.iter_mut().enumerate().take(d + 1) {
        if k > 0 {
            next_krawtchouk(&mut kraw, d);
        }
        let mut acc = Dot2::default();
        for (&f, &c) in samples.iter().zip(&kraw).take(d + 1) {
            add_exact_integer_product(&mut acc, f, c);
        }
        *lambda = acc.value().scalbn(e - d as i32);
    }
    crate::error::ensure_finite(&eigenvalues[..=d], "eigenvalues (overflow)")
}

/// C(d, h) for h = 0 … d: the coefficients of (1 + z)ᵈ = K_h(0).
fn binomial_row(d: usize) -> [i64; MAX_HYPERCUBE_DIM + 1] {
    let mut row = [0i64; MAX_HYPERCUBE_DIM + 1];
    row[0] = 1;
    for n in 1..=d {
        // Row n from row n − 1, C(n, h) = C(n−1, h) + C(n−1, h−1), by a
        // forward pass that carries C(n−1, h−1): no indexing, so no bounds checks.
        let mut previous = 0;
        for c in row.iter_mut().take(n + 1) {
            (*c, previous) = (*c + previous, *c);
        }
    }
    row
}

/// Coefficients of (1−z)ᵏ(1+z)^{d−k} → those of (1−z)^{k+1}(1+z)^{d−k−1}:
/// divide by (1 + z), then multiply by (1 − z), exactly in integers.
/// Every intermediate is a Krawtchouk-type number bounded by C(d, ⌊d/2⌋).
fn next_krawtchouk(c: &mut [i64; MAX_HYPERCUBE_DIM + 1], d: usize) {
    // q = c / (1 + z): q_h = c_h − q_{h−1} (degree d − 1, exact division).
    let mut prev = 0i64;
    for ch in c.iter_mut().take(d) {
        *ch -= prev;
        prev = *ch;
    }
    c[d] = 0;
    // c = q·(1 − z): c_h = q_h − q_{h−1}.
    for h in (1..=d).rev() {
        c[h] -= c[h - 1];
    }
}

/// acc += f·c with the integer c split into pieces exactly representable in
/// `T` (two for f64, up to three for f32), each product added error-free.
fn add_exact_integer_product<T: Real>(acc: &mut Dot2<T>, f: T, mut c: i64) {
    while c != 0 {
        let piece = T::from_f64(c as f64);
        acc.add_product(f, piece);
        c -= piece.to_f64() as i64;
    }
}

#[cfg(test)]
#[allow(clippy::needless_range_loop)]
mod tests {
    use super::*;

    /// K_h(k) by the defining alternating sum, in i128.
    fn krawtchouk_direct(d: usize, k: usize, h: usize) -> i128 {
        let c = |n: usize, r: usize| -> i128 {
            if r > n {
                0
            } else {
                (1..=r as i128).fold(1, |acc, i| acc * (n as i128 - r as i128 + i) / i)
            }
        };
        (0..=h.min(k))
            .map(|s| (if s % 2 == 0 { 1 } else { -1 }) * c(k, s) * c(d - k, h - s))
            .sum()
    }

    #[test]
    fn krawtchouk_recurrence_is_exact_up_to_d64() {
        for d in [1usize, 2, 7, 33, 64] {
            let mut c = binomial_row(d);
            for k in 0..=d {
                if k > 0 {
                    next_krawtchouk(&mut c, d);
                }
                for h in 0..=d {
                    assert_eq!(
                        c[h] as i128,
                        krawtchouk_direct(d, k, h),
                        "d={d} k={k} h={h}"
                    );
                }
            }
        }
    }

    #[test]
    fn multiplicities_sum_to_two_to_the_d() {
        let total: f64 = (0..=64).map(|k| hypercube_multiplicity::<f64>(64, k)).sum();
        assert_eq!(total, 2f64.powi(64));
        assert_eq!(hypercube_multiplicity::<f64>(64, 32), 1832624140942590534.0);
        assert_eq!(hypercube_multiplicity::<f64>(3, 4), 0.0);
    }

    #[test]
    fn monomial_kernels_are_exact() {
        // f(t) = t²: t² = (1/d²)Σ_{j,l} x_j x_l x'_j x'_l → λ₀ = 1/d, λ₂ = 2/d².
        let d = 6;
        let mut lam = [0.0f64; 7];
        hypercube(d, |t| t * t, &mut lam).unwrap();
        let want = [1.0 / 6.0, 0.0, 2.0 / 36.0, 0.0, 0.0, 0.0, 0.0];
        for (a, b) in lam.iter().zip(want) {
            assert!((a - b).abs() < 1e-17, "{lam:?}");
        }
    }

    #[test]
    fn rejects_bad_input() {
        let mut lam = [0.0f64; 3];
        assert!(matches!(
            hypercube(3, |t| t, &mut lam),
            Err(Error::BufferTooSmall { needed: 4, .. })
        ));
        assert!(hypercube(0, |t| t, &mut lam).is_err());
        assert!(hypercube(65, |t| t, &mut [0.0; 66]).is_err());
        assert!(matches!(
            hypercube(2, |t: f64| 1.0 / (t - 1.0), &mut lam),
            Err(Error::NonFinite { .. })
        ));
    }
}

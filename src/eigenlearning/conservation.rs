//! The exact conservation law of kernel regression on a fixed training set.
//!
//! On a finite domain X of M points with the uniform measure, let {ψ_j}
//! (j = 0 … M − 1) be an orthonormal basis of functions on X, D ⊂ X the n
//! training points, and f̂_j the kernel (ridge) regressor trained on the
//! labels ψ_j(D). Its D-learnability is L⁽ᴰ⁾(ψ_j) = ⟨ψ_j, f̂_j⟩ =
//! (1/M) Σ_x ψ_j(x) k_{xD}(K_DD + δI)⁻¹ψ_j(D), and
//!
//! ```text
//! Σ_j L⁽ᴰ⁾(ψ_j) = Tr[K_DD (K_DD + δI)⁻¹]  = n for δ = 0,  < n for δ > 0,
//! ```
//!
//! whatever the basis: Σ_j ψ_j(x)ψ_j(x')/M = [x = x'] turns the left side
//! into Tr[(K_DD + δI)⁻¹K_DD]. With the kernel's own eigenbasis (the Walsh
//! functions on the hypercube, Fourier modes on the circle), this is the
//! "no free lunch" bar chart of the eigenlearning paper.

use crate::error::finite;
use crate::linalg::cholesky;
use crate::{Error, Real, Result};

/// Kernel regression on a training subset of a finite domain.
#[derive(Clone, Copy, Debug)]
pub struct FixedDataset<'a, T, K> {
    kernel: K,
    train: &'a [usize],
    ridge: T,
}

impl<'a, T: Real, K: Fn(usize, usize) -> T> FixedDataset<'a, T, K> {
    /// `kernel(a, b)` = K(x_a, x_b) for domain indices a, b; `train` the
    /// indices of the n training points; `ridge` δ ≥ 0 on the Gram matrix.
    ///
    /// Errors: empty `train`; δ negative or non-finite.
    pub fn new(kernel: K, train: &'a [usize], ridge: T) -> Result<Self> {
        if train.is_empty() {
            return Err(Error::Empty { what: "train" });
        }
        if !ridge.is_finite() {
            return Err(Error::NonFinite { what: "ridge" });
        }
        if ridge < T::ZERO {
            return Err(Error::InvalidParameter {
                what: "ridge must be >= 0",
            });
        }
        Ok(FixedDataset {
            kernel,
            train,
            ridge,
        })
    }

    /// Cholesky factor L (lower, row-major n×n in `factor`) of K_DD + δI.
    fn factor(&self, factor: &mut [T]) -> Result<()> {
        let n = self.train.len();
        let needed = n
            .checked_mul(n)
            .ok_or(Error::SizeOverflow { what: "factor" })?;
        if factor.len() < needed {
            return Err(Error::BufferTooSmall {
                what: "factor",
                needed,
                found: factor.len(),
            });
        }
        for (i, &a) in self.train.iter().enumerate() {
            for (j, &b) in self.train.iter().enumerate().take(i + 1) {
                let k = (self.kernel)(a, b);
                if !k.is_finite() {
                    return Err(Error::NonFinite {
                        what: "kernel value",
                    });
                }
                factor[i * n + j] = if i == j { k + self.ridge } else { k };
            }
        }
        cholesky::factor_strided(factor, n, n)
    }

    /// Tr[K_DD(K_DD + δI)⁻¹] = n − δ·Tr[(K_DD + δI)⁻¹], by Cholesky.
    /// `factor` needs n² entries, `work` n.
    ///
    /// Errors: buffers too small; K_DD + δI not positive definite
    /// ([`Error::NotPositiveDefinite`]: a repeated training point without
    /// ridge); a sum that overflows ([`Error::NonFinite`]).
    pub fn trace(&self, factor: &mut [T], work: &mut [T]) -> Result<T> {
        let n = self.train.len();
        self.factor(factor)?;
        check_work(work, n)?;
        if self.ridge == T::ZERO {
            // Tr[K K⁻¹] = n exactly (the sum below is 0·∞ for a tiny kernel).
            return Ok(T::from_usize(n));
        }
        let mut inv_trace = T::ZERO;
        for i in 0..n {
            work[..n].iter_mut().enumerate().for_each(|(j, w)| {
                *w = if i == j { T::ONE } else { T::ZERO };
            });
            cholesky::solve_lower(factor, n, n, &mut work[..n], 1)?;
            inv_trace += work[..n].iter().map(|&w| w * w).sum::<T>();
        }
        finite(
            T::from_usize(n) - self.ridge * inv_trace,
            "trace (overflow)",
        )
    }

    /// The D-learnabilities L⁽ᴰ⁾(ψ_j), j = 0 … M − 1, of an orthonormal basis
    /// `eigenfunction(j, x)` = ψ_j(x_x) on the M = `out.len()` domain points;
    /// returns their sum (= [`FixedDataset::trace`], n without ridge).
    /// `factor` needs n² entries, `work` 2n.
    ///
    /// Errors: as [`FixedDataset::trace`]; a training index ≥ M.
    pub fn learnabilities(
        &self,
        eigenfunction: impl Fn(usize, usize) -> T,
        factor: &mut [T],
        work: &mut [T],
        out: &mut [T],
    ) -> Result<T> {
        let n = self.train.len();
        let m = out.len();
        if let Some(&bad) = self.train.iter().find(|&&a| a >= m) {
            return Err(Error::IndexOutOfRange { index: bad, len: m });
        }
        self.factor(factor)?;
        check_work(work, n.saturating_mul(2))?;
        let (alpha, projection) = work.split_at_mut(n);
        let mut total = T::ZERO;
        for (j, l) in out.iter_mut().enumerate() {
            // α = (K_DD + δI)⁻¹ ψ_j(D).
            for (a, &x) in alpha.iter_mut().zip(self.train) {
                *a = eigenfunction(j, x);
            }
            cholesky::solve_strided(factor, n, n, alpha, 1)?;
            // ⟨ψ_j, f̂⟩ = Σ_a α_a (1/M) Σ_x ψ_j(x) K(x, x_a).
            for (p, &a) in projection[..n].iter_mut().zip(self.train) {
                *p = (0..m)
                    .map(|x| eigenfunction(j, x) * (self.kernel)(x, a))
                    .sum::<T>()
                    / T::from_usize(m);
            }
            *l = alpha
                .iter()
                .zip(projection.iter())
                .map(|(&a, &p)| a * p)
                .sum();
            total += *l;
        }
        crate::error::ensure_finite(out, "learnabilities (overflow)")?;
        finite(total, "learnability sum (overflow)")
    }
}

fn check_work<T>(work: &[T], needed: usize) -> Result<()> {
    if work.len() < needed {
        return Err(Error::BufferTooSmall {
            what: "work",
            needed,
            found: work.len(),
        });
    }
    Ok(())
}

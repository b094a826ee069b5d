//! Leave-one-out residuals in closed form, and the ridge they choose.

use super::{check_len, check_ridge, Model, Ridge, Storage};
use crate::error::ensure_finite;
use crate::gram::LaneReal;
use crate::kernel::Kernel;
use crate::linalg::cholesky::dot;
use crate::{Error, Real, Result};

impl<T: LaneReal, S: Storage<T>, K: Kernel<T>> Model<T, S, K> {
    /// Closed-form leave-one-out residuals eᵢ = αᵢ / (A⁻¹)ᵢᵢ (n×O into `out`):
    /// eᵢ = yᵢ − f₋ᵢ(xᵢ), the error at xᵢ of the t = ∞ model fitted without
    /// point i at the same λ. Returns their mean square. `work` needs N
    /// scalars. O(n³/3).
    ///
    /// Errors: [`Error::NotFitted`], buffers too small, residuals or their
    /// mean square that overflow ([`Error::NonFinite`]).
    pub fn loo_residuals_into(&self, out: &mut [T], work: &mut [T]) -> Result<T> {
        self.check_fitted()?;
        let (n, cap, o) = (self.len, self.shape().capacity, self.shape().outputs);
        check_len(out.len(), n * o, "residuals")?;
        check_len(work.len(), n, "work")?;
        let parts = self.storage.parts();
        let mut sum = T::ZERO;
        let rows = out
            .chunks_exact_mut(o.max(1))
            .zip(parts.alpha.chunks_exact(o.max(1)));
        for (i, (res, alpha)) in rows.take(n).enumerate() {
            // `None` (never: the buffers are sized by construction) gives a
            // non-finite residual, an error below; no panic path on firmware.
            let inv_ii = inverse_diagonal(parts.chol, n, cap, i, work).unwrap_or(T::ZERO);
            for (r, &a) in res.iter_mut().zip(alpha) {
                let e = a / inv_ii;
                *r = e;
                sum += e * e;
            }
        }
        let out = out.get(..n * o).unwrap_or_default();
        ensure_finite(out, "leave-one-out residuals (overflow)")?;
        crate::error::finite(sum / T::from_usize(n * o), "leave-one-out MSE (overflow)")
    }

    /// Picks the ridge value from `grid` (in the model's [`Ridge`]
    /// convention) with the smallest mean squared leave-one-out residual,
    /// and refits with it. Values at which A is not positive definite are
    /// skipped. `residuals` needs N·O scalars, `work` N. O(|grid|·n³).
    ///
    /// Returns the chosen ridge and its LOO mean squared error.
    ///
    /// Errors: an empty grid or invalid value, [`Error::NotFitted`] with no
    /// points, buffers too small, and the last failure
    /// ([`Error::NotPositiveDefinite`], [`Error::NonFinite`]) if no value
    /// works: the previous ridge and λ are restored then, as by
    /// [`Model::refit`].
    pub fn choose_ridge_with(
        &mut self,
        grid: &[T],
        residuals: &mut [T],
        work: &mut [T],
    ) -> Result<(Ridge<T>, T)> {
        if grid.is_empty() {
            return Err(Error::Empty { what: "ridge grid" });
        }
        grid.iter()
            .try_for_each(|&v| check_ridge(Ridge::Absolute(v)))?;
        if self.len == 0 {
            return Err(Error::NotFitted);
        }
        let (n, o) = (self.len, self.shape().outputs);
        check_len(residuals.len(), n * o, "residuals")?;
        check_len(work.len(), n, "work")?;
        let saved = self.keep();
        let original = self.ridge;
        let mut best: Option<(T, T)> = None;
        let mut failure = Error::NotFitted;
        for &v in grid {
            self.ridge = original.with_value(v);
            let mse = self
                .factor_quietly()
                .and_then(|()| self.loo_residuals_into(residuals, work));
            match mse {
                Ok(mse) if best.is_none_or(|(_, b)| mse < b) => best = Some((v, mse)),
                Ok(_) => {}
                Err(e) => failure = e,
            }
        }
        let Some((v, mse)) = best else {
            self.restore(saved);
            return Err(failure);
        };
        self.ridge = original.with_value(v);
        let result = match self.factor_quietly() {
            Ok(()) => Ok((self.ridge, mse)),
            Err(e) => {
                self.restore(saved);
                Err(e)
            }
        };
        self.kept = false;
        result
    }
}

/// (A⁻¹)ᵢᵢ = ‖L⁻¹eᵢ‖², by forward substitution from row i (`None` if a
/// buffer is too short).
fn inverse_diagonal<T: Real>(l: &[T], n: usize, stride: usize, i: usize, z: &mut [T]) -> Option<T> {
    let zi = z.get_mut(i)?;
    *zi = T::ONE / *l.get(i * stride + i)?;
    let mut sum = *zi * *zi;
    for j in i + 1..n {
        let row = l.get(j * stride + i..=j * stride + j)?;
        let (ljj, row) = row.split_last()?;
        let (zj, head) = z.get_mut(i..=j)?.split_last_mut()?;
        *zj = -dot(row, head) / *ljj;
        sum += *zj * *zj;
    }
    Some(sum)
}

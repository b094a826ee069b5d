//! Online updates in O(n²): insert a point (a Cholesky row appended),
//! remove one (a Givens downdate), and the sliding window of both.

use super::{copy_into, drop_row, Model, Shape, Storage};
use crate::gram::LaneReal;
use crate::kernel::Kernel;
use crate::linalg::cholesky;
use crate::regression::kernel_matrix::{block, self_kernel};
use crate::{Error, Result};

impl<T: LaneReal, S: Storage<T>, K: Kernel<T>> Model<T, S, K> {
    /// Adds one training point in O(n²): extends the Cholesky factor by a
    /// row and re-solves α. λ is kept (see [`Ridge::RelativeToMeanDiagonal`](crate::regression::Ridge::RelativeToMeanDiagonal)).
    ///
    /// Errors (nothing stored changes): wrong lengths, non-finite values,
    /// [`Error::CapacityExceeded`] when full, [`Error::NotFitted`] after a
    /// failed fit, [`Error::NotPositiveDefinite`] (the point duplicates the
    /// span of the stored ones at this ridge) with an estimate of the absolute
    /// ridge that would admit it, [`Error::NonFinite`] if a kernel value or
    /// α overflows (targets too large for this kernel).
    pub fn insert_row(&mut self, x: &[T], y: &[T]) -> Result<()> {
        self.check_point(x, y)?;
        let Shape {
            capacity,
            dim,
            outputs,
        } = self.shape();
        if self.len == capacity {
            return Err(Error::CapacityExceeded { capacity });
        }
        if self.len > 0 && !self.fitted {
            return Err(Error::NotFitted);
        }
        let n = self.len;
        // The same kernel path as a batch fit, so that online equals batch to rounding.
        let kxx = self_kernel(&self.kernel, self.pairwise.as_ref(), x)?;
        // λ is set only once the point is in (a rejected first point keeps it).
        let lambda = match n {
            0 => self.ridge.absolute(kxx),
            _ => self.lambda,
        };
        if !(kxx + lambda).is_finite() {
            return Err(Error::NonFinite {
                what: "kernel plus ridge (overflow)",
            });
        }
        let parts = self.storage.parts_mut();
        if n > 0 {
            // `get`, `get_mut` (here and below): in bounds by construction; no panic path on firmware.
            let train = parts.x.get(..n * dim).unwrap_or_default();
            let row = parts
                .chol
                .get_mut(n * capacity..n * capacity + n)
                .unwrap_or_default();
            block(&self.kernel, self.pairwise.as_ref(), (x, train, dim), row)?;
        }
        if let Some(d) = parts.chol.get_mut(n * capacity + n) {
            *d = kxx + lambda;
        }
        if let Err(e) = cholesky::append_strided(parts.chol, n, capacity) {
            return Err(match e {
                Error::NotPositiveDefinite {
                    pivot,
                    suggested_ridge,
                } => Error::NotPositiveDefinite {
                    pivot,
                    suggested_ridge: suggested_ridge + lambda.to_f64(),
                },
                other => other,
            });
        }
        copy_into(parts.x, n * dim, x);
        copy_into(parts.y, n * outputs, y);
        let saved = self.saved();
        (self.len, self.lambda, self.fitted) = (n + 1, lambda, true);
        if let Err(e) = self.update_alpha() {
            // Rows 0..n of the factor are untouched: dropping row n and
            // re-solving gives the previous α bit for bit.
            (self.len, self.lambda, self.fitted) = (saved.len, saved.lambda, saved.fitted);
            let _ = self.update_alpha();
            return Err(e);
        }
        self.online = true;
        Ok(())
    }

    /// Removes training point i (later points move down one) in O(n²):
    /// Givens downdate of the factor, then α re-solved.
    ///
    /// Errors: [`Error::IndexOutOfRange`]; [`Error::NotFitted`] after a
    /// failed fit (nothing changes on these). [`Error::NonFinite`] if α of
    /// the remaining points overflows (targets far too large for the
    /// ridge): the point is removed then and the model unfitted; refit with
    /// a larger ridge.
    pub fn remove(&mut self, i: usize) -> Result<()> {
        if i >= self.len {
            return Err(Error::IndexOutOfRange {
                index: i,
                len: self.len,
            });
        }
        if !self.fitted {
            return Err(Error::NotFitted);
        }
        let Shape {
            capacity,
            dim,
            outputs,
        } = self.shape();
        let n = self.len;
        let parts = self.storage.parts_mut();
        drop_row(parts.x, i, n, dim);
        drop_row(parts.y, i, n, outputs);
        cholesky::remove_strided(parts.chol, n, capacity, i)?;
        (self.len, self.online) = (n - 1, true);
        // α of fewer points from finite data: finite unless A⁻¹ is extreme
        // (then the model reports unfitted rather than serve ∞).
        if let Err(e) = self.update_alpha() {
            self.fitted = false;
            return Err(e);
        }
        Ok(())
    }

    /// Sliding window: inserts the point, first dropping the oldest when
    /// full. O(n²).
    ///
    /// Errors: as [`Model::insert_row`], checked before the oldest point is
    /// dropped, except [`Error::NotPositiveDefinite`]: then the oldest point
    /// is already gone (the window holds n − 1 points).
    pub fn push_row(&mut self, x: &[T], y: &[T]) -> Result<()> {
        self.check_point(x, y)?;
        if self.len == self.shape().capacity && self.len > 0 {
            self.remove(0)?;
        }
        self.insert_row(x, y)
    }
}

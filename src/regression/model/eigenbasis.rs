//! The eigenbasis of A for predictions at a finite training time.

use super::{check_len, Model, Storage};
use crate::gram::LaneReal;
use crate::kernel::Kernel;
use crate::linalg::jacobi;
use crate::regression::kernel_matrix::{gram, Triangles};
use crate::{Real, Result};

/// The eigendecomposition A = V·diag(e)·Vᵀ of the regularised training Gram
/// matrix, borrowed from caller buffers (see [`Model::eigenbasis_into`]).
#[derive(Clone, Copy, Debug)]
pub struct Eigenbasis<'s, T> {
    vectors: &'s [T],
    values: &'s [T],
    pub(super) n: usize,
    stride: usize,
}

impl<'s, T: Real> Eigenbasis<'s, T> {
    pub(crate) fn new(vectors: &'s [T], values: &'s [T], n: usize, stride: usize) -> Self {
        Self {
            vectors,
            values,
            n,
            stride,
        }
    }

    /// The eigenvalues e of A, ascending.
    pub fn values(&self) -> &'s [T] {
        self.values.get(..self.n).unwrap_or_default()
    }

    /// Component i of eigenvector k.
    ///
    /// # Panics
    /// If i or k is not below the number of training points; [`Eigenbasis::get`]
    /// is the checked form.
    pub fn vector(&self, i: usize, k: usize) -> T {
        match self.get(i, k) {
            Some(v) => v,
            None => panic!(
                "eigenvector component ({i}, {k}) out of range for {} points",
                self.n
            ),
        }
    }

    /// Component i of eigenvector k, or `None` if i or k ≥ n.
    pub fn get(&self, i: usize, k: usize) -> Option<T> {
        if i >= self.n || k >= self.n {
            return None;
        }
        self.vectors
            .get(i.checked_mul(self.stride)?.checked_add(k)?)
            .copied()
    }
}

impl<T: LaneReal, S: Storage<T>, K: Kernel<T>> Model<T, S, K> {
    /// Eigendecomposes A = K(X, X) + λI for finite-time predictions, with
    /// the cyclic Jacobi solver (in the crate's fixed-size linear algebra). `a_work` and `vectors` need
    /// N·N scalars, `values` N (N = capacity; stride N). O(n³).
    ///
    /// Errors: [`Error::NotFitted`](crate::Error::NotFitted), buffers too small, [`Error::NoConvergence`](crate::Error::NoConvergence).
    pub fn eigenbasis_into<'s>(
        &self,
        a_work: &mut [T],
        vectors: &'s mut [T],
        values: &'s mut [T],
    ) -> Result<Eigenbasis<'s, T>> {
        self.check_fitted()?;
        let (n, cap) = (self.len, self.shape().capacity);
        check_len(a_work.len(), cap * cap, "eigen work")?;
        self.regularized_gram(a_work)?;
        jacobi::eigen_strided(a_work, n, cap, values, Some((&mut *vectors, cap)))?;
        Ok(Eigenbasis::new(vectors, values, n, cap))
    }

    /// A = K(X, X) + λI, both triangles, into `a` (row stride N).
    ///
    /// Errors: [`Error::NotFitted`](crate::Error::NotFitted), a kernel error.
    pub(crate) fn regularized_gram(&self, a: &mut [T]) -> Result<()> {
        self.check_fitted()?;
        let (n, cap, dim) = (self.len, self.shape().capacity, self.shape().dim);
        let x = self.storage.parts().x;
        gram(&self.kernel, x, n, dim, a, cap, Triangles::Both)?;
        for d in a.iter_mut().step_by(cap + 1).take(n) {
            *d += self.lambda;
        }
        Ok(())
    }
}

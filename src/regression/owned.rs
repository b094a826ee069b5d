//! A runtime-sized regressor that owns its buffer (feature `std`): one call
//! instead of [`Workspace::required_len`], a `Vec` and [`Model::with_storage`].

use super::storage::{Parts, PartsMut, Shape, Storage, Workspace};
use super::{Eigenbasis, Model, Regime, Ridge};
use crate::gram::LaneReal;
use crate::{Error, Network, Real, Result};
use nalgebra::{DMatrix, SymmetricEigen};
use std::vec::Vec;

/// Heap storage for capacity N, dimension D and O outputs: one `Vec` of
/// N·(N + D + 2·O) scalars, laid out as [`Workspace`].
#[derive(Clone, Debug)]
pub struct Owned<T> {
    buf: Vec<T>,
    shape: Shape,
}

/// A regressor sized at run time, on the heap (feature `std`).
pub type VecRegressor<T> = Model<T, Owned<T>>;

impl<T: Real> Owned<T> {
    /// Zeroed storage for `capacity` points of dimension `dim` with
    /// `outputs` outputs.
    ///
    /// Errors: `dim` or `outputs` 0 ([`Error::Empty`]); a size that
    /// overflows or cannot be allocated ([`Error::CapacityExceeded`]).
    pub fn new(capacity: usize, dim: usize, outputs: usize) -> Result<Self> {
        if dim == 0 || outputs == 0 {
            return Err(Error::Empty {
                what: "input dimension or outputs",
            });
        }
        let len = outputs
            .checked_mul(2)
            .and_then(|o| o.checked_add(dim))
            .and_then(|s| s.checked_add(capacity))
            .and_then(|s| s.checked_mul(capacity))
            .ok_or(Error::CapacityExceeded { capacity })?;
        let buf = zeroed(len, capacity)?;
        let shape = Shape {
            capacity,
            dim,
            outputs,
        };
        Ok(Owned { buf, shape })
    }
}

impl<T: Real> Storage<T> for Owned<T> {}

impl<T: Real> super::storage::sealed::Sealed<T> for Owned<T> {
    fn shape(&self) -> Shape {
        self.shape
    }
    fn parts(&self) -> Parts<'_, T> {
        Workspace::split(&self.buf, self.shape)
    }
    fn parts_mut(&mut self) -> PartsMut<'_, T> {
        Workspace::split_mut(&mut self.buf, self.shape)
    }
}

impl<T: LaneReal> Model<T, Owned<T>> {
    /// An empty regressor for up to `capacity` points of dimension `dim`
    /// with `outputs` outputs, its N·(N + D + 2·O) scalars on the heap.
    ///
    /// ```
    /// use ntk::regression::{Regime, Ridge, VecRegressor};
    /// use ntk::{Activation, Network};
    /// let net = Network::<f64>::new(2, Activation::Relu)?;
    /// let (n, d) = (100, 3); // known only at run time
    /// let mut reg = VecRegressor::with_capacity(net, Regime::Ntk, Ridge::Absolute(1e-8), n, d, 1)?;
    /// let x: Vec<f64> = (0..n * d).map(|i| (i as f64 * 0.37).sin()).collect();
    /// let y: Vec<f64> = x.chunks(d).map(|p| p[0] * p[1] - p[2]).collect();
    /// reg.fit_rows(&x, &y)?;
    /// let (mut mean, mut work) = ([0.0], vec![0.0; 2 * n]);
    /// reg.mean_into(&x[..d], &ntk::regression::Time::Infinite, &mut mean, &mut work)?;
    /// assert!((mean[0] - y[0]).abs() < 1e-5);
    /// # Ok::<(), ntk::Error>(())
    /// ```
    ///
    /// Errors: as [`Owned::new`]; an invalid ridge.
    pub fn with_capacity(
        net: Network<T>,
        regime: Regime,
        ridge: Ridge<T>,
        capacity: usize,
        dim: usize,
        outputs: usize,
    ) -> Result<Self> {
        Model::with_storage(net, regime, ridge, Owned::new(capacity, dim, outputs)?)
    }
}

/// The eigendecomposition of A for finite-time predictions of a
/// [`VecRegressor`] of capacity N, on the heap (N·(N + 1) scalars): computed once by
/// [`Model::eigenbasis`], reused for any times and queries (the
/// decomposition is the O(n³) part of a finite-time prediction).
#[derive(Clone, Debug)]
pub struct VecEigenbasis<T> {
    vectors: Vec<T>,
    values: Vec<T>,
    n: usize,
    stride: usize,
}

impl<T: Real> VecEigenbasis<T> {
    /// The borrowed basis, for [`Time::Finite`](super::Time::Finite).
    pub fn basis(&self) -> Eigenbasis<'_, T> {
        Eigenbasis::new(&self.vectors, &self.values, self.n, self.stride)
    }
}

impl<T: LaneReal> VecRegressor<T> {
    /// The eigendecomposition A = V·diag(e)·Vᵀ of the current training set,
    /// for [`Time::Finite`](super::Time::Finite), eigenvalues ascending: by
    /// nalgebra's `SymmetricEigen` (Householder tridiagonalisation, then
    /// implicit QL) in f64, every eigenvalue within a small multiple of
    /// ε_f64·‖A‖ of an exact one. At n = 512 that is about 200 times faster
    /// than the cyclic Jacobi solver of [`Model::eigenbasis_into`], which
    /// needs no heap.
    ///
    /// Errors: [`Error::NotFitted`]; [`Error::NoConvergence`];
    /// [`Error::CapacityExceeded`] if the buffers cannot be allocated.
    pub fn eigenbasis(&self) -> Result<VecEigenbasis<T>> {
        let (n, cap) = (self.len(), self.shape().capacity);
        let square = |m: usize| {
            m.checked_mul(m)
                .ok_or(Error::CapacityExceeded { capacity: cap })
        };
        let mut a = zeroed(square(cap)?, cap)?;
        self.regularized_gram(&mut a)?;
        let rows = a.chunks_exact(cap).take(n);
        let a = DMatrix::from_row_iterator(
            n,
            n,
            rows.flat_map(|r| r.iter().take(n).map(|v| v.to_f64())),
        );
        // QL takes about two iterations per eigenvalue; the bound only stops a runaway.
        let limit = n.saturating_mul(100).max(100);
        let eigen =
            SymmetricEigen::try_new(a, f64::EPSILON, limit).ok_or(Error::NoConvergence {
                what: "symmetric eigendecomposition",
            })?;
        let mut order: Vec<usize> = (0..n).collect();
        order.sort_by(|&i, &j| eigen.eigenvalues[i].total_cmp(&eigen.eigenvalues[j]));
        let values = order
            .iter()
            .map(|&k| T::from_f64(eigen.eigenvalues[k]))
            .collect();
        let mut vectors = zeroed(square(n)?, cap)?;
        for (i, row) in vectors.chunks_exact_mut(n.max(1)).enumerate() {
            for (v, &k) in row.iter_mut().zip(&order) {
                *v = T::from_f64(eigen.eigenvectors[(i, k)]);
            }
        }
        Ok(VecEigenbasis {
            vectors,
            values,
            n,
            stride: n,
        })
    }
}

/// `len` zeros, or [`Error::CapacityExceeded`] (naming `capacity`) if they
/// cannot be allocated.
fn zeroed<T: Real>(len: usize, capacity: usize) -> Result<Vec<T>> {
    let mut v = Vec::new();
    v.try_reserve_exact(len)
        .map_err(|_| Error::CapacityExceeded { capacity })?;
    v.resize(len, T::ZERO);
    Ok(v)
}

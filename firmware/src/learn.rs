//! Kernel regression fit and predict as the measurements call them:
//! NTK regime, absolute ridge, one output. Shared by `build.rs` (host, f64:
//! the expected predictions) and the firmware.

use crate::cases::{regression_network, REG_DIM, RIDGE};
use ntk::linalg::cholesky;
use ntk::{Network, Real, Result};

/// A fitted model: training inputs, Cholesky factor of K + λI, weights α.
pub struct Fitted<T, const N: usize> {
    net: Network<T>,
    xs: [[T; REG_DIM]; N],
    alpha: [T; N],
}

/// Fits N points: α = (K + λI)⁻¹ y with K the NTK Gram matrix.
pub fn fit<T: Real, const N: usize>(xs: &[[T; REG_DIM]; N], ys: &[T; N]) -> Result<Fitted<T, N>> {
    let net = regression_network::<T>()?;
    let mut k = [[T::ZERO; N]; N];
    for (i, row) in k.iter_mut().enumerate() {
        for (j, kij) in row.iter_mut().enumerate().take(i + 1) {
            *kij = net.kernels(&xs[i], &xs[j])?.ntk;
        }
        row[i] += T::from_f64(RIDGE);
    }
    cholesky::factor(&mut k)?;
    let mut alpha = *ys;
    cholesky::solve(&k, &mut alpha);
    Ok(Fitted { net, xs: *xs, alpha })
}

impl<T: Real, const N: usize> Fitted<T, N> {
    /// The mean prediction Σᵢ αᵢ Θ(x, xᵢ).
    pub fn predict(&self, x: &[T; REG_DIM]) -> Result<T> {
        let mut s = T::ZERO;
        for (xi, a) in self.xs.iter().zip(&self.alpha) {
            s += *a * self.net.kernels(x, xi)?.ntk;
        }
        Ok(s)
    }
}

//! Kernel regression as the checks and measurements call it: an
//! `ntk::regression::Regressor` in the NTK regime with an absolute ridge and
//! one output. Shared by `build.rs` (host, f64: the expected values) and the
//! firmware.

use crate::cases::{regression_network, REG_DIM, RIDGE};
use ntk::gram::LaneReal;
use ntk::regression::{Regime, Regressor, Ridge};
use ntk::Result;

/// Capacity-N regressor on the regression data.
pub type Model<T, const N: usize> = Regressor<T, N, REG_DIM>;

/// An empty model: depth-3 ReLU NTK, ridge [`RIDGE`].
pub fn empty<T: LaneReal, const N: usize>() -> Result<Model<T, N>> {
    Regressor::new(
        regression_network()?,
        Regime::Ntk,
        Ridge::Absolute(T::from_f64(RIDGE)),
    )
}

/// Fits the first `xs.len()` points (at most N).
pub fn fit<T: LaneReal, const N: usize>(xs: &[[T; REG_DIM]], ys: &[T]) -> Result<Model<T, N>> {
    let mut m = empty::<T, N>()?;
    let mut y = [[T::ZERO]; N];
    for (t, v) in y.iter_mut().zip(ys) {
        *t = [*v];
    }
    m.fit(xs, &y[..ys.len().min(N)])?;
    Ok(m)
}

/// The mean prediction of a one-output model.
pub fn predict<T: LaneReal, const N: usize>(m: &Model<T, N>, x: &[T; REG_DIM]) -> Result<T> {
    m.predict(x).map(|[v]| v)
}

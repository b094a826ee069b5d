//! friedrich adapter (feature `friedrich`): any [`Kernel`]`<f64>` (the
//! network's NNGP or NTK, [`Rbf`](crate::kernel::Rbf), a closure, your own)
//! as a friedrich 0.6 `Kernel`, so its Gaussian processes
//! (`friedrich::gaussian_process::GaussianProcess`) regress with it.
//!
//! ```
//! use friedrich::gaussian_process::GaussianProcess;
//! use friedrich::prior::ZeroPrior;
//! use ntk::interop::friedrich::FriedrichKernel;
//! use ntk::{Activation, Network};
//!
//! let x = vec![vec![1.0, 0.1], vec![0.9, 0.3], vec![-1.0, 0.2], vec![-0.8, -0.1]];
//! let y = vec![1.0, 0.8, -1.0, -0.7];
//! let ntk = FriedrichKernel(Network::<f64>::new(2, Activation::Relu)?.ntk());
//! // Zero prior mean, observation noise σ = 0.01 (friedrich adds σ² to the diagonal).
//! let gp = GaussianProcess::new(ZeroPrior {}, ntk, 0.01, None, x.clone(), y);
//! let (mean, variance) = gp.predict_mean_variance(&vec![vec![0.95, 0.2]]);
//! assert!(mean[0] > 0.8 && variance[0] >= 0.0);
//! # Ok::<(), ntk::Error>(())
//! ```
//!
//! The kernel has no parameters for friedrich to fit (`nb_parameters` is 0;
//! `fit_parameters` leaves it as it is). friedrich's trait returns a bare
//! `f64`, so an [`Error`](crate::Error) (inputs of different lengths, a
//! non-finite input, a kernel beyond `f64`'s range) is NaN there and
//! friedrich's Cholesky then fails: check doubtful inputs with
//! [`Kernel::eval`] first, or use this crate's own regressor, which returns
//! the error.

use crate::kernel::{Kernel, NetworkKernel};
use crate::{Activation, Network};
use alloc::vec::Vec;
use friedrich::SRowVector;
use nalgebra_friedrich::{storage::Storage, Dyn, U1};

/// A [`Kernel`]`<f64>` seen as a friedrich `Kernel`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct FriedrichKernel<K>(pub K);

/// friedrich requires `Default` of its kernels (for its own builder); a
/// kernel type of yours gets it from its own `Default`.
impl<K: Kernel<f64> + Default> Default for FriedrichKernel<K> {
    fn default() -> Self {
        FriedrichKernel(K::default())
    }
}

/// The default network kernel is the NTK of `Dense → ReLU → Dense` with
/// W_std = 1 and no bias; pass your kernel to `GaussianProcess::new` or the
/// builder's `set_kernel` instead.
impl Default for FriedrichKernel<NetworkKernel<f64>> {
    fn default() -> Self {
        // Depth 1 with ReLU is always valid: `new` cannot fail here.
        FriedrichKernel(
            Network::new(1, Activation::Relu)
                .expect("a depth-1 ReLU network")
                .ntk(),
        )
    }
}

impl<K: Kernel<f64>> FriedrichKernel<K> {
    /// k(x, z) of two friedrich rows (copied out: a row of a column-major
    /// matrix is strided); NaN for an [`Error`](crate::Error).
    fn of_rows<S1: Storage<f64, U1, Dyn>, S2: Storage<f64, U1, Dyn>>(
        &self,
        x: &SRowVector<S1>,
        z: &SRowVector<S2>,
    ) -> f64 {
        let (x, z): (Vec<f64>, Vec<f64>) =
            (x.iter().copied().collect(), z.iter().copied().collect());
        self.0.eval(&x, &z).unwrap_or(f64::NAN)
    }
}

impl<K: Kernel<f64>> friedrich::kernel::Kernel for FriedrichKernel<K>
where
    FriedrichKernel<K>: Default,
{
    fn nb_parameters(&self) -> usize {
        0
    }

    fn kernel<S1: Storage<f64, U1, Dyn>, S2: Storage<f64, U1, Dyn>>(
        &self,
        x1: &SRowVector<S1>,
        x2: &SRowVector<S2>,
    ) -> f64 {
        self.of_rows(x1, x2)
    }

    fn gradient<S1: Storage<f64, U1, Dyn>, S2: Storage<f64, U1, Dyn>>(
        &self,
        _x1: &SRowVector<S1>,
        _x2: &SRowVector<S2>,
    ) -> Vec<f64> {
        Vec::new()
    }

    fn get_parameters(&self) -> Vec<f64> {
        Vec::new()
    }

    fn set_parameters(&mut self, _parameters: &[f64]) {}
}

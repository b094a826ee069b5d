//! smartcore adapter (feature `smartcore`): any [`Kernel`]`<f64>` (the
//! network's NNGP or NTK, [`Rbf`](crate::kernel::Rbf), a closure, your own)
//! as a smartcore 0.7 `svm::Kernel`, so its kernel SVMs (`svm::svc::SVC`,
//! `MultiClassSVC`, `svm::svr::SVR`) train with it.
//!
//! ```
//! use ntk::interop::smartcore::SmartcoreKernel;
//! use ntk::{Activation, Network};
//! use smartcore::linalg::basic::matrix::DenseMatrix;
//! use smartcore::svm::svc::{SVCParameters, SVC};
//!
//! let x = DenseMatrix::from_2d_array(&[&[1.0, 0.1], &[0.9, 0.3], &[-1.0, 0.2], &[-0.8, -0.1]]).unwrap();
//! let y = vec![1, 1, -1, -1];
//! let ntk = SmartcoreKernel(Network::<f64>::new(2, Activation::Relu)?.ntk());
//! let params = SVCParameters::default().with_c(10.0).with_kernel(ntk);
//! let svc = SVC::fit(&x, &y, &params).unwrap();
//! assert_eq!(svc.predict(&x).unwrap(), vec![1.0, 1.0, -1.0, -1.0]);
//! # Ok::<(), ntk::Error>(())
//! ```

use crate::kernel::Kernel;
use alloc::string::ToString;
use alloc::vec::Vec;
use core::fmt::Debug;
use smartcore::error::{Failed, FailedError};

/// A [`Kernel`]`<f64>` seen as a smartcore `svm::Kernel`; an `ntk::Error`
/// becomes a `Failed` with error kind `ParametersError` and its message.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SmartcoreKernel<K>(pub K);

impl<K: Kernel<f64> + Debug> smartcore::svm::Kernel for SmartcoreKernel<K> {
    #[allow(clippy::ptr_arg)] // smartcore's signature
    fn apply(&self, x_i: &Vec<f64>, x_j: &Vec<f64>) -> Result<f64, Failed> {
        self.0
            .eval(x_i, x_j)
            .map_err(|e| Failed::because(FailedError::ParametersError, &e.to_string()))
    }
}

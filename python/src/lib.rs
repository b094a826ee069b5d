//! `ntk._ntk`: the native module behind the `ntk` Python package.
//!
//! Thin bindings of the `ntk` crate: every function takes C-contiguous
//! float32 or float64 numpy arrays (the Python layer converts), computes in
//! that precision with the GIL released, and returns new arrays of the same
//! dtype. Crate errors become `ValueError` with the crate's message.

mod array;
mod eigen;
mod finite;
mod kernel;
mod net;
mod pool;
mod regression;

use pyo3::prelude::*;

#[pymodule]
fn _ntk(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<net::Net>()?;
    m.add_class::<regression::Regression>()?;
    m.add_function(wrap_pyfunction!(net::activation_values, m)?)?;
    m.add_function(wrap_pyfunction!(kernel::kernel, m)?)?;
    m.add_function(wrap_pyfunction!(kernel::kernel_tile, m)?)?;
    m.add_function(wrap_pyfunction!(finite::finite_init, m)?)?;
    m.add_function(wrap_pyfunction!(finite::finite_apply, m)?)?;
    m.add_function(wrap_pyfunction!(finite::empirical_kernels, m)?)?;
    m.add_function(wrap_pyfunction!(eigen::eigenlearning, m)?)?;
    m.add_function(wrap_pyfunction!(eigen::hypercube_spectrum, m)?)?;
    m.add("MAX_DEPTH", ntk::MAX_DEPTH)?;
    Ok(())
}

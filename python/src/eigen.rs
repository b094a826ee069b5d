//! Eigenlearning (`ntk::eigenlearning`) and exact spectra (`ntk::spectrum`).

use crate::array::err;
use crate::net::Net;
use ntk::eigenlearning::{Spectrum, Target};
use ntk::spectrum::{hypercube, hypercube_multiplicity, DotProductKernel};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyDict;

/// Solves the eigenlearning equations for a spectrum (eigenvalues with
/// multiplicities, one per level) at n training points and ridge δ.
/// Returns a dict with kappa, learnabilities (per level), overfitting (E₀),
/// and, given the target's level weights, target_learnability, test_mse,
/// train_mse.
#[pyfunction]
#[pyo3(signature = (eigenvalues, n, ridge = 0.0, multiplicities = None, target = None, noise = 0.0))]
pub fn eigenlearning<'py>(
    py: Python<'py>,
    eigenvalues: Vec<f64>,
    n: f64,
    ridge: f64,
    multiplicities: Option<Vec<f64>>,
    target: Option<Vec<f64>>,
    noise: f64,
) -> PyResult<Bound<'py, PyDict>> {
    let spectrum = match &multiplicities {
        Some(m) => Spectrum::levels(&eigenvalues, m),
        None => Spectrum::modes(&eigenvalues),
    }
    .map_err(err)?;
    let sol = spectrum.solve(n, ridge).map_err(err)?;
    let mut learn = vec![0.0; spectrum.len()];
    sol.learnabilities(&mut learn).map_err(err)?;
    let out = PyDict::new(py);
    out.set_item("kappa", sol.kappa())?;
    out.set_item("learnabilities", learn)?;
    out.set_item("overfitting", sol.overfitting())?;
    if let Some(w) = &target {
        if w.len() != spectrum.len() {
            return Err(PyValueError::new_err(format!(
                "target has {} weights, the spectrum {} levels",
                w.len(),
                spectrum.len()
            )));
        }
        let f = Target::level_weights(w)
            .and_then(|t| t.with_noise(noise))
            .map_err(err)?;
        out.set_item(
            "target_learnability",
            sol.target_learnability(&f).map_err(err)?,
        )?;
        out.set_item("test_mse", sol.test_mse(&f).map_err(err)?)?;
        out.set_item("train_mse", sol.train_mse(&f).map_err(err)?)?;
    }
    Ok(out)
}

/// The exact spectrum of `net`'s kernel ('nngp' or 'ntk') on the uniform
/// boolean hypercube {±1}ᵈ: (eigenvalues of degrees 0..=d, multiplicities C(d, k)).
#[pyfunction]
#[pyo3(signature = (net, d, get = "ntk"))]
pub fn hypercube_spectrum(net: &Net, d: usize, get: &str) -> PyResult<(Vec<f64>, Vec<f64>)> {
    let network = net.network::<f64>()?;
    let k = DotProductKernel::hypercube(&network, d).map_err(err)?;
    let mut eig = vec![0.0; d + 1];
    match get {
        "ntk" => hypercube(d, |t| k.ntk(t), &mut eig),
        "nngp" => hypercube(d, |t| k.nngp(t), &mut eig),
        other => {
            return Err(PyValueError::new_err(format!(
                "get must be 'nngp' or 'ntk', got {other:?}"
            )))
        }
    }
    .map_err(err)?;
    let mult = (0..=d).map(|k| hypercube_multiplicity(d, k)).collect();
    Ok((eig, mult))
}

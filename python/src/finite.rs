//! Finite-width networks (`ntk::finite`) in neural-tangents' parameter
//! layout: initialisation, forward pass, empirical kernels.

use crate::array::{dtype, err, matrix, product, Dtype, Rows};
use crate::kernel::Pair;
use crate::net::Net;
use ntk::finite::FiniteNetwork;
use ntk::Real;
use numpy::{Element, PyArray1, PyReadonlyArray1};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use rand_xoshiro::rand_core::SeedableRng;
use rand_xoshiro::Xoshiro256PlusPlus;

/// Fresh parameters of width `width` on inputs of dimension `dim`, drawn
/// from the seed, as one flat array in neural-tangents' layout (per Dense:
/// W fan_in × fan_out row-major, then b), of dtype `float32`/`float64`.
#[pyfunction]
pub fn finite_init<'py>(
    py: Python<'py>,
    net: &Net,
    dim: usize,
    width: usize,
    seed: u64,
    dtype: &str,
) -> PyResult<Bound<'py, PyAny>> {
    match dtype {
        "float32" => init::<f32>(py, net, dim, width, seed),
        "float64" => init::<f64>(py, net, dim, width, seed),
        other => Err(PyTypeError::new_err(format!(
            "dtype must be float32 or float64, got {other}"
        ))),
    }
}

fn init<'py, T: Real + Element>(
    py: Python<'py>,
    net: &Net,
    dim: usize,
    width: usize,
    seed: u64,
) -> PyResult<Bound<'py, PyAny>> {
    let fnet = FiniteNetwork::new(net.network::<T>()?, dim, width).map_err(err)?;
    let mut own = vec![T::ZERO; fnet.param_len()];
    let mut nt = own.clone();
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    fnet.init(&mut own, &mut rng).map_err(err)?;
    fnet.export_nt(&own, &mut nt).map_err(err)?;
    Ok(PyArray1::from_vec(py, nt).into_any())
}

/// f(x) for the rows of `x` (n × d) with flat neural-tangents parameters:
/// an (n, 1) array.
#[pyfunction]
pub fn finite_apply<'py>(
    py: Python<'py>,
    net: &Net,
    width: usize,
    params: &Bound<'py, PyAny>,
    x: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    match dtype(x)? {
        Dtype::F32 => apply::<f32>(py, net, width, params, x),
        Dtype::F64 => apply::<f64>(py, net, width, params, x),
    }
}

/// The network and its parameters in the crate's layout.
fn load<T: Real + Element>(
    net: &Net,
    width: usize,
    dim: usize,
    params: &Bound<'_, PyAny>,
) -> PyResult<(FiniteNetwork<T>, Vec<T>)> {
    let fnet = FiniteNetwork::new(net.network::<T>()?, dim, width).map_err(err)?;
    let nt = params
        .extract::<PyReadonlyArray1<'_, T>>()
        .map_err(|_| PyTypeError::new_err("params must be a 1-D array of the inputs' dtype"))?;
    let nt = nt
        .as_slice()
        .map_err(|e| PyValueError::new_err(e.to_string()))?;
    if nt.len() != fnet.param_len() {
        return Err(PyValueError::new_err(format!(
            "expected {} parameters, got {}",
            fnet.param_len(),
            nt.len()
        )));
    }
    let mut own = vec![T::ZERO; nt.len()];
    fnet.import_nt(nt, &mut own).map_err(err)?;
    Ok((fnet, own))
}

fn apply<'py, T: Real + Element>(
    py: Python<'py>,
    net: &Net,
    width: usize,
    params: &Bound<'py, PyAny>,
    x: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    let x = Rows::<T>::new(x)?;
    let (fnet, theta) = load::<T>(net, width, x.dim(), params)?;
    let xs = x.data()?;
    let out = py.detach(|| outputs(&fnet, &theta, xs)).map_err(err)?;
    matrix(py, out, x.len(), 1)
}

fn outputs<T: Real>(fnet: &FiniteNetwork<T>, theta: &[T], xs: &[T]) -> ntk::Result<Vec<T>> {
    let mut work = vec![T::ZERO; fnet.workspace_len(1)];
    xs.chunks_exact(fnet.dim())
        .map(|x| fnet.forward(theta, x, &mut work))
        .collect()
}

/// The empirical kernels of one network: NNGP f(x1)f(x2)ᵀ and NTK
/// J(x1)J(x2)ᵀ (J the parameter Jacobian), each (n1, n2) or None.
#[pyfunction]
#[pyo3(signature = (net, width, params, x1, x2, nngp = true, ntk = true))]
#[allow(clippy::too_many_arguments)]
pub fn empirical_kernels<'py>(
    py: Python<'py>,
    net: &Net,
    width: usize,
    params: &Bound<'py, PyAny>,
    x1: &Bound<'py, PyAny>,
    x2: &Bound<'py, PyAny>,
    nngp: bool,
    ntk: bool,
) -> PyResult<Pair<'py>> {
    match dtype(x1)? {
        Dtype::F32 => empirical::<f32>(py, net, width, params, [x1, x2], [nngp, ntk]),
        Dtype::F64 => empirical::<f64>(py, net, width, params, [x1, x2], [nngp, ntk]),
    }
}

fn empirical<'py, T: Real + Element>(
    py: Python<'py>,
    net: &Net,
    width: usize,
    params: &Bound<'py, PyAny>,
    [x1, x2]: [&Bound<'py, PyAny>; 2],
    want: [bool; 2],
) -> PyResult<Pair<'py>> {
    let (x, z) = (Rows::<T>::new(x1)?, Rows::<T>::new(x2)?);
    let (fnet, theta) = load::<T>(net, width, x.dim(), params)?;
    let (n, m, p) = (x.len(), z.len(), fnet.param_len());
    product(product(n.max(m), p, "Jacobian")?, 2, "Jacobian")?;
    let (xs, zs) = (x.data()?, z.data()?);
    let [a, b] = py
        .detach(|| -> ntk::Result<[Vec<T>; 2]> {
            // NNGP from the outputs (p = 1), NTK from the Jacobians.
            type Rows<T> = fn(&FiniteNetwork<T>, &[T], &[T]) -> ntk::Result<Vec<T>>;
            let gram = |on: bool, rows: Rows<T>, p: usize| -> ntk::Result<Vec<T>> {
                if !on {
                    return Ok(vec![]);
                }
                Ok(outer(
                    &rows(&fnet, &theta, xs)?,
                    &rows(&fnet, &theta, zs)?,
                    p,
                ))
            };
            Ok([gram(want[0], outputs, 1)?, gram(want[1], jacobian, p)?])
        })
        .map_err(err)?;
    let wrap = |on: bool, v: Vec<T>| on.then(|| matrix(py, v, n, m)).transpose();
    Ok((wrap(want[0], a)?, wrap(want[1], b)?))
}

fn jacobian<T: Real>(fnet: &FiniteNetwork<T>, theta: &[T], xs: &[T]) -> ntk::Result<Vec<T>> {
    let n = xs.len() / fnet.dim();
    let mut grads = vec![T::ZERO; n * fnet.param_len()];
    let mut work = vec![T::ZERO; fnet.workspace_len(1)];
    if n > 0 {
        fnet.jacobian_into(theta, xs, &mut grads, &mut work)?;
    }
    Ok(grads)
}

/// A·Bᵀ for row-major A (n × p) and B (m × p).
fn outer<T: Real>(a: &[T], b: &[T], p: usize) -> Vec<T> {
    let mut out = Vec::with_capacity((a.len() / p) * (b.len() / p));
    for ra in a.chunks_exact(p) {
        for rb in b.chunks_exact(p) {
            out.push(ra.iter().zip(rb).fold(T::ZERO, |s, (&u, &v)| s + u * v));
        }
    }
    out
}

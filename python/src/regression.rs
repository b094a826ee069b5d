//! `gradient_descent_mse_ensemble` on the crate's regressor
//! (`ntk::regression`): means and covariances at any training time.

use crate::array::{dtype, err, matrix, Dtype, Rows};
use crate::net::Net;
use ntk::gram::LaneReal;
use ntk::regression::{
    covariance_work_len, means_work_len, Regime, Ridge, Time, VecEigenbasis, VecRegressor,
};
use numpy::Element;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use std::sync::OnceLock;

/// A fitted infinite ensemble in one regime ('nngp' or 'ntk'), in the
/// training inputs' dtype.
#[pyclass(module = "ntk._ntk")]
pub struct Regression {
    fit: Fit,
    outputs: usize,
}

enum Fit {
    F32(Box<Fitted<f32>>),
    F64(Box<Fitted<f64>>),
}

/// A fitted regressor and, after the first finite-time prediction, the
/// eigendecomposition of its A, kept for the later ones (neural-tangents
/// too decomposes once per training set).
struct Fitted<T> {
    model: VecRegressor<T>,
    basis: OnceLock<VecEigenbasis<T>>,
}

impl<T: LaneReal> Fitted<T> {
    fn new(model: VecRegressor<T>) -> Box<Self> {
        Box::new(Fitted {
            model,
            basis: OnceLock::new(),
        })
    }

    /// The cached eigenbasis, computed on first use.
    fn basis(&self) -> ntk::Result<&VecEigenbasis<T>> {
        if let Some(b) = self.basis.get() {
            return Ok(b);
        }
        let b = self.model.eigenbasis()?;
        Ok(self.basis.get_or_init(|| b))
    }
}

#[pymethods]
impl Regression {
    /// Fits K(X, X) + λI of regime `get` to `y_train` (n × O, the dtype of
    /// `x_train`); λ = `diag_reg` (absolute) or `diag_reg`·trace(K)/n.
    #[new]
    #[pyo3(signature = (net, get, x_train, y_train, diag_reg = 0.0, diag_reg_absolute_scale = false, threads = None))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        net: &Net,
        get: &str,
        x_train: &Bound<'_, PyAny>,
        y_train: &Bound<'_, PyAny>,
        diag_reg: f64,
        diag_reg_absolute_scale: bool,
        threads: Option<usize>,
    ) -> PyResult<Self> {
        let regime = match get {
            "nngp" => Regime::Nngp,
            "ntk" => Regime::Ntk,
            other => {
                return Err(PyValueError::new_err(format!(
                    "get must be 'nngp' or 'ntk', got {other:?}"
                )))
            }
        };
        let threads = match threads {
            Some(0) => return Err(PyValueError::new_err("threads must be >= 1")),
            Some(t) => t,
            None => std::thread::available_parallelism().map_or(1, |n| n.get()),
        };
        let setup = Setup {
            regime,
            diag_reg,
            absolute: diag_reg_absolute_scale,
            threads,
        };
        let outputs = Rows::<f64>::new(y_train)
            .map(|r| r.dim())
            .or_else(|_| Rows::<f32>::new(y_train).map(|r| r.dim()))?;
        let fit = match dtype(x_train)? {
            Dtype::F32 => Fit::F32(Fitted::new(setup.fit(py, net, x_train, y_train)?)),
            Dtype::F64 => Fit::F64(Fitted::new(setup.fit(py, net, x_train, y_train)?)),
        };
        Ok(Regression { fit, outputs })
    }

    /// Means at the times `t` (None = ∞) on `x_test`: (len(t), m, O).
    fn mean<'py>(
        &self,
        py: Python<'py>,
        x_test: &Bound<'py, PyAny>,
        t: Vec<Option<f64>>,
        learning_rate: f64,
    ) -> PyResult<Bound<'py, PyAny>> {
        self.evaluate(py, x_test, &t, learning_rate, false)
    }

    /// Covariances at the times `t` (None = ∞) on `x_test`: (len(t), m, m).
    fn covariance<'py>(
        &self,
        py: Python<'py>,
        x_test: &Bound<'py, PyAny>,
        t: Vec<Option<f64>>,
        learning_rate: f64,
    ) -> PyResult<Bound<'py, PyAny>> {
        self.evaluate(py, x_test, &t, learning_rate, true)
    }

    /// The absolute ridge λ in use.
    #[getter]
    fn ridge(&self) -> f64 {
        match &self.fit {
            Fit::F32(m) => f64::from(m.model.lambda()),
            Fit::F64(m) => m.model.lambda(),
        }
    }
}

impl Regression {
    fn evaluate<'py>(
        &self,
        py: Python<'py>,
        x_test: &Bound<'py, PyAny>,
        t: &[Option<f64>],
        lr: f64,
        cov: bool,
    ) -> PyResult<Bound<'py, PyAny>> {
        let (rows, cols) = (t.len(), if cov { 0 } else { self.outputs });
        match &self.fit {
            Fit::F32(m) => run(py, m, x_test, t, lr, cov, [rows, cols]),
            Fit::F64(m) => run(py, m, x_test, t, lr, cov, [rows, cols]),
        }
    }
}

struct Setup {
    regime: Regime,
    diag_reg: f64,
    absolute: bool,
    threads: usize,
}

impl Setup {
    fn fit<T: LaneReal + Element>(
        &self,
        py: Python<'_>,
        net: &Net,
        x: &Bound<'_, PyAny>,
        y: &Bound<'_, PyAny>,
    ) -> PyResult<VecRegressor<T>> {
        let net = net.network::<T>()?;
        let (x, y) = (Rows::<T>::new(x)?, Rows::<T>::new(y)?);
        if x.len() != y.len() {
            return Err(PyValueError::new_err(format!(
                "x_train has {} rows, y_train {}",
                x.len(),
                y.len()
            )));
        }
        let r = T::from_f64(self.diag_reg);
        let ridge = if self.absolute {
            Ridge::Absolute(r)
        } else {
            Ridge::RelativeToMeanDiagonal(r)
        };
        let (xs, ys) = (x.data()?, y.data()?);
        let (n, d, o) = (x.len(), x.dim(), y.dim());
        py.detach(|| {
            let mut model = VecRegressor::with_capacity(net, self.regime, ridge, n, d, o)?;
            model.set_threads(self.threads)?;
            model.fit_rows(xs, ys)?;
            Ok(model)
        })
        .map_err(err)
    }
}

/// Means (m × O) or covariances (m × m) at each time, stacked.
fn run<'py, T: LaneReal + Element>(
    py: Python<'py>,
    model: &Fitted<T>,
    x_test: &Bound<'py, PyAny>,
    t: &[Option<f64>],
    lr: f64,
    cov: bool,
    [times, outputs]: [usize; 2],
) -> PyResult<Bound<'py, PyAny>> {
    let x = Rows::<T>::new(x_test)?;
    let (m, xs) = (x.len(), x.data()?);
    let cols = if cov { m } else { outputs };
    let per = m
        .checked_mul(cols)
        .ok_or_else(|| PyValueError::new_err("x_test too large"))?;
    let out = py
        .detach(|| stacked(model, xs, m, t, T::from_f64(lr), cov, per))
        .map_err(err)?;
    let arr = matrix(py, out, times, per)?;
    arr.call_method1("reshape", ((times, m, cols),))
}

fn stacked<T: LaneReal>(
    fitted: &Fitted<T>,
    xs: &[T],
    m: usize,
    t: &[Option<f64>],
    lr: T,
    cov: bool,
    per: usize,
) -> ntk::Result<Vec<T>> {
    let mut out = vec![T::ZERO; t.len().checked_mul(per).ok_or(OVERFLOW)?];
    if per == 0 {
        return Ok(out);
    }
    let model = &fitted.model;
    let n = model.len();
    let finite = t.iter().any(|t| t.is_some_and(|t| t != f64::INFINITY));
    let basis = if finite {
        Some(fitted.basis()?.basis())
    } else {
        None
    };
    let o = model.shape().outputs;
    let mut work = vec![
        T::ZERO;
        if cov {
            covariance_work_len(n, m)
        } else {
            means_work_len(n, o, m)
        }
    ];
    for (ti, chunk) in t.iter().zip(out.chunks_exact_mut(per)) {
        let time = match (ti, basis) {
            (Some(t), Some(basis)) if *t != f64::INFINITY => Time::Finite {
                t: T::from_f64(*t),
                learning_rate: lr,
                basis,
            },
            _ => Time::Infinite,
        };
        if cov {
            model.covariance_matrix_into(xs, &time, chunk, &mut work)?;
        } else {
            model.means_at_into(xs, &time, chunk, &mut work)?;
        }
    }
    Ok(out)
}

const OVERFLOW: ntk::Error = ntk::Error::CapacityExceeded {
    capacity: usize::MAX,
};

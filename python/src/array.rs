//! numpy ↔ slices: dtype dispatch, contiguity, error conversion.

use numpy::{
    Element, PyArray1, PyArrayDescrMethods, PyArrayMethods, PyReadonlyArray2, PyUntypedArray,
    PyUntypedArrayMethods,
};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;

/// The two precisions the crate computes in.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Dtype {
    F32,
    F64,
}

/// The dtype of a numpy array: float32 or float64, else `TypeError`.
pub fn dtype(x: &Bound<'_, PyAny>) -> PyResult<Dtype> {
    let py = x.py();
    let arr = x
        .cast::<PyUntypedArray>()
        .map_err(|_| PyTypeError::new_err("expected a numpy array"))?;
    let dt = arr.dtype();
    if dt.is_equiv_to(&numpy::dtype::<f32>(py)) {
        Ok(Dtype::F32)
    } else if dt.is_equiv_to(&numpy::dtype::<f64>(py)) {
        Ok(Dtype::F64)
    } else {
        Err(PyTypeError::new_err(format!(
            "expected a float32 or float64 array, got {dt}"
        )))
    }
}

/// A crate error as a Python `ValueError` carrying its message.
pub fn err(e: ntk::Error) -> PyErr {
    PyValueError::new_err(e.to_string())
}

/// A 2-D C-contiguous array of `T`: its data, rows and columns.
pub struct Rows<'py, T: Element> {
    array: PyReadonlyArray2<'py, T>,
}

impl<'py, T: Element> Rows<'py, T> {
    /// Extracts a 2-D array of dtype `T` (`TypeError` otherwise).
    pub fn new(x: &Bound<'py, PyAny>) -> PyResult<Self> {
        let array = x.extract::<PyReadonlyArray2<'py, T>>().map_err(|_| {
            PyTypeError::new_err("expected a 2-D array of the same float dtype as the others")
        })?;
        if !array.is_c_contiguous() {
            return Err(PyValueError::new_err("expected a C-contiguous array"));
        }
        Ok(Rows { array })
    }

    /// Number of rows (points).
    pub fn len(&self) -> usize {
        self.array.shape()[0]
    }

    /// Number of columns (dimension).
    pub fn dim(&self) -> usize {
        self.array.shape()[1]
    }

    /// The row-major data.
    pub fn data(&self) -> PyResult<&[T]> {
        self.array
            .as_slice()
            .map_err(|e| PyValueError::new_err(e.to_string()))
    }
}

/// `data` (rows × cols, row-major) as a new numpy array.
pub fn matrix<'py, T: Element>(
    py: Python<'py>,
    data: Vec<T>,
    rows: usize,
    cols: usize,
) -> PyResult<Bound<'py, PyAny>> {
    Ok(PyArray1::from_vec(py, data)
        .reshape([rows, cols])?
        .into_any())
}

/// `a·b` or a `ValueError` naming what overflowed.
pub fn product(a: usize, b: usize, what: &str) -> PyResult<usize> {
    a.checked_mul(b)
        .ok_or_else(|| PyValueError::new_err(format!("{what}: size {a} × {b} overflows")))
}

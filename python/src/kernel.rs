//! Closed-form NNGP/NTK Gram matrices on all cores (`ntk::gram::par`).

use crate::array::{dtype, err, product, Dtype, Rows};
use crate::net::Net;
use crate::pool::Threads;
use ntk::gram::{par, Gram, LaneReal, Output, Points, RowMajor, Tile};
use ntk::Network;
use numpy::{Element, PyArray2, PyArrayMethods};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use rayon::prelude::*;

/// Requested matrices, NNGP then NTK (`None` = not requested).
pub type Pair<'py> = (Option<Bound<'py, PyAny>>, Option<Bound<'py, PyAny>>);

/// K(x1, x2) (or K(x1, x1), each pair once, when `x2` is None) of `net`:
/// the NNGP and/or NTK as new arrays of the inputs' dtype.
/// `exact` evaluates every pair by the exact scalar recursion instead of the
/// vectorised lane kernel.
#[pyfunction]
#[pyo3(signature = (net, x1, x2 = None, nngp = true, ntk = true, threads = None, exact = false))]
#[allow(clippy::too_many_arguments)]
pub fn kernel<'py>(
    py: Python<'py>,
    net: &Net,
    x1: &Bound<'py, PyAny>,
    x2: Option<&Bound<'py, PyAny>>,
    nngp: bool,
    ntk: bool,
    threads: Option<usize>,
    exact: bool,
) -> PyResult<Pair<'py>> {
    let threads = Threads::new(threads)?;
    let fill = if exact { Fill::Exact } else { Fill::Lanes };
    match dtype(x1)? {
        Dtype::F32 => full::<f32>(py, net, x1, x2, [nngp, ntk], &threads, fill),
        Dtype::F64 => full::<f64>(py, net, x1, x2, [nngp, ntk], &threads, fill),
    }
}

/// How the entries are computed.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Fill {
    /// `ntk::gram` tiles (lane kernel for the ReLU family).
    Lanes,
    /// `Network::kernels` pair by pair.
    Exact,
}

/// The tile rows × cols of K(x1, x2), one thread: the block a distributed
/// worker computes.
#[pyfunction]
#[pyo3(signature = (net, x1, x2, nngp = true, ntk = true))]
pub fn kernel_tile<'py>(
    py: Python<'py>,
    net: &Net,
    x1: &Bound<'py, PyAny>,
    x2: &Bound<'py, PyAny>,
    nngp: bool,
    ntk: bool,
) -> PyResult<Pair<'py>> {
    let one = Threads::new(Some(1))?;
    match dtype(x1)? {
        Dtype::F32 => full::<f32>(py, net, x1, Some(x2), [nngp, ntk], &one, Fill::Lanes),
        Dtype::F64 => full::<f64>(py, net, x1, Some(x2), [nngp, ntk], &one, Fill::Lanes),
    }
}

fn full<'py, T: LaneReal + Element>(
    py: Python<'py>,
    net: &Net,
    x1: &Bound<'py, PyAny>,
    x2: Option<&Bound<'py, PyAny>>,
    want: [bool; 2],
    threads: &Threads,
    fill: Fill,
) -> PyResult<Pair<'py>> {
    if !want[0] && !want[1] {
        return Err(PyValueError::new_err("get must name 'nngp' and/or 'ntk'"));
    }
    let gram = Gram::new(net.network::<T>()?);
    let x = Rows::<T>::new(x1)?;
    let z = x2.map(Rows::<T>::new).transpose()?;
    let (n, m) = (x.len(), z.as_ref().map_or(x.len(), Rows::len));
    product(n, m, "kernel matrix")?;
    // The results are numpy arrays filled in place: numpy's allocator asks
    // for huge pages (MADV_HUGEPAGE); a Vec's mmap got 4 KiB pages, and their
    // faults took ~20% of a call (perf, n = 2048; python/README.md).
    let arrays = want.map(|w| w.then(|| PyArray2::<T>::zeros(py, [n, m], false)));
    let mut guards = arrays.each_ref().map(|a| a.as_ref().map(|a| a.readwrite()));
    let [a, b] = guards.each_mut().map(|g| match g {
        Some(g) => g
            .as_slice_mut()
            .map_err(|e| PyValueError::new_err(e.to_string())),
        None => Ok(&mut [][..]),
    });
    let (a, b) = (a?, b?);
    let (xs, zs) = (x.data()?, z.as_ref().map(Rows::data).transpose()?);
    let dim = x.dim();
    // The crate never returns Ok with NaN or ±∞ entries (ntk::gram scans
    // each tile it writes; the exact recursion checks each pair): no second
    // scan here.
    py.detach(|| {
        threads.install(|| {
            if fill == Fill::Exact {
                return exact_fill(gram.network(), xs, zs.unwrap_or(xs), dim, [a, b]);
            }
            let out = output(want, a, b, m);
            let x = Points::new(xs, dim)?;
            match zs {
                None if threads.count() == 1 => gram.symmetric(&x, out),
                None => par::symmetric(&gram, &x, out),
                Some(zs) if threads.count() == 1 => {
                    gram.tile(&x, &Points::new(zs, dim)?, Tile::new(0..n, 0..m), out)
                }
                Some(zs) => par::matrix(&gram, &x, &Points::new(zs, dim)?, out),
            }
        })
    })
    .map_err(err)?;
    drop(guards);
    let [a, b] = arrays.map(|a| a.map(Bound::into_any));
    Ok((a, b))
}

/// The row-major outputs that are requested.
fn output<'a, T>(want: [bool; 2], a: &'a mut [T], b: &'a mut [T], m: usize) -> Output<'a, T> {
    match want {
        [true, true] => Output::both(RowMajor(a, m), RowMajor(b, m)),
        [true, false] => Output::nngp(RowMajor(a, m)),
        _ => Output::ntk(RowMajor(b, m)),
    }
}

/// Every pair by the exact recursion, rows in parallel; an unrequested
/// output (an empty slice) is computed into scratch memory and dropped.
fn exact_fill<T: LaneReal>(
    net: &Network<T>,
    xs: &[T],
    zs: &[T],
    dim: usize,
    [a, b]: [&mut [T]; 2],
) -> ntk::Result<()> {
    if dim == 0 {
        return Err(ntk::Error::Empty {
            what: "input dimension",
        });
    }
    let m = zs.len() / dim;
    if m == 0 {
        return Ok(());
    }
    let len = (xs.len() / dim) * m;
    let (mut sa, mut sb): (Vec<T>, Vec<T>);
    let a = if a.is_empty() {
        sa = vec![T::ZERO; len];
        &mut sa[..]
    } else {
        a
    };
    let b = if b.is_empty() {
        sb = vec![T::ZERO; len];
        &mut sb[..]
    } else {
        b
    };
    let rows = a.par_chunks_exact_mut(m).zip(b.par_chunks_exact_mut(m));
    rows.zip(xs.par_chunks_exact(dim))
        .try_for_each(|((ra, rb), x)| {
            for ((z, va), vb) in zs.chunks_exact(dim).zip(ra).zip(rb) {
                let k = net.kernels(x, z)?;
                (*va, *vb) = (k.nngp, k.ntk);
            }
            Ok(())
        })
}

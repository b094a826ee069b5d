//! Eigenlearning (Simon et al., TMLR 2023): from a kernel's eigenvalues λᵢ
//! (multiplicities mᵢ), n training points and the ridge δ, the effective
//! regularisation κ > 0 solving Σᵢ mᵢλᵢ/(λᵢ + κ) + δ/κ = n, and each level's
//! learnability Lᵢ = λᵢ/(λᵢ + κ).

use crate::boundary::{check_ptr, disjoint, region, slice, slice_mut, Region, Status};
use crate::status::{code, status};
use crate::Scalar;
use core::ffi::c_int;
use ntk::eigenlearning::{Solution, Spectrum};

/// Eigenvalues, multiplicities (or NULL) and their number, as C passes them.
type Input<T> = (*const T, *const T, usize);

/// The solution for a spectrum from C (`multiplicities` NULL: one mode each).
///
/// # Safety
/// Each pointer is NULL or points to `levels` scalars.
unsafe fn solve<'a, T: Scalar>(
    (eigenvalues, multiplicities, levels): Input<T>,
    n: T,
    ridge: T,
) -> Status<Solution<'a, T>> {
    // SAFETY: forwarded contract.
    let eig = unsafe { slice(eigenvalues, levels)? };
    let spectrum = if multiplicities.is_null() {
        Spectrum::modes(eig)
    } else {
        // SAFETY: forwarded contract.
        Spectrum::levels(eig, unsafe { slice(multiplicities, levels)? })
    };
    spectrum.and_then(|s| s.solve(n, ridge)).map_err(code)
}

/// `ntk_eigenlearning_kappa_*`.
///
/// # Safety
/// As [`solve`]; `kappa` NULL or one scalar.
unsafe fn kappa<T: Scalar>(spectrum: Input<T>, n: T, ridge: T, out: *mut T) -> Status {
    check_ptr(out)?;
    disjoint(Region::of(out), &regions(spectrum)?)?;
    // SAFETY: forwarded contract.
    let k = unsafe { solve(spectrum, n, ridge)? }.kappa();
    // SAFETY: non-null, aligned, writable (contract), disjoint from the inputs.
    unsafe { out.write(k) };
    Ok(())
}

/// `ntk_eigenlearning_learnabilities_*`.
///
/// # Safety
/// As [`solve`]; `out` NULL or `levels` scalars.
unsafe fn learnabilities<T: Scalar>(spectrum: Input<T>, n: T, ridge: T, out: *mut T) -> Status {
    disjoint(region(out, spectrum.2)?, &regions(spectrum)?)?;
    // SAFETY: forwarded contract.
    let sol = unsafe { solve(spectrum, n, ridge)? };
    // SAFETY: forwarded contract; disjoint from the inputs (checked).
    sol.learnabilities(unsafe { slice_mut(out, spectrum.2)? })
        .map_err(code)
}

/// Where the eigenvalues and multiplicities lie.
fn regions<T>((e, m, levels): Input<T>) -> Status<[Region; 2]> {
    Ok([region(e, levels)?, region(m, levels)?])
}

/// κ for the spectrum `eigenvalues[levels]` (≥ 0) with `multiplicities`
/// (NULL: 1 each), `n` ≥ 0 training points (a real) and ridge δ ≥ 0, into
/// `*kappa_out`. Edge cases as the theory: n = 0 gives κ = +∞; δ = 0 with n at
/// or above the number of positive modes gives κ = 0.
///
/// Errors: `NTK_ERR_NULL_POINTER`, `NTK_ERR_MISALIGNED`, `NTK_ERR_NON_FINITE`,
/// `NTK_ERR_INVALID_PARAMETER` (a negative eigenvalue, multiplicity, n or
/// δ), `NTK_ERR_OVERLAP`, `NTK_ERR_NO_CONVERGENCE`.
///
/// # Safety
/// `eigenvalues` (and `multiplicities` unless NULL) point to `levels` floats; `kappa_out` NULL or one float.
#[no_mangle]
pub unsafe extern "C" fn ntk_eigenlearning_kappa_f32(
    eigenvalues: *const f32,
    multiplicities: *const f32,
    levels: usize,
    n: f32,
    ridge: f32,
    kappa_out: *mut f32,
) -> c_int {
    // SAFETY: forwarded contract.
    status(unsafe { kappa((eigenvalues, multiplicities, levels), n, ridge, kappa_out) })
}

/// `ntk_eigenlearning_kappa_f32` in `double`.
///
/// # Safety
/// As `ntk_eigenlearning_kappa_f32`, with doubles.
#[no_mangle]
pub unsafe extern "C" fn ntk_eigenlearning_kappa_f64(
    eigenvalues: *const f64,
    multiplicities: *const f64,
    levels: usize,
    n: f64,
    ridge: f64,
    kappa_out: *mut f64,
) -> c_int {
    // SAFETY: forwarded contract.
    status(unsafe { kappa((eigenvalues, multiplicities, levels), n, ridge, kappa_out) })
}

/// Each level's learnability Lᵢ = λᵢ/(λᵢ + κ) into `out` (`levels` floats),
/// with κ as `ntk_eigenlearning_kappa_f32`.
///
/// Errors: as `ntk_eigenlearning_kappa_f32`.
///
/// # Safety
/// `eigenvalues` (and `multiplicities` unless NULL) and `out` point to `levels` floats.
#[no_mangle]
pub unsafe extern "C" fn ntk_eigenlearning_learnabilities_f32(
    eigenvalues: *const f32,
    multiplicities: *const f32,
    levels: usize,
    n: f32,
    ridge: f32,
    out: *mut f32,
) -> c_int {
    // SAFETY: forwarded contract.
    status(unsafe { learnabilities((eigenvalues, multiplicities, levels), n, ridge, out) })
}

/// `ntk_eigenlearning_learnabilities_f32` in `double`.
///
/// # Safety
/// As `ntk_eigenlearning_learnabilities_f32`, with doubles.
#[no_mangle]
pub unsafe extern "C" fn ntk_eigenlearning_learnabilities_f64(
    eigenvalues: *const f64,
    multiplicities: *const f64,
    levels: usize,
    n: f64,
    ridge: f64,
    out: *mut f64,
) -> c_int {
    // SAFETY: forwarded contract.
    status(unsafe { learnabilities((eigenvalues, multiplicities, levels), n, ridge, out) })
}

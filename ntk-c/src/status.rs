//! Status codes: 0 is success, every error a negative `int` (CMSIS-DSP's
//! `arm_status` convention), one per [`ntk::Error`] kind plus the boundary's
//! own (null or misaligned pointers, overlapping buffers, uninitialised
//! instances, sizes that overflow).

use core::ffi::{c_char, c_int, CStr};
use ntk::Error;

/// Success.
pub const NTK_OK: c_int = 0;
/// A required pointer is NULL.
pub const NTK_ERR_NULL_POINTER: c_int = -1;
/// A pointer is not aligned for its type (`float`, `double`, an instance).
pub const NTK_ERR_MISALIGNED: c_int = -2;
/// The instance was not set up by its `_init` function (or is of another type).
pub const NTK_ERR_NOT_INITIALIZED: c_int = -3;
/// Two buffers of one call overlap where one of them is written (or the
/// regressor's buffer overlaps its instance or an argument).
pub const NTK_ERR_OVERLAP: c_int = -4;
/// An input value is NaN or infinite.
pub const NTK_ERR_NON_FINITE: c_int = -5;
/// A parameter is outside its range (negative standard deviation, unknown
/// activation or regime code, zero width, ...).
pub const NTK_ERR_INVALID_PARAMETER: c_int = -6;
/// Depth 0, or above `NTK_MAX_DEPTH`.
pub const NTK_ERR_DEPTH: c_int = -7;
/// Two lengths that must agree do not.
pub const NTK_ERR_DIMENSION_MISMATCH: c_int = -8;
/// An input is empty where at least one element is needed.
pub const NTK_ERR_EMPTY: c_int = -9;
/// A caller buffer is too short.
pub const NTK_ERR_BUFFER_TOO_SMALL: c_int = -10;
/// The regressor is full (insert) or asked to fit more points than its capacity.
pub const NTK_ERR_CAPACITY_EXCEEDED: c_int = -11;
/// An index (point to remove, tile bounds) is out of range.
pub const NTK_ERR_INDEX_OUT_OF_RANGE: c_int = -12;
/// The regularised Gram matrix is not numerically positive definite
/// (duplicate points without ridge): raise the ridge.
pub const NTK_ERR_NOT_POSITIVE_DEFINITE: c_int = -13;
/// Prediction (or removal, ridge choice) before a successful fit.
pub const NTK_ERR_NOT_FITTED: c_int = -14;
/// An iterative method did not converge.
pub const NTK_ERR_NO_CONVERGENCE: c_int = -15;
/// The activation is not compiled in (library built without `all-activations`).
pub const NTK_ERR_FEATURE_DISABLED: c_int = -16;
/// The quantity is not defined for these arguments.
pub const NTK_ERR_UNDEFINED: c_int = -17;
/// A size computation (count × dimension, buffer length in bytes) overflows.
pub const NTK_ERR_SIZE_OVERFLOW: c_int = -18;
/// An error of a newer library version without a code of its own.
pub const NTK_ERR_OTHER: c_int = -19;

/// The status of a failed library call.
pub(crate) fn code(e: Error) -> c_int {
    match e {
        Error::NonFinite { .. } => NTK_ERR_NON_FINITE,
        Error::InvalidParameter { .. } | Error::MissingWidths => NTK_ERR_INVALID_PARAMETER,
        Error::ZeroDepth | Error::DepthTooLarge { .. } => NTK_ERR_DEPTH,
        Error::DimensionMismatch { .. } => NTK_ERR_DIMENSION_MISMATCH,
        Error::Empty { .. } => NTK_ERR_EMPTY,
        Error::BufferTooSmall { .. } => NTK_ERR_BUFFER_TOO_SMALL,
        Error::CapacityExceeded { .. } => NTK_ERR_CAPACITY_EXCEEDED,
        Error::IndexOutOfRange { .. } => NTK_ERR_INDEX_OUT_OF_RANGE,
        Error::NotPositiveDefinite { .. } => NTK_ERR_NOT_POSITIVE_DEFINITE,
        Error::NotFitted => NTK_ERR_NOT_FITTED,
        Error::NoConvergence { .. } => NTK_ERR_NO_CONVERGENCE,
        Error::FeatureDisabled { .. } => NTK_ERR_FEATURE_DISABLED,
        Error::Undefined { .. } => NTK_ERR_UNDEFINED,
        _ => NTK_ERR_OTHER,
    }
}

/// `NTK_OK` or the error's code.
pub(crate) fn status(r: Result<(), c_int>) -> c_int {
    match r {
        Ok(()) => NTK_OK,
        Err(c) => c,
    }
}

/// The names of the codes 0, -1, -2, ... in order.
const NAMES: [&CStr; 20] = [
    c"NTK_OK",
    c"NTK_ERR_NULL_POINTER",
    c"NTK_ERR_MISALIGNED",
    c"NTK_ERR_NOT_INITIALIZED",
    c"NTK_ERR_OVERLAP",
    c"NTK_ERR_NON_FINITE",
    c"NTK_ERR_INVALID_PARAMETER",
    c"NTK_ERR_DEPTH",
    c"NTK_ERR_DIMENSION_MISMATCH",
    c"NTK_ERR_EMPTY",
    c"NTK_ERR_BUFFER_TOO_SMALL",
    c"NTK_ERR_CAPACITY_EXCEEDED",
    c"NTK_ERR_INDEX_OUT_OF_RANGE",
    c"NTK_ERR_NOT_POSITIVE_DEFINITE",
    c"NTK_ERR_NOT_FITTED",
    c"NTK_ERR_NO_CONVERGENCE",
    c"NTK_ERR_FEATURE_DISABLED",
    c"NTK_ERR_UNDEFINED",
    c"NTK_ERR_SIZE_OVERFLOW",
    c"NTK_ERR_OTHER",
];

/// The name of a status code (`"NTK_OK"`, `"NTK_ERR_NOT_FITTED"`, ...), or
/// `"NTK_ERR_UNKNOWN"` for a number that is no code. A static,
/// NUL-terminated string: never free it.
#[no_mangle]
pub extern "C" fn ntk_status_name(status: c_int) -> *const c_char {
    let name = status
        .checked_neg()
        .and_then(|i| usize::try_from(i).ok())
        .and_then(|i| NAMES.get(i))
        .copied()
        .unwrap_or(c"NTK_ERR_UNKNOWN");
    name.as_ptr()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_the_codes() {
        let codes = [
            (NTK_OK, "NTK_OK"),
            (NTK_ERR_NULL_POINTER, "NTK_ERR_NULL_POINTER"),
            (NTK_ERR_OVERLAP, "NTK_ERR_OVERLAP"),
            (NTK_ERR_NOT_FITTED, "NTK_ERR_NOT_FITTED"),
            (NTK_ERR_SIZE_OVERFLOW, "NTK_ERR_SIZE_OVERFLOW"),
            (NTK_ERR_OTHER, "NTK_ERR_OTHER"),
            (1, "NTK_ERR_UNKNOWN"),
            (-20, "NTK_ERR_UNKNOWN"),
            (c_int::MIN, "NTK_ERR_UNKNOWN"),
        ];
        for (c, name) in codes {
            // SAFETY: ntk_status_name returns a pointer to a static C string.
            let got = unsafe { CStr::from_ptr(ntk_status_name(c)) };
            assert_eq!(got.to_str(), Ok(name), "code {c}");
        }
    }
}

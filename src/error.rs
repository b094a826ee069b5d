//! The crate's error type.
//!
//! Every fallible routine returns `Result<_, ntk::Error>`. Errors carry the
//! numbers needed to fix the call (the expected length, the ridge that would
//! work), implement [`Display`](core::fmt::Display) and
//! [`core::error::Error`], and never own heap memory.

use core::fmt;

/// What went wrong. `#[non_exhaustive]`: new variants may be added.
#[derive(Clone, Copy, Debug, PartialEq)]
#[non_exhaustive]
pub enum Error {
    /// An input value (data, label, parameter) is NaN or infinite.
    NonFinite {
        /// Which argument.
        what: &'static str,
    },
    /// A parameter is outside its valid range (negative standard deviation,
    /// zero width, learning rate ≤ 0, …).
    InvalidParameter {
        /// Which parameter, and the rule it breaks.
        what: &'static str,
    },
    /// A network needs at least one hidden layer.
    ZeroDepth,
    /// More hidden layers than the fixed capacity [`MAX_DEPTH`](crate::MAX_DEPTH).
    DepthTooLarge {
        /// The depth asked for.
        depth: usize,
        /// The capacity.
        max: usize,
    },
    /// The standard parameterization needs the hidden-layer widths.
    MissingWidths,
    /// Two lengths that must agree do not.
    DimensionMismatch {
        /// Which argument.
        what: &'static str,
        /// The length required.
        expected: usize,
        /// The length given.
        found: usize,
    },
    /// An input is empty where at least one element is needed (input dimension 0, …).
    Empty {
        /// Which argument.
        what: &'static str,
    },
    /// A caller-provided buffer is too short.
    BufferTooSmall {
        /// Which buffer.
        what: &'static str,
        /// The length required.
        needed: usize,
        /// The length given.
        found: usize,
    },
    /// A size computed from the arguments (rows × stride, points × dimension,
    /// …) does not fit in `usize`: no buffer can hold it.
    SizeOverflow {
        /// Which buffer or size.
        what: &'static str,
    },
    /// A fixed-capacity store is full.
    CapacityExceeded {
        /// The capacity.
        capacity: usize,
    },
    /// An index is out of range.
    IndexOutOfRange {
        /// The index given.
        index: usize,
        /// The number of elements.
        len: usize,
    },
    /// The (regularised) Gram matrix is not numerically positive definite:
    /// Cholesky met a pivot ≤ 0 (duplicate points with no ridge, say).
    NotPositiveDefinite {
        /// The row at which factorisation failed.
        pivot: usize,
        /// An absolute ridge δ that makes the factorisation succeed.
        suggested_ridge: f64,
    },
    /// A model was used for prediction before it was fitted.
    NotFitted,
    /// An iterative method did not reach its tolerance.
    NoConvergence {
        /// Which method.
        what: &'static str,
    },
    /// A capability that a crate feature compiles out was asked for (an
    /// activation outside the ReLU family without `all-activations`, say).
    FeatureDisabled {
        /// What was asked for.
        what: &'static str,
        /// The crate feature that enables it.
        feature: &'static str,
    },
    /// A quantity is not defined for these arguments (for example the κ of
    /// eigenlearning theory at n ≥ N₊ with no ridge, which is 0⁺).
    Undefined {
        /// What, and why.
        what: &'static str,
    },
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Error::NonFinite { what } => write!(f, "{what} is not finite (NaN or infinite)"),
            Error::InvalidParameter { what } => write!(f, "invalid parameter: {what}"),
            Error::ZeroDepth => f.write_str("the network needs at least one hidden layer"),
            Error::DepthTooLarge { depth, max } => {
                write!(f, "depth {depth} exceeds the capacity of {max} hidden layers")
            }
            Error::MissingWidths => {
                f.write_str("the standard parameterization needs the hidden-layer widths")
            }
            Error::DimensionMismatch {
                what,
                expected,
                found,
            } => write!(f, "{what}: expected length {expected}, found {found}"),
            Error::Empty { what } => write!(f, "{what} is empty"),
            Error::BufferTooSmall {
                what,
                needed,
                found,
            } => write!(f, "buffer {what} too small: needs {needed}, has {found}"),
            Error::SizeOverflow { what } => write!(f, "size of {what} overflows usize"),
            Error::CapacityExceeded { capacity } => {
                write!(f, "capacity of {capacity} exceeded")
            }
            Error::IndexOutOfRange { index, len } => {
                write!(f, "index {index} out of range for length {len}")
            }
            Error::NotPositiveDefinite {
                pivot,
                suggested_ridge,
            } => write!(
                f,
                "Gram matrix not positive definite (pivot {pivot}); a ridge of {suggested_ridge:e} would work"
            ),
            Error::NotFitted => f.write_str("the model has not been fitted"),
            Error::NoConvergence { what } => write!(f, "{what} did not converge"),
            Error::FeatureDisabled { what, feature } => {
                write!(f, "{what} needs the crate feature `{feature}`")
            }
            Error::Undefined { what } => write!(f, "undefined: {what}"),
        }
    }
}

impl core::error::Error for Error {}

/// Shorthand for `core::result::Result<T, ntk::Error>`.
pub type Result<T> = core::result::Result<T, Error>;

/// `Ok(())` when every value is finite, else [`Error::NonFinite`] naming `what`.
pub(crate) fn ensure_finite<T: crate::Real>(values: &[T], what: &'static str) -> Result<()> {
    if values.iter().all(|v| v.is_finite()) {
        Ok(())
    } else {
        Err(Error::NonFinite { what })
    }
}

/// `Ok(x)` if x is finite, else [`Error::NonFinite`] naming `what`.
pub(crate) fn finite<T: crate::Real>(x: T, what: &'static str) -> Result<T> {
    match x.is_finite() {
        true => Ok(x),
        false => Err(Error::NonFinite { what }),
    }
}

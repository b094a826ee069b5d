//! Gram matrices as the array types of the Rust ecosystem (feature `alloc`;
//! `interop::ndarray` with feature `ndarray`), and kernels for
//! other crates' kernel machines (`smartcore` and `friedrich`, features of
//! the same names).
//!
//! Without allocation, any contiguous nalgebra matrix or (feature `ndarray`)
//! any contiguous `ArrayViewMut2` is already an output of [`Gram`](crate::gram::Gram)
//! and [`kernel`](crate::kernel) ([`IntoTarget`](crate::gram::IntoTarget)); the
//! functions here allocate the result for you. Points come as nalgebra
//! columns ([`Points::from_columns`](crate::gram::Points::from_columns)) or
//! ndarray rows (`ndarray::points`).

#[cfg(feature = "friedrich")]
#[cfg_attr(docsrs, doc(cfg(feature = "friedrich")))]
pub mod friedrich;
pub mod nalgebra;
#[cfg(feature = "ndarray")]
#[cfg_attr(docsrs, doc(cfg(feature = "ndarray")))]
pub mod ndarray;
#[cfg(feature = "smartcore")]
#[cfg_attr(docsrs, doc(cfg(feature = "smartcore")))]
pub mod smartcore;

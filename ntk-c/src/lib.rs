//! # ntk-c — the C interface of `ntk`
//!
//! Closed-form NNGP and NTK kernels of deep fully-connected networks
//! (neural-tangents 0.6.5 conventions), Gram tiles, kernel regression that
//! learns online in fixed memory, and eigenlearning, for C and C++ firmware.
//! Built as a static library (`libntk_c.a`) with one header, `ntk.h`.
//!
//! The conventions are CMSIS-DSP's (`arm_svm_rbf_init_f32`, ...):
//! - caller-owned instance structs (`ntk_network_f32`, `ntk_regressor_f32`)
//!   of fixed size and alignment, set up by an `_init` function;
//! - buffers owned by the caller, sized by `ntk_regressor_buffer_len` or the
//!   macro `NTK_REGRESSOR_BUFFER_LEN` (usable in a static array size);
//! - every function returns an `int` status: `NTK_OK` (0) or a negative
//!   `NTK_ERR_*` code, named by `ntk_status_name`;
//! - no allocation, no global state, `_f32` and `_f64` variants.
//!
//! Every pointer is checked for NULL and alignment, every length for
//! sufficiency and overflow, every number for NaN and infinity, and buffers
//! that one call writes must not overlap its other arguments. Bad input is
//! a status code, never a panic. No panic call site is reachable from
//! init, fit and predict on a Cortex-M4F; should another entry point keep
//! one and ever take it, a host aborts and bare metal stops in a spin loop.
//!
//! What C must keep: a pointer with a length points to that many elements;
//! an instance's buffer stays alive and untouched while the instance is
//! used; one instance is not used by two calls at once (nor copied and the
//! copies both used).
#![no_std]
#![deny(unsafe_op_in_unsafe_fn)]
#![warn(missing_docs)]
#![allow(non_camel_case_types)] // C type names: ntk_regressor_f32, ...

// Hosts: std's panic handler (an extern "C" function that panics aborts).
#[cfg(not(target_os = "none"))]
extern crate std;

mod boundary;
pub mod eigenlearning;
pub mod gram;
pub mod network;
pub mod regressor;
pub mod status;

pub use eigenlearning::*;
pub use gram::*;
pub use network::*;
pub use regressor::*;
pub use status::*;

/// The scalar types of the interface, with the tags of their instances.
pub(crate) trait Scalar: ntk::gram::LaneReal {
    /// Tag of an initialised `ntk_network_*`.
    const NETWORK_TAG: u32;
    /// Tag of an initialised `ntk_regressor_*`.
    const REGRESSOR_TAG: u32;
}

impl Scalar for f32 {
    const NETWORK_TAG: u32 = 0x4e54_4b01;
    const REGRESSOR_TAG: u32 = 0x4e54_4b02;
}

impl Scalar for f64 {
    const NETWORK_TAG: u32 = 0x4e54_4b11;
    const REGRESSOR_TAG: u32 = 0x4e54_4b12;
}

/// Bare metal: no std. No input reaches a panic (bad input is a status
/// code); should a bounds check the compiler kept ever fail, the core stops
/// here rather than run on with a broken state.
#[cfg(all(target_os = "none", not(test)))]
#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! {
    loop {
        core::hint::spin_loop();
    }
}

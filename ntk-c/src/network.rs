//! The network: depth, activation, weight and bias standard deviations,
//! parameterization (neural-tangents' `stax.serial(*[Dense(w, W_std, b_std),
//! φ]*L, Dense(1, W_std, b_std))`), and the NNGP and NTK of one pair.

use crate::boundary::{check_ptr, disjoint, get, get_mut, put, region, slice, Region, Status};
use crate::status::{code, status, NTK_ERR_INVALID_PARAMETER};
use crate::Scalar;
use core::ffi::c_int;
use ntk::{Activation, Dense, Network};

/// The most hidden layers a network holds.
pub const NTK_MAX_DEPTH: u32 = 16;

/// max(0, x). No parameters.
pub const NTK_ACTIVATION_RELU: i32 = 0;
/// a·min(x, 0) + b·max(x, 0): `params = {a, b, unused}`.
pub const NTK_ACTIVATION_ABRELU: i32 = 1;
/// Leaky ReLU, ABReLU(α, 1): `params = {α, unused, unused}`.
pub const NTK_ACTIVATION_LEAKY_RELU: i32 = 2;
/// |x|. No parameters.
pub const NTK_ACTIVATION_ABS: i32 = 3;
/// sign(x). No parameters.
pub const NTK_ACTIVATION_SIGN: i32 = 4;
/// Heaviside step (1 + sign x)/2. No parameters.
pub const NTK_ACTIVATION_STEP: i32 = 5;
/// max(0, x)². No parameters.
pub const NTK_ACTIVATION_REQU: i32 = 6;
/// a·erf(b·x) + c: `params = {a, b, c}` (neural-tangents' default {1, 1, 0}).
pub const NTK_ACTIVATION_ERF: i32 = 7;
/// x·Φ(x), the exact GELU. No parameters.
pub const NTK_ACTIVATION_GELU: i32 = 8;
/// a·sin(b·x + c): `params = {a, b, c}`.
pub const NTK_ACTIVATION_SIN: i32 = 9;
/// a·cos(b·x + c): `params = {a, b, c}`.
pub const NTK_ACTIVATION_COS: i32 = 10;
/// x. No parameters.
pub const NTK_ACTIVATION_IDENTITY: i32 = 11;

/// neural-tangents `parameterization='ntk'`: the kernels do not depend on widths.
pub const NTK_PARAMETERIZATION_NTK: i32 = 0;
/// neural-tangents `parameterization='standard'`: the NTK uses the hidden width.
pub const NTK_PARAMETERIZATION_STANDARD: i32 = 1;

/// A network as C describes it (`ntk_network_desc_f32`, `_f64`);
/// `ntk_network_init_*` checks it.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct ntk_network_desc<T> {
    /// Hidden layers L, 1 to `NTK_MAX_DEPTH`.
    pub depth: u32,
    /// `NTK_ACTIVATION_*`.
    pub activation: i32,
    /// The activation's parameters (see each `NTK_ACTIVATION_*`; unused ones are ignored).
    pub params: [T; 3],
    /// σ_w of every layer, readout included (neural-tangents `W_std`), ≥ 0.
    pub w_std: T,
    /// σ_b of every layer (`b_std`), ≥ 0; ignored when `has_bias` is 0.
    pub b_std: T,
    /// 0: no bias parameters (neural-tangents `b_std=None`); else `b_std`.
    pub has_bias: i32,
    /// `NTK_PARAMETERIZATION_NTK` or `NTK_PARAMETERIZATION_STANDARD`.
    pub parameterization: i32,
    /// The hidden width of every layer under the standard parameterization
    /// (≥ 1); ignored under the NTK parameterization.
    pub width: u32,
}

/// The NNGP Σ(x, z) and NTK Θ(x, z) of one pair (`ntk_kernels_f32`, `_f64`).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct ntk_kernels<T> {
    /// Σ: the covariance of the network's outputs at initialisation.
    pub nngp: T,
    /// Θ: the neural tangent kernel.
    pub ntk: T,
}

/// 64-bit words of an `ntk_network_f32`.
pub const NTK_NETWORK_F32_WORDS: usize = 64;
/// 64-bit words of an `ntk_network_f64`.
pub const NTK_NETWORK_F64_WORDS: usize = 96;

/// A checked network of `float`s: opaque, caller-owned (static, stack or
/// inside another struct), set up by `ntk_network_init_f32`.
#[repr(C)]
pub struct ntk_network_f32 {
    _opaque: [u64; NTK_NETWORK_F32_WORDS],
}

/// A checked network of `double`s: opaque, set up by `ntk_network_init_f64`.
#[repr(C)]
pub struct ntk_network_f64 {
    _opaque: [u64; NTK_NETWORK_F64_WORDS],
}

/// The activation a code names, with its parameters.
fn activation<T: Scalar>(code: i32, [a, b, c]: [T; 3]) -> Status<Activation<T>> {
    Ok(match code {
        NTK_ACTIVATION_RELU => Activation::Relu,
        NTK_ACTIVATION_ABRELU => Activation::AbRelu { a, b },
        NTK_ACTIVATION_LEAKY_RELU => Activation::leaky_relu(a),
        NTK_ACTIVATION_ABS => Activation::abs(),
        NTK_ACTIVATION_SIGN => Activation::Sign,
        NTK_ACTIVATION_STEP => Activation::Step,
        NTK_ACTIVATION_REQU => Activation::Requ,
        NTK_ACTIVATION_ERF => Activation::Erf { a, b, c },
        NTK_ACTIVATION_GELU => Activation::Gelu,
        NTK_ACTIVATION_SIN => Activation::Sin { a, b, c },
        NTK_ACTIVATION_COS => Activation::cos(a, b, c),
        NTK_ACTIVATION_IDENTITY => Activation::Identity,
        _ => return Err(NTK_ERR_INVALID_PARAMETER),
    })
}

/// The bias standard deviation a flag and a value describe.
pub(crate) fn bias<T>(has_bias: i32, b_std: T) -> Option<T> {
    (has_bias != 0).then_some(b_std)
}

/// The network a description describes.
fn build<T: Scalar>(d: &ntk_network_desc<T>) -> Status<Network<T>> {
    let depth = usize::try_from(d.depth).map_err(|_| NTK_ERR_INVALID_PARAMETER)?;
    let net = Network::new(depth, activation(d.activation, d.params)?)
        .and_then(|n| n.with_std(d.w_std, bias(d.has_bias, d.b_std)))
        .map_err(code)?;
    match d.parameterization {
        NTK_PARAMETERIZATION_NTK => Ok(net),
        NTK_PARAMETERIZATION_STANDARD => {
            let width = usize::try_from(d.width).map_err(|_| NTK_ERR_INVALID_PARAMETER)?;
            net.with_standard_parameterization(&[width]).map_err(code)
        }
        _ => Err(NTK_ERR_INVALID_PARAMETER),
    }
}

/// The network of an initialised instance.
///
/// # Safety
/// `net` is NULL, misaligned or points to a readable `O`.
pub(crate) unsafe fn network<'a, T: Scalar, O>(net: *const O) -> Status<&'a Network<T>> {
    // SAFETY: forwarded contract; the tag is unique to Network<T>.
    unsafe { get::<O, Network<T>>(net, T::NETWORK_TAG) }
}

/// `ntk_network_init_*`.
///
/// # Safety
/// `net` and `desc` are NULL, misaligned or point to their types.
unsafe fn init<T: Scalar, O>(net: *mut O, desc: *const ntk_network_desc<T>) -> Status {
    check_ptr(desc)?;
    check_ptr(net)?;
    disjoint(Region::of(net), &[Region::of(desc)])?;
    // SAFETY: non-null and aligned (checked), readable by contract; any bit
    // pattern is a valid NetworkDesc (integers and floats only).
    let network = build(unsafe { &*desc })?;
    // SAFETY: forwarded contract.
    unsafe { put(net, T::NETWORK_TAG, network) }
}

/// `ntk_network_set_layer_*`.
///
/// # Safety
/// `net` is NULL, misaligned or points to its type.
unsafe fn set_layer<T: Scalar, O>(net: *mut O, index: u32, w: T, b: T, has_bias: i32) -> Status {
    // SAFETY: forwarded contract.
    let n = unsafe { get_mut::<O, Network<T>>(net, T::NETWORK_TAG)? };
    let index = usize::try_from(index).map_err(|_| NTK_ERR_INVALID_PARAMETER)?;
    *n = n
        .with_layer(index, Dense::new(w, bias(has_bias, b)))
        .map_err(code)?;
    Ok(())
}

/// `ntk_network_kernels_*`.
///
/// # Safety
/// Each pointer is NULL, misaligned or points to its type (`x`, `z`: `dim` elements).
unsafe fn kernels<T: Scalar, O>(
    net: *const O,
    x: *const T,
    z: *const T,
    dim: usize,
    out: *mut ntk_kernels<T>,
) -> Status {
    check_ptr(out)?;
    let written = Region::of(out);
    disjoint(
        written,
        &[Region::of(net), region(x, dim)?, region(z, dim)?],
    )?;
    // SAFETY: forwarded contract.
    let (net, x, z) = unsafe { (network::<T, O>(net)?, slice(x, dim)?, slice(z, dim)?) };
    let k = net.kernels(x, z).map_err(code)?;
    // SAFETY: non-null, aligned, writable by contract, disjoint from the inputs.
    unsafe {
        out.write(ntk_kernels {
            nngp: k.nngp,
            ntk: k.ntk,
        })
    };
    Ok(())
}

/// Checks the description `desc` and sets up `net` from it: `depth` hidden
/// Dense + activation blocks and a readout, every layer with
/// `W_std = desc->w_std` and `b_std = desc->b_std` (or no bias), in the
/// chosen parameterization.
///
/// Errors: `NTK_ERR_NULL_POINTER`, `NTK_ERR_MISALIGNED`, `NTK_ERR_DEPTH`,
/// `NTK_ERR_NON_FINITE` (a NaN or infinite standard deviation or activation
/// parameter), `NTK_ERR_INVALID_PARAMETER` (unknown code, negative standard
/// deviation, width 0 under the standard parameterization),
/// `NTK_ERR_FEATURE_DISABLED`. On error `net` is left as it was.
///
/// # Safety
/// `net` and `desc` are NULL or point to an `ntk_network_f32` and a description.
#[no_mangle]
pub unsafe extern "C" fn ntk_network_init_f32(
    net: *mut ntk_network_f32,
    desc: *const ntk_network_desc<f32>,
) -> c_int {
    // SAFETY: forwarded contract.
    status(unsafe { init(net, desc) })
}

/// `ntk_network_init_f32` in `double`.
///
/// # Safety
/// As `ntk_network_init_f32`.
#[no_mangle]
pub unsafe extern "C" fn ntk_network_init_f64(
    net: *mut ntk_network_f64,
    desc: *const ntk_network_desc<f64>,
) -> c_int {
    // SAFETY: forwarded contract.
    status(unsafe { init(net, desc) })
}

/// Sets the standard deviations of layer `index` (0 to depth − 1 hidden,
/// `depth` the readout), neural-tangents' per-layer `Dense(W_std, b_std)`.
///
/// Errors: as `ntk_network_init_f32`; `NTK_ERR_NOT_INITIALIZED`,
/// `NTK_ERR_INDEX_OUT_OF_RANGE`. On error the network is unchanged.
///
/// # Safety
/// `net` is NULL or points to an `ntk_network_f32`.
#[no_mangle]
pub unsafe extern "C" fn ntk_network_set_layer_f32(
    net: *mut ntk_network_f32,
    index: u32,
    w_std: f32,
    b_std: f32,
    has_bias: i32,
) -> c_int {
    // SAFETY: forwarded contract.
    status(unsafe { set_layer(net, index, w_std, b_std, has_bias) })
}

/// `ntk_network_set_layer_f32` in `double`.
///
/// # Safety
/// `net` is NULL or points to an `ntk_network_f64`.
#[no_mangle]
pub unsafe extern "C" fn ntk_network_set_layer_f64(
    net: *mut ntk_network_f64,
    index: u32,
    w_std: f64,
    b_std: f64,
    has_bias: i32,
) -> c_int {
    // SAFETY: forwarded contract.
    status(unsafe { set_layer(net, index, w_std, b_std, has_bias) })
}

/// The NNGP Σ(x, z) and NTK Θ(x, z) of the points `x` and `z` (`dim`
/// coordinates each; the first layer sees x·z/dim), into `*out`:
/// neural-tangents' `kernel_fn(x, z, ('nngp', 'ntk'))`.
///
/// Errors: `NTK_ERR_NULL_POINTER`, `NTK_ERR_MISALIGNED`,
/// `NTK_ERR_NOT_INITIALIZED`, `NTK_ERR_EMPTY` (dim 0), `NTK_ERR_NON_FINITE`,
/// `NTK_ERR_OVERLAP` (`out` overlaps an input). Nothing is written on error.
///
/// # Safety
/// Each pointer is NULL or points to its type; `x` and `z` to `dim` floats.
#[no_mangle]
pub unsafe extern "C" fn ntk_network_kernels_f32(
    net: *const ntk_network_f32,
    x: *const f32,
    z: *const f32,
    dim: usize,
    out: *mut ntk_kernels<f32>,
) -> c_int {
    // SAFETY: forwarded contract.
    status(unsafe { kernels(net, x, z, dim, out) })
}

/// `ntk_network_kernels_f32` in `double`.
///
/// # Safety
/// As `ntk_network_kernels_f32`, with doubles.
#[no_mangle]
pub unsafe extern "C" fn ntk_network_kernels_f64(
    net: *const ntk_network_f64,
    x: *const f64,
    z: *const f64,
    dim: usize,
    out: *mut ntk_kernels<f64>,
) -> c_int {
    // SAFETY: forwarded contract.
    status(unsafe { kernels(net, x, z, dim, out) })
}

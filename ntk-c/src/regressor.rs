//! Kernel regression with the NNGP or NTK of a network, in a caller-owned
//! buffer: the trained infinitely wide network (NTK regime) or its Bayesian
//! posterior (NNGP regime), as neural-tangents'
//! `predict.gradient_descent_mse_ensemble` at t = ∞. With A = K(X, X) + λI:
//! mean(x) = K(x, X)·A⁻¹·Y, and the variance of the regime's ensemble.
//! Online updates (insert, sliding-window push, remove) cost O(N²).

use crate::boundary::{
    check_ptr, disjoint, get, get_mut, mul, put, region, slice, slice_mut, Region, Status,
};
use crate::network::{network, ntk_network_f32, ntk_network_f64};
use crate::status::{
    code, status, NTK_ERR_BUFFER_TOO_SMALL, NTK_ERR_EMPTY, NTK_ERR_INVALID_PARAMETER,
    NTK_ERR_NON_FINITE, NTK_ERR_SIZE_OVERFLOW,
};
use crate::Scalar;
use core::ffi::c_int;
use ntk::regression::{Model, Regime, Ridge, Time, Workspace, WORK_PER_CAPACITY};

/// The NNGP Σ: the Bayesian posterior of the network at initialisation
/// (neural-tangents `get='nngp'`); with the ridge equal to the noise
/// variance its variance is the posterior variance of f.
pub const NTK_REGIME_NNGP: i32 = 0;
/// The NTK Θ: the infinitely wide network trained by gradient descent
/// (neural-tangents `get='ntk'`).
pub const NTK_REGIME_NTK: i32 = 1;

/// The ridge is λ itself (neural-tangents `diag_reg_absolute_scale=True`).
pub const NTK_RIDGE_ABSOLUTE: i32 = 0;
/// λ = r·trace(K)/n, relative to the mean diagonal of the training Gram
/// matrix (neural-tangents' default `diag_reg` convention), computed at
/// each fit and kept by online updates.
pub const NTK_RIDGE_RELATIVE: i32 = 1;

/// 64-bit words of an `ntk_regressor_f32`.
pub const NTK_REGRESSOR_F32_WORDS: usize = 96;
/// 64-bit words of an `ntk_regressor_f64`.
pub const NTK_REGRESSOR_F64_WORDS: usize = 144;

/// A regressor of `float`s: opaque, caller-owned, set up by
/// `ntk_regressor_init_f32` on a buffer of `NTK_REGRESSOR_BUFFER_LEN` floats.
#[repr(C)]
pub struct ntk_regressor_f32 {
    _opaque: [u64; NTK_REGRESSOR_F32_WORDS],
}

/// A regressor of `double`s: opaque, set up by `ntk_regressor_init_f64`.
#[repr(C)]
pub struct ntk_regressor_f64 {
    _opaque: [u64; NTK_REGRESSOR_F64_WORDS],
}

/// What an instance holds: the model on the caller's buffer, the rest of
/// that buffer as work space, and where the buffer lies.
struct State<T: 'static> {
    model: Model<T, Workspace<'static, T>>,
    scratch: &'static mut [T],
    buffer: Region,
}

/// Work scalars per unit of capacity: a covariance's 5, or the
/// leave-one-out residuals (O per point) and one more.
fn scratch_per_point(outputs: usize) -> Status<usize> {
    let loo = outputs.checked_add(1).ok_or(NTK_ERR_SIZE_OVERFLOW)?;
    Ok(loo.max(WORK_PER_CAPACITY))
}

/// Scalars of the buffer: N·(N + D + 2·O) for the model, N·max(5, O + 1) of work.
fn buffer_len(capacity: usize, dim: usize, outputs: usize) -> Status<usize> {
    if capacity == 0 || dim == 0 || outputs == 0 {
        return Err(NTK_ERR_EMPTY);
    }
    let per_point = mul(outputs, 2)
        .ok()
        .and_then(|o| o.checked_add(dim))
        .and_then(|s| s.checked_add(capacity))
        .and_then(|s| s.checked_add(scratch_per_point(outputs).ok()?))
        .ok_or(NTK_ERR_SIZE_OVERFLOW)?;
    mul(capacity, per_point)
}

/// The settings as C codes them.
fn settings<T: Scalar>(regime: i32, ridge_kind: i32, ridge: T) -> Status<(Regime, Ridge<T>)> {
    if !ridge.is_finite() {
        return Err(NTK_ERR_NON_FINITE);
    }
    let regime = match regime {
        NTK_REGIME_NNGP => Regime::Nngp,
        NTK_REGIME_NTK => Regime::Ntk,
        _ => return Err(NTK_ERR_INVALID_PARAMETER),
    };
    let ridge = match ridge_kind {
        NTK_RIDGE_ABSOLUTE => Ridge::Absolute(ridge),
        NTK_RIDGE_RELATIVE => Ridge::RelativeToMeanDiagonal(ridge),
        _ => return Err(NTK_ERR_INVALID_PARAMETER),
    };
    Ok((regime, ridge))
}

/// The sizes of a regressor: capacity, dimension, outputs.
#[derive(Clone, Copy)]
struct Size {
    capacity: usize,
    dim: usize,
    outputs: usize,
}

/// `ntk_regressor_init_*`.
///
/// # Safety
/// Each pointer is NULL or points to its type (`buffer`: `buffer_len` elements).
unsafe fn init<T: Scalar, O, N>(
    r: *mut O,
    net: *const N,
    (regime, ridge_kind, ridge): (i32, i32, T),
    size: Size,
    (buffer, len): (*mut T, usize),
) -> Status {
    check_ptr(r)?;
    let net_region = Region::of(net);
    // SAFETY: forwarded contract.
    let net = *unsafe { network::<T, N>(net)? };
    let (regime, ridge) = settings(regime, ridge_kind, ridge)?;
    let Size {
        capacity,
        dim,
        outputs,
    } = size;
    check_ptr(buffer)?;
    let needed = buffer_len(capacity, dim, outputs)?;
    if len < needed {
        return Err(NTK_ERR_BUFFER_TOO_SMALL);
    }
    let whole = region(buffer, needed)?;
    disjoint(whole, &[Region::of(r), net_region])?;
    // SAFETY: `needed` elements at `buffer` are writable (contract) and
    // span a valid region (checked); zero bits are 0.0, so the slice below
    // is initialised whatever C left there.
    unsafe { core::ptr::write_bytes(buffer, 0, needed) };
    // SAFETY: as above; the buffer outlives the instance and only the
    // instance uses it (contract), so 'static holds for every use.
    let buf: &'static mut [T] = unsafe { slice_mut(buffer, needed)? };
    let (storage, scratch) = buf
        .split_at_mut_checked(Workspace::<T>::required_len(capacity, dim, outputs))
        .ok_or(NTK_ERR_BUFFER_TOO_SMALL)?;
    let storage = Workspace::new(storage, capacity, dim, outputs).map_err(code)?;
    let model = Model::with_storage(net, regime, ridge, storage).map_err(code)?;
    let state = State {
        model,
        scratch,
        buffer: whole,
    };
    // SAFETY: forwarded contract.
    unsafe { put(r, T::REGRESSOR_TAG, state) }
}

/// The state of an initialised instance, and the regions (instance and
/// buffer) that a call's arguments must not overlap.
///
/// # Safety
/// `r` is NULL or points to its type, used by this call only.
unsafe fn state<'a, T: Scalar, O>(r: *mut O) -> Status<(&'a mut State<T>, [Region; 2])> {
    // SAFETY: forwarded contract.
    let s = unsafe { get_mut::<O, State<T>>(r, T::REGRESSOR_TAG)? };
    let own = [Region::of(r), s.buffer];
    Ok((s, own))
}

/// A read-only argument of `len` scalars, disjoint from the instance and its buffer.
///
/// # Safety
/// `p` is NULL or points to `len` readable scalars.
unsafe fn input<'a, T>(p: *const T, len: usize, own: &[Region; 2]) -> Status<&'a [T]> {
    disjoint(region(p, len)?, own)?;
    // SAFETY: forwarded contract.
    unsafe { slice(p, len) }
}

/// A written argument of `len` scalars, disjoint from the instance, its
/// buffer and the call's inputs.
///
/// # Safety
/// `p` is NULL or points to `len` writable scalars.
unsafe fn output<'a, T>(
    p: *mut T,
    len: usize,
    own: &[Region; 2],
    inputs: &[Region],
) -> Status<&'a mut [T]> {
    let r = region(p, len)?;
    disjoint(r, own)?;
    disjoint(r, inputs)?;
    // SAFETY: forwarded contract; disjoint from everything else the call uses.
    unsafe { slice_mut(p, len) }
}

/// Which online update.
#[derive(Clone, Copy)]
enum Update {
    Insert,
    Push,
}

/// `ntk_regressor_fit_*`.
///
/// # Safety
/// `r` is NULL or an instance; `x`, `y` NULL or n×D and n×O scalars.
unsafe fn fit<T: Scalar, O>(r: *mut O, x: *const T, y: *const T, n: usize) -> Status {
    // SAFETY: forwarded contract.
    let (s, own) = unsafe { state::<T, O>(r)? };
    let shape = s.model.shape();
    // SAFETY: forwarded contract.
    let (x, y) = unsafe {
        (
            input(x, mul(n, shape.dim)?, &own)?,
            input(y, mul(n, shape.outputs)?, &own)?,
        )
    };
    s.model.fit_rows(x, y).map_err(code)
}

/// `ntk_regressor_insert_*`, `ntk_regressor_push_*`.
///
/// # Safety
/// `r` is NULL or an instance; `x`, `y` NULL or D and O scalars.
unsafe fn update<T: Scalar, O>(r: *mut O, x: *const T, y: *const T, how: Update) -> Status {
    // SAFETY: forwarded contract.
    let (s, own) = unsafe { state::<T, O>(r)? };
    let shape = s.model.shape();
    // SAFETY: forwarded contract.
    let (x, y) = unsafe { (input(x, shape.dim, &own)?, input(y, shape.outputs, &own)?) };
    match how {
        Update::Insert => s.model.insert_row(x, y),
        Update::Push => s.model.push_row(x, y),
    }
    .map_err(code)
}

/// `ntk_regressor_remove_*`.
///
/// # Safety
/// `r` is NULL or an instance.
unsafe fn remove<T: Scalar, O>(r: *mut O, index: usize) -> Status {
    // SAFETY: forwarded contract.
    let (s, _) = unsafe { state::<T, O>(r)? };
    s.model.remove(index).map_err(code)
}

/// The checked arguments of a prediction: the state, the query `x` (D
/// scalars), the mean output (O), and the regions a further output must avoid.
type Query<'a, T> = (&'a mut State<T>, &'a [T], &'a mut [T], [Region; 4]);

/// Checks the arguments of `ntk_regressor_predict*_*`.
///
/// # Safety
/// `r` is NULL or an instance; `x` NULL or D scalars, `mean` NULL or O.
unsafe fn query<'a, T: Scalar, O>(r: *mut O, x: *const T, mean: *mut T) -> Status<Query<'a, T>> {
    // SAFETY: forwarded contract.
    let (s, own) = unsafe { state::<T, O>(r)? };
    let shape = s.model.shape();
    // SAFETY: forwarded contract.
    let x = unsafe { input(x, shape.dim, &own)? };
    let xr = region(x.as_ptr(), x.len())?;
    // SAFETY: forwarded contract.
    let mean = unsafe { output(mean, shape.outputs, &own, &[xr])? };
    let taken = [own[0], own[1], xr, region(mean.as_ptr(), mean.len())?];
    Ok((s, x, mean, taken))
}

/// `ntk_regressor_predict_*`.
///
/// # Safety
/// As [`query`].
unsafe fn predict<T: Scalar, O>(r: *mut O, x: *const T, mean: *mut T) -> Status {
    // SAFETY: forwarded contract.
    let (s, x, mean, _) = unsafe { query::<T, O>(r, x, mean)? };
    s.model
        .mean_into(x, &Time::Infinite, mean, s.scratch)
        .map_err(code)
}

/// `ntk_regressor_predict_var_*`: the variance first, so that nothing is
/// written when it fails.
///
/// # Safety
/// As [`query`]; `var` NULL or one scalar.
unsafe fn predict_var<T: Scalar, O>(r: *mut O, x: *const T, mean: *mut T, var: *mut T) -> Status {
    // SAFETY: forwarded contract.
    let (s, x, mean, taken) = unsafe { query::<T, O>(r, x, mean)? };
    check_ptr(var)?;
    disjoint(Region::of(var), &taken)?;
    let State { model, scratch, .. } = s;
    let v = model
        .covariance_with(x, x, &Time::Infinite, scratch)
        .map_err(code)?;
    model
        .mean_into(x, &Time::Infinite, mean, scratch)
        .map_err(code)?;
    // SAFETY: non-null, aligned, writable (contract), disjoint from the other arguments.
    unsafe { var.write(v.max(T::ZERO)) };
    Ok(())
}

/// `ntk_regressor_choose_ridge_*`.
///
/// # Safety
/// `r` is NULL or an instance; `grid` NULL or `grid_len` scalars; `chosen`, `loo_mse` NULL or 1.
unsafe fn choose_ridge<T: Scalar, O>(
    r: *mut O,
    (grid, grid_len): (*const T, usize),
    chosen: *mut T,
    loo_mse: *mut T,
) -> Status {
    // SAFETY: forwarded contract.
    let (s, own) = unsafe { state::<T, O>(r)? };
    // SAFETY: forwarded contract.
    let grid = unsafe { input(grid, grid_len, &own)? };
    let g = region(grid.as_ptr(), grid.len())?;
    check_ptr(chosen)?;
    check_ptr(loo_mse)?;
    let (c, m) = (Region::of(chosen), Region::of(loo_mse));
    disjoint(c, &[own[0], own[1], g, m])?;
    disjoint(m, &[own[0], own[1], g])?;
    let shape = s.model.shape();
    let State { model, scratch, .. } = s;
    let (residuals, work) = scratch
        .split_at_mut_checked(mul(shape.capacity, shape.outputs)?)
        .ok_or(NTK_ERR_BUFFER_TOO_SMALL)?;
    let (ridge, mse) = model
        .choose_ridge_with(grid, residuals, work)
        .map_err(code)?;
    // SAFETY: non-null, aligned, writable (contract), disjoint from each
    // other and from the other arguments (checked above).
    unsafe {
        chosen.write(ridge.value());
        loo_mse.write(mse);
    }
    Ok(())
}

/// `ntk_regressor_len_*`.
///
/// # Safety
/// `r` is NULL or an instance; `n` NULL or a `size_t`.
unsafe fn len<T: Scalar, O>(r: *const O, n: *mut usize) -> Status {
    check_ptr(n)?;
    disjoint(Region::of(n), &[Region::of(r)])?;
    // SAFETY: forwarded contract.
    let s = unsafe { get::<O, State<T>>(r, T::REGRESSOR_TAG)? };
    disjoint(Region::of(n), &[s.buffer])?;
    // SAFETY: non-null, aligned, writable by contract, disjoint from the instance.
    unsafe { n.write(s.model.len()) };
    Ok(())
}

/// Scalars of the buffer `ntk_regressor_init_*` needs for `capacity` points
/// of dimension `dim` with `outputs` outputs:
/// N·(N + D + 2·O) for the training set, the Cholesky factor and the dual
/// coefficients, and N·max(5, O + 1) of work space for predictions and the
/// ridge choice. The same number as the macro `NTK_REGRESSOR_BUFFER_LEN`;
/// 0 if an argument is 0 or the size overflows `size_t`.
#[no_mangle]
pub extern "C" fn ntk_regressor_buffer_len(capacity: usize, dim: usize, outputs: usize) -> usize {
    buffer_len(capacity, dim, outputs).unwrap_or(0)
}

/// Sets up `r`: an empty regressor with the kernels of `net` (copied: `net`
/// may be discarded afterwards), for up to `capacity` training points of
/// `dim` coordinates with `outputs` targets each, in the caller's `buffer` of
/// `buffer_len` floats (at least `NTK_REGRESSOR_BUFFER_LEN(capacity, dim,
/// outputs)`; it is zeroed, and belongs to `r` until `r` is no longer used).
/// `regime` is `NTK_REGIME_NNGP` or `NTK_REGIME_NTK`; the ridge λ ≥ 0 is
/// `ridge` itself (`NTK_RIDGE_ABSOLUTE`) or `ridge`·trace(K)/n
/// (`NTK_RIDGE_RELATIVE`).
///
/// Errors: `NTK_ERR_NULL_POINTER`, `NTK_ERR_MISALIGNED`,
/// `NTK_ERR_NOT_INITIALIZED` (`net`), `NTK_ERR_INVALID_PARAMETER` (unknown
/// code, negative ridge), `NTK_ERR_NON_FINITE` (ridge), `NTK_ERR_EMPTY` (a
/// size 0), `NTK_ERR_BUFFER_TOO_SMALL`, `NTK_ERR_SIZE_OVERFLOW`,
/// `NTK_ERR_OVERLAP` (the buffer overlaps `r` or `net`). On error `r` is
/// left as it was.
///
/// # Safety
/// Each pointer is NULL or points to its type; `buffer` to `buffer_len` floats.
#[no_mangle]
pub unsafe extern "C" fn ntk_regressor_init_f32(
    r: *mut ntk_regressor_f32,
    net: *const ntk_network_f32,
    regime: i32,
    ridge_kind: i32,
    ridge: f32,
    capacity: usize,
    dim: usize,
    outputs: usize,
    buffer: *mut f32,
    buffer_len: usize,
) -> c_int {
    let size = Size {
        capacity,
        dim,
        outputs,
    };
    // SAFETY: forwarded contract.
    status(unsafe {
        init(
            r,
            net,
            (regime, ridge_kind, ridge),
            size,
            (buffer, buffer_len),
        )
    })
}

/// `ntk_regressor_init_f32` in `double` (`buffer`: doubles).
///
/// # Safety
/// As `ntk_regressor_init_f32`, with doubles.
#[no_mangle]
pub unsafe extern "C" fn ntk_regressor_init_f64(
    r: *mut ntk_regressor_f64,
    net: *const ntk_network_f64,
    regime: i32,
    ridge_kind: i32,
    ridge: f64,
    capacity: usize,
    dim: usize,
    outputs: usize,
    buffer: *mut f64,
    buffer_len: usize,
) -> c_int {
    let size = Size {
        capacity,
        dim,
        outputs,
    };
    // SAFETY: forwarded contract.
    status(unsafe {
        init(
            r,
            net,
            (regime, ridge_kind, ridge),
            size,
            (buffer, buffer_len),
        )
    })
}

/// Fits the `n` points `x` (n×dim, row-major) with targets `y` (n×outputs):
/// stores them, factors A = K(X, X) + λI by Cholesky and solves α = A⁻¹Y.
/// O(n³); replaces any earlier training set.
///
/// Errors: `NTK_ERR_NULL_POINTER`, `NTK_ERR_MISALIGNED`,
/// `NTK_ERR_NOT_INITIALIZED`, `NTK_ERR_EMPTY` (n = 0),
/// `NTK_ERR_CAPACITY_EXCEEDED`, `NTK_ERR_NON_FINITE`, `NTK_ERR_OVERLAP`
/// (`x` or `y` inside the regressor's buffer), `NTK_ERR_SIZE_OVERFLOW`;
/// nothing stored changes on these. `NTK_ERR_NOT_POSITIVE_DEFINITE`
/// (duplicate points without ridge): the points are stored, the regressor is
/// unfitted until a fit succeeds.
///
/// # Safety
/// `r` is NULL or an `ntk_regressor_f32`; `x` and `y` NULL or n×dim and n×outputs floats.
#[no_mangle]
pub unsafe extern "C" fn ntk_regressor_fit_f32(
    r: *mut ntk_regressor_f32,
    x: *const f32,
    y: *const f32,
    n: usize,
) -> c_int {
    // SAFETY: forwarded contract.
    status(unsafe { fit(r, x, y, n) })
}

/// `ntk_regressor_fit_f32` in `double`.
///
/// # Safety
/// As `ntk_regressor_fit_f32`, with doubles.
#[no_mangle]
pub unsafe extern "C" fn ntk_regressor_fit_f64(
    r: *mut ntk_regressor_f64,
    x: *const f64,
    y: *const f64,
    n: usize,
) -> c_int {
    // SAFETY: forwarded contract.
    status(unsafe { fit(r, x, y, n) })
}

/// Adds the point `x` (dim) with target `y` (outputs) in O(n²): extends the
/// Cholesky factor by a row. λ is kept.
///
/// Errors (nothing stored changes): as `ntk_regressor_fit_f32`;
/// `NTK_ERR_CAPACITY_EXCEEDED` when full, `NTK_ERR_NOT_FITTED` after a
/// failed fit, `NTK_ERR_NOT_POSITIVE_DEFINITE` (the point duplicates the
/// span of the stored ones at this ridge).
///
/// # Safety
/// `r` is NULL or an `ntk_regressor_f32`; `x`, `y` NULL or dim and outputs floats.
#[no_mangle]
pub unsafe extern "C" fn ntk_regressor_insert_f32(
    r: *mut ntk_regressor_f32,
    x: *const f32,
    y: *const f32,
) -> c_int {
    // SAFETY: forwarded contract.
    status(unsafe { update(r, x, y, Update::Insert) })
}

/// `ntk_regressor_insert_f32` in `double`.
///
/// # Safety
/// As `ntk_regressor_insert_f32`, with doubles.
#[no_mangle]
pub unsafe extern "C" fn ntk_regressor_insert_f64(
    r: *mut ntk_regressor_f64,
    x: *const f64,
    y: *const f64,
) -> c_int {
    // SAFETY: forwarded contract.
    status(unsafe { update(r, x, y, Update::Insert) })
}

/// Sliding window: adds the point, first dropping the oldest when full. O(n²).
///
/// Errors: as `ntk_regressor_insert_f32`, checked before the oldest point
/// is dropped, except `NTK_ERR_NOT_POSITIVE_DEFINITE`: the oldest point is
/// gone then.
///
/// # Safety
/// As `ntk_regressor_insert_f32`.
#[no_mangle]
pub unsafe extern "C" fn ntk_regressor_push_f32(
    r: *mut ntk_regressor_f32,
    x: *const f32,
    y: *const f32,
) -> c_int {
    // SAFETY: forwarded contract.
    status(unsafe { update(r, x, y, Update::Push) })
}

/// `ntk_regressor_push_f32` in `double`.
///
/// # Safety
/// As `ntk_regressor_push_f32`, with doubles.
#[no_mangle]
pub unsafe extern "C" fn ntk_regressor_push_f64(
    r: *mut ntk_regressor_f64,
    x: *const f64,
    y: *const f64,
) -> c_int {
    // SAFETY: forwarded contract.
    status(unsafe { update(r, x, y, Update::Push) })
}

/// Removes training point `index` (0 the oldest; later points move down
/// one) in O(n²) by a Givens downdate of the factor.
///
/// Errors: `NTK_ERR_NULL_POINTER`, `NTK_ERR_MISALIGNED`,
/// `NTK_ERR_NOT_INITIALIZED`, `NTK_ERR_INDEX_OUT_OF_RANGE`,
/// `NTK_ERR_NOT_FITTED` after a failed fit. Nothing changes on error.
///
/// # Safety
/// `r` is NULL or an `ntk_regressor_f32`.
#[no_mangle]
pub unsafe extern "C" fn ntk_regressor_remove_f32(
    r: *mut ntk_regressor_f32,
    index: usize,
) -> c_int {
    // SAFETY: forwarded contract.
    status(unsafe { remove::<f32, _>(r, index) })
}

/// `ntk_regressor_remove_f32` for `double`.
///
/// # Safety
/// `r` is NULL or an `ntk_regressor_f64`.
#[no_mangle]
pub unsafe extern "C" fn ntk_regressor_remove_f64(
    r: *mut ntk_regressor_f64,
    index: usize,
) -> c_int {
    // SAFETY: forwarded contract.
    status(unsafe { remove::<f64, _>(r, index) })
}

/// The mean prediction at `x` (dim floats) of each output, at t = ∞, into
/// `mean` (outputs floats): K(x, X)·A⁻¹·Y. O(n·(dim + depth)). Uses the work
/// part of the regressor's buffer, hence the non-const instance.
///
/// Errors: `NTK_ERR_NULL_POINTER`, `NTK_ERR_MISALIGNED`,
/// `NTK_ERR_NOT_INITIALIZED`, `NTK_ERR_NOT_FITTED`, `NTK_ERR_NON_FINITE`
/// (`x`, or a prediction that overflows), `NTK_ERR_OVERLAP` (`mean`
/// overlaps `x`, or either lies in the regressor or its buffer).
///
/// # Safety
/// `r` is NULL or an `ntk_regressor_f32`; `x`, `mean` NULL or dim and outputs floats.
#[no_mangle]
pub unsafe extern "C" fn ntk_regressor_predict_f32(
    r: *mut ntk_regressor_f32,
    x: *const f32,
    mean: *mut f32,
) -> c_int {
    // SAFETY: forwarded contract.
    status(unsafe { predict(r, x, mean) })
}

/// `ntk_regressor_predict_f32` in `double`.
///
/// # Safety
/// As `ntk_regressor_predict_f32`, with doubles.
#[no_mangle]
pub unsafe extern "C" fn ntk_regressor_predict_f64(
    r: *mut ntk_regressor_f64,
    x: *const f64,
    mean: *mut f64,
) -> c_int {
    // SAFETY: forwarded contract.
    status(unsafe { predict(r, x, mean) })
}

/// The mean (into `mean`, outputs floats) and the variance (into
/// `*variance`, shared by the outputs, clamped at 0) at `x`, t = ∞: the NNGP
/// posterior variance Σ(x, x) − Σ(x, X)A⁻¹Σ(X, x) (regime NNGP) or the
/// variance over initialisations of the trained infinitely wide network
/// (regime NTK), as neural-tangents' `gradient_descent_mse_ensemble`.
///
/// Errors: as `ntk_regressor_predict_f32`; `variance` overlapping another argument.
///
/// # Safety
/// As `ntk_regressor_predict_f32`; `variance` NULL or one float.
#[no_mangle]
pub unsafe extern "C" fn ntk_regressor_predict_var_f32(
    r: *mut ntk_regressor_f32,
    x: *const f32,
    mean: *mut f32,
    variance: *mut f32,
) -> c_int {
    // SAFETY: forwarded contract.
    status(unsafe { predict_var(r, x, mean, variance) })
}

/// `ntk_regressor_predict_var_f32` in `double`.
///
/// # Safety
/// As `ntk_regressor_predict_var_f32`, with doubles.
#[no_mangle]
pub unsafe extern "C" fn ntk_regressor_predict_var_f64(
    r: *mut ntk_regressor_f64,
    x: *const f64,
    mean: *mut f64,
    variance: *mut f64,
) -> c_int {
    // SAFETY: forwarded contract.
    status(unsafe { predict_var(r, x, mean, variance) })
}

/// Chooses the ridge from `grid` (`grid_len` values ≥ 0, in the regressor's
/// ridge convention) with the smallest mean squared leave-one-out residual
/// eᵢ = αᵢ/(A⁻¹)ᵢᵢ (the error at xᵢ of the fit without point i, in closed
/// form), refits with it, and writes it to `*chosen` and its leave-one-out
/// mean squared error to `*loo_mse`. Values at which A is not positive
/// definite are skipped. O(grid_len·n³).
///
/// Errors: `NTK_ERR_NULL_POINTER`, `NTK_ERR_MISALIGNED`,
/// `NTK_ERR_NOT_INITIALIZED`, `NTK_ERR_EMPTY` (empty grid),
/// `NTK_ERR_INVALID_PARAMETER`/`NTK_ERR_NON_FINITE` (a grid value),
/// `NTK_ERR_NOT_FITTED` (no points), `NTK_ERR_OVERLAP`,
/// `NTK_ERR_NOT_POSITIVE_DEFINITE` if no value works (the previous ridge is
/// restored then).
///
/// # Safety
/// `r` is NULL or an `ntk_regressor_f32`; `grid` NULL or `grid_len` floats;
/// `chosen`, `loo_mse` NULL or one float each.
#[no_mangle]
pub unsafe extern "C" fn ntk_regressor_choose_ridge_f32(
    r: *mut ntk_regressor_f32,
    grid: *const f32,
    grid_len: usize,
    chosen: *mut f32,
    loo_mse: *mut f32,
) -> c_int {
    // SAFETY: forwarded contract.
    status(unsafe { choose_ridge(r, (grid, grid_len), chosen, loo_mse) })
}

/// `ntk_regressor_choose_ridge_f32` in `double`.
///
/// # Safety
/// As `ntk_regressor_choose_ridge_f32`, with doubles.
#[no_mangle]
pub unsafe extern "C" fn ntk_regressor_choose_ridge_f64(
    r: *mut ntk_regressor_f64,
    grid: *const f64,
    grid_len: usize,
    chosen: *mut f64,
    loo_mse: *mut f64,
) -> c_int {
    // SAFETY: forwarded contract.
    status(unsafe { choose_ridge(r, (grid, grid_len), chosen, loo_mse) })
}

/// The number of training points into `*n`.
///
/// Errors: `NTK_ERR_NULL_POINTER`, `NTK_ERR_MISALIGNED`,
/// `NTK_ERR_NOT_INITIALIZED`, `NTK_ERR_OVERLAP`.
///
/// # Safety
/// `r` is NULL or an `ntk_regressor_f32`; `n` NULL or a `size_t`.
#[no_mangle]
pub unsafe extern "C" fn ntk_regressor_len_f32(
    r: *const ntk_regressor_f32,
    n: *mut usize,
) -> c_int {
    // SAFETY: forwarded contract.
    status(unsafe { len::<f32, _>(r, n) })
}

/// `ntk_regressor_len_f32` for `double`.
///
/// # Safety
/// `r` is NULL or an `ntk_regressor_f64`; `n` NULL or a `size_t`.
#[no_mangle]
pub unsafe extern "C" fn ntk_regressor_len_f64(
    r: *const ntk_regressor_f64,
    n: *mut usize,
) -> c_int {
    // SAFETY: forwarded contract.
    status(unsafe { len::<f64, _>(r, n) })
}
